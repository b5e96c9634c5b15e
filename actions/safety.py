"""Red flags: stop everything and send the visitor to urgent care (with a crisis line for self-harm).

The outcome comes from the rules engine like every other result, so the text, the slot, the payload
and the widget's card can never disagree; this action only formats it.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import answers_from, clinic_for
from bot.knowledge import urgent_care_message
from bot.nlu.red_flags import stated_in
from bot.screening.rules import evaluate
from bot.vocabulary import REPORTED_SYMPTOM


class ActionHandleRedFlag(Action):
    def name(self) -> str:
        return "action_handle_red_flag"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        clinic = clinic_for(tracker)
        # A symptom the classifier recognised but no red flag names is still an acute symptom.
        flags = stated_in(tracker.latest_message.get("entities") or []) or [REPORTED_SYMPTOM]
        flags_so_far = list(dict.fromkeys((tracker.get_slot("red_flags") or []) + flags))
        answers = dataclasses.replace(answers_from(tracker), red_flags=tuple(flags_so_far))
        result = evaluate(answers, clinic=clinic)
        urgent_reasons = [r.text for r in result.reasons if r.code in flags]
        text = urgent_care_message(flags, urgent_reasons, clinic)
        dispatcher.utter_message(text=text, json_message=result.to_payload())
        return [
            SlotSet("red_flags", flags_so_far),
            SlotSet("screening_outcome", result.outcome),
            ActiveLoop(None),
            SlotSet("requested_slot", None),
        ]
