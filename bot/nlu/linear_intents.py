"""Rasa NLU component: intents and FAQ keys from one linear text model, in place of DIET and
ResponseSelector.

Why (docs/performance.md, docs/nlu-comparison.md): DIET and the ResponseSelector were two TensorFlow
calls per message, ~14 ms of the Rasa server's ~70 ms (py-spy, one visitor), and ~2 minutes of every
training. One logistic regression over character and word n-grams (bot/nlu/linear_text_model.py),
trained on the full labels (`faq/cost`, not `faq`), reads the intent and the FAQ key at once in about a
millisecond, and on the intent development file it was right more often than DIET (0.915 against
0.890 for the whole DIET pipeline; the held-out figures are in the README).

Output as Rasa's own components give it: the intent and a ranking of base intents (an FAQ's probability
is the sum over its keys), and for a retrieval intent the `response_selector` entry with the chosen key,
so FallbackClassifier, the guards after it and the actions read it unchanged. The text is read from the
first token on, so GreetingPrefixRemover's dropped greeting is dropped here too.
"""

from __future__ import annotations

import pickle
from typing import Any, Dict, List, Tuple

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, INTENT_RESPONSE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu import linear_text_model

RESPONSE_SELECTOR = "response_selector"
MODEL_FILE = "linear_intents.pkl"


def text_to_read(message: Message) -> str:
    """The message from its first token on (a greeting GreetingPrefixRemover dropped is not read)."""
    text = message.get(TEXT) or ""
    tokens = message.get(TOKENS_NAMES[TEXT]) or []
    return text[tokens[0].start :] if tokens else text


def ranked(classes: List[str], probabilities: Any) -> Tuple[List[Tuple[str, float]], Dict[str, List]]:
    """Base intents by probability (a retrieval intent's keys summed), and each retrieval intent's keys."""
    base: Dict[str, float] = {}
    keys: Dict[str, List[Tuple[str, float]]] = {}
    for label, probability in zip(classes, probabilities, strict=True):
        intent = label.split("/", 1)[0]
        base[intent] = base.get(intent, 0.0) + float(probability)
        if "/" in label:
            keys.setdefault(intent, []).append((label, float(probability)))
    for options in keys.values():
        options.sort(key=lambda pair: -pair[1])
    return sorted(base.items(), key=lambda pair: -pair[1]), keys


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class LinearIntentClassifier(GraphComponent, IntentClassifier):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"c": 10.0, "ranking_length": 10}

    def __init__(
        self, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource, model: Any = None
    ) -> None:
        self._config = config
        self._storage = model_storage
        self._resource = resource
        self._scorer = linear_text_model.Scorer(model) if model is not None else None

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LinearIntentClassifier:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LinearIntentClassifier:
        try:
            with model_storage.read_from(resource) as directory:
                model = pickle.loads((directory / MODEL_FILE).read_bytes())
        except (ValueError, FileNotFoundError):
            model = None  # not trained (an NLU-less model): classifies nothing, as DIET would
        return cls(config, model_storage, resource, model)

    def train(self, training_data: TrainingData) -> Resource:
        texts, labels = [], []
        for example in training_data.intent_examples:
            text = text_to_read(example).strip()
            if text:
                texts.append(text)
                labels.append(example.get(INTENT_RESPONSE_KEY) or example.get(INTENT))
        if len(set(labels)) < 2:
            return self._resource
        model = linear_text_model.fit(texts, labels, c=float(self._config["c"]))
        with self._storage.write_to(self._resource) as directory:
            (directory / MODEL_FILE).write_bytes(pickle.dumps(model))
        self._scorer = linear_text_model.Scorer(model)
        return self._resource

    def process(self, messages: List[Message]) -> List[Message]:
        if self._scorer is None:
            return messages
        for message in messages:
            text = text_to_read(message).strip()
            if not text:
                continue
            intents, keys = ranked(self._scorer.classes, self._scorer.probabilities(text))
            top = intents[: self._config["ranking_length"]]
            ranking = [{"name": name, "confidence": p} for name, p in top]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
            # Every retrieval intent's choice, whatever the intent (as ResponseSelector does): a guard
            # after this one may still settle on the FAQ.
            if keys:
                message.set(RESPONSE_SELECTOR, self._selection(keys), add_to_output=True)
        return messages

    def _selection(self, keys: Dict[str, List[Tuple[str, float]]]) -> Dict[str, Any]:
        selection: Dict[str, Any] = {"all_retrieval_intents": sorted(keys)}
        for intent, options in keys.items():
            within = sum(p for _, p in options) or 1.0
            key, probability = options[0]
            selection[intent] = {
                "response": {
                    "responses": [],  # the actions write the answer from data/knowledge
                    "confidence": probability / within,
                    "intent_response_key": key,
                    "utter_action": f"utter_{key}",
                },
                "ranking": [
                    {"confidence": p / within, "intent_response_key": k}
                    for k, p in options[: self._config["ranking_length"]]
                ],
            }
        return selection
