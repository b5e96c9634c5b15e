"""How our SQLite connections are set up: write-ahead log, commits synced at checkpoints, a wait on locks.

SQLite's defaults (a rollback journal, every commit synced to disk) cost each visitor message four
`fdatasync` calls (strace, development server), and make the console's reads and the bot's writes to
the same file wait for each other. With `journal_mode=WAL` readers never block the writer;
`synchronous=NORMAL` syncs the log at checkpoints instead of at every commit, so a power cut (not a
crash of the process) may lose the last moments of conversations, never corrupt the file. That is the
trade-off of the single-machine default; a clinic that cannot accept it uses PostgreSQL
(README: scaling out). `busy_timeout` makes a second process (the web app, a CLI) wait for a lock
instead of failing at once.
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.engine import Engine

BUSY_TIMEOUT_MS = 5000
PRAGMAS = ("journal_mode=WAL", "synchronous=NORMAL", f"busy_timeout={BUSY_TIMEOUT_MS}")


def _on_connect(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    try:
        for pragma in PRAGMAS:
            cursor.execute(f"PRAGMA {pragma}")
    finally:
        cursor.close()


def tune(engine: Engine) -> Engine:
    """Apply the pragmas to every new connection of a SQLite engine; other databases are untouched."""
    if engine.dialect.name == "sqlite" and not event.contains(engine, "connect", _on_connect):
        event.listen(engine, "connect", _on_connect)
    return engine
