"""Rasa's SQL tracker store, configured from DATABASE_URL, that really erases a visitor's data and
tells the console which conversations changed.

Erasure cannot be done from the action server alone: after the action returns, Rasa saves the
tracker it holds in memory and would write every deleted event back. So the store itself watches
for the erasure action in the events it is about to save and deletes the conversation instead, and
drops any later save for an erased conversation (a message that was in flight during the erasure).
Every save also records the conversation in the change log the console's indexer works through.

Consent decides where a conversation lives (bot/storage/ephemeral.py): until the visitor agrees, and
after a refusal, it is kept only in memory (or Redis) and expires; nothing reaches the database. When
they agree, the conversation is written with what they typed before agreeing blanked out; when they
withdraw, what was written is erased and the conversation goes back to memory. A refusal is counted,
anonymously, per day (bot/storage/declined.py).

A long conversation is served as a window of its last turns (bot/storage/tracker_window.py), so each
message costs the same however long the conversation has run; the `events` table keeps everything.
The tracker this process saved last is handed back on the next message when the stored conversation
has not changed since (bot/storage/recent_trackers.py).
"""

from __future__ import annotations

import json
import logging
from typing import Any, Dict, List

from rasa.core.brokers.broker import EventBroker
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine, text
from sqlalchemy.orm import sessionmaker

from bot.rasa_compat import SQLTrackerStore, create_engine_kwargs
from bot.storage import changes, declined, sqlite_settings, tracker_window
from bot.storage.database import database_url
from bot.storage.ephemeral import pending_store
from bot.storage.erasure import erase, record_consent_change
from bot.storage.recent_trackers import RecentTrackers
from bot.vocabulary import BEFORE_CONSENT, SCREENING_OUTCOME, SEEK_URGENT_CARE
from bot.vocabulary import CONSENT as CONSENT_SLOT

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
        # message would fail: ours pings them (PostgreSQL), or keeps a pool of SQLite connections
        # instead of opening one per message (bot/storage/sqlite_settings.py).
        self.engine.dispose()
        self.engine = sqlite_settings.tune(
            create_engine(
                self.engine.url,
                **sqlite_settings.engine_options(self.engine.url),
                **create_engine_kwargs(str(self.engine.url)),
            )
        )
        self.sessionmaker = sessionmaker(bind=self.engine)
        # Plain SQL for the per-message reads: Rasa's ORM queries spent more time building statements
        # and objects than the database spent answering them (docs/performance.md).
        table = self.SQLEvent.__tablename__
        self._session_events = text(
            f"SELECT id, type_name, data FROM {table} WHERE sender_id = :sender AND id >= COALESCE(("
            f"SELECT MAX(id) FROM {table} WHERE sender_id = :sender AND type_name = 'session_started'"
            f"), 0) ORDER BY id"
        )
        self._events_from = text(
            f"SELECT id, type_name, data FROM {table} WHERE sender_id = :sender AND id >= :from_id "
            "ORDER BY id"
        )
        self._count_from = text(f"SELECT COUNT(*) FROM {table} WHERE sender_id = :sender AND id >= :from_id")
        # Rasa's count of a conversation's stored events since its last session began (its ORM query was
        # a twentieth of the server's time per message before consent: py-spy, 50 visitors).
        self._session_count = text(
            f"SELECT COUNT(*) FROM {table} WHERE sender_id = :sender AND id >= COALESCE(("
            f"SELECT MAX(id) FROM {table} WHERE sender_id = :sender AND type_name = 'session_started'"
            f"), 0)"
        )
        self._stored_any = text(f"SELECT 1 FROM {table} WHERE sender_id = :sender LIMIT 1")
        self._version = text(f"SELECT MAX(id), COUNT(*) FROM {table} WHERE sender_id = :sender")
        self.recent = RecentTrackers()
        self._nth_newest = text(
            f"SELECT id FROM {table} WHERE sender_id = :sender ORDER BY id DESC LIMIT 1 OFFSET :offset"
        )
        changes.ensure_tables(self.engine)
        self.pending = pending_store()

    def erase(self, sender_id: str) -> int:
        """Delete every stored event of one conversation, the console's rows about it, and tombstone it."""
        self.recent.forget(sender_id)
        self.pending.delete(sender_id)
        with self.session_scope() as session:
            removed = erase(session, sender_id)
            session.commit()
            return removed

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        kept = self.pending.get(sender_id)
        if kept is not None:
            return self.deserialise_tracker(sender_id, kept)
        recent = self.recent.take(sender_id, lambda: self._stored_version(sender_id))
        return recent if recent is not None else self._retrieve_stored(sender_id)

    def _stored_version(self, sender_id: str) -> tuple:
        with self.engine.connect() as connection:
            return tuple(connection.execute(self._version, {"sender": sender_id}).one())

    async def retrieve_full_tracker(self, conversation_id: str) -> DialogueStateTracker | None:
        kept = self.pending.get(conversation_id)
        if kept is not None:
            return self.deserialise_tracker(conversation_id, kept)
        return await super().retrieve_full_tracker(conversation_id)

    async def save(self, tracker: DialogueStateTracker) -> None:
        if tracker.get_slot(CONSENT_SLOT) is True and self.pending.get(tracker.sender_id) is None:
            await self._save_kept(tracker)  # almost every message: a conversation already kept
            return
        sender_id = tracker.sender_id
        self.recent.forget(sender_id)
        # Kept in memory until consent: nothing of it is stored, and an erasure it asks for is this turn's.
        in_memory = self.pending.get(sender_id) is not None
        with self.engine.connect() as connection:
            if changes.erased(connection, [sender_id]):
                logger.info("Dropped a save for an erased conversation")
                return
            events = list(tracker.events)
            new_events = _this_turn(events) if in_memory else self._new_events(connection, tracker)
        if any(isinstance(e, ActionExecuted) and e.action_name == ERASE_ACTION for e in new_events):
            removed = self.erase(sender_id)
            logger.info("Erased a conversation on the visitor's request (%d events)", removed)
            return
        if tracker.get_slot(CONSENT_SLOT) is not True:
            self._keep_in_memory(tracker, stored=not in_memory)
            return
        if self.pending.get(sender_id) is not None:
            self._write_whole(tracker)  # consent just given: from now on it is kept
            self.pending.delete(sender_id)
            if any(
                e.get("event") == "slot" and e.get("name") == CONSENT_SLOT and e.get("value") is False
                for e in (event.as_dict() for event in tracker.events)
            ):
                with self.session_scope() as session:
                    record_consent_change(
                        session, tracker, "consent_given after a refusal: kept from then on"
                    )
                    session.commit()
        with self.session_scope() as session:
            changes.mark_changed(session.connection(), [sender_id])
            session.commit()

    async def _save_kept(self, tracker: DialogueStateTracker) -> None:
        """A kept conversation's new events, its window and its change-log entry, in one transaction
        (the erasure check first: a message in flight during an erasure must not bring it back)."""
        await self.stream_events(tracker)
        sender_id = tracker.sender_id
        self.recent.forget(sender_id)
        version = None
        with self.engine.begin() as connection:
            if changes.erased(connection, [sender_id]):
                logger.info("Dropped a save for an erased conversation")
                return
            new_events = self._new_events(connection, tracker)
            if any(isinstance(e, ActionExecuted) and e.action_name == ERASE_ACTION for e in new_events):
                erasing = True
            else:
                erasing = False
                if new_events:
                    connection.execute(
                        self.SQLEvent.__table__.insert(),
                        [self._row(sender_id, event.type_name, event.as_dict()) for event in new_events],
                    )
                moved = self._move_window(connection, tracker)
                changes.mark_changed(connection, [sender_id])
                if not moved:  # a moved window is read afresh: the next message gets the shorter tracker
                    version = tuple(connection.execute(self._version, {"sender": sender_id}).one())
        if version is not None:
            self.recent.keep(sender_id, version, tracker)
        if erasing:
            removed = self.erase(sender_id)
            logger.info("Erased a conversation on the visitor's request (%d events)", removed)

    def _new_events(self, connection: Any, tracker: DialogueStateTracker) -> List[Event]:
        """The tracker's events the stored log does not hold yet: those after what was loaded (events
        stored from `from_id` on, after `made_up` events of a window's start), else Rasa's own count."""
        loaded = tracker_window.marker(tracker.events) or tracker_window.remembered(tracker)
        if loaded is None:  # as Rasa's own count: the events of the current session not stored yet
            stored = connection.execute(self._session_count, {"sender": tracker.sender_id}).scalar()
            return list(tracker.events)[stored:]
        from_id, made_up = loaded
        stored = connection.execute(
            self._count_from, {"sender": tracker.sender_id, "from_id": from_id}
        ).scalar()
        return list(tracker.events)[made_up + stored :]

    def _move_window(self, connection: Any, tracker: DialogueStateTracker) -> bool:
        """Once the conversation is long, serve it from its last turns (bot/storage/tracker_window.py).
        True when the window moved."""
        events = list(tracker.events)
        start = tracker_window.new_start(events, lambda e: isinstance(e, UserUttered))
        if start is None:
            return False
        # The window's first event is the (len(events) - start)-th newest stored one.
        from_id = connection.execute(
            self._nth_newest, {"sender": tracker.sender_id, "offset": len(events) - start - 1}
        ).scalar()
        before = DialogueStateTracker.from_events(tracker.sender_id, events[:start], slots=self.domain.slots)
        tracker_window.write(connection, tracker.sender_id, from_id, tracker_window.state_of(before))
        return True

    def _retrieve_stored(self, sender_id: str) -> DialogueStateTracker | None:
        """The current session from the log (as Rasa's store, lighter), or from its window when long."""
        with self.engine.connect() as connection:
            window = tracker_window.read(connection, sender_id)
            if window is not None:
                from_id, state = window
                rows = connection.execute(self._events_from, {"sender": sender_id, "from_id": from_id}).all()
                stale = not rows or rows[0].id != from_id or rows[0].type_name != UserUttered.type_name
                # A new session inside the window: the session is read as Rasa reads it.
                if not stale and not any(row.type_name == "session_started" for row in rows):
                    events = [json.loads(row.data) for row in rows]
                    start = tracker_window.start_events(state, from_id, events[0].get("timestamp") or 0.0)
                    return DialogueStateTracker.from_dict(sender_id, start + events, self.domain.slots)
            rows = connection.execute(self._session_events, {"sender": sender_id}).all()
        if not rows:
            return None
        tracker = DialogueStateTracker.from_dict(
            sender_id, [json.loads(row.data) for row in rows], self.domain.slots
        )
        tracker_window.remember(tracker, rows[0].id)
        return tracker

    @staticmethod
    def _row(sender_id: str, type_name: str, data: Dict[str, Any]) -> Dict[str, Any]:
        """An `events` row, as Rasa's store writes it."""
        return {
            "sender_id": sender_id,
            "type_name": type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": ((data.get("parse_data") or {}).get("intent") or {}).get("name"),
            "action_name": data.get("name"),
            "data": json.dumps(data),
        }

    def _keep_in_memory(self, tracker: DialogueStateTracker, stored: bool = True) -> None:
        """Keep the conversation in memory only; `stored`: some of it may be in the database."""
        sender_id = tracker.sender_id
        if stored:
            with self.session_scope() as session:
                if session.execute(self._stored_any, {"sender": sender_id}).first():
                    # Consent withdrawn: what was kept goes, and the conversation carries on in memory.
                    erase(session, sender_id, tombstone=False)
                    record_consent_change(session, tracker, "consent_withdrawn: conversation erased")
                    session.commit()
        self.pending.put(sender_id, self.serialise_tracker(tracker))
        if tracker.get_slot(CONSENT_SLOT) is False:
            with self.session_scope() as session:
                if self.pending.first_time(sender_id, "declined"):
                    declined.count(session.connection(), "declined")
                if tracker.get_slot(SCREENING_OUTCOME) == SEEK_URGENT_CARE and self.pending.first_time(
                    sender_id, "urgent"
                ):
                    declined.count(session.connection(), "urgent")
                session.commit()

    def _write_whole(self, tracker: DialogueStateTracker) -> None:
        """Write every event of the tracker, with the visitor's words from before consent blanked."""
        events = [event.as_dict() for event in tracker.events]
        # Consent counts from the last time it was given (it may have been withdrawn in between).
        given_at = max(
            (
                i
                for i, d in enumerate(events)
                if d.get("event") == "slot" and d.get("name") == CONSENT_SLOT and d.get("value") is True
            ),
            default=len(events),
        )
        rows = []
        for index, (event, data) in enumerate(zip(tracker.events, events, strict=True)):
            if data.get("event") == "user" and index < given_at:
                data["text"] = BEFORE_CONSENT
                data["parse_data"] = {"intent": (data.get("parse_data") or {}).get("intent")}
                data["metadata"] = {k: v for k, v in (data.get("metadata") or {}).items() if k == "clinic"}
            rows.append(self._row(tracker.sender_id, event.type_name, data))
        if rows:  # one statement for them all, not an ORM object each
            with self.engine.begin() as connection:
                connection.execute(self.SQLEvent.__table__.insert(), rows)


def _this_turn(events: List[Event]) -> List[Event]:
    """The events from the visitor's latest message on (all of them before any message)."""
    for index in range(len(events) - 1, -1, -1):
        if isinstance(events[index], UserUttered):
            return events[index:]
    return events
