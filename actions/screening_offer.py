"""Offering the check after a question answered before any check began, and taking the visitor up on it.

A visitor who opens with a question ("does it do anything for jowls?") gets the answer and, once, the
offer; a typed "yes, go on" then starts the check (the fallback action sees it: affirm has no rule of
its own outside the form), and a "no" is acknowledged instead of "Sorry, I'm not sure I understood".

The offer says that the answers are kept for the clinic's staff, so its "yes" is also the consent the
form would otherwise ask for next: one question, not two in a row that both read as "shall we start?"
(every writer of our development conversations answered them as one). A yes that refuses the keeping
("yes, but don't save anything") is no consent: the form then asks, and a "no" there means general
answers only.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import form_active
from bot.screening.answers import consent_change, yes_or_no

OFFERED = "screening_offered"
OFFER = (
    "Would you like me to check whether facial acupuncture looks suitable for you? It takes about a minute, "
    "and I'd keep your answers so the clinic's staff can review them."
)
OFFER_BUTTONS = [
    {"title": "Yes, check for me", "payload": "/start_screening"},  # also the consent (the offer says so)
    {"title": "No, just questions", "payload": "/deny"},
]
DECLINED = 'No problem. Ask me anything about facial acupuncture, or say "check me" whenever you like.'


def _before_any_check(tracker: Tracker) -> bool:
    return (
        not form_active(tracker)
        and tracker.get_slot("consent") is None
        and tracker.get_slot("screening_outcome") is None
    )


def offer_after_answer(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[str, Any]]:
    """The offer, once, after an answer given before any check began."""
    if not _before_any_check(tracker) or tracker.get_slot(OFFERED):
        return []
    dispatcher.utter_message(text=OFFER, buttons=OFFER_BUTTONS)
    return [SlotSet(OFFERED, True)]


def _offer_was_last(tracker: Tracker) -> bool:
    """The assistant's last words before this message were the offer: a later "ok" is not a yes to it."""
    bot_texts = [e.get("text") for e in tracker.events if e.get("event") == "bot"]
    return bool(bot_texts) and bot_texts[-1] == OFFER


def offer_just_made(tracker: Tracker) -> bool:
    """The offer stands: made, no check begun, and the assistant has said nothing since."""
    return bool(tracker.get_slot(OFFERED)) and _before_any_check(tracker) and _offer_was_last(tracker)


def reply_to_offer(tracker: Tracker) -> bool | None:
    """True for a yes to the offer, False for a no, None when the message is not a reply to it."""
    if not offer_just_made(tracker):
        return None
    intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
    text = str((tracker.latest_message or {}).get("text") or "")
    said = yes_or_no(text)
    if said is not None:
        return said
    # A yes first, then the first answers: "ah yes that's grand. my skin is on the dry side".
    if yes_or_no(_LEADING_CLAUSE.match(text).group()) is True:
        return True
    return {"affirm": True, "deny": False}.get(str(intent))


_LEADING_CLAUSE = re.compile(r"[^,.;:!?\n]*")


def offer_taken(tracker: Tracker) -> bool:
    """The visitor said yes to the offer just now ("yes", "go on", the button)."""
    intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
    if intent == "start_screening":
        return offer_just_made(tracker)
    return reply_to_offer(tracker) is True


def consent_from_offer(tracker: Tracker) -> List[Dict[str, Any]]:
    """A yes to the offer is the consent it asked for, unless it refuses the keeping (read as every
    withdrawal is, data/lexicon/answers.yml `consent_changes`)."""
    text = str((tracker.latest_message or {}).get("text") or "")
    if not offer_taken(tracker) or consent_change(text) == "withdraw_consent":
        return []
    return [SlotSet("consent", True)]
