"""The screening rules engine: answers in, outcome with every reason out. Plain Python, no Rasa."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Tuple

from bot.screening.rule_book import RuleBook, load_rules
from bot.vocabulary import (
    CONDITIONS,
    DAYS_SINCE_PROCEDURE,
    GOALS,
    LIFESTYLE,
    LIKELY_SUITABLE,
    NOT_SUITABLE_NOW,
    PAST_CONDITIONS,
    PROCEDURE_DAYS,
    RECENT_PROCEDURES,
    RED_FLAGS,
    SEEK_URGENT_CARE,
    SKIN_TYPE,
    SKIPPED_QUESTIONS,
    SUITABLE_WITH_PRECAUTIONS,
)


@dataclass(frozen=True)
class Answers:
    """What the visitor told us. Lists are canonical contract values; None means not answered yet."""

    skin_type: str | None = None
    conditions: Tuple[str, ...] = ()
    recent_procedures: Tuple[str, ...] = ()
    days_since_procedure: float | None = None
    lifestyle: Tuple[str, ...] = ()
    goals: Tuple[str, ...] = ()
    red_flags: Tuple[str, ...] = ()
    skipped: Tuple[str, ...] = ()
    # Each treatment's own days since (None: unknown), and conditions that have ended with the days
    # since they ended (None: not said). Pairs, so Answers stays hashable.
    procedure_days: Tuple[Tuple[str, float | None], ...] = ()
    past_conditions: Tuple[Tuple[str, float | None], ...] = ()

    def days_for(self, procedure: str) -> float | None:
        """A treatment's own time; else the single answer to "how long ago" (older trackers)."""
        own = dict(self.procedure_days)
        if procedure in own:
            return own[procedure]
        return self.days_since_procedure

    @classmethod
    def from_slots(cls, slots: Mapping[str, Any]) -> Answers:
        """Build from tracker slot values (lists may be None, days may be a string)."""

        def as_tuple(value: Any) -> Tuple[str, ...]:
            if value is None:
                return ()
            if isinstance(value, str):
                return (value,)
            return tuple(dict.fromkeys(str(v) for v in value))

        days = _as_days(slots.get(DAYS_SINCE_PROCEDURE))

        def dated(value: Any) -> Tuple[Tuple[str, float | None], ...]:
            if not isinstance(value, Mapping):
                return ()
            return tuple((str(k), _as_days(v)) for k, v in value.items())

        return cls(
            procedure_days=dated(slots.get(PROCEDURE_DAYS)),
            past_conditions=dated(slots.get(PAST_CONDITIONS)),
            skin_type=slots.get(SKIN_TYPE) or None,
            conditions=as_tuple(slots.get(CONDITIONS)),
            recent_procedures=as_tuple(slots.get(RECENT_PROCEDURES)),
            days_since_procedure=days,
            lifestyle=as_tuple(slots.get(LIFESTYLE)),
            goals=as_tuple(slots.get(GOALS)),
            red_flags=as_tuple(slots.get(RED_FLAGS)),
            skipped=as_tuple(slots.get(SKIPPED_QUESTIONS)),
        )


def _as_days(value: Any) -> float | None:
    """Days as a float; None when unknown, unreadable or skipped (a negative number)."""
    try:
        days = float(value) if value is not None else None
    except (TypeError, ValueError):
        return None
    if days is None or math.isnan(days) or days < 0:
        return None  # a skipped "how long ago": unknown, which the rules read as "wait"
    return days


@dataclass(frozen=True)
class Reason:
    code: str
    level: str
    text: str
    when_possible: str | None = None

    def to_dict(self) -> Dict[str, Any]:
        return {"code": self.code, "level": self.level, "text": self.text}


@dataclass
class Result:
    outcome: str
    reasons: List[Reason]
    caveats: List[str]
    goals: List[str]
    next_step: str
    rules_version: str
    extra: Dict[str, Any] = field(default_factory=dict)

    def to_payload(self) -> Dict[str, Any]:
        """The contract's `screening_result` custom payload."""
        return {
            "type": "screening_result",
            "outcome": self.outcome,
            "reasons": [r.to_dict() for r in self.reasons],
            "caveats": list(self.caveats),
            "goals": list(self.goals),
            "next_step": self.next_step,
            "rules_version": self.rules_version,
            **self.extra,
        }


def _procedure_reasons(
    answers: Answers, book: RuleBook, overrides: Mapping[str, int] | None, today: dt.date
) -> Iterable[Reason]:
    texts = book.procedure_texts
    for procedure in answers.recent_procedures:
        if procedure not in book.procedures:
            continue
        label = _cap(book.procedures[procedure].label)
        waiting = book.waiting_days(procedure, overrides)
        days = answers.days_for(procedure)
        if days is None:
            # Unknown date: the waiting period may not have passed; the safe reading is "wait".
            level = book.skipped[DAYS_SINCE_PROCEDURE].level
            yield Reason(procedure, level, texts.unknown_date.format(label=label, waiting=waiting))
        elif days < waiting:
            text = texts.too_recent.format(label=label, days=_fmt_days(days), waiting=waiting)
            yield Reason(procedure, NOT_SUITABLE_NOW, text)
        else:
            text = texts.past.format(label=label, days=_fmt_days(days), waiting=waiting)
            yield Reason(procedure, SUITABLE_WITH_PRECAUTIONS, text)


def _latest_treatment_wait(
    answers: Answers, book: RuleBook, overrides: Mapping[str, int] | None, today: dt.date
) -> str | None:
    """When the last waiting period ends, over every treatment still within its own period."""
    remaining = []
    for procedure in answers.recent_procedures:
        days = answers.days_for(procedure)
        if procedure in book.procedures and days is not None:
            left = book.waiting_days(procedure, overrides) - days
            if left > 0:
                remaining.append(math.ceil(left))
    if not remaining:
        return None
    longest = max(remaining)
    date = (today + dt.timedelta(days=longest)).strftime("%d %B %Y").lstrip("0")
    days = f"{longest} day" + ("s" if longest != 1 else "")
    return book.procedure_texts.too_recent_when.format(remaining=days, date=date)


def _past_condition_reasons(answers: Answers, book: RuleBook) -> Iterable[Reason]:
    """Treatments that ended recently still count (chemotherapy within 6 months, blood thinners within
    2 weeks...); when it ended is unknown, they count, and the text asks for the date."""
    current = set(answers.conditions)
    for condition, days in answers.past_conditions:
        rule = book.past_conditions.get(condition)
        if rule is None or condition in current:
            continue
        if days is None:
            yield Reason(condition, rule.level, rule.unknown_date.format(period=rule.period))
        elif days <= rule.counts_for_days:
            text = rule.recent.format(days=_fmt_days(days), period=rule.period)
            yield Reason(condition, rule.level, text, when_possible=rule.when_possible)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _fmt_days(days: float) -> str:
    return str(int(days)) if float(days).is_integer() else f"{days:.1f}"


def collect_reasons(
    answers: Answers,
    book: RuleBook | None = None,
    waiting_overrides: Mapping[str, int] | None = None,
    today: dt.date | None = None,
) -> List[Reason]:
    """Every answer that moves the outcome, most severe first (stable within a level)."""
    book = book or load_rules()
    today = today or dt.date.today()
    reasons = [Reason(flag, SEEK_URGENT_CARE, book.red_flag_text(flag)) for flag in answers.red_flags]
    for condition in answers.conditions:
        rule = book.conditions.get(condition)
        if rule:
            reasons.append(Reason(condition, rule.level, rule.text, rule.when_possible))
    reasons.extend(_past_condition_reasons(answers, book))
    skin = book.skin_types.get(answers.skin_type or "")
    if skin:
        reasons.append(Reason(f"skin_{answers.skin_type}", skin.level, skin.text))
    reasons.extend(_procedure_reasons(answers, book, waiting_overrides, today))
    for question in answers.skipped:
        rule = book.skipped.get(question)
        if rule and not (question == DAYS_SINCE_PROCEDURE and answers.recent_procedures):
            reasons.append(Reason(f"skipped_{question}", rule.level, rule.text))
    return sorted(reasons, key=lambda r: book.severity(r.level))


def personal_caveats(answers: Answers, book: RuleBook | None = None) -> List[str]:
    """The general caveat first, then one line per answer that changes what to expect."""
    caveats = (book or load_rules()).caveats
    lines = [caveats.general]
    if answers.skin_type in caveats.skin_types:
        lines.append(caveats.skin_types[answers.skin_type])
    lines += [caveats.conditions[c] for c in answers.conditions if c in caveats.conditions]
    lines += [caveats.habits[h] for h in answers.lifestyle if h in caveats.habits]
    lines += [caveats.goals[g] for g in answers.goals if g in caveats.goals]
    return list(dict.fromkeys(lines))


def evaluate(
    answers: Answers,
    book: RuleBook | None = None,
    clinic: Mapping[str, Any] | None = None,
    today: dt.date | None = None,
) -> Result:
    """The outcome is the most severe level any answer triggers; no reason means likely suitable."""
    book = book or load_rules()
    clinic = clinic or {}
    overrides = clinic.get("waiting_days_overrides")
    reasons = collect_reasons(answers, book, overrides, today)
    outcome = reasons[0].level if reasons else LIKELY_SUITABLE
    when = [r.when_possible for r in reasons if r.level == NOT_SUITABLE_NOW and r.when_possible]
    latest = _latest_treatment_wait(answers, book, overrides, today or dt.date.today())
    # Several treatments: the one whose waiting period ends last says when.
    shown = list(dict.fromkeys(when + ([latest] if latest else [])))
    next_step = book.next_steps[outcome].format(
        when=f" ({'; '.join(shown)})" if shown else "",
        emergency_number=clinic.get("emergency_number", "your local emergency number"),
    )
    return Result(
        outcome=outcome,
        reasons=reasons if outcome != LIKELY_SUITABLE else [],
        caveats=[] if outcome == SEEK_URGENT_CARE else personal_caveats(answers, book),
        goals=list(answers.goals),
        next_step=next_step,
        rules_version=book.version,
        extra={"when_possible": shown} if shown else {},
    )
