"""The benchmark's figures from its raw rows: per-round latency, throughput and CPU, then the median and
spread over rounds, and ratios paired round by round (each round ran both bots back to back)."""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Mapping, Sequence, Tuple

Row = Mapping[str, Any]
METRICS = ("p50_ms", "p95_ms", "p99_ms", "msgs_per_s", "cpu_s_per_msg", "errors")


def percentile(values: Sequence[float], p: float) -> float:
    """Linear interpolation between closest ranks (numpy's default); nan for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    position = (len(ordered) - 1) * p / 100
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class Spread:
    """The median of a few rounds and the lowest and highest of them."""

    median: float
    low: float
    high: float
    n: int

    def show(self, digits: int = 0, suffix: str = "") -> str:
        if self.n == 0 or math.isnan(self.median):
            return "n/a"
        if self.n == 1 or self.low == self.high:
            return f"{self.median:,.{digits}f}{suffix}"
        return f"{self.median:,.{digits}f}{suffix} ({self.low:,.{digits}f}–{self.high:,.{digits}f})"


def spread(values: Iterable[float]) -> Spread:
    kept = [v for v in values if not math.isnan(v)]
    if not kept:
        return Spread(math.nan, math.nan, math.nan, 0)
    return Spread(statistics.median(kept), min(kept), max(kept), len(kept))


def round_figures(latencies_ms: Sequence[float], errors: int, messages: int, wall_s: float, cpu_s: float):
    """One bot's figures for one round: latency percentiles over the answered messages."""
    return {
        "p50_ms": percentile(latencies_ms, 50),
        "p95_ms": percentile(latencies_ms, 95),
        "p99_ms": percentile(latencies_ms, 99),
        "msgs_per_s": len(latencies_ms) / wall_s if wall_s else math.nan,
        "cpu_s_per_msg": cpu_s / messages if messages else math.nan,
        "errors": float(errors),
    }


Key = Tuple[str, int, int, str]  # (phase, level, round, bot)


def per_round(messages: Iterable[Row], rounds: Iterable[Row]) -> Dict[Key, Dict[str, float]]:
    """Every measured round's figures, keyed by (phase, level, round, bot); warm-up rounds left out."""
    latencies: Dict[Key, List[float]] = defaultdict(list)
    errors: Dict[Key, int] = defaultdict(int)
    for m in messages:
        key = (m["phase"], int(m["level"]), int(m["round"]), m["bot"])
        if m["error"]:
            errors[key] += 1
        else:
            latencies[key].append(float(m["latency_ms"]))
    figures = {}
    for r in rounds:
        if r["phase"] == "warmup":
            continue
        key = (r["phase"], int(r["level"]), int(r["round"]), r["bot"])
        figures[key] = round_figures(
            latencies[key], errors[key], int(r["messages"]), float(r["wall_s"]), float(r["cpu_s"])
        )
        figures[key]["peak_rss_rasa_mb"] = float(r.get("peak_rss_rasa_mb") or math.nan)
    return figures


def summary(
    figures: Mapping[Key, Mapping[str, float]], phase: str, level: int, bot: str, metric: str
) -> Spread:
    return spread(v[metric] for (ph, lv, _, b), v in figures.items() if (ph, lv, b) == (phase, level, bot))


def ratio(
    figures: Mapping[Key, Mapping[str, float]], phase: str, level: int, bot: str, reference: str, metric: str
) -> Spread:
    """bot / reference for one metric, computed within each round and then summarised over rounds."""
    values = []
    for (ph, lv, rnd, b), v in figures.items():
        other = figures.get((ph, lv, rnd, reference))
        if (ph, lv, b) == (phase, level, bot) and other and other[metric]:
            values.append(v[metric] / other[metric])
    return spread(values)


def levels(figures: Mapping[Key, Any], phase: str) -> List[int]:
    return sorted({lv for (ph, lv, _, _) in figures if ph == phase})


def slices(messages: Iterable[Row], size: int = 50) -> Dict[Tuple[str, int, int], Dict[str, float]]:
    """The long conversation by slice of `size` messages: p50 and p95 per (bot, round, slice)."""
    groups: Dict[Tuple[str, int, int], List[float]] = defaultdict(list)
    for m in messages:
        if m["phase"] == "long" and not m["error"]:
            groups[(m["bot"], int(m["round"]), int(m["turn"]) // size)].append(float(m["latency_ms"]))
    return {key: {"p50_ms": percentile(v, 50), "p95_ms": percentile(v, 95)} for key, v in groups.items()}
