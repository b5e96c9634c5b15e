"""Helpful / not helpful votes on an answer, kept with the conversation."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher


def entity_value(tracker: Tracker, name: str) -> str:
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == name:
            return str(entity.get("value"))
    return ""


class ActionRecordFeedback(Action):
    def name(self) -> str:
        return "action_record_feedback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        rating = entity_value(tracker, "rating") or "helpful"
        answer = entity_value(tracker, "rated_answer") or last_answer_key(tracker)
        votes = list(tracker.get_slot("answer_feedback") or [])
        votes.append(f"{answer}:{rating}")
        dispatcher.utter_message(response="utter_feedback_thanks")
        return [SlotSet("answer_feedback", votes)]


def last_answer_key(tracker: Tracker) -> str:
    """The last answer given, from the feedback button it carried."""
    for event in reversed(tracker.events):
        if event.get("event") != "bot":
            continue
        for button in (event.get("data") or {}).get("buttons") or []:
            payload = str(button.get("payload", ""))
            if '"rated_answer": "' in payload:
                return payload.split('"rated_answer": "', 1)[1].split('"', 1)[0]
    return "unknown"
