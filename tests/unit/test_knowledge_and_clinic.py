"""Knowledge files and clinic settings: complete, hedged, and safe to load from a visitor's page."""

import re

import pytest

from bot.clinic import load_clinic
from bot.knowledge import BENEFITS, FAQ_KEYS, benefit_answer, benefits, faq_answer
from bot.screening.rules import Answers

HEDGES = re.compile(
    r"\b(may|might|believed|can't say|can't test|traditional belief|rather than a result"
    r"|minimally invasive)\b"
)
PROMISES = re.compile(r"\b(guarantee[sd]?|cures?|will (remove|erase|eliminate|get rid))\b", re.IGNORECASE)


@pytest.mark.parametrize("benefit", BENEFITS)
def test_every_benefit_answer_is_hedged_sourced_and_caveated(benefit):
    entry = benefits()["benefits"][benefit]
    assert entry["sources"] and entry["evidence_level"]
    answer = benefit_answer(benefit, Answers())
    assert not PROMISES.search(answer)
    assert HEDGES.search(answer)
    assert "skin type, overall health, lifestyle habits and the practitioner's expertise" in answer
    assert "qualified, licensed practitioner" in answer


@pytest.mark.parametrize("key", FAQ_KEYS)
def test_every_faq_answer_renders_for_the_demo_clinic(key):
    answer = faq_answer(key, load_clinic("demo"))
    assert answer and "{" not in answer and not PROMISES.search(answer)


def test_unknown_or_hostile_clinic_ids_fall_back_to_the_default():
    assert load_clinic("../../etc/passwd")["id"] == "demo"
    assert load_clinic("no-such-clinic")["id"] == "demo"
    assert load_clinic(None)["id"] == "demo"


def test_faq_responses_for_the_response_selector_follow_the_knowledge_file():
    import yaml

    from bot import PROJECT_ROOT
    from bot.knowledge import faq

    responses = yaml.safe_load((PROJECT_ROOT / "data" / "nlu" / "faq_responses.yml").read_text())["responses"]
    assert {f"utter_faq/{key}": [{"text": entry["title"]}] for key, entry in faq().items()} == responses
