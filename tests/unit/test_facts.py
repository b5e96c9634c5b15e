"""Slot filling from one message: lists accumulate, negations remove, "none" is [], unreadable is flagged."""

from bot.screening.facts import DAYS_SKIPPED, UNRECOGNISED, slot_updates


def ent(entity, value, role=None, **extra):
    return {"entity": entity, "value": value, "role": role, **extra}


def answer(entities, slots, question, **extra):
    """What a message (intent inform) changes when it answers the form's `question`."""
    return slot_updates(entities, slots, "inform", question, True, **extra)


def test_several_conditions_in_one_message_all_land():
    updates = answer([ent("condition", "anticoagulants"), ent("condition", "eczema")], {}, "conditions")
    assert updates["conditions"] == ["anticoagulants", "eczema"]


def test_a_negated_condition_does_not_land_and_removes_an_earlier_one():
    assert "conditions" not in slot_updates([ent("condition", "pregnancy", "negated")], {}, "inform")
    updates = slot_updates(
        [ent("condition", "pregnancy", "negated")], {"conditions": ["pregnancy", "eczema"]}, "change_answer"
    )
    assert updates["conditions"] == ["eczema"]


def test_answering_the_conditions_question_with_only_denials_means_none():
    updates = answer([ent("condition", "anticoagulants", "negated")], {}, "conditions")
    assert updates["conditions"] == []


def test_none_of_those_fills_an_empty_list():
    assert slot_updates([], {}, "deny", "conditions", True) == {"conditions": []}
    assert slot_updates([], {}, "deny", "lifestyle", True) == {"lifestyle": []}


def test_unreadable_answer_is_flagged_for_validation():
    assert answer([], {}, "skin_type") == {"skin_type": UNRECOGNISED}
    assert slot_updates([], {}, "affirm", "conditions", True) == {"conditions": UNRECOGNISED}


def test_questions_are_not_read_as_facts():
    assert slot_updates([ent("condition", "pregnancy")], {}, "faq", "skin_type", True) == {}
    assert slot_updates([ent("procedure", "botox")], {}, "ask_benefit") == {}


def test_facts_volunteered_early_are_kept_and_later_ones_accumulate():
    first = slot_updates([ent("skin_type", "oily"), ent("condition", "diabetes")], {}, "start_screening")
    assert first == {"skin_type": "oily", "conditions": ["diabetes"]}
    later = answer([ent("condition", "eczema")], {"conditions": ["diabetes"]}, "lifestyle")
    assert later["conditions"] == ["diabetes", "eczema"]
    # Another question's answer is noted; the pending one is asked again, not counted as missed.
    assert "lifestyle" not in later
    assert answer([], {}, "skin_type", text="banana")["skin_type"] == UNRECOGNISED


def test_procedure_with_its_time_fills_both():
    updates = answer(
        [ent("procedure", "filler"), ent("duration", "3 weeks ago", additional_info={"days": 21})],
        {},
        "recent_procedures",
    )
    assert updates == {
        "recent_procedures": ["filler"],
        "days_since_procedure": 21,
        "procedure_days": {"filler": 21},
    }


def test_duration_alone_answers_the_when_question():
    updates = answer(
        [ent("duration", "10 days ago")], {"recent_procedures": ["botox"]}, "days_since_procedure"
    )
    assert updates == {"days_since_procedure": 10.0, "procedure_days": {"botox": 10.0}}


def test_a_medicine_given_up_is_kept_as_past_with_its_time_and_a_habit_given_up_is_dropped():
    updates = slot_updates(
        [
            ent("condition", "anticoagulants", "past", start=12, end=20),
            ent("duration", "a fortnight ago", start=21, end=36, additional_info={"days": 14}),
            ent("condition", "isotretinoin", "past", start=50, end=60),
            ent("habit", "smoking", "past"),
        ],
        {"lifestyle": ["smoking"], "conditions": ["anticoagulants"]},
        "inform",
    )
    assert updates["conditions"] == []
    assert updates["past_conditions"] == {"anticoagulants": 14.0, "isotretinoin": 14.0}
    assert updates["lifestyle"] == []


def test_each_treatment_keeps_its_own_time():
    updates = answer(
        [
            ent("procedure", "botox", start=0, end=5),
            ent("duration", "10 days ago", start=6, end=17, additional_info={"days": 10}),
            ent("procedure", "laser", start=22, end=27),
            ent("duration", "2 months ago", start=28, end=40, additional_info={"days": 60}),
        ],
        {},
        "recent_procedures",
    )
    assert updates["procedure_days"] == {"botox": 10.0, "laser": 60.0}
    assert updates["days_since_procedure"] == 10.0


def test_a_later_treatment_does_not_overwrite_an_earlier_ones_time():
    slots = {"recent_procedures": ["botox"], "procedure_days": {"botox": 10.0}, "days_since_procedure": 10.0}
    updates = answer(
        [
            ent("procedure", "laser", start=0, end=5),
            ent("duration", "2 months ago", start=6, end=18, additional_info={"days": 60}),
        ],
        slots,
        "lifestyle",
    )
    assert updates["recent_procedures"] == ["botox", "laser"]
    assert updates["procedure_days"] == {"botox": 10.0, "laser": 60.0}
    assert "days_since_procedure" not in updates  # still botox, 10 days: unchanged


def test_a_treatment_without_a_time_leaves_the_when_question_open():
    slots = {"recent_procedures": ["botox"], "procedure_days": {"botox": 10.0}, "days_since_procedure": 10.0}
    updates = answer([ent("procedure", "filler")], slots, "recent_procedures")
    assert updates["procedure_days"] == {"botox": 10.0, "filler": None}
    assert updates["days_since_procedure"] is None
    answered = answer(
        [ent("duration", "3 weeks ago", additional_info={"days": 21})],
        {**slots, **updates},
        "days_since_procedure",
    )
    assert answered["procedure_days"] == {"botox": 10.0, "filler": 21.0}
    assert answered["days_since_procedure"] == 10.0


def test_naming_a_question_to_change_clears_it_and_the_confirmation():
    updates = slot_updates(
        [ent("answer_field", "skin_type")], {"skin_type": "dry", "answers_confirmed": True}, "change_answer"
    )
    assert updates == {"skin_type": None, "answers_confirmed": None}


def test_a_new_value_at_the_summary_asks_for_confirmation_again():
    updates = slot_updates(
        [ent("skin_type", "oily")],
        {"skin_type": "dry", "answers_confirmed": None},
        "change_answer",
        "answers_confirmed",
        True,
    )
    assert updates == {"skin_type": "oily", "answers_confirmed": None}


def test_skipping_marks_the_question_and_moves_on():
    updates = slot_updates([], {}, "skip_question", "days_since_procedure", True)
    assert updates == {"days_since_procedure": DAYS_SKIPPED, "skipped_questions": ["days_since_procedure"]}
    assert slot_updates([], {}, "skip_question", None, False) == {}


def test_a_skipped_question_answered_later_is_no_longer_listed_as_skipped():
    slots = {"goals": [], "skipped_questions": ["days_since_procedure", "goals"]}
    updates = slot_updates([ent("benefit", "wrinkles")], slots, "inform", "goals", True)
    assert updates["goals"] == ["wrinkles"]
    assert updates["skipped_questions"] == ["days_since_procedure"]


def test_a_clause_saying_none_to_the_pending_question_answers_it_whatever_the_intent():
    entities = [ent("habit", "smoking")]
    text = "no treatments, but I should say I smoke about ten a day"
    updates = slot_updates(entities, {}, "faq", "recent_procedures", True, text)
    assert updates["recent_procedures"] == [] and updates["lifestyle"] == ["smoking"]
    question = "how many sessions would I need"
    assert slot_updates([], {}, "faq", "recent_procedures", True, question) == {}  # a question, no answer


def test_no_procedures_clears_the_date():
    updates = slot_updates(
        [], {"recent_procedures": ["botox"], "days_since_procedure": 10.0}, "deny", "recent_procedures", True
    )
    assert updates == {"recent_procedures": [], "days_since_procedure": None}


def test_a_condition_named_while_the_health_question_is_pending_counts_whatever_the_intent():
    entities = [ent("condition", "breastfeeding")]
    assert slot_updates(entities, {}, "faq", "conditions", True) == {"conditions": ["breastfeeding"]}
    assert slot_updates(entities, {}, "faq", "goals", True) == {}  # another question pending: a question
    assert slot_updates(entities, {}, "report_symptom", "conditions", True) == {}  # red flags go first


def test_a_denial_at_another_question_never_takes_a_stated_condition_away():
    entities = [{"entity": "condition", "value": "immunosuppression", "role": "negated"}]
    slots = {"conditions": ["immunosuppression"]}
    assert "conditions" not in answer(entities, slots, "lifestyle", text="x")
    assert answer(entities, slots, "conditions", text="x")["conditions"] == []


def test_a_time_said_nearer_the_next_treatment_still_belongs_to_its_own():
    # "laser about 3 weeks ago, and I get Botox every four months, the last round around five months ago"
    text = "laser about 3 weeks ago, and I get botox every four months, the last round around 5 months ago"
    updates = answer(
        [
            ent("procedure", "laser", start=0, end=5),
            ent("duration", "about 3 weeks ago", start=6, end=23, additional_info={"days": 21}),
            ent("procedure", "botox", start=35, end=40),
            ent("duration", "around 5 months ago", start=76, end=95, additional_info={"days": 150}),
        ],
        {},
        "recent_procedures",
        text=text,
    )
    assert updates["procedure_days"] == {"laser": 21.0, "botox": 150.0}
    # and times said first belong to the treatment after them: "in March laser, and 10 days ago botox"
    updates = answer(
        [
            ent("duration", "in March", start=0, end=8, additional_info={"days": 240}),
            ent("procedure", "laser", start=9, end=14),
            ent("duration", "10 days ago", start=20, end=31, additional_info={"days": 10}),
            ent("procedure", "botox", start=32, end=37),
        ],
        {},
        "recent_procedures",
        text="in March laser, and 10 days ago botox",
    )
    assert updates["procedure_days"] == {"laser": 240.0, "botox": 10.0}


def test_a_denial_at_another_question_never_takes_a_stated_treatment_away():
    # "no smoking, ..., sunscreen every day since the laser" once removed the laser, and its waiting period
    entities = [ent("procedure", "laser", "negated")]
    slots = {"recent_procedures": ["laser", "botox"], "procedure_days": {"laser": 21.0, "botox": 150.0}}
    assert "recent_procedures" not in answer(entities, slots, "lifestyle", text="x")
    assert answer(entities, slots, "recent_procedures", text="x")["recent_procedures"] == ["botox"]


def test_one_treatment_named_twice_with_two_times_takes_the_more_recent():
    text = "eyelids done 2 months ago, the blepharoplasty, and years ago a bit of botox"
    updates = answer(
        [
            ent("procedure", "facial_surgery", start=0, end=12),
            ent("duration", "2 months ago", start=13, end=25, additional_info={"days": 60}),
            ent("procedure", "facial_surgery", start=31, end=45),
            ent("duration", "years ago", start=51, end=60, additional_info={"days": 365}),
            ent("procedure", "botox", start=70, end=75),
        ],
        {},
        "recent_procedures",
        text=text,
    )
    assert updates["procedure_days"]["facial_surgery"] == 60.0


def test_a_word_for_how_one_feels_is_a_goal_only_at_the_goals_question():
    text = "I'm pretty healthy, just a bit tired"
    tired = ent("benefit", "glow", start=text.index("tired"), end=len(text))
    assert slot_updates([tired], {}, "inform", "conditions", True, text=text) == {"conditions": []}
    assert slot_updates([tired], {}, "inform", "goals", True, text="tired")["goals"] == ["glow"]


def test_normal_said_of_something_else_is_no_skin_type():
    text = "had high blood pressure when I was pregnant but it's normal now"
    normal = ent("skin_type", "normal", start=text.index("normal"), end=text.index("normal") + 6)
    assert "skin_type" not in slot_updates([normal], {}, "inform", "conditions", True, text=text)
    text = "my skin is pretty normal"
    normal = ent("skin_type", "normal", start=text.index("normal"), end=len(text))
    assert slot_updates([normal], {}, "inform", "conditions", True, text=text)["skin_type"] == "normal"


def test_an_ended_medicine_is_dated_by_its_end_when_an_earlier_time_is_said_first():
    from bot.screening.facts import dated_values

    text = "a clot a few months back, was on rivaroxaban and came off it last week"
    entities = [
        {
            "entity": "duration",
            "value": "a few months back",
            "start": 8,
            "end": 25,
            "additional_info": {"days": 90.0},
        },
        ent("condition", "anticoagulants", "past", start=34, end=45),
        {
            "entity": "duration",
            "value": "last week",
            "start": len(text) - 9,
            "end": len(text),
            "additional_info": {"days": 7.0},
        },
    ]
    assert dated_values(entities, "condition", "past") == {"anticoagulants": 7.0}


def test_a_condition_told_at_the_summary_counts_whatever_the_classifier_heard():
    summary = {"consent": True, "skin_type": "dry", "conditions": [], "recent_procedures": []}
    text = "oh I forgot to mention, I've got shingles at the moment"
    entities = [{"entity": "condition", "value": "acute_illness", "start": 32, "end": 40}]
    updates = slot_updates(
        entities, summary, intent="faq", requested_slot="answers_confirmed", form_active=True, text=text
    )
    assert updates.get("conditions") == ["acute_illness"]
    # Asked about, it is a question and nothing is noted.
    question = "is it safe with shingles?"
    asked = [{"entity": "condition", "value": "acute_illness", "start": 16, "end": 24}]
    assert "conditions" not in slot_updates(
        asked, summary, intent="faq", requested_slot="answers_confirmed", form_active=True, text=question
    )
    # Before any check began, a question intent notes nothing: the visitor has not started one.
    assert not slot_updates(entities, {}, intent="faq", requested_slot=None, form_active=False, text=text)


def test_a_correction_the_classifier_did_not_place_still_removes_the_denied_answer():
    summary = {"consent": True, "conditions": ["hypertension", "rosacea"]}
    text = "correction: I don't have high blood pressure, that was my brother"
    entities = [
        {"entity": "condition", "value": "hypertension", "role": "negated", "start": 25, "end": 44},
    ]
    updates = slot_updates(
        entities,
        summary,
        intent="nlu_fallback",
        requested_slot="answers_confirmed",
        form_active=True,
        text=text,
    )
    assert updates.get("conditions") == ["rosacea"]


def test_a_condition_said_current_and_past_in_one_message_is_current():
    # "transplant in 2016 (over), I take tacrolimus (now)": the medicine now wins
    entities = [
        {"entity": "condition", "value": "immunosuppression", "role": "past", "start": 0, "end": 17},
        {"entity": "duration", "value": "in 2016", "start": 18, "end": 25, "additional_info": {"days": 3600}},
        {"entity": "condition", "value": "immunosuppression", "start": 34, "end": 44},
    ]
    text = "kidney transplant in 2016, I take tacrolimus daily"
    updates = slot_updates(entities, {"consent": True}, "inform", "conditions", True, text=text)
    assert updates["conditions"] == ["immunosuppression"]
    assert "immunosuppression" not in (updates.get("past_conditions") or {})


def test_a_condition_said_current_then_ended_is_over():
    # "I had breast cancer but I finished chemo 4 years ago": the later mention says it ended
    entities = [
        {"entity": "condition", "value": "cancer", "start": 6, "end": 19},
        {"entity": "condition", "value": "cancer", "role": "past", "start": 37, "end": 42},
        {
            "entity": "duration",
            "value": "4 years ago",
            "start": 43,
            "end": 54,
            "additional_info": {"days": 1460},
        },
    ]
    text = "I had breast cancer but I finished chemo 4 years ago"
    updates = slot_updates(entities, {"consent": True}, "inform", "conditions", True, text=text)
    assert updates["conditions"] == []
    assert "cancer" in updates["past_conditions"]


def test_at_the_summary_a_time_alone_corrects_the_one_treatments_and_reopens_the_summary():
    summary = {"consent": True, "recent_procedures": ["laser"], "procedure_days": {"laser": 21.0}}
    time = [ent("duration", "4 months ago", additional_info={"days": 120.0})]
    updates = slot_updates(time, summary, "inform", "answers_confirmed", True, text="no wait, 4 months ago")
    assert updates["procedure_days"] == {"laser": 120.0}
    assert updates["days_since_procedure"] == 120.0
    assert "answers_confirmed" in updates and updates["answers_confirmed"] is None
    # Two treatments: whose time it is is not known, so nothing is changed.
    two = {
        **summary,
        "recent_procedures": ["laser", "botox"],
        "procedure_days": {"laser": 21.0, "botox": 40.0},
    }
    assert "procedure_days" not in slot_updates(
        time, two, "inform", "answers_confirmed", True, text="4 months ago"
    )


def test_at_the_summary_a_new_end_date_for_a_past_medicine_reopens_the_summary():
    summary = {"consent": True, "conditions": [], "past_conditions": {"immunosuppression": 365.0}}
    said = [
        ent("condition", "immunosuppression", "past", start=9, end=20),
        ent("duration", "5 weeks ago", start=21, end=32, additional_info={"days": 35.0}),
    ]
    updates = slot_updates(
        said, summary, "inform", "answers_confirmed", True, text="I stopped azathioprine 5 weeks ago"
    )
    assert updates["past_conditions"] == {"immunosuppression": 35.0}
    assert updates["answers_confirmed"] is None
