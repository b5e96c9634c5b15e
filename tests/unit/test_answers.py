"""Replies read as answers to the pending question, and a red flag always outranks them."""

import pytest

from bot.screening.answers import DATE_UNKNOWN, NO_READING, read_answer, topical_nones
from bot.screening.facts import slot_updates


@pytest.mark.parametrize(
    "question, text, value",
    [
        ("lifestyle", "fine", []),
        ("lifestyle", "all good really", []),
        ("lifestyle", "I live pretty healthily", []),
        ("recent_procedures", "no, I've never had anything done", []),
        ("recent_procedures", "nothing recently", []),
        ("conditions", "nope, I'm healthy", []),
        ("days_since_procedure", "honestly can't remember", DATE_UNKNOWN),
        ("consent", "no thanks, just questions", False),
        ("consent", "I'd rather not", False),
        ("consent", "please don't save anything", False),
        ("consent", "yes you can keep them", True),
        ("answers_confirmed", "yep that's right", True),
        ("answers_confirmed", "That is quite correct, thank you.", True),
        ("answers_confirmed", "yes, everything is accurate", True),
    ],
)
def test_plain_answers_are_read_for_the_pending_question(question, text, value):
    assert read_answer(text, question) == value


@pytest.mark.parametrize(
    "question, text",
    [
        ("lifestyle", "fine, but I smoke"),
        ("consent", "what will you keep?"),
        ("recent_procedures", "does it hurt?"),
        ("skin_type", "fine, a bit oily by lunch"),
    ],
)
def test_anything_more_than_a_plain_answer_is_read_the_usual_way(question, text):
    # "smoke" is a term the language layer finds: the reply names something, so it is read as such.
    assert read_answer(text, question, names_something=True) is NO_READING


@pytest.mark.parametrize(
    "question, text",
    [
        ("conditions", "generally well, nothing prescribed"),
        ("conditions", "healthy as far as I know and I don't take anything"),
        ("conditions", "only thyroxine for my thyroid, otherwise nothing"),
        ("conditions", "no meds, no problems"),
        ("recent_procedures", "no, just the odd facial"),
        ("lifestyle", "sensible mostly, the odd glass at weekends"),
        # injuries that healed, joints, seasonal allergies and a beautician's cleansing bear on nothing here
        ("conditions", "fractured my ankle in the spring, all mended now, no tablets"),
        ("conditions", "pollen allergies and a dodgy lower back, physio sorts it"),
        ("conditions", "hypothroid, on Synthroid, nothing else"),
        ("recent_procedures", "nothing, I just go to the beautician for a face cleansing"),
        ("recent_procedures", "my skin's totally natural, ha"),
        ("recent_procedures", "never let anybody near my face with a needle"),
        # joints by how they sound, wear and tear, a condition stable for years, vitamins by their letters
        ("conditions", "all fine bar my hips, they click a bit, it's wear and tear"),
        ("conditions", "levothyroxine, it's been stable for years"),
        ("conditions", "just a multivitamin and D"),
        # a treatment on the body, not the face
        ("recent_procedures", "only laser on my underarms, the last session was in june"),
    ],
)
def test_a_reply_whose_every_clause_denies_or_does_not_bear_on_the_question_is_none(question, text):
    assert read_answer(text, question) == []


@pytest.mark.parametrize(
    "question, text",
    [
        ("conditions", "nothing except tacrolimus"),
        ("conditions", "no idea, maybe something with my heart"),
        ("conditions", "not well at the moment"),
        ("conditions", "I have lupus"),
        ("conditions", "broke my wrist and the cut on my cheek is still open"),
        ("conditions", "healthy but does it matter that I had surgery?"),
        ("lifestyle", "is alcohol bad for it?"),
        ("lifestyle", "not sure"),
    ],
)
def test_an_unknown_unsure_or_unwell_reply_is_never_read_as_none(question, text):
    assert read_answer(text, question) is NO_READING


def test_the_lenient_question_reads_a_reply_naming_nothing_known_as_none_but_not_one_naming_a_term():
    assert read_answer("party on weekends haha", "lifestyle") == []
    assert read_answer("out every night", "lifestyle") == []
    assert read_answer("out every night", "lifestyle", names_something=True) is NO_READING
    assert read_answer("party on weekends haha", "conditions") is NO_READING  # health is never lenient


def test_a_plain_answer_fills_the_question_whatever_the_intent():
    updates = slot_updates([], {}, "faq", "recent_procedures", True, text="never had any")
    assert updates == {"recent_procedures": []}


def test_a_red_flag_outranks_the_reading():
    entities = [{"entity": "red_flag", "value": "self_harm"}]
    assert slot_updates(entities, {}, "report_symptom", "consent", True, text="no, I want to die") == {}


def test_not_knowing_when_reads_as_an_unknown_date_for_the_undated_treatments():
    slots = {"recent_procedures": ["botox"], "procedure_days": {"botox": None}}
    updates = slot_updates([], slots, "nlu_fallback", "days_since_procedure", True, text="no idea")
    assert updates["days_since_procedure"] == -1.0
    assert updates["procedure_days"] == {"botox": -1.0}


@pytest.mark.parametrize(
    "text, intent",
    [
        ("please stop storing what I write", "withdraw_consent"),
        ("I'd rather you didn't record any of it", "withdraw_consent"),
        ("I revoke my permission", "withdraw_consent"),
        ("fine, you may store my answers now", "give_consent"),
        ("can you keep it short?", None),
        ("please don't keep asking me about this", None),
        ("you can't keep them", None),
        # Saying no longer, or opting out, is never read as the consent it qualifies.
        ("I'm no longer comfortable with you saving my details", "withdraw_consent"),
        ("please opt me out", "withdraw_consent"),
        ("you have my consent", "give_consent"),
        ("not happy with my skin lately, keep going", None),
        # A refusal of the keeping, said with "agree" or "consent", is never the consent itself.
        ("I do not consent to what I type being kept", "withdraw_consent"),
        ("I don't agree with the price", None),
    ],
)
def test_a_change_of_mind_about_keeping_answers_is_read_by_rule(text, intent):
    from bot.screening.answers import consent_change

    assert consent_change(text) == intent


@pytest.mark.parametrize(
    "question, text",
    [
        ("conditions", "I'd rather not say"),
        ("recent_procedures", "prefer not to answer that one"),
        ("goals", "skip"),
    ],
)
def test_declining_to_answer_is_skipping_never_none(question, text):
    from bot.screening.answers import SKIPPED

    assert read_answer(text, question) is SKIPPED
    updates = slot_updates([], {}, "deny", question, True, text=text)
    assert question in (updates.get("skipped_questions") or [])


@pytest.mark.parametrize("text", ["I pass out sometimes", "I skip sunscreen", "I have a personal trainer"])
def test_ordinary_words_about_passing_or_skipping_are_not_declining(text):
    from bot.screening.answers import SKIPPED

    assert read_answer(text, "lifestyle") is not SKIPPED


def test_a_question_before_the_answer_is_set_aside_and_the_answer_read():
    assert read_answer("does the pill count? I'm on the pill, nothing else", "conditions") == []
    assert read_answer("does it matter?", "conditions") is NO_READING
    assert read_answer("does lupus count? I have lupus", "conditions") is NO_READING


def test_an_open_goal_is_taken_as_no_particular_goal_but_a_question_is_not():
    from bot.screening.answers import SKIPPED

    assert read_answer("just curious really", "goals") is SKIPPED
    assert read_answer("what can it do for jowls?", "goals") is NO_READING
    updates = slot_updates([], {}, "out_of_scope", "goals", True, text="whatever you think is best")
    assert updates["goals"] == [] and "goals" in updates["skipped_questions"]


def test_a_clause_that_only_refers_back_inherits_the_reading_of_the_one_before():
    assert read_answer("sertraline for anxiety, been on it for years and it's fine", "conditions") == []
    # It never turns an unknown or listed condition into "none".
    assert read_answer("lupus, been on it for years", "conditions") is NO_READING
    assert read_answer("warfarin, been on it for years", "conditions") is NO_READING


@pytest.mark.parametrize("text, value", [("✅", True), ("yes ✅", True), ("👍🏽", True), ("❌", False)])
def test_an_emoji_answers_a_yes_no_question(text, value):
    assert read_answer(text, "answers_confirmed") is value


def test_a_several_answer_reply_answers_later_questions_none_only_by_clauses_that_name_their_topic():
    combined = "combination skin, no health problems at all, and I've never had anything done to my face"
    updates = slot_updates(
        [{"entity": "skin_type", "value": "combination"}], {}, "inform", "skin_type", True, combined
    )
    assert updates == {"skin_type": "combination", "conditions": [], "recent_procedures": []}
    # A named condition wins; an unsure reply answers nothing; lifestyle's "all good" names no topic.
    named = slot_updates(
        [{"entity": "condition", "value": "anticoagulants"}],
        {},
        "inform",
        "skin_type",
        True,
        "dry, on warfarin, no health problems",
    )
    assert named["conditions"] == ["anticoagulants"]
    unsure = slot_updates(
        [], {}, "inform", "skin_type", True, "dry, not sure about health stuff, never had anything done"
    )
    assert "recent_procedures" not in unsure and "conditions" not in unsure
    assert "lifestyle" not in slot_updates([], {}, "inform", "skin_type", True, "oily, all good")


def test_a_skin_type_at_the_skin_question_answers_it_whatever_the_intent_unless_it_asks():
    dry = [{"entity": "skin_type", "value": "dry"}]
    assert slot_updates(dry, {}, "faq", "skin_type", True, "dry, much drier than it used to be") == {
        "skin_type": "dry"
    }
    assert slot_updates(dry, {}, "faq", "skin_type", True, "is it ok for dry skin?") == {}
    # An answer with a question beside it: the answer counts, the question is answered by the FAQ.
    combo = [{"entity": "skin_type", "value": "combination", "start": 0, "end": 11}]
    assert slot_updates(combo, {}, "faq", "skin_type", True, "combination. will it hurt?") == {
        "skin_type": "combination"
    }
    asked = [{"entity": "skin_type", "value": "oily", "start": 11, "end": 15}]
    assert slot_updates(asked, {}, "faq", "skin_type", True, "what about oily skin?") == {}
    assert slot_updates([], {}, "faq", "conditions", True, "none. how many sessions would I need?") == {
        "conditions": []
    }


def test_a_fact_for_another_question_is_noted_without_counting_as_a_miss_of_the_pending_one():
    sunburn = [{"entity": "condition", "value": "sunburn", "start": 12, "end": 20}]
    updates = slot_updates(sunburn, {}, "inform", "skin_type", True, "I've got bad sunburn from skiing")
    assert updates.get("conditions") == ["sunburn"] and "skin_type" not in updates


def test_a_clause_naming_the_pending_questions_topic_answers_it_none():
    said = "yes I take amlodipine for my high blood pressure, that's all, and no treatments on my face"
    hypertension = [{"entity": "condition", "value": "hypertension"}]
    slots = {"conditions": ["hypertension"]}
    assert slot_updates(hypertension, slots, "inform", "recent_procedures", True, said) == {
        "recent_procedures": []
    }


def test_a_skip_the_visitor_did_not_ask_for_is_read_as_an_answer():
    said = "mild hay fever, nothing else. wife booked me in for this"
    assert "skipped_questions" not in slot_updates([], {}, "skip_question", "conditions", True, said)
    for asked in ("skip", "can we move on from this one", "I'd rather not say"):
        assert slot_updates([], {}, "skip_question", "conditions", True, asked)["skipped_questions"] == [
            "conditions"
        ]


def test_the_pending_question_reads_the_reply_without_what_it_says_for_other_questions():
    said = "no, but I am on warfarin"
    warfarin = [{"entity": "condition", "value": "anticoagulants", "start": 16, "end": 24}]
    assert slot_updates(warfarin, {"conditions": []}, "inform", "recent_procedures", True, said) == {
        "conditions": ["anticoagulants"],
        "recent_procedures": [],
    }
    fear = [{"entity": "condition", "value": "needle_phobia", "start": 4, "end": 20}]
    updates = slot_updates(
        fear, {"conditions": ["needle_phobia"]}, "faq", "recent_procedures", True, "no, needles scare me lol"
    )
    assert updates == {"recent_procedures": []}


def test_a_correction_that_denies_a_recorded_answer_changes_it_whatever_the_classifier_heard():
    not_pregnant = [{"entity": "condition", "value": "pregnancy", "role": "negated", "start": 13, "end": 21}]
    slots = {"conditions": ["pregnancy"], "skin_type": "oily", "answers_confirmed": True}
    after_result = slot_updates(not_pregnant, slots, "inform", None, False, "actually I'm not pregnant")
    assert after_result["conditions"] == [] and after_result["answers_confirmed"] is None
    mid_form = slot_updates(
        not_pregnant, {"conditions": ["pregnancy"]}, "inform", "lifestyle", True, "sorry, not pregnant"
    )
    assert mid_form == {"conditions": []}
    # Without a word of correction, a denial at another question never removes a stated condition.
    assert "conditions" not in slot_updates(
        not_pregnant, {"conditions": ["pregnancy"]}, "inform", "lifestyle", True, "not pregnant"
    )


@pytest.mark.parametrize(
    "question, said",
    [
        ("goals", "oh wait, I should have said, I'm 14 weeks pregnant"),
        ("lifestyle", "I'd rather not say, but I'm pregnant"),
        ("recent_procedures", "no, but I'm pregnant"),
    ],
)
def test_a_condition_stated_at_another_question_is_never_dropped(question, said):
    at = said.index("pregnant")
    pregnant = [{"entity": "condition", "value": "pregnancy", "start": at, "end": at + 8}]
    assert slot_updates(pregnant, {"conditions": []}, "inform", question, True, said)["conditions"] == [
        "pregnancy"
    ]


def test_everyday_confirmations_and_benign_diets_are_read():
    assert read_answer("all good", "answers_confirmed") is True
    assert read_answer("looks good to me", "answers_confirmed") is True
    assert read_answer("coeliac so I eat gluten free, no medication", "conditions") == []


def test_asking_what_a_term_means_states_nothing():
    iso = [{"entity": "condition", "value": "isotretinoin", "start": 8, "end": 20}]
    assert slot_updates(iso, {}, "faq", "conditions", True, "what is isotretinoin?") == {}
    assert slot_updates(iso, {}, "inform", "conditions", True, "what is isotretinoin?") == {}
    said = "I am on isotretinoin, is that ok?"
    assert slot_updates(iso, {}, "inform", "conditions", True, said) == {"conditions": ["isotretinoin"]}


def test_a_time_names_nothing_at_a_question_that_does_not_ask_for_one():
    hours = [{"entity": "duration", "value": "five hours", "start": 12, "end": 22}]
    assert slot_updates(hours, {}, "inform", "lifestyle", True, "I get about five hours") == {"lifestyle": []}
    # At the treatments question a time is part of an answer: the same words are not "none" there.
    assert slot_updates(hours, {}, "inform", "recent_procedures", True, "I get about five hours") != {
        "recent_procedures": []
    }


def test_named_treatments_denied_with_anything_like_that_are_none_but_a_named_one_had_is_not():
    assert read_answer("never had laser or peels or anything of the sort", "recent_procedures") == []
    assert read_answer("haven't done fillers, microneedling, any of that", "recent_procedures") == []
    assert read_answer("never had botox, but filler in June", "recent_procedures") is NO_READING


@pytest.mark.parametrize(
    "text, expected",
    [
        ("just had laser on my arms a few days ago, nothing on the face", []),
        ("no, got a chemical peel booked for the new year though", []),
        ("laser on my face and arms a few days ago", NO_READING),  # the face too: it counts
    ],
)
def test_a_treatment_elsewhere_or_not_had_yet_answers_the_treatments_question_none(text, expected):
    assert read_answer(text, "recent_procedures") == expected


def test_a_treatment_had_stays_a_treatment_whatever_is_planned_in_the_same_breath():
    assert read_answer("I had botox on Monday before my holiday next week", "recent_procedures") is NO_READING


@pytest.mark.parametrize(
    "text", ["not ok, I keep getting this rash", "you have my permission to delete everything"]
)
def test_a_complaint_or_an_erasure_is_never_read_as_a_change_of_consent(text):
    from bot.screening.answers import consent_change

    assert consent_change(text) is None


@pytest.mark.parametrize(
    "text", ["yep no worries", "no problem", "sure, no bother", "yeah that's no problem"]
)
def test_a_no_inside_a_phrase_of_agreement_is_a_yes(text):
    from bot.screening.answers import yes_or_no

    assert yes_or_no(text) is True


def test_a_none_that_names_no_topic_answers_only_the_question_asked():
    # "Normal, nothing to report" at the skin question once answered "none" for health and treatments.
    assert topical_nones("normal, nothing to report", "skin_type") == []
    assert topical_nones("oily, I'm fine thanks", "skin_type") == []
    assert topical_nones("dry, no meds, never had anything done", "skin_type") == [
        "conditions",
        "recent_procedures",
    ]
    assert topical_nones("no, but I am on warfarin", "recent_procedures") == ["recent_procedures"]


@pytest.mark.parametrize(
    "question, text",
    [
        ("recent_procedures", "nevr"),
        ("conditions", "no meds no health stuff"),
        ("conditions", "zero medication"),
    ],
)
def test_misspelt_and_chained_nones_are_none(question, text):
    assert read_answer(text, question) == []


def test_stress_at_the_lifestyle_question_is_the_habit_not_a_goal():
    stress = [{"entity": "benefit", "value": "stress", "start": 15, "end": 20}]
    assert slot_updates(stress, {}, "inform", "lifestyle", True, "drink weekends, stress") == {
        "lifestyle": ["high_stress"]
    }
    assert slot_updates(stress, {}, "inform", "goals", True, "stress") == {"goals": ["stress"]}


@pytest.mark.parametrize(
    "text, question, reading",
    [
        ("my GP says I'm in perfect health", "conditions", []),
        ("only asthma, I use my blue inhaler now and then, its well controlled", "conditions", []),
        ("never had any cosmetic stuff done", "recent_procedures", []),
        ("I do", "consent", True),
        ("no I do not", "consent", False),
        ("confirmed", "answers_confirmed", True),
    ],
)
def test_plain_answers_found_in_typed_screenings(text, question, reading):
    assert read_answer(text, question) == reading


def test_a_no_treatments_clause_answers_that_question_from_another_one():
    assert "recent_procedures" in topical_nones("oily, and never had any cosmetic stuff done", "skin_type")


@pytest.mark.parametrize("text", ["fine", "it's ok really", "nothing special", "no problems with it"])
def test_a_skin_with_nothing_particular_is_the_normal_skin_type(text):
    assert read_answer(text, "skin_type") == "normal"


@pytest.mark.parametrize(
    "text, question, expected",
    [
        ("yes I agree to you storing them", "consent", True),
        ("naw", "recent_procedures", []),
        ("I'm pretty healthy, just a bit tired", "conditions", []),
    ],
)
def test_consent_in_its_own_words_a_scots_no_and_feeling_tired_are_plain_answers(text, question, expected):
    assert read_answer(text, question) == expected


@pytest.mark.parametrize(
    "text", ["I'm far too old for all that nonsense!", "god no, way too chicken for that stuff"]
)
def test_too_old_or_too_scared_for_that_is_no_treatment(text):
    assert read_answer(text, "recent_procedures") == []


@pytest.mark.parametrize(
    "text, value",
    [
        ("lovely, no worries at all", True),
        ("sure thing, go ahead, of course", True),
        ("nope, no thank you", False),
        ("yes, but no", None),  # parts that disagree answer nothing
        ("ok, but please don't keep any of it", None),
    ],
)
def test_several_plain_answers_in_a_row_answer_a_yes_no_question_only_when_all_agree(text, value):
    from bot.screening.answers import yes_or_no

    assert yes_or_no(text) is value


@pytest.mark.parametrize(
    "text, none",
    [
        ("oh god no, needles make me faint, my friend laughs at me for even looking at this", True),
        ("nope never. my cousin works at a spa though", True),
        ("no, only a thread lift back in june", False),  # a treatment brought in after the denial
        ("no, had some microneedling ages ago", False),
        ("no? not sure what counts", False),
    ],
)
def test_a_plain_denial_first_answers_the_treatments_question_unless_a_treatment_is_hinted_after(text, none):
    reading = read_answer(text, "recent_procedures")
    assert (reading == []) is none


@pytest.mark.parametrize(
    "text, none",
    [
        ("had malaria on a trip years back, completely cured. multivitamin daily", True),
        ("frozen shoulder last spring, mostly settled now, nothing else", True),
        ("gout now and then, last flare was years ago, nurse checked my bloods and said they're fine", True),
        ("a hernia repair in 2017 and osteoarthritis in my knees", True),
        ("had a stroke two years ago, fully recovered", False),  # not a short illness: asked about
        ("had a heart attack in 2020", False),
    ],
)
def test_short_illnesses_over_and_ordinary_ailments_answer_the_health_question_none(text, none):
    assert (read_answer(text, "conditions") == []) is none


@pytest.mark.parametrize(
    "text, value",
    [("I'm perfectly happy with that", True), ("i am ok to carry on", True), ("I'm good", None)],
)
def test_being_fine_with_it_is_a_yes_but_a_bare_im_good_is_not(text, value):
    from bot.screening.answers import yes_or_no

    assert yes_or_no(text) is value


def test_a_denial_running_over_commas_answers_the_treatments_question_from_anywhere():
    text = "I'm expecting in April, otherwise fine. Never had botox, peels or anything like that, no smoking"
    assert "recent_procedures" in topical_nones(text, "conditions")
    assert "recent_procedures" not in topical_nones("had botox, peels or anything like that", "conditions")


def test_habits_said_ahead_of_their_question_answer_it_even_when_only_denied():
    updates = slot_updates(
        [{"entity": "skin_type", "value": "dry"}, {"entity": "habit", "value": "smoking", "role": "negated"}],
        {},
        "inform",
        "skin_type",
        True,
        text="dry, and I don't smoke",
    )
    assert updates.get("lifestyle") == []
    assert updates.get("skin_type") == "dry"


def test_an_answer_that_refers_back_is_read_and_never_a_change():
    from bot.nlu.intent_cues import said
    from bot.screening.answers import yes_or_no

    assert read_answer("nothing here either, same as my last answer", "recent_procedures") == []
    assert not said("change_answer", "nothing here either, same as my last answer")
    assert said("change_answer", "I'd like to change my last answer")
    assert yes_or_no("ja") is True and yes_or_no("no wahala") is True


def test_a_hedge_on_something_that_bears_on_nothing_is_still_none_but_doubt_asks_again():
    from bot.screening.answers import read_answer

    assert read_answer("no health issues, a bit of hay fever in summer probably", "conditions") == []
    assert read_answer("none, perhaps hay fever now and then", "conditions") == []
    for unsure in ("not sure", "maybe", "I don't know, maybe", "no idea tbh"):
        assert read_answer(unsure, "conditions") not in ([], None), unsure


@pytest.mark.parametrize(
    "text", ["I don't agree to my answers being stored", "I won't give my consent", "dont consent"]
)
def test_refusing_agreement_at_the_consent_question_is_a_no(text):
    assert read_answer(text, "consent") is False


@pytest.mark.parametrize(
    "text", ["that's right, nothing to change", "looks good, no changes needed", "nothing to add"]
)
def test_nothing_to_change_at_the_summary_is_a_yes(text):
    assert read_answer(text, "answers_confirmed") is True


def test_happy_to_consent_is_a_yes_and_not_happy_is_no_reading():
    assert read_answer("yes, happy to consent", "consent") is True
    assert read_answer("not happy to consent", "consent") is NO_READING


def test_nothing_to_change_is_neither_a_denial_nor_a_change_but_changing_something_is():
    from bot.nlu.intent_cues import said

    for text in ("looks good, nothing to change", "all correct, no changes needed"):
        assert not said("deny", text) and not said("change_answer", text)
    assert said("change_answer", "no, change my skin type to dry")


@pytest.mark.parametrize(
    "question, text, value",
    [
        # a yes on the condition the answers stay with the clinic, as they do
        ("consent", "fine by me so long as just the practitioners read it", True),
        ("consent", "That's acceptable", True),
        ("consent", "ok if you delete them later", NO_READING),  # a condition we don't promise: asked again
        # a form label before the answer
        ("recent_procedures", "cosmetic procedures: nil", []),
        ("conditions", "medical history - none", []),
        # an everyday infection elsewhere, over, with nothing now
        ("conditions", "had a chest infection in March, cleared with antibiotics, nothing currently", []),
        # right after a change at the summary
        ("answers_confirmed", "all fine now ta", True),
    ],
)
def test_consent_with_its_condition_labels_and_ended_infections_are_answers(question, text, value):
    assert read_answer(text, question) == value


@pytest.mark.parametrize(
    "text, value",
    [
        ("suppose so, as long as it stays with the clinic team", True),
        ("if it's kept private then sure", True),
        ("fine, if you wipe it afterwards", NO_READING),  # asks for them not to be kept: asked again
        ("I guess so", True),
        ("ok then", True),
    ],
)
def test_hesitant_and_conditional_consents(text, value):
    assert read_answer(text, "consent") == value


@pytest.mark.parametrize("question", ["conditions", "recent_procedures"])
@pytest.mark.parametrize("text", ["lol", "then", "ever", "haha"])
def test_a_reply_of_filler_alone_is_no_answer_and_never_an_error(question, text):
    # "lol" at the treatments question once raised IndexError (the bot said it was having trouble); the
    # lifestyle and goals questions read a reply naming nothing leniently, by design
    assert read_answer(text, question) is NO_READING


def test_treatments_only_on_the_body_with_the_face_denied_are_none():
    assert read_answer("laser on my arms and legs in june, never on my face", "recent_procedures") == []
    assert read_answer("waxing on my legs last week - nothing on my face", "recent_procedures") == []
    assert read_answer("went for a botox consultation but backed out", "recent_procedures") == []
