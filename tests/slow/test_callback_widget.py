"""The widget's callback form in a real browser (Debian's Chromium): offered after a result once the
visitor agreed to keep their answers, posted to the web app (not the chat), its answer shown as text,
and the contact details never kept in the page's storage. Needs the web app only, not Rasa."""

import json
import os
import time

import pytest
import sqlalchemy as sa

from bot import PROJECT_ROOT
from bot.storage.migrate import upgrade
from bot.storage.models import CallbackRequest
from tests.console.seeded import add_events, slot, user
from tests.helpers import web_app

pytestmark = pytest.mark.slow
BOT_URL = "http://127.0.0.1:9"  # nothing there: the form must not need the assistant
SENDER = "c0ffee" * 8
RESULT = {"type": "screening_result", "outcome": "needs_medical_clearance", "reasons": [], "caveats": []}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from rasa.core.tracker_store import SQLTrackerStore

    db = tmp_path_factory.mktemp("callback-widget") / "widget.db"
    url = f"sqlite:///{db}"
    upgrade(url)
    engine = sa.create_engine(url, future=True)
    SQLTrackerStore.Base.metadata.create_all(engine)
    now = time.time()
    with engine.begin() as connection:
        add_events(
            connection,
            SENDER,
            [
                user("hi", now - 60, "greet"),
                slot("consent", True, now - 50),
                slot("screening_outcome", "needs_medical_clearance", now),
            ],
        )
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "RASA_PUBLIC_URL": BOT_URL,
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "PYTHONPATH": str(PROJECT_ROOT),
    }
    with web_app(env, "callback-widget-test-web.log") as base:
        yield base, engine


def open_with(browser, base, state):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    key = f"screening-widget:{BOT_URL}:demo"
    context.add_init_script(f"localStorage.setItem({json.dumps(key)}, {json.dumps(json.dumps(state))});")
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(f"{base}/")
    return context, page


def test_the_callback_form_posts_to_the_web_app_and_keeps_nothing_in_the_page(browser, site):
    base, engine = site
    state = {
        "sessionId": SENDER,
        "consent": True,
        "open": True,
        "transcript": [{"from": "bot", "custom": RESULT}],
    }
    context, page = open_with(browser, base, state)
    try:
        widget = page.locator("#screening-widget-host")
        widget.locator(".result .ask-callback").click()
        widget.locator("#callback-contact").fill("+44 7700 900461")
        widget.locator("#callback-time").select_option("morning")
        widget.locator(".callback-form button[type=submit]").click()
        status = widget.locator("#callback-status")
        status.filter(has_text="tick the box").wait_for(timeout=5000)  # refused in the page, nothing sent
        widget.locator("#callback-consent").check()
        widget.locator(".callback-form button[type=submit]").click()
        status.filter(has_text="will call you").wait_for(timeout=15000)
        assert "erased with this conversation" in status.text_content()
        assert not widget.locator("#callback-contact").is_visible()
        (PROJECT_ROOT / "test-artifacts").mkdir(exist_ok=True)
        page.screenshot(path=str(PROJECT_ROOT / "test-artifacts" / "widget-callback.png"))
        stored = page.evaluate("JSON.stringify(localStorage)")
        assert "900461" not in stored and page.errors == []
        with engine.connect() as connection:
            row = connection.execute(sa.select(CallbackRequest.contact, CallbackRequest.preferred_time)).one()
        assert tuple(row) == ("+44 7700 900461", "morning")
    finally:
        context.close()


def test_no_callback_is_offered_before_consent(browser, site):
    base, _ = site
    state = {"sessionId": SENDER, "open": True}
    context, page = open_with(browser, base, state)
    try:
        widget = page.locator("#screening-widget-host")
        widget.locator(".panel").wait_for()
        assert not widget.locator(".callback-link").is_visible()
        assert widget.locator(".ask-callback").count() == 0
    finally:
        context.close()
