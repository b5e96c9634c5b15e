"""bot/vocabulary.py and the YAML files that repeat its names (domain, contract, rules, labels) agree."""

import ast

import yaml

from bot import PROJECT_ROOT, vocabulary
from bot.vocabulary import (
    BENEFIT_VALUES,
    CONDITION_VALUES,
    DENIED_ROLES,
    FAQ_KEYS,
    FORM,
    FORM_SLOTS,
    HABIT_VALUES,
    NEGATABLE_ENTITIES,
    OUTCOMES,
    PROCEDURE_VALUES,
    RED_FLAG,
    RED_FLAG_ROLES,
    RED_FLAG_VALUES,
    REPORTED_SYMPTOM,
    SCREENING_SLOTS,
    SKIN_TYPES,
)


def load(relative):
    return yaml.safe_load((PROJECT_ROOT / relative).read_text(encoding="utf-8"))


DOMAIN = load("domain.yml")
CONTRACT = load("data/contract.yml")
RULES = load("data/knowledge/screening_rules.yml")
LABELS = load("data/knowledge/labels.yml")


def domain_entities():
    """{entity: [roles]} from the domain's entity list (plain names have no roles)."""
    found = {}
    for item in DOMAIN["entities"]:
        if isinstance(item, dict):
            (name, spec), *_ = item.items()
            found[name] = list((spec or {}).get("roles") or [])
        else:
            found[item] = []
    return found


def test_the_domain_has_every_slot_and_entity_the_vocabulary_names():
    slots = set(DOMAIN["slots"])
    named = FORM_SLOTS + vocabulary.VISITOR_SLOTS + vocabulary.ANSWER_SLOTS + (vocabulary.QUESTION_MISSES,)
    assert set(named) <= slots
    assert vocabulary.REQUESTED_SLOT not in slots  # Rasa's own
    assert set(vocabulary.LIST_SLOTS) <= set(SCREENING_SLOTS)
    entities = domain_entities()
    for name in (
        *NEGATABLE_ENTITIES,
        *vocabulary.LIST_SLOTS.values(),
        RED_FLAG,
        vocabulary.DURATION,
        vocabulary.ANSWER_FIELD,
        vocabulary.RATING,
        vocabulary.RATED_ANSWER,
    ):
        assert name in entities, name


def test_the_form_asks_the_vocabularys_questions_in_its_order():
    assert DOMAIN["forms"][FORM]["required_slots"] == list(FORM_SLOTS)
    actions = set(DOMAIN["actions"])
    assert {f"action_ask_{slot}" for slot in SCREENING_SLOTS} <= actions


def test_roles_in_the_domain_are_the_vocabularys():
    entities = domain_entities()
    for name in NEGATABLE_ENTITIES:
        assert entities[name] == list(DENIED_ROLES), name
    assert entities[RED_FLAG] == list(RED_FLAG_ROLES)
    assert CONTRACT["roles"] == list(DENIED_ROLES)


def test_outcomes_are_the_same_everywhere_in_the_same_order():
    assert DOMAIN["slots"]["screening_outcome"]["values"] == list(OUTCOMES)
    assert CONTRACT["outcomes"] == list(OUTCOMES)
    assert RULES["levels"] == list(OUTCOMES)
    assert list(RULES["next_steps"]) == list(OUTCOMES)
    assert list(LABELS["outcome"]) == list(OUTCOMES)


def test_the_contracts_names_are_the_vocabularys():
    assert CONTRACT["form"] == FORM
    assert CONTRACT["form_slots"] == list(FORM_SLOTS)
    assert CONTRACT["faq_keys"] == list(FAQ_KEYS)
    entities = CONTRACT["entities"]
    assert entities["condition"] == list(CONDITION_VALUES)
    assert entities["procedure"] == list(PROCEDURE_VALUES)
    assert entities["red_flag"] == list(RED_FLAG_VALUES)
    assert entities["habit"] == list(HABIT_VALUES)
    assert entities["benefit"] == list(BENEFIT_VALUES)
    assert entities["skin_type"] == [s for s in SKIN_TYPES if s != "not_sure"]


def test_the_rules_and_labels_cover_the_vocabularys_values():
    assert set(RULES["red_flags"]) == set(RED_FLAG_VALUES) | {REPORTED_SYMPTOM}
    assert set(RULES["conditions"]) == set(CONDITION_VALUES)
    assert set(RULES["procedures"]) == set(PROCEDURE_VALUES)
    assert set(RULES["skipped"]) <= set(SCREENING_SLOTS)
    assert set(LABELS["skin_type"]) == set(SKIN_TYPES)
    assert set(LABELS["condition"]) == set(CONDITION_VALUES)
    assert set(LABELS["procedure"]) == set(PROCEDURE_VALUES)
    assert set(LABELS["red_flag"]) == set(RED_FLAG_VALUES)
    assert set(LABELS["habit"]) == set(HABIT_VALUES)
    assert set(LABELS["benefit"]) == set(BENEFIT_VALUES)


def test_the_vocabulary_imports_nothing_of_the_project():
    tree = ast.parse((PROJECT_ROOT / "bot" / "vocabulary.py").read_text(encoding="utf-8"))
    imported = [
        name
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for name in ([node.module] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names])
    ]
    assert imported and not [n for n in imported if n.split(".")[0] in ("bot", "actions", "tests", "bench")]
