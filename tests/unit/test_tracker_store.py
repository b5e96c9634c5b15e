"""The tracker store: consent decides what is kept; erasure erases; nothing comes back."""

import asyncio

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.slots import AnySlot
from rasa.shared.core.trackers import DialogueStateTracker

from bot.storage.tracker_store import ErasableSQLTrackerStore

SLOTS = ["consent", "screening_outcome"]


def make_store(tmp_path, monkeypatch, domain: Domain) -> ErasableSQLTrackerStore:
    """A store on a fresh, migrated SQLite file (its URL kept as `store.url` for direct checks)."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("REDIS_URL", raising=False)
    from bot.storage.migrate import upgrade

    upgrade(url)
    store = ErasableSQLTrackerStore(domain=domain)
    store.url = url
    return store


@pytest.fixture()
def store(tmp_path, monkeypatch):
    return make_store(tmp_path, monkeypatch, Domain.empty())


def tracker(sender, *events):
    t = DialogueStateTracker(sender, slots=[AnySlot(name, mappings=[{}]) for name in SLOTS])
    for event in events:
        t.update(event)
    return t


def stored_texts(store, sender):
    with sa.create_engine(store.url).connect() as connection:
        rows = connection.execute(sa.text("SELECT data FROM events WHERE sender_id = :s"), {"s": sender})
        import json

        return [json.loads(d).get("text") for (d,) in rows if json.loads(d).get("event") == "user"]


def save(store, t):
    asyncio.run(store.save(t))


def test_nothing_is_written_before_consent_and_the_words_before_it_are_blanked_after(store):
    t = tracker("v", UserUttered("hi, I'm pregnant"))
    save(store, t)
    assert stored_texts(store, "v") == []
    assert asyncio.run(store.retrieve("v")) is not None  # the conversation goes on, in memory
    t.update(UserUttered("yes"))
    t.update(SlotSet("consent", True))
    t.update(UserUttered("my skin is oily"))
    save(store, t)
    assert stored_texts(store, "v") == [
        "(said before consent: not kept)",
        "(said before consent: not kept)",
        "my skin is oily",
    ]


def test_a_refusal_keeps_nothing_but_an_anonymous_count(store):
    t = tracker(
        "r", UserUttered("hi"), SlotSet("consent", False), UserUttered("I take warfarin, is it safe?")
    )
    save(store, t)
    t.update(UserUttered("my chest hurts"))
    t.update(SlotSet("screening_outcome", "seek_urgent_care"))
    save(store, t)
    save(store, t)
    assert stored_texts(store, "r") == []
    with sa.create_engine(store.url).connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM events")).scalar_one() == 0
        assert connection.execute(sa.text("SELECT declined, urgent FROM declined_daily")).one() == (1, 1)
        assert connection.execute(sa.text("SELECT count(*) FROM conversation_changes")).scalar_one() == 0


def test_withdrawing_consent_erases_what_was_kept_and_carries_on(store):
    t = tracker("w", UserUttered("yes"), SlotSet("consent", True), UserUttered("I have eczema"))
    save(store, t)
    assert stored_texts(store, "w")
    t.update(SlotSet("consent", False))
    save(store, t)
    assert stored_texts(store, "w") == []
    assert asyncio.run(store.retrieve("w")) is not None
    with sa.create_engine(store.url).connect() as connection:
        audit = connection.execute(sa.text("SELECT actor, action, target, detail FROM console_audit")).all()
    assert audit == [("visitor", "consent", None, "consent_withdrawn: conversation erased")]
    t.update(SlotSet("consent", True))
    save(store, t)
    with sa.create_engine(store.url).connect() as connection:
        details = [d for (d,) in connection.execute(sa.text("SELECT detail FROM console_audit"))]
    assert details[-1].startswith("consent_given after a refusal")


def test_erasure_deletes_every_stored_event_of_that_visitor_only_and_stays_erased(store):
    keep = tracker("keep", SlotSet("consent", True), UserUttered("hi"))
    save(store, keep)
    gone = tracker("gone", SlotSet("consent", True), UserUttered("I'm pregnant"))
    save(store, gone)
    gone.update(UserUttered("delete my data"))
    gone.update(ActionExecuted("action_delete_my_data"))
    save(store, gone)
    assert asyncio.run(store.retrieve("gone")) is None
    gone.update(UserUttered("a message that was in flight"))
    save(store, gone)  # must not bring it back
    assert stored_texts(store, "gone") == []
    assert stored_texts(store, "keep") == ["hi"]


def test_erasure_also_removes_the_console_index_row(store):
    from bot.console.indexer import refresh
    from bot.storage.models import Conversation

    t = tracker("visitor", SlotSet("consent", True))
    t.update(UserUttered("hi", parse_data={"intent": {"name": "greet", "confidence": 1.0}}))
    save(store, t)
    engine = sa.create_engine(store.url, future=True)
    with sa.orm.Session(engine, future=True) as db:
        refresh(db)
        assert db.get(Conversation, "visitor") is not None
    t.update(ActionExecuted("action_delete_my_data"))
    save(store, t)
    with sa.orm.Session(engine, future=True) as db:
        refresh(db)
        assert db.get(Conversation, "visitor") is None


def kept(sender, *texts):
    t = tracker(sender, SlotSet("consent", True))
    for text in texts:
        t.update(UserUttered(text))
    return t


def test_the_next_message_gets_the_tracker_this_process_saved_while_nothing_changed(store):
    t = kept("c", "hello", "my skin is oily")
    save(store, t)
    first = asyncio.run(store.retrieve("c"))
    assert first is t  # served from memory, not rebuilt
    assert asyncio.run(store.retrieve("c")) is not t  # taken once: then read from the database
    again = asyncio.run(store.retrieve("c"))
    assert [e.text for e in again.events if isinstance(e, UserUttered)] == ["hello", "my skin is oily"]


def test_a_message_saved_by_another_process_or_an_erasure_means_a_fresh_read(tmp_path, monkeypatch):
    domain = Domain.from_yaml("version: '3.1'\nslots:\n  consent:\n    type: any\n    mappings: []\n")
    store = make_store(tmp_path, monkeypatch, domain)
    other = ErasableSQLTrackerStore(domain=domain)  # a second Rasa process on the same database
    t = kept("m", "hello")
    save(store, t)
    elsewhere = asyncio.run(other.retrieve("m"))
    elsewhere.update(UserUttered("handled by the other process"))
    save(other, elsewhere)
    fresh = asyncio.run(store.retrieve("m"))
    assert fresh is not t
    assert [e.text for e in fresh.events if isinstance(e, UserUttered)][-1] == "handled by the other process"
    save(store, fresh)  # kept again, then erased by the other process
    other.erase("m")
    assert asyncio.run(store.retrieve("m")) is None


def test_a_failed_message_never_leaves_a_half_updated_tracker_behind(store):
    t = kept("f", "hello")
    save(store, t)
    taken = asyncio.run(store.retrieve("f"))
    taken.update(UserUttered("this message failed before it was saved"))  # no save follows
    reread = asyncio.run(store.retrieve("f"))
    assert [e.text for e in reread.events if isinstance(e, UserUttered)] == ["hello"]


def test_recent_trackers_are_few_short_lived_and_checked_against_the_current_version():
    from bot.storage.recent_trackers import RecentTrackers

    now = [0.0]
    recent = RecentTrackers(max_entries=2, max_age_s=10, clock=lambda: now[0])
    recent.keep("a", (5, 5), "tracker a")
    assert recent.take("a", lambda: (6, 6)) is None  # changed since: not served, and gone
    assert recent.take("a", lambda: (5, 5)) is None
    for sender in "bcd":
        recent.keep(sender, (1, 1), sender)
    assert len(recent) == 2 and recent.take("b", lambda: (1, 1)) is None  # the oldest went
    now[0] = 11
    assert recent.take("c", lambda: (1, 1)) is None  # too old
    now[0] = 0
    recent.keep("e", (1, 1), "e")
    recent.forget("e")
    assert recent.take("e", lambda: (1, 1)) is None
