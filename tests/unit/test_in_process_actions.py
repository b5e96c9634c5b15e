"""Our actions answered inside the Rasa process: the same executor, the same answers and errors as the
action server would give over HTTP (bot/in_process_actions.py, bot/rasa_compat.py)."""

import asyncio

import aiohttp
import pytest
import rasa
from rasa.utils.endpoints import ClientResponseError, EndpointConfig

import bot.rasa_compat  # noqa: F401  (applies the patch)
from bot.in_process_actions import IN_PROCESS_URL, health


def _call(action: str) -> dict:
    tracker = {
        "sender_id": "unit",
        "slots": {},
        "latest_message": {"text": "hi", "intent": {"name": "greet"}, "entities": []},
        "events": [{"event": "user", "text": "hi", "parse_data": {"intent": {"name": "greet"}}}],
        "active_loop": {},
        "paused": False,
        "latest_event_time": 0,
        "followup_action": None,
        "latest_input_channel": "rest",
        "latest_action_name": "action_listen",
    }
    return {"next_action": action, "sender_id": "unit", "tracker": tracker, "version": rasa.__version__}


def _request(action: str) -> dict:
    return asyncio.run(EndpointConfig(url=IN_PROCESS_URL).request(json=_call(action), method="post"))


def test_an_action_runs_in_process_and_answers_as_the_action_server_would():
    answer = _request("action_greet")
    assert set(answer) >= {"events", "responses"}
    assert answer["responses"], "the greeting says something"


def test_an_unknown_action_is_the_action_servers_404():
    with pytest.raises(ClientResponseError) as raised:
        _request("action_that_does_not_exist")
    assert raised.value.status == 404
    assert "action_that_does_not_exist" in raised.value.text


def test_any_other_address_still_goes_over_http():
    endpoint = EndpointConfig(url="http://127.0.0.1:9/webhook")  # discard port: nothing listens
    with pytest.raises(aiohttp.ClientConnectionError):
        asyncio.run(endpoint.request(json=_call("action_greet"), method="post", timeout=2))


def test_the_health_check_sees_the_registered_actions():
    assert health() == "ok"


def test_only_a_remote_action_servers_answer_is_checked_against_the_schema():
    from jsonschema import ValidationError
    from rasa.core.actions.action import RemoteAction

    malformed = {"events": [{"event": "slot"}], "responses": "not a list"}
    ours = RemoteAction("action_greet", EndpointConfig(IN_PROCESS_URL))
    assert ours._validate_action_result(malformed) is True  # our own actions, run right here
    remote = RemoteAction("action_greet", EndpointConfig("http://127.0.0.1:5055/webhook"))
    with pytest.raises(ValidationError):
        remote._validate_action_result(malformed)
    assert remote._validate_action_result({"events": [], "responses": []}) is True


def test_whether_a_domain_is_empty_is_worked_out_once_and_stays_right():
    from rasa.shared.core.domain import Domain

    from bot import PROJECT_ROOT

    loaded = Domain.load(str(PROJECT_ROOT / "domain.yml"))
    assert loaded.is_empty() is False and loaded.is_empty() is False
    assert Domain.empty().is_empty() is True


def test_applied_events_are_walked_once_per_content_and_each_copy_gets_its_own_events():
    import copy

    from rasa.shared.core.events import (
        ActionExecuted,
        ActiveLoop,
        SlotSet,
        UserUtteranceReverted,
        UserUttered,
    )
    from rasa.shared.core.trackers import DialogueStateTracker

    import bot.rasa_compat as compat

    events = [
        ActionExecuted("action_listen"),
        UserUttered("hi", {"name": "greet"}),
        ActionExecuted("screening_form"),
        ActiveLoop("screening_form"),
        SlotSet("skin_type", "dry"),
        ActionExecuted("action_listen"),
        UserUttered("oops", {"name": "deny"}),
        UserUtteranceReverted(),
        ActionExecuted("screening_form"),
    ]
    tracker = DialogueStateTracker.from_events("applied-test", events)
    expected = compat._RASA_APPLIED_EVENTS(tracker)
    assert tracker.applied_events() == expected  # the first walk
    twin = copy.deepcopy(tracker)
    from_copy = twin.applied_events()  # the same content in other objects: read by position
    assert from_copy == expected
    assert all(any(e is mine for mine in twin.events) for e in from_copy)
    tracker.update(SlotSet("goals", ["glow"]))  # a new event: walked again
    assert tracker.applied_events() == compat._RASA_APPLIED_EVENTS(tracker)
    assert tracker.applied_events()[-1] == SlotSet("goals", ["glow"])
