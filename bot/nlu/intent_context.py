"""Rasa NLU component: drop entities that only mean something under one intent.

"my skin" names a question to change only in `change_answer`; "helpful" rates an answer only in
`rate_answer`. Elsewhere they are ordinary words, and returning them would confuse slot filling
and the console's statistics.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.rule_component import RuleComponent

ENTITY_NEEDS_INTENT = {"answer_field": "change_answer", "rating": "rate_answer"}


def filter_entities(entities: List[Dict[str, Any]], intent: str) -> List[Dict[str, Any]]:
    return [e for e in entities if ENTITY_NEEDS_INTENT.get(e.get("entity"), intent) == intent]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class IntentContextEntityFilter(RuleComponent):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = (message.get(INTENT) or {}).get("name") or ""
            entities = message.get(ENTITIES) or []
            kept = filter_entities(entities, intent)
            if len(kept) != len(entities):
                message.set(ENTITIES, kept, add_to_output=True)
        return messages
