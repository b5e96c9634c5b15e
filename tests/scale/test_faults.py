"""Scale-out on PostgreSQL and Redis: two Rasa processes behind HAProxy, broken on purpose."""

import concurrent.futures
import json
import shutil
import signal
import subprocess
import uuid
from pathlib import Path

import pytest

from tests.slow.test_conversations import NEUTRAL, result_payload

pytestmark = pytest.mark.slow


def visitor() -> str:
    return f"visitor-{uuid.uuid4().hex[:8]}"


def answer_pending(bot, sender, answers):
    requested = bot.tracker(sender)["slots"].get("requested_slot")
    return requested, bot.say(sender, {**NEUTRAL, **answers}[requested])


def test_a_whole_screening_through_the_balancer(front):
    sender = visitor()
    front.say(sender, "hi")
    answers = {"conditions": "I take Eliquis"}
    for _ in range(10):
        _, replies = answer_pending(front, sender, answers)
        if result_payload(replies):
            break
    assert result_payload(replies)["outcome"] == "needs_medical_clearance"


def test_every_process_serves_the_same_conversation(backends):
    sender = visitor()
    backends[0].say(sender, "hi")
    turn = 0
    replies = []
    while not result_payload(replies) and turn < 12:
        bot = backends[turn % 2]  # alternate processes on every message
        _, replies = answer_pending(bot, sender, {"skin_type": "sensitive"})
        turn += 1
    assert result_payload(replies)["outcome"] == "suitable_with_precautions"
    assert backends[0].tracker(sender)["slots"] == backends[1].tracker(sender)["slots"]


@pytest.mark.parametrize("attempt", range(5))
def test_two_messages_at_once_on_two_processes_are_handled_one_after_the_other(backends, attempt):
    sender = visitor()
    backends[0].say(sender, "hi")
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        first = pool.submit(backends[0].say, sender, "does it hurt?")
        second = pool.submit(backends[1].say, sender, "how much does it cost?")
        assert first.result() and second.result()
    events = backends[0].tracker(sender)["events"]
    users = [e for e in events if e["event"] == "user"]
    assert sorted(u["text"] for u in users[1:]) == ["does it hurt?", "how much does it cost?"]
    # Each message was fully answered before the next was read: user, its actions, then the next user.
    between = events[events.index(users[1]) : events.index(users[2])]
    assert any(e["event"] == "action" and e["name"] == "action_answer_faq" for e in between)
    timestamps = [e["timestamp"] for e in events]
    assert timestamps == sorted(timestamps) and len(set(map(str, events))) == len(events)


def test_the_lock_store_is_exclusive_across_clients(scale_services_ready):
    import asyncio

    from bot.storage.lock_store import AtomicRedisLockStore
    from tests.scale.conftest import TEST_REDIS_URL

    url = TEST_REDIS_URL.split("//", 1)[1]
    host, port_db = url.split(":", 1)
    port, db = port_db.split("/")
    stores = [
        AtomicRedisLockStore(host=host, port=int(port), db=int(db), key_prefix="locktest") for _ in range(2)
    ]
    inside, overlaps = [0], [0]

    async def hold(store):
        async with store.lock("same-visitor"):
            inside[0] += 1
            overlaps[0] = max(overlaps[0], inside[0])
            await asyncio.sleep(0.05)
            inside[0] -= 1

    async def run():
        await asyncio.gather(*(hold(stores[i % 2]) for i in range(10)))

    asyncio.run(run())
    assert overlaps[0] == 1


def _ready(port: int):
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/ready", timeout=30) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_action_server_down_gives_a_polite_answer_then_carries_on(scaled, front):
    sender = visitor()
    front.say(sender, "hi")
    front.say(sender, "yes")  # consent given: the form now asks for skin type
    actions = scaled.rasa[0]
    actions.kill("actions")
    try:
        replies = front.say(sender, "my skin is dry")
        text = " ".join(m.get("text", "") for m in replies)
        assert "having trouble" in text and "+44 20 7946 0321" in text, replies
        # Monitoring sees it too: not ready, and why.
        status, body = _ready(scaled.backend_ports[0])
        assert status == 503 and json.loads(body)["checks"]["action_server"] != "ok", body
    finally:
        actions.restart("actions")
    assert _ready(scaled.backend_ports[0])[0] == 200
    replies = front.say(sender, "my skin is oily")
    assert front.tracker(sender)["slots"]["skin_type"] == "oily"
    assert any("apply to you" in m.get("text", "") for m in replies)


def test_postgres_restart_is_survived_without_restarting_the_servers(front):
    cluster = Path("/etc/postgresql")
    if shutil.which("pg_ctlcluster") is None or not cluster.is_dir():
        pytest.skip("no local PostgreSQL cluster to restart (pg_ctlcluster)")
    version = sorted(p.name for p in cluster.iterdir())[-1]
    sender = visitor()
    front.say(sender, "hi")
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    replies = front.say(sender, "yes")
    assert any("describe your skin" in m.get("text", "") for m in replies)
    assert front.tracker(sender)["slots"]["consent"] is True


def test_a_killed_rasa_process_loses_nothing(scaled, front, backends):
    # Last in this module: it leaves one process dead.
    sender = visitor()
    backends[0].say(sender, "hi")
    backends[0].say(sender, "yes")
    backends[0].say(sender, "dry")
    scaled.rasa[0].kill("rasa", signal.SIGKILL)
    replies = []
    for _ in range(10):
        _, replies = answer_pending(front, sender, {"conditions": "I'm pregnant"})
        if result_payload(replies):
            break
    payload = result_payload(replies)
    assert payload["outcome"] == "not_suitable_now"
    slots = backends[1].tracker(sender)["slots"]
    assert slots["skin_type"] == "dry" and slots["conditions"] == ["pregnancy"]
