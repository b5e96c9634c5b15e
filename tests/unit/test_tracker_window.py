"""A long conversation is served as a window of its last turns: the same state, nothing lost or
written twice, and nothing left behind by an erasure (bot/storage/tracker_window.py)."""

import asyncio

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, SlotSet, UserUttered

from bot.storage import tracker_window
from bot.vocabulary import BEFORE_CONSENT
from tests.unit.test_tracker_store import make_store

DOMAIN = Domain.from_dict(
    {
        "slots": {
            name: {"type": "any", "influence_conversation": False, "mappings": [{"type": "custom"}]}
            for name in ("consent", "skin_type", "counter", "requested_slot")
        },
        "forms": {"screening_form": {"required_slots": ["skin_type"]}},
    }
)


@pytest.fixture()
def store(tmp_path, monkeypatch):
    return make_store(tmp_path, monkeypatch, DOMAIN)


def run(coroutine):
    return asyncio.run(coroutine)


def one_message(store, sender, text, *events):
    """What Rasa does for a message: fetch the tracker, add the turn's events, save it."""
    tracker = run(store.get_or_create_tracker(sender))
    tracker.update(UserUttered(text))
    for event in events:
        tracker.update(event)
    tracker.update(ActionExecuted("action_listen"))
    run(store.save(tracker))
    return tracker


def stored_user_texts(store, sender):
    with sa.create_engine(store.url).connect() as connection:
        rows = connection.execute(
            sa.text("SELECT data FROM events WHERE sender_id = :s AND type_name = 'user' ORDER BY id"),
            {"s": sender},
        )
        import json

        return [json.loads(data)["text"] for (data,) in rows]


def window_rows(store):
    with sa.create_engine(store.url).connect() as connection:
        return connection.execute(sa.text("SELECT count(*) FROM tracker_windows")).scalar()


def long_conversation(store, sender, messages=40):
    one_message(store, sender, "yes", SlotSet("consent", True))
    one_message(store, sender, "oily", SlotSet("skin_type", "oily"), ActiveLoop("screening_form"))
    for i in range(messages - 2):
        one_message(store, sender, f"question {i}", SlotSet("counter", i))


def test_a_long_conversation_is_served_from_its_last_turns_with_the_same_state(store):
    long_conversation(store, "v", messages=40)
    tracker = run(store.retrieve("v"))
    users = [e for e in tracker.events if isinstance(e, UserUttered)]
    assert tracker_window.KEEP_TURNS <= len(users) <= 2 * tracker_window.KEEP_TURNS
    assert users[-1].text == "question 37"
    # The state is the whole conversation's, including what was set before the window began.
    assert tracker.get_slot("consent") is True
    assert tracker.get_slot("skin_type") == "oily"
    assert tracker.get_slot("counter") == 37
    assert tracker.active_loop_name == "screening_form"
    full = run(store.retrieve_full_tracker("v"))
    assert full.current_slot_values() == tracker.current_slot_values()
    assert len([e for e in full.events if isinstance(e, UserUttered)]) == 40


def test_every_message_is_stored_once_whatever_the_window(store):
    long_conversation(store, "v", messages=40)
    # (the consenting "yes" itself was said before consent: blanked, as always)
    assert stored_user_texts(store, "v") == [BEFORE_CONSENT, "oily"] + [f"question {i}" for i in range(38)]
    tracker = run(store.retrieve("v"))
    run(store.save(tracker))  # saved again with nothing new: nothing is written twice
    assert len(stored_user_texts(store, "v")) == 40


def test_a_short_conversation_has_no_window(store):
    long_conversation(store, "v", messages=2 * tracker_window.KEEP_TURNS)
    assert window_rows(store) == 0
    assert tracker_window.marker(run(store.retrieve("v")).events) is None


def test_erasure_removes_the_window_and_a_stale_window_is_ignored(store):
    long_conversation(store, "v", messages=40)
    long_conversation(store, "w", messages=40)
    assert window_rows(store) == 2
    store.erase("v")
    assert window_rows(store) == 1
    assert run(store.retrieve("v")) is None
    # A window whose first event is gone (as after a purge that missed it) means a complete retrieval.
    with sa.create_engine(store.url).begin() as connection:
        connection.execute(sa.text("UPDATE tracker_windows SET from_id = from_id + 1 WHERE sender_id = 'w'"))
    store.recent.forget("w")  # read as a process that did not save it last would
    tracker = run(store.retrieve("w"))
    assert tracker_window.marker(tracker.events) is None
    assert len([e for e in tracker.events if isinstance(e, UserUttered)]) == 40
