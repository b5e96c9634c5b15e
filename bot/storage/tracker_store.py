"""Rasa's SQL tracker store, configured from DATABASE_URL, that really erases a visitor's data and
tells the console which conversations changed.

Erasure cannot be done from the action server alone: after the action returns, Rasa saves the
tracker it holds in memory and would write every deleted event back. So the store itself watches
for the erasure action in the events it is about to save and deletes the conversation instead, and
drops any later save for an erased conversation (a message that was in flight during the erasure).
Every save also records the conversation in the change log the console's indexer works through.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from bot.storage import changes
from bot.storage.database import database_url
from bot.storage.erasure import erase

logger = logging.getLogger(__name__)
ERASE_ACTION = "action_delete_my_data"


class ErasableSQLTrackerStore(SQLTrackerStore):
    def __init__(
        self,
        domain: Domain | None = None,
        host: str | None = None,
        event_broker: EventBroker | None = None,
        **kwargs: Any,
    ) -> None:
        url = database_url()
        super().__init__(
            domain=domain,
            dialect=url.drivername,
            host=url.host,
            port=url.port,
            db=url.database or "",
            username=url.username,
            password=url.password,
            event_broker=event_broker,
            query=dict(url.query) or None,
        )
        # Rasa's engine does not test pooled connections, so after a database restart the first
        # message would fail. pool_pre_ping reconnects instead; the servers need no restart.
        self.engine.dispose()
        self.engine = create_engine(
            self.engine.url, pool_pre_ping=True, **create_engine_kwargs(str(self.engine.url))
        )
        self.sessionmaker = sessionmaker(bind=self.engine)
        changes.ensure_tables(self.engine)

    def erase(self, sender_id: str) -> int:
        """Delete every stored event of one conversation, the console's rows about it, and tombstone it."""
        with self.session_scope() as session:
            removed = erase(session, sender_id)
            session.commit()
            return removed

    async def save(self, tracker: DialogueStateTracker) -> None:
        with self.session_scope() as session:
            if changes.erased(session.connection(), [tracker.sender_id]):
                logger.info("Dropped a save for an erased conversation")
                return
            new_events = list(self._additional_events(session, tracker))
        if any(isinstance(e, ActionExecuted) and e.action_name == ERASE_ACTION for e in new_events):
            removed = self.erase(tracker.sender_id)
            logger.info("Erased a conversation on the visitor's request (%d events)", removed)
            return
        await super().save(tracker)
        with self.session_scope() as session:
            changes.mark_changed(session.connection(), [tracker.sender_id])
            session.commit()
