"""The console's questions of the database: one clinic's conversations, filtered, and its statistics.

Every query starts from the staff member's clinic; filters are bound parameters, never strings
built into SQL.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Tuple

from sqlalchemy import Integer, cast, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from bot.console.indexer import FUNNEL
from bot.storage.models import Conversation, Tag
from bot.vocabulary import OUTCOMES

SORTS = {
    "newest": Conversation.started_at.desc(),
    "oldest": Conversation.started_at.asc(),
    "longest": Conversation.user_messages.desc(),
}
PER_PAGE = 50


def _like(value: str) -> str:
    """A LIKE pattern matching `value` literally (its % and _ escaped)."""
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _day(value: str, end: bool = False) -> float | None:
    try:
        day = dt.datetime.strptime(value, "%Y-%m-%d")
    except (TypeError, ValueError):
        return None
    return (day + dt.timedelta(days=1 if end else 0)).replace(tzinfo=dt.timezone.utc).timestamp()


@dataclass
class Filters:
    date_from: str = ""
    date_to: str = ""
    outcome: str = ""
    red_flag: str = ""  # "yes" | "no" | ""
    reviewed: str = ""
    tag: str = ""
    intent: str = ""
    slot: str = ""  # "conditions=anticoagulants"
    low_confidence: bool = False
    fallback: bool = False
    q: str = ""
    sort: str = "newest"
    page: int = 1
    errors: List[str] = field(default_factory=list)

    @classmethod
    def from_args(cls, args: Mapping[str, Any]) -> Filters:
        def get(name: str) -> str:
            value = args.get(name)
            return str(value).strip()[:200] if value is not None else ""

        filters = cls(
            date_from=get("from"),
            date_to=get("to"),
            outcome=get("outcome"),
            red_flag=get("red_flag"),
            reviewed=get("reviewed"),
            tag=get("tag"),
            intent=get("intent"),
            slot=get("slot"),
            low_confidence=get("low_confidence") == "1",
            fallback=get("fallback") == "1",
            q=get("q"),
            sort=get("sort") or "newest",
        )
        try:
            filters.page = max(1, min(int(get("page") or 1), 100_000))
        except ValueError:
            filters.errors.append("page must be a number")
        if filters.outcome and filters.outcome not in OUTCOMES:
            filters.errors.append("unknown outcome")
            filters.outcome = ""
        if filters.sort not in SORTS:
            filters.sort = "newest"
        for name in ("date_from", "date_to"):
            if getattr(filters, name) and _day(getattr(filters, name)) is None:
                filters.errors.append(f"{name.replace('_', ' ')} must look like 2026-11-26")
                setattr(filters, name, "")
        return filters

    def as_args(self, **override: Any) -> Dict[str, Any]:
        args = {
            "from": self.date_from,
            "to": self.date_to,
            "outcome": self.outcome,
            "red_flag": self.red_flag,
            "reviewed": self.reviewed,
            "tag": self.tag,
            "intent": self.intent,
            "slot": self.slot,
            "low_confidence": "1" if self.low_confidence else "",
            "fallback": "1" if self.fallback else "",
            "q": self.q,
            "sort": self.sort,
            "page": self.page,
        }
        args.update(override)
        return {k: v for k, v in args.items() if v not in ("", None) and not (k == "page" and v == 1)}


def conditions_of(clinic_id: str, f: Filters) -> List[Any]:
    """The WHERE conditions of the clinic's conversations that pass the filters."""
    conditions = [Conversation.clinic_id == clinic_id]
    if f.date_from:
        conditions.append(Conversation.started_at >= _day(f.date_from))
    if f.date_to:
        conditions.append(Conversation.started_at < _day(f.date_to, end=True))
    if f.outcome:
        conditions.append(Conversation.outcome == f.outcome)
    if f.red_flag in ("yes", "no"):
        conditions.append(Conversation.red_flag.is_(f.red_flag == "yes"))
    if f.reviewed in ("yes", "no"):
        conditions.append(Conversation.reviewed.is_(f.reviewed == "yes"))
    if f.tag:
        # From the tag's rows (indexed) to the conversations: not a lookup in the tags per conversation.
        conditions.append(Conversation.sender_id.in_(select(Tag.sender_id).where(Tag.tag == f.tag.lower())))
    if f.intent:
        conditions.append(Conversation.intents.like(_like(f" {f.intent} "), escape="\\"))
    if f.slot:
        conditions.append(Conversation.slot_values.like(_like(f" {f.slot.lower()} "), escape="\\"))
    if f.low_confidence:
        conditions.append(Conversation.low_confidence.is_(True))
    if f.fallback:
        conditions.append(Conversation.fallback.is_(True))
    if f.q:
        conditions.append(Conversation.text.like(_like(f.q), escape="\\"))
    return conditions


def filtered(clinic_id: str, f: Filters) -> Select:
    return select(Conversation).where(*conditions_of(clinic_id, f))


def page_of(db: Session, clinic_id: str, f: Filters) -> Tuple[List[Conversation], int]:
    conditions = conditions_of(clinic_id, f)
    # Counted from the indexes alone (bot/storage/migrations/versions/0011_console_speed.py).
    total = db.execute(select(func.count()).select_from(Conversation).where(*conditions)).scalar_one()
    # The page's keys first, read from an index however far the page is; then only its rows in full.
    keys = [
        sender_id
        for (sender_id,) in db.execute(
            select(Conversation.sender_id)
            .where(*conditions)
            .order_by(SORTS[f.sort], Conversation.sender_id)
            .offset((f.page - 1) * PER_PAGE)
            .limit(PER_PAGE)
        )
    ]
    if not keys:
        return [], total
    found = {
        row.sender_id: row
        for row in db.execute(select(Conversation).where(Conversation.sender_id.in_(keys))).scalars()
    }
    return [found[k] for k in keys if k in found], total


def tags_for(db: Session, sender_ids: List[str]) -> Dict[str, List[str]]:
    found: Dict[str, List[str]] = {s: [] for s in sender_ids}
    # In chunks: an export asks for up to 100,000, past what SQLite takes as parameters of one query.
    for start in range(0, len(sender_ids), 10_000):
        chunk = sender_ids[start : start + 10_000]
        for sender_id, tag in db.execute(select(Tag.sender_id, Tag.tag).where(Tag.sender_id.in_(chunk))):
            found[sender_id].append(tag)
    return found


def _epoch_day(db: Session, seconds: Any) -> Any:
    """The UTC day of an epoch-seconds column, as days since 1970-01-01 (floor; SQLite's CAST truncates,
    the same for the positive times stored, and PostgreSQL's rounds)."""
    if db.get_bind().dialect.name == "sqlite":
        return cast(seconds / 86400, Integer)
    return func.floor(seconds / 86400)


def dashboard(db: Session, clinic_id: str, days: int = 30) -> Dict[str, Any]:
    """Conversations per day, outcome mix, most asked questions, fallback rate, the drop-out funnel."""
    since = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days)).timestamp()
    day = _epoch_day(db, Conversation.started_at)
    # Counted in the database, by every combination of what the charts need (a few hundred groups at
    # most), rather than a Python loop over each conversation of the last 30 days.
    groups = db.execute(
        select(
            day,
            Conversation.outcome,
            Conversation.intents,
            Conversation.fallback,
            Conversation.furthest_step,
            func.count(),
        )
        .where(Conversation.clinic_id == clinic_id, Conversation.started_at >= since)
        .group_by(
            day, Conversation.outcome, Conversation.intents, Conversation.fallback, Conversation.furthest_step
        )
    ).all()
    per_day: Counter = Counter()
    outcomes: Counter = Counter()
    questions: Counter = Counter()
    steps: Counter = Counter()
    fallbacks = total = 0
    epoch = dt.date(1970, 1, 1)
    for day_number, outcome, intents, fallback, step, count in groups:
        total += count
        per_day[(epoch + dt.timedelta(days=int(day_number))).isoformat()] += count
        if outcome:
            outcomes[outcome] += count
        for intent in intents.split():
            if intent.startswith("faq/") or intent in ("ask_benefit", "ask_benefits_overview"):
                questions[intent] += count
        fallbacks += count if fallback else 0
        if step in FUNNEL:
            steps[step] += count
    reached = []
    for index, step in enumerate(FUNNEL):
        reached.append((step, sum(steps[s] for s in FUNNEL[index:])))
    today = dt.datetime.now(dt.timezone.utc).date()
    days_list = [(today - dt.timedelta(days=n)).isoformat() for n in range(days - 1, -1, -1)]
    return {
        "total": total,
        "per_day": [(day, per_day[day]) for day in days_list],
        "outcomes": [(o, outcomes[o]) for o in OUTCOMES],
        "questions": questions.most_common(10),
        "fallback_rate": fallbacks / total if total else 0.0,
        "funnel": reached,
    }
