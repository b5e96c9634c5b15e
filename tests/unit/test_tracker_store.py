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
