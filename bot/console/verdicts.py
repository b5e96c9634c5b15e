"""The clinician's verdict: the outcome a clinician would have given a conversation, and why.

The latest verdict per conversation counts. Against the bot's outcome (kept as it was when the verdict
was recorded) they give, per rules version, an agreement matrix and the under-triage rate (the
clinician was stricter than the bot: the bot was too mild) and over-triage rate (the bot was
stricter). A conversation with a verdict can be downloaded as a regression case in the format of
tests/conversations/*.yml, its visitor's turns masked.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.console import auth
from bot.storage.models import Conversation, Verdict
from bot.vocabulary import BEFORE_CONSENT, OUTCOMES

LEVELS = OUTCOMES  # most severe first
MAX_REASON = 4000
NO_OUTCOME = "none"  # the matrix row of conversations the bot gave no outcome
UNKNOWN_VERSION = "unknown"


# Stand-ins, in a replayable case, for the turns before consent that were not kept.
GREETING, CONSENT_GIVEN = "hi", "yes"


class VerdictError(ValueError):
    """A verdict that cannot be recorded; the message says why."""


def record(
    db: Session,
    staff: auth.CurrentStaff,
    row: Conversation,
    outcome: str,
    reason: str,
    rules_version: str | None = None,
) -> Verdict:
    outcome = (outcome or "").strip()
    reason = (reason or "").strip()[:MAX_REASON]
    if outcome not in LEVELS:
        raise VerdictError("Choose the outcome from the list.")
    if not reason:
        raise VerdictError("Write why, before recording the verdict.")
    verdict = Verdict(
        sender_id=row.sender_id,
        clinic_id=row.clinic_id,
        staff=staff.email,
        staff_role=staff.role,
        outcome=outcome,
        reason=reason,
        bot_outcome=row.outcome,
        rules_version=row.rules_version or rules_version,
        created_at=auth.now(),
    )
    db.add(verdict)
    db.flush()
    return verdict


def latest(db: Session, clinic_id: str, sender_id: str) -> Verdict | None:
    return (
        db.execute(
            select(Verdict)
            .where(Verdict.sender_id == sender_id, Verdict.clinic_id == clinic_id)
            .order_by(Verdict.id.desc())
            .limit(1)
        )
        .scalars()
        .first()
    )


def history(db: Session, clinic_id: str, sender_id: str) -> List[Verdict]:
    return (
        db.execute(
            select(Verdict)
            .where(Verdict.sender_id == sender_id, Verdict.clinic_id == clinic_id)
            .order_by(Verdict.id.desc())
        )
        .scalars()
        .all()
    )


def latest_all(db: Session, clinic_id: str) -> List[Verdict]:
    """The latest verdict of each of the clinic's conversations."""
    newest = (
        select(func.max(Verdict.id))
        .where(Verdict.clinic_id == clinic_id)
        .group_by(Verdict.sender_id)
        .scalar_subquery()
    )
    return db.execute(select(Verdict).where(Verdict.id.in_(newest))).scalars().all()


def severity(outcome: str | None) -> int | None:
    return LEVELS.index(outcome) if outcome in LEVELS else None


def direction(verdict: Verdict) -> str:
    """'under' (the bot was milder than the clinician), 'over' (stricter), 'agree', or 'no_outcome'."""
    bot, clinician = severity(verdict.bot_outcome), severity(verdict.outcome)
    if bot is None or clinician is None:
        return "no_outcome"
    if clinician < bot:
        return "under"
    if clinician > bot:
        return "over"
    return "agree"


@dataclass
class Agreement:
    rules_version: str
    matrix: Dict[str, Dict[str, int]]  # bot outcome -> clinician outcome -> count
    compared: int = 0  # verdicts where the bot gave an outcome
    under: int = 0
    over: int = 0
    agree: int = 0
    no_outcome: int = 0
    under_triaged: List[Verdict] = field(default_factory=list)  # most severe miss first
    over_triaged: List[Verdict] = field(default_factory=list)

    @property
    def rows(self) -> Sequence[str]:
        return LEVELS + ((NO_OUTCOME,) if self.no_outcome else ())

    @property
    def under_rate(self) -> float:
        return self.under / self.compared if self.compared else 0.0

    @property
    def over_rate(self) -> float:
        return self.over / self.compared if self.compared else 0.0

    @property
    def agreement_rate(self) -> float:
        return self.agree / self.compared if self.compared else 0.0


def _gap(verdict: Verdict) -> int:
    return abs((severity(verdict.bot_outcome) or 0) - (severity(verdict.outcome) or 0))


def agreement(db: Session, clinic_id: str) -> List[Agreement]:
    """One Agreement per rules version (newest version name last, 'unknown' at the end)."""
    by_version: Dict[str, Agreement] = {}
    for verdict in latest_all(db, clinic_id):
        version = verdict.rules_version or UNKNOWN_VERSION
        found = by_version.get(version)
        if found is None:
            matrix = {b: dict.fromkeys(LEVELS, 0) for b in LEVELS + (NO_OUTCOME,)}
            found = by_version[version] = Agreement(version, matrix)
        bot = verdict.bot_outcome if verdict.bot_outcome in LEVELS else NO_OUTCOME
        found.matrix[bot][verdict.outcome] += 1
        kind = direction(verdict)
        setattr(found, kind, getattr(found, kind) + 1)
        if kind != "no_outcome":
            found.compared += 1
        if kind == "under":
            found.under_triaged.append(verdict)
        elif kind == "over":
            found.over_triaged.append(verdict)
    for found in by_version.values():
        # The largest miss first; among equals the clinician's most severe outcome, then the oldest.
        for misses in (found.under_triaged, found.over_triaged):
            misses.sort(key=lambda v: (-_gap(v), severity(v.outcome), v.created_at, v.id))
    return [by_version[v] for v in sorted(by_version, key=lambda v: (v == UNKNOWN_VERSION, v))]


def under_triaged(db: Session, clinic_id: str) -> List[Verdict]:
    """Every under-triaged conversation of the clinic (all versions), the largest miss first."""
    found = [v for v in latest_all(db, clinic_id) if direction(v) == "under"]
    return sorted(found, key=lambda v: (-_gap(v), severity(v.outcome), v.created_at, v.id))


# ---- the regression case ---------------------------------------------------------------------------

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<!\w)\+?\d[\d ()./-]{6,}\d(?!\w)")
DIGITS = re.compile(r"\d+")


def mask(text: str) -> str:
    """The text with email addresses, phone numbers and then any other digits replaced."""
    text = EMAIL.sub("<email>", text)
    text = PHONE.sub("<phone>", text)
    return DIGITS.sub("<n>", text)


def visitor_turns(events: Sequence[Dict[str, Any]]) -> List[str]:
    """The visitor's turns, masked. What was said before consent is not kept (its placeholder stands in);
    for a case that replays, the last of those is the "yes" that gave consent and the rest a greeting."""
    turns = [
        mask(str(e.get("text")))
        for e in events
        if e.get("event") == "user" and isinstance(e.get("text"), str) and e.get("text").strip()
    ]
    before = 0
    while before < len(turns) and turns[before] == BEFORE_CONSENT:
        before += 1
    if before:
        turns[:before] = [GREETING] * (before - 1) + [CONSENT_GIVEN]
    return turns


def case_name(sender_id: str) -> str:
    # Not the sender id itself: a stable, anonymous name.
    return "console_verdict_" + hashlib.sha256(sender_id.encode()).hexdigest()[:12]


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (the style of tests/conversations/*.yml)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    for char, code in (("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t")):
        escaped = escaped.replace(char, code)
    return '"' + "".join(c if c.isprintable() or c == " " else f"\\u{ord(c):04x}" for c in escaped) + '"'


def regression_yaml(sender_id: str, verdict: Verdict, events: Sequence[Dict[str, Any]]) -> str:
    lines = [
        "# A regression case from the staff console: the visitor's turns (masked) and the outcome a",
        f"# clinician gave; the bot said {verdict.bot_outcome or 'nothing'}"
        f" (rules {verdict.rules_version or UNKNOWN_VERSION}).",
        "conversations:",
        f"  - name: {case_name(sender_id)}",
        f"    outcome: {verdict.outcome}",
        "    turns:",
    ]
    turns = visitor_turns(events)
    lines += [f"      - {_quoted(t)}" for t in turns] if turns else ["      []"]
    return "\n".join(lines) + "\n"
