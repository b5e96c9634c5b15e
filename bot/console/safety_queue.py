"""The safety queue: conversations staff must follow up, most urgent first, each with a due-by.

A conversation is an item when it saw a red flag (self-harm above all others), ended in
`seek_urgent_care`, or ended in `needs_medical_clearance`. The indexer opens or refreshes an item each
time it indexes the conversation (`sync`); staff claim and resolve it in the console. A visitor's
callback request (bot/console/callbacks.py) is an item of its own, ranked after the others.

The due-by is counted from the conversation's last message, per level, from the clinic's settings
(`safety_queue:`, `hours:` and `time_zone:` in data/clinics/<clinic>.yml): self-harm in clock hours,
day or night; the others only while the clinic is open (bot/opening_hours.py). A due-by is never moved
later; a resolved item is reopened only when the conversation became more severe than the level it
was resolved at. A new self-harm or red-flag item is notified to the clinic (bot/console/notifications.py).
"""

from __future__ import annotations

import logging
import secrets
import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Dict, List, Tuple

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from bot.clinic import QUEUE_DEADLINES, ClinicSettingsError, own_settings, queue_deadlines_of, schedule_of
from bot.console import notifications
from bot.console.audit_trail import record
from bot.opening_hours import Deadline, Schedule, always_open, due_by, local_time
from bot.storage.models import CallbackRequest, Conversation, SafetyQueueItem
from bot.vocabulary import NEEDS_MEDICAL_CLEARANCE, SEEK_URGENT_CARE

SELF_HARM = "self_harm"
RED_FLAG = "red_flag"
CLEARANCE = "clearance"
CALLBACK = "callback"  # a visitor asked to be called back: no risk of its own, so ranked last
LEVELS = (SELF_HARM, RED_FLAG, CLEARANCE, CALLBACK)  # most severe first; bot.clinic.QUEUE_DEADLINES too
LABELS = notifications.LEVEL_LABELS
ACTIONS = ("called_back", "emailed", "no_contact_details", "duplicate", "not_needed", "other")
MAX_NOTE = 4000

logger = logging.getLogger(__name__)
Item = notifications.Item  # a safety-queue item or a callback request


def level_of(row: Conversation) -> str | None:
    """The queue level an indexed conversation calls for, or None."""
    if f" {SELF_HARM} " in (row.red_flags or ""):
        return SELF_HARM
    if row.red_flag or row.outcome == SEEK_URGENT_CARE:
        return RED_FLAG
    if row.outcome == NEEDS_MEDICAL_CLEARANCE:
        return CLEARANCE
    return None


@dataclass(frozen=True)
class Timing:
    """How a clinic's items are timed: its opening hours and each level's deadline."""

    schedule: Schedule
    deadlines: Dict[str, Deadline]

    def due(self, start: float, level: str) -> float:
        return due_by(start, self.deadlines[level], self.schedule)

    def local(self, ts: float) -> str:
        return local_time(ts, self.schedule)


@lru_cache(maxsize=256)
def timing(clinic_id: str) -> Timing:
    """The clinic's timing from its own settings file. Without one (or with one that cannot be read,
    which load_clinic reports), the defaults in clock hours: earlier due-bys, never later ones."""
    try:
        clinic = own_settings(clinic_id)
    except (ClinicSettingsError, OSError):
        logger.exception("clinic %s: settings unreadable; its queue counts in clock hours", clinic_id)
        clinic = None
    if clinic is None:
        return Timing(always_open("UTC"), dict(QUEUE_DEADLINES))
    return Timing(schedule_of(clinic), queue_deadlines_of(clinic))


def new_ref() -> str:
    return secrets.token_hex(8)


def _severity(level: str | None) -> int:
    return LEVELS.index(level) if level in LEVELS else len(LEVELS)


def sync(db: Session, row: Conversation, known: Dict[str, SafetyQueueItem] | None = None) -> None:
    """Open or refresh the conversation's item (called by the indexer after it indexed `row`). `known`:
    the items of the indexer's batch, already loaded (a conversation not in it has none)."""
    level = level_of(row)
    item = db.get(SafetyQueueItem, row.sender_id) if known is None else known.get(row.sender_id)
    if level is None:
        if item is not None:
            item.clinic_id = row.clinic_id
        return  # a conversation never loses its item: staff close it
    due = timing(row.clinic_id).due(float(row.last_at), level)
    if item is None:
        item = SafetyQueueItem(
            sender_id=row.sender_id, clinic_id=row.clinic_id, ref=new_ref(), level=level, due_at=due
        )
        db.add(item)
        _opened(db, item, row)
        return
    item.clinic_id = row.clinic_id
    item.ref = item.ref or new_ref()
    more_severe = _severity(level) < _severity(item.level)
    if item.resolved_at is not None:
        if not more_severe:
            return
        record(db, "indexer", row.clinic_id, "queue_reopen", row.sender_id, f"{item.level} -> {level}")
        item.claimed_by = item.claimed_at = item.resolved_by = item.resolved_at = None
        item.action = item.note = None
        item.level, item.due_at = level, due
        _opened(db, item, row)
        return
    if more_severe:
        item.level = level
        item.due_at = min(item.due_at, due)
        _opened(db, item, row)


def _opened(db: Session, item: SafetyQueueItem, row: Conversation) -> None:
    """An item is new at its level: tell the clinic when the level calls for it."""
    notifications.record_new(db, item, last_at=float(row.last_at))


@dataclass
class QueueRow:
    item: Item
    conversation: Conversation | None  # None: a callback whose conversation is not indexed yet
    overdue: bool
    callbacks: List[CallbackRequest] = field(default_factory=list)  # the conversation's open requests

    @property
    def is_callback(self) -> bool:
        return isinstance(self.item, CallbackRequest)

    @property
    def since(self) -> float:
        """When the item's clock started: the visitor's last message, or when they asked for a call."""
        if self.is_callback:
            return self.item.created_at
        return self.conversation.last_at


def open_items(db: Session, clinic_id: str, now: float | None = None) -> List[QueueRow]:
    """The clinic's open items: self-harm, then red flag, then clearance, then callback requests;
    oldest first within each. A conversation's open callback request shows on its item too."""
    now = time.time() if now is None else now
    rows = db.execute(
        select(SafetyQueueItem, Conversation)
        .join(Conversation, Conversation.sender_id == SafetyQueueItem.sender_id)
        .where(SafetyQueueItem.clinic_id == clinic_id, SafetyQueueItem.resolved_at.is_(None))
    ).all()
    requests = db.execute(
        select(CallbackRequest, Conversation)
        .outerjoin(Conversation, Conversation.sender_id == CallbackRequest.sender_id)
        .where(CallbackRequest.clinic_id == clinic_id, CallbackRequest.resolved_at.is_(None))
    ).all()
    by_sender: Dict[str, List[CallbackRequest]] = {}
    for request, _ in requests:
        by_sender.setdefault(request.sender_id, []).append(request)
    queue = [QueueRow(item, c, item.due_at < now, by_sender.get(item.sender_id, [])) for item, c in rows]
    queue += [QueueRow(request, c, request.due_at < now, [request]) for request, c in requests]
    queue.sort(key=lambda r: (_severity(r.item.level), r.since, r.item.sender_id))
    return queue


def counts(db: Session, clinic_id: str, now: float | None = None) -> Tuple[int, int]:
    """(open items, overdue items) of the clinic, callback requests included, for the console's header."""
    now = time.time() if now is None else now
    total = overdue = 0
    for model in (SafetyQueueItem, CallbackRequest):
        waiting, late = db.execute(
            select(
                func.count(),
                func.coalesce(func.sum(case((model.due_at < now, 1), else_=0)), 0),
            ).where(model.clinic_id == clinic_id, model.resolved_at.is_(None))
        ).one()
        total, overdue = total + int(waiting), overdue + int(late)
    return total, overdue


def item_or_none(db: Session, clinic_id: str, sender_id: str) -> SafetyQueueItem | None:
    return db.execute(
        select(SafetyQueueItem).where(
            SafetyQueueItem.sender_id == sender_id, SafetyQueueItem.clinic_id == clinic_id
        )
    ).scalar_one_or_none()


def callback_or_none(db: Session, clinic_id: str, ref: str) -> CallbackRequest | None:
    return db.execute(
        select(CallbackRequest).where(CallbackRequest.ref == ref, CallbackRequest.clinic_id == clinic_id)
    ).scalar_one_or_none()


def by_ref(db: Session, clinic_id: str, ref: str) -> Item | None:
    """The clinic's item (a conversation's or a callback request) with this ref, as in notifications."""
    item = db.execute(
        select(SafetyQueueItem).where(SafetyQueueItem.ref == ref, SafetyQueueItem.clinic_id == clinic_id)
    ).scalar_one_or_none()
    return item if item is not None else callback_or_none(db, clinic_id, ref)
