"""Answers to questions: one benefit, the benefits overview, and the practical FAQ."""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import answers_from, clinic_for, feedback_buttons
from actions.screening_offer import offer_after_answer
from bot.knowledge import benefit_answer, benefits_overview, faq_answer, risk_answer
from bot.nlu.red_flags import asked_in, mild_after_effect
from bot.screening import does_it_count

NOT_SURE_WHICH = (
    "I can tell you what's known about fine lines and wrinkles, firmness, muscle tone, "
    "texture, glow, relaxation, Qi balance, the natural approach, or being an alternative "
    "to injectables. Which one interests you?"
)


def benefit_asked(tracker: Tracker) -> str | None:
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == "benefit" and entity.get("role") is None:
            return str(entity.get("value"))
    return None


def answer_to_benefit_asked(tracker: Tracker) -> Tuple[str | None, str | None]:
    """The benefit the latest message asks about, and the hedged answer to it (None when unknown)."""
    benefit = benefit_asked(tracker)
    return benefit, benefit_answer(benefit, answers_from(tracker)) if benefit else None


class ActionAnswerBenefit(Action):
    def name(self) -> str:
        return "action_answer_benefit"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        benefit, answer = answer_to_benefit_asked(tracker)
        if answer is None:
            dispatcher.utter_message(text=NOT_SURE_WHICH)
            return offer_after_answer(dispatcher, tracker)
        dispatcher.utter_message(text=answer, buttons=feedback_buttons(f"benefit/{benefit}"))
        return offer_after_answer(dispatcher, tracker)


class ActionAnswerBenefitsOverview(Action):
    def name(self) -> str:
        return "action_answer_benefits_overview"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        dispatcher.utter_message(
            text=benefits_overview(answers_from(tracker)), buttons=feedback_buttons("benefits_overview")
        )
        return offer_after_answer(dispatcher, tracker)


def faq_key(tracker: Tracker) -> str | None:
    """The faq/* key the ResponseSelector chose (or a button's faq/<key> intent)."""
    message = tracker.latest_message or {}
    intent = (message.get("intent") or {}).get("name") or ""
    if intent.startswith("faq/"):
        return intent.split("/", 1)[1]
    selector = (message.get("response_selector") or {}).get("faq") or {}
    key = (selector.get("response") or {}).get("intent_response_key") or ""
    return key.split("/", 1)[1] if "/" in key else None


class ActionAnswerFaq(Action):
    def name(self) -> str:
        return "action_answer_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        text = tracker.latest_message.get("text") or ""
        if does_it_count.asks_at(tracker.get_slot("requested_slot"), text):
            return []  # "does the pill count?" at the health question: the form says whether it does
        key = faq_key(tracker)
        clinic = clinic_for(tracker)
        asked = asked_in(tracker.latest_message.get("entities") or [])
        if asked or (key == "side_effects" and mild_after_effect(text)):
            # A question about a red-flag risk, or a calm report of a minor effect: what is known, and
            # what to do if it is happening now.
            dispatcher.utter_message(
                text=risk_answer(asked, clinic, mild=not asked), buttons=feedback_buttons("faq/risk")
            )
            return offer_after_answer(dispatcher, tracker)
        answer = faq_answer(key, clinic) if key else None
        if answer is None:
            dispatcher.utter_message(response="utter_default")
            return []
        dispatcher.utter_message(text=answer, buttons=feedback_buttons(f"faq/{key}"))
        return offer_after_answer(dispatcher, tracker)
