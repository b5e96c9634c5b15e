"""The screening result: the rules engine's outcome as a text answer and the contract's custom payload."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import answers_from, clinic_for
from bot.knowledge import label
from bot.screening.rules import Result, evaluate
from bot.vocabulary import SEEK_URGENT_CARE

NO_CONSENT = (
    "No problem: I won't run the screening, and nothing of this conversation is kept for the clinic "
    "(it is forgotten after half an hour without a message). You can still ask me anything about facial "
    'acupuncture, or say "check if it suits me" if you change your mind.'
)
NOT_A_DIAGNOSIS = (
    "This is an automated screening, not a medical assessment: a qualified, licensed "
    "practitioner will make the real decision with you."
)


def result_text(result: Result, clinic: Dict[str, Any]) -> str:
    lines = [f"**{label('outcome', result.outcome)}**"]
    if result.reasons:
        lines.append("Why:")
        lines += [f"• {reason.text}" for reason in result.reasons]
    if result.caveats:
        lines.append("Good to know:")
        lines += [f"• {caveat}" for caveat in result.caveats]
    lines.append(f"Next step: {result.next_step}")
    if result.outcome != SEEK_URGENT_CARE:  # never a booking link under an urgent result
        booking = f"[{clinic['name']}]({clinic['booking_url']})"
        lines.append(f"Book or ask a question: {booking}, {clinic['phone']}.")
    lines.append(NOT_A_DIAGNOSIS)
    return "\n".join(lines)


class ActionSubmitScreening(Action):
    def name(self) -> str:
        return "action_submit_screening"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        if tracker.get_slot("consent") is False:
            dispatcher.utter_message(text=NO_CONSENT)
            return []
        clinic = clinic_for(tracker)
        result = evaluate(answers_from(tracker), clinic=clinic)
        payload = result.to_payload()
        if result.outcome != SEEK_URGENT_CARE:
            payload["booking_url"] = clinic["booking_url"]
        dispatcher.utter_message(text=result_text(result, clinic), json_message=payload)
        return [SlotSet("screening_outcome", result.outcome)]
