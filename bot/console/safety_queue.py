"""The safety queue: conversations staff must follow up, most urgent first, each with a due-by.

A conversation is an item when it saw a red flag (self-harm above all others), ended in
`seek_urgent_care`, or ended in `needs_medical_clearance`. The indexer opens or refreshes an item each
time it indexes the conversation (`sync`); staff claim and resolve it in the console. The due-by is
counted in clock hours from the conversation's last message, per level, from the clinic's settings
(`safety_queue:` in data/clinics/<clinic>.yml). A due-by is never moved later; a resolved item is
reopened only when the conversation became more severe than the level it was resolved at.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Dict, List, Tuple

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from bot.clinic import ClinicSettingsError, load_clinic
from bot.console import auth
from bot.storage.models import AuditEntry, Conversation, SafetyQueueItem

SELF_HARM = "self_harm"
RED_FLAG = "red_flag"
CLEARANCE = "clearance"
LEVELS = (SELF_HARM, RED_FLAG, CLEARANCE)  # most severe first
DEFAULT_HOURS = {SELF_HARM: 1.0, RED_FLAG: 4.0, CLEARANCE: 48.0}
ACTIONS = ("called_back", "emailed", "no_contact_details", "duplicate", "not_needed", "other")
MAX_NOTE = 4000


def level_of(row: Conversation) -> str | None:
    """The queue level an indexed conversation calls for, or None."""
    if f" {SELF_HARM} " in (row.red_flags or ""):
        return SELF_HARM
    if row.red_flag or row.outcome == "seek_urgent_care":
        return RED_FLAG
    if row.outcome == "needs_medical_clearance":
        return CLEARANCE
    return None


def due_hours(clinic_id: str) -> Dict[str, float]:
    """Hours to follow up, per level: the clinic's `safety_queue` settings over the defaults."""
    try:
        settings = load_clinic(clinic_id).get("safety_queue") or {}
    except (ClinicSettingsError, OSError):
        settings = {}
    hours = dict(DEFAULT_HOURS)
    if isinstance(settings, dict):
        for level in LEVELS:
            value = settings.get(f"{level}_hours")
            if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
                hours[level] = float(value)
    return hours


def _severity(level: str | None) -> int:
    return LEVELS.index(level) if level in LEVELS else len(LEVELS)


def sync(db: Session, row: Conversation) -> None:
    """Open or refresh the conversation's item (called by the indexer after it indexed `row`)."""
    level = level_of(row)
    item = db.get(SafetyQueueItem, row.sender_id)
    if level is None:
        if item is not None:
            item.clinic_id = row.clinic_id
        return  # a conversation never loses its item: staff close it
    due = float(row.last_at) + due_hours(row.clinic_id)[level] * 3600
    if item is None:
        db.add(SafetyQueueItem(sender_id=row.sender_id, clinic_id=row.clinic_id, level=level, due_at=due))
        return
    item.clinic_id = row.clinic_id
    more_severe = _severity(level) < _severity(item.level)
    if item.resolved_at is not None:
        if not more_severe:
            return
        db.add(
            AuditEntry(
                at=auth.now(),
                actor="indexer",
                clinic_id=row.clinic_id,
                action="queue_reopen",
                target=row.sender_id,
                detail=f"{item.level} -> {level}",
            )
        )
        item.claimed_by = item.claimed_at = item.resolved_by = item.resolved_at = None
        item.action = item.note = None
        item.level, item.due_at = level, due
        return
    if more_severe:
        item.level = level
        item.due_at = min(item.due_at, due)


@dataclass
class QueueRow:
    item: SafetyQueueItem
    conversation: Conversation
    overdue: bool


def open_items(db: Session, clinic_id: str, now: float | None = None) -> List[QueueRow]:
    """The clinic's open items: self-harm, then red flag, then clearance; oldest first within each."""
    now = time.time() if now is None else now
    rank = case({level: i for i, level in enumerate(LEVELS)}, value=SafetyQueueItem.level, else_=len(LEVELS))
    rows = db.execute(
        select(SafetyQueueItem, Conversation)
        .join(Conversation, Conversation.sender_id == SafetyQueueItem.sender_id)
        .where(SafetyQueueItem.clinic_id == clinic_id, SafetyQueueItem.resolved_at.is_(None))
        .order_by(rank, Conversation.last_at, SafetyQueueItem.sender_id)
    ).all()
    return [QueueRow(item, conversation, item.due_at < now) for item, conversation in rows]


def counts(db: Session, clinic_id: str, now: float | None = None) -> Tuple[int, int]:
    """(open items, overdue items) of the clinic, for the console's header."""
    now = time.time() if now is None else now
    total, overdue = db.execute(
        select(
            func.count(),
            func.coalesce(func.sum(case((SafetyQueueItem.due_at < now, 1), else_=0)), 0),
        ).where(SafetyQueueItem.clinic_id == clinic_id, SafetyQueueItem.resolved_at.is_(None))
    ).one()
    return int(total), int(overdue)


def item_or_none(db: Session, clinic_id: str, sender_id: str) -> SafetyQueueItem | None:
    return db.execute(
        select(SafetyQueueItem).where(
            SafetyQueueItem.sender_id == sender_id, SafetyQueueItem.clinic_id == clinic_id
        )
    ).scalar_one_or_none()
