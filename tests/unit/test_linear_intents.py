"""The linear intent classifier: trained from Rasa training data, its output as Rasa's own components give
it (intent, ranking of base intents, the FAQ key in `response_selector`)."""

from pathlib import Path

from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, INTENT_RESPONSE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.linear_intents import LinearIntentClassifier, ranked, text_to_read

EXAMPLES = {
    "greet": ["hi", "hello there", "hey", "good morning", "hiya"],
    "faq/cost": ["how much is it", "what does a session cost", "price please", "is it expensive", "fees?"],
    "faq/pain": ["does it hurt", "is it painful", "will the needles hurt", "how much pain", "is it sore"],
    "stop_screening": ["stop", "I want to stop", "let's end this", "no more questions", "quit please"],
}


def _training_data() -> TrainingData:
    messages = []
    for label, texts in EXAMPLES.items():
        for text in texts:
            data = {TEXT: text, INTENT: label.split("/")[0]}
            if "/" in label:
                data[INTENT_RESPONSE_KEY] = label
            messages.append(Message(data=data))
    return TrainingData(training_examples=messages)


def _trained(tmp_path: Path) -> LinearIntentClassifier:
    storage = LocalModelStorage(tmp_path)
    resource = Resource("linear_intents")
    context = ExecutionContext(graph_schema=None, model_id="test")
    config = LinearIntentClassifier.get_default_config()
    LinearIntentClassifier.create(config, storage, resource, context).train(_training_data())
    return LinearIntentClassifier.load(config, storage, resource, context)  # as the server loads it


def test_faq_keys_are_summed_into_their_intent_and_chosen_within_it():
    intents, keys = ranked(["faq/cost", "faq/pain", "greet"], [0.3, 0.25, 0.45])
    assert intents[0][0] == "faq" and abs(intents[0][1] - 0.55) < 1e-9
    assert keys == {"faq": [("faq/cost", 0.3), ("faq/pain", 0.25)]}


def test_a_trained_classifier_reads_the_intent_and_the_faq_key(tmp_path):
    classifier = _trained(tmp_path)
    cost, stop = Message(data={TEXT: "how much does a session cost?"}), Message(data={TEXT: "please stop"})
    classifier.process([cost, stop])
    assert cost.get(INTENT)["name"] == "faq"
    assert cost.get("response_selector")["faq"]["response"]["intent_response_key"] == "faq/cost"
    assert cost.get("response_selector")["all_retrieval_intents"] == ["faq"]
    ranking = cost.get(INTENT_RANKING_KEY)
    assert [r["name"] for r in ranking][0] == "faq" and len(ranking) == 3
    assert abs(sum(r["confidence"] for r in ranking) - 1.0) < 1e-6
    assert stop.get(INTENT)["name"] == "stop_screening"


def test_the_text_is_read_from_the_first_kept_token_and_empty_text_is_left_alone(tmp_path):
    message = Message(data={TEXT: "hi, how much is it?"})
    message.set(TOKENS_NAMES[TEXT], [Token("how", 4), Token("much", 8), Token("is", 13), Token("it", 16)])
    assert text_to_read(message) == "how much is it?"
    classifier = _trained(tmp_path)
    classifier.process([message])
    assert message.get(INTENT)["name"] == "faq"
    empty = Message(data={TEXT: "  "})
    classifier.process([empty])
    assert empty.get(INTENT) is None


def test_an_untrained_classifier_classifies_nothing(tmp_path):
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(graph_schema=None, model_id="test")
    config = LinearIntentClassifier.get_default_config()
    classifier = LinearIntentClassifier.load(config, storage, Resource("never_trained"), context)
    message = Message(data={TEXT: "hello"})
    classifier.process([message])
    assert message.get(INTENT) is None
