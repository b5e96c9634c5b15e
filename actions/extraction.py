"""The custom slot mapping: after every message, fold the visitor's stated facts into the slots."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import clinic_id, current_slots, form_active
from bot.screening.answers import SKIPPED, read_answer, yes_or_no
from bot.screening.facts import skipped_updates, slot_updates
from bot.vocabulary import QUESTION_MISSES, SCREENING_SLOTS, SKIP_OFFERED_AFTER


class ActionExtractScreeningFacts(Action):
    def name(self) -> str:
        return "action_extract_screening_facts"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        message = tracker.latest_message or {}
        intent = (message.get("intent") or {}).get("name")
        offered = _skip_offer_answer(tracker, str(message.get("text") or ""), intent)
        if offered is not None:
            return [SlotSet(slot, value) for slot, value in offered.items()]
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


def _skip_offer_answer(tracker: Tracker, text: str, intent: str | None) -> Dict[str, Any] | None:
    """After a question's skip offer ("Shall we skip this question?"), a plain yes skips it and a plain
    no asks it afresh; never a "no" read as "none of these" to a health question."""
    requested = tracker.get_slot("requested_slot")
    misses = dict(tracker.get_slot(QUESTION_MISSES) or {})
    if not form_active(tracker) or requested not in SCREENING_SLOTS:
        return None
    if int(misses.get(requested) or 0) < SKIP_OFFERED_AFTER or intent == "report_symptom":
        return None
    # "I'd rather not" declines to answer, which is a skip here as everywhere else.
    answer = True if read_answer(text, requested) is SKIPPED else yes_or_no(text)
    if answer is True:
        return skipped_updates(current_slots(tracker), requested)
    if answer is False:
        # Asked again in other words (the rephrase), not offered the skip again at once.
        misses[requested] = 1
        return {QUESTION_MISSES: misses}
    return None
