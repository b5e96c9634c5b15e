"""Hostile and careless requests through the live REST channel: each gets a clear refusal, fast, stores
nothing, and the bot keeps answering everyone else."""

import json
import time
import urllib.error
import urllib.request
import uuid

import pytest

pytestmark = pytest.mark.slow

# A refusal must come long before the NLU could have read the message (a 100 KB message once took
# 135 s). The 50 ms target on an idle server is measured by `make bench`; this bound only catches a
# refusal that went through the pipeline.
QUICK = 1.0


def post(base: str, body: bytes, headers: dict | None = None):
    request = urllib.request.Request(
        f"{base}/webhooks/rest/webhook",
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            status, payload = answer.status, answer.read()
    except urllib.error.HTTPError as error:
        status, payload = error.code, error.read()
    return status, payload, time.monotonic() - started


def stored_events(bot, sender: str) -> int:
    """The visitor's messages Rasa holds (reading a tracker through the API creates an empty one)."""
    return sum(e.get("event") == "user" for e in bot.tracker(sender).get("events") or [])


def sender_id() -> str:
    return f"hostile-{uuid.uuid4().hex[:10]}"


def body(**fields) -> bytes:
    return json.dumps(fields).encode()


def cases():
    nested = b'{"sender": "x", "message": ' + b"[" * 20000 + b"]" * 20000 + b"}"
    return {
        "100 KB message": (lambda s: body(sender=s, message="a" * 100_000), 413),
        "1 MB message": (lambda s: body(sender=s, message="word " * 200_000), 413),
        "5,000 characters": (lambda s: body(sender=s, message="x" * 5000), 413),
        "empty message": (lambda s: body(sender=s, message=""), 400),
        "whitespace message": (lambda s: body(sender=s, message="   \n "), 400),
        "binary body": (lambda s: bytes(range(256)) * 4, 400),
        "not JSON": (lambda s: b"sender=x&message=hi", 400),
        "JSON array": (lambda s: b'["hi"]', 400),
        "deeply nested JSON": (lambda s: nested, 400),
        "message is a number": (lambda s: body(sender=s, message=42), 400),
        "message is a list": (lambda s: body(sender=s, message=["hi"]), 400),
        "sender is a number": (lambda s: body(sender=123, message="hi"), 400),
        "sender is missing": (lambda s: body(message="hi"), 400),
        "sender with markup": (lambda s: body(sender="<script>x</script>", message="hi"), 400),
        "metadata is a string": (lambda s: body(sender=s, message="hi", metadata="boom"), 400),
        "clinic is a list": (lambda s: body(sender=s, message="hi", metadata={"clinic": ["x"]}), 400),
        "unknown clinic": (lambda s: body(sender=s, message="hi", metadata={"clinic": "nowhere"}), 400),
        "unknown metadata key": (lambda s: body(sender=s, message="hi", metadata={"admin": True}), 400),
    }


@pytest.mark.parametrize("case", list(cases()))
def test_bad_input_is_refused_clearly_quickly_and_stores_nothing(live_bot, case):
    make, expected = cases()[case]
    sender = sender_id()
    status, payload, seconds = post(live_bot.base, make(sender))
    assert status == expected, payload[:300]
    if status != 413 or seconds < QUICK:  # Sanic's own 413 has no JSON body; ours does
        reason = json.loads(payload or b"{}").get("error") if payload.startswith(b"{") else None
        assert reason or status == 413
    assert seconds < QUICK, f"{case}: refused after {seconds:.2f} s"
    assert stored_events(live_bot, sender) == 0
    # Everyone else is still answered.
    assert live_bot.say(sender_id(), "hello")


def test_the_channel_name_comes_from_the_server_not_the_client(live_bot):
    sender = sender_id()
    status, _, _ = post(live_bot.base, body(sender=sender, message="hello", input_channel={"a": 1}))
    assert status == 200
    user_events = [e for e in live_bot.tracker(sender)["events"] if e["event"] == "user"]
    assert {e["input_channel"] for e in user_events} == {"rest"}


def test_a_flood_in_one_conversation_is_slowed_and_others_go_on(live_bot):
    sender = sender_id()
    statuses = [post(live_bot.base, body(sender=sender, message="hi"))[0] for _ in range(40)]
    assert statuses.count(429) >= 5, statuses
    assert statuses[0] == 200
    assert live_bot.say(sender_id(), "hello")


def test_a_flood_from_one_address_is_slowed_and_other_addresses_go_on(live_bot):
    flood = {"X-Forwarded-For": "198.51.100.7"}  # a documentation address: only a header, no traffic
    # The tests' limit is 1,200 a minute (tests/slow/conftest.py): a token bucket that refills 20 a second,
    # so how many requests it takes to be refused depends on how fast they come; flood until refused.
    statuses = []
    while len(statuses) < 6000 and (not statuses or statuses[-1] != 429):
        statuses.append(post(live_bot.base, b"{}", flood)[0])
    assert statuses[-1] == 429 and statuses.count(400) >= 1000
    status, _, seconds = post(live_bot.base, body(sender=sender_id(), message="hi"), flood)
    assert status == 429 and seconds < QUICK
    assert live_bot.say(sender_id(), "hello")


def test_an_erasure_with_a_message_in_flight_leaves_nothing_behind(live_bot, live_stack):
    import concurrent.futures
    import sqlite3

    sender = sender_id()
    for text in ("hi", "yes", "my skin is oily"):
        live_bot.say(sender, text)
    live_bot.say(sender, "please delete my data")
    with concurrent.futures.ThreadPoolExecutor(3) as pool:
        # The confirmation is taken first (Rasa queues a visitor's messages in arrival order); two more
        # messages are already waiting behind it: the erased conversation must not come back.
        confirm = pool.submit(live_bot.say, sender, "yes")
        time.sleep(0.05)
        later = [pool.submit(live_bot.say, sender, text) for text in ("I take warfarin daily", "and I smoke")]
        assert any((m.get("custom") or {}).get("type") == "data_erased" for m in confirm.result())
        [future.result() for future in later]
    database = live_stack.extra_env["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(database) as db:
        events = db.execute("SELECT count(*) FROM events WHERE sender_id = ?", (sender,)).fetchone()[0]
        indexed = db.execute(
            "SELECT count(*) FROM console_conversations WHERE sender_id = ?", (sender,)
        ).fetchone()[0]
        erased = db.execute(
            "SELECT count(*) FROM erased_conversations WHERE sender_id = ?", (sender,)
        ).fetchone()[0]
    assert (events, indexed, erased) == (0, 0, 1)


def test_after_the_barrage_the_console_still_lists_every_kept_conversation(live_bot, live_stack):
    """Runs last in this module: whatever the requests above did, every conversation the database keeps
    reaches the console's index (the web app's background indexer), none is skipped or stuck."""
    import sqlite3

    sender = sender_id()
    for text in ("hi", "yes", "my skin is dry"):
        live_bot.say(sender, text)
    database = live_stack.extra_env["DATABASE_URL"].removeprefix("sqlite:///")
    deadline = time.monotonic() + 60
    while True:
        with sqlite3.connect(database) as db:
            kept = {row[0] for row in db.execute("SELECT DISTINCT sender_id FROM events")}
            listed = {row[0] for row in db.execute("SELECT sender_id FROM console_conversations")}
        if sender in listed and kept <= listed:
            break
        assert time.monotonic() < deadline, f"not listed after 60 s: {sorted(kept - listed)[:5]}"
        time.sleep(0.5)
    assert sender in kept
