"""The console's questions of the database: one clinic's conversations, filtered, and its statistics.

Every query starts from the staff member's clinic; filters are bound parameters, never strings
built into SQL.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Tuple

from sqlalchemy import and_, exists, func, select
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


def filtered(clinic_id: str, f: Filters) -> Select:
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
        conditions.append(
            exists().where(and_(Tag.sender_id == Conversation.sender_id, Tag.tag == f.tag.lower()))
        )
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
    return select(Conversation).where(*conditions)


def page_of(db: Session, clinic_id: str, f: Filters) -> Tuple[List[Conversation], int]:
    query = filtered(clinic_id, f)
    total = db.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = (
        db.execute(
            query.order_by(SORTS[f.sort], Conversation.sender_id)
            .offset((f.page - 1) * PER_PAGE)
            .limit(PER_PAGE)
        )
        .scalars()
        .all()
    )
    return list(rows), total


def tags_for(db: Session, sender_ids: List[str]) -> Dict[str, List[str]]:
    found: Dict[str, List[str]] = {s: [] for s in sender_ids}
    if sender_ids:
        for sender_id, tag in db.execute(select(Tag.sender_id, Tag.tag).where(Tag.sender_id.in_(sender_ids))):
            found[sender_id].append(tag)
    return found


def dashboard(db: Session, clinic_id: str, days: int = 30) -> Dict[str, Any]:
    """Conversations per day, outcome mix, most asked questions, fallback rate, the drop-out funnel."""
    since = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days)).timestamp()
    base = [Conversation.clinic_id == clinic_id, Conversation.started_at >= since]
    rows = db.execute(
        select(
            Conversation.started_at,
            Conversation.outcome,
            Conversation.intents,
            Conversation.fallback,
            Conversation.furthest_step,
        ).where(*base)
    ).all()
    per_day: Counter = Counter()
    outcomes: Counter = Counter()
    questions: Counter = Counter()
    steps: Counter = Counter()
    fallbacks = 0
    for started, outcome, intents, fallback, step in rows:
        per_day[dt.datetime.fromtimestamp(started, dt.timezone.utc).date().isoformat()] += 1
        if outcome:
            outcomes[outcome] += 1
        for intent in intents.split():
            if intent.startswith("faq/") or intent in ("ask_benefit", "ask_benefits_overview"):
                questions[intent] += 1
        fallbacks += bool(fallback)
        if step in FUNNEL:
            steps[step] += 1
    reached = []
    for index, step in enumerate(FUNNEL):
        reached.append((step, sum(steps[s] for s in FUNNEL[index:])))
    today = dt.datetime.now(dt.timezone.utc).date()
    days_list = [(today - dt.timedelta(days=n)).isoformat() for n in range(days - 1, -1, -1)]
    return {
        "total": len(rows),
        "per_day": [(day, per_day[day]) for day in days_list],
        "outcomes": [(o, outcomes[o]) for o in OUTCOMES],
        "questions": questions.most_common(10),
        "fallback_rate": fallbacks / len(rows) if rows else 0.0,
        "funnel": reached,
    }
