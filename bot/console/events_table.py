"""Rasa's events table for the console's own writers (synthetic data, tests): create it when a console
command runs before Rasa first has, and write events as rows as the tracker store does."""

from __future__ import annotations

import json
from typing import Any, Dict, Sequence

from bot.storage import changes


def ensure_events_table() -> None:
    """Rasa creates `events` when it first starts; the console commands may run before that."""
    from bot.console.db import engine
    from bot.rasa_compat import SQLTrackerStore

    SQLTrackerStore.Base.metadata.create_all(engine())
    changes.ensure_tables(engine())


def event_row(sender_id: str, event: Dict[str, Any]) -> Dict[str, Any]:
    """`event` as a row of `events` (bot/console/indexer.py's EVENTS), as the tracker store writes it."""
    parse = event.get("parse_data") if isinstance(event.get("parse_data"), dict) else {}
    return {
        "sender_id": sender_id,
        "type_name": event["event"],
        "timestamp": event["timestamp"],
        "intent_name": (parse.get("intent") or {}).get("name"),
        "action_name": event.get("name"),
        "data": json.dumps(event),
    }


def user_event(
    text: str,
    at: float,
    intent: str,
    clinic: str,
    entities: Sequence[Dict[str, Any]] = (),
    confidence: float = 0.99,
) -> Dict[str, Any]:
    """A visitor's message from the web widget in `clinic`, as the NLU understood it."""
    return {
        "event": "user",
        "timestamp": at,
        "text": text,
        "input_channel": "socketio",
        "metadata": {"clinic": clinic},
        "parse_data": {"intent": {"name": intent, "confidence": confidence}, "entities": list(entities)},
    }


def slot_event(name: str, value: Any, at: float) -> Dict[str, Any]:
    return {"event": "slot", "timestamp": at, "name": name, "value": value}
