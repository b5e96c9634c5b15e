"""Counters and a latency histogram for one Rasa process, written in Prometheus' text format.

No client library: a handful of numbers does not need one, and the format is plain text
(https://prometheus.io/docs/instrumenting/exposition_formats/). Each process counts its own traffic;
behind the balancer, scrape every process (docs: README, "Operations").
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections import defaultdict
from typing import Dict, Iterable, Tuple

# Seconds: a reply in under 0.1 s is fast; over 5 s a visitor gives up.
LATENCY_BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

_lock = threading.Lock()
_counters: Dict[Tuple[str, Tuple[Tuple[str, str], ...]], float] = defaultdict(float)
_bucket_counts = [0] * (len(LATENCY_BUCKETS) + 1)
_latency_sum = 0.0
_latency_count = 0

HELP = {
    "screening_messages_total": "Visitor messages handled, by channel.",
    "screening_refused_total": "Messages refused before Rasa read them, by reason.",
    "screening_errors_total": "Messages whose handling raised an error inside Rasa.",
    "screening_unanswered_total": "Messages Rasa left unanswered (e.g. the action server was down), "
    "answered by the safety net instead.",
    "screening_intents_total": "Final intent of each parsed message, after the safety overrides.",
}


def count(name: str, amount: float = 1.0, **labels: str) -> None:
    key = (name, tuple(sorted(labels.items())))
    with _lock:
        _counters[key] += amount


def observe_latency(seconds: float) -> None:
    global _latency_sum, _latency_count
    with _lock:
        _bucket_counts[bisect_left(LATENCY_BUCKETS, seconds)] += 1
        _latency_sum += seconds
        _latency_count += 1


def _labels(pairs: Iterable[Tuple[str, str]]) -> str:
    inner = ",".join(f'{k}="{_escape(v)}"' for k, v in pairs)
    return "{" + inner + "}" if inner else ""


def _escape(value: str) -> str:
    return str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def render() -> str:
    """Every metric in the text exposition format (version 0.0.4)."""
    with _lock:
        counters = dict(_counters)
        buckets = list(_bucket_counts)
        total, n = _latency_sum, _latency_count
    lines = []
    for name in sorted({name for name, _ in counters} | set(HELP)):
        lines.append(f"# HELP {name} {HELP.get(name, name)}")
        lines.append(f"# TYPE {name} counter")
        series = sorted((labels, value) for (metric, labels), value in counters.items() if metric == name)
        if not series and name not in ("screening_messages_total", "screening_intents_total"):
            lines.append(f"{name} 0")
        for labels, value in series:
            lines.append(f"{name}{_labels(labels)} {value:g}")
    name = "screening_message_seconds"
    lines.append(f"# HELP {name} Time from receiving a visitor's message to the last reply.")
    lines.append(f"# TYPE {name} histogram")
    cumulative = 0
    for bound, hits in zip(LATENCY_BUCKETS, buckets[:-1], strict=True):
        cumulative += hits
        lines.append(f'{name}_bucket{{le="{bound:g}"}} {cumulative}')
    lines.append(f'{name}_bucket{{le="+Inf"}} {cumulative + buckets[-1]}')
    lines.append(f"{name}_sum {total:.6f}")
    lines.append(f"{name}_count {n}")
    return "\n".join(lines) + "\n"


def reset() -> None:
    """For tests: start from zero."""
    global _latency_sum, _latency_count
    with _lock:
        _counters.clear()
        for i in range(len(_bucket_counts)):
            _bucket_counts[i] = 0
        _latency_sum, _latency_count = 0.0, 0
