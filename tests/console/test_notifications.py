"""Notifications to the clinic: a new self-harm or red-flag item and an item about to go overdue reach a
local SMTP server (aiosmtpd) and a local webhook once each, carry nothing the visitor said, and a failure
to send is retried on a later cycle without stopping the indexer."""

import contextlib
import datetime as dt
import os
import re
import time
import urllib.parse
from unittest import mock

import pytest
import sqlalchemy as sa
import yaml

from bot import PROJECT_ROOT
from bot.clinic import load_clinic
from bot.console import callbacks, indexer, notifications, safety_queue
from bot.storage.erasure import erase
from bot.storage.models import Notification, SafetyQueueItem
from bot.tasks.services import free_port
from tests.console.local_servers import smtp_server, webhook_server
from tests.console.seeded import add_events, login, running_console, seeded_session, slot, user

NOW = time.time()
SECRET_WORDS = "i want to hurt myself tonight"


def self_harm(t, clinic="demo"):
    return [
        user(SECRET_WORDS, t, "report_symptom", clinic, [{"entity": "red_flag", "value": "self_harm"}]),
        slot("red_flags", ["self_harm"], t),
    ]


CONVERSATIONS = {
    "sh": self_harm(NOW - 300),
    # Due in a quarter of an hour when first indexed: its "new" notice is also its "due soon" one.
    "sh45": self_harm(NOW - 45 * 60),
    "rf": [
        user("my face droops", NOW - 600, "report_symptom"),
        slot("red_flags", ["facial_droop"], NOW - 600),
    ],
    # Clearance is not notified when new; only when it is about to be due.
    "cl": [
        user("warfarin", NOW - 60),
        slot("consent", True, NOW - 60),
        slot("screening_outcome", "needs_medical_clearance", NOW - 59),
    ],
    # A self-harm conversation from last week: re-indexed, it must not mail the clinic now.
    "old": self_harm(NOW - 7 * 86400),
    "theirs": self_harm(NOW - 120, clinic="other"),
}


def clinic_files(directory, smtp_port, hook_url=None, **email_extra):
    """demo.yml with notifications to the local servers, other.yml with none."""
    directory.mkdir(exist_ok=True)
    demo = yaml.safe_load((PROJECT_ROOT / "data" / "clinics" / "demo.yml").read_text())
    demo["notifications"] = {
        "email": {
            "host": "127.0.0.1",
            "port": smtp_port,
            "from": "queue@demo.example",
            "to": ["duty@demo.example", "lead@demo.example"],
            **email_extra,
        },
        "due_soon_minutes": 30,
    }
    if hook_url:
        demo["notifications"]["webhook"] = {"url": hook_url}
    (directory / "demo.yml").write_text(yaml.safe_dump(demo, allow_unicode=True))
    other = {**demo, "id": "other", "name": "Other Clinic"}
    del other["notifications"]
    (directory / "other.yml").write_text(yaml.safe_dump(other, allow_unicode=True))
    return directory


@contextlib.contextmanager
def clinics_in(directory, monkeypatch):
    """The queue and the notifications read clinic files from `directory`."""

    def own(clinic_id):
        path = directory / f"{clinic_id}.yml"
        return load_clinic(clinic_id, directory) if path.is_file() else None

    for module in (notifications, safety_queue):
        monkeypatch.setattr(module, "own_settings", own)
    monkeypatch.setattr(notifications, "clinic_ids", lambda: sorted(p.stem for p in directory.glob("*.yml")))
    safety_queue.timing.cache_clear()
    try:
        yield
    finally:
        safety_queue.timing.cache_clear()


@pytest.fixture()
def servers(tmp_path, monkeypatch):
    with smtp_server() as mailbox, webhook_server() as hook:
        with clinics_in(clinic_files(tmp_path / "clinics", mailbox.port, hook.url), monkeypatch):
            yield mailbox, hook


@pytest.fixture()
def db(servers, tmp_path):
    with seeded_session(tmp_path / "notify.db", CONVERSATIONS) as session:
        yield session


def soon():
    """A moment after the notifications were recorded (they are recorded at the real time of indexing)."""
    return time.time() + 1


def rows(db, **where):
    query = sa.select(Notification).order_by(Notification.id)
    for key, value in where.items():
        query = query.where(getattr(Notification, key) == value)
    return db.execute(query).scalars().all()


def test_a_new_self_harm_or_red_flag_item_is_recorded_once_per_channel_for_its_own_clinic_only(db):
    made = {(n.item_ref, n.kind, n.level, n.channel) for n in rows(db)}
    refs = {i.sender_id: i.ref for i in db.execute(sa.select(SafetyQueueItem)).scalars()}
    assert made == {
        (refs[s], "new", level, channel)
        for s, level in (("sh", "self_harm"), ("sh45", "self_harm"), ("rf", "red_flag"))
        for channel in ("email", "webhook")
    }
    # Indexing again (a new message) records nothing more.
    add_events(db.connection(), "sh", [user("are you there", NOW - 10, clinic="demo")])
    db.commit()
    indexer.refresh(db)
    assert len(rows(db)) == 6


def test_the_email_and_the_webhook_carry_the_level_due_by_and_a_link_but_nothing_the_visitor_said(
    db, servers
):
    mailbox, hook = servers
    sent, failed = notifications.deliver(db, now=soon())
    assert (sent, failed) == (6, 0)
    messages, bodies = mailbox.wait(3), hook.wait(3)
    item = db.get(SafetyQueueItem, "sh")
    mail = next(m for m in messages if item.ref in m.get_content())
    assert mail["Subject"].startswith(
        "[Willow Lane Facial Acupuncture] New self-harm item in the safety queue"
    )
    assert mail["To"] == "duty@demo.example, lead@demo.example"
    text = mail.get_content()
    due = safety_queue.timing("demo").local(item.due_at)
    assert due in text and due in mail["Subject"]
    assert f"/console/q/{item.ref}" in text
    body = next(b for b in bodies if b["item"] == item.ref)
    assert set(body) == {"clinic", "item", "event", "level", "due_by", "overdue", "console_url"}
    assert body["clinic"] == "demo" and body["item"] == item.ref and body["event"] == "new"
    assert body["due_by"] == time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(item.due_at))
    assert body["console_url"].endswith(f"/console/q/{item.ref}")
    everything = repr([m.as_string() + m.get_content() for m in messages]) + repr(bodies) + repr(hook.headers)
    for secret in (SECRET_WORDS, "hurt", "droops", "/console/c/"):
        assert secret not in everything
    assert "sh" not in {b["item"] for b in bodies}
    # Sent once: another cycle sends nothing.
    assert notifications.deliver(db, now=soon() + 60) == (0, 0)
    assert len(mailbox.messages) == 3 and len(hook.bodies) == 3
    assert {n.status for n in rows(db)} == {"sent"}


def test_an_item_about_to_go_overdue_is_notified_once_and_callbacks_count_too(db, servers):
    mailbox, hook = servers
    notifications.deliver(db, now=soon())
    cl = db.get(SafetyQueueItem, "cl")
    form = callbacks.CallbackForm("cl", "demo", "phone", "07700 900123", None)
    request, _ = callbacks.store(db, form, now=NOW)
    db.commit()

    def due_soon(ref):
        return [(n.level, n.channel) for n in rows(db, kind="due_soon", item_ref=ref)]

    # Not yet within 30 minutes of either.
    notifications.record_due_soon(db, now=min(cl.due_at, request.due_at) - 3600)
    assert due_soon(cl.ref) == due_soon(request.ref) == []
    for item in sorted((cl, request), key=lambda i: i.due_at):
        notifications.record_due_soon(db, now=item.due_at - 10 * 60)
        notifications.record_due_soon(db, now=item.due_at - 5 * 60)  # once only
        assert due_soon(item.ref) == [(item.level, "email"), (item.level, "webhook")]
        notifications.deliver(db, now=max(soon(), item.due_at - 5 * 60))
        assert {n.status for n in rows(db, kind="due_soon", item_ref=item.ref)} == {"sent"}
    subjects = [m["Subject"] for m in mailbox.wait(6)]
    assert any("medical clearance item in the safety queue is due in 5 minutes" in s for s in subjects)
    assert any("callback request item in the safety queue is due in 5 minutes" in s for s in subjects)
    assert "07700" not in repr([m.as_string() + m.get_content() for m in mailbox.messages]) + repr(
        hook.bodies
    )
    # A self-harm item told as new 55 minutes before its due-by is reminded; one told as new inside
    # the warning window is not told twice.
    sh, sh45 = db.get(SafetyQueueItem, "sh"), db.get(SafetyQueueItem, "sh45")
    notifications.record_due_soon(db, now=sh.due_at - 60)
    assert due_soon(sh.ref) == [("self_harm", "email"), ("self_harm", "webhook")] and due_soon(sh45.ref) == []
    # An item found overdue (the web app was down) is still told, marked overdue, up to a day late.
    rf = db.get(SafetyQueueItem, "rf")
    notifications.record_due_soon(db, now=rf.due_at + 3600)
    assert due_soon(rf.ref) == [("red_flag", "email"), ("red_flag", "webhook")]
    notifications.deliver(db, now=rf.due_at + 3600)
    told = [b for b in hook.wait(8) if b["event"] == "due_soon" and b["level"] == "red_flag"]
    assert [b["overdue"] for b in told] == [True]


def test_a_failure_to_send_is_logged_and_retried_on_a_later_cycle(tmp_path, monkeypatch, caplog):
    port = free_port()  # nothing listens here yet
    with clinics_in(clinic_files(tmp_path / "clinics", port), monkeypatch):
        with seeded_session(tmp_path / "retry.db", {"sh": self_harm(NOW - 60)}) as db:
            assert notifications.deliver(db, now=soon()) == (0, 1)
            (row,) = rows(db)
            assert row.status == "pending" and row.attempts == 1 and row.next_attempt_at > time.time() + 5
            assert "ConnectionRefusedError" in row.last_error and "not sent" in caplog.text
            # The next cycle, before the back-off, does not hammer the server.
            assert notifications.deliver(db, now=soon() + 1) == (0, 0)
            with smtp_server(port) as mailbox:
                assert notifications.deliver(db, now=row.next_attempt_at) == (1, 0)
                assert len(mailbox.wait(1)) == 1
            assert rows(db)[0].status == "sent" and rows(db)[0].attempts == 1


def test_a_webhook_that_answers_an_error_is_retried_and_the_email_is_not_resent(db, servers):
    mailbox, hook = servers
    hook.status = 500
    assert notifications.deliver(db, now=soon()) == (3, 3)
    assert {r.channel for r in rows(db, status="pending")} == {"webhook"}
    hook.status = 200
    assert notifications.deliver(db, now=soon() + 3600) == (3, 0)
    assert len(mailbox.messages) == 3 and len(hook.wait(6)) == 6


def test_a_resolved_or_erased_item_is_not_notified(db, servers):
    item = db.get(SafetyQueueItem, "rf")
    item.resolved_at, item.resolved_by, item.action, item.note = dt.datetime.utcnow(), "a@x", "other", "ok"
    erase(db, "sh")
    erase(db, "sh45")
    db.commit()
    assert rows(db, level="self_harm") == []  # erased with the conversation
    assert notifications.deliver(db, now=soon()) == (0, 0)
    assert {r.status for r in rows(db)} == {"dropped"}
    assert servers[0].messages == [] and servers[1].bodies == []


def test_smtp_login_takes_the_password_from_the_environment_variable_named_in_the_file(tmp_path, monkeypatch):
    with smtp_server(login=("alerts", "s3cret pass")) as mailbox:
        directory = clinic_files(
            tmp_path / "clinics", mailbox.port, username="alerts", password_env="TEST_NOTIFY_SMTP_PASSWORD"
        )
        with (
            clinics_in(directory, monkeypatch),
            seeded_session(tmp_path / "auth.db", {"sh": self_harm(NOW)}) as db,
        ):
            monkeypatch.delenv("TEST_NOTIFY_SMTP_PASSWORD", raising=False)
            assert notifications.deliver(db, now=soon()) == (0, 1)
            assert "TEST_NOTIFY_SMTP_PASSWORD" in rows(db)[0].last_error
            monkeypatch.setenv("TEST_NOTIFY_SMTP_PASSWORD", "s3cret pass")
            assert notifications.deliver(db, now=soon() + 3600) == (1, 0)
            assert len(mailbox.wait(1)) == 1


def test_an_unexpected_error_in_one_notification_neither_stops_the_others_nor_marks_it_sent(db, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("smtp exploded")

    monkeypatch.setattr(notifications, "smtp_send", broken)
    assert notifications.deliver(db, now=soon()) == (3, 3)  # the webhooks went; the emails wait
    assert {r.status for r in rows(db, channel="email")} == {"pending"}
    assert {r.status for r in rows(db, channel="webhook")} == {"sent"}


# ---- over HTTP: the running web app's own indexing cycle ----------------------------------------


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    directory = tmp_path_factory.mktemp("notify-clinics")
    with smtp_server() as mailbox, webhook_server() as hook:
        clinic_files(directory, mailbox.port, hook.url)
        env = {"CLINICS_DIR": str(directory), "INDEX_INTERVAL_SECONDS": "1", "CONSOLE_PUBLIC_URL": ""}
        with mock.patch.dict(os.environ, env):
            with running_console(
                tmp_path_factory.mktemp("notify"), "notify", {"cl": CONVERSATIONS["cl"]}
            ) as c:
                yield c, mailbox, hook


@pytest.mark.slow
def test_a_self_harm_conversation_tops_the_queue_within_one_cycle_and_an_email_reaches_smtp(live):
    (base, engine), mailbox, hook = live
    started = time.time()
    with engine.begin() as connection:
        add_events(connection, "late-night", self_harm(started))
    admin = login((base, engine), "admin@demo.example")
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        _, _, html = admin.get("/console/queue")
        senders = re.findall(r'data-sender="([^"]+)"', html)
        if senders and senders[0] == "late-night":
            break
        time.sleep(0.3)
    assert senders[0] == "late-night", "the self-harm item did not reach the top of the queue"
    assert time.time() - started < 10  # one indexing cycle (1 s here), with room for a slow machine
    row = html.split('data-sender="late-night"', 1)[1].split("</tr>", 1)[0]
    with engine.connect() as connection:
        item = connection.execute(
            sa.select(SafetyQueueItem).where(SafetyQueueItem.sender_id == "late-night")
        ).one()
    assert item.due_at == pytest.approx(started + 3600, abs=1)  # self-harm: one clock hour
    assert safety_queue.timing("demo").local(item.due_at) in row
    (mail,) = [m for m in mailbox.wait(1) if item.ref in m.get_content()]
    assert (
        "New self-harm item" in mail["Subject"] and SECRET_WORDS not in mail.as_string() + mail.get_content()
    )
    assert "late-night" not in mail.as_string() + mail.get_content()
    assert [b["item"] for b in hook.wait(1)] == [item.ref]
    # The email's link takes a signed-in member of that clinic to the item, and no one else.
    link = re.search(r"http://\S+/console/q/[0-9a-f]+", mail.get_content()).group(0)
    path = urllib.parse.urlsplit(link).path
    status, headers, _ = admin.get(path)
    assert status == 302 and headers["Location"] == f"/console/queue#item-{item.ref}"
    other = login((base, engine), "admin@other.example")
    assert other.get(path)[0] == 404
