"""The console's parts without a server: migrations, the index, accounts, filters, exports, charts."""

import datetime as dt
import time

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.console import auth, charts, indexer, queries
from bot.console.exports import csv_safe
from bot.storage.migrate import alembic_config, upgrade
from bot.storage.models import Conversation
from tests.console import seeded
from tests.console.seeded import user


@pytest.fixture()
def db(tmp_path):
    url = f"sqlite:///{tmp_path / 'console.db'}"
    upgrade(url)
    from rasa.core.tracker_store import SQLTrackerStore

    engine = sa.create_engine(url, future=True)
    SQLTrackerStore.Base.metadata.create_all(engine)
    with Session(engine, future=True) as session:
        yield session


def test_migrations_run_on_an_empty_database_and_back(tmp_path):
    from alembic import command

    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade(url)
    tables = set(sa.inspect(sa.create_engine(url)).get_table_names())
    assert {
        "console_staff",
        "console_sessions",
        "console_conversations",
        "console_tags",
        "console_notes",
        "console_audit",
    } <= tables
    command.downgrade(alembic_config(url), "base")
    assert not {
        t
        for t in sa.inspect(sa.create_engine(url)).get_table_names()
        if t.startswith("console_") and t != "console_alembic_version"
    }


def add_events(db, sender, events):
    seeded.add_events(db.connection(), sender, events)


def test_index_summarises_a_conversation(db):
    now = time.time()
    add_events(
        db,
        "a",
        [
            user("hi", now, "greet"),
            {"event": "slot", "name": "consent", "value": True, "timestamp": now},
            user("does it hurt?", now + 5, "faq", confidence=0.4),
            {"event": "slot", "name": "conditions", "value": ["diabetes"], "timestamp": now + 6},
            {
                "event": "slot",
                "name": "screening_outcome",
                "value": "needs_medical_clearance",
                "timestamp": now + 9,
            },
        ],
    )
    assert indexer.refresh(db) == 1
    row = db.get(Conversation, "a")
    assert row.clinic_id == "demo" and row.consent is True and row.outcome == "needs_medical_clearance"
    assert row.first_question == "does it hurt?" and row.low_confidence and row.furthest_step == "result"
    assert " conditions=diabetes " in row.slot_values
    add_events(db, "a", [user("thanks", now + 20, "thank_you")])
    assert indexer.refresh(db) == 1
    assert db.get(Conversation, "a").user_messages == 3
    assert indexer.refresh(db) == 0


def test_filters_are_parameters_and_match_literally(db):
    now = time.time()
    add_events(db, "pct", [user("100% sure about it", now, "inform")])
    add_events(db, "other", [user("1000 sure", now, "inform")])
    add_events(db, "elsewhere", [user("100% sure about it", now, "inform", clinic="hostile")])
    indexer.refresh(db)
    rows, total = queries.page_of(db, "demo", queries.Filters.from_args({"q": "100%"}))
    assert [r.sender_id for r in rows] == ["pct"] and total == 1
    rows, _ = queries.page_of(db, "demo", queries.Filters.from_args({"q": "'; DROP TABLE events; --"}))
    assert rows == []
    assert db.execute(sa.select(sa.func.count()).select_from(indexer.EVENTS)).scalar_one() == 3


def test_bad_filter_values_are_reported_not_obeyed():
    filters = queries.Filters.from_args(
        {"outcome": "nonsense", "from": "yesterday", "page": "x", "sort": "evil"}
    )
    assert filters.outcome == "" and filters.date_from == "" and filters.sort == "newest"
    assert len(filters.errors) == 3


def test_passwords_are_hashed_and_repeated_failures_lock_the_account(db):
    staff = auth.create_staff(db, "Admin@Clinic.example", "a long enough password", "admin", "demo")
    assert staff.password_hash.startswith("$argon2")
    assert auth.authenticate(db, "admin@clinic.example", "a long enough password") is not None
    for _ in range(auth.MAX_FAILURES):
        assert auth.authenticate(db, "admin@clinic.example", "wrong") is None
    assert auth.authenticate(db, "admin@clinic.example", "a long enough password") is None  # locked
    with pytest.raises(auth.AccountError):
        auth.create_staff(db, "x@y.z", "short", "reviewer", "demo")


def test_sessions_expire_when_idle(db):
    staff = auth.create_staff(db, "r@clinic.example", "a long enough password", "reviewer", "demo")
    token = auth.start_session(db, staff)
    db.flush()
    assert auth.current_staff(db, token).email == "r@clinic.example"
    from bot.storage.models import LoginSession

    db.get(LoginSession, auth.token_hash(token)).last_seen -= auth.IDLE_TIMEOUT + dt.timedelta(seconds=1)
    assert auth.current_staff(db, token) is None
    assert auth.current_staff(db, "made-up") is None


def test_a_session_is_marked_seen_at_most_once_a_minute_and_stays_alive_while_used(db):
    from bot.storage.models import LoginSession

    staff = auth.create_staff(db, "s@clinic.example", "a long enough password", "reviewer", "demo")
    token = auth.start_session(db, staff)
    db.flush()
    row = db.get(LoginSession, auth.token_hash(token))
    seen = row.last_seen
    assert auth.current_staff(db, token) is not None
    assert row.last_seen == seen  # just seen: no write
    row.last_seen -= auth.LAST_SEEN_STEP + dt.timedelta(seconds=1)
    assert auth.current_staff(db, token) is not None
    assert row.last_seen > seen - dt.timedelta(seconds=1)  # a minute on: marked seen again


def test_csv_cells_that_look_like_formulas_are_defused():
    assert csv_safe('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert csv_safe("hello") == "hello"


def test_charts_escape_their_labels():
    svg = charts.bar_chart([("<script>alert(1)</script>", 3)], "t")
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_every_changed_conversation_is_indexed_whatever_the_order_of_ids(db):
    # The old watermark skipped senders behind the newest id when a batch was capped.
    now = time.time()
    for n in range(1200):
        add_events(db, f"v{n:04d}", [user("hi", now + n, "greet")])
    assert indexer.refresh(db, batch=100) == 1200
    assert db.execute(sa.select(sa.func.count()).select_from(Conversation)).scalar_one() == 1200
    assert indexer.refresh(db) == 0


def test_one_bad_conversation_is_skipped_and_the_rest_indexed(db):
    now = time.time()
    add_events(db, "good", [user("hi", now, "greet")])
    bad = user("hi", now, "greet")
    bad["metadata"] = {"clinic": ["x"]}  # once a list here broke every console page
    bad["input_channel"] = {"a": 1}
    add_events(db, "odd", [bad])
    add_events(db, "broken", [{"event": "user", "timestamp": "not a number", "parse_data": "nope"}])
    indexer.refresh(db)
    assert db.get(Conversation, "good") is not None
    odd = db.get(Conversation, "odd")
    assert odd.clinic_id == "demo" and odd.channel is None
    assert indexer.refresh(db) == 0  # nothing left behind, nothing retried forever


def test_an_erased_conversation_is_not_brought_back_by_the_indexer(db):
    from bot.storage.erasure import erase

    now = time.time()
    add_events(db, "gone", [user("I'm pregnant", now, "inform")])
    indexer.refresh(db)
    add_events(db, "gone", [user("late message", now + 1, "inform")])  # in flight during the erasure
    erase(db, "gone")
    db.commit()
    indexer.refresh(db)
    assert db.get(Conversation, "gone") is None
    assert db.execute(sa.select(sa.func.count()).select_from(indexer.EVENTS)).scalar_one() == 0


def test_the_migration_removes_conversations_kept_after_a_refusal_and_counts_them(tmp_path):
    from alembic import command
    from rasa.core.tracker_store import SQLTrackerStore

    url = f"sqlite:///{tmp_path / 'old.db'}"
    command.upgrade(alembic_config(url), "0002")
    engine = sa.create_engine(url, future=True)
    SQLTrackerStore.Base.metadata.create_all(engine)
    now = time.time()
    with Session(engine, future=True) as session:
        add_events(session, "declined", [user("I take warfarin", now, "inform")])
        add_events(
            session, "declined", [{"event": "slot", "name": "consent", "value": False, "timestamp": now}]
        )
        add_events(session, "kept", [{"event": "slot", "name": "consent", "value": True, "timestamp": now}])
        session.commit()
    upgrade(url)
    with engine.connect() as connection:
        senders = {s for (s,) in connection.execute(sa.text("SELECT DISTINCT sender_id FROM events"))}
        assert senders == {"kept"}
        assert connection.execute(sa.text("SELECT sum(declined) FROM declined_daily")).scalar_one() == 1


def test_deactivating_an_account_ends_its_sessions_and_a_new_password_does_too(db):
    staff = auth.create_staff(db, "leaver@clinic.example", "a long enough password", "reviewer", "demo")
    token = auth.start_session(db, staff)
    db.flush()
    auth.set_password(db, "leaver@clinic.example", "another long password")
    assert auth.current_staff(db, token) is None
    assert auth.authenticate(db, "leaver@clinic.example", "another long password") is not None
    token = auth.start_session(db, staff)
    db.flush()
    auth.deactivate(db, "leaver@clinic.example")
    assert auth.current_staff(db, token) is None
    assert auth.authenticate(db, "leaver@clinic.example", "another long password") is None


def test_failed_logins_from_one_address_back_off_and_then_block(monkeypatch):
    throttle = auth.LoginThrottle()
    waits = [throttle.failed("203.0.113.5") for _ in range(5)]
    assert waits == [0.5, 1.0, 2.0, 4.0, 8.0]
    for _ in range(auth.LoginThrottle.MAX_ADDRESS_FAILURES):
        throttle.failed("203.0.113.5")
    assert throttle.blocked("203.0.113.5") and not throttle.blocked("203.0.113.6")
    throttle.succeeded("203.0.113.5")
    assert not throttle.blocked("203.0.113.5")


def test_every_failure_path_does_the_same_password_work(db, monkeypatch):
    calls = []
    real = auth.HASHER

    class Counting:
        def __getattr__(self, name):
            return getattr(real, name)

        def verify(self, hashed, password):
            calls.append(hashed)
            return real.verify(hashed, password)

    monkeypatch.setattr(auth, "HASHER", Counting())
    staff = auth.create_staff(db, "locked@clinic.example", "a long enough password", "reviewer", "demo")
    staff.locked_until = auth.now() + auth.LOCKOUT
    assert auth.authenticate(db, "locked@clinic.example", "a long enough password") is None
    assert auth.authenticate(db, "nobody@clinic.example", "whatever it is") is None
    assert calls == [auth.DUMMY_HASH, auth.DUMMY_HASH]


def test_indexing_reads_only_the_events_it_needs_whole_and_the_rest_from_their_columns():
    from bot.console.indexer import _event

    user = '{"event": "user", "timestamp": 5.0, "text": "hi", "parse_data": {"intent": {"name": "greet"}}}'
    assert _event("user", None, 5.0, user)["text"] == "hi"
    assert _event("action", "action_default_fallback", 6.0, "not json") == {
        "event": "action",
        "name": "action_default_fallback",
        "timestamp": 6.0,
    }
    assert _event("bot", None, 7.0, '{"text": "hello"}') == {"event": "bot", "timestamp": 7.0}
    result = '{"event": "bot", "timestamp": 8.0, "data": {"custom": {"type": "screening_result"}}}'
    assert _event("bot", None, 8.0, result)["data"]["custom"]["type"] == "screening_result"
    with pytest.raises(ValueError):
        _event("slot", None, 9.0, "{broken")


def _console_indexes(db):
    rows = db.connection().exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'console_conversations'"
        " AND sql IS NOT NULL"
    )
    return dict(rows.fetchall())


def test_a_large_backlog_is_indexed_with_the_indexes_built_once_after_and_the_same_result(db, monkeypatch):
    from bot.storage import deferred_indexes

    before = _console_indexes(db)
    assert len(before) == 10  # migration 0011's, SQLite-only ones included
    dropped_during = []
    real = indexer._refresh

    def watched(session, batch, max_batches):
        dropped_during.append(len(_console_indexes(session)))
        return real(session, batch, max_batches)

    monkeypatch.setattr(indexer, "_refresh", watched)
    monkeypatch.setattr(indexer, "LARGE_BACKLOG", 50)
    now = time.time()
    for n in range(120):
        add_events(db, f"b{n:03d}", [user("I'm on warfarin, is it safe?", now + n, "faq")])
    assert indexer.refresh(db, batch=40) == 120
    assert dropped_during == [0]  # indexed with none to keep up to date
    assert _console_indexes(db) == before  # all back, as they were
    # A small change after is kept up to date row by row, the indexes in place.
    add_events(db, "b000", [user("thanks", now + 500, "thank_you")])
    assert indexer.refresh(db) == 1 and dropped_during == [0, 10]
    # Should the process die with them dropped, the web app's start creates whatever is missing.
    for name in list(before)[:3]:
        db.connection().exec_driver_sql(f'DROP INDEX "{name}"')
    db.commit()
    assert deferred_indexes.restore(db.get_bind()) == 3
    assert set(_console_indexes(db)) == set(before)


def test_indexes_come_back_even_when_the_bulk_indexing_fails(db, monkeypatch):
    before = _console_indexes(db)
    monkeypatch.setattr(indexer, "LARGE_BACKLOG", 1)
    monkeypatch.setattr(indexer, "_refresh", lambda *a: 1 / 0)
    add_events(db, "c1", [user("hello", time.time(), "greet")])
    with pytest.raises(ZeroDivisionError):
        indexer.refresh(db)
    assert _console_indexes(db) == before


def _indexed_rows(session):
    conversations = session.execute(sa.text("SELECT * FROM console_conversations ORDER BY sender_id")).all()
    queue = session.execute(
        sa.text("SELECT sender_id, clinic_id, level, due_at FROM console_safety_queue ORDER BY sender_id")
    ).all()
    return [tuple(r) for r in conversations], [tuple(r) for r in queue]


def _fill_backlog(session, now):
    for n in range(90):
        events = [user(f"hello, my number is 07700 900{n:03d}", now + n, "greet")]
        if n % 10 == 0:
            events.append(seeded.slot("red_flags", ["facial_droop"], now + n + 1))
        if n % 7 == 0:
            events.append(seeded.slot("screening_outcome", "needs_medical_clearance", now + n + 2))
        add_events(session, f"p{n:03d}", events)
    session.commit()


def test_a_very_large_backlog_is_indexed_by_worker_processes_with_the_same_result(tmp_path, monkeypatch):
    """The workers (spawned processes) read and summarise; this process writes: the index and the safety
    queue come out as indexing in one process makes them."""
    from rasa.core.tracker_store import SQLTrackerStore

    monkeypatch.setattr(indexer, "LARGE_BACKLOG", 10)
    monkeypatch.setattr(indexer, "PARALLEL_BACKLOG", 10)
    now = time.time() - 3600
    results = {}
    for workers in ("1", "2"):
        url = f"sqlite:///{tmp_path / f'backlog-{workers}.db'}"
        upgrade(url)
        engine = sa.create_engine(url, future=True)
        SQLTrackerStore.Base.metadata.create_all(engine)
        monkeypatch.setenv("INDEX_WORKERS", workers)
        with Session(engine, future=True) as session:
            _fill_backlog(session, now)
            if workers == "2":  # the single-process path is not taken
                monkeypatch.setattr(indexer, "_refresh", lambda *a: 1 / 0)
            assert indexer.refresh(session, batch=25) == 90
            results[workers] = _indexed_rows(session)
            assert session.execute(sa.text("SELECT count(*) FROM conversation_changes")).scalar_one() == 0
    conversations, queue = results["2"]
    assert len(conversations) == 90 and len(queue) == 20  # 9 red flags, 13 clearances, 2 both
    assert all("07700" not in str(row) for row in conversations)  # masked in the workers too
    assert results["2"] == results["1"]


def test_index_workers_follow_the_setting(monkeypatch):
    monkeypatch.setenv("INDEX_WORKERS", "0")
    assert indexer.index_workers() == 0
    monkeypatch.setenv("INDEX_WORKERS", "3")
    assert indexer.index_workers() == 3
    monkeypatch.delenv("INDEX_WORKERS")
    assert 1 <= indexer.index_workers() <= 4
