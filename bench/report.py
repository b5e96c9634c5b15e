"""Turn bench/run.py's results into docs/benchmarks.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List


def _ratio(ours: float, stock: float) -> str:
    return f"{ours / stock:.2f}×" if stock else "n/a"


def write_report(r: Dict[str, Any], out: Path) -> None:
    lines: List[str] = [
        "# Benchmarks",
        "",
        f"Made by `make bench` on {r['date']} ({r['machine']}); one run. Absolute times drift on shared",
        "machines: read the ratios against the stock `rasa init` bot, measured in the same run on the same",
        "machine. Each visitor holds whole conversations of 8 messages over REST (ours: a full screening",
        "with our SQLite tracker store, the action server and the spaCy layer; stock: the moodbot with its",
        "in-memory tracker store and TEDPolicy). Rounds per visitor: 5 at 1 visitor, 2 at 10, 1 at 50.",
        "Where the time goes and what was cut: docs/performance.md.",
        "",
        "## Latency and throughput",
        "",
        "| visitors | bot | p50 ms | p95 ms | p99 ms | msg/s | errors | p50 ratio | msg/s ratio |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for level, ours in r["ours"].items():
        stock = r["stock"][level]
        lines.append(
            f"| {level} | ours | {ours['p50_ms']:.0f} | {ours['p95_ms']:.0f} | {ours['p99_ms']:.0f} | "
            f"{ours['msgs_per_s']:.1f} | {ours['errors']} | {_ratio(ours['p50_ms'], stock['p50_ms'])} | "
            f"{_ratio(ours['msgs_per_s'], stock['msgs_per_s'])} |"
        )
        lines.append(
            f"| {level} | stock | {stock['p50_ms']:.0f} | {stock['p95_ms']:.0f} | {stock['p99_ms']:.0f} | "
            f"{stock['msgs_per_s']:.1f} | {stock['errors']} | 1 | 1 |"
        )
    lines += [
        "",
        "## Cold start and memory",
        "",
        "| | ours | stock |",
        "| --- | --- | --- |",
        f"| run command to first answer, trained model (s) | {r['our_cold_start_s']:.0f} | "
        f"{r['stock_cold_start_s']:.0f} |",
        f"| stock training time (s) | | {r.get('stock_training_s') or 'cached'} |",
    ]
    idle = r["our_idle_rss_mb"]
    top = max(r["ours"])
    peak = r["ours"][top]["peak_rss_mb"]
    for name in idle:
        stock_idle = f"{r['stock_idle_rss_mb']:.0f}" if name == "rasa" else ""
        stock_peak = f"{r['stock'][top]['peak_rss_mb']['rasa']:.0f}" if name == "rasa" else ""
        lines.append(
            f"| RSS {name}, idle / at {top} visitors (MB) | {idle[name]:.0f} / {peak[name]:.0f} | "
            f"{stock_idle}{' / ' + stock_peak if stock_peak else ''} |"
        )
    outcomes = r["outcomes"]
    lines += [
        "",
        "## Accuracy",
        "",
        f"Screening outcomes through the live server: **{outcomes['right']} / {outcomes['total']}** scripted "
        "conversations right (every condition, every procedure a few days before and after its waiting "
        "period, negations, sensitive skin, a red flag, combinations; `bench/outcomes.py`).",
    ]
    for name, expected, got in outcomes["wrong"]:
        lines.append(f"- wrong: {name}: expected {expected}, got {got}")
    if "nlu_heldout" in r:
        n = r["nlu_heldout"]
        lines += [
            "",
            f"Held-out NLU ({n['examples']} utterances): intent accuracy {n['intent_accuracy']:.3f}, "
            f"entity micro F1 {n['entity_micro_f1']:.3f}, negation accuracy {n['negation_accuracy']:.3f}, "
            f"condition recall {n['condition_recall']:.3f}.",
        ]
    if "big_messages_ours" in r:
        lines += [
            "",
            "## One huge message",
            "",
            'A 100 KB and a 1 MB message over REST; meanwhile another visitor says "hi" (up to five times, '
            "one after the other, while the big message is pending). `bench/hostile.py`.",
            "",
            "| message | ours: answer (status, ms) | ours: other visitor (ms) | stock: answer (status, ms) "
            "| stock: other visitor (ms) |",
            "| --- | --- | --- | --- | --- |",
        ]
        for label, ours in r["big_messages_ours"].items():
            stock = (r.get("big_messages_stock") or {}).get(label, {})
            ours_others = ", ".join(map(str, ours["other_visitor_ms"]))
            stock_others = ", ".join(map(str, stock.get("other_visitor_ms", [])))
            lines.append(
                f"| {label} | {ours['status']}, {ours['answer_ms']:,} | {ours_others} | "
                f"{stock.get('status')}, {stock.get('answer_ms', 0):,} | {stock_others} |"
            )
    if "console" in r:
        lines += ["", "## The console at scale", ""]
        dbs = [db for db in r["console"] if "error" not in r["console"][db]]
        if dbs:
            lines += ["| page (median of 3, ms) | " + " | ".join(dbs) + " |", "| --- |" + " --- |" * len(dbs)]
            for key in [k for k in r["console"][dbs[0]] if k != "explain"]:
                cells = []
                for db in dbs:
                    value = r["console"][db].get(key)
                    cells.append(f"{value:.0f}" if isinstance(value, (int, float)) else str(value))
                lines.append(f"| {key} | " + " | ".join(cells) + " |")
        plans = r["console"].get("postgresql", {}).get("explain")
        if plans:
            lines += ["", "### Query plans on PostgreSQL (EXPLAIN ANALYZE)", ""]
            for name, plan in plans.items():
                lines += [f"{name}:", "", "```", plan, "```", ""]
        for db in r["console"]:
            if "error" in r["console"][db]:
                lines.append(f"\n{db}: not measured ({r['console'][db]['error']})")
    lines += ["", f"Whole benchmark run: {r['total_s'] / 60:.0f} minutes."]
    out.write_text("\n".join(lines) + "\n")
