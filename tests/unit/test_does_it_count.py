"""Whether something counts, asked at the health or treatments question."""

import pytest

from bot.screening.does_it_count import asked_thing, reply
from bot.screening.facts import slot_updates
from bot.vocabulary import ASKED_IF_IT_COUNTS


@pytest.mark.parametrize(
    "text, thing",
    [
        ("does metformin count?", "metformin"),
        ("would a spa facial matter", "a spa facial"),
        ("is eczema an issue?", "eczema"),
        ("what about my asthma pump?", "my asthma pump"),
        # a statement inside the question is no question only: it is read as an answer
        ("is it a problem that I'm breastfeeding?", None),
        ("does it matter if I take apixaban?", None),
        ("does the pill count for me?", None),
        ("I take metformin", None),
    ],
)
def test_only_a_question_whether_something_counts_is_one(text, thing):
    assert asked_thing(text) == thing


def test_a_known_term_counts_and_nothing_is_recorded_from_the_question():
    entities = [{"entity": "condition", "value": "anticoagulants", "start": 5, "end": 13}]
    said = reply("conditions", "does warfarin count?", entities)
    assert said.startswith("Yes") and "blood thinners" in said
    updates = slot_updates(
        entities=entities,
        slots={"consent": True, "skin_type": "oily"},
        intent="inform",
        requested_slot="conditions",
        form_active=True,
        text="does warfarin count?",
    )
    assert updates == {"conditions": ASKED_IF_IT_COUNTS}


@pytest.mark.parametrize(
    "question, text",
    [
        ("conditions", "does my hay fever matter?"),
        ("recent_procedures", "would laser hair removal on my legs count?"),
        ("recent_procedures", "does an eyebrow tint count as a treatment?"),
    ],
)
def test_what_bears_on_nothing_here_does_not_count_said_back_in_the_visitors_terms(question, text):
    said = reply(question, text, [])
    assert said.startswith("No") and " my " not in said


def test_something_unknown_is_neither_yes_nor_no():
    assert reply("conditions", "does the herbal remedy my aunt sent count?", []).startswith("I'm not sure")
