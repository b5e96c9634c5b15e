"""Rasa NLU component: a message the classifier could not place that names the terms of a screening answer
and asks nothing ("combo skin, shiny nose by lunch", "gel nails and a brow lamination, that's all") is an
answer: `inform`.

The classifier reads words it was trained on; the language layer (bot/nlu/clinical_entities.py) knows the
screening's terms however they are put. When the one falls back and the other found a skin type, a
condition, a treatment, a habit, a goal or a time, and the message is no question, the visitor was
answering. Denied and given-up terms count ("no fillers ever" answers too). Red flags are not among the
terms: the safety override, after this component, decides those.
"""

from __future__ import annotations

import re
from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.forced_intent import force_intent
from bot.nlu.rule_component import RuleComponent
from bot.vocabulary import DURATION, NEGATABLE_ENTITIES

ANSWER_ENTITIES = (*NEGATABLE_ENTITIES, DURATION)
FALLBACK = "nlu_fallback"
INFORM = "inform"
# A question mark, or a question's opening word: "does eczema rule me out" asks, it does not answer.
_ASKS = re.compile(
    r"\?|^\W*(?:what|what'?s|how|why|when|where|which|who|can|could|is|are|does|do|did|will|would|should"
    r"|shall|may|might|am|any ?one|anybody|tell me|explain)\b",
    re.IGNORECASE,
)


def answers_with_terms(text: str, entities: List[dict]) -> bool:
    """The message names an answer's terms and asks nothing."""
    if _ASKS.search(text or ""):
        return False
    return any(isinstance(e, dict) and e.get("entity") in ANSWER_ENTITIES for e in entities or [])


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class AnswerTermsInform(RuleComponent):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if (message.get(INTENT) or {}).get("name") != FALLBACK:
                continue
            if answers_with_terms(message.get(TEXT) or "", message.get(ENTITIES) or []):
                force_intent(message, INFORM)
        return messages
