"""The benchmark's targets (issue 16), as ratios to the stock bot in the same run, and whether each is met."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping

from bench import stats
from bench.stats import Spread


@dataclass(frozen=True)
class Target:
    name: str
    measured: Spread
    limit: float
    at_most: bool  # True: the ratio must be at most `limit`; False: at least
    shown: str = ""  # how to show `measured`, when not as a ratio

    @property
    def verdict(self) -> str:
        return verdict(self.measured, self.limit, self.at_most)


def verdict(measured: Spread, limit: float, at_most: bool) -> str:
    """'met' when even the worst round meets the limit, 'met at the median' when only the median does."""
    if measured.n == 0 or math.isnan(measured.median):
        return "not measured"

    def ok(value: float) -> bool:
        return value <= limit if at_most else value >= limit

    if not ok(measured.median):
        return "not met"
    return (
        "met" if ok(measured.high if at_most else measured.low) else "met at the median, not in every round"
    )


def paired(ours: List[float], stock: List[float]) -> Spread:
    """Ratios of measurements taken in turn (the i-th of ours with the i-th of stock)."""
    return stats.spread(a / b for a, b in zip(ours, stock, strict=False) if b)


def error_count(messages: List[Mapping[str, Any]], bot: str) -> Dict[str, int]:
    """Errors and messages of one bot in the measured phases (warm-up rounds left out)."""
    measured = [m for m in messages if m["bot"] == bot and m["phase"] != "warmup"]
    return {"errors": sum(1 for m in measured if m["error"]), "messages": len(measured)}


def targets(
    figures: Mapping[stats.Key, Any], messages: List[Mapping[str, Any]], meta: Mapping
) -> List[Target]:
    cold = meta.get("cold_start_s", {})
    errors = error_count(messages, "ours")
    return [
        Target("p50 at 1 visitor", stats.ratio(figures, "load", 1, "ours", "stock", "p50_ms"), 0.5, True),
        Target("p95 at 50 visitors", stats.ratio(figures, "load", 50, "ours", "stock", "p95_ms"), 0.5, True),
        Target(
            "messages/s at 50 visitors",
            stats.ratio(figures, "load", 50, "ours", "stock", "msgs_per_s"),
            3.0,
            False,
        ),
        Target(
            "errors (ours)",
            stats.spread([float(errors["errors"])] if errors["messages"] else []),
            0.0,
            True,
            shown=f"{errors['errors']} in {errors['messages']:,} messages",
        ),
        Target("cold start", paired(cold.get("ours", []), cold.get("stock", [])), 0.5, True),
        Target(
            "Rasa RSS at 50 visitors",
            stats.ratio(figures, "load", 50, "ours", "stock", "peak_rss_rasa_mb"),
            0.7,
            True,
        ),
    ]
