"""Synthetic data for the safety queue's newer parts (called by `cli synth`, bot/console/synthetic.py):
callback requests on consenting conversations, and a few items per clinic fresh enough to be new or due
soon, so that the queue shows every level and kind and the clinic's notifications have work to do.

Contact details are from ranges kept for fiction: Ofcom's 07700 900xxx drama numbers, example.com.
"""

from __future__ import annotations

import datetime as dt
import random
import time
import uuid
from typing import Any, Dict, List, Tuple

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from bot.console import callbacks, indexer
from bot.console.events_table import event_row, slot_event, user_event
from bot.storage import changes
from bot.storage.models import CallbackRequest, Conversation

CALLBACK_SHARE = 0.05  # of consenting conversations
PREFERRED = (None, None, "morning", "afternoon", "evening")
# (what happened, minutes ago, asks for a callback): due soon, just in, and one clearance that asked.
FRESH: Tuple[Tuple[str, float, bool], ...] = (
    ("self_harm", 40, False),
    ("facial_droop", 10, False),
    ("clearance", 90, True),
)


def fresh_count(count: int, clinics: List[str]) -> int:
    """How many of `synth`'s `count` conversations are the fresh ones (so the count stays the count)."""
    return min(count, len(FRESH) * len(clinics))


def add(
    db: Session, rng: random.Random, clinics: List[str], limit: int, now: float | None = None
) -> Dict[str, int]:
    """Up to `limit` fresh items over the clinics, then callback requests; returns what was added."""
    now = time.time() if now is None else now
    senders: List[str] = []
    asked: List[str] = []
    rows: List[Dict[str, Any]] = []
    fresh = [(clinic, *entry) for clinic in clinics for entry in FRESH][:limit]
    if fresh:
        for clinic, what, minutes, wants_callback in fresh:
            sender = uuid.UUID(int=rng.getrandbits(128)).hex
            senders.append(sender)
            if wants_callback:
                asked.append(sender)
            rows += [event_row(sender, e) for e in _fresh_events(what, now - minutes * 60, clinic)]
        db.execute(insert(indexer.EVENTS), rows)
        changes.mark_changed(db.connection(), senders)
        db.commit()
        indexer.refresh(db)
    made = add_callbacks(db, rng, clinics, now, always=asked)
    db.commit()
    return {"fresh": len(senders), "callbacks": made}


def add_callbacks(
    db: Session, rng: random.Random, clinics: List[str], now: float, always: List[str] = ()
) -> int:
    """Callback requests on a share of the consenting conversations (and on `always`); the older ones
    resolved, as a clinic would have."""
    kept = db.execute(
        select(Conversation.sender_id, Conversation.clinic_id, Conversation.last_at)
        .where(Conversation.clinic_id.in_(clinics), Conversation.consent.is_(True))
        .order_by(Conversation.sender_id)
    ).all()
    made = 0
    for sender, clinic, last_at in kept:
        if sender not in always and rng.random() >= CALLBACK_SHARE:
            continue
        if rng.random() < 0.6:
            kind, contact = "phone", f"07700 900{rng.randrange(1000):03d}"
        else:
            kind, contact = "email", f"visitor{rng.randrange(100000)}@example.com"
        asked_at = min(now, last_at + rng.uniform(60, 1200))
        form = callbacks.CallbackForm(sender, clinic, kind, contact, rng.choice(PREFERRED))
        request, _ = callbacks.store(db, form, now=asked_at)
        if asked_at < now - 2 * 86400 and rng.random() < 0.8:
            _resolve(request, asked_at + rng.uniform(3600, 86400))
        made += 1
    return made


def _resolve(request: CallbackRequest, at: float) -> None:
    when = dt.datetime.fromtimestamp(at, dt.timezone.utc).replace(tzinfo=None)
    request.claimed_by = request.resolved_by = "synthetic@clinic.example"
    request.claimed_at = request.resolved_at = when
    request.action, request.note = "called_back", "Synthetic: called back, booked a consultation."


def _fresh_events(what: str, t: float, clinic: str) -> List[Dict[str, Any]]:
    events = [user_event("hi", t - 60, "greet", clinic)]
    if what == "clearance":
        events += [
            user_event("yes", t - 50, "affirm", clinic),
            slot_event("consent", True, t - 49),
            user_event("I take warfarin", t - 30, "inform", clinic),
            slot_event("conditions", ["anticoagulants"], t - 29),
            slot_event("screening_outcome", "needs_medical_clearance", t),
        ]
        return events
    text = {
        "self_harm": "i keep thinking about hurting myself",
        "facial_droop": "my face is drooping on one side",
    }
    entity = {"entity": "red_flag", "value": what}
    events += [
        user_event(text[what], t, "report_symptom", clinic, (entity,)),
        slot_event("red_flags", [what], t + 0.1),
        slot_event("screening_outcome", "seek_urgent_care", t + 0.2),
    ]
    return events
