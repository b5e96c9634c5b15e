"""How soon staff first reviewed each safety-queue level: the dashboard's time to first review."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from typing import Any, Dict, List

from sqlalchemy import and_, func, not_, select
from sqlalchemy.orm import Session

from bot.console.safety_queue import CALLBACK, LABELS, LEVELS
from bot.storage.models import CallbackRequest, Conversation, SafetyQueueItem


@dataclass(frozen=True)
class ReviewTimes:
    level: str
    label: str
    reviewed: int  # items claimed or resolved
    waiting: int  # items nobody has touched yet
    median_hours: float | None
    p90_hours: float | None


def _epoch(moment: dt.datetime) -> float:
    # The console stores claim and resolve times as naive UTC (bot.console.auth.now).
    return moment.replace(tzinfo=dt.timezone.utc).timestamp()


def _first_review(claimed_at: dt.datetime | None, resolved_at: dt.datetime | None) -> dt.datetime | None:
    return min((m for m in (claimed_at, resolved_at) if m is not None), default=None)


def review_times(db: Session, clinic_id: str) -> List[ReviewTimes]:
    """Per level, most severe first: hours from the start of the item's clock (the visitor's last
    message, or their callback request) to its first claim or resolve, for the items so reviewed."""
    hours: Dict[str, List[float]] = {level: [] for level in LEVELS}
    waiting: Dict[str, int] = {level: 0 for level in LEVELS}
    # The items nobody has touched are only counted (in the database: most of a large queue); the
    # others are read, only the columns the figures need.
    items = (
        select(
            SafetyQueueItem.level,
            SafetyQueueItem.claimed_at,
            SafetyQueueItem.resolved_at,
            Conversation.last_at,
        )
        .join(Conversation, Conversation.sender_id == SafetyQueueItem.sender_id)
        .where(SafetyQueueItem.clinic_id == clinic_id)
    )
    untouched = _untouched(SafetyQueueItem)
    # Counted without the join: every item belongs to a conversation (a cascading foreign key), and the
    # join made the count of a large untouched queue about five times slower (47 -> 10 ms at 22,000).
    counted = select(SafetyQueueItem.level, func.count()).where(
        SafetyQueueItem.clinic_id == clinic_id, untouched
    )
    for level, count in db.execute(counted.group_by(SafetyQueueItem.level)):
        if level in waiting:
            waiting[level] += count
    for level, claimed_at, resolved_at, last_at in db.execute(items.where(not_(untouched))):
        _count(hours, waiting, level, _first_review(claimed_at, resolved_at), float(last_at))
    callbacks = select(
        CallbackRequest.claimed_at, CallbackRequest.resolved_at, CallbackRequest.created_at
    ).where(CallbackRequest.clinic_id == clinic_id)
    untouched = _untouched(CallbackRequest)
    waiting[CALLBACK] += db.execute(callbacks.with_only_columns(func.count()).where(untouched)).scalar_one()
    for claimed_at, resolved_at, created_at in db.execute(callbacks.where(not_(untouched))):
        _count(hours, waiting, CALLBACK, _first_review(claimed_at, resolved_at), created_at)
    return [
        ReviewTimes(
            level=level,
            label=LABELS.get(level, level),
            reviewed=len(hours[level]),
            waiting=waiting[level],
            median_hours=round(statistics.median(hours[level]), 2) if hours[level] else None,
            p90_hours=round(_percentile(hours[level], 0.9), 2) if hours[level] else None,
        )
        for level in LEVELS
    ]


def _untouched(model: Any) -> Any:
    return and_(model.claimed_at.is_(None), model.resolved_at.is_(None))


def _count(hours: Dict[str, List[float]], waiting: Dict[str, int], level: str, first, since: float) -> None:
    if level not in hours:
        return
    if first is None:
        waiting[level] += 1
    else:
        hours[level].append(max(_epoch(first) - since, 0.0) / 3600)


def _percentile(values: List[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with at least `share` of the values at or below it."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))  # ceil without floats drifting
    return ordered[int(rank) - 1]
