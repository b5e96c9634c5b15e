"""Actions with rasa_sdk's Tracker and CollectingDispatcher: validation, answers, payloads, events."""

import asyncio

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import ActionAnswerBenefit, ActionAnswerFaq
from actions.extraction import ActionExtractScreeningFacts
from actions.feedback import ActionRecordFeedback
from actions.form import ActionAskAnswersConfirmed, ActionAskSkinType, ValidateScreeningForm
from actions.handoff import ActionHandoff
from actions.privacy import ActionShowStoredData
from actions.result import ActionSubmitScreening
from actions.safety import ActionHandleRedFlag
from bot.vocabulary import FORM, FORM_SLOTS, SCREENING_SLOTS, UNRECOGNISED
from tests.conftest import make_tracker

DOMAIN = {"forms": {FORM: {"required_slots": list(FORM_SLOTS)}}}


def run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, DOMAIN))
    return dispatcher.messages, events


def slot_events(events):
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def validate(slot, value, slots=None):
    """Run the form validation as Rasa does: the candidate value arrives as a SlotSet after the user turn."""
    slots = {"requested_slot": slot, "consent": True, **(slots or {}), slot: value}
    tracker = make_tracker(
        slots=slots,
        active_loop="screening_form",
        events=[{"event": "user", "text": "x"}, SlotSet(slot, value)],
    )
    return run(ValidateScreeningForm(), tracker)


# ---- validation, one slot at a time
@pytest.mark.parametrize(
    "slot,good,bad",
    [
        ("skin_type", "oily", UNRECOGNISED),
        ("conditions", ["diabetes"], UNRECOGNISED),
        ("recent_procedures", [], UNRECOGNISED),
        ("days_since_procedure", 12.0, "soon"),
        ("lifestyle", ["smoking"], UNRECOGNISED),
        ("goals", ["glow"], []),
    ],
)
def test_each_slot_accepts_a_valid_answer_and_rejects_an_unreadable_one(slot, good, bad):
    _, events = validate(
        slot, good, {"recent_procedures": ["botox"]} if slot == "days_since_procedure" else None
    )
    assert slot_events(events)[slot] == good
    messages, events = validate(
        slot, bad, {"recent_procedures": ["botox"]} if slot == "days_since_procedure" else None
    )
    assert slot_events(events)[slot] is None
    assert slot_events(events)["question_misses"] == {slot: 1}
    assert messages[0]["response"] == "utter_not_understood"


def test_misses_are_counted_per_question_and_an_answer_clears_only_its_own():
    _, events = validate("skin_type", UNRECOGNISED, {"question_misses": {"conditions": 2, "skin_type": 1}})
    assert slot_events(events)["question_misses"] == {"conditions": 2, "skin_type": 2}
    _, events = validate("skin_type", "oily", {"question_misses": {"conditions": 2, "skin_type": 2}})
    assert slot_events(events)["question_misses"] == {"conditions": 2}


@pytest.mark.parametrize("slot", SCREENING_SLOTS)
def test_each_further_miss_says_something_new_ending_in_an_offer_to_skip(slot):
    import yaml

    from actions.form import misses_help
    from bot import PROJECT_ROOT

    responses = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())["responses"]
    said = [misses_help(slot, misses, responses) for misses in (1, 2, 3, 4)]
    assert len({m["text"] for m in said}) == 4, "a miss repeated what was said before"
    assert said[0]["text"] == responses[f"utter_ask_{slot}"][0]["text"]
    assert said[1]["text"] == responses[f"utter_rephrase_{slot}"][0]["text"]
    assert (
        "for example" in said[2]["text"]
        and said[2]["buttons"] == responses[f"utter_ask_{slot}"][0]["buttons"]
    )
    payloads = [b["payload"] for b in said[3]["buttons"]]
    assert payloads[0] == "/skip_question" and "/stop_screening" in payloads
    assert said[3]["text"].startswith("Shall we skip this question?") and len(said[3]["text"]) > 60
    assert misses_help(slot, 5, responses) == said[3]


def test_the_ask_action_follows_the_misses_of_its_own_question():
    import yaml

    from bot import PROJECT_ROOT

    domain = {**DOMAIN, "responses": yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())["responses"]}
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots={"question_misses": {"skin_type": 3, "goals": 4}})
    asyncio.run(ActionAskSkinType().run(dispatcher, tracker, domain))
    assert "for example" in dispatcher.messages[0]["text"]


def test_the_date_question_is_only_asked_after_a_procedure():
    form = ValidateScreeningForm()
    ask = asyncio.run(
        form.required_slots(
            DOMAIN["forms"]["screening_form"]["required_slots"],
            CollectingDispatcher(),
            make_tracker(slots={"recent_procedures": ["botox"]}),
            DOMAIN,
        )
    )
    skip = asyncio.run(
        form.required_slots(
            DOMAIN["forms"]["screening_form"]["required_slots"],
            CollectingDispatcher(),
            make_tracker(slots={"recent_procedures": []}),
            DOMAIN,
        )
    )
    assert "days_since_procedure" in ask and "days_since_procedure" not in skip


@pytest.mark.parametrize(
    "text, kept",
    [
        ("no", False),
        ("no thank you", False),
        ("nope, I'm healthy, no meds and no treatments", None),
        ("none", None),  # short, but an answer to a later question: asked for a yes or a no
        ("nothing in years", None),
    ],
)
def test_only_a_plain_no_declines_consent(text, kept):
    # "deny" from the classifier on a longer reply that answers later questions is not a refusal.
    tracker = make_tracker(
        slots={"requested_slot": "consent", "consent": False},
        intent="deny",
        text=text,
        active_loop="screening_form",
        events=[{"event": "user", "text": text}, SlotSet("consent", False)],
    )
    messages, events = run(ValidateScreeningForm(), tracker)
    assert slot_events(events)["consent"] is kept
    assert ("utter_consent_first" in [m.get("response") for m in messages]) is (kept is None)


def _consent_reply(text, slots):
    tracker = make_tracker(
        slots={"requested_slot": "consent", "consent": False, **slots},
        intent="deny",
        text=text,
        active_loop="screening_form",
        events=[{"event": "user", "text": text}, SlotSet("consent", False)],
    )
    messages, events = run(ValidateScreeningForm(), tracker)
    return slot_events(events), [m.get("response") for m in messages]


def test_a_typed_no_after_answering_early_is_checked_once_then_taken():
    # Someone answering the screening at the consent question ("oily", "I have eczema") who then types
    # "no" probably means "no treatments": once, the bot says what a no here means and asks again.
    slots, said = _consent_reply("no", {"skin_type": "oily"})
    assert slots["consent"] is None and "utter_consent_no_check" in said
    checked = {"skin_type": "oily", "question_misses": slots["question_misses"]}
    again, said_again = _consent_reply("no", checked)
    assert again["consent"] is False and "utter_consent_no_check" not in said_again
    # The button is never second-guessed, nor a "no" from someone who has answered nothing yet.
    assert _consent_reply("/deny", {"skin_type": "oily"})[0]["consent"] is False
    assert _consent_reply("no", {})[0]["consent"] is False


def test_declined_consent_ends_the_form_at_once():
    slots = asyncio.run(
        ValidateScreeningForm().required_slots(
            DOMAIN["forms"]["screening_form"]["required_slots"],
            CollectingDispatcher(),
            make_tracker(slots={"consent": False}),
            DOMAIN,
        )
    )
    assert slots == ["consent"]


def test_summary_lists_the_answers_with_buttons_to_fix_each():
    tracker = make_tracker(
        slots={
            "skin_type": "oily",
            "conditions": ["anticoagulants"],
            "recent_procedures": [],
            "lifestyle": ["smoking"],
            "goals": ["wrinkles"],
        }
    )
    messages, _ = run(ActionAskAnswersConfirmed(), tracker)
    assert "blood thinners" in messages[0]["text"] and "Is that right?" in messages[0]["text"]
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert "/affirm" in payloads
    assert '/change_answer{"answer_field": "conditions"}' in payloads


# ---- extraction
def test_extraction_fills_slots_from_the_message_and_remembers_the_clinic():
    tracker = make_tracker(
        intent="inform",
        entities=[
            {"entity": "condition", "value": "anticoagulants"},
            {"entity": "condition", "value": "pregnancy", "role": "negated"},
        ],
        slots={"requested_slot": "conditions"},
        active_loop="screening_form",
        metadata={"clinic": "demo"},
    )
    _, events = run(ActionExtractScreeningFacts(), tracker)
    assert slot_events(events) == {"conditions": ["anticoagulants"], "clinic_id": "demo"}


@pytest.mark.parametrize(
    "text, intent, expected",
    [
        # After the skip offer a plain yes skips the question; a plain no asks it afresh and is never
        # read as "none of these" to the health question.
        ("yes please", "affirm", {"conditions": "skipped", "skipped_questions": ["conditions"]}),
        ("no", "deny", {"question_misses": {"conditions": 1}}),
    ],
)
def test_a_yes_or_no_to_the_skip_offer_is_read_as_such(text, intent, expected):
    slots = {"requested_slot": "conditions", "question_misses": {"conditions": 4}}
    tracker = make_tracker(intent=intent, text=text, slots=slots, active_loop="screening_form")
    _, events = run(ActionExtractScreeningFacts(), tracker)
    got = slot_events(events)
    if "conditions" in expected:
        from bot.screening.facts import SKIP_VALUES

        expected = {**expected, "conditions": SKIP_VALUES["conditions"]}
    assert got == expected
    # Before the offer, "no" to the health question is "none".
    tracker = make_tracker(
        intent="deny", text="no", slots={"requested_slot": "conditions"}, active_loop="screening_form"
    )
    assert slot_events(run(ActionExtractScreeningFacts(), tracker)[1]).get("conditions") == []


# ---- result
def test_submit_gives_text_and_the_spec_payload():
    tracker = make_tracker(
        slots={
            "consent": True,
            "skin_type": "sensitive",
            "conditions": ["anticoagulants"],
            "recent_procedures": ["botox"],
            "days_since_procedure": 5.0,
            "lifestyle": ["smoking"],
            "goals": ["wrinkles"],
            "answers_confirmed": True,
        }
    )
    messages, events = run(ActionSubmitScreening(), tracker)
    payload = messages[0]["custom"]
    assert payload["type"] == "screening_result"
    assert payload["outcome"] == "not_suitable_now"
    assert [r["code"] for r in payload["reasons"]][:1] == ["botox"]
    assert {"anticoagulants", "skin_sensitive"} <= {r["code"] for r in payload["reasons"]}
    assert set(payload) >= {"reasons", "caveats", "goals", "next_step", "rules_version"}
    assert any("Smoking may limit results" in c for c in payload["caveats"])
    assert "qualified, licensed practitioner" in messages[0]["text"]
    assert slot_events(events) == {"screening_outcome": "not_suitable_now"}


def test_no_consent_means_no_result():
    messages, events = run(ActionSubmitScreening(), make_tracker(slots={"consent": False}))
    assert "custom" not in messages[0] or not messages[0]["custom"]
    assert events == []


# ---- safety
def test_red_flag_sends_to_urgent_care_and_stops_the_form():
    tracker = make_tracker(
        intent="report_symptom",
        entities=[{"entity": "red_flag", "value": "self_harm"}],
        active_loop="screening_form",
    )
    messages, events = run(ActionHandleRedFlag(), tracker)
    text = messages[0]["text"]
    assert "999" in text and "Samaritans" in text
    assert messages[0]["custom"]["outcome"] == "seek_urgent_care"
    assert {"event": "active_loop", "name": None} in [
        {k: e.get(k) for k in ("event", "name")} for e in events if e["event"] == "active_loop"
    ]
    assert slot_events(events)["screening_outcome"] == "seek_urgent_care"


def test_self_harm_leads_with_the_crisis_line_and_says_nothing_about_acupuncture():
    tracker = make_tracker(intent="report_symptom", entities=[{"entity": "red_flag", "value": "self_harm"}])
    messages, _ = run(ActionHandleRedFlag(), tracker)
    text = messages[0]["text"]
    assert text.index("Samaritans") < text.index("999")
    assert "acupuncture" not in text.lower()


def test_a_symptom_with_no_red_flag_name_is_urgent_from_the_rules_engine_itself():
    messages, events = run(ActionHandleRedFlag(), make_tracker(intent="report_symptom", entities=[]))
    payload = messages[0]["custom"]
    assert payload["outcome"] == "seek_urgent_care"
    assert [r["code"] for r in payload["reasons"]] == ["reported_symptom"]
    assert "booking_url" not in payload and "Book a consultation" not in payload["next_step"]
    assert slot_events(events)["red_flags"] == ["reported_symptom"]


URGENT_PATHS = {
    "named red flag": (ActionHandleRedFlag(), {"entities": [{"entity": "red_flag", "value": "chest_pain"}]}),
    "unnamed symptom": (ActionHandleRedFlag(), {"intent": "report_symptom"}),
    "red flag then other answers": (
        ActionHandleRedFlag(),
        {"slots": {"conditions": ["pregnancy"], "skin_type": "sensitive"}, "intent": "report_symptom"},
    ),
    "result after an earlier red flag": (
        ActionSubmitScreening(),
        {"slots": {"red_flags": ["vision_loss"], "consent": True, "goals": ["glow"]}},
    ),
    "ordinary result": (ActionSubmitScreening(), {"slots": {"consent": True, "goals": ["glow"]}}),
    "result with a recent treatment": (
        ActionSubmitScreening(),
        {"slots": {"consent": True, "recent_procedures": ["botox"], "procedure_days": {"botox": 3}}},
    ),
}


@pytest.mark.parametrize("path", URGENT_PATHS, ids=list(URGENT_PATHS))
def test_the_payloads_outcome_always_equals_the_slots(path):
    action, tracker_args = URGENT_PATHS[path]
    messages, events = run(action, make_tracker(**tracker_args))
    payloads = [m["custom"] for m in messages if (m.get("custom") or {}).get("type") == "screening_result"]
    assert len(payloads) == 1
    assert payloads[0]["outcome"] == slot_events(events)["screening_outcome"]
    if payloads[0]["outcome"] == "seek_urgent_care":
        assert "booking_url" not in payloads[0]
        assert "Book or ask" not in messages[0]["text"]


def test_each_treatment_is_checked_against_its_own_waiting_period_in_the_result():
    slots = {
        "consent": True,
        "recent_procedures": ["botox", "laser"],
        "procedure_days": {"botox": 10, "laser": 60},
        "days_since_procedure": 10,
    }
    messages, _ = run(ActionSubmitScreening(), make_tracker(slots=slots))
    reasons = {r["code"]: r["text"] for r in messages[0]["custom"]["reasons"]}
    assert "10 days ago" in reasons["botox"] and "60 days ago" in reasons["laser"]
    assert messages[0]["custom"]["outcome"] == "not_suitable_now"


def test_a_question_about_a_red_flag_risk_is_answered_with_what_to_do_now():
    tracker = make_tracker(
        intent="faq",
        entities=[{"entity": "red_flag", "value": "facial_droop", "role": "question"}],
        response_selector={"faq": {"response": {"intent_response_key": "faq/side_effects"}}},
    )
    messages, events = run(ActionAnswerFaq(), tracker)
    assert "stroke" in messages[0]["text"] and "999" in messages[0]["text"]
    assert "custom" not in messages[0] or not messages[0].get("custom")
    # No urgent stop: nothing but the offer of the check (before any check began) follows the answer.
    assert slot_events(events) == {"screening_offered": True}
    assert "check whether facial acupuncture looks suitable" in messages[-1]["text"]


# ---- answers
def test_benefit_answer_is_hedged_with_evidence_and_personal_caveat():
    tracker = make_tracker(
        intent="ask_benefit",
        entities=[{"entity": "benefit", "value": "wrinkles"}],
        slots={"lifestyle": ["smoking"]},
    )
    messages, _ = run(ActionAnswerBenefit(), tracker)
    text = messages[0]["text"]
    assert "may" in text and "Evidence:" in text
    assert "practitioner's expertise" in text and "Smoking may limit results" in text
    assert [b["title"] for b in messages[0]["buttons"]] == ["👍 Helpful", "👎 Not helpful"]


def test_non_invasive_claim_is_corrected():
    tracker = make_tracker(intent="ask_benefit", entities=[{"entity": "benefit", "value": "non_invasive"}])
    messages, _ = run(ActionAnswerBenefit(), tracker)
    assert "minimally invasive" in messages[0]["text"]


def test_faq_answer_uses_the_clinic_settings():
    selector = {"faq": {"response": {"intent_response_key": "faq/cost"}}}
    messages, _ = run(ActionAnswerFaq(), make_tracker(intent="faq", response_selector=selector))
    assert "£85" in messages[0]["text"]


def test_handoff_gives_contact_and_booking_link():
    messages, _ = run(ActionHandoff(), make_tracker(intent="book_consultation"))
    assert "https://example.com/willow-lane/book" in messages[0]["text"]
    assert messages[0]["custom"]["type"] == "handoff"


def test_stored_data_lists_what_is_kept():
    messages, _ = run(
        ActionShowStoredData(),
        make_tracker(slots={"consent": True, "skin_type": "dry", "conditions": ["diabetes"]}),
    )
    assert "diabetes" in messages[0]["text"] and "delete my data" in messages[0]["text"]


def test_feedback_is_stored_with_the_answer_it_rates():
    tracker = make_tracker(
        intent="rate_answer",
        entities=[
            {"entity": "rating", "value": "not_helpful"},
            {"entity": "rated_answer", "value": "faq/pain"},
        ],
    )
    _, events = run(ActionRecordFeedback(), tracker)
    assert slot_events(events) == {"answer_feedback": ["faq/pain:not_helpful"]}


def test_a_yes_starts_the_offered_check_only_right_after_the_offer():
    from actions.conversation import ActionDefaultFallback
    from actions.screening_offer import OFFER

    def after(last_bot_text):
        events = [{"event": "bot", "text": last_bot_text}, {"event": "user", "text": "yeah go on"}]
        slots = {"screening_offered": True}
        return make_tracker(intent="affirm", text="yeah go on", slots=slots, events=events)

    _, events = run(ActionDefaultFallback(), after(OFFER))
    assert {"event": "followup", "name": "screening_form"} in [
        {"event": e["event"], "name": e.get("name")} for e in events
    ]
    _, events = run(ActionDefaultFallback(), after("You're welcome! Anything else you'd like to know?"))
    assert all(e["event"] != "followup" for e in events)  # a later "ok" is not a yes to the offer


def test_an_ended_condition_said_at_another_question_is_noted_and_that_question_asked_again():
    from bot.screening.facts import slot_updates

    entities = [{"entity": "condition", "value": "cancer", "role": "past", "start": 13, "end": 24}]
    updates = slot_updates(
        entities=entities,
        slots={"consent": True, "skin_type": "dry", "conditions": []},
        intent="inform",
        requested_slot="recent_procedures",
        form_active=True,
        text="I finished chemotherapy in September",
    )
    # Not an unreadable answer to the treatments question ("Sorry, I didn't quite catch that"), and the
    # health answer already given stays as it was.
    assert "recent_procedures" not in updates and updates.get("conditions", []) == []
    assert "cancer" in updates["past_conditions"]
    tracker = make_tracker(
        intent="inform",
        entities=entities,
        slots={"requested_slot": "recent_procedures", "past_conditions": updates["past_conditions"]},
    )
    dispatcher = CollectingDispatcher()
    ValidateScreeningForm().validate_past_conditions(updates["past_conditions"], dispatcher, tracker, {})
    assert dispatcher.messages[0]["text"].startswith("Noted: health in the past: ")
    # At the skin question, an ended condition leaves the health question still to be asked.
    early = slot_updates(
        entities=entities,
        slots={"consent": True},
        intent="inform",
        requested_slot="skin_type",
        form_active=True,
        text="I finished chemotherapy in September",
    )
    assert "conditions" not in early


def test_a_yes_to_the_offer_is_the_consent_it_asked_for_unless_it_refuses_the_keeping():
    from actions.conversation import ActionDefaultFallback, ActionStartScreening
    from actions.screening_offer import OFFER

    def reply(text, intent, last_bot_text=OFFER):
        events = [{"event": "bot", "text": last_bot_text}, {"event": "user", "text": text}]
        return make_tracker(intent=intent, text=text, slots={"screening_offered": True}, events=events)

    def consent(action, tracker):
        return slot_events(run(action, tracker)[1]).get("consent")

    assert "keep your answers" in OFFER  # the offer says what a yes agrees to
    assert consent(ActionDefaultFallback(), reply("yeah go on", "affirm")) is True
    assert consent(ActionStartScreening(), reply("/start_screening", "start_screening")) is True
    assert consent(ActionStartScreening(), reply("yes please check me", "start_screening")) is True
    # Refusing the keeping is no consent: the form asks, and a "no" there means general answers only.
    assert consent(ActionDefaultFallback(), reply("yes but don't keep my answers", "affirm")) is None
    refused = reply("check me but don't save anything", "start_screening")
    assert consent(ActionStartScreening(), refused) is None
    # Asked for a check long after the offer: the form asks for consent itself.
    later = reply("check me", "start_screening", last_bot_text="You're welcome!")
    assert consent(ActionStartScreening(), later) is None


def test_consent_given_in_words_right_after_the_offer_starts_the_check():
    from actions.conversation import ActionDefaultFallback
    from actions.privacy import ActionGiveConsent
    from actions.screening_offer import OFFER

    def reply(text, intent, last_bot_text=OFFER):
        events = [{"event": "bot", "text": last_bot_text}, {"event": "user", "text": text}]
        return make_tracker(intent=intent, text=text, slots={"screening_offered": True}, events=events)

    def followups(events):
        return [e.get("name") for e in events if e["event"] == "followup"]

    _, events = run(ActionGiveConsent(), reply("sure, save away. I get shiny by lunch", "give_consent"))
    assert slot_events(events) == {"consent": True} and followups(events) == ["screening_form"]
    # Consent given long after the offer only says so: no check is started for the visitor.
    _, events = run(ActionGiveConsent(), reply("you can keep my answers", "give_consent", "You're welcome!"))
    assert slot_events(events) == {"consent": True} and followups(events) == []
    # A yes first, then the first answers, is a yes to the offer.
    _, events = run(ActionDefaultFallback(), reply("oh yes why not. my skin is pretty dry", "inform"))
    assert slot_events(events).get("consent") is True and followups(events) == ["screening_form"]


def test_without_a_domain_from_rasa_the_actions_read_the_projects_own():
    import yaml

    from bot import PROJECT_ROOT

    full = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
    tracker = make_tracker(slots={"question_misses": {"skin_type": 3}})
    said = []
    for domain in (full, {}):  # {}: what Rasa sends with enable_selective_domain
        dispatcher = CollectingDispatcher()
        asyncio.run(ActionAskSkinType().run(dispatcher, tracker, domain))
        said.append(dispatcher.messages)
    assert said[0] == said[1] and "for example" in said[1][0]["text"]
    form = ValidateScreeningForm()
    assert form.domain_slots({}) == form.domain_slots(full) == full["forms"][FORM]["required_slots"]
    assert list(FORM_SLOTS) == form.domain_slots({})


@pytest.mark.parametrize(
    "text, changes_mind",
    [
        ("is it safe for someone like me with eczema?", False),  # a question: answered generally
        ("would it suit me", False),
        ("ok, check if it suits me", True),  # a request
        ("can we do the check after all?", True),  # asks for the check itself
        ("let's start", True),
    ],
)
def test_after_a_refusal_only_a_request_for_the_check_changes_their_mind(text, changes_mind):
    from actions.conversation import ActionStartScreening

    tracker = make_tracker(slots={"consent": False}, intent="start_screening", text=text)
    messages, events = run(ActionStartScreening(), tracker)
    asked_again = {"event": "slot", "timestamp": None, "name": "consent", "value": None} in events
    assert asked_again == changes_mind
    if not changes_mind:
        assert "not a screening" in messages[0]["text"]


def test_a_message_in_another_language_gets_the_emergency_number_with_the_fallback():
    from actions.conversation import ActionDefaultFallback

    foreign, _ = run(
        ActionDefaultFallback(), make_tracker(intent="nlu_fallback", text="me duele mucho aquí, ¿qué hago?")
    )
    english, _ = run(
        ActionDefaultFallback(), make_tracker(intent="nlu_fallback", text="blue elephants dancing")
    )
    assert any("only read English" in (m.get("text") or "") and "999" in m["text"] for m in foreign)
    assert not any("only read English" in (m.get("text") or "") for m in english)


def test_a_fact_already_noted_said_again_at_another_question_is_no_miss():
    from bot.screening.facts import slot_updates
    from bot.vocabulary import ALREADY_NOTED

    entities = [{"entity": "condition", "value": "pregnancy", "start": 4, "end": 12}]
    slots = {"consent": True, "skin_type": "oily", "conditions": ["pregnancy"]}
    updates = slot_updates(
        entities=entities,
        slots=slots,
        intent="inform",
        requested_slot="recent_procedures",
        form_active=True,
        text="I'm 14 weeks pregnant, no other issues",
    )
    assert updates == {"recent_procedures": ALREADY_NOTED}
    tracker = make_tracker(intent="inform", slots={**slots, "requested_slot": "recent_procedures"})
    dispatcher = CollectingDispatcher()
    result = ValidateScreeningForm().validate_recent_procedures(ALREADY_NOTED, dispatcher, tracker, {})
    assert result == {"recent_procedures": None}  # asked again, and no miss counted
    assert dispatcher.messages[0]["text"] == "Thanks, I have that already."
    # Something new that cannot be read is still a miss.
    unread = slot_updates(
        entities=[],
        slots=slots,
        intent="inform",
        requested_slot="recent_procedures",
        form_active=True,
        text="blorp",
    )
    assert unread == {"recent_procedures": "__unrecognised__"}


def test_a_benefit_asked_about_at_the_goals_question_is_answered_and_taken_as_the_goal():
    from bot.screening.facts import slot_updates

    entities = [{"entity": "benefit", "value": "wrinkles", "start": 20, "end": 28}]
    text = "could it help with my wrinkles?"
    updates = slot_updates(entities, {}, "ask_benefit", "goals", True, text)
    assert updates["goals"] == ["wrinkles"]
    tracker = make_tracker(
        intent="ask_benefit", entities=entities, text=text, slots={"requested_slot": "goals"}
    )
    dispatcher = CollectingDispatcher()
    result = ValidateScreeningForm().validate_goals(["wrinkles"], dispatcher, tracker, {})
    assert result["goals"] == ["wrinkles"]
    assert "**may**" in dispatcher.messages[0]["text"]  # the hedged benefit answer, before the summary


@pytest.mark.parametrize(
    "text", ["I take tablets for my heart", "some pills for blood, can't remember the name"]
)
def test_a_medicine_named_only_by_what_it_is_for_is_asked_about(text):
    tracker = make_tracker(intent="inform", text=text, slots={"requested_slot": "conditions"})
    dispatcher = CollectingDispatcher()
    ValidateScreeningForm().validate_conditions(UNRECOGNISED, dispatcher, tracker, {})
    assert dispatcher.messages[0]["text"].startswith("Which one is it?")
    assert "blood thinners" in dispatcher.messages[0]["text"]


def test_an_unreadable_health_answer_naming_no_body_part_gets_the_usual_reply():
    tracker = make_tracker(intent="inform", text="blorp", slots={"requested_slot": "conditions"})
    dispatcher = CollectingDispatcher()
    ValidateScreeningForm().validate_conditions(UNRECOGNISED, dispatcher, tracker, {})
    assert dispatcher.messages[0].get("response") == "utter_not_understood"


def test_a_condition_said_at_another_question_is_noted_with_the_rest_of_the_health_list():
    tracker = make_tracker(intent="inform", slots={"requested_slot": "skin_type"})
    dispatcher = CollectingDispatcher()
    result = ValidateScreeningForm().validate_conditions(["eczema"], dispatcher, tracker, {})
    assert result["conditions"] == ["eczema"]
    said = dispatcher.messages[0]["text"]
    assert said.startswith("Noted: health: ") and "pregnancy" in said and "blood thinners" in said


def test_the_rest_of_the_health_list_is_offered_once():
    tracker = make_tracker(intent="inform", slots={"requested_slot": "lifestyle", "conditions": ["eczema"]})
    dispatcher = CollectingDispatcher()
    ValidateScreeningForm().validate_conditions(["eczema", "pregnancy"], dispatcher, tracker, {})
    assert dispatcher.messages[0]["text"] == "Noted: health: eczema and pregnancy."
