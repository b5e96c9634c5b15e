"""The staff console in Chromium: log in, filter, open the conversation just had (masked), tag it,
reveal its raw text, export."""

import os
import subprocess
import sys
import uuid

import pytest

from bot import PROJECT_ROOT
from tests.slow.test_widget_browser import ARTIFACTS, DESKTOP

pytestmark = pytest.mark.slow
PASSWORD = "a long and private passphrase"


def test_staff_review_the_conversation_just_had(browser, live_stack, live_bot):
    env = {
        **os.environ,
        **live_stack.extra_env,
        "CONSOLE_ADMIN_PASSWORD": PASSWORD,
        "PYTHONPATH": str(PROJECT_ROOT),
    }
    subprocess.run(
        [
            sys.executable,
            "-m",
            "bot.console.cli",
            "create-admin",
            "--email",
            "lead@demo.example",
            "--clinic",
            "demo",
        ],
        cwd=PROJECT_ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    visitor = f"visitor-{uuid.uuid4().hex[:8]}"
    for text in ["hi", "yes", "does it hurt?", "my skin is oily", "I'm on warfarin"]:
        live_bot.say(visitor, text, metadata={"clinic": "demo"})
    # The web app indexes in the background, a couple of seconds behind: wait for this conversation.
    import sqlite3
    import time

    database = live_stack.extra_env["DATABASE_URL"].removeprefix("sqlite:///")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with sqlite3.connect(database) as db:
            row = db.execute(
                "SELECT slot_values FROM console_conversations WHERE sender_id = ?", (visitor,)
            ).fetchone()
        if row and "anticoagulants" in row[0]:
            break
        time.sleep(0.5)
    else:
        raise AssertionError("the conversation was not indexed within 30 s")

    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    page = context.new_page()
    base = f"http://127.0.0.1:{live_stack.web_port}"
    page.goto(base + "/console/")
    page.get_by_label("Email").fill("lead@demo.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Conversations").wait_for()
    page.get_by_label("Slot value").fill("conditions=anticoagulants")
    # Text search runs on the masked text: the medicine is a health term, so it is not found by name.
    page.get_by_label("Text").fill("I'm on [health]")
    page.get_by_role("button", name="Filter").click()
    page.locator(f'table tbody a[href="/console/c/{visitor}"]').click()
    page.get_by_text("I'm on [health]").wait_for()
    assert "warfarin" not in page.locator(".transcript").inner_text()
    summary = page.locator("aside").inner_text().lower()  # the structured summary is not masked
    assert "anticoagulants" in summary or "blood thinners" in summary
    page.get_by_label("New tag").fill("follow-up")
    page.get_by_role("button", name="Add tag").click()
    assert "follow-up" in page.locator(".tags").inner_text()
    page.screenshot(path=str(ARTIFACTS / "console-transcript.png"))
    # An admin reveals the raw text for a while, with a reason.
    page.get_by_text("Reveal the raw text for a while").click()
    page.get_by_label("Why you need it").fill("checking which medicine was meant")
    page.get_by_role("button", name="Reveal to me").click()
    page.get_by_text("I'm on warfarin").wait_for()
    assert "Raw text shown to you until" in page.locator("#reveal").inner_text()
    page.goto(base + "/console/?tag=follow-up")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    exported = download.value.path().read_text()
    assert exported.count("\n") == 2 and "follow-up" in exported
    context.close()
