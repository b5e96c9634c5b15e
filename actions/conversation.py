"""Greeting, starting, changing and restarting the screening, and the catch-all fallback."""

from __future__ import annotations

import re
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions.common import clinic_for, form_active
from actions.screening_offer import DECLINED, consent_from_offer, offer_after_answer, reply_to_offer
from bot.foreign_text import looks_foreign
from bot.screening.rules import load_rules
from bot.vocabulary import ANSWER_SLOTS, CONDITION

STARTING = (
    "Let's check. It takes about a minute, and you can ask me a question or change an answer at any point."
)


class ActionGreet(Action):
    def name(self) -> str:
        return "action_greet"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        clinic = clinic_for(tracker)
        greeting = clinic.get("greeting") or f"Hi! I'm {clinic['name']}'s automated assistant."
        dispatcher.utter_message(
            text=f"{greeting} I'm not a clinician, so I can't diagnose anything.\n"
            "I can answer questions about facial acupuncture and check whether it looks suitable "
            "for you, then point you to a qualified practitioner."
        )
        events: List[Dict[str, Any]] = []
        if tracker.get_slot("consent") is False:
            events.append(SlotSet("consent", None))  # a new hello may be a new mind: ask again
        if tracker.get_slot("screening_outcome"):
            events.append(SlotSet("answers_confirmed", None))  # welcome back: show the answers again
        return events


_QUESTION = re.compile(
    r"\?\s*$|^\W*(?:is|are|am|can|could|would|will|does|do|should|what|how|why|which)\b", re.IGNORECASE
)


# "can we do the check after all?" asks for the check itself: a request, not a question about suitability.
_NAMES_THE_CHECK = re.compile(
    r"\b(?:check|screen\w*|questionnaire|questions|quiz|assessment|form|start|begin|go ahead)\b",
    re.IGNORECASE,
)


def _asks(text: str) -> bool:
    """A question about suitability, not a request for the check."""
    return bool(_QUESTION.search(text.strip())) and not _NAMES_THE_CHECK.search(text)


def general_notes(entities: List[Dict[str, Any]]) -> str:
    """What is generally true of the conditions named, without screening or keeping anything."""
    book = load_rules()
    named = [
        str(e.get("value"))
        for e in entities
        if e.get("entity") == CONDITION and not e.get("role") and str(e.get("value")) in book.conditions
    ]
    lines = [book.conditions[code].text for code in dict.fromkeys(named)]
    lines.append(
        "That's general information, not a screening. A qualified practitioner will go through your "
        'health before any treatment; say "check if it suits me" if you\'d like me to check.'
    )
    return "\n".join(lines)


class ActionStartScreening(Action):
    def name(self) -> str:
        return "action_start_screening"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        events: List[Dict[str, Any]] = []
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        declined = tracker.get_slot("consent") is False
        if declined and (intent != "start_screening" or _asks(tracker.latest_message.get("text") or "")):
            # They declined: general answers only, no screening, until they ask for one. A question
            # ("is it safe for someone like me?") is answered generally; only a request changes their mind.
            dispatcher.utter_message(text=general_notes(tracker.latest_message.get("entities") or []))
            return [FollowupAction("action_listen")]
        if tracker.get_slot("consent") is False:
            events.append(SlotSet("consent", None))  # "check if it suits me": a change of mind
        if tracker.get_slot("screening_outcome"):
            events.append(SlotSet("answers_confirmed", None))
        if not form_active(tracker):
            dispatcher.utter_message(text=STARTING)
        return events + consent_from_offer(tracker)


class ActionChangeAnswer(Action):
    def name(self) -> str:
        return "action_change_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        if form_active(tracker):
            dispatcher.utter_message(response="utter_change_answer_in_form")
            return []
        dispatcher.utter_message(text="Sure, let's update your answers.")
        # Re-running the form re-asks any cleared question, then shows the summary again, and the
        # outcome is computed afresh from the new answers.
        return [SlotSet("answers_confirmed", None), SlotSet("screening_outcome", None)]


class ActionRestartScreening(Action):
    def name(self) -> str:
        return "action_restart_screening"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        dispatcher.utter_message(text="OK, let's start the check again from the beginning.")
        events = [SlotSet(slot, None) for slot in ANSWER_SLOTS]
        events += [SlotSet("question_misses", {}), SlotSet("requested_slot", None)]
        if tracker.get_slot("consent") is False:
            events.append(SlotSet("consent", None))
        return events


ENGLISH_ONLY = (
    "I can only read English, I'm afraid. If this is an emergency, please call {number} now; otherwise "
    "the clinic can help you in person."
)


class ActionDefaultFallback(Action):
    """When nothing else fits: say so politely, and go back to the pending question if there is one."""

    def name(self) -> str:
        return "action_default_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        offered = reply_to_offer(tracker)
        if offered is True:
            # "yes, go on" after the offer: the check starts (the form activates itself when run).
            dispatcher.utter_message(text=STARTING)
            return [*consent_from_offer(tracker), FollowupAction("screening_form")]
        if offered is False:
            dispatcher.utter_message(text=DECLINED)
            return [UserUtteranceReverted()]
        dispatcher.utter_message(response="utter_default")
        if looks_foreign(tracker.latest_message.get("text") or ""):
            # We cannot read it, and it may be an emergency: say so, with the number to call.
            number = clinic_for(tracker).get("emergency_number")
            dispatcher.utter_message(text=ENGLISH_ONLY.format(number=number))
        if form_active(tracker):
            return [UserUtteranceReverted(), FollowupAction("screening_form")]
        # Before any check, the way forward (once): a "yes" then starts it. After the revert, so it stays.
        return [UserUtteranceReverted(), *offer_after_answer(dispatcher, tracker)]


def deactivate_form() -> List[Dict[str, Any]]:
    return [ActiveLoop(None), SlotSet("requested_slot", None)]
