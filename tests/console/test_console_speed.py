"""The console at scale keeps its answers: the list's pages, counts and the dashboard read as they did
before they were made fast (the references below are the straightforward versions), the indexer's
batched writes index as one conversation at a time did, and no page runs the indexer."""

import datetime as dt
import os
import random
import time
from collections import Counter

import pytest
import sqlalchemy as sa
from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session

from bot import PROJECT_ROOT
from bot.console import indexer, queries, review_times, synthetic
from bot.storage import changes
from bot.storage.models import Conversation, SafetyQueueItem, Tag
from bot.vocabulary import OUTCOMES
from tests.console import seeded
from tests.console.test_console_pages import PASSWORD, Client, cli
from tests.helpers import web_app

FILTER_ARGS = [
    {},
    {"outcome": "needs_medical_clearance"},
    {"red_flag": "yes"},
    {"red_flag": "no", "reviewed": "no"},
    {"reviewed": "yes"},
    {"from": "2026-01-01", "to": "2099-12-31"},
    {"intent": "faq/pain"},
    {"intent": "FAQ/PAIN"},
    {"slot": "conditions=anticoagulants"},
    {"low_confidence": "1"},
    {"fallback": "1"},
    {"q": "hurt"},
    {"q": "50%_"},
    {"tag": "follow-up"},
    {"tag": "Follow-Up", "outcome": "likely_suitable"},
    {"tag": "nobody-has-this"},
]


def reference_page(db, clinic_id, f):
    """The list's page as it was read before: one query with the tag looked up per conversation."""
    conditions = list(queries.conditions_of(clinic_id, f))
    if f.tag:
        conditions = [c for c in conditions if "console_tags" not in str(c)]
        conditions.append(
            exists().where(and_(Tag.sender_id == Conversation.sender_id, Tag.tag == f.tag.lower()))
        )
    query = select(Conversation).where(*conditions)
    total = db.execute(select(sa.func.count()).select_from(query.subquery())).scalar_one()
    rows = db.execute(
        query.order_by(queries.SORTS[f.sort], Conversation.sender_id)
        .offset((f.page - 1) * queries.PER_PAGE)
        .limit(queries.PER_PAGE)
    ).scalars()
    return [r.sender_id for r in rows], total


def reference_dashboard(db, clinic_id, days=30):
    """The dashboard's figures as they were counted before: a Python loop over every conversation."""
    since = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days)).timestamp()
    rows = db.execute(
        select(
            Conversation.started_at,
            Conversation.outcome,
            Conversation.intents,
            Conversation.fallback,
            Conversation.furthest_step,
        ).where(Conversation.clinic_id == clinic_id, Conversation.started_at >= since)
    ).all()
    per_day, outcomes, questions, steps = Counter(), Counter(), Counter(), Counter()
    fallbacks = 0
    for started, outcome, intents, fallback, step in rows:
        per_day[dt.datetime.fromtimestamp(started, dt.timezone.utc).date().isoformat()] += 1
        if outcome:
            outcomes[outcome] += 1
        for intent in intents.split():
            if intent.startswith("faq/") or intent in ("ask_benefit", "ask_benefits_overview"):
                questions[intent] += 1
        fallbacks += bool(fallback)
        if step in indexer.FUNNEL:
            steps[step] += 1
    today = dt.datetime.now(dt.timezone.utc).date()
    days_list = [(today - dt.timedelta(days=n)).isoformat() for n in range(days - 1, -1, -1)]
    return {
        "total": len(rows),
        "per_day": [(day, per_day[day]) for day in days_list],
        "outcomes": [(o, outcomes[o]) for o in OUTCOMES],
        "questions": dict(questions),
        "fallback_rate": fallbacks / len(rows) if rows else 0.0,
        "funnel": [(s, sum(steps[t] for t in indexer.FUNNEL[i:])) for i, s in enumerate(indexer.FUNNEL)],
    }


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    """Synthetic conversations in two clinics over 40 days, some starting at the very same moment (the
    list's order then falls to the sender id), some tagged and some reviewed."""
    rng = random.Random(7)
    now = time.time()
    conversations = {}
    for n in range(420):
        start = now - (n // 3) * 7200.0  # three at a time start together
        clinic = "demo" if n % 5 else "other"
        conversations[f"s{rng.getrandbits(40):010x}"] = synthetic._events(rng, start, clinic)
    conversations["percent"] = [seeded.user("is 50%_ off real?", now - 5, "faq/cost")]
    with seeded.seeded_session(tmp_path_factory.mktemp("speed") / "many.db", conversations) as db:
        senders = sorted(conversations)
        for sender in senders[::9]:
            db.add(Tag(sender_id=sender, tag="follow-up"))
        for sender in senders[::4]:
            db.get(Conversation, sender).reviewed = True
        db.commit()
        yield db


@pytest.mark.parametrize("args", FILTER_ARGS)
@pytest.mark.parametrize("sort", ["newest", "oldest", "longest"])
def test_list_pages_and_counts_are_as_they_were(many, args, sort):
    for clinic in ("demo", "other"):
        for page in (1, 2, 3, 7, 500):
            f = queries.Filters.from_args({**args, "sort": sort, "page": str(page)})
            rows, total = queries.page_of(many, clinic, f)
            assert ([r.sender_id for r in rows], total) == reference_page(many, clinic, f), (clinic, page)
            assert all(r.clinic_id == clinic for r in rows)


def test_the_dashboard_counts_as_it_did(many):
    for clinic in ("demo", "other", "nobody"):
        data = queries.dashboard(many, clinic)
        expected = reference_dashboard(many, clinic)
        questions = expected.pop("questions")
        # Every kind of question is among the ten most asked (there are six), most asked first.
        assert dict(data["questions"]) == questions
        assert [n for _, n in data["questions"]] == sorted(questions.values(), reverse=True)
        assert {k: v for k, v in data.items() if k != "questions"} == expected
    assert queries.dashboard(many, "demo")["total"] > 200


def test_review_times_count_every_waiting_item(many):
    waiting = Counter(
        level
        for (level,) in many.execute(
            select(SafetyQueueItem.level).where(
                SafetyQueueItem.clinic_id == "demo", SafetyQueueItem.resolved_at.is_(None)
            )
        )
    )
    figures = {r.level: r for r in review_times.review_times(many, "demo")}
    assert sum(waiting.values()) > 20
    for level, count in waiting.items():
        assert figures[level].waiting == count and figures[level].reviewed == 0


def test_batched_indexing_matches_indexing_one_at_a_time(tmp_path):
    rng = random.Random(3)
    now = time.time()
    conversations = {
        f"c{n:03d}": synthetic._events(rng, now - n * 600.0, "demo" if n % 2 else "other") for n in range(60)
    }
    with seeded.seeded_session(tmp_path / "batched.db", conversations) as db:
        batched = {c.sender_id: _fields(c) for c in db.execute(select(Conversation)).scalars()}
        items = {
            i.sender_id: (i.level, i.clinic_id, i.due_at)
            for i in db.execute(select(SafetyQueueItem)).scalars()
        }
    with seeded.seeded_session(tmp_path / "single.db", conversations) as db:
        db.execute(sa.delete(SafetyQueueItem))
        db.execute(sa.delete(Conversation))
        synthetic.mark_changed(db.connection(), list(conversations))
        db.commit()
        assert indexer.refresh(db, batch=1) == len(conversations)
        single = {c.sender_id: _fields(c) for c in db.execute(select(Conversation)).scalars()}
        single_items = {
            i.sender_id: (i.level, i.clinic_id, i.due_at)
            for i in db.execute(select(SafetyQueueItem)).scalars()
        }
    assert batched == single and len(batched) == len(conversations)
    assert items == single_items and items


def _fields(row):
    return {c.name: getattr(row, c.name) for c in Conversation.__table__.columns}


def test_marking_changes_in_bulk_bumps_versions_as_one_at_a_time():
    engine = sa.create_engine("sqlite://", future=True)
    changes.ensure_tables(engine)
    with engine.begin() as connection:
        synthetic.mark_changed(connection, ["a", "b"])
        synthetic.mark_changed(connection, ["b", "c"])
        changes.mark_changed(connection, ["c"])
        assert changes.pending(connection, 10) == {"a": 1, "b": 2, "c": 2}


def test_no_page_runs_the_indexer(tmp_path):
    """A conversation written after the background indexer's pass is not listed, however often the
    pages load: only the background task indexes (bot/web/app.py), never a request."""
    db = tmp_path / "pages.db"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "CONSOLE_ADMIN_PASSWORD": PASSWORD,
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "PYTHONPATH": str(PROJECT_ROOT),
        "INDEX_INTERVAL_SECONDS": "3600",  # one pass when the app starts, then none during the test
    }
    cli(env, "create-admin", "--email", "admin@demo.example", "--clinic", "demo")
    engine = sa.create_engine(f"sqlite:///{db}", future=True)
    now = time.time()
    with engine.begin() as connection:
        seeded.add_events(connection, "before-start", [seeded.user("hello there", now - 60, "greet")])
    with web_app(env, "console-speed-test-web.log") as base:
        client = Client(base)
        assert client.login("admin@demo.example")[0] == 302
        deadline = time.monotonic() + 60
        while "/console/c/before-start" not in client.get("/console/")[2]:  # the start-up pass
            assert time.monotonic() < deadline, "the background indexer never ran"
            time.sleep(0.2)
        with engine.begin() as connection:
            seeded.add_events(connection, "after-start", [seeded.user("hello again", now, "greet")])
        for path in ("/console/", "/console/?q=hello", "/console/?page=2", "/console/dashboard"):
            assert client.get(path)[0] == 200
        assert "/console/c/after-start" not in client.get("/console/")[2]
        assert client.get("/console/c/after-start")[0] == 404
    with Session(engine, future=True) as session:
        assert "after-start" in changes.pending(session.connection(), 10)
        assert session.get(Conversation, "after-start") is None
