"""Rasa NLU component: a change of mind about keeping the answers is `withdraw_consent` or
`give_consent`, read from data/lexicon/answers.yml, whatever the classifier said.

A wrong guess here is costly both ways (answers kept against the visitor's wish, or erased when they
meant to correct one), and the classifier confused "don't keep my answers" with "change an answer".
It runs before RedFlagIntentOverride, so a red flag in the same message still wins.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Dict, List, Pattern, Tuple

import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.screening.answers import ANSWERS_FILE

WITHDRAW, GIVE = "withdraw_consent", "give_consent"


@lru_cache(maxsize=1)
def _patterns() -> Tuple[Tuple[Pattern[str], ...], Tuple[Pattern[str], ...]]:
    data = yaml.safe_load(ANSWERS_FILE.read_text(encoding="utf-8")) or {}
    changes = data.get("consent_changes") or {}
    if not changes.get("withdraw") or not changes.get("give"):
        raise ValueError(f"{ANSWERS_FILE}: consent_changes needs withdraw and give patterns")
    return (
        tuple(re.compile(p) for p in changes["withdraw"]),
        tuple(re.compile(p) for p in changes["give"]),
    )


def consent_change(text: str) -> str | None:
    norm = re.sub(r"\s+", " ", text.lower().replace("\u2019", "'"))
    withdraw, give = _patterns()
    if any(p.search(norm) for p in withdraw):
        return WITHDRAW
    if any(p.search(norm) for p in give):
        return GIVE
    return None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ConsentIntentOverride(GraphComponent):
    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ConsentIntentOverride:
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = consent_change(message.get(TEXT) or "")
            if intent is None:
                continue
            chosen = {"name": intent, "confidence": 1.0}
            ranking = [r for r in message.get(INTENT_RANKING_KEY, []) if r.get("name") != intent]
            message.set(INTENT, chosen, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [chosen] + ranking, add_to_output=True)
        return messages
