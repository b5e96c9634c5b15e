"""Rasa NLU component: a change of mind about keeping the answers is `withdraw_consent` or
`give_consent`, read from data/lexicon/answers.yml (bot/screening/answers.py), whatever the
classifier said.

A wrong guess here is costly both ways (answers kept against the visitor's wish, or erased when they
meant to correct one), and the classifier confused "don't keep my answers" with "change an answer".
It runs before RedFlagIntentOverride, so a red flag in the same message still wins.
"""

from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.forced_intent import force_intent
from bot.nlu.rule_component import RuleComponent
from bot.screening.answers import consent_change


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ConsentIntentOverride(RuleComponent):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = consent_change(message.get(TEXT) or "")
            if intent is not None:
                force_intent(message, intent)
        return messages
