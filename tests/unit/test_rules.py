"""The rules engine against the contract's table: every row, the ordering, waiting-period edges."""

import datetime as dt

import pytest
import yaml

from bot.screening.rule_book import RULES_FILE, RulesFileError, parse_rules
from bot.screening.rules import Answers, evaluate
from bot.vocabulary import (
    CONDITION_VALUES,
    LIKELY_SUITABLE,
    NEEDS_MEDICAL_CLEARANCE,
    NOT_SUITABLE_NOW,
    OUTCOMES,
    SEEK_URGENT_CARE,
    SUITABLE_WITH_PRECAUTIONS,
)

TODAY = dt.date(2026, 11, 26)

# The contract's table, written out independently of the rules file, so a wrong level there fails here.
CONTRACT_CONDITION_LEVELS = {
    **{
        c: NOT_SUITABLE_NOW
        for c in [
            "pregnancy",
            "skin_infection",
            "open_wound",
            "sunburn",
            "acute_illness",
            "bells_palsy",
            "isotretinoin",
        ]
    },
    **{
        c: NEEDS_MEDICAL_CLEARANCE
        for c in [
            "bleeding_disorder",
            "anticoagulants",
            "hypertension",
            "diabetes",
            "epilepsy",
            "immunosuppression",
            "cancer",
            "pacemaker",
            "keloid",
        ]
    },
    **{
        c: SUITABLE_WITH_PRECAUTIONS
        for c in [
            "breastfeeding",
            "migraine",
            "rosacea",
            "eczema",
            "active_acne",
            "metal_allergy",
            "needle_phobia",
            "easy_bruising",
        ]
    },
}
CONTRACT_WAITING = {
    "botox": 14,
    "filler": 14,
    "chemical_peel": 14,
    "laser": 28,
    "microneedling": 14,
    "thread_lift": 28,
    "facial_surgery": 90,
}


def test_the_table_above_covers_every_spec_condition():
    assert sorted(CONTRACT_CONDITION_LEVELS) == sorted(CONDITION_VALUES)


@pytest.mark.parametrize("condition,level", sorted(CONTRACT_CONDITION_LEVELS.items()))
def test_each_condition_alone_gives_its_spec_level(condition, level):
    result = evaluate(Answers(conditions=(condition,)), today=TODAY)
    assert result.outcome == level
    assert [r.code for r in result.reasons] == [condition]


@pytest.mark.parametrize("flag", ["facial_droop", "chest_pain", "self_harm", "uncontrolled_bleeding"])
def test_red_flag_overrides_everything(flag):
    answers = Answers(conditions=("pregnancy", "anticoagulants"), red_flags=(flag,), skin_type="sensitive")
    result = evaluate(answers, today=TODAY)
    assert result.outcome == SEEK_URGENT_CARE
    assert result.reasons[0].code == flag


def test_sensitive_skin_needs_precautions():
    assert evaluate(Answers(skin_type="sensitive"), today=TODAY).outcome == SUITABLE_WITH_PRECAUTIONS


@pytest.mark.parametrize("skin", ["oily", "dry", "combination", "normal", "not_sure"])
def test_other_skin_types_alone_are_likely_suitable(skin):
    result = evaluate(Answers(skin_type=skin, goals=("glow",)), today=TODAY)
    assert result.outcome == LIKELY_SUITABLE
    assert result.reasons == []


@pytest.mark.parametrize("procedure,waiting", sorted(CONTRACT_WAITING.items()))
def test_waiting_period_edges(procedure, waiting):
    def outcome(days):
        return evaluate(
            Answers(recent_procedures=(procedure,), days_since_procedure=days), today=TODAY
        ).outcome

    assert outcome(waiting - 1) == NOT_SUITABLE_NOW
    assert outcome(waiting - 0.5) == NOT_SUITABLE_NOW
    assert outcome(waiting) == SUITABLE_WITH_PRECAUTIONS
    assert outcome(waiting + 1) == SUITABLE_WITH_PRECAUTIONS


def test_too_recent_procedure_says_when_it_may_become_possible():
    result = evaluate(Answers(recent_procedures=("laser",), days_since_procedure=20), today=TODAY)
    assert result.extra["when_possible"] == ["in about 8 days (from 4 December 2026)"]
    assert "4 December 2026" in result.next_step
    one_left = evaluate(Answers(recent_procedures=("laser",), days_since_procedure=27), today=TODAY)
    assert one_left.extra["when_possible"][0].startswith("in about 1 day (")


def test_procedure_without_a_date_is_treated_as_too_recent():
    result = evaluate(Answers(recent_procedures=("botox",)), today=TODAY)
    assert result.outcome == NOT_SUITABLE_NOW


def test_clinic_can_lengthen_but_not_shorten_waiting_periods():
    longer = evaluate(
        Answers(recent_procedures=("filler",), days_since_procedure=20),
        clinic={"waiting_days_overrides": {"filler": 28}},
        today=TODAY,
    )
    shorter = evaluate(
        Answers(recent_procedures=("filler",), days_since_procedure=10),
        clinic={"waiting_days_overrides": {"filler": 7}},
        today=TODAY,
    )
    assert longer.outcome == NOT_SUITABLE_NOW
    assert shorter.outcome == NOT_SUITABLE_NOW


def test_most_severe_level_wins_and_reasons_are_ordered():
    answers = Answers(
        skin_type="sensitive",
        conditions=("eczema", "diabetes", "pregnancy"),
        recent_procedures=("botox",),
        days_since_procedure=30,
    )
    result = evaluate(answers, today=TODAY)
    assert result.outcome == NOT_SUITABLE_NOW
    levels = [r.level for r in result.reasons]
    assert levels == sorted(levels, key=OUTCOMES.index)
    assert {r.code for r in result.reasons} == {"pregnancy", "diabetes", "eczema", "skin_sensitive", "botox"}


def test_empty_answers_are_likely_suitable_with_the_general_caveat():
    result = evaluate(Answers(), today=TODAY)
    assert result.outcome == LIKELY_SUITABLE
    assert result.reasons == []
    assert "practitioner's expertise" in result.caveats[0]


def test_caveats_are_personalised():
    result = evaluate(
        Answers(skin_type="sensitive", lifestyle=("smoking",), goals=("non_invasive",)), today=TODAY
    )
    text = " ".join(result.caveats)
    assert "Smoking may limit results" in text
    assert "redness" in text
    assert "minimally invasive" in text


def test_skipped_health_question_is_never_likely_suitable():
    result = evaluate(Answers(skipped=("conditions",)), today=TODAY)
    assert result.outcome == SUITABLE_WITH_PRECAUTIONS


def test_payload_has_the_spec_shape():
    payload = evaluate(Answers(conditions=("anticoagulants",), goals=("wrinkles",)), today=TODAY).to_payload()
    assert payload["type"] == "screening_result"
    assert payload["outcome"] == NEEDS_MEDICAL_CLEARANCE
    assert payload["reasons"][0] == {
        "code": "anticoagulants",
        "level": NEEDS_MEDICAL_CLEARANCE,
        "text": payload["reasons"][0]["text"],
    }
    assert payload["goals"] == ["wrinkles"]
    assert payload["rules_version"] and payload["next_step"] and payload["caveats"]
    assert "qualified, licensed practitioner" in payload["next_step"]


def test_every_outcome_but_urgent_care_recommends_a_practitioner():
    for answers in [
        Answers(),
        Answers(skin_type="sensitive"),
        Answers(conditions=("diabetes",)),
        Answers(conditions=("pregnancy",)),
    ]:
        assert "practitioner" in evaluate(answers, today=TODAY).next_step


def test_a_rules_file_missing_a_condition_is_rejected():
    data = yaml.safe_load(RULES_FILE.read_text())
    del data["conditions"]["pregnancy"]
    with pytest.raises(RulesFileError, match="conditions.pregnancy"):
        parse_rules(data)


def test_answers_from_slots_tolerates_missing_and_odd_values():
    answers = Answers.from_slots(
        {
            "conditions": None,
            "recent_procedures": ["botox", "botox"],
            "days_since_procedure": "12",
            "lifestyle": "smoking",
        }
    )
    assert answers.conditions == ()
    assert answers.recent_procedures == ("botox",)
    assert answers.days_since_procedure == 12.0
    assert answers.lifestyle == ("smoking",)


def rules_data():
    return yaml.safe_load(RULES_FILE.read_text())


def without_diabetes_text(data):
    del data["conditions"]["diabetes"]["text"]


def with_sensitive_skin_level(data):
    data["skin_types"]["sensitive"]["level"] = "fine"


def with_booking_url_placeholder(data):
    data["next_steps"]["likely_suitable"] = "Book at {booking_url}."


def with_weeks_placeholder(data):
    data["past_conditions"]["cancer"]["recent"] = "Ended {weeks} weeks ago."


def with_waiting_days_in_words(data):
    data["procedures"]["laser"]["waiting_days"] = "four weeks"


@pytest.mark.parametrize(
    "change,named",
    [
        (without_diabetes_text, "conditions.diabetes.text"),
        (with_sensitive_skin_level, "a valid level for skin_types.sensitive"),
        (with_booking_url_placeholder, "next_steps.likely_suitable uses unknown {booking_url}"),
        (with_weeks_placeholder, "past_conditions.cancer.recent uses unknown {weeks}"),
        (with_waiting_days_in_words, "procedures.laser.waiting_days (a whole number of days)"),
    ],
)
def test_a_wrong_rules_file_is_rejected_at_load_naming_what_is_wrong(change, named):
    data = rules_data()
    change(data)
    with pytest.raises(RulesFileError) as raised:
        parse_rules(data)
    assert named in str(raised.value)


def test_every_problem_in_the_rules_file_is_named_at_once():
    data = rules_data()
    without_diabetes_text(data)
    with_waiting_days_in_words(data)
    with pytest.raises(RulesFileError) as raised:
        parse_rules(data)
    assert "conditions.diabetes.text" in str(raised.value) and "procedures.laser" in str(raised.value)


def test_the_rule_book_is_typed_and_read_only():
    book = parse_rules(rules_data())
    assert book.conditions["pregnancy"].level == NOT_SUITABLE_NOW
    assert book.procedures["laser"].waiting_days == 28
    assert book.past_conditions["anticoagulants"].counts_for_days == 14
    with pytest.raises(TypeError):
        book.conditions["pregnancy"] = book.conditions["diabetes"]
    with pytest.raises(AttributeError):
        book.version = "mine"
