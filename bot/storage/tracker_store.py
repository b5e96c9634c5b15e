"""Rasa's SQL tracker store, configured from DATABASE_URL, that really erases a visitor's data.

Erasure cannot be done from the action server alone: after the action returns, Rasa saves the
tracker it holds in memory and would write every deleted event back. So the store itself watches
for the erasure action in the events it is about to save and deletes the conversation instead.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine, delete, inspect
from sqlalchemy.orm import sessionmaker

from bot.storage.database import database_url

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

    def erase(self, sender_id: str) -> int:
        """Delete every stored event of one conversation, and the console's rows about it."""
        from bot.console.indexer import forget_console_rows

        with self.session_scope() as session:
            result = session.execute(delete(self.SQLEvent).where(self.SQLEvent.sender_id == sender_id))
            if inspect(session.get_bind()).has_table("console_conversations"):
                forget_console_rows(session, sender_id)
            session.commit()
            return result.rowcount or 0

    async def save(self, tracker: DialogueStateTracker) -> None:
        with self.session_scope() as session:
            new_events = list(self._additional_events(session, tracker))
        if any(isinstance(e, ActionExecuted) and e.action_name == ERASE_ACTION for e in new_events):
            removed = self.erase(tracker.sender_id)
            logger.info(
                "Erased conversation %s on the visitor's request (%d events)", tracker.sender_id, removed
            )
            return
        await super().save(tracker)
