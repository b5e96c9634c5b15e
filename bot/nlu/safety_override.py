"""Rasa NLU component: a red-flag symptom stated (not denied) always yields `report_symptom`.

Classifiers are statistical; this one rule is not. If the entity layer found a red flag that the
visitor did not deny, the intent is `report_symptom` with confidence 1.0, whatever DIET said, so
the dialogue sends them to urgent care. It runs last (after FallbackClassifier).
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

SYMPTOM_INTENT = "report_symptom"


def stated_red_flags(entities: List[Dict[str, Any]]) -> List[str]:
    return [e["value"] for e in entities or [] if e.get("entity") == "red_flag" and not e.get("role")]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class RedFlagIntentOverride(GraphComponent):
    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> RedFlagIntentOverride:
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if not stated_red_flags(message.get(ENTITIES, [])):
                continue
            intent = message.get(INTENT) or {}
            if intent.get("name") == SYMPTOM_INTENT and intent.get("confidence", 0) >= 1.0:
                continue
            overridden = {"name": SYMPTOM_INTENT, "confidence": 1.0}
            ranking = [r for r in message.get(INTENT_RANKING_KEY, []) if r.get("name") != SYMPTOM_INTENT]
            message.set(INTENT, overridden, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [overridden] + ranking, add_to_output=True)
        return messages
