"""Every console page and permission, over HTTP against a running web app with its own database."""

import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from bot import PROJECT_ROOT
from bot.tasks.console_client import ConsoleClient
from tests.helpers import web_app

pytestmark = pytest.mark.slow
PASSWORD = "correct horse battery staple"
SCRIPT = "<script>alert('typed by a visitor')</script>"


class Client(ConsoleClient):
    def login(self, email, password=PASSWORD):
        return super().login(email, password)


def cli(env, *args):
    subprocess.run(
        [sys.executable, "-m", "bot.console.cli", *args],
        cwd=PROJECT_ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


@pytest.fixture(scope="module")
def console(tmp_path_factory):
    db = tmp_path_factory.mktemp("console") / "console.db"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "CONSOLE_ADMIN_PASSWORD": PASSWORD,
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "PYTHONPATH": str(PROJECT_ROOT),
    }
    cli(env, "synth", "--count", "40", "--clinic", "demo", "--seed", "3")
    cli(env, "synth", "--count", "15", "--clinic", "other", "--seed", "4")
    cli(env, "create-admin", "--email", "admin@demo.example", "--clinic", "demo")
    cli(env, "create-admin", "--email", "admin@other.example", "--clinic", "other")
    # A visitor who typed markup.
    import sqlalchemy as sa

    from bot.console.indexer import EVENTS

    event = {
        "event": "user",
        "timestamp": time.time(),
        "text": SCRIPT,
        "input_channel": "rest",
        "metadata": {"clinic": "demo"},
        "parse_data": {"intent": {"name": "faq", "confidence": 0.9}},
    }
    with sa.create_engine(f"sqlite:///{db}").begin() as conn:
        conn.execute(
            sa.insert(EVENTS),
            [
                {
                    "sender_id": "script-visitor",
                    "type_name": "user",
                    "timestamp": event["timestamp"],
                    "intent_name": "faq",
                    "action_name": None,
                    "data": json.dumps(event),
                }
            ],
        )
        # Written past the tracker store, so recorded in its change log as the store would.
        from bot.storage import changes

        changes.mark_changed(conn, ["script-visitor"])
    from bot.console import indexer
    from bot.console.db import session_factory

    with session_factory(f"sqlite:///{db}")() as session:
        indexer.refresh(session)
    with web_app(env, "console-test-web.log") as base:
        yield base


@pytest.fixture()
def admin(console):
    client = Client(console)
    status, _, _ = client.login("admin@demo.example")
    assert status == 302
    return client


@pytest.fixture()
def other_clinic(console):
    client = Client(console)
    assert client.login("admin@other.example")[0] == 302
    return client


def demo_ids(client, **filters):
    _, _, html = client.get("/console/?" + urllib.parse.urlencode(filters))
    return re.findall(r'href="/console/c/([^"]+)"', html)


@pytest.mark.parametrize(
    "path",
    [
        "/console/",
        "/console/c/script-visitor",
        "/console/export.csv",
        "/console/export.json",
        "/console/dashboard",
        "/console/audit",
        "/console/staff",
    ],
)
def test_nothing_is_reachable_without_a_session(console, path):
    status, headers, _ = Client(console).get(path)
    assert status == 302 and headers["Location"].endswith("/console/login")


def test_wrong_password_is_refused_and_repeated_failures_lock_the_account(console):
    client = Client(console)
    assert client.login("admin@other.example", "wrong password!!")[0] == 401
    assert client.login("nobody@demo.example", "wrong password!!")[0] == 401


def test_login_form_needs_its_csrf_token(console):
    status, _, _ = Client(console).request(
        "/console/login", {"email": "admin@demo.example", "password": PASSWORD, "csrf": "forged"}
    )
    assert status == 403


def test_list_shows_only_the_clinics_conversations_and_escapes_visitor_text(admin):
    status, headers, html = admin.get("/console/?q=alert")
    assert status == 200
    assert "&lt;script&gt;" in html and SCRIPT not in html
    assert headers["X-Frame-Options"] == "DENY" and "script-src 'none'" in headers["Content-Security-Policy"]
    assert headers["Cache-Control"] == "no-store"
    _, _, html = admin.get("/console/")
    assert re.search(r"Conversations <small>41</small>", html)


def test_another_clinics_conversation_is_not_found_by_url(admin, other_clinic):
    theirs = demo_ids(other_clinic)[0]
    for path in (f"/console/c/{theirs}", f"/console/c/{theirs}/export.json"):
        assert admin.get(path)[0] == 404
    assert admin.post(f"/console/c/{theirs}/tag", {"tag": "mine"})[0] == 404
    assert admin.post(f"/console/c/{theirs}/delete", {})[0] == 404
    assert theirs not in admin.get("/console/export.json")[2]
    assert other_clinic.get("/console/c/script-visitor")[0] == 404


def test_transcript_view_tag_note_review_and_filters(admin):
    status, _, html = admin.get("/console/c/script-visitor")
    assert status == 200 and "&lt;script&gt;" in html and SCRIPT not in html
    assert admin.post("/console/c/script-visitor/tag", {"tag": "XSS-check"})[0] == 302
    assert admin.post("/console/c/script-visitor/note", {"text": "looked at it"})[0] == 302
    assert admin.post("/console/c/script-visitor/reviewed", {"reviewed": "1"})[0] == 302
    assert demo_ids(admin, tag="xss-check") == ["script-visitor"]
    assert "script-visitor" in demo_ids(admin, reviewed="yes")
    assert "script-visitor" not in demo_ids(admin, reviewed="no")
    _, _, html = admin.get("/console/c/script-visitor")
    assert "xss-check" in html and "looked at it" in html


def test_form_posts_need_the_session_csrf_token(admin):
    assert admin.post("/console/c/script-visitor/tag", {"tag": "x", "csrf": "forged"}, csrf=False)[0] == 403


def test_filters_by_outcome_red_flag_intent_and_slot(admin):
    urgent = demo_ids(admin, outcome="seek_urgent_care")
    flagged = demo_ids(admin, red_flag="yes")
    assert urgent and set(urgent) <= set(flagged)
    assert demo_ids(admin, intent="faq/pain")
    pregnant = demo_ids(admin, slot="conditions=pregnancy")
    assert pregnant and set(pregnant) <= set(demo_ids(admin, outcome="not_suitable_now"))
    status, _, html = admin.get("/console/?outcome=bogus&from=notadate")
    assert status == 200 and "unknown outcome" in html


def test_exports_csv_and_json(admin):
    status, headers, body = admin.get("/console/export.csv?outcome=likely_suitable")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    lines = body.strip().splitlines()
    assert lines[0].startswith("sender_id,clinic,started_at") and len(lines) > 1
    assert all(",likely_suitable," in line for line in lines[1:])
    status, _, body = admin.get("/console/export.json?transcripts=1&q=alert")
    records = json.loads(body)
    assert [r["sender_id"] for r in records] == ["script-visitor"] and records[0]["events"][0][
        "text"
    ] == SCRIPT


def test_dashboard_draws_charts_without_scripts(admin):
    status, _, html = admin.get("/console/dashboard")
    assert status == 200 and html.count("<svg") == 4 and "<script" not in html


def test_admin_pages_audit_and_staff(admin, console):
    status, _, html = admin.post(
        "/console/staff", {"email": "rev@demo.example", "password": PASSWORD, "role": "reviewer"}
    )
    assert status == 200 and "Account created" in html
    reviewer = Client(console)
    assert reviewer.login("rev@demo.example")[0] == 302
    assert reviewer.get("/console/audit")[0] == 403 and reviewer.get("/console/staff")[0] == 403
    assert reviewer.get("/console/c/script-visitor")[0] == 200
    _, _, html = admin.get("/console/audit")
    assert "view_transcript" in html and "create_staff" in html and "rev@demo.example" in html


def test_delete_removes_the_conversation_and_is_audited(admin):
    victim = demo_ids(admin, sort="oldest")[0]
    assert admin.post(f"/console/c/{victim}/delete", {})[0] == 302
    assert admin.get(f"/console/c/{victim}")[0] == 404
    _, _, html = admin.get("/console/audit")
    assert "delete_conversation" in html and victim in html


def test_health_says_when_the_console_has_finished_starting(console):
    # Warm once the masking is loaded and the backlog indexed (the benchmark times pages only then).
    import urllib.request

    from bench.console_scale import wait_until_warm

    wait_until_warm(console, timeout=120)
    with urllib.request.urlopen(f"{console}/healthz", timeout=10) as response:
        assert json.loads(response.read()) == {"status": "ok", "warm": True}
