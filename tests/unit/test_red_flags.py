"""The red-flag finder: what counts as stated, denied, or only asked about."""

import pytest

from bot import PROJECT_ROOT
from bot.nlu import red_flag_model
from bot.nlu.red_flags import (
    acute_symptom,
    asks_about_risk,
    describes_symptom,
    find_red_flags,
    mild_after_effect,
)
from bot.nlu.safety_override import FALLBACK_INTENT, RISK_FAQ_KEY, SYMPTOM_INTENT, decide


def stated(text, **kwargs):
    return [m.code for m in find_red_flags(text, **kwargs) if m.stated]


@pytest.mark.parametrize(
    "text, code",
    [
        ("the left corner of my mouth has dropped", "facial_droop"),
        ("my whole cheek has gone dead and tingly out of nowhere", "facial_numbness"),
        ("i literally cannot get air in", "breathing_difficulty"),
        ("my eye is swollen shut", "severe_swelling"),
        ("there's a red line creeping up from where the needle went", "spreading_infection"),
        ("feels like someone is sitting on my chest", "chest_pain"),
        ("everything went black in my right eye", "vision_loss"),
        ("this is the worst headache i've ever had", "severe_headache"),
        ("my tongue feels huge", "allergic_reaction"),
        ("i've had hives come up and i feel really lightheaded", "allergic_reaction"),
        ("the needle spot has been bleeding for half an hour", "uncontrolled_bleeding"),
        ("honestly i can't see the point in living", "self_harm"),
    ],
)
def test_everyday_wordings_are_found(text, code):
    assert code in stated(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'm not ok, I keep thinking about suicide",
        "nah i just want to die",
        "I don't want to be here anymore",
        "not great, I can't breathe",
        "I'm not pregnant but my lips are swelling up",
    ],
)
def test_a_denial_elsewhere_never_hides_a_red_flag(text):
    assert stated(text)


@pytest.mark.parametrize("text", ["no chest pain", "I'm not bleeding", "never had any trouble breathing"])
def test_a_denial_that_governs_the_phrase_negates_it(text):
    mentions = find_red_flags(text)
    assert all(m.negated for m in mentions)


@pytest.mark.parametrize(
    "text",
    [
        "could it ever make one side of my face droop?",
        "what if the bleeding won't stop?",
        "can you go blind from it?",
    ],
)
def test_questions_about_a_risk_are_questions(text):
    mentions = find_red_flags(text)
    assert mentions and all(m.question for m in mentions)


def test_a_question_that_tells_counts_as_stated():
    assert stated("is it normal that my throat feels tight after the session?")


@pytest.mark.parametrize(
    "text",
    [
        "I get out of breath climbing the stairs",
        "the booking page won't load and I can't see the button",
        "my acne keeps spreading to my chin",
        "a tiny bruise came up but it's fading",
        "my face is numb from the cold",
        "can't breathe through my nose with this cold",
        "hives again, I think it's the new washing powder",
    ],
)
def test_ordinary_life_is_not_a_red_flag(text):
    assert stated(text) == []


def test_mild_and_risk_questions_are_recognised():
    assert mild_after_effect("there was a small spot of blood but it stopped straight away")
    assert asks_about_risk("are headaches normal afterwards?")
    assert not asks_about_risk("my head hurts really badly")


def test_the_override_escalates_stated_flags_answers_questions_and_doubts_words_without_symptoms():
    flag = [{"entity": "red_flag", "value": "chest_pain"}]
    assert decide("faq", flag, "my chest hurts") == SYMPTOM_INTENT
    assert decide("report_symptom", [], "is swelling normal after a session?") == RISK_FAQ_KEY
    assert decide("report_symptom", [], "the chat window keeps closing on me") == FALLBACK_INTENT
    assert decide("report_symptom", [], "my jaw has been aching badly since this morning") is None
    assert describes_symptom("my jaw has been aching badly since this morning")
    assert decide("greet", [], "hello") is None


def test_symptom_words_that_are_a_named_conditions_are_an_answer_not_an_unnamed_emergency():
    text = "there's an infected cyst on my chin right now"
    infection = [{"entity": "condition", "value": "skin_infection", "start": 11, "end": 24}]
    assert text[11:24] == "infected cyst"
    assert decide("inform", infection, text) is None
    assert decide("report_symptom", infection, text) == "inform"
    # Symptom words beyond the condition still escalate.
    worse = text + " and my whole face is swelling fast"
    assert decide("report_symptom", infection, worse) is None
    assert decide("inform", [], "there's an infected cyst on my chin right now") == SYMPTOM_INTENT


def test_history_that_is_over_is_not_an_acute_red_flag():
    assert stated("i had a nasty allergic reaction to penicillin as a child") == []
    assert stated("my grandad had a stroke back in 2015") == []
    assert stated("i had a stroke years ago and now my face is drooping again") == ["facial_droop"]


def test_self_harm_is_history_only_when_plainly_over_and_nothing_speaks_of_today():
    assert stated("i self harmed as a teenager, that was over fifteen years ago") == []
    assert stated("ever since i was a teenager i've wanted to die") == ["self_harm"]
    assert stated("i self harmed as a teenager and lately the urges are back") == ["self_harm"]
    assert stated("i had suicidal thoughts years ago and i'm having them again") == ["self_harm"]


def test_a_recent_time_window_or_a_symptom_that_has_not_passed_is_current_not_history():
    # "in the past hour", "ever since 20 minutes ago" and "hasn't passed" speak of now.
    assert stated("in the past hour my face has gone droopy on the left", model=None) == ["facial_droop"]
    assert stated("numbness down one side of my face, started about 40 mins ago, hasn't passed") == [
        "facial_numbness"
    ]
    assert stated("i had a bad headache in the past, it settled") == []


def test_someone_elses_symptom_said_in_the_present_tense_is_current():
    assert stated("my wife's mouth is pulled down on one side and she's slurring, she's had a skinful") == [
        "facial_droop"
    ]
    assert stated("my mother's lips swelled up from an ace inhibitor once, they changed her pill") == []


def test_a_mention_ends_with_its_sentence():
    # The question mark ends what is asked: the next sentence does not make the question a statement.
    assert stated("does the treatment ever make people suicidal? i read something weird online") == []


def test_denials_and_figures_of_speech_are_not_red_flags():
    assert stated("no numbness, no drooping, no vision changes") == []
    assert stated("i don't want to carry on with this questionnaire") == []
    assert stated("i don't want to carry on anymore") == ["self_harm"]
    assert stated("my lips are tingling from the hot sauce lol") == []
    assert stated("cnt brethe well hlp") == ["breathing_difficulty"]


def test_a_self_harm_question_with_a_statement_of_ones_own_is_stated():
    assert stated("can acupuncture help with suicidal thoughts? mine are getting louder") == ["self_harm"]


class _StubReader:
    """Stands in for the learned reader: always sure of one red flag, as numpy would name it."""

    def __init__(self, code, probability=0.99):
        import numpy

        self.reading = red_flag_model.Reading(numpy.str_(code), probability)

    def read(self, text):
        return self.reading


def test_the_learned_reader_adds_a_stated_flag_only_where_the_patterns_found_nothing():
    # (a word of size: the reader's swelling needs one, red_flag.yml `reader_needs`)
    text = "oily skin, and something strange is going on with my lip, it looks bigger"
    found = find_red_flags(text, model=_StubReader("severe_swelling"))
    assert [(m.code, m.stated, type(m.code)) for m in found] == [("severe_swelling", True, str)]
    # A span on the symptom-like word, not the whole message, so "oily skin" is still read.
    assert found[0].end - found[0].start < len(text) / 2
    assert find_red_flags(text, model=_StubReader("severe_swelling", 0.5)) == []
    assert (
        find_red_flags(
            "oily skin, and something strange is going on with my lip", model=_StubReader("severe_swelling")
        )
        == []
    )
    # The patterns' own reading stands: a denial is not overruled.
    assert [m.stated for m in find_red_flags("no chest pain", model=_StubReader("chest_pain"))] == [False]


def test_the_learned_readers_flag_passes_the_checks_for_questions_and_history():
    assert (
        find_red_flags("is some swelling normal after a session?", model=_StubReader("severe_swelling")) == []
    )
    assert find_red_flags("my grandad was very unwell back in 2015", model=_StubReader("facial_droop")) == []


def test_the_spacy_pipeline_marks_the_development_red_flags_and_reads_the_rest_without_error(nlp):
    import yaml

    # Every third line of every round: all 41 rounds would take over two minutes of CI for a smoke test
    # (`bot.tasks.evaluate_safety` measures them all); a fixed stride keeps the sample the same each run.
    flagged = total = 0
    for path in sorted((PROJECT_ROOT / "data" / "safety").glob("dev_*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for utterances in data["lookalikes"].values():
            [nlp(text.lower()) for text in utterances[::3]]
        for utterances in data["red_flags"].values():
            for text in utterances[::3]:
                total += 1
                flagged += any(e.label_ == "red_flag" and e.id_ for e in nlp(text.lower()).ents)
    assert flagged / total > 0.95, f"{flagged}/{total}"


def test_a_fear_of_needles_or_a_symptom_word_only_asked_about_is_not_an_acute_symptom():
    from bot.nlu.red_flags import acute_symptom

    assert not acute_symptom("does it hurt? I'm terrified of needles honestly")
    assert not acute_symptom("I'm scared of needles and it hurts just thinking about it")
    assert acute_symptom("my face hurts and I'm terrified")
    assert acute_symptom("does it hurt? my jaw suddenly went numb an hour ago")


def test_the_next_clause_can_say_a_mention_is_over():
    from bot.nlu.red_flags import is_over

    def over(text, word):
        at = text.index(word)
        return is_over(text, at, at + len(word))

    drug = "prednisolone"
    assert over("a course of prednisolone for my asthma but that was back in 2022, nothing now", drug)
    assert not over("a course of prednisolone, that was prescribed in 2022 and I still take it", drug)
    assert not over("I'm on prednisolone, which I take daily", "prednisolone")


def test_the_readers_skin_red_flags_need_a_sign_of_their_own_beside_the_skins_words():
    # "red and blotchy" answers the skin question; an allergic reaction needs faintness, swelling or the
    # airway, a spreading infection heat, spread or feeling ill (reader_needs in red_flag.yml).
    reader = _StubReader("allergic_reaction")
    assert stated("my skin is very red and itchy", model=reader) == []
    assert stated("very red and itchy and I feel faint", model=reader) == ["allergic_reaction"]
    infection = _StubReader("spreading_infection")
    assert stated("red and sore", model=infection) == []
    assert stated("the red patch is getting wider and hot", model=infection) == ["spreading_infection"]


def test_a_clause_that_ends_the_one_before_makes_it_past():
    from bot.nlu.red_flags import is_over

    def over(text, word):
        at = text.index(word)
        return is_over(text, at, at + len(word))

    assert over("I had prednisone for a bad chest last winter, finished it in February", "prednisone")
    assert over("on warfarin, stopped it 10 days ago", "warfarin")  # past, and its date still counts
    assert not over("I take prednisone, finished it this morning and still on it now", "prednisone")


def test_the_readers_self_harm_needs_a_word_of_distress_finality_or_means():
    # A lifestyle answer about sleep and planning a wedding is not a crisis, whatever the reader says;
    # a plan *to* do something, or a sleep one does not wake from, still is.
    reader = _StubReader("self_harm")
    assert stated("not sleeping great with all the planning", model=reader) == []
    assert stated("I've been planning it for weeks now", model=reader) == ["self_harm"]
    assert stated("I just want to sleep forever", model=reader) == ["self_harm"]


def test_a_figure_of_speech_is_read_again_without_it_by_the_learned_reader():
    class ReadsTheIdiom(_StubReader):
        """Sure of self-harm only while the figure of speech is in the text."""

        def read(self, text):
            sure = "backwards" in text
            return red_flag_model.Reading(self.reading.code, 0.99 if sure else 0.1)

    text = "I've been bending over backwards to get an appointment, I'm so done"
    assert stated(text, model=ReadsTheIdiom("self_harm")) == []
    assert stated(text, model=_StubReader("self_harm")) == ["self_harm"]  # the reader itself still counts


def test_the_readers_self_harm_is_told_even_after_an_unrelated_question():
    # Only a question about the treatment's risk asks; a practical question beside a goodbye does not.
    reader = _StubReader("self_harm")
    told = "Can I pay by card? I want to sort my things out before I go"
    assert stated(told, model=reader) == ["self_harm"]
    assert stated("can acupuncture make you feel low?", model=reader) == []


@pytest.mark.parametrize(
    "text",
    [
        "lately I keep picturing steering the car into a wall",
        "I've felt like I want to die for months now",
        "since my wife passed I just want to join her",
    ],
)
def test_means_on_the_road_a_time_span_and_joining_the_dead_are_self_harm(text):
    assert "self_harm" in stated(text)


def test_a_product_explains_a_rash_but_never_a_swollen_airway():
    assert stated("my cheeks got a rash from a new moisturiser") == []
    assert "allergic_reaction" in stated("my tongue is swelling up since I tried a new moisturiser")


@pytest.mark.parametrize(
    "text",
    [
        "has anyone else had their lips swell up after this?",
        "reviews online say their cheeks went numb, should I worry?",
        "my brother gets awful migraines",
        "I had a really bad headache last week after a late night, all good now",
        "work is stressful but I'm safe, no thoughts of harming myself",
    ],
)
def test_other_peoples_experience_a_past_headache_and_a_plain_denial_are_not_red_flags(text):
    assert stated(text) == []


def test_a_symptom_within_the_hour_is_now_even_for_someone_else():
    assert "severe_swelling" in stated("my son's face went massive in less than an hour, his eyes are shut")


def test_a_risk_question_after_a_greeting_or_a_filler_still_asks():
    assert stated("hi there, could the needles make my cheek go numb? just checking") == []
    assert "facial_numbness" in stated("hi there, my cheek has gone numb, could the needles do that?")


def test_is_it_normal_for_my_own_body_after_yesterdays_session_tells_but_a_general_question_asks():
    assert "severe_swelling" in stated("is it normal for my cheek to balloon up after my session yesterday?")
    assert stated("is it normal for faces to swell after a session?") == []
    assert stated("a bit more plumpness and bounce in my skin please") == []  # a goal, not "bite... my skin"


def test_a_risk_question_the_classifier_could_not_place_is_answered_as_one():
    assert decide(FALLBACK_INTENT, [], "could the needles give me a rash?") == RISK_FAQ_KEY
    assert decide(FALLBACK_INTENT, [], "can I pay by card?") is None  # a question, but about no symptom
    assert decide(FALLBACK_INTENT, [], "qwerty asdf") is None


@pytest.mark.parametrize(
    "text",
    [
        "For now, I will not hurt myself",  # a time hedge anywhere leaves the denial in doubt
        "the bleeding won't stop like when I was a kid",  # urgent words inside the mention still count
        "ok, could my lips swelling up this fast be an allergy?",  # a filler does not make it a question
    ],
)
def test_hedged_denials_urgent_mentions_and_filler_openings_about_oneself_stay_stated(text):
    assert stated(text)


@pytest.mark.parametrize(
    "text, code",
    [
        ("nobody at all would miss me if I disappeared tomorrow", "self_harm"),
        ("no one would even notice if I wasn't here", "self_harm"),  # "no one" is a subject, not a denial
        ("everybody would be so much happier without me", "self_harm"),
        ("I honestly don't feel safe being alone tonight", "self_harm"),
        ("they'd be better off with me six feet under", "self_harm"),
        ("the corner of my mouth has slid down on the left since lunch", "facial_droop"),  # not "went down"
        ("I can't catch my breath and I'm panting while lying in bed", "breathing_difficulty"),
    ],
)
def test_burdens_safety_and_a_symptoms_own_words_are_told(text, code):
    assert code in stated(text)


@pytest.mark.parametrize(
    "text",
    [
        "totally dead on my feet today, can I book for Saturday?",
        "I'd die if my boss saw me with needles in my face haha",
        "my eyelids puffed up with pollen last spring, antihistamines sorted it",
        "my tongue swelled after a bee sting when I was nine",
        "felt a tiny prick at one point during the session, then nothing",
        "I saw a clip of someone's cheek swelling up after filler, is that a risk here?",
        "my cousin went into anaphylaxis from shellfish once, I've never reacted to anything",
        "I take blood thinners, will I bleed a lot afterwards?",
    ],
)
def test_figures_of_speech_resolved_childhood_screens_and_others_are_not_red_flags(text):
    assert stated(text) == []


@pytest.mark.parametrize(
    "text, code",
    [
        ("unilateral weakness down my face since lunch, I can't lift my left eyebrow", "facial_droop"),
        ("periorbital oedema coming up quickly on the right", "severe_swelling"),
        ("not sure if it's infected but the redness is spreading quickly, hot", "spreading_infection"),
        ("is a crushing chest feeling a side effect? having it right now", "chest_pain"),
        ("SI and a plan for this weekend", "self_harm"),
        ("can't see myself making it through this winter and that's fine by me", "self_harm"),
        ("lost my husband in spring and I'm ready to be with him", "self_harm"),
        ("I'm struggling to breathe and I've been on the couch all night", "breathing_difficulty"),
    ],
)
def test_clinical_words_unsure_ifs_and_joining_the_dead_are_told(text, code):
    assert code in stated(text)


@pytest.mark.parametrize(
    "text",
    [
        "I would honestly die for better skin before my wedding",
        "can't breathe 🤣 your quiz just called my skin 'moody'",
        "a little bruise on my chin from last time, not growing, not painful",
        "my cat's face swelled up from a wasp yesterday, the vet gave him a jab",
        "the nurse in that drama had a stroke and her face drooped, so sad",
        "my uncle's mouth has been lopsided since his stroke in 2015, could it help him?",
        "my cheeks look saggy and droopy with age, can this help?",
        "denies chest pain, shortness of breath, facial numbness",
        "I've never passed out or had trouble breathing",
        "the bottom of the page is cut off on my phone",
    ],
)
def test_figures_pets_screens_age_and_chart_denials_are_not_red_flags(text):
    assert stated(text) == []


def test_a_plain_no_before_a_list_does_not_hide_what_follows_a_comma():
    # "no fever, swollen lips" may be telling of swollen lips: only chart-style denials reach the list.
    assert "allergic_reaction" in stated("no fever, swollen lips and tongue")


def test_the_reader_never_learns_that_words_of_stopping_or_leaving_are_harmless(tmp_path):
    nlu = tmp_path / "nlu.yml"
    nlu.write_text(
        'version: "3.1"\nnlu:\n- intent: stop_screening\n  examples: |\n    - i am done, end it here\n'
        "- intent: greet\n  examples: |\n    - hello there\n"
        "- intent: report_symptom\n  examples: |\n    - my face feels strange\n"
    )
    texts, labels = red_flag_model.training_set([], [nlu])
    assert "i am done, end it here" not in texts
    assert dict(zip(texts, labels, strict=True)) == {
        "hello there": red_flag_model.NONE,
        "my face feels strange": "report_symptom",
    }


def test_someone_else_who_has_a_symptom_now_is_now():
    # "has" (not "has had") is the present: the comparison "never had one like it" is no history.
    said = "my husband has a sudden splitting headache, he's never had one like this"
    assert "severe_headache" in stated(said)


def test_the_visitors_own_eyes_on_a_screen_are_not_something_seen_on_screen():
    said = "I can't read the words on the tv at all, like looking through fog since lunch"
    assert "vision_loss" in stated(said)


@pytest.mark.parametrize(
    "text",
    [
        "all these questions are giving me a headache lol",
        "my bank account is still crying after the last facial",
        "I'm not bleeding any more, it stopped straight away",
    ],
)
def test_figures_of_speech_and_denied_symptoms_describe_no_symptom(text):
    assert not describes_symptom(text)


@pytest.mark.parametrize(
    "text",
    [
        "my manager gives me a headache every monday",
        "everything's normal, vision and breathing both fine",
        "had blurred vision in 2019 after an eye infection, all cleared",
        "walked up four flights of stairs, just catching my breath",
    ],
)
def test_everyday_figures_normal_reports_and_old_episodes_are_not_an_unnamed_symptom(text):
    assert not describes_symptom(text)


@pytest.mark.parametrize(
    "text, code",
    [
        ("never get migraines but now I've got a headache that's making me sob", "severe_headache"),
        ("not your usual headache, honestly 10/10 pain in my head", "severe_headache"),
        ("no history of asthma but my throat is closing up", "allergic_reaction"),
        ("the needle spot is getting hotter and redder and I feel flu-like", "spreading_infection"),
        ("gone all blotchy and itchy and I feel like I might faint", "allergic_reaction"),
    ],
)
def test_a_denial_of_the_past_an_abnormal_pain_and_feeling_fluey_do_not_hide_a_red_flag(text, code):
    assert code in stated(text)


def test_a_denial_then_feeling_fine_now_stays_a_denial():
    assert stated("no chest pain at all, and now I'm fine") == []


@pytest.mark.parametrize(
    "text, code",
    [
        # a setting that explains an old droop never explains a stroke's signs
        (
            "I've always been healthy but an hour ago my face dropped on the left and my speech is slurred",
            "facial_droop",
        ),
        ("menopause, and since lunch my mouth droops on one side and my arm is weak", "facial_droop"),
        # a chart-style denial reaches only names in its list, never a state said of now or of someone else
        ("dad denies any pain, his mouth is drooping on one side and his speech is slurred", "facial_droop"),
        ("denies allergies, throat closing up and lips swelling", "allergic_reaction"),
        # a pet or a show earlier in the message, in another clause, is not the subject
        ("walking the dog, suddenly can't breathe and my throat is closing", "allergic_reaction"),
        ("back from the show, face numb and drooping on one side", "facial_droop"),
    ],
)
def test_settings_denials_and_subjects_never_reach_past_their_own_phrase(text, code):
    assert code in stated(text)


@pytest.mark.parametrize(
    "text, code",
    [
        ("should my hand feel this heavy? and my smile looks lopsided", "facial_droop"),
        ("is it normal to be panting while just lying on the couch?", "breathing_difficulty"),
        ("my inhaler isn't doing anything", "breathing_difficulty"),
        ("headache came on like a switch, worst I've known", "severe_headache"),
        ("no history of migraines, but this headache is the worst ever", "severe_headache"),
        ("I'd quite like the idea of not waking up", "self_harm"),
        ("searched for painless ways to end it", "self_harm"),
    ],
)
def test_reports_said_as_questions_understatement_and_a_denial_before_but(text, code):
    assert code in stated(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'd sooner die than have fillers",
        "completely dead after the gym lol",
        "last day at work tomorrow, then I'm retiring",
        "my cousin's lips swelled up from filler once",
        "the parking here is a headache",
    ],
)
def test_more_figures_and_other_peoples_pasts_are_not_red_flags(text):
    assert stated(text) == []


@pytest.mark.parametrize(
    "text, code",
    [
        ("me duele mucho el pecho ahora", "chest_pain"),
        ("nie mogę oddychać", "breathing_difficulty"),
        ("je veux mourir", "self_harm"),
        ("sangra sin parar desde hace una hora", "uncontrolled_bleeding"),
        ("seene mein dard ho raha hai", "chest_pain"),
    ],
)
def test_a_red_flag_in_another_language_still_escalates(text, code):
    # The bot reads English; the commonest words for a red flag in a few other languages still stop it.
    assert code in stated(text)


@pytest.mark.parametrize(
    "text",
    [
        "goodbye",
        "Bye then, thanks!",
        "stop",
        "stop it",
        "I'd like to stop now",
        "I'll finish this another time",
        "that's all for today, thanks",
        "erase everything",
        "pause the questions please",
        "let's go through it all again from the start",
        "can we just end it there",
    ],
)
def test_a_message_that_only_ends_or_steers_the_conversation_is_no_red_flag(text):
    # The learned reader has learnt that farewells and endings can be self-harm; these say nothing else.
    assert find_red_flags(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "goodbye, I won't be here tomorrow",
        "I want to end it all",
        "stop, I can't breathe",
        "I'm going to end it here tonight",
    ],
)
def test_an_ending_that_says_more_is_still_read(text):
    assert [m for m in find_red_flags(text) if m.stated]


@pytest.mark.parametrize(
    "text",
    [
        "scared stiff of needles, my palms sweat when I think of them",
        "want to look less tired and grey, feel like me again",
    ],
)
def test_needle_fear_and_tiredness_alone_are_no_word_of_distress_for_the_reader(text):
    # The reader has read both as self-harm (0.84 and 0.93); "needles" and "tired" are not cues of it.
    assert [m for m in find_red_flags(text) if m.stated] == []


@pytest.mark.parametrize(
    "text, code",
    [
        # a question about parking does not make the breathing that follows an ordinary setting
        ("which car park do I use? I'm outside now and I can barely breathe", "breathing_difficulty"),
        # "is that normal after ...?" asks about what is happening; it does not say it settled
        (
            "my jaw is red and hot and it's spreading, I've got a fever, is this normal after needles?",
            "spreading_infection",
        ),
    ],
)
def test_a_parking_question_and_is_that_normal_after_do_not_hide_a_red_flag(text, code):
    assert code in stated(text)


@pytest.mark.parametrize(
    "text",
    [
        "drowning under emails this week, I need some calm",
        "suffocating in admin at the moment, a calm hour would be lovely",
    ],
)
def test_buried_under_work_is_not_a_red_flag(text):
    assert stated(text) == []


@pytest.mark.parametrize(
    "text, code",
    [
        ("left side of my face sliding, the eye no closing properly", "facial_droop"),
        ("puffed out just walking up the hall and I never am, it frightens me", "breathing_difficulty"),
        # whose show is named, but the visitor is the subject here
        ("watching a film on my phone and my face has gone numb on one side", "facial_numbness"),
    ],
)
def test_learners_english_a_setting_that_is_not_ordinary_for_me_and_my_own_symptom_are_told(text, code):
    assert code in stated(text)


def test_a_character_in_my_show_is_not_the_visitor():
    assert stated("the nurse in my favourite series just had a stroke, so dramatic") == []


@pytest.mark.parametrize(
    "text",
    [
        "on the contraceptive pill and some vitamin D tablets",  # medicines taken are no means named
        "a numb spot on my chin since a dental operation years ago",  # a since reaching back years
        "my chest goes a bit wheezy in the winter, I smoke",
        "carpal tunnel, my fingers go numb at night",
        "old stroke in my fifties, my arm is still slightly weak, no change for years",
        "felt a bit tingly in my cheeks during the session, is that normal?",
        "a tiny spot of blood on my pillow the next day, fine now",
    ],
)
def test_known_long_standing_and_mild_things_in_a_health_answer_are_not_red_flags(text):
    assert stated(text) == []


@pytest.mark.parametrize(
    "text, code",
    [
        ("depressed, and tonight I keep working out how I would do it", "self_harm"),
        ("took all my iron tablets an hour ago", "self_harm"),
        ("I smoke and tonight I can't breathe properly, it's getting worse", "breathing_difficulty"),
    ],
)
def test_planning_how_overdoses_and_a_smokers_chest_now_are_still_red_flags(text, code):
    assert code in stated(text)


def test_a_symptom_told_of_a_character_describes_none_of_the_visitors_own():
    assert not describes_symptom("reading a book where the hero suddenly loses his sight, creepy")
    assert describes_symptom("watching a film and now my face has gone numb on one side")


def test_a_red_flag_read_as_asked_beside_a_sudden_severe_symptom_of_ones_own_is_told():
    text = (
        "How much is a course? (sorry if I'm vague, a sudden pounding headache came out of nowhere, "
        "worst I've ever had)"
    )
    asked = [{"entity": "red_flag", "value": "severe_headache", "role": "question"}]
    assert decide("faq", asked, text) == SYMPTOM_INTENT
    assert decide(SYMPTOM_INTENT, asked, text) is None  # kept as the symptom
    # a question about the risk alone is still answered as one
    assert decide(SYMPTOM_INTENT, asked, "can it give you a sudden severe headache?") == RISK_FAQ_KEY


@pytest.mark.parametrize(
    "text, code",
    [
        (
            "like an anaesthetic that wore off wrong, my lip is still numb and no dentist visit",
            "facial_numbness",
        ),
        ("my friend asked if I'd had a stroke because my mouth is hanging down on one side", "facial_droop"),
    ],
)
def test_wore_off_wrong_and_a_question_asked_because_of_what_shows_now_are_told(text, code):
    assert code in stated(text)


@pytest.mark.parametrize(
    "text, code",
    [
        # a double negative states the symptom
        ("I can't get to the bathroom without wheezing, and this only started today", "breathing_difficulty"),
        # "couldn't tell if" wonders about one's own body, it does not ask a hypothetical
        ("couldn't tell if my tea was hot, my bottom lip has lost all feeling", "facial_numbness"),
        # "can barely" tells
        ("can barely think, this headache came on like a thunderclap", "severe_headache"),
        # growth said by size
        ("the lump on my cheek is the size of an egg now, it was tiny at lunch", "severe_swelling"),
        ("I'm sat on the ledge of the multi-storey", "self_harm"),
    ],
)
def test_double_negatives_wondering_and_growth_by_size_are_told(text, code):
    assert code in stated(text, model=None)


@pytest.mark.parametrize(
    "text",
    [
        "my lips don't droop and my speech is clear",  # a denial inside the words of the symptom
        "my breathing's fine, I was only rushing",
        "had an abscess on my gum in June, the dentist drained it",
        "what could a numb cheek after a session mean? asking for later",
        "I almost had a heart attack seeing the total lol",
        "my brain is going to explode with all these options",
    ],
)
def test_denials_figures_of_speech_and_questions_about_meaning_are_not_red_flags(text):
    assert stated(text, model=None) == []


@pytest.mark.parametrize(
    "text",
    [
        "not at the moment",  # a few words with nothing of the body in them
        "no, I'd rather not finish the questions",
        "please stop saving my answers from now on",
        "don't wanna continue this",
    ],
)
def test_short_replies_and_leaving_the_form_are_not_red_flags_for_the_learned_reader(text):
    assert stated(text) == []


def test_a_short_message_with_a_word_of_the_body_is_still_read():
    assert "facial_numbness" in stated("face gone dead")


@pytest.mark.parametrize(
    "text, code",
    [
        # a question that says when it began tells of one's own symptom now
        ("what does it mean if my upper lip has had no feeling since breakfast?", "facial_numbness"),
        ("should I worry that my eyesight has a grey curtain over it for an hour now?", "vision_loss"),
        # pain on breathing in is a red flag (after needles near the chest it may be a collapsed lung)
        ("it hurts when I take a deep breath since the needles near my shoulder", "breathing_difficulty"),
        # a pet named as the cause is not the one with the symptom
        ("my son got nipped by the dog and now the redness is spreading up his arm, he's feverish", None),
        ("I wouldn't care if I never woke up, honestly", "self_harm"),
    ],
)
def test_questions_with_an_onset_pain_on_breathing_and_passive_wishes_are_told(text, code):
    found = stated(text, model=None)
    assert (code in found) if code else ("spreading_infection" in found)


@pytest.mark.parametrize(
    "text",
    [
        "In 2014 I had a heart attack on holiday, air ambulance and all, two stents, no trouble since",
        "as a theatre nurse I see a lot of bleeding every shift, how much bleeding is normal with this?",
        "my gran had a stroke in 2018 and still has a slight droop from it",
        "the birth was an emergency c-section with heavy blood loss, fully recovered now",
        "I heal slowly if I cut myself, type 2 diabetes",
        "I get wheezy with the hoover if I'm around dust",
    ],
)
def test_dated_histories_health_work_and_ordinary_conditionals_are_not_red_flags(text):
    assert stated(text, model=None) == []


class _FixedReader:
    """A learned reader that always gives the same reading (for the gates around it)."""

    def __init__(self, code, probability):
        self.reading = red_flag_model.Reading(code, probability)

    def read(self, text):
        return self.reading


def test_a_fairly_sure_physical_reading_needs_a_symptom_or_an_urgent_word():
    fairly_sure = _FixedReader("severe_swelling", 0.85)
    assert stated("my face feels like paper by the evening", model=fairly_sure) == []
    assert stated("my cheek keeps swelling, it's huge", model=fairly_sure) == ["severe_swelling"]
    sure = _FixedReader("severe_swelling", 0.97)
    assert stated("my face feels like a balloon that keeps filling", model=sure) == ["severe_swelling"]


@pytest.mark.parametrize(
    "text, code",
    [
        ("two previous attempts, and I want to try again tonight", "self_harm"),
        ("the right side of my mouth has dropped since I turned 60 and now my arm is weak", "facial_droop"),
    ],
)
def test_attempts_again_and_a_droop_with_a_sign_of_stroke_are_told(text, code):
    assert code in stated(text, model=None)


@pytest.mark.parametrize(
    "text",
    [
        "my jowls have dropped since I turned 55",
        "want my eyes less puffy in the mornings",
        "cheeks go red and hot after the gym, calms down in twenty minutes",
    ],
)
def test_ageing_goals_and_flushes_that_settle_are_not_red_flags(text):
    assert stated(text, model=None) == []


@pytest.mark.parametrize(
    "text, code",
    [
        ("going to do it tonight when everyone's asleep", "self_harm"),
        ("I drank some weedkiller about ten minutes ago", "self_harm"),
        ("would 30 co-codamol be enough", "self_harm"),
        ("everyone at school says kys and I think I will", "self_harm"),
        (
            "my son is on my lap, his lips are enormous and he's covered in hives after a peanut",
            "allergic_reaction",
        ),
        ("upper half of my left eye went black since 09:15", "vision_loss"),
        ("breathless just popping to the loo, and that started today", "breathing_difficulty"),
    ],
)
def test_decisions_poisons_algospeak_a_child_on_the_lap_and_clock_times_are_told(text, code):
    assert code in stated(text, model=None)


@pytest.mark.parametrize(
    "text",
    [
        "this printer makes me want to unalive my whole office lol",
        "lmao my battery is at 1% kms, how much is a consultation",
        "what are the warning signs of a stroke, asking for my mum's leaflet",
        "stung by a wasp last summer, lips swelled a bit, fine within the hour after an antihistamine",
        "local anaesthetic at the dentist earlier, feeling's come back",
        "my GP says being puffed out upstairs is normal in pregnancy",
    ],
)
def test_algospeak_jokes_general_questions_and_settled_reactions_are_not_red_flags(text):
    assert stated(text, model=None) == []


@pytest.mark.parametrize(
    "text, code",
    [
        # Skin that sags with age names nothing of one side, speech or suddenness.
        ("my jowls are sagging and I hate it", "facial_droop"),
        # How the skin looks is no life.
        ("dull and grey, I want it to look alive again", "self_harm"),
        # Skin that feels tight after washing is dry skin.
        ("feels tight and itchy after I wash it", "allergic_reaction"),
    ],
)
def test_the_learned_reader_is_not_trusted_on_ageing_looks_or_dry_skin(text, code):
    assert stated(text, model=_StubReader(code)) == []


def test_the_learned_reader_still_reads_a_one_sided_sag():
    assert stated("my cheek is sagging on one side", model=_StubReader("facial_droop")) != []


def test_a_bleeding_tendency_said_of_any_cut_is_not_an_emergency_or_self_harm():
    assert stated("I bleed for ages whenever I cut myself shaving", model=None) == []
    assert stated("I cut myself on purpose last night and it won't stop bleeding", model=None) != []


@pytest.mark.parametrize(
    "text, code",
    [
        (
            "my face has gone droopy on one side since lunch and my words come out funny, would it help?",
            "facial_droop",
        ),
        ("I used to get migraines but this headache is the worst I've ever had", "severe_headache"),
        ("I'm at uni and I suddenly can't breathe", "breathing_difficulty"),
        ("my throat feels tight and itchy after I washed my face with the new cleanser", "allergic_reaction"),
        ("can't breathe lol help me", "breathing_difficulty"),
        ("when I cut myself shaving this morning it bled for 2 hours", "uncontrolled_bleeding"),
    ],
)
def test_an_ordinary_setting_or_a_past_beside_it_never_hides_a_red_flag(text, code):
    assert code in stated(text, model=None)


def test_where_a_named_condition_is_on_the_body_is_no_symptom_of_its_own():
    text = "I get raised lumpy scars that grow bigger than the cut, got them on my chest and earlobes"
    keloid = {"entity": "condition", "value": "keloid", "start": 6, "end": 59}
    assert decide(SYMPTOM_INTENT, [keloid], text) == "inform"
    text = "raised lumpy scars on my arms, and my chest has been crushing for an hour"
    keloid = {"entity": "condition", "value": "keloid", "start": 0, "end": 18}
    assert decide(SYMPTOM_INTENT, [keloid], text) is None  # the chest is a symptom of its own: stays urgent


@pytest.mark.parametrize(
    "text",
    [
        "I'd rather not answer that one, next please",
        "stop asking me all these questions, I only want the price",
        "I'm thinking of stopping my botox, would this suit me instead?",
    ],
)
def test_the_learned_readers_self_harm_is_not_believed_in_a_short_message_steering_the_chat(text):
    assert stated(text, model=_StubReader("self_harm")) == []


@pytest.mark.parametrize(
    "text",
    [
        # A word of dying or leaving beside the steering words keeps it.
        "skip this one, it won't matter where I'm going",
        "no more questions, I'm done",
        # A long message holds more than a wish to move on.
        "skip this question for today, the thing is that nobody at home talks to me and I sit up every "
        "night in the dark thinking",
    ],
)
def test_steering_words_never_hide_dying_leaving_or_a_long_story_from_the_learned_reader(text):
    assert stated(text, model=None) == []  # the patterns alone miss these: the learned reader decides
    assert "self_harm" in stated(text, model=_StubReader("self_harm"))


@pytest.mark.parametrize(
    "text, code",
    [
        # round 25
        ("i am not able to catch my breath properly right now", "breathing_difficulty"),
        ("please tell my kids I love them", "self_harm"),
        ("I swallowed all of my sleeping tablets deliberately an hour ago", "self_harm"),
        # round 26
        ("honestly what's the point", "self_harm"),
        ("what's the point of living like this", "self_harm"),
        ("I've set a date, so I won't need the follow-up sessions", "self_harm"),
        ("rehomed my dog last week and I'm sorting the last bits now", "self_harm"),
        ("spent the night googling how many tablets it takes", "self_harm"),
        ("we buried our daughter in june and I am done", "self_harm"),
        ("so breathless I can't walk across the kitchen", "breathing_difficulty"),
        ("the bruise has gone from grape size to egg size since lunch", "uncontrolled_bleeding"),
    ],
)
def test_wordings_from_rounds_25_and_26_are_told_by_the_patterns(text, code):
    assert code in stated(text, model=None)


@pytest.mark.parametrize(
    "text",
    [
        # round 25: remarks on looks, known unchanged conditions, leaving the chat
        "that makes no sense to me",
        "my eyelid droops in the evenings when I'm tired, same as always",
        "everyone says I look half dead before my coffee",
        "ok I have to go now, thanks",
        "used to have a tight chest with anxiety but therapy sorted that out",
        # round 26: a question about a product, methods of a treatment, a fading bruise
        "what's the point of toner?",
        "researching methods of acupuncture before I book",
        "my bruise went from purple to yellow over the week",
        "I want to look less dead first thing",
    ],
)
def test_look_alikes_from_rounds_25_and_26_are_not_red_flags(text):
    assert stated(text, model=None) == []


@pytest.mark.parametrize(
    "text, stated",
    [
        ("is it normal for a headache to hit this hard after a facial? honestly the worst of my life", True),
        ("does acupuncture ever cause a headache? mine is unbearable", True),
        ("does acupuncture ever cause headaches? the worst I ever had was after a wedding", False),
    ],
)
def test_a_question_followed_by_how_bad_it_is_now_tells(text, stated):
    found = [m for m in find_red_flags(text) if m.code == "severe_headache"]
    assert any(m.stated for m in found) is stated


@pytest.mark.parametrize(
    "text, code",
    [
        (
            "does it matter that my mouth is suddenly lower on one side? it's new, since 20 mins ago",
            "facial_droop",
        ),
        ("could a headache hit like a thunderclap after needles? it just happened to me", "severe_headache"),
        ("I've been stockpiling for weeks now", "self_harm"),
        ("I won't be around much longer, I've sorted the last bits", "self_harm"),
        ("not going to be here for my appointment, give my slot to someone who needs it", "self_harm"),
        ("like a hammer inside my head, came on in a split second, I never get headaches", "severe_headache"),
        ("quick one, is this normal - my lips have doubled and I'm about to faint?", "allergic_reaction"),
        ("why has my mouth gone crooked out of nowhere?? left side won't move", "facial_droop"),
        ("in the car in the garage, engine on, doors shut. wanted someone to know", "self_harm"),
        (
            "lip totally numb like a dental injection but I haven't been to the dentist, started 15 mins ago",
            "facial_numbness",
        ),
    ],
)
def test_wordings_from_rounds_27_to_29_are_told(text, code):
    assert code in [m.code for m in find_red_flags(text) if m.stated]


@pytest.mark.parametrize(
    "text",
    [
        "I'd like help with the saggy eyelids I've had for ages as I've aged",
        "my eyes are always swollen first thing, would this drain them?",
        "my wallet can't breathe after the holidays, do you take instalments?",
        "we're moving abroad in spring so I won't be around for long, is one session worth it?",
        "I won't be here in July, I'm away on a work trip",
        "been stockpiling sun cream for my holiday",
        "can't carry on like this with my acne, nothing works",
        "my council tax bill is like an elephant on my chest this month, any discounts?",
        "the end of term feels like a curtain coming down on my freedom",
        "my wallet is like breathing through a straw after the holidays",
        "I can't finish a sentence in meetings without my boss butting in",
        "our profits are haemorrhaging, so I need to destress",
        "the team went quiet and numb when the news came",
        "I'm an A&E nurse, we see chest pain every shift, anyway I have oily skin",
        "I bruise very easily, if I knock a chair I get a big mark",
        "I'm gonna murder my husband for booking this without asking lol",
        "I want to sleep and not wake up till noon on Saturday",
        "wrote a letter to my landlord about the damp",
        "will I bruise more since I'm on clopidogrel?",
        "acupuncture won't make me bruise badly, will it, I take clopidogrel",
        "old faded self-harm scars on my thighs from years back, does that matter?",
        "my face is dying, so tired and flat lately",
        "foundation every day, my skin is suffocating under all the layers",
        "cheek went numb after the dentist last week, normal I think",
        "I can't take any more of this chat, give me a phone number",
        "that's my last message, I'll ring the clinic",
        "my son won't stop humming 'Bleeding Love'",
        "keep getting killed on the same level, need to chill",
        "watched Shaun of the Dead again last night lol",
        "I'll die on that hill, natural is better",
        "choking on your prices tbh",
    ],
)
def test_look_alikes_from_rounds_27_to_29_are_not_red_flags(text):
    assert not [m.code for m in find_red_flags(text) if m.stated]


@pytest.mark.parametrize(
    "text, ending",
    [
        ("right I need to stop now, dinner's ready. bye", True),
        ("sorry, gotta go, my train is here, bye!", True),
        ("I'm done here, thanks", True),
        ("goodbye, my phone battery is dying", True),
        ("I'm done. goodbye everyone", False),  # a farewell to everyone, with no everyday reason
        ("bye, I won't be here tomorrow", False),
    ],
)
def test_an_ending_with_an_everyday_reason_only_ends_the_chat(text, ending):
    stated = [m.code for m in find_red_flags(text) if m.stated]
    assert (not stated) is ending


@pytest.mark.parametrize(
    "text",
    [
        "got a high temperature and ache all over",  # an illness: a reason to wait, not a spreading infection
        "nicked my lip shaving, it's an open graze",  # an open wound
        "so what's the point of it?",  # what the treatment is for
        "I don't really fancy doing the questions at the moment",
    ],
)
def test_the_learned_reader_needs_words_of_its_own_red_flag(text):
    assert not [m.code for m in find_red_flags(text) if m.stated]


@pytest.mark.parametrize(
    "text, code",
    [
        ("temperature of 39 and the needle spot on my jaw is red and hot", "spreading_infection"),
        ("what's the point of it all anymore", "self_harm"),
    ],
)
def test_with_its_own_words_the_red_flag_is_still_read(text, code):
    assert code in [m.code for m in find_red_flags(text) if m.stated]


def test_a_fear_of_needles_told_with_fainting_is_an_answer_not_an_emergency():
    text = "I pass out at the sight of a needle"
    entities = [{"entity": "condition", "value": "needle_phobia", "start": 2, "end": len(text)}]
    assert decide(SYMPTOM_INTENT, entities, text) == "inform"  # an answer for the form


@pytest.mark.parametrize(
    "text",
    [
        "haemophilia, mild, so little cuts bleed for ages",
        "bye and have a lovely evening",
        "I'll stop there and sleep on it. bye",
        "not good with pain, is it going to hurt much",
    ],
)
def test_traits_farewells_and_questions_about_pain_are_not_red_flags(text):
    assert not [m.code for m in find_red_flags(text) if m.stated]


def test_bleeding_for_ages_now_is_still_a_red_flag():
    text = "small cut on my lip has been bleeding for ages, 40 minutes now"
    assert "uncontrolled_bleeding" in [m.code for m in find_red_flags(text) if m.stated]


def test_skin_sagging_a_little_with_a_goal_is_no_droop_but_one_side_suddenly_is():
    assert not [m for m in find_red_flags("firmness please, my cheeks are sagging a bit lately") if m.stated]
    assert [m for m in find_red_flags("my left cheek is sagging suddenly, slightly") if m.stated]


def test_how_a_named_skin_condition_feels_is_no_emergency_but_tightness_still_is():
    text = "my face is sunburned, red and sore and starting to peel"
    named = [{"entity": "condition", "value": "sunburn", "start": 11, "end": 20}]
    assert decide(SYMPTOM_INTENT, named, text) == "inform"  # an answer for the form
    tight = "I have eczema and my throat feels tight"
    eczema = [{"entity": "condition", "value": "eczema", "start": 7, "end": 13}]
    assert decide(SYMPTOM_INTENT, eczema, tight) in (None, SYMPTOM_INTENT)  # None: the symptom stands


@pytest.mark.parametrize(
    "text, code",
    [
        # "no joke", "not kidding" insist on what follows; they deny nothing
        ("haha not kidding, my tongue is swelling up fast", "allergic_reaction"),
        # an amount hedged with "like", "about"
        ("swallowed about 20 sleeping pills before I messaged", "self_harm"),
        # means named by whose they are, taken all at once
        ("I'm going to take all of my dad's in one go tonight", "self_harm"),
        # someone beside the visitor, worse than before
        (
            "my wife's eyelids puffed up after her laser abroad and she's worse than an hour ago",
            "severe_swelling",
        ),
        # a lost function that has not returned
        ("everything went black in my left eye, the sight still hasn't returned", "vision_loss"),
        # an apology for asking, then a telling
        ("sorry if this sounds silly but my face on the right side has gone droopy", "facial_droop"),
    ],
)
def test_round_30_told_wordings_are_red_flags(text, code):
    assert code in [m.code for m in find_red_flags(text) if m.stated]


@pytest.mark.parametrize(
    "text",
    [
        "my arm goes numb if I lie on it at night, fine once I roll over",
        "my jowls have drooped since my fifties, could it firm them",
        "firm up my saggy jawline please",
        "allergic to latex, under control, no reactions in years",
        "carry an epipen for wasps, never had to use it",
        "lips went puffy once with a cheap lip balm, nothing going on right now",
        "will my skin be swollen or bruised the day after?",  # a question about what may follow
        "let me stop here and carry on with it tomorrow. bye",
        "please don't keep anything I've typed",
        "I need my answers deleted please",
        "just waiting on blood test results from the GP",
    ],
)
def test_round_30_look_alikes_are_not_red_flags(text):
    assert not [m.code for m in find_red_flags(text) if m.stated]
    assert not acute_symptom(text)


@pytest.mark.parametrize(
    "text, code",
    [
        # a comparison with the dentist's numbing is no visit to the dentist
        (
            "my top lip went numb out of nowhere, like when the dentist numbs you, but I've not been",
            "facial_numbness",
        ),
        ("breathing is so heavy since morning, I can't manage even three stairs", "breathing_difficulty"),
        ("the swelling by my eye was 2cm at lunch and now it's about 5cm", "severe_swelling"),
        (
            "the GP said to mark the red edge with a pen and it's spread beyond the line within two hours",
            "spreading_infection",
        ),
        (
            "what's deadly if you swallow the whole packet? there's loads of co-codamol in the drawer",
            "self_harm",
        ),
        ("how quick would it be to die if I stopped my insulin", "self_harm"),
    ],
)
def test_round_31_told_wordings_are_red_flags(text, code):
    assert code in [m.code for m in find_red_flags(text) if m.stated]


@pytest.mark.parametrize(
    "text",
    [
        "numb patch on my jaw since a bike accident as a teen, permanent, never changed",
        "eczema and hives on and off for years, cetirizine keeps it at bay",
        "I wear a hearing aid on the right side",
        "my eyelids look so puffy and droopy first thing in the morning",
        "just finished my parkrun, bit puffed out but buzzing",
        "I literally gasped when I saw the before and after photos",
        "my sinuses make my cheeks feel full when they flare, but it's calm right now",
        "got a filling last year and the numbness faded in a few hours",
    ],
)
def test_round_31_look_alikes_are_not_red_flags(text):
    assert not [m.code for m in find_red_flags(text) if m.stated]


@pytest.mark.parametrize(
    "text, code",
    [
        ("My wife's mouth was noticed to droop on one side at 6.40 this evening.", "facial_droop"),
        ("the nurse told me the lump by my eye is not normal and to go to A&E now, should I?", None),
        ("Lymphangitis up the neck from the needle site.", "spreading_infection"),
        ("Substernal pressure, radiating to the left arm.", "chest_pain"),
        ("The cut from the session will not stop bleeding.", "uncontrolled_bleeding"),
        (
            "Dad's headache was the worst ever, per my brother at 9. He is now confused and drowsy.",
            "severe_headache",
        ),
        ("kids, if you find this, none of it is your fault and I love you", "self_harm"),
    ],
)
def test_round_32_told_wordings_are_urgent(text, code):
    stated = [m.code for m in find_red_flags(text) if m.stated]
    if code is None:  # no red flag by name: a symptom a professional sent them to hospital with
        assert acute_symptom(text)
    else:
        assert code in stated


@pytest.mark.parametrize(
    "text",
    [
        "Tingling in my toes from diabetic neuropathy, known for years.",
        "I only wheeze when I catch a cold. Fine at the moment.",
        "Past history:\n- anaphylaxis to penicillin 2011\n- no reactions since",
        "I'm revising for an exam on anaphylaxis, is that a side effect of acupuncture?",
        "Stroke is one of my OSCE stations tomorrow, how much is a session?",
        "Numbness in my lower lip after a tooth extraction in 2015. Permanent, it never changes.",
    ],
)
def test_round_32_look_alikes_are_not_red_flags(text):
    assert not [m.code for m in find_red_flags(text) if m.stated]


@pytest.mark.parametrize(
    "text",
    [
        # (my own wordings of round 33's shapes: amounts asked about, supplies held back, finishing up,
        # bleak fragments, a telling after a "wait and see if")
        "would 30 of my sleeping tablets be enough",
        "Meds: citalopram. I've been putting aside some of my tablets each week.",
        "What if a person swallows a full box of codeine, how fast does it work? I've got them here.",
        "Sorted out my will and said my goodbyes to everyone last night.",
        "worthless. nothing left.",
        "I'll see if it settles but my lips and tongue are swelling up and it's getting harder to swallow",
    ],
)
def test_round_33_told_wordings_are_red_flags(text):
    assert [m.code for m in find_red_flags(text) if m.stated]


@pytest.mark.parametrize(
    "text",
    [
        "is 20 of my vitamin gummies enough for the month?",
        "I'm slightly out of breath as I just cycled here, one moment",
        "my ribs ache from all this coughing, had a chest cold",
        "my cheeks tingle right now from the spicy ramen, no allergies though",
        "a lady who went blind after fillers was on the news, is acupuncture any safer?",
        "could someone die from facial needling? my mum is worried",
        "Is it ok to bring my toddler, would I be a nuisance if I bring him?",
        "I had dark thoughts a long time ago and I'm doing really well now, is it still suitable?",
        "my jaw dropped when I saw the price of botox",
        "a bloke on YouTube said his lip swelled up for a week after needling, is that normal?",
    ],
)
def test_round_33_look_alikes_are_not_red_flags(text):
    assert not [m.code for m in find_red_flags(text) if m.stated]


def test_a_usual_headache_that_always_settles_is_not_an_acute_symptom():
    assert not acute_symptom("I've got a headache right now but it's my normal one, a nap always fixes it")
    assert acute_symptom("I've got a headache right now and it's nothing like my usual one, came on suddenly")


@pytest.mark.parametrize(
    "text,code",
    [
        # (my own wordings of round 34's shapes)
        ("my nan's face has gone down on the left side and she can't lift her arm", "facial_droop"),
        ("breathing has become so laboured since this afternoon", "breathing_difficulty"),
        ("he went down clutching at his chest, he's grey and clammy", "chest_pain"),
        ("the needle spot keeps bleeding non-stop", "uncontrolled_bleeding"),
        ("my wife just grabbed her chest, she's sweaty and pale", "chest_pain"),
    ],
)
def test_round_34_told_wordings_are_red_flags(text, code):
    assert code in [m.code for m in find_red_flags(text) if m.stated]


@pytest.mark.parametrize(
    "text",
    [
        "out of curiosity, what does it mean if a bruise spreads?",
        "treated a patient with a droopy face on my shift earlier, anyway how much is a course?",
        "in the book I'm reading the hero wakes up unable to see, is that a real risk?",
        "my character in the panto collapses holding his chest twice a night",
        "the avatar's eyes are creepy",
        "my son drew a picture of me with a wonky smile haha",
    ],
)
def test_round_34_look_alikes_are_not_red_flags(text):
    assert not [m.code for m in find_red_flags(text) if m.stated]


@pytest.mark.parametrize(
    "text",
    [
        # (intent development set 11: endings, decisions and frustration the reader took for self-harm)
        "ok I finish here for now, bye",
        "Right, I'll shut this tab now and have a proper think about it at the weekend. Bye and thanks",
        "I've decided to go ahead with a consultation, can I book an evening?",
        "I'm at my wits' end with my landlord, can you help me write a letter?",
        "would my cheeks swell up afterwards",
    ],
)
def test_endings_decisions_and_frustration_are_not_red_flags(text):
    assert not [m.code for m in find_red_flags(text) if m.stated]


@pytest.mark.parametrize(
    "text",
    ["I've decided it's time to go, I've said goodbye to my sister", "nobody would miss me if I wasn't here"],
)
def test_decisions_and_absence_that_speak_of_an_ending_are_still_self_harm(text):
    assert "self_harm" in [m.code for m in find_red_flags(text) if m.stated]


@pytest.mark.parametrize(
    "text",
    [
        # (my own wordings of round 35's shapes)
        "dad's face has puffed up, it came up that fast, mum's ringing 111",
        "rehomed the cat and sorted out my life insurance. it feels peaceful now that I've decided",
        "i've got the razor blades out on the side",
        "gave my rabbit to my neighbour and the kids are provided for now",
    ],
)
def test_round_35_told_wordings_are_red_flags(text):
    assert [m.code for m in find_red_flags(text) if m.stated]


@pytest.mark.parametrize(
    "text",
    [
        "I've decided to book and I feel calm about it now",
        "left a message for my manager about the appointment",
        "said goodbye to my old gym routine, trying pilates",
        "my son is dying of embarrassment over his spots",
        "I almost had a heart attack when I saw the parking fine",
        "my partner gets angina every now and then, has his spray, nothing recent",
        "bit of a stye on my lower eyelid, slightly swollen",
    ],
)
def test_round_35_look_alikes_are_not_red_flags(text):
    assert not [m.code for m in find_red_flags(text) if m.stated]


@pytest.mark.parametrize(
    "text",
    [
        # (my own wordings of round 36's shapes)
        "sorry, back to the bruise from earlier: it's now the size of my hand and it keeps spreading",
        "might as well get the needles, I'm going to be in the ground by friday anyway. I mean it",
        "I used to get migraines but this headache is the worst ever and it came on suddenly",
    ],
)
def test_round_36_told_wordings_are_red_flags(text):
    assert [m.code for m in find_red_flags(text) if m.stated]


@pytest.mark.parametrize(
    "text",
    [
        "haemophilia, so I always bleed a lot after a tooth comes out",
        "I get angioedema in attacks but I've not had one for eighteen months",
        "my tongue used to swell on lisinopril, the gp swapped it and it's fine",
        "will the needles sting? I'd hate to bleed everywhere",
        "I don't want to bleed all over your nice couch lol",
        "I'm dead tired these days, not dead haha, just want to look fresher",
        "these wrinkles will be the death of me",
        "a bad headache two months ago, the ct came back clear, am I ok to book",
        "the nurse held a cotton pad on it and the bleeding stopped, normal?",
        "can't keep going with the juice cleanse, will it affect my skin?",
    ],
)
def test_round_36_look_alikes_are_not_red_flags(text):
    assert not [m.code for m in find_red_flags(text) if m.stated]


@pytest.mark.parametrize(
    "text",
    [
        # (my own wordings of round 37's shapes)
        "does acupuncture near the eyes ever affect sight? since lunch I can't see the top half of things",
        "don't bother sending the results, nobody will have to put up with me after the weekend",
    ],
)
def test_round_37_told_wordings_are_red_flags(text):
    assert [m.code for m in find_red_flags(text) if m.stated]


@pytest.mark.parametrize(
    "text",
    [
        "honestly dying in this heat, can I still come in?",
        "my skin looks so dead and grey lately, I want it brighter",
        "these lines don't make me want to die or anything, just curious what helps",
    ],
)
def test_round_37_look_alikes_are_not_red_flags(text):
    assert not [m.code for m in find_red_flags(text) if m.stated]


@pytest.mark.parametrize(
    "text",
    [
        # health answers from entities_dev8, in my own words
        "I go faint at the sight of blood, will that be an issue?",
        "a box under my collarbone for my heart rhythm, fitted after I collapsed last year",
        "a chesty cold and a temperature at the moment",
    ],
)
def test_health_answers_about_needles_devices_and_chest_colds_are_not_red_flags(text):
    assert not [m.code for m in find_red_flags(text) if m.stated]


def test_a_chest_cold_with_pain_is_still_chest_pain():
    assert "chest_pain" in [
        m.code for m in find_red_flags("chesty cough and now a crushing pain in my chest") if m.stated
    ]


@pytest.mark.parametrize(
    "text",
    [
        # (my own wordings of round 38's shapes)
        "di ako makahinga ngayon, parang may nakadagan",
        "ayoko nang mabuhay, pakicancel na lang lahat",
        "i go swallow the rat poison wey dey for kitchen tonight",
        "the extraction site keeps filling with blood and it's soaked through two pads of gauze",
    ],
)
def test_round_38_told_wordings_are_red_flags(text):
    assert [m.code for m in find_red_flags(text) if m.stated]


@pytest.mark.parametrize(
    "text",
    [
        "Swelling of the face? No. Chest pain? Never.",
        "your warning said 'call 999 if your lips swell'. does that happen often?",
        "I know sudden droop is a sign of stroke, but can acupuncture cause a mild one-sided heaviness?",
        "false alarm, I looked again and it's the same size as yesterday",
    ],
)
def test_round_38_look_alikes_are_not_red_flags(text):
    assert not [m.code for m in find_red_flags(text) if m.stated]


def test_the_bots_warning_quoted_does_not_hide_what_follows_a_but():
    assert "allergic_reaction" in [
        m.code
        for m in find_red_flags("the bot said go to A&E but I can't, my tongue is swelling up")
        if m.stated
    ]


@pytest.mark.parametrize(
    "text",
    [
        # (my own wordings of round 39's shapes: someone whose job is emergencies, talking of the job)
        "I'm a paramedic so strokes are part of the job, I just want something for tired skin",
        "ER nurse here, people come in gasping for air every night and my skin looks grey from the hours",
        "I work on a crisis line and callers talk about suicide most shifts, I need to unwind",
        "receptionist at a surgery: when patients ring with chest pain I tell them to call an ambulance",
        "did my first aid refresher last month, all about anaphylaxis and strokes",
    ],
)
def test_talk_of_emergency_work_is_not_a_red_flag(text):
    assert not [m.code for m in find_red_flags(text) if m.stated]
    assert not acute_symptom(text)


@pytest.mark.parametrize(
    "text, code",
    [
        # The job does not hide the visitor's own: now, their own body, or urgent words.
        (
            "I'm a paramedic, I see chest pain every shift but right now my own chest is crushing",
            "chest_pain",
        ),
        ("ER nurse here, I can't breathe properly today", "breathing_difficulty"),
        (
            "I work on a crisis line and talk people through it all day, and tonight I want to end my life",
            "self_harm",
        ),
        ("nurse here, my face has dropped on one side", "facial_droop"),
    ],
)
def test_the_visitors_own_red_flag_is_stated_whatever_their_job(text, code):
    assert code in [m.code for m in find_red_flags(text) if m.stated]


@pytest.mark.parametrize(
    "text",
    [
        "asthma, well controlled, I carry an inhaler I barely use",
        "had a really bad allergic reaction to penicillin in 2015, I avoid it now",
        "dark thoughts years ago, had therapy, no longer a problem",
        "my cousin overdosed when she was at college, she's doing great these days",
        "the needle gave me a little zing for a second, nothing more",
        "tiny bruise, not sore, not spreading",
        "face looks puffy after a salty curry last night",
        "the band's new single is called Bleeding Out, so good",
    ],
)
def test_round_39_look_alikes_are_not_red_flags(text):
    assert not [m.code for m in find_red_flags(text) if m.stated]


@pytest.mark.parametrize(
    "text",
    [
        # Recent, however the sentence dates it: a place of study is no "long ago".
        "I tried to end my life at uni last week",
        "I overdosed a few days ago at college and I'm scared",
        # A well-controlled condition does not hide a new symptom said with urgent words.
        "my angina is normally stable but this chest pain started an hour ago and won't stop",
    ],
)
def test_recent_or_urgent_is_still_a_red_flag(text):
    assert [m.code for m in find_red_flags(text) if m.stated]


@pytest.mark.parametrize(
    "text, code",
    [
        # (my own wordings of round 40's shapes)
        ("he's gasping, can't get a whole sentence out", "breathing_difficulty"),
        ("my wife can't catch her breath and it won't settle", "breathing_difficulty"),
        ("cut on my lip still not stopping, 30 mins now", "uncontrolled_bleeding"),
        ("cancel my maintenance plan, won't be needing it where I'm headed", "self_harm"),
        ("what happens to the deposit if someone dies? asking for myself", "self_harm"),
        ("my sister will have to sort out all my stuff once I've gone through with it", "self_harm"),
    ],
)
def test_round_40_told_wordings_are_red_flags(text, code):
    assert code in [m.code for m in find_red_flags(text) if m.stated]


@pytest.mark.parametrize(
    "text",
    [
        "In 2017 my tongue swelled up and I was rushed to A&E by ambulance, allergy clinic since, all fine",
        "shingles in 2020, my face drooped for a few weeks, completely better now",
        "self-harm was a long time ago, that's all behind me",
        "my worst fear is my face going numb and staying that way",
        "nervous I'll bleed loads, I'm a bit of a wimp",
        "my cheeks go numb from laughing at my kids",
        "my fingers turn white and numb in the cold winter air",
        "I'm away on the 3rd, can we rearrange my session?",
    ],
)
def test_round_40_look_alikes_are_not_red_flags(text):
    assert not [m.code for m in find_red_flags(text) if m.stated]


@pytest.mark.parametrize(
    "text",
    [
        # a dated story does not hide the present told in the same sentence
        "In 2019 I had a stroke and my face is drooping again",
        "when I was 10 I had anaphylaxis and right now my throat is closing",
        # away "next month" with nothing of a booking is not an absence to reschedule
        "I won't be around next month, so what's the point",
    ],
)
def test_round_40_look_alike_mechanisms_do_not_hide_the_present(text):
    assert [m.code for m in find_red_flags(text) if m.stated]


@pytest.mark.parametrize(
    "text",
    [
        # someone known at second hand
        "my neighbour told me her cousin's lips blew up after filler, does that happen much?",
        "a friend of a friend went numb on one side after needles, is that a thing?",
        # a case at work
        "I work on a stroke unit, we had a lady in with a droopy face last night. anyway, prices?",
        "I work in A&E and someone came in with chest pain on my last shift, do you do gift cards?",
        # a supposition
        "suppose my eye swelled up the day after, would that be the needles?",
        # a wound is not swelling
        "grazed my chin on Monday and it's still a bit open",
    ],
)
def test_round_41_look_alikes_are_not_red_flags(text):
    assert not [m.code for m in find_red_flags(text) if m.stated]


@pytest.mark.parametrize(
    "text, code",
    [
        # second hand, but now
        ("my sister says her little boy's lips are swelling up right now", "allergic_reaction"),
        # "I suppose" hedges a statement, it asks nothing
        ("I suppose my throat is closing up a bit", "allergic_reaction"),
        # the visitor's own, at work
        ("I work in A&E and I've got crushing chest pain right now", "chest_pain"),
    ],
)
def test_round_41_mechanisms_do_not_hide_the_present(text, code):
    assert code in [m.code for m in find_red_flags(text) if m.stated]


def test_a_face_that_changed_slowly_with_age_is_a_goal_not_a_droop():
    for text in ("my jawline has dropped over the past few years", "cheeks sagging with age, want a lift"):
        assert not [m.code for m in find_red_flags(text) if m.stated], text
    # one side, suddenness or today keep it a droop, whatever else the message says of the years
    for text in (
        "my mouth dropped on one side this morning, never had anything like it over the years",
        "my face suddenly dropped, I'm 50 and nothing like this with age before",
    ):
        assert "facial_droop" in [m.code for m in find_red_flags(text) if m.stated], text


@pytest.mark.parametrize(
    "text",
    [
        "sorry to be a pest with all these questions, does it hurt?",
        "my hair is so frazzled it's practically dead, can needles help the scalp?",
        "it's my last day of term on friday, can I book for saturday?",
        "honestly can't see the point in buying another serum",
        "I heard dirty needles could spread infection, how do you clean yours?",
        "suicidal thoughts after a bereavement in 2012, had counselling, I'm okay now",
        "I self-harmed at school, that's twenty years ago now, I'm in a good place, still see a counsellor",
        "had chest pains after a panic attack once, checked out fine, not happening now",
        "I don't bruise easily and I don't bleed much",
    ],
)
def test_round_42_look_alikes_are_not_red_flags(text):
    assert stated(text) == []


@pytest.mark.parametrize(
    "text, code",
    [
        # someone else noticed it, on the visitor's own face
        ("my husband just told me my mouth looks lopsided", "facial_droop"),
        # a burden to people, not to the questions
        ("I'm a burden to everyone and they'd be better off without me", "self_harm"),
        # skin words never blank a wish to be dead
        ("my skin is fine but I want to be dead", "self_harm"),
        ("can't see the point of anything any more", "self_harm"),
        # old self-harm, but struggling again
        ("I self-harmed years ago and I'm struggling with it again this week", "self_harm"),
        # a plain "doesn't" before a stop is no denial
        ("the cut on my lip doesn't stop bleeding", "uncontrolled_bleeding"),
        # "read" about it, but it is happening
        ("I read that swelling can happen but my throat is closing up now", "allergic_reaction"),
    ],
)
def test_round_42_mechanisms_do_not_hide_danger(text, code):
    assert code in stated(text)


@pytest.mark.parametrize(
    "text",
    [
        "my gums are still numb from dentist, can't talk properly lol",
        "it's so humid my make-up is melting off my face",
        "had a good cry last night, eyes a bit puffy today",
        "just my regular migraine this afternoon, took my usual tablet",
        "I once felt like I couldn't get my breath during an exam, nothing like that since",
    ],
)
def test_round_43_look_alikes_are_not_red_flags(text):
    assert stated(text) == []


@pytest.mark.parametrize(
    "text, code",
    [
        ("can't blow out my left cheek and that side of my mouth hangs", "facial_droop"),
        # a tattoo elsewhere explains nothing about a face that hangs
        ("got a tattoo on my arm today and now one side of my face just sags", "facial_droop"),
        # a question that also tells, with fever
        (
            "is it ok that the redness from my ear piercing is spreading up my cheek? I feel feverish too",
            "spreading_infection",
        ),
        # the usual headache words never hide a different one
        ("not my usual migraine, this one came on instantly and it's 10 out of 10", "severe_headache"),
        # dentist numbness, but something new after it
        ("numb from the dentist this morning but now my face is drooping on one side", "facial_droop"),
        # heat, but one side
        ("it's roasting in here and my face feels like it's melting on the left side", "facial_droop"),
    ],
)
def test_round_43_mechanisms_do_not_hide_danger(text, code):
    assert code in stated(text)


@pytest.mark.parametrize(
    "text",
    [
        "epilepsy: no. chest pain: no. facial numbness - none.",
        "the builders next door are such a headache",
        "my feet are dead after that hike",
        "won't make the session on friday because we're going abroad, can I move it?",
        "we're ending our phone contract to save money for treatments",
        "I'd love to disappear into a hot tub for a weekend",
        "my gran went blind in one eye in her eighties, is it safe near the eyes?",
    ],
)
def test_round_44_look_alikes_are_not_red_flags(text):
    assert stated(text) == []


@pytest.mark.parametrize(
    "text, code",
    [
        ("chest pain: yes, since this morning", "chest_pain"),
        ("my daughter has just told me her lips are swelling up", "allergic_reaction"),
        ("nose bleed won't quit, 40 mins", "uncontrolled_bleeding"),
        # logistics with no everyday reason stay self-harm
        ("won't need the appointment after this weekend", "self_harm"),
        ("I just want to disappear forever", "self_harm"),
        ("thinking of ending my life", "self_harm"),
        (
            "my boss gave me a headache but this one is the worst of my life and came on instantly",
            "severe_headache",
        ),
    ],
)
def test_round_44_mechanisms_do_not_hide_danger(text, code):
    assert code in stated(text)
