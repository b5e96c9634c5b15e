"""Which conversations changed since the console last looked, and which were erased.

Written by the tracker store in the same breath as the events, read by the console's indexer. A
global "highest event id seen" watermark skipped conversations (ids commit out of order with several
writers, and a capped batch moved the mark past senders it never read); a row per changed
conversation, with a version, cannot skip one: the indexer removes a row only at the version it read.
A tombstone per erased conversation keeps an in-flight message or an indexer run from bringing it back.
"""

from __future__ import annotations

import time
from typing import Dict, Iterable, List

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, delete, select, text, update
from sqlalchemy.engine import Connection, Engine

metadata = MetaData()
CHANGES = Table(
    "conversation_changes",
    metadata,
    Column("sender_id", String(255), primary_key=True),
    Column("version", Integer, nullable=False, default=1),
    Column("changed_at", Float, nullable=False, index=True),
)
ERASED = Table(
    "erased_conversations",
    metadata,
    Column("sender_id", String(255), primary_key=True),
    Column("erased_at", Float, nullable=False),
)


def ensure_tables(engine: Engine) -> None:
    """Create the storage tables if missing (the tracker store may start before the web app migrates):
    these two, the anonymous declined counts (bot/storage/declined.py) and the tracker windows
    (bot/storage/tracker_window.py)."""
    import bot.storage.declined  # noqa: F401  (register their tables on `metadata`)
    import bot.storage.tracker_window  # noqa: F401

    metadata.create_all(engine, checkfirst=True)


UPSERT_DIALECTS = ("sqlite", "postgresql")


# The per-message statements as plain SQL, built once: composing them with the expression language on
# every message (and SQLAlchemy's cache keys for them) was about a tenth of a save (py-spy). Both SQLite
# (3.24+) and PostgreSQL read this upsert.
_BUMP = text(
    f"INSERT INTO {CHANGES.name} (sender_id, version, changed_at) VALUES (:sender, 1, :now) "
    f"ON CONFLICT (sender_id) DO UPDATE SET version = {CHANGES.name}.version + 1, changed_at = :now"
)
_ERASED_ONE = text(f"SELECT 1 FROM {ERASED.name} WHERE sender_id = :sender")


def mark_changed(connection: Connection, sender_ids: Iterable[str]) -> None:
    """Record (or bump the version of) each conversation in the change log, atomically per row."""
    now = time.time()
    upsert = connection.dialect.name in UPSERT_DIALECTS
    for sender_id in sender_ids:
        if upsert:
            connection.execute(_BUMP, {"sender": sender_id, "now": now})
            continue
        bumped = connection.execute(
            update(CHANGES)
            .where(CHANGES.c.sender_id == sender_id)
            .values(version=CHANGES.c.version + 1, changed_at=now)
        )
        if not bumped.rowcount:
            connection.execute(CHANGES.insert().values(sender_id=sender_id, version=1, changed_at=now))


def pending(connection: Connection, limit: int) -> Dict[str, int]:
    """Up to `limit` changed conversations, oldest change first: {sender_id: version}."""
    rows = connection.execute(
        select(CHANGES.c.sender_id, CHANGES.c.version).order_by(CHANGES.c.changed_at).limit(limit)
    )
    return {sender_id: version for sender_id, version in rows}


def done(connection: Connection, seen: Dict[str, int]) -> None:
    """Forget the changes that were read; a newer version written meanwhile stays for the next run."""
    for sender_id, version in seen.items():
        connection.execute(
            delete(CHANGES).where(CHANGES.c.sender_id == sender_id, CHANGES.c.version == version)
        )


def forget(connection: Connection, sender_id: str) -> None:
    """Drop a conversation from the change log (its rows are gone; nothing left to index)."""
    connection.execute(delete(CHANGES).where(CHANGES.c.sender_id == sender_id))


def tombstone(connection: Connection, sender_id: str) -> None:
    if connection.execute(select(ERASED.c.sender_id).where(ERASED.c.sender_id == sender_id)).first():
        return
    connection.execute(ERASED.insert().values(sender_id=sender_id, erased_at=time.time()))
    connection.execute(delete(CHANGES).where(CHANGES.c.sender_id == sender_id))


def erased(connection: Connection, sender_ids: Iterable[str]) -> List[str]:
    wanted = list(sender_ids)
    if not wanted:
        return []
    if len(wanted) == 1:  # the tracker store's check on every save
        return wanted if connection.execute(_ERASED_ONE, {"sender": wanted[0]}).first() else []
    rows = connection.execute(select(ERASED.c.sender_id).where(ERASED.c.sender_id.in_(wanted)))
    return [sender_id for (sender_id,) in rows]
