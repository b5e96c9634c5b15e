"""How our SQLite connections are set up: write-ahead log, commits synced at checkpoints, a wait on locks.

SQLite's defaults (a rollback journal, every commit synced to disk) cost each visitor message four
`fdatasync` calls (strace, development server), and make the console's reads and the bot's writes to
the same file wait for each other. With `journal_mode=WAL` readers never block the writer;
`synchronous=NORMAL` syncs the log at checkpoints instead of at every commit, so a power cut (not a
crash of the process) may lose the last moments of conversations, never corrupt the file. That is the
trade-off of the single-machine default; a clinic that cannot accept it uses PostgreSQL
(README: scaling out). `busy_timeout` makes a second process (the web app, a CLI) wait for a lock
instead of failing at once.

Connections are kept in a pool (`engine_options`): SQLAlchemy 1.4 opens a new SQLite connection for every
checkout of a file database, and opening one (with the pragmas above) was about a tenth of the Rasa
server's busy time per message (py-spy, docs/performance.md).
"""

from __future__ import annotations

from typing import Any, Dict

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import QueuePool

BUSY_TIMEOUT_MS = 5000
PRAGMAS = ("journal_mode=WAL", "synchronous=NORMAL", f"busy_timeout={BUSY_TIMEOUT_MS}")
POOL_SIZE = 5  # one Rasa process answers on one thread; the rest is headroom for the web app's threads
POOL_OVERFLOW = 10


def engine_options(url: Any) -> Dict[str, Any]:
    """create_engine options for `url`: for a SQLite file, a pool of kept connections (each used by one
    thread at a time, so they may move between threads), and no ping (a file does not restart); other
    databases keep pinging pooled connections, so a database restart needs no restart of the servers."""
    parsed = make_url(str(url))
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return {"pool_pre_ping": True}
    return {
        "poolclass": QueuePool,
        "pool_size": POOL_SIZE,
        "max_overflow": POOL_OVERFLOW,
        "connect_args": {"check_same_thread": False},
    }


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
