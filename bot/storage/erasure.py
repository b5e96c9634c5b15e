"""Erase one conversation everywhere it is stored: Rasa's events, the console's rows, the audit trail.

Used by the tracker store (a visitor's "delete my data") and by the console (staff delete, retention).
Leaves a tombstone (bot/storage/changes.py) so that neither a message still in flight nor an indexer
run brings the conversation back.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import column, delete, inspect, table, update
from sqlalchemy.orm import Session

from bot.storage import changes, tracker_window
from bot.storage.models import (
    AuditEntry,
    CallbackRequest,
    Conversation,
    NluLabel,
    Note,
    Notification,
    RevealGrant,
    SafetyQueueItem,
    Tag,
    Verdict,
)

EVENTS = table("events", column("sender_id"))
REDACTED = "(erased)"


def forget_console_rows(db: Session, sender_id: str) -> None:
    # A visitor's callback request (their phone or email) goes with the conversation; so do the records
    # of notifications about it. Checked first: the tracker store may run before the web app migrated.
    present = inspect(db.connection()).get_table_names()
    for model in (CallbackRequest, Notification):
        if model.__tablename__ in present:
            db.execute(delete(model).where(model.sender_id == sender_id))
    db.execute(delete(Tag).where(Tag.sender_id == sender_id))
    db.execute(delete(Note).where(Note.sender_id == sender_id))
    db.execute(delete(SafetyQueueItem).where(SafetyQueueItem.sender_id == sender_id))
    db.execute(delete(Verdict).where(Verdict.sender_id == sender_id))
    db.execute(delete(NluLabel).where(NluLabel.sender_id == sender_id))
    db.execute(delete(RevealGrant).where(RevealGrant.sender_id == sender_id))
    db.execute(delete(Conversation).where(Conversation.sender_id == sender_id))
    # The audit trail keeps that something happened, not to whom or what was written.
    db.execute(update(AuditEntry).where(AuditEntry.target == sender_id).values(target=REDACTED, detail=None))


def erase(db: Session, sender_id: str, tombstone: bool = True) -> int:
    """Delete the conversation's events and console rows, and (unless it goes on, as after consent is
    withdrawn) leave a tombstone. Returns how many events were removed."""
    bind = db.get_bind()
    removed = db.execute(delete(EVENTS).where(EVENTS.c.sender_id == sender_id)).rowcount or 0
    if inspect(bind).has_table(Conversation.__tablename__):
        forget_console_rows(db, sender_id)
    tracker_window.forget(db.connection(), sender_id)
    if tombstone:
        changes.tombstone(db.connection(), sender_id)
    else:
        changes.forget(db.connection(), sender_id)
    return removed


def record_consent_change(db: Session, tracker: Any, what: str) -> None:
    """An audit line that a visitor changed their mind about consent: the clinic, when and what, never
    who (no sender id, no words), so the console's audit log tells the truth without keeping them."""
    if not inspect(db.get_bind()).has_table(AuditEntry.__tablename__):
        return
    clinic = str(tracker.get_slot("clinic_id") or "") or "-"
    db.add(
        AuditEntry(
            at=dt.datetime.utcnow(), actor="visitor", clinic_id=clinic[:64], action="consent", detail=what
        )
    )
