"""The visitor's data: what we keep, and erasing it on request."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import answers_from, clinic_for
from actions.conversation import STARTING
from actions.screening_offer import offer_just_made
from bot.knowledge import label, label_list
from bot.storage.ephemeral import CONSENT_PENDING_TTL
from bot.vocabulary import VISITOR_SLOTS

PENDING_MINUTES = CONSENT_PENDING_TTL // 60


class ActionShowStoredData(Action):
    def name(self) -> str:
        return "action_show_stored_data"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        answers = answers_from(tracker)
        consent = tracker.get_slot("consent")
        # The truth about storage, which the tracker store enforces (bot/storage/tracker_store.py).
        stored = {
            True: "You agreed that your answers are kept for the clinic's staff, so this conversation "
            "is stored from the point you agreed (what you typed before that is not kept).",
            False: "You chose not to have your answers kept, so nothing of this conversation is stored: "
            f"it is forgotten after {PENDING_MINUTES} minutes without a message.",
        }.get(
            consent,
            "Nothing of this conversation is stored unless you agree; until then it is forgotten after "
            f"{PENDING_MINUTES} minutes without a message.",
        )
        lines = [
            stored,
            "From what you've told me I've noted:",
            f"• Skin type: {label('skin_type', answers.skin_type) if answers.skin_type else 'not given'}",
            f"• Health: {label_list('condition', answers.conditions)}",
            f"• Recent treatments: {label_list('procedure', answers.recent_procedures)}",
            f"• Lifestyle: {label_list('habit', answers.lifestyle)}",
            f"• Goals: {label_list('benefit', answers.goals, empty='not given')}",
        ]
        outcome = tracker.get_slot("screening_outcome")
        if outcome:
            lines.append(f"• Screening result: {label('outcome', outcome)}")
        retention = clinic_for(tracker).get("retention_days")
        if retention and consent is True:
            lines.append(f"Conversations are kept for up to {retention} days.")
        lines.append('Say "delete my data" at any time to erase all of it.')
        dispatcher.utter_message(text="\n".join(lines))
        return []


class ActionDeleteMyData(Action):
    """Confirms erasure. The tracker store sees this action and deletes the whole conversation."""

    def name(self) -> str:
        return "action_delete_my_data"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        dispatcher.utter_message(
            text="Done: this conversation and everything you told me have been erased. "
            "If you write again, we start afresh.",
            json_message={"type": "data_erased"},
        )
        return [SlotSet(slot, None) for slot in VISITOR_SLOTS]


class ActionGiveConsent(Action):
    """The visitor now agrees: the tracker store keeps the conversation from this message on, with
    what they said before blanked."""

    def name(self) -> str:
        return "action_give_consent"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        if tracker.get_slot("consent") is True:
            dispatcher.utter_message(text="Your answers are already kept for the clinic's staff.")
            return []
        if offer_just_made(tracker):
            # "yes, store away" to the offer of a check: the check starts, as for any yes to it (the form
            # activates itself when run, and reads the rest of this message).
            dispatcher.utter_message(text=STARTING)  # (the form says the consent is kept)
            return [SlotSet("consent", True), FollowupAction("screening_form")]
        dispatcher.utter_message(
            text="Thank you: from this message on, your answers are kept so the clinic's staff can "
            "review them. What you said before this point is not kept.",
            json_message={"type": "consent", "kept": True},
        )
        return [SlotSet("consent", True)]


class ActionWithdrawConsent(Action):
    """The visitor takes consent back: the tracker store erases what was kept and keeps nothing more."""

    def name(self) -> str:
        return "action_withdraw_consent"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        if tracker.get_slot("consent") is True:
            text = (
                "Done: what was kept of this conversation has been erased, and nothing more will be "
                "kept. I've stopped the check, but you can still ask me anything."
            )
        else:
            text = "Nothing of this conversation is kept. You can still ask me anything."
        dispatcher.utter_message(text=text, json_message={"type": "consent", "kept": False})
        events: List[Dict[str, Any]] = [SlotSet("consent", False)]
        if (tracker.active_loop or {}).get("name"):
            events += [ActiveLoop(None), SlotSet("requested_slot", None)]
        return events
