"""Backup and restore on PostgreSQL: a dump restored into an empty database shows the same conversations."""

import os
import shutil
import subprocess
import sys
import uuid

import pytest
import sqlalchemy as sa

from bot import PROJECT_ROOT
from tests.scale.conftest import PG_ADMIN_URL

pytestmark = pytest.mark.slow


def conversations(url):
    with sa.create_engine(url).connect() as connection:
        return connection.execute(
            sa.text("SELECT sender_id, outcome, user_messages FROM console_conversations ORDER BY sender_id")
        ).all()


def test_dump_and_restore_into_an_empty_database(database_url, tmp_path):
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump / pg_restore are not installed")
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PYTHONPATH": str(PROJECT_ROOT),
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    }
    subprocess.run(
        [sys.executable, "-m", "bot.console.cli", "synth", "--count", "30", "--clinic", "demo"],
        cwd=PROJECT_ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    before = conversations(database_url)
    assert len(before) >= 30
    dump = tmp_path / "screening.dump"
    subprocess.run(["pg_dump", "-Fc", "-f", str(dump), database_url], check=True)

    import psycopg2

    restored = f"screening_restore_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(PG_ADMIN_URL)
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{restored}"')
    restored_url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{restored}"
    try:
        subprocess.run(["pg_restore", "--no-owner", "-d", restored_url, str(dump)], check=True)
        assert conversations(restored_url) == before
    finally:
        cursor = admin.cursor()
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (restored,)
        )
        cursor.execute(f'DROP DATABASE IF EXISTS "{restored}"')
        admin.close()


def test_visitor_erasure_and_retention_purge_on_postgres(front, database_url):
    import time

    from tests.scale.test_faults import visitor

    sender = visitor()
    front.say(sender, "hi")
    front.say(sender, "yes")
    front.say(sender, "please delete my data")
    front.say(sender, "yes")
    engine = sa.create_engine(database_url, future=True)
    try:
        with engine.connect() as connection:
            left = connection.execute(
                sa.text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": sender}
            )
            assert left.scalar_one() == 0
            # Age one synthetic conversation past the demo clinic's 365-day retention, then purge.
            old = connection.execute(sa.text("SELECT sender_id FROM events LIMIT 1")).scalar_one()
            connection.execute(
                sa.text("UPDATE events SET timestamp = :t WHERE sender_id = :s"),
                {"t": time.time() - 400 * 86400, "s": old},
            )
            connection.execute(
                sa.text("UPDATE console_conversations SET last_at = :t WHERE sender_id = :s"),
                {"t": time.time() - 400 * 86400, "s": old},
            )
            connection.commit()
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "PYTHONPATH": str(PROJECT_ROOT),
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        }
        result = subprocess.run(
            [sys.executable, "-m", "bot.console.cli", "purge"],
            cwd=PROJECT_ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        assert "deleted" in result.stdout
        with engine.connect() as connection:
            gone = connection.execute(sa.text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": old})
            assert gone.scalar_one() == 0
    finally:
        engine.dispose()
