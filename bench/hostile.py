"""A 100 KB and a 1 MB message over REST: how fast each bot answers or refuses, and what latency another
visitor sees meanwhile (one request must not take the bot down)."""

from __future__ import annotations

import http.client
import json
import threading
import time
import urllib.error
import urllib.request
import uuid
from typing import Any, Dict, List

SIZES = {"100 KB": 100_000, "1 MB": 1_000_000}


def _post(base: str, sender: str, text: str, timeout: float = 180) -> tuple:
    body = json.dumps({"sender": sender, "message": text}).encode()
    request = urllib.request.Request(
        f"{base}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
    )
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            status = answer.status
            answer.read()
    except urllib.error.HTTPError as error:
        status = error.code
    except (urllib.error.URLError, TimeoutError, OSError, http.client.HTTPException) as error:
        # A bot that drops the connection (or dies) under a huge message is a result, not a crash.
        status = f"error: {type(error).__name__}: {error}"
    return status, time.monotonic() - started


def big_messages(base: str) -> Dict[str, Any]:
    results: Dict[str, Any] = {}
    for label, size in SIZES.items():
        outcome: Dict[str, Any] = {}

        def send_big(outcome: Dict[str, Any] = outcome, size: int = size) -> None:
            text = "word " * (size // 5)
            outcome["status"], outcome["seconds"] = _post(base, f"big-{uuid.uuid4().hex[:8]}", text)

        thread = threading.Thread(target=send_big)
        thread.start()
        time.sleep(0.2)
        others: List[float] = []
        while thread.is_alive() and len(others) < 5:
            status, seconds = _post(base, f"other-{uuid.uuid4().hex[:8]}", "hi", timeout=120)
            others.append(round(seconds * 1000))
        thread.join()
        if not others:  # the big one was already answered: one "hi" right after, for comparison
            others.append(round(_post(base, f"other-{uuid.uuid4().hex[:8]}", "hi")[1] * 1000))
        results[label] = {
            "status": outcome.get("status"),
            "answer_ms": round(outcome.get("seconds", 0) * 1000),
            "other_visitor_ms": others,
        }
        print(f"  {label}: {results[label]}", flush=True)
    return results
