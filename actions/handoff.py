"""A person or a booking: the clinic's contact details and booking link."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import clinic_for
from actions.screening_offer import offer_after_answer


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        clinic = clinic_for(tracker)
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        opening = (
            "You can book a consultation online"
            if intent == "book_consultation"
            else f"You can reach the team at {clinic['name']}"
        )
        text = (
            f"{opening}: [book here]({clinic['booking_url']}), call {clinic['phone']} or email "
            f"{clinic['email']}."
        )
        if clinic.get("opening_hours"):
            text += f" Opening hours: {clinic['opening_hours']}."
        dispatcher.utter_message(
            text=text,
            json_message={
                "type": "handoff",
                "booking_url": clinic["booking_url"],
                "phone": clinic["phone"],
                "email": clinic["email"],
                "clinic": clinic["id"],
            },
        )
        # Someone about to book has not been checked yet: offer the check (once, before any check).
        return offer_after_answer(dispatcher, tracker) if intent == "book_consultation" else []
