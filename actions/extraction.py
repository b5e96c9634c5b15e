"""The custom slot mapping: after every message, fold the visitor's stated facts into the slots."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import clinic_id, current_slots, form_active
from bot.screening.facts import slot_updates


class ActionExtractScreeningFacts(Action):
    def name(self) -> str:
        return "action_extract_screening_facts"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        message = tracker.latest_message or {}
        intent = (message.get("intent") or {}).get("name")
        updates = slot_updates(
            entities=message.get("entities") or [],
            slots=current_slots(tracker),
            intent=intent,
            requested_slot=tracker.get_slot("requested_slot"),
            form_active=form_active(tracker),
            text=str(message.get("text") or ""),
        )
        events = [SlotSet(slot, value) for slot, value in updates.items()]
        seen_clinic = clinic_id(tracker)
        if seen_clinic and seen_clinic != tracker.get_slot("clinic_id"):
            events.append(SlotSet("clinic_id", seen_clinic))
        return events
