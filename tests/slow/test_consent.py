"""Consent that means what it says: a refusal keeps nothing, through the live servers and the widget."""

import json
import sqlite3
import uuid

import pytest

from tests.slow.test_widget_browser import DESKTOP, open_widget, type_message, wait_for_bot_text

pytestmark = pytest.mark.slow


def database(live_stack) -> sqlite3.Connection:
    return sqlite3.connect(live_stack.extra_env["DATABASE_URL"].removeprefix("sqlite:///"))


def rows_mentioning(live_stack, *needles: str) -> list:
    """Every row of every table whose text holds one of the needles."""
    found = []
    with database(live_stack) as db:
        tables = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            for row in db.execute(f'SELECT * FROM "{table}"'):  # noqa: S608  (names from the schema)
                text = json.dumps(row, default=str).lower()
                found += [(table, n) for n in needles if n.lower() in text]
    return found


def stored_texts(live_stack) -> set:
    """Every visitor message in the events table (the sentences below are unique to this module)."""
    with database(live_stack) as db:
        rows = db.execute("SELECT data FROM events WHERE type_name = 'user'").fetchall()
    return {json.loads(data).get("text") for (data,) in rows}


def declined_today(live_stack) -> tuple:
    with database(live_stack) as db:
        row = db.execute("SELECT sum(declined), sum(urgent) FROM declined_daily").fetchone()
    return tuple(v or 0 for v in row)


@pytest.mark.parametrize("refusal", ["no, just questions", "I'd rather not", "please don't save anything"])
def test_a_typed_refusal_is_a_refusal_never_stop_or_restart(live_bot, refusal):
    sender = f"refuse-{uuid.uuid4().hex[:10]}"
    live_bot.say(sender, "hi")
    replies = live_bot.say(sender, refusal)
    text = " ".join(m.get("text") or "" for m in replies)
    assert "nothing of this conversation is kept" in text
    assert "stopped the check" not in text and "start over" not in text.lower()
    assert live_bot.tracker(sender)["slots"]["consent"] is False


def test_a_declined_conversation_leaves_no_row_anywhere_but_is_counted(live_bot, live_stack):
    before = declined_today(live_stack)
    sender = f"declined-{uuid.uuid4().hex[:10]}"
    live_bot.say(sender, "hi")
    live_bot.say(sender, "no, just questions")
    asked = "I take warfarin and have eczema, is it safe for someone like me?"
    assert live_bot.say(sender, asked)
    symptom = "my face has suddenly dropped on one side, what do I do"
    urgent = live_bot.say(sender, symptom)
    assert any((m.get("custom") or {}).get("outcome") == "seek_urgent_care" for m in urgent)  # safety first
    assert rows_mentioning(live_stack, sender) == []
    assert not {asked, symptom} & stored_texts(live_stack)
    for log in live_stack.log_dir.glob("*.log"):  # nor in the services' logs
        text = log.read_text(encoding="utf-8", errors="replace")
        assert sender not in text and "eczema, is it safe for someone like me" not in text, log
    declined, urgent_count = declined_today(live_stack)
    assert declined == before[0] + 1 and urgent_count == before[1] + 1


def test_words_typed_before_consent_are_not_kept_after_it(live_bot, live_stack):
    sender = f"consent-{uuid.uuid4().hex[:10]}"
    before = "hello there, I have a cold sore on my lip right now"
    after = "my skin is oily by lunchtime every day"
    live_bot.say(sender, before)
    live_bot.say(sender, "yes")
    live_bot.say(sender, after)
    texts = stored_texts(live_stack)
    assert before not in texts and after in texts


def test_the_widget_keeps_only_its_session_id_before_consent_and_nothing_after_a_refusal(browser, live_stack):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"http://127.0.0.1:{live_stack.web_port}/")
    open_widget(page)

    def stored() -> dict:
        values = page.evaluate("Object.values(Object.assign({}, localStorage))")
        return json.loads(values[0]) if values else {}

    assert set(stored()) == {"sessionId"}
    type_message(page, "no thanks, just questions")
    wait_for_bot_text(page, "nothing of this conversation is kept")
    type_message(page, "does it hurt?")
    page.wait_for_timeout(1500)
    assert stored() == {}  # a refusal: the page keeps nothing at all
    context.close()


def test_consent_can_be_withdrawn_and_given_again(live_bot, live_stack):
    sender = f"change-{uuid.uuid4().hex[:10]}"
    live_bot.say(sender, "hi")
    live_bot.say(sender, "yes")
    kept_then = "my skin is quite dry and flaky in winter"
    live_bot.say(sender, kept_then)
    assert kept_then in stored_texts(live_stack)
    replies = live_bot.say(sender, "actually, don't keep my answers")
    assert any((m.get("custom") or {}).get("kept") is False for m in replies)
    assert live_bot.tracker(sender)["slots"]["consent"] is False
    assert rows_mentioning(live_stack, sender) == [] and kept_then not in stored_texts(live_stack)
    live_bot.say(sender, "OK, you can keep them")
    assert live_bot.tracker(sender)["slots"]["consent"] is True
    kept_now = "does facial acupuncture hurt much for a first timer?"
    live_bot.say(sender, kept_now)
    texts = stored_texts(live_stack)
    assert kept_now in texts and kept_then not in texts
