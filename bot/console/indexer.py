"""The conversation index: Rasa's `events` rows summarised into one `console_conversations` row each.

Filters on tens of thousands of conversations must not parse JSON per request, so each
conversation is summarised once, and again only when new events arrive (found by event id, which
only grows).
"""

from __future__ import annotations

import json
from typing import Any, Dict, Iterable, List

from sqlalchemy import column, delete, func, select, table
from sqlalchemy.orm import Session

from bot.clinic import DEFAULT_CLINIC
from bot.storage.models import Conversation, Note, Tag

EVENTS = table(
    "events",
    column("id"),
    column("sender_id"),
    column("type_name"),
    column("timestamp"),
    column("intent_name"),
    column("action_name"),
    column("data"),
)
QUESTION_INTENTS = ("faq", "ask_benefit", "ask_benefits_overview")
LOW_CONFIDENCE = 0.6
# The drop-out funnel, in the order the form asks.
FUNNEL = (
    "greeted",
    "consented",
    "skin_type",
    "conditions",
    "recent_procedures",
    "lifestyle",
    "goals",
    "answers_confirmed",
    "result",
)
SLOT_STEPS = ("skin_type", "conditions", "recent_procedures", "lifestyle", "goals", "answers_confirmed")
INDEXED_SLOTS = (
    "skin_type",
    "conditions",
    "recent_procedures",
    "lifestyle",
    "goals",
    "screening_outcome",
    "consent",
)
MAX_TEXT = 20_000


def summarise(sender_id: str, events: Iterable[Dict[str, Any]]) -> Dict[str, Any] | None:
    """The index fields for one conversation's events (dicts as Rasa stores them)."""
    events = list(events)
    if not events:
        return None
    slots: Dict[str, Any] = {}
    intents: List[str] = []
    texts: List[str] = []
    first_question = None
    clinic = channel = None
    low_confidence = fallback = red_flag = False
    user_messages = 0
    for event in events:
        kind = event.get("event")
        if kind == "user":
            user_messages += 1
            text = event.get("text") or ""
            texts.append(text)
            parse = event.get("parse_data") or {}
            intent = parse.get("intent") or {}
            name = intent.get("full_retrieval_intent_name") or intent.get("name") or ""
            if name:
                intents.append(name)
            if name.split("/")[0] in QUESTION_INTENTS and first_question is None:
                first_question = text[:500]
            if name == "nlu_fallback":
                fallback = True
            if name == "report_symptom":
                red_flag = True
            if (intent.get("confidence") or 1.0) < LOW_CONFIDENCE and not text.startswith("/"):
                low_confidence = True
            metadata = event.get("metadata") or {}
            clinic = clinic or metadata.get("clinic")
            channel = channel or event.get("input_channel")
        elif kind == "slot":
            slots[event.get("name")] = event.get("value")
        elif kind == "action" and event.get("name") == "action_default_fallback":
            fallback = True
    if slots.get("red_flags"):
        red_flag = True
    furthest = "greeted"
    if slots.get("consent") is True:
        furthest = "consented"
        for step in SLOT_STEPS:
            if slots.get(step) not in (None, "__unrecognised__"):
                furthest = step
    if slots.get("screening_outcome"):
        furthest = "result"
    pairs = []
    for slot in INDEXED_SLOTS:
        value = slots.get(slot)
        for item in value if isinstance(value, list) else [value]:
            if item is not None:
                pairs.append(f"{slot}={str(item).lower()}")
    timestamps = [e.get("timestamp") or 0 for e in events]
    return {
        "sender_id": sender_id,
        "clinic_id": str(clinic or slots.get("clinic_id") or DEFAULT_CLINIC)[:64],
        "started_at": min(timestamps),
        "last_at": max(timestamps),
        "channel": channel,
        "consent": slots.get("consent") if isinstance(slots.get("consent"), bool) else None,
        "outcome": slots.get("screening_outcome"),
        "red_flag": red_flag,
        "user_messages": user_messages,
        "first_question": first_question,
        "intents": " " + " ".join(sorted(set(intents))) + " ",
        "slot_values": " " + " ".join(pairs) + " ",
        "low_confidence": low_confidence,
        "fallback": fallback,
        "furthest_step": furthest,
        "text": "\n".join(texts)[:MAX_TEXT],
    }


def load_events(db: Session, sender_id: str) -> List[Dict[str, Any]]:
    rows = db.execute(select(EVENTS.c.data).where(EVENTS.c.sender_id == sender_id).order_by(EVENTS.c.id))
    return [json.loads(data) for (data,) in rows]


def refresh(db: Session, limit: int = 5000, chunk: int = 500) -> int:
    """Index conversations with events newer than the newest indexed one; returns how many."""
    watermark = db.execute(select(func.coalesce(func.max(Conversation.last_event_id), 0))).scalar_one()
    changed = dict(
        db.execute(
            select(EVENTS.c.sender_id, func.max(EVENTS.c.id))
            .where(EVENTS.c.id > watermark)
            .group_by(EVENTS.c.sender_id)
            .limit(limit)
        ).all()
    )
    senders = list(changed)
    for start in range(0, len(senders), chunk):
        batch = senders[start : start + chunk]
        grouped: Dict[str, List[Dict[str, Any]]] = {s: [] for s in batch}
        rows = db.execute(
            select(EVENTS.c.sender_id, EVENTS.c.data)
            .where(EVENTS.c.sender_id.in_(batch))
            .order_by(EVENTS.c.id)
        )
        for sender_id, data in rows:
            grouped[sender_id].append(json.loads(data))
        existing = {
            c.sender_id: c
            for c in db.execute(select(Conversation).where(Conversation.sender_id.in_(batch))).scalars()
        }
        for sender_id, events in grouped.items():
            fields = summarise(sender_id, events)
            if fields is None:
                continue
            row = existing.get(sender_id)
            if row is None:
                db.add(Conversation(**fields, reviewed=False, last_event_id=changed[sender_id]))
            else:
                for key, value in fields.items():
                    setattr(row, key, value)
                row.last_event_id = changed[sender_id]
        db.flush()
    return len(senders)


def forget(db: Session, sender_id: str) -> None:
    """Remove a conversation everywhere: Rasa's events and the console's rows."""
    db.execute(delete(EVENTS).where(EVENTS.c.sender_id == sender_id))
    forget_console_rows(db, sender_id)


def forget_console_rows(db: Session, sender_id: str) -> None:
    db.execute(delete(Tag).where(Tag.sender_id == sender_id))
    db.execute(delete(Note).where(Note.sender_id == sender_id))
    db.execute(delete(Conversation).where(Conversation.sender_id == sender_id))
