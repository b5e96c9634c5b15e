"""The tracker store erases a conversation when the erasure action runs, and keeps others."""

import asyncio

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.storage.tracker_store import ErasableSQLTrackerStore


def test_erasure_deletes_every_stored_event_of_that_visitor_only(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'store.db'}")
    store = ErasableSQLTrackerStore(domain=Domain.empty())

    def tracker(sender, *events):
        t = DialogueStateTracker(sender, slots=[])
        for event in events:
            t.update(event)
        return t

    keep = tracker("keep", UserUttered("hi"))
    asyncio.run(store.save(keep))
    erase = tracker("erase", UserUttered("I'm pregnant"))
    asyncio.run(store.save(erase))
    assert asyncio.run(store.retrieve("erase")) is not None

    erase.update(UserUttered("delete my data"))
    erase.update(ActionExecuted("action_delete_my_data"))
    asyncio.run(store.save(erase))

    assert asyncio.run(store.retrieve("erase")) is None
    kept = asyncio.run(store.retrieve("keep"))
    assert [e.text for e in kept.events if isinstance(e, UserUttered)] == ["hi"]


def test_erasure_also_removes_the_console_index_row(tmp_path, monkeypatch):
    import sqlalchemy as sa

    from bot.console.indexer import refresh
    from bot.storage.migrate import upgrade
    from bot.storage.models import Conversation

    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    upgrade(url)
    store = ErasableSQLTrackerStore(domain=Domain.empty())
    tracker = DialogueStateTracker("visitor", slots=[])
    tracker.update(UserUttered("hi", parse_data={"intent": {"name": "greet", "confidence": 1.0}}))
    asyncio.run(store.save(tracker))
    with sa.orm.Session(sa.create_engine(url, future=True), future=True) as db:
        refresh(db)
        db.commit()
        assert db.get(Conversation, "visitor") is not None
    tracker.update(ActionExecuted("action_delete_my_data"))
    asyncio.run(store.save(tracker))
    with sa.orm.Session(sa.create_engine(url, future=True), future=True) as db:
        assert db.get(Conversation, "visitor") is None
