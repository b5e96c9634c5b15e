"""Rasa NLU component: the last word on red flags, whatever the intent classifier said.

Classifiers are statistical; these rules are not. It runs last (after FallbackClassifier):
- a red flag that the visitor states (not denies, not only asks about), or an acute symptom in their
  own words that no red flag names ("my jaw suddenly feels heavy and strange"), makes the intent
  `report_symptom` with confidence 1.0, so the dialogue sends them to urgent care;
- a message the fallback took that asks about a risk in a symptom's words ("can it cause swelling?")
  becomes the side-effects question too;
- `report_symptom` with no stated red flag, on a message that asks about a risk ("is some swelling
  normal after a session?") or calmly reports an expected minor effect ("a small bruise"), becomes the
  side-effects question: an answer with what to do if it happens now, not an emergency stop;
- `report_symptom` whose symptom words all belong to a condition it names ("an infected spot on my
  cheek") is an answer (`inform`): the form records the condition and its rules apply;
- `report_symptom` in words that describe no symptom at all becomes the fallback, which asks;
- any other `report_symptom` stays, and the rules engine reads it as an unnamed acute symptom
  (urgent care): when unsure about a real symptom, escalate.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot import metrics
from bot.nlu.forced_intent import force_intent
from bot.nlu.red_flags import (
    acute_symptom,
    asked_in,
    asks_about_a_symptom,
    asks_about_risk,
    describes_symptom,
    mild_after_effect,
    stated_in,
)
from bot.nlu.rule_component import RuleComponent
from bot.vocabulary import QUESTION

SYMPTOM_INTENT = "report_symptom"
FALLBACK_INTENT = "nlu_fallback"
INFORM_INTENT = "inform"
CONDITION = "condition"
FAQ_INTENT = "faq"
RISK_FAQ_KEY = "faq/side_effects"
RESPONSE_SELECTOR = "response_selector"


def _as_risk_question(message: Message) -> None:
    force_intent(message, FAQ_INTENT)
    selector = dict(message.get(RESPONSE_SELECTOR) or {})
    selector[FAQ_INTENT] = {
        "response": {
            "intent_response_key": RISK_FAQ_KEY,
            "utter_action": f"utter_{RISK_FAQ_KEY}",
            "confidence": 1.0,
            "responses": [],
        },
        "ranking": [],
    }
    message.set(RESPONSE_SELECTOR, selector, add_to_output=True)


_AFTER_TREATMENT = re.compile(
    r"\b(?:sessions?|treatments?|needl\w*|acupuncture|appointment|procedure)\b", re.I
)


_BODY_PART = (
    r"(?:[a-z]+ )?(?:chest|arms?|legs?|back|neck|shoulders?|ears?|earlobes?|face|cheeks?|chin|forehead|"
    r"hands?|feet|scalp|nose|jaw\w*|hairline|tummy|stomach|body)\b"
)
_WHERE_IT_IS = re.compile(
    r"\b(?:on|in|around|across|over|behind|under|along|at|all over) (?:my|the|both|her|his|their) "
    rf"{_BODY_PART}"
    rf"(?:\s*(?:,|and|&)\s*(?:my |the )?{_BODY_PART})*",
    re.IGNORECASE,
)


# How a named skin condition feels and looks, which names no acute symptom beside it ("tight" is not one:
# it is also how a closing throat is told).
_MILD_DESCRIPTORS = re.compile(
    r"\b(?:red|redness|pink|sore|soreness|itch\w*|peel\w*|flak\w*|dry|tender|sting\w*|hot|warm"
    r"|blister\w*|crust\w*|scab\w*|spotty|bumpy|rough|raw)\b",
    re.IGNORECASE,
)


def _without_named_conditions(entities: List[Dict[str, Any]], text: str) -> str:
    """`text` with the conditions it names blanked out: "an infected spot on my cheek right now" names
    a skin infection (a reason to wait, asked about by the form), not an unnamed acute symptom. Not
    when the message ties it to a treatment ("unwell since my session yesterday"): that may be a
    reaction, and escalating is the safe side."""
    blanked, named = text, False
    for e in entities or []:
        if e.get("entity") == CONDITION and not e.get("role") and isinstance(e.get("start"), int):
            blanked = blanked[: e["start"]] + " " * (e["end"] - e["start"]) + blanked[e["end"] :]
            named = True
    # (A treatment word inside the named condition ties nothing to a treatment: "I faint at the sight of
    # a needle" is a fear of needles.)
    if not named or _AFTER_TREATMENT.search(blanked):
        return text
    # Where the named condition is ("got them on my chest and earlobes") is no symptom of its own, nor how
    # such a condition feels ("sunburned, red and sore and starting to peel").
    blanked = _WHERE_IT_IS.sub(lambda m: " " * len(m.group()), blanked)
    return _MILD_DESCRIPTORS.sub(lambda m: " " * len(m.group()), blanked)


def decide(intent: str | None, entities: List[Dict[str, Any]], text: str) -> str | None:
    """The intent to force, or None to keep the classifier's. Plain Python, for tests."""
    if stated_in(entities):
        return SYMPTOM_INTENT
    considered = [e for e in entities or [] if e.get("entity") == "red_flag"]
    unnamed = _without_named_conditions(entities, text)
    # A red flag read as only asked about, in a message that also tells of a sudden, severe symptom of
    # the visitor's own ("how many sessions? (sorry, a sudden splitting headache, worst ever)"): told.
    told_beside_a_question = (
        bool(considered) and all(e.get("role") == QUESTION for e in considered) and acute_symptom(unnamed)
    )
    if intent in (FALLBACK_INTENT, "greet") and not considered and asks_about_a_symptom(text):
        # A risk question the classifier could not place ("can it cause swelling?"): answered with what
        # is known and what to do if it happens, rather than "sorry, I didn't understand".
        return RISK_FAQ_KEY if not acute_symptom(unnamed) else SYMPTOM_INTENT
    if intent != SYMPTOM_INTENT:
        # An acute symptom no red flag names, which the classifier missed: escalate all the same.
        if told_beside_a_question:
            return SYMPTOM_INTENT
        return SYMPTOM_INTENT if not considered and acute_symptom(unnamed) else None
    if told_beside_a_question:
        return None
    if asked_in(entities) or asks_about_risk(text) or mild_after_effect(text):
        return RISK_FAQ_KEY
    if not considered and unnamed != text and not describes_symptom(unnamed):
        return INFORM_INTENT  # the symptom words were a named condition's: an answer, for the form
    if considered or not describes_symptom(text):
        # A red flag we found but read as denied or as history ("my grandad had a stroke years ago"),
        # or words that describe no symptom ("the chat keeps closing on me"): the fallback asks.
        return FALLBACK_INTENT
    return None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class RedFlagIntentOverride(RuleComponent):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = (message.get(INTENT) or {}).get("name")
            forced = decide(intent, message.get(ENTITIES, []), message.get(TEXT) or "")
            if forced == SYMPTOM_INTENT:
                force_intent(message, SYMPTOM_INTENT)
            elif forced == RISK_FAQ_KEY:
                _as_risk_question(message)
            elif forced in (FALLBACK_INTENT, INFORM_INTENT):
                force_intent(message, forced)
            # The final intent, for /metrics (the fallback rate among them); training never gets here.
            metrics.count("screening_intents_total", intent=str((message.get(INTENT) or {}).get("name")))
        return messages
