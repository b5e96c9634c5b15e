"""The benchmark's statistics and targets: percentiles, medians with spread, ratios paired by round."""

import math

from bench import stats
from bench.targets import Target, paired, targets, verdict


def _figures(metric, ours, stock, level=1):
    return {
        **{("load", level, i, "ours"): {metric: v} for i, v in enumerate(ours)},
        **{("load", level, i, "stock"): {metric: v} for i, v in enumerate(stock)},
    }


def test_percentile_interpolates_between_ranks():
    assert stats.percentile([4, 1, 3, 2], 50) == 2.5
    assert stats.percentile(list(range(1, 101)), 95) == 95.05
    assert stats.percentile([7], 99) == 7
    assert math.isnan(stats.percentile([], 50))


def test_spread_is_the_median_with_the_lowest_and_highest_round():
    s = stats.spread([30, 10, 20, 50])
    assert (s.median, s.low, s.high, s.n) == (25, 10, 50, 4)
    assert s.show() == "25 (10–50)"
    assert stats.spread([3.14159]).show(2) == "3.14"
    assert stats.spread([]).show() == "n/a"


def test_ratios_are_taken_within_each_round_then_summarised():
    # Medians alone would give 20 / 20 = 1.0; paired by round the ratios are 0.5, 1.0 and 0.5.
    figures = _figures("p50_ms", ours=[10, 20, 30], stock=[20, 20, 60])
    r = stats.ratio(figures, "load", 1, "ours", "stock", "p50_ms")
    assert (r.median, r.low, r.high) == (0.5, 0.5, 1.0)


def test_a_round_without_its_stock_counterpart_gives_no_ratio():
    figures = _figures("p50_ms", ours=[10, 20], stock=[20])
    assert stats.ratio(figures, "load", 1, "ours", "stock", "p50_ms").n == 1


def test_per_round_leaves_out_warmup_and_keeps_errors_out_of_the_latencies():
    def message(phase, latency, error=""):
        return {
            "phase": phase,
            "level": "1",
            "round": "0",
            "bot": "ours",
            "latency_ms": latency,
            "error": error,
        }

    messages = [
        message("load", 10),
        message("load", 30),
        message("load", 1, "trouble"),
        message("warmup", 999),
    ]
    rounds = [
        {
            "phase": "load",
            "level": "1",
            "round": "0",
            "bot": "ours",
            "messages": "3",
            "wall_s": "2",
            "cpu_s": "0.3",
        },
        {
            "phase": "warmup",
            "level": "1",
            "round": "0",
            "bot": "ours",
            "messages": "1",
            "wall_s": "1",
            "cpu_s": "1",
        },
    ]
    figures = stats.per_round(messages, rounds)
    assert list(figures) == [("load", 1, 0, "ours")]
    f = figures[("load", 1, 0, "ours")]
    assert f["p50_ms"] == 20
    assert f["errors"] == 1
    assert f["msgs_per_s"] == 1.0  # two answered messages in two seconds
    assert math.isclose(f["cpu_s_per_msg"], 0.1)


def test_the_long_conversation_is_sliced_by_fifty_messages():
    messages = [
        {"phase": "long", "bot": "ours", "round": "0", "turn": str(t), "latency_ms": str(t), "error": ""}
        for t in range(100)
    ]
    found = stats.slices(messages)
    assert sorted(found) == [("ours", 0, 0), ("ours", 0, 1)]
    assert found[("ours", 0, 1)]["p50_ms"] == 74.5


def test_a_target_is_met_only_when_the_median_meets_it_and_says_if_a_round_did_not():
    assert (
        verdict(stats.spread([0.4, 0.45, 0.6]), 0.5, at_most=True) == "met at the median, not in every round"
    )
    assert verdict(stats.spread([0.4, 0.45, 0.5]), 0.5, at_most=True) == "met"
    assert verdict(stats.spread([0.4, 0.6, 0.7]), 0.5, at_most=True) == "not met"
    assert verdict(stats.spread([3.5, 2.9, 4]), 3.0, at_most=False) == "met at the median, not in every round"
    assert verdict(stats.spread([]), 3.0, at_most=False) == "not measured"


def test_cold_starts_are_paired_in_the_order_they_ran():
    assert paired([10, 30], [20, 30]).low == 0.5


def test_one_trouble_reply_fails_the_zero_errors_target():
    def message(error):
        return {"phase": "load", "level": "1", "round": "0", "bot": "ours", "latency_ms": "5", "error": error}

    meta = {"cold_start_s": {"ours": [10], "stock": [30]}}
    clean = {t.name: t for t in targets({}, [message("")] * 3, meta)}
    assert clean["errors (ours)"].verdict == "met"
    found = {t.name: t for t in targets({}, [message(""), message("trouble")], meta)}
    assert isinstance(found["errors (ours)"], Target)
    assert found["errors (ours)"].verdict == "not met"
    assert found["errors (ours)"].shown == "1 in 2 messages"
    assert found["cold start"].verdict == "met"
    assert found["p50 at 1 visitor"].verdict == "not measured"
