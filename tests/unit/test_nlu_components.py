"""The Rasa NLU components alone: entities from the spaCy Doc, merging with DIET, the red-flag override."""

import pytest
from rasa.nlu.constants import SPACY_DOCS
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.clinical_entities import ClinicalEntityExtractor, merge_entities
from bot.nlu.safety_override import RedFlagIntentOverride


def message_for(nlp, text, intent="inform", confidence=0.9, entities=None):
    message = Message(data={TEXT: text})
    message.set(SPACY_DOCS[TEXT], nlp(text.lower()))
    message.set(INTENT, {"name": intent, "confidence": confidence})
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": confidence}])
    if entities:
        message.set(ENTITIES, entities)
    return message


def test_extractor_adds_canonical_entities_with_roles(nlp):
    message = message_for(nlp, "I'm not pregnant but I take Xarelto")
    ClinicalEntityExtractor().process([message])
    entities = [(e["entity"], e["value"], e.get("role"), e["extractor"]) for e in message.get(ENTITIES)]
    assert entities == [
        ("condition", "pregnancy", "negated", "ClinicalEntityExtractor"),
        ("condition", "anticoagulants", None, "ClinicalEntityExtractor"),
    ]


def test_rule_entities_win_over_overlapping_diet_entities():
    ours = [{"entity": "condition", "value": "anticoagulants", "start": 7, "end": 14}]
    diet = [
        {"entity": "condition", "value": "Eliquis", "start": 7, "end": 14},
        {"entity": "skin_type", "value": "oily", "start": 30, "end": 34},
    ]
    merged = merge_entities(ours, diet)
    assert [(e["entity"], e["value"]) for e in merged] == [
        ("condition", "anticoagulants"),
        ("skin_type", "oily"),
    ]


def test_stated_red_flag_forces_report_symptom(nlp):
    message = message_for(nlp, "my lips are swelling up", intent="faq", confidence=0.8)
    ClinicalEntityExtractor().process([message])
    RedFlagIntentOverride().process([message])
    assert message.get(INTENT) == {"name": "report_symptom", "confidence": 1.0}
    assert message.get(INTENT_RANKING_KEY)[0]["name"] == "report_symptom"


def test_denied_red_flag_does_not_override(nlp):
    message = message_for(nlp, "no chest pain, just curious about bruising", intent="faq")
    ClinicalEntityExtractor().process([message])
    RedFlagIntentOverride().process([message])
    assert message.get(INTENT)["name"] == "faq"


def test_answer_field_and_rating_are_kept_only_under_their_intent():
    from bot.nlu.intent_context import filter_entities

    entities = [
        {"entity": "answer_field", "value": "skin_type"},
        {"entity": "skin_type", "value": "oily"},
        {"entity": "rating", "value": "helpful"},
    ]
    assert [e["entity"] for e in filter_entities(entities, "inform")] == ["skin_type"]
    assert [e["entity"] for e in filter_entities(entities, "change_answer")] == ["answer_field", "skin_type"]
    assert [e["entity"] for e in filter_entities(entities, "rate_answer")] == ["skin_type", "rating"]


def test_socket_output_counts_what_it_sends_so_silence_can_be_told_apart():
    import asyncio

    from bot.channels.safety_net import replies_sent
    from bot.channels.socketio_channel import ScreeningSocketIOOutput

    class FakeServer:
        def __init__(self):
            self.emitted = []

        async def emit(self, *args, **kwargs):
            self.emitted.append((args, kwargs))

    server = FakeServer()
    output = ScreeningSocketIOOutput(server, "bot_uttered")
    assert replies_sent(output) == 0
    asyncio.run(output.send_response("room", {"text": "hello", "buttons": [{"title": "a", "payload": "/a"}]}))
    asyncio.run(output.send_custom_json("room", {"type": "screening_result"}))
    assert replies_sent(output) == 2
    assert server.emitted[-1] == (("bot_uttered", {"custom": {"type": "screening_result"}}), {"room": "room"})


def test_never_silent_answers_only_when_nothing_was_said():
    import asyncio

    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

    from bot.channels.safety_net import never_silent

    async def says_something(message):
        await message.output_channel.send_text_message(message.sender_id, "hi there")

    async def says_nothing(message):
        return None

    async def breaks(message):
        raise RuntimeError("the action server is down")

    for handler, expected in (
        (says_something, ["hi there"]),
        (says_nothing, ["trouble"]),
        (breaks, ["trouble"]),
    ):
        output = CollectingOutputChannel()
        asyncio.run(never_silent(handler)(UserMessage("hello", output, "v", metadata={"clinic": "demo"})))
        texts = [m["text"] for m in output.messages]
        assert len(texts) == 1 and expected[0] in texts[0]


def test_patched_action_response_validation_still_rejects_bad_responses():
    import pytest
    from jsonschema import ValidationError
    from rasa.core.actions.action import RemoteAction

    import bot.rasa_compat  # noqa: F401

    action = RemoteAction("action_x", None)
    assert action._validate_action_result(
        {"events": [{"event": "slot", "name": "a", "value": 1}], "responses": []}
    )
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result({"events": "not a list"})


@pytest.mark.parametrize(
    "response",
    [
        {"events": [{"event": "slot", "name": "a", "value": 1}], "responses": [{"text": "hi"}]},
        {"events": [{"event": "active_loop", "name": None}, {"event": "followup", "name": "action_x"}]},
        {"events": [], "responses": [{"text": "x", "buttons": [{"title": "t", "payload": "/p"}]}]},
        {"events": [{"event": "bot", "text": "x", "data": {}}, {"event": "user_utterance_reverted"}]},
        {"events": [{"event": "slot", "name": 5, "value": 1}]},  # a slot's name must be a string
        {"events": [{"event": "no_such_kind"}]},
        {"events": [{"name": "slot without its kind"}]},
        {"events": ["not an object"]},
        {"events": "not a list"},
        {"responses": "not a list"},
    ],
)
def test_checking_each_event_against_its_own_kind_agrees_with_the_full_schema(response):
    from rasa.core.actions.action import RemoteAction

    import bot.rasa_compat

    full = bot.rasa_compat._response_validator().is_valid(response)
    assert bot.rasa_compat._valid_by_kind(response) == full
    if not full:
        with pytest.raises(Exception, match="Failed to validate Action server response"):
            RemoteAction("action_x", None)._validate_action_result(response)


def test_remembered_event_classes_resolve_as_rasa_does_and_unknown_names_still_fail():
    import pytest
    from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered

    import bot.rasa_compat  # noqa: F401

    for _ in range(2):  # the second time from what was remembered
        assert Event.resolve_by_type("user") is UserUttered
        assert Event.resolve_by_type("slot") is SlotSet
        assert Event.resolve_by_type("action") is ActionExecuted
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    assert "no_such_event" not in bot.rasa_compat._EVENT_CLASSES  # a default is never remembered
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")

    class LateEvent(Event):  # defined after the first lookups: still found
        type_name = "late_event_for_test"

        def __eq__(self, other):
            return isinstance(other, LateEvent)

        def as_story_string(self):
            return None

    assert Event.resolve_by_type("late_event_for_test") is LateEvent
    restored = Event.from_parameters({"event": "slot", "name": "a", "value": 1})
    assert restored == SlotSet("a", 1, timestamp=restored.timestamp)


def test_the_rasa_guard_refuses_another_version_with_a_clear_message():
    import os
    import subprocess
    import sys

    from bot import PROJECT_ROOT

    result = subprocess.run(
        [sys.executable, "-c", "import bot.rasa_compat"],
        cwd=PROJECT_ROOT,
        env={**os.environ, "RASA_COMPAT_EXPECTED": "9.9.9", "PYTHONPATH": str(PROJECT_ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "RasaCompatibilityError" in result.stderr and "written for 9.9.9" in result.stderr


def test_the_rasa_guard_passes_on_the_pinned_version():
    from bot.rasa_compat import problems

    assert problems() == []


@pytest.mark.parametrize(
    "intent, text, kept",
    [
        ("stop_screening", "can we stop here please", True),
        ("stop_screening", "I'd like to leave it for now", True),
        ("stop_screening", "lets get going", False),
        ("restart_screening", "start over from scratch", True),
        ("restart_screening", "my skin is oily actually", False),
        ("restart_screening", "right, square one again", True),
        ("restart_screening", "wind the whole lot back please", True),
        ("stop_screening", "let's put this on hold", True),
        ("change_answer", "sorry, my skin is dry not oily", True),
        ("change_answer", "I take a glass of red with dinner, nothing more", False),
        ("start_screening", "anything at all", True),  # starting loses nothing: no word needed
        ("restart_screening", "when could I begin wearing make-up again afterwards", False),  # own routine
        ("restart_screening", "can we go through the questions again from the top", True),
        # a stop said not to be wanted asks to go on
        ("stop_screening", "whoops, wasn't trying to quit, carry on", False),
        ("stop_screening", "I do not wish to cancel anything, next question", False),
        ("stop_screening", "I want to stop now", True),
        # a device restarted is no screening restarted; "restart the questions" still is
        ("restart_screening", "the tablet keeps crashing, gonna reboot it", False),
        ("restart_screening", "my phone died halfway, can we restart the questions", True),
        # every answer wrong and a restart asked for: a restart, not one change
        ("change_answer", "I messed up all of it, let me start over", False),
        ("change_answer", "I messed up the skin one, let me change it", True),
        # taking consent back needs a word of keeping, seeing or data
        ("withdraw_consent", "nah don't give up on me, keep going", False),
        ("withdraw_consent", "on second thoughts I'd rather you didn't hold on to any of this", True),
    ],
)
def test_stop_restart_and_change_stand_only_when_the_message_says_so(intent, text, kept):
    from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
    from rasa.shared.nlu.training_data.message import Message

    from bot.nlu.intent_cues import IntentCueGuard

    ranking = [{"name": intent, "confidence": 0.7}, {"name": "inform", "confidence": 0.2}]
    message = Message(data={TEXT: text, INTENT: dict(ranking[0]), INTENT_RANKING_KEY: ranking})
    [processed] = IntentCueGuard().process([message])
    assert (processed.get(INTENT)["name"] == intent) is kept
    if not kept:
        # the rest read among themselves: inform's 0.2 of the 0.3 not ruled out
        assert processed.get(INTENT) == {"name": "inform", "confidence": pytest.approx(0.2 / 0.3)}


@pytest.mark.parametrize(
    "text, intent",
    [("hello, I'm 81 and my granddaughter told me to ask you", "greet"), ("qwerty asdf", "nlu_fallback")],
)
def test_a_fallback_that_opens_with_a_greeting_is_a_greeting(text, intent):
    from bot.nlu.intent_cues import GreetingOpening

    fallback = {"name": "nlu_fallback", "confidence": 0.45}
    message = Message(data={TEXT: text, INTENT: dict(fallback), INTENT_RANKING_KEY: [fallback]})
    [processed] = GreetingOpening().process([message])
    assert processed.get(INTENT)["name"] == intent


def test_a_guarded_intent_ruled_out_leaves_the_others_read_among_themselves():
    from bot.nlu.intent_cues import guarded_ranking

    ranking = [
        {"name": "restart_screening", "confidence": 0.8},
        {"name": "start_screening", "confidence": 0.15},
        {"name": "affirm", "confidence": 0.05},
    ]
    kept = guarded_ranking(ranking, "begin")
    assert [r["name"] for r in kept] == ["start_screening", "affirm"]
    assert kept[0]["confidence"] == pytest.approx(0.75)
    assert guarded_ranking(ranking, "can we start over")[0]["confidence"] == 0.8  # nothing ruled out


@pytest.mark.parametrize(
    "text, ranking, intent",
    [
        # A request after the greeting stands, whatever the classifier made of the "hi".
        (
            "hey, could I talk to somebody at reception",
            [("greet", 0.85), ("request_human", 0.12)],
            "request_human",
        ),
        # ...but not from crumbs of confidence: below 0.1 the greeting stands.
        ("hey, could I talk to somebody at reception", [("greet", 0.95), ("request_human", 0.04)], "greet"),
        ("hello, what does a course cost", [("nlu_fallback", 0.45), ("faq", 0.3), ("greet", 0.2)], "faq"),
        # Pleasantries, or an answer rather than a request, leave the greeting.
        ("hi there, how are you doing today?", [("greet", 0.7), ("faq", 0.3)], "greet"),
        ("hello, I'm 81 and my granddaughter sent me", [("nlu_fallback", 0.45), ("inform", 0.4)], "greet"),
        # A request the classifier is unsure of among the rest is not promoted.
        ("hi, blah blah something else", [("greet", 0.9), ("faq", 0.04), ("inform", 0.06)], "greet"),
    ],
)
def test_a_request_after_a_greeting_is_that_request(text, ranking, intent):
    from bot.nlu.intent_cues import GreetingOpening

    ranked = [{"name": n, "confidence": c} for n, c in ranking]
    message = Message(data={TEXT: text, INTENT: dict(ranked[0]), INTENT_RANKING_KEY: ranked})
    [processed] = GreetingOpening().process([message])
    assert processed.get(INTENT)["name"] == intent


@pytest.mark.parametrize(
    "text, kept",
    [
        ("hi, I need to speak to the receptionist", "i need to speak to the receptionist"),
        ("hi there, how are you?", "hi there how are you"),  # a plain greeting keeps its tokens
        ("how much is it?", "how much is it"),
    ],
)
def test_a_request_opening_with_a_greeting_is_featurised_without_it(text, kept):
    from rasa.nlu.constants import TOKENS_NAMES
    from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer

    from bot.nlu.greeting_prefix import GreetingPrefixRemover

    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    message = Message(data={TEXT: text})
    tokenizer.process([message])
    [processed] = GreetingPrefixRemover().process([message])
    words = " ".join(t.text.lower() for t in processed.get(TOKENS_NAMES[TEXT]))
    assert words == kept  # the whitespace tokenizer drops punctuation


def test_an_ordinary_response_passes_without_the_full_check():
    import bot.rasa_compat

    response = {
        "events": [{"event": "slot", "name": "skin_type", "value": "oily"}],
        "responses": [{"text": "ok"}],
    }
    assert bot.rasa_compat._valid_by_kind(response)


def test_an_action_call_carries_the_state_and_the_events_since_the_previous_message():
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
    from rasa.utils.endpoints import EndpointConfig

    import bot.rasa_compat  # noqa: F401

    domain = Domain.from_yaml("version: '3.1'\nslots:\n  skin_type:\n    type: any\n    mappings: []\n")
    events = [
        ActionExecuted("action_listen"),
        UserUttered("hi", {"name": "greet", "confidence": 1.0}),
        BotUttered("Hello! How would you describe your skin?"),
        ActionExecuted("action_listen"),
        UserUttered("oily", {"name": "inform", "confidence": 1.0}),
        SlotSet("skin_type", "oily"),
    ]
    tracker = DialogueStateTracker.from_events("visitor", events, slots=domain.slots)
    endpoint = EndpointConfig("http://127.0.0.1:1/webhook", enable_selective_domain=True)
    call = RemoteAction("action_x", endpoint)._action_call_format(tracker, domain)
    full = tracker.current_state(EventVerbosity.ALL)
    sent = call["tracker"]
    assert [e["event"] for e in sent["events"]] == ["bot", "action", "user", "slot"]
    assert sent["events"] == full["events"][2:]
    assert {k: v for k, v in sent.items() if k != "events"} == {
        k: v for k, v in full.items() if k != "events"
    }
    assert "domain" not in call and call["next_action"] == "action_x" and call["sender_id"] == "visitor"
    assert bot.rasa_compat.recent_events(events[:2]) == events[:2]  # one message: everything


@pytest.mark.parametrize(
    "text, entities, intent",
    [
        # names an answer's terms and asks nothing: an answer
        ("combo, shiny nose by lunch", [{"entity": "skin_type", "value": "combination"}], "inform"),
        (
            "nope to all the fillers",
            [{"entity": "procedure", "value": "filler", "role": "negated"}],
            "inform",
        ),
        ("roughly three weeks back", [{"entity": "duration", "value": 21}], "inform"),
        # asks: left to the fallback (a question is not an answer)
        ("does eczema rule me out", [{"entity": "condition", "value": "eczema"}], "nlu_fallback"),
        ("eczema ok?", [{"entity": "condition", "value": "eczema"}], "nlu_fallback"),
        # no answer's terms (a red flag is the safety override's, never an answer)
        ("qwerty asdf", [], "nlu_fallback"),
        ("my lip is ballooning", [{"entity": "red_flag", "value": "severe_swelling"}], "nlu_fallback"),
    ],
)
def test_a_fallback_naming_an_answers_terms_is_an_answer(text, entities, intent):
    from bot.nlu.answer_terms import AnswerTermsInform

    fallback = {"name": "nlu_fallback", "confidence": 0.4}
    message = Message(data={TEXT: text, INTENT: dict(fallback), INTENT_RANKING_KEY: [fallback]})
    message.set(ENTITIES, entities)
    [processed] = AnswerTermsInform().process([message])
    assert processed.get(INTENT)["name"] == intent


def test_a_placed_intent_is_never_turned_into_an_answer():
    from bot.nlu.answer_terms import AnswerTermsInform

    faq = {"name": "faq", "confidence": 0.8}
    message = Message(data={TEXT: "I have rosacea", INTENT: dict(faq), INTENT_RANKING_KEY: [faq]})
    message.set(ENTITIES, [{"entity": "condition", "value": "rosacea"}])
    [processed] = AnswerTermsInform().process([message])
    assert processed.get(INTENT)["name"] == "faq"
