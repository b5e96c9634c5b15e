"""The operations endpoints through the live Rasa server: /metrics counts what happened, in Prometheus'
text format, and /health/ready checks the action server and the database."""

import json
import re
import urllib.error
import urllib.request
import uuid

import pytest

pytestmark = pytest.mark.slow


def get(base: str, path: str):
    try:
        with urllib.request.urlopen(f"{base}{path}", timeout=30) as answer:
            return answer.status, answer.headers.get("Content-Type", ""), answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read().decode()


def metric(text: str, name: str, **labels: str) -> float:
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    pattern = re.escape(name) + (r"\{" + re.escape(wanted) + r"\}" if labels else "") + r" ([0-9.e+]+)$"
    found = [float(m.group(1)) for m in re.finditer(pattern, text, re.MULTILINE)]
    return found[0] if found else 0.0


def test_metrics_count_messages_refusals_intents_and_latency(live_bot):
    _, content_type, before = get(live_bot.base, "/metrics")
    assert content_type.startswith("text/plain")
    sender = f"ops-{uuid.uuid4().hex[:8]}"
    live_bot.say(sender, "hello")
    request = urllib.request.Request(
        f"{live_bot.base}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": "x" * 5000}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(request, timeout=30)
    _, _, after = get(live_bot.base, "/metrics")
    assert (
        metric(after, "screening_messages_total", channel="rest")
        >= metric(before, "screening_messages_total", channel="rest") + 1
    )
    # The live servers are shared with other tests: look for this refusal's own reason.
    reason = re.search(r'screening_refused_total\{channel="rest",reason="([^"]*long[^"]*)"\}', after)
    assert reason, after
    refused = {"channel": "rest", "reason": reason.group(1)}
    assert (
        metric(after, "screening_refused_total", **refused)
        >= metric(before, "screening_refused_total", **refused) + 1
    )
    assert metric(after, "screening_intents_total", intent="greet") >= 1
    assert (
        metric(after, "screening_message_seconds_count")
        >= metric(before, "screening_message_seconds_count") + 1
    )
    buckets = [float(v) for v in re.findall(r'screening_message_seconds_bucket\{le="[^"]+"\} (\d+)', after)]
    assert buckets == sorted(buckets) and buckets[-1] == metric(after, "screening_message_seconds_count")
    assert sender not in after  # no visitor ids in the metrics


def test_health_ready_checks_the_action_server_and_the_database(live_bot):
    status, _, body = get(live_bot.base, "/health/ready")
    assert status == 200, body
    assert json.loads(body) == {"status": "ok", "checks": {"action_server": "ok", "database": "ok"}}
