"""Read a conversation's events as a transcript, its screening answers and its answer votes."""

from __future__ import annotations

from typing import Any, Dict, List

from bot.vocabulary import VISITOR_SLOTS


def transcript(events: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The messages, in order, with what the NLU made of each visitor message."""
    items = []
    for index, event in enumerate(events):
        kind = event.get("event")
        message = {"index": index, "text": event.get("text") or "", "at": event.get("timestamp")}
        if kind == "user":
            parse = event.get("parse_data") or {}
            intent = parse.get("intent") or {}
            items.append(
                {
                    **message,
                    "from": "visitor",
                    "intent": intent.get("full_retrieval_intent_name") or intent.get("name"),
                    "confidence": intent.get("confidence"),
                    "entities": [
                        (e.get("entity"), e.get("value"), e.get("role")) for e in parse.get("entities") or []
                    ],
                }
            )
        elif kind == "bot":
            data = event.get("data") or {}
            items.append(
                {
                    **message,
                    "from": "bot",
                    "buttons": [b.get("title") for b in data.get("buttons") or []],
                    "custom": data.get("custom"),
                }
            )
    return items


def screening_summary(events: List[Dict[str, Any]]) -> Dict[str, Any]:
    slots: Dict[str, Any] = {}
    payload = None
    for event in events:
        if event.get("event") == "slot":
            slots[event.get("name")] = event.get("value")
        elif (
            event.get("event") == "bot"
            and ((event.get("data") or {}).get("custom") or {}).get("type") == "screening_result"
        ):
            payload = event["data"]["custom"]
    return {"slots": {k: slots.get(k) for k in VISITOR_SLOTS}, "payload": payload}


def votes(events: List[Dict[str, Any]]) -> List[str]:
    found: List[str] = []
    for event in events:
        if event.get("event") == "slot" and event.get("name") == "answer_feedback":
            found = list(event.get("value") or [])
    return found
