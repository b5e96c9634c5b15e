"""Rasa NLU component: a request that opens with a greeting is featurised without the greeting.

"hi, I need to speak to the receptionist" was classified `greet` with 0.99: the greeting word outweighs
the request in a bag of words. Dropping the opening greeting's tokens (in training and at prediction
alike) lets the classifiers read the request; a plain greeting ("hi there, how are you?") keeps its
tokens. The text itself is unchanged, so entities and the rules still read the whole message.
"""

from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.intent_cues import request_start
from bot.nlu.rule_component import RuleComponent


# A featurizer by type so that Rasa also runs it over the training data, between the tokenizer and the
# featurizers (config.yml orders it there).
@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class GreetingPrefixRemover(RuleComponent):
    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text, tokens = message.get(TEXT), message.get(TOKENS_NAMES[TEXT])
            if not text or not tokens:
                continue
            start = request_start(text)
            kept = [token for token in tokens if start is not None and token.start >= start]
            if kept:
                message.set(TOKENS_NAMES[TEXT], kept)
        return messages
