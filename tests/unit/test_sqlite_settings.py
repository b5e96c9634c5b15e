"""SQLite connections use the write-ahead log, sync at checkpoints and wait on a lock."""

import sqlalchemy as sa

from bot.storage import sqlite_settings
from bot.storage.database import engine


def test_every_sqlite_connection_gets_the_pragmas(tmp_path):
    db = engine(f"sqlite:///{tmp_path / 'store.db'}")
    with db.connect() as connection:
        assert connection.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(sa.text("PRAGMA synchronous")).scalar() == 1  # NORMAL
        assert connection.execute(sa.text("PRAGMA busy_timeout")).scalar() == sqlite_settings.BUSY_TIMEOUT_MS


def test_other_databases_are_left_alone():
    postgres = sa.create_engine("postgresql://nobody@127.0.0.1:1/none")
    assert sqlite_settings.tune(postgres) is postgres
    assert not sa.event.contains(postgres, "connect", sqlite_settings._on_connect)
