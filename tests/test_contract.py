"""The domain, data, rules and knowledge keep the contract in data/contract.yml (docs/contract.md)."""

import yaml

from bot import PROJECT_ROOT
from bot.nlu.lexicon import load_lexicon
from bot.nlu.red_flags import load_rules as load_red_flag_rules
from bot.screening.rules import Answers, evaluate, load_rules
from bot.vocabulary import OUTCOMES

CONTRACT = yaml.safe_load((PROJECT_ROOT / "data" / "contract.yml").read_text())
DOMAIN = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())


def names(items):
    return {next(iter(i)) if isinstance(i, dict) else i for i in items or []}


def test_every_contract_intent_entity_and_slot_is_in_the_domain():
    assert set(CONTRACT["intents"]) <= names(DOMAIN["intents"])
    assert set(CONTRACT["entities"]) <= names(DOMAIN["entities"])
    assert set(CONTRACT["form_slots"] + CONTRACT["slots"]) <= set(DOMAIN["slots"])
    assert DOMAIN["forms"][CONTRACT["form"]]["required_slots"] == CONTRACT["form_slots"]
    roles = {
        role
        for e in DOMAIN["entities"]
        if isinstance(e, dict)
        for role in next(iter(e.values())).get("roles", [])
    }
    assert set(CONTRACT["roles"]) <= roles


def test_every_faq_key_has_training_examples_and_an_answer():
    trained = set()
    for path in (PROJECT_ROOT / "data" / "nlu").glob("*.yml"):
        for block in yaml.safe_load(path.read_text()).get("nlu") or []:
            if str(block.get("intent", "")).startswith("faq/"):
                trained.add(block["intent"].split("/", 1)[1])
    faq = yaml.safe_load((PROJECT_ROOT / "data" / "knowledge" / "faq.yml").read_text())["faq"]
    assert set(CONTRACT["faq_keys"]) <= trained
    assert set(CONTRACT["faq_keys"]) <= set(faq)


def test_every_canonical_value_is_recognised_and_has_a_rule():
    lexicon = load_lexicon()
    for entity in ("skin_type", "condition", "procedure", "habit", "benefit"):
        assert set(CONTRACT["entities"][entity]) <= set(lexicon[entity]), entity
    book = load_rules()
    assert set(CONTRACT["entities"]["condition"]) <= set(book.conditions)
    assert set(CONTRACT["entities"]["procedure"]) <= set(book.procedures)
    assert set(CONTRACT["entities"]["red_flag"]) <= set(book.red_flags)
    assert set(CONTRACT["entities"]["red_flag"]) <= {c.code for c in load_red_flag_rules().categories}


def test_outcomes_and_the_result_payload_keep_their_names():
    assert list(OUTCOMES) == CONTRACT["outcomes"]
    assert set(DOMAIN["slots"]["screening_outcome"]["values"]) == set(CONTRACT["outcomes"])
    payload = evaluate(Answers(conditions=("anticoagulants",), goals=("wrinkles",))).to_payload()
    assert set(CONTRACT["payload_keys"]) <= set(payload)
    assert payload["type"] == "screening_result" and payload["outcome"] == "needs_medical_clearance"
    assert payload["reasons"][0] == {
        "code": "anticoagulants",
        "level": "needs_medical_clearance",
        "text": payload["reasons"][0]["text"],
    }
