"""8,000 conversations written by two concurrent writers on PostgreSQL all reach the console.

The old indexer took the highest indexed event id as a watermark; with two writers, ids commit out of
order, and everything behind the watermark was never indexed. The change log cannot skip one.
"""

import asyncio
import threading
import uuid

import pytest
import sqlalchemy as sa

pytestmark = pytest.mark.slow

# More than the old watermark's ~5,000, small enough for CI (10,000 each took 2.5 minutes).
PER_WRITER = 4_000


def test_two_concurrent_writers_and_every_conversation_is_listed(database_url, monkeypatch):
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import SlotSet, UserUttered
    from rasa.shared.core.slots import AnySlot
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot.console import indexer
    from bot.console.db import session_factory
    from bot.storage.migrate import upgrade
    from bot.storage.models import Conversation
    from bot.storage.tracker_store import ErasableSQLTrackerStore

    url = database_url
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("REDIS_URL", raising=False)
    upgrade(url)
    run = uuid.uuid4().hex[:6]

    def writer(number: int, errors: list) -> None:
        store = ErasableSQLTrackerStore(domain=Domain.empty())

        async def write_all() -> None:
            for n in range(PER_WRITER):
                tracker = DialogueStateTracker(
                    f"w{number}-{run}-{n}", slots=[AnySlot("consent", mappings=[{}])]
                )
                tracker.update(SlotSet("consent", True))
                tracker.update(UserUttered("hi", parse_data={"intent": {"name": "greet", "confidence": 1.0}}))
                await store.save(tracker)

        try:
            asyncio.run(write_all())
        except Exception as error:  # noqa: BLE001  reported below, with the writer's number
            errors.append((number, error))

    errors: list = []
    threads = [threading.Thread(target=writer, args=(n, errors)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    # The indexer runs while they write, as the web app's background task does.
    with session_factory(url)() as db:
        while any(t.is_alive() for t in threads):
            indexer.refresh(db, max_batches=5)
        for thread in threads:
            thread.join()
        indexer.refresh(db)
        listed = db.execute(
            sa.select(sa.func.count())
            .select_from(Conversation)
            .where(Conversation.sender_id.like(f"%-{run}-%"))
        ).scalar_one()
    assert errors == []
    assert listed == 2 * PER_WRITER
