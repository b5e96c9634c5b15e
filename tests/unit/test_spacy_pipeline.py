"""The spaCy layer alone: curated terms, canonical values, negation scope, durations, past mentions."""

import pytest


def found(entities, role="any"):
    return {(e["entity"], e["value"]) for e in entities if role == "any" or e.get("role") == role}


@pytest.mark.parametrize(
    "text,entity,value",
    [
        ("I'm on Eliquis", "condition", "anticoagulants"),
        ("taking xarelto daily", "condition", "anticoagulants"),
        ("I take clopidogrel", "condition", "anticoagulants"),
        ("on warfarin", "condition", "anticoagulants"),
        ("I'm on roaccutane", "condition", "isotretinoin"),
        ("I get cold sores", "condition", "skin_infection"),
        ("i'm preganant", "condition", "pregnancy"),
        ("had lip filler", "procedure", "filler"),
        ("anti wrinkle injections", "procedure", "botox"),
        ("my skin gets shiny by noon", "skin_type", "oily"),
        ("will it help my crow's feet", "benefit", "wrinkles"),
        ("my face is drooping", "red_flag", "facial_droop"),
        ("I want to kill myself", "red_flag", "self_harm"),
    ],
)
def test_curated_terms_map_to_canonical_values(entities_of, text, entity, value):
    assert (entity, value) in found(entities_of(text), role=None)


@pytest.mark.parametrize(
    "text,entity,value",
    [
        ("I'm not pregnant", "condition", "pregnancy"),
        ("no blood thinners", "condition", "anticoagulants"),
        ("never had botox", "procedure", "botox"),
        ("I don't smoke", "habit", "smoking"),
        ("never smoked", "habit", "smoking"),
        ("non-smoker", "habit", "smoking"),
        ("no history of epilepsy", "condition", "epilepsy"),
        ("I'm not on any blood thinners", "condition", "anticoagulants"),
        ("pregnant? no", "condition", "pregnancy"),
        ("no chest pain, just wondering about bruising", "red_flag", "chest_pain"),
        ("the missus has had botox but not me", "procedure", "botox"),
        ("doctor mentioned roaccutane but I haven't started it", "condition", "isotretinoin"),
    ],
)
def test_denied_mentions_are_negated(entities_of, text, entity, value):
    entities = entities_of(text)
    assert (entity, value) in found(entities, role="negated")
    assert (entity, value) not in found(entities, role=None)


@pytest.mark.parametrize(
    "text,denied,stated",
    [
        (
            "I'm not pregnant but I'm on warfarin",
            {("condition", "pregnancy")},
            {("condition", "anticoagulants")},
        ),
        ("No, I'm pregnant", set(), {("condition", "pregnancy")}),
        ("never had botox, had filler 3 weeks ago", {("procedure", "botox")}, {("procedure", "filler")}),
        (
            "I have diabetes and high blood pressure, no epilepsy",
            {("condition", "epilepsy")},
            {("condition", "diabetes"), ("condition", "hypertension")},
        ),
        (
            "no diabetes, but I do take warfarin",
            {("condition", "diabetes")},
            {("condition", "anticoagulants")},
        ),
        ("not pregnant but breastfeeding", {("condition", "pregnancy")}, {("condition", "breastfeeding")}),
        (
            "not really oily not really dry so normal",
            {("skin_type", "oily"), ("skin_type", "dry")},
            {("skin_type", "normal")},
        ),
        (
            "my skin is normal i think, not so oily and not so dry",
            {("skin_type", "oily"), ("skin_type", "dry")},
            {("skin_type", "normal")},
        ),
    ],
)
def test_negation_scope_stops_where_the_clause_does(entities_of, text, denied, stated):
    entities = entities_of(text)
    assert found(entities, role="negated") >= denied
    assert found(entities, role=None) >= stated
    assert not (found(entities, role=None) & denied)


def test_uncertain_mentions_stay_positive(entities_of):
    assert ("condition", "pregnancy") in found(entities_of("not sure if I'm pregnant"), role=None)
    assert ("condition", "pregnancy") in found(entities_of("I might be pregnant"), role=None)


def test_things_given_up_are_marked_past_not_positive(entities_of):
    assert ("habit", "smoking") in found(entities_of("I quit smoking last year"), role="past")
    assert ("condition", "isotretinoin") in found(entities_of("not on accutane anymore"), role="past")
    assert ("condition", "anticoagulants") in found(entities_of("stopped taking warfarin"), role="past")


def test_the_reason_for_a_treatment_that_is_over_is_over_with_it(entities_of):
    said = "I was on roaccutane for my spots but finished the course 3 years ago"
    past = found(entities_of(said), role="past")
    assert ("condition", "active_acne") in past
    still = entities_of("I was on roaccutane for my spots and they're still bad")
    assert ("condition", "active_acne") in found(still, role=None)


def test_durations_carry_days(entities_of):
    duration = [e for e in entities_of("had botox 10 days ago") if e["entity"] == "duration"][0]
    assert duration["value"] == "10 days ago"
    assert duration["additional_info"]["days"] == 10


def test_offsets_point_at_the_words_in_the_original_text(entities_of):
    text = "I'm on Eliquis"
    entity = entities_of(text)[0]
    assert text[entity["start"] : entity["end"]] == "Eliquis"


def test_saved_pipeline_round_trips(nlp, tmp_path):
    import spacy

    import bot.nlu.spacy_components  # noqa: F401

    nlp.to_disk(tmp_path / "p")
    loaded = spacy.load(tmp_path / "p")
    assert loaded.pipe_names == nlp.pipe_names
    doc = loaded("no blood thinners")
    assert doc.ents[0]._.negex is True


def test_acne_marks_are_not_active_acne(entities_of):
    assert ("condition", "active_acne") not in found(entities_of("texture, I still have some old acne marks"))
    assert ("condition", "active_acne") in found(entities_of("I have acne at the moment"))


@pytest.mark.parametrize(
    "text,entity,value,role",
    [
        # a form-style answer: the word after the mention says no, or yes
        ("asthma no, epilepsy no, diabetes yes", "condition", "epilepsy", "negated"),
        ("asthma no, epilepsy no, diabetes yes", "condition", "diabetes", None),
        # ended, given up, left over from: over
        ("radiotherapy finished in june", "condition", "cancer", "past"),
        ("vaped for ten years, stopped when my son was born", "habit", "smoking", "past"),
        # a treatment given up is still a treatment had: its date decides (the bot asks when)
        ("I'd like to try something after years of fillers", "procedure", "filler", None),
        ("gave up botox a year ago", "procedure", "botox", None),
        ("haven't had fillers since 2019", "procedure", "filler", None),
        ("never had fillers", "procedure", "filler", "negated"),
        # an echoed question answered, a skin type of the past, a denial in another clause
        ("pregnant? god no", "condition", "pregnancy", "negated"),
        ("breastfeeding? not anymore", "condition", "breastfeeding", "past"),
        ("used to be oily as a teenager, it's dry now", "skin_type", "oily", "past"),
        ("used to be oily as a teenager, it's dry now", "skin_type", "dry", None),
        ("definitely not combination, it's oily all over", "skin_type", "oily", None),
        ("had a cold last week, all fine now", "condition", "acute_illness", "past"),
        ("botox yes, filler no", "procedure", "filler", "negated"),
        # ends said in other words: taken off, until, off it since, switched from, none of the above
        ("the doctor took me off the blood thinners in spring", "condition", "anticoagulants", "past"),
        ("was pregnant till 3 months ago", "condition", "pregnancy", "past"),
        ("prednisolone for my bowel, been off them since june", "condition", "immunosuppression", "past"),
        ("moved from smoking to vaping last year", "habit", "smoking", "past"),
        ("drinking, smoking - none of the above", "habit", "alcohol", "negated"),
        # a goal denied in one clause leaves the next one wanted
        ("lines aren't the issue, I want more of a glow", "benefit", "glow", None),
        ("marks left over from acne in my twenties", "condition", "active_acne", "past"),
        ("had seizures as a teenager, none since", "condition", "epilepsy", "past"),
        # how often a habit is had says it is had, whatever was denied before it
        ("no cigarettes, but I drink wine at weekends", "habit", "alcohol", None),
    ],
)
def test_answers_ends_and_frequencies_set_the_role(entities_of, text, entity, value, role):
    roles = {e.get("role") for e in entities_of(text) if (e["entity"], e["value"]) == (entity, value)}
    assert roles == {role}


def test_oily_and_dry_in_different_zones_are_combination_but_not_in_different_seasons(entities_of):
    assert found(entities_of("greasy nose and forehead, dry flaky cheeks"), role=None) >= {
        ("skin_type", "combination")
    }
    seasons = found(entities_of("oily all summer, dry all winter"), role=None)
    assert ("skin_type", "combination") not in seasons and ("skin_type", "oily") in seasons


def test_a_denial_of_one_thing_does_not_reach_across_a_new_wish_or_subject(entities_of):
    assert ("benefit", "natural_approach") in found(
        entities_of("don't want fillers, i'd rather go natural"), role=None
    )
    assert ("skin_type", "oily") in found(entities_of("no meds, skin is oily"), role=None)


@pytest.mark.parametrize(
    "text,entity,value",
    [
        # another thing stopped does not end a current one
        ("12 weeks pregnant, stopped alcohol and coffee", "condition", "pregnancy"),
        ("I'm on warfarin, stopped aspirin last month", "condition", "anticoagulants"),
        ("on roaccutane but stopped my retinol 8 months ago", "condition", "isotretinoin"),
        ("I'm on accutane, my acne cleared up", "condition", "isotretinoin"),
        # marks from a treatment are a recent treatment's; another condition's cure is not this one's
        ("I have marks from botox injections yesterday", "procedure", "botox"),
        ("I have haemophilia, my hep c was cured years ago", "condition", "bleeding_disorder"),
        ("epilepsy, had a fit last week, nothing since", "condition", "epilepsy"),
        # everything said between two skin zones stays
        ("oily forehead, had botox 3 days ago, dry cheeks", "procedure", "botox"),
    ],
)
def test_a_current_contraindication_is_never_ended_by_something_else(entities_of, text, entity, value):
    roles = {e.get("role") for e in entities_of(text) if (e["entity"], e["value"]) == (entity, value)}
    assert roles == {None}


def test_a_short_illness_more_than_two_weeks_back_is_over_and_a_recent_one_is_not(entities_of):
    assert ("condition", "acute_illness") in found(
        entities_of("three months ago I had covid, fine now"), role="past"
    )
    assert ("condition", "acute_illness") in found(entities_of("came down with flu 3 days ago"), role=None)


def test_stress_at_work_is_a_habit_and_less_stress_a_goal(entities_of):
    assert ("habit", "high_stress") in found(entities_of("I have too much stress at work"), role=None)
    assert ("benefit", "stress") not in found(entities_of("I have too much stress at work"))
    assert ("benefit", "stress") in found(entities_of("I would like less stress"), role=None)


def test_a_denial_of_one_habit_does_not_reach_a_later_clause_that_says_its_own_no_or_counts_hours(
    entities_of,
):
    entities = entities_of("dont smoke, drink w friends on sat, sleep like 5hrs lol, no spf tbh")
    assert found(entities, role="negated") == {("habit", "smoking")}
    assert {("habit", "alcohol"), ("habit", "poor_sleep"), ("habit", "no_sunscreen")} <= found(
        entities, role=None
    )
    assert ("habit", "poor_sleep") in found(entities_of("I don't sleep 5 hours a night"), role="negated")


def test_a_habit_that_says_its_own_badness_is_not_denied_from_another_clause(entities_of):
    assert ("habit", "poor_sleep") in found(entities_of("no smoking, barely sleep"), role=None)
    assert ("habit", "poor_sleep") in found(entities_of("I don't have poor sleep"), role="negated")
    assert ("habit", "low_water") in found(entities_of("coffee yes, water not so much"), role=None)


@pytest.mark.parametrize(
    "text,value",
    [
        ("there's a pimple on my jaw that's gone yellow and sore, I think it's infected", "skin_infection"),
        ("a septic piercing on my nose", "skin_infection"),
        ("I scraped my cheek last week and the graze hasn't fully healed", "open_wound"),
        ("honestly I faint at the sight of injections", "needle_phobia"),
    ],
)
def test_conditions_described_in_everyday_words_are_named(entities_of, text, value):
    assert ("condition", value) in found(entities_of(text), role=None)


def test_a_described_condition_is_denied_like_a_named_one(entities_of):
    assert ("condition", "skin_infection") in found(
        entities_of("no infected spots or anything"), role="negated"
    )
    assert ("condition", "needle_phobia") not in found(entities_of("needles don't bother me at all"))


def test_a_description_outweighs_a_rating_read_inside_it(entities_of):
    # "spot on" alone is a rating ("spot on, thanks"); in "a spot on my chin that's infected" it is not.
    text = "no meds, but there's a spot on my cheek that's gone septic"
    assert ("condition", "skin_infection") in found(entities_of(text), role=None)


def test_a_denied_red_flag_never_hides_a_stated_one_it_overlaps(entities_of):
    text = "no tingling or pain, just my face drooping to one side out of nowhere, is that bad"
    stated = {e["value"] for e in entities_of(text) if e["entity"] == "red_flag" and not e.get("role")}
    assert "facial_droop" in stated


def test_lexicon_patterns_expand_macros_and_name_what_is_wrong():
    from bot.nlu.lexicon import LexiconError, compile_pattern

    assert compile_pattern("{A} cyst", {"A": "(?:{B})", "B": "infected"}, "x").search("an infected cyst")
    with pytest.raises(LexiconError, match="described.yml: unknown macro"):
        compile_pattern("{NOPE} spot", {}, "described.yml")


@pytest.mark.parametrize(
    "text, place",
    [
        ("cheek filler into my marionette lines in march", "wrinkles"),
        ("microneedling on the pitted scarring last month", "texture"),
        ("eczema along my jawline", "muscle_tone"),
    ],
)
def test_a_part_of_the_face_named_as_where_a_treatment_went_is_no_goal(entities_of, text, place):
    assert ("benefit", place) not in [(e["entity"], e["value"]) for e in entities_of(text)]


def test_a_treated_place_the_visitor_wants_improved_stays_a_goal(entities_of):
    text = "had botox on my frown lines and want them softer"
    found = [(e["entity"], e["value"]) for e in entities_of(text)]
    assert ("benefit", "wrinkles") in found


@pytest.mark.parametrize(
    "text, entity, value",
    [
        ("had skin cancer, the treatment ended in may", "condition", "cancer"),
        ("prednisone, finished a month ago", "condition", "immunosuppression"),
        ("radiotherapy for bowel cancer, finished in 2021", "condition", "cancer"),
        ("smoked heavily but that was twenty years ago", "habit", "smoking"),
        ("was a big drinker but stopped two years ago", "habit", "alcohol"),
    ],
)
def test_an_end_said_after_a_comma_or_a_but_makes_it_past(entities_of, text, entity, value):
    found = [(e["entity"], e["value"], e.get("role")) for e in entities_of(text)]
    assert (entity, value, "past") in found and (entity, value, None) not in found


def test_what_is_still_going_on_is_not_ended_by_what_follows(entities_of):
    text = "still on chemo, it finished a cycle"
    found = [(e["entity"], e["value"], e.get("role")) for e in entities_of(text)]
    assert ("condition", "cancer", None) in found


def test_a_habit_that_says_its_badness_at_its_end_is_not_denied_by_an_earlier_no(entities_of):
    found = [(e["entity"], e["value"], e.get("role")) for e in entities_of("no vaping, sleep is awful")]
    assert ("habit", "poor_sleep", None) in found


def test_drinking_water_by_the_glass_or_litre_is_no_alcohol(entities_of):
    found = entities_of("I drink 2 litre water every day, a glass of wine at weekends")
    assert [e["value"] for e in found if e["entity"] == "habit"] == ["alcohol"]  # the wine, not the water
    assert not [e for e in entities_of("drinking about three big glasses of water") if e["entity"] == "habit"]


def test_a_cold_said_with_its_badness_is_an_illness_and_over_once_said_finished(entities_of):
    (cold,) = [e for e in entities_of("I have a stinking cold") if e["entity"] == "condition"]
    assert (cold["value"], cold.get("role")) == ("acute_illness", None)
    said = "had a bad cold, it's completely finished now"
    (cold,) = [e for e in entities_of(said) if e["entity"] == "condition"]
    assert cold.get("role") == "past"


def test_a_description_never_reaches_across_a_denial(entities_of):
    said = "my face gets dry flaky patches but nothing broken or weeping right now"
    assert not [e for e in entities_of(said) if e["entity"] == "condition"]
    (infected,) = [
        e for e in entities_of("spot on my chin, not sure but it's weeping") if e["entity"] == "condition"
    ]
    assert (infected["value"], infected.get("role")) == ("skin_infection", None)


@pytest.mark.parametrize(
    "text, entity, value",
    [
        ("sugar was high in my last pregnancy, gestational diabetes, gone since", "condition", "diabetes"),
        ("my BP shot up at the end of the pregnancy, it's settled since", "condition", "pregnancy"),
    ],
)
def test_what_belonged_to_a_past_pregnancy_is_not_current(entities_of, text, entity, value):
    assert (entity, value) not in found(entities_of(text), role=None)


def test_a_skin_type_said_and_taken_back_is_denied(entities_of):
    entities = entities_of("put me down as dry please, I told you oily before but it isn't, not at all")
    assert ("skin_type", "oily") not in found(entities, role=None)
    assert ("skin_type", "dry") in found(entities, role=None)


def test_a_condition_qualified_after_a_but_is_still_stated(entities_of):
    assert ("condition", "eczema") in found(entities_of("eczema on my hands but it's not bad"), role=None)


def test_metformin_said_to_be_for_pcos_is_no_diabetes_but_alone_it_still_is(entities_of):
    assert ("condition", "diabetes") not in found(entities_of("metformin for my PCOS and that's it"))
    assert ("condition", "diabetes") in found(entities_of("I take metformin twice a day"), role=None)


@pytest.mark.parametrize(
    "text, entity, value",
    [
        ("never been a smoker, what I want is a glow", "benefit", "glow"),  # "want" holds no denial
        ("my lifestyle isn't great, loads of stress at work", "habit", "high_stress"),
        ("not combination, just normal", "skin_type", "normal"),
    ],
)
def test_a_denial_or_a_complaint_does_not_reach_what_is_said_after_it(entities_of, text, entity, value):
    assert (entity, value) in found(entities_of(text), role=None)


@pytest.mark.parametrize(
    "text, entity, value",
    [
        ("a bleeding disorder? not that I'm aware of", "condition", "bleeding_disorder"),
        ("I'm off the prednisolone a month now", "condition", "immunosuppression"),
    ],
)
def test_an_echoed_question_answered_no_or_a_medicine_one_is_off_is_not_current(
    entities_of, text, entity, value
):
    assert (entity, value) not in found(entities_of(text), role=None)


@pytest.mark.parametrize(
    "text, entity, value",
    [
        ("on Acitrom since my valve op", "condition", "anticoagulants"),
        ("started Sotret for my pimples last month", "condition", "isotretinoin"),
        ("MS, on Ocrevus", "condition", "immunosuppression"),
        ("taking Telma 40 every morning", "condition", "hypertension"),
        ("I'm a type 1 on a pump", "condition", "diabetes"),
        ("my nose and cheeks stay flushed with tiny bumps, worse with spicy food", "condition", "rosacea"),
    ],
)
def test_medicine_brands_and_described_conditions_from_entities_dev_5(entities_of, text, entity, value):
    assert (entity, value) in found(entities_of(text), role=None)


def test_a_normal_blood_pressure_is_no_high_blood_pressure(entities_of):
    assert ("condition", "hypertension") not in found(entities_of("my BP is normal, on Eltroxin for thyroid"))


def test_an_ended_medicine_does_not_end_a_condition_said_in_the_next_clause(entities_of):
    text = "finished a course of roaccutane last spring and I've got rosacea on my cheeks"
    assert ("condition", "rosacea") in found(entities_of(text), role=None)


@pytest.mark.parametrize(
    "text, entity, value",
    [
        (
            "the device for my heartbeat was fitted in 2020, a small box under the collarbone",
            "condition",
            "pacemaker",
        ),
        ("jabs for my crohn's every two weeks", "condition", "immunosuppression"),
    ],
)
def test_conditions_said_by_what_they_are_from_conversations_dev_19(entities_of, text, entity, value):
    assert (entity, value) in found(entities_of(text), role=None)


def test_blood_pressure_of_a_past_pregnancy_that_went_back_to_normal_is_over(entities_of):
    text = "my blood pressure was high when I was pregnant but it went back to normal after"
    assert ("condition", "hypertension") not in found(entities_of(text), role=None)


@pytest.mark.parametrize(
    "text, entity, value",
    [
        ("my eczema flared in the spring but it's all healed, nothing there now", "condition", "eczema"),
        ("had a nasty cold last week, loads better now", "condition", "acute_illness"),
        (
            "took accutane in my college days, finished it ages ago and my skin has been clear since",
            "condition",
            "isotretinoin",
        ),
        ("spots are gone since the summer, just a bit oily now", "condition", "active_acne"),
    ],
)
def test_a_condition_said_to_be_over_is_past_not_current(entities_of, text, entity, value):
    assert (entity, value) not in found(entities_of(text), role=None)


def test_a_due_date_is_no_time_that_is_over(entities_of):
    assert ("condition", "pregnancy") in found(
        entities_of("we're expecting in march, so I'm about 20 weeks"), role=None
    )


def test_a_spot_that_has_gone_yellow_is_still_infected(entities_of):
    text = "a spot on my cheek has gone yellow and angry, probably infected"
    assert ("condition", "skin_infection") in found(entities_of(text), role=None)


@pytest.mark.parametrize(
    "text, entity, value",
    [
        ("I'm on marevan since my valve op", "condition", "anticoagulants"),
        ("norvasc every morning", "condition", "hypertension"),
        ("was on the pred for a month for my chest", "condition", "immunosuppression"),
        ("hookah at the weekends with my cousins", "habit", "smoking"),
        ("my make up slides off my nose by 11", "skin_type", "oily"),
        ("my shins and cheeks go ashy in winter", "skin_type", "dry"),
    ],
)
def test_brands_and_everyday_words_from_entities_dev_6(entities_of, text, entity, value):
    assert (entity, value) in found(entities_of(text))


def test_wouldnt_call_it_denies_a_skin_type(entities_of):
    assert ("skin_type", "sensitive") not in found(
        entities_of("combination, but I wouldnt call it sensitive"), role=None
    )


@pytest.mark.parametrize(
    "text, entity, value",
    [
        (
            "was taking apixaban after my DVT, the haematologist stopped it a month ago",
            "condition",
            "anticoagulants",
        ),
        (
            "had isotretinoin for my spots, finished it 9 months ago. Now my skin is clear",
            "condition",
            "isotretinoin",
        ),
        (
            "had isotretinoin for my spots, finished it 9 months ago. Now my skin is clear",
            "condition",
            "active_acne",
        ),
    ],
)
def test_a_medicine_ended_by_the_doctor_or_before_a_new_sentence_is_past(entities_of, text, entity, value):
    assert (entity, value) not in found(entities_of(text), role=None)


@pytest.mark.parametrize(
    "text,entity,value,role",
    [
        # the exception to a denial is affirmed
        ("besides mild eczema, nope", "condition", "eczema", None),
        ("nothing else other than the diabetes", "condition", "diabetes", None),
        # a last dose or cycle, and a stop someone asked for, are over (their time decides)
        ("my last course of prednisolone was in august", "condition", "immunosuppression", "past"),
        ("the surgeon told me to stop the apixaban two days ago", "condition", "anticoagulants", "past"),
        # a corrected time denies the time, not the treatment
        ("the filler wasn't 2 weeks ago, it was 2 months ago", "procedure", "filler", None),
    ],
)
def test_exceptions_last_doses_and_corrected_times_set_the_role(entities_of, text, entity, value, role):
    roles = {e.get("role") for e in entities_of(text) if (e["entity"], e["value"]) == (entity, value)}
    assert roles == {role}


def test_a_corrected_time_is_dropped_and_the_new_one_kept(entities_of):
    entities = entities_of("my peel wasn't yesterday, it was 5 weeks ago")
    spans = [e["value"] for e in entities if e["entity"] == "duration"]
    assert spans == ["5 weeks ago"]


@pytest.mark.parametrize(
    "text,value",
    [
        ("still nursing my 3 month old myself", "breastfeeding"),
        ("on injections to stop blood clots after my op", "anticoagulants"),
        ("any cut I get, the scar goes thick and raised, way bigger than the wound", "keloid"),
        ("got really sunburned on my face at the beach yesterday", "sunburn"),
    ],
)
def test_conditions_said_by_what_they_are_like(entities_of, text, value):
    assert ("condition", value) in found(entities_of(text), role=None) | found(entities_of(text))


@pytest.mark.parametrize(
    "text,value",
    [
        ("eczema flaring right now, otherwise no", "eczema"),
        ("on apixaban, apart from that nothing", "anticoagulants"),
    ],
)
def test_a_denial_after_otherwise_is_of_everything_else(entities_of, text, value):
    assert ("condition", value) in found(entities_of(text), role=None)


@pytest.mark.parametrize(
    "text,expected",
    [
        # a list written as a form: each answer is its own item's
        (
            "lasers no peels no botox yes",
            {("laser", "negated"), ("chemical_peel", "negated"), ("botox", None)},
        ),
        (
            "1) epilepsy no 2) warfarin yes 3) pregnant no",
            {("epilepsy", "negated"), ("anticoagulants", None), ("pregnancy", "negated")},
        ),
        ("filler \u2718 botox \u2714", {("filler", "negated"), ("botox", None)}),
        ("Pacemaker \u2013 No / Eczema \u2013 yes", {("pacemaker", "negated"), ("eczema", None)}),
        # ...but not a sentence that begins with something else: the "no" denies what follows
        ("I had a peel no botox", {("chemical_peel", None), ("botox", "negated")}),
    ],
)
def test_form_style_lists_answer_each_item(entities_of, text, expected):
    got = {
        (e["value"], e.get("role")) for e in entities_of(text) if e["entity"] in ("condition", "procedure")
    }
    assert got == expected


@pytest.mark.parametrize(
    "text,value,role",
    [
        ("epilepsy? definitely not", "epilepsy", "negated"),
        ("smoking - that's a firm no", "smoking", "negated"),
        ("it's not that I don't smoke, I do", "smoking", None),
        ("I'm no stranger to fillers", "filler", None),
        ("no, I haven't stopped the methotrexate", "immunosuppression", None),
        ("I'm not off the apixaban, still taking it daily", "anticoagulants", None),
        ("been off prednisolone since june", "immunosuppression", "past"),
        ("my tacrolimus was stopped 2 months ago", "immunosuppression", "past"),
    ],
)
def test_trailing_answers_denied_stops_and_double_denials(entities_of, text, value, role):
    roles = {e.get("role") for e in entities_of(text) if e["value"] == value}
    assert roles == {role}


@pytest.mark.parametrize(
    "text,value,role",
    [
        ("botox? peels? fillers? no, none of them", "chemical_peel", "negated"),
        ("rosacea no, eczema a little on my hands", "eczema", None),
        ("1) epilepsy no 2) eczema no 3) warfarin yes", "eczema", "negated"),
        (
            "a short course of antibiotics and prednisolone for a chest infection in 2019",
            "immunosuppression",
            "past",
        ),
        ("migraines, I take sumatriptan when one starts", "migraine", None),
        ("headaches with flashing lights first, I have to lie in a dark room", "migraine", None),
        ("my nose and cheeks turn red whenever I have spicy food", "rosacea", None),
        ("nae botox, nae fillers", "botox", "negated"),
    ],
)
def test_echoed_lists_answered_items_courses_and_conditions_by_description(entities_of, text, value, role):
    roles = {e.get("role") for e in entities_of(text) if e["value"] == value}
    assert roles == {role}


def test_a_treatment_named_only_as_what_is_preferred_to_is_not_had(entities_of):
    assert not [
        e for e in entities_of("I'd prefer something gentler, an option to fillers") if e["value"] == "filler"
    ]


def test_a_time_said_not_to_be_the_time_is_dropped_when_another_stands(entities_of):
    times = [
        e["value"]
        for e in entities_of("it was four months back, not four weeks")
        if e["entity"] == "duration"
    ]
    assert times == ["four months back"]
    alone = [e for e in entities_of("not four weeks") if e["entity"] == "duration"]
    assert alone  # with nothing else said, the time stays for the question to read


def test_a_time_of_life_gone_by_marks_a_medicine_past(entities_of):
    assert ("condition", "isotretinoin") in found(
        entities_of("did a course of roaccutane at college"), role="past"
    )
    assert ("condition", "isotretinoin") in found(
        entities_of("roaccutane in my teens and I'm back on it now"), role=None
    )
    stopped = entities_of("accutane years back but quit like 4 years ago")
    assert ("condition", "isotretinoin") in found(stopped, role="past")


def test_a_relatives_condition_is_not_the_visitors_when_they_say_they_are_clear(entities_of):
    said = entities_of("my dad's got high blood pressure but I'm fine myself")
    assert ("condition", "hypertension") in found(said, role="negated")
    assert ("procedure", "botox") in found(entities_of("my wife had botox, not me"), role="negated")


def test_a_relatives_condition_said_alone_or_shared_stays(entities_of):
    # Maybe said on the relative's behalf: a contraindication is never dropped on a guess.
    assert ("condition", "pacemaker") in found(entities_of("my gran has a pacemaker"), role=None)
    assert ("condition", "diabetes") in found(entities_of("my brother has diabetes, same for me"), role=None)
    assert ("condition", "eczema") in found(
        entities_of("my mum says I have eczema, I don't think so"), role=None
    )


def test_an_autoimmune_condition_with_its_medicine_is_immunosuppression(entities_of):
    said = entities_of("my immune system goes for my own skin and I'm on tablets to keep it down")
    assert ("condition", "immunosuppression") in found(said, role=None)


def test_a_bare_relative_or_the_visitors_own_skin_marks_a_relatives_condition(entities_of):
    said = entities_of("grandad has diabetes, I'm healthy though")
    assert ("condition", "diabetes") in found(said, role="negated")
    assert ("condition", "eczema") in found(
        entities_of("my sister has eczema, mine's just oily"), role="negated"
    )


def test_a_wound_not_yet_healed_is_current_and_a_sunburn_calmed_down_is_over(entities_of):
    assert ("condition", "open_wound") in found(
        entities_of("scraped my cheek last week and it hasn't healed up yet"), role=None
    )
    assert ("condition", "open_wound") not in found(
        entities_of("scraped my cheek last week and it hasn't healed up yet"), role="past"
    )
    assert ("condition", "sunburn") in found(
        entities_of("got sunburnt on holiday, it's calmed down now"), role="past"
    )


def test_drinks_other_than_alcohol_and_water_in_their_place(entities_of):
    assert ("habit", "alcohol") not in found(entities_of("I drink tea all day long"), role=None)
    assert ("habit", "low_water") in found(entities_of("mostly coke rather than water tbh"), role=None)
    assert ("habit", "low_water") in found(entities_of("I drink just one glass of water a day"), role=None)
    assert ("habit", "low_water") not in found(
        entities_of("I drink about six glasses of water a day"), role=None
    )
    assert ("habit", "alcohol") in found(entities_of("I drink wine most nights"), role=None)


@pytest.mark.parametrize(
    "text,value",
    [
        ("procedures - none, lifestyle - heavy smoker", "smoking"),
        ("meds - none, conditions - eczema on my hands", "eczema"),
        ("health: none, meds - warfarin every day", "anticoagulants"),
    ],
)
def test_a_form_label_starts_a_new_answer_that_an_earlier_none_does_not_deny(entities_of, text, value):
    said = {(e["value"], e.get("role")) for e in entities_of(text)}
    assert (value, None) in said, said


def test_a_relatives_medicine_said_with_an_apostrophe_and_disowned_after_is_not_the_visitors(entities_of):
    said = entities_of("no meds for me. my husband's on warfarin but that's him, not me")
    assert ("condition", "anticoagulants") in found(said, role="negated")
    assert ("condition", "anticoagulants") in found(entities_of("my mum's on warfarin"), role=None)


def test_a_condition_whose_own_treatment_was_completed_is_past_but_a_stopped_tablet_is_not(entities_of):
    assert ("condition", "cancer") in found(
        entities_of("had lymphoma but completed my chemo in 2019, fine since"), role="past"
    )
    assert ("condition", "diabetes") in found(
        entities_of("type 2 diabetes and I finished my tablets yesterday"), role=None
    )


def test_lifestyle_said_by_season_by_other_times_beside_sleeplessness_or_of_a_partner(entities_of):
    assert ("habit", "sun_exposure") in found(entities_of("gardener, out in it every spring"), role=None)
    weekly = entities_of("binge drink on fridays, ok through the week")
    assert ("habit", "alcohol") in found(weekly, role=None)
    sleepless = entities_of("can't switch off at night and very stressed")
    assert ("habit", "high_stress") in found(sleepless, role=None)
    said = entities_of("my wife smokes but I've never smoked")
    assert ("habit", "smoking") not in found(said, role=None)
    # a bout that is over is still over
    assert ("habit", "smoking") in found(entities_of("heavy smoker at uni, fine now"), role="past")


@pytest.mark.parametrize(
    "text, entity, value",
    [
        ("I've got a touch of sugar, the nurse keeps an eye on it", "condition", "diabetes"),
        ("they found the big c last spring and I'm still in treatment", "condition", "cancer"),
        ("always been a bleeder, the dentist hates me", "condition", "bleeding_disorder"),
        ("on tablets for HTN", "condition", "hypertension"),
        ("blood pressure is running high these days", "condition", "hypertension"),
        ("a little box under the skin that paces my heart", "condition", "pacemaker"),
        ("still on pred for my asthma", "condition", "immunosuppression"),
        ("my skin is very sensible, it reacts to everything", "skin_type", "sensitive"),
        ("a hyaluronic injection in my cheeks two weeks ago", "procedure", "filler"),
    ],
)
def test_slang_abbreviations_and_descriptions_from_entities_dev_12(entities_of, text, entity, value):
    assert (entity, value) in found(entities_of(text), role=None)


def test_a_family_history_named_after_the_condition_is_not_the_visitors_when_they_are_clear(entities_of):
    said = entities_of("diabetes runs in my family but I'm fine")
    assert ("condition", "diabetes") in found(said, role="negated")
    # without the visitor saying they are clear, it may be theirs: kept
    assert ("condition", "epilepsy") in found(entities_of("epilepsy is in the family"), role=None)
    assert ("condition", "rosacea") in found(
        entities_of("my mum has rosacea, my skin is totally fine"), role="negated"
    )


def test_a_condition_had_and_its_treatment_finished_is_past(entities_of):
    assert ("condition", "cancer") in found(
        entities_of("lymphoma - had it, completed treatment in 2019"), role="past"
    )


def test_a_cancer_still_in_treatment_is_current_and_one_signed_off_is_over(entities_of):
    assert ("condition", "cancer") in found(
        entities_of("they found a cancer in my breast last spring and I'm still having chemo"), role=None
    )
    for ended in (
        "bowel cancer in 2012, signed off by the hospital in 2017",
        "had cancer in 2010, all clear since",
        "I had chemo in 2011",
    ):
        assert ("condition", "cancer") in found(entities_of(ended), role="past"), ended


def test_a_time_corrected_before_the_treatment_leaves_the_treatment_had(entities_of):
    said = entities_of("it was 12 days not 12 weeks for the botox")
    assert ("procedure", "botox") in found(said, role=None)
    assert ("procedure", "botox") in found(entities_of("not 3 weeks ago, no botox ever"), role="negated")


def test_a_skin_booster_is_an_injected_filler(entities_of):
    assert ("procedure", "filler") in found(
        entities_of("had a skin booster in my cheeks on friday"), role=None
    )
