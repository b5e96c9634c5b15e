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


def test_a_sqlite_file_keeps_its_connections_in_a_pool_and_other_databases_ping_theirs(tmp_path):
    from sqlalchemy.pool import QueuePool

    from bot.storage import database

    engine = database.engine(f"sqlite:///{tmp_path / 'pooled.db'}")
    assert isinstance(engine.pool, QueuePool)
    with engine.connect() as first:
        raw = first.connection.dbapi_connection
    with engine.connect() as second:
        assert second.connection.dbapi_connection is raw  # the same connection, not a new one
        assert second.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert sqlite_settings.engine_options("postgresql://u:p@db/x") == {"pool_pre_ping": True}
