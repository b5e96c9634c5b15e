"""The safety queue: items opened by the indexer, ranked and timed, claimed and resolved, erased."""

import datetime as dt
import random
import re
import time

import pytest
import sqlalchemy as sa

from bot.clinic import QUEUE_DEADLINES, load_clinic, queue_deadlines_of, schedule_of
from bot.console import indexer, safety_queue, synthetic
from bot.opening_hours import CLOCK_HOURS, OPENING_DAYS, Deadline, due_by, local_time
from bot.storage.erasure import erase
from bot.storage.models import AuditEntry, Conversation, SafetyQueueItem
from tests.console.seeded import add_events, login, running_console, seeded_session, slot, user

NOW = time.time()
CONVERSATIONS = {
    # A self-harm red flag in the slot, three hours ago: overdue (one hour).
    "sh-late": [user("hi", NOW - 3 * 3600 - 60), slot("red_flags", ["self_harm"], NOW - 3 * 3600)],
    # A self-harm red flag seen only as an entity, ten minutes ago.
    "sh-new": [
        user(
            "i want to hurt myself",
            NOW - 600,
            "report_symptom",
            entities=[{"entity": "red_flag", "value": "self_harm"}],
        )
    ],
    "rf": [
        user("my face is drooping", NOW - 1200, "report_symptom"),
        slot("red_flags", ["facial_droop"], NOW - 1200),
        slot("screening_outcome", "seek_urgent_care", NOW - 1199),
    ],
    "cl": [
        user("I take warfarin", NOW - 5 * 3600),
        slot("consent", True, NOW - 5 * 3600),
        slot("screening_outcome", "needs_medical_clearance", NOW - 5 * 3600 + 1),
    ],
    "calm": [user("hi", NOW - 100), slot("screening_outcome", "likely_suitable", NOW - 99)],
    # Only asked about ("can it cause drooping?"): not a red flag.
    "asked": [
        user(
            "can it cause drooping?",
            NOW - 50,
            "faq",
            entities=[{"entity": "red_flag", "value": "facial_droop", "role": "question"}],
        )
    ],
}


# ---- without a server -------------------------------------------------------------------------


@pytest.fixture()
def db(tmp_path):
    with seeded_session(tmp_path / "queue.db", CONVERSATIONS) as session:
        yield session


def test_the_indexer_opens_items_ranked_by_level_then_age_with_their_due_by(db):
    assert db.get(Conversation, "sh-new").red_flags == " self_harm "
    assert db.get(Conversation, "asked").red_flags == ""
    rows = safety_queue.open_items(db, "demo", now=NOW)
    assert [(r.item.sender_id, r.item.level) for r in rows] == [
        ("sh-late", "self_harm"),
        ("sh-new", "self_harm"),
        ("rf", "red_flag"),
        ("cl", "clearance"),
    ]
    # Self-harm: one clock hour, day or night. The others: in the demo clinic's opening hours.
    assert {
        r.item.sender_id: r.item.due_at - r.conversation.last_at for r in rows if r.item.level == "self_harm"
    } == {
        "sh-late": 3600,
        "sh-new": 3600,
    }
    demo = load_clinic("demo")
    week, deadlines = schedule_of(demo), queue_deadlines_of(demo)
    for r in rows:
        assert r.item.due_at == due_by(r.conversation.last_at, deadlines[r.item.level], week)
        assert re.fullmatch(r"[0-9a-f]{16}", r.item.ref)
    assert [r.item.sender_id for r in rows if r.overdue] == ["sh-late"]
    assert safety_queue.counts(db, "demo", now=NOW) == (4, 1)
    assert safety_queue.counts(db, "other", now=NOW) == (0, 0)


def test_reindexing_never_reopens_a_resolved_item_unless_it_got_more_severe(db):
    item = db.get(SafetyQueueItem, "cl")
    dt_now = dt.datetime.utcnow()
    item.resolved_at, item.resolved_by, item.action, item.note = dt_now, "a@demo.example", "called_back", "ok"
    db.commit()
    add_events(db.connection(), "cl", [user("thanks", NOW)])
    db.commit()
    indexer.refresh(db)
    assert db.get(SafetyQueueItem, "cl").resolved_at == dt_now
    add_events(db.connection(), "cl", [slot("red_flags", ["self_harm"], NOW + 1)])
    db.commit()
    indexer.refresh(db)
    item = db.get(SafetyQueueItem, "cl")
    assert item.resolved_at is None and item.level == "self_harm" and item.note is None
    assert db.execute(sa.select(AuditEntry.action).where(AuditEntry.target == "cl")).scalars().all() == [
        "queue_reopen"
    ]


def test_the_due_by_comes_from_the_clinic_settings_and_without_a_file_counts_clock_hours(monkeypatch):
    monkeypatch.setattr(
        safety_queue,
        "own_settings",
        lambda clinic: (
            {"safety_queue": {"self_harm_hours": 0.5, "red_flag_days": 1}} if clinic == "x" else None
        ),
    )
    safety_queue.timing.cache_clear()
    try:
        timing = safety_queue.timing("x")
        assert timing.deadlines == {
            "self_harm": Deadline(0.5, CLOCK_HOURS),
            "red_flag": Deadline(1, OPENING_DAYS),
            "clearance": Deadline(2, OPENING_DAYS),
            "callback": Deadline(1, OPENING_DAYS),
        }
        assert set(safety_queue.LEVELS) == set(QUEUE_DEADLINES)
        # A clinic without a file of its own does not borrow the default clinic's week: clock hours.
        other = safety_queue.timing("no-file")
        assert other.schedule.always_open and other.due(NOW, "red_flag") == NOW + 4 * 3600
    finally:
        safety_queue.timing.cache_clear()


def test_erasure_removes_the_queue_item(db):
    erase(db, "sh-late")
    db.commit()
    indexer.refresh(db)
    assert db.get(SafetyQueueItem, "sh-late") is None
    assert "sh-late" not in [r.item.sender_id for r in safety_queue.open_items(db, "demo")]


def test_synthetic_conversations_make_every_level():
    rng = random.Random(1)
    levels = set()
    for n in range(400):
        fields = indexer.summarise(str(n), synthetic._events(rng, NOW, "demo"))
        levels.add(safety_queue.level_of(Conversation(**fields)))
    assert {"self_harm", "red_flag", "clearance", None} <= levels


# ---- over HTTP ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def console(tmp_path_factory):
    theirs = [user("my face is drooping", NOW - 60, "report_symptom", clinic="other")]
    with running_console(tmp_path_factory.mktemp("queue"), "queue", {**CONVERSATIONS, "theirs": theirs}) as c:
        yield c


def queue_rows(client):
    status, _, html = client.get("/console/queue")
    assert status == 200
    found = re.findall(r'<tr class="([^"]*)" data-sender="([^"]+)">(.*?)</tr>', html, re.S)
    return {sender: (cls, row) for cls, sender, row in found}


def header_counts(client, path="/console/"):
    _, _, html = client.get(path)
    waiting = re.search(r'id="queue-open">(\d+)<', html).group(1)
    overdue = re.search(r'id="queue-overdue"[^>]*>(\d+)<', html).group(1)
    return int(waiting), int(overdue)


@pytest.mark.slow
def test_the_queue_page_ranks_the_clinics_items_with_due_by_and_overdue(console):
    admin = login(console, "admin@demo.example")
    status, _, html = admin.get("/console/queue")
    assert status == 200 and "self-harm 1 hour, day or night" in html and "Times are Europe/London" in html
    rows = queue_rows(admin)
    assert list(rows) == ["sh-late", "sh-new", "rf", "cl"]
    assert "overdue" in rows["sh-late"][0] and "overdue" in rows["sh-late"][1]
    assert "overdue" not in rows["sh-new"][1] and "overdue" not in rows["cl"][1]
    week = schedule_of(load_clinic("demo"))
    due = local_time(due_by(NOW - 5 * 3600 + 1, Deadline(2, OPENING_DAYS), week), week)
    assert due in rows["cl"][1] and 'href="/console/c/cl"' in rows["cl"][1]
    assert header_counts(admin) == (4, 1)
    assert header_counts(admin, "/console/dashboard") == (4, 1)
    other = login(console, "admin@other.example")
    assert list(queue_rows(other)) == ["theirs"] and header_counts(other) == (1, 0)


@pytest.mark.slow
def test_claim_and_resolve_are_audited_and_checked(console):
    admin = login(console, "admin@demo.example")
    before = header_counts(admin)[0]
    assert admin.post("/console/queue/rf/claim", {"csrf": "forged"}, csrf=False)[0] == 403
    assert admin.post("/console/queue/rf/claim", {})[0] == 302
    assert "admin@demo.example" in queue_rows(admin)["rf"][1]
    assert admin.post("/console/queue/rf/resolve", {"action": "called_back", "note": "  "})[0] == 400
    assert admin.post("/console/queue/rf/resolve", {"action": "shrugged", "note": "rang"})[0] == 400
    assert "rf" in queue_rows(admin)
    assert (
        admin.post("/console/queue/rf/resolve", {"action": "called_back", "note": "rang, sent to A&E"})[0]
        == 302
    )
    assert "rf" not in queue_rows(admin)
    assert header_counts(admin)[0] == before - 1
    assert admin.post("/console/queue/rf/resolve", {"action": "other", "note": "again"})[0] == 409
    _, _, html = admin.get("/console/audit")
    assert "queue_claim" in html and "queue_resolve" in html and "rang, sent to A&amp;E" in html
    with console[1].connect() as connection:
        item = connection.execute(sa.select(SafetyQueueItem).where(SafetyQueueItem.sender_id == "rf")).one()
    assert item.claimed_by == item.resolved_by == "admin@demo.example" and item.action == "called_back"
    assert item.claimed_at is not None and item.resolved_at is not None


@pytest.mark.slow
def test_another_clinics_item_is_not_found(console):
    admin = login(console, "admin@demo.example")
    assert admin.post("/console/queue/theirs/claim", {})[0] == 404
    assert admin.post("/console/queue/theirs/resolve", {"action": "other", "note": "x"})[0] == 404
    assert admin.post("/console/queue/calm/claim", {})[0] == 404  # no item at all


@pytest.mark.slow
def test_deleting_a_conversation_removes_its_item(console):
    admin = login(console, "admin@demo.example")
    before = header_counts(admin)[0]
    assert admin.post("/console/c/cl/delete", {})[0] == 302
    assert "cl" not in queue_rows(admin) and header_counts(admin)[0] == before - 1
    with console[1].connect() as connection:
        assert (
            connection.execute(sa.select(SafetyQueueItem).where(SafetyQueueItem.sender_id == "cl")).first()
            is None
        )
