"""Red flags: stop everything and send the visitor to urgent care (with a crisis line for self-harm)."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import clinic_for
from bot.screening.rules import Answers, evaluate


def stated_red_flags(tracker: Tracker) -> List[str]:
    return [
        str(e.get("value"))
        for e in tracker.latest_message.get("entities") or []
        if e.get("entity") == "red_flag" and not e.get("role")
    ]


class ActionHandleRedFlag(Action):
    def name(self) -> str:
        return "action_handle_red_flag"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        clinic = clinic_for(tracker)
        flags = stated_red_flags(tracker)
        flags_so_far = list(dict.fromkeys((tracker.get_slot("red_flags") or []) + flags))
        emergency = clinic["emergency_number"]
        lines = [
            f"**Please get urgent medical help now: call {emergency} or go to the nearest "
            "emergency department.**"
        ]
        if "self_harm" in flags:
            lines.append(f"You don't have to go through this alone. {clinic['crisis_line']}.")
        result = evaluate(Answers(red_flags=tuple(flags_so_far or ["unspecified"])), clinic=clinic)
        lines += [f"{reason.text}" for reason in result.reasons]
        if not flags:
            lines.append("What you describe may need urgent attention; please don't wait for an appointment.")
        lines.append("I've stopped the screening. Facial acupuncture can wait until you've been checked.")
        payload = result.to_payload()
        if not flags:
            payload["reasons"] = [
                {
                    "code": "reported_symptom",
                    "level": "seek_urgent_care",
                    "text": "An acute symptom was described.",
                }
            ]
        dispatcher.utter_message(text="\n".join(lines), json_message=payload)
        return [
            SlotSet("red_flags", flags_so_far),
            SlotSet("screening_outcome", "seek_urgent_care"),
            ActiveLoop(None),
            SlotSet("requested_slot", None),
        ]
