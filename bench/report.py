"""docs/benchmarks.md and the README's benchmark summary, computed from the raw results in results/bench/.

usage: python -m bench.report [RESULTS_DIR]    recomputes both from the raw files alone
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Dict, List, Mapping, Sequence

from bench import results, stats
from bench.targets import Target, paired, targets
from bot import PROJECT_ROOT

DOC = PROJECT_ROOT / "docs" / "benchmarks.md"
README = PROJECT_ROOT / "README.md"
START, END = "<!-- bench-summary: start (bench/report.py) -->", "<!-- bench-summary: end -->"
BOTS = ("ours", "stock", "reference")  # reference: our design with stock settings (bench/bots.py)
RATIOS = [  # (bot, divided by, what the ratio says)
    ("ours", "stock", "ours ÷ stock"),
    ("reference", "stock", "reference ÷ stock: what our design costs"),
    ("ours", "reference", "ours ÷ reference: what our tuning saves"),
]
COLUMNS = [("p50_ms", 0), ("p95_ms", 0), ("p99_ms", 0), ("msgs_per_s", 1), ("cpu_s_per_msg", 3)]  # digits


def _bots(figures: Mapping[stats.Key, Any]) -> List[str]:
    found = {b for (_, _, _, b) in figures}
    return [b for b in BOTS if b in found]


def _errors(messages: Sequence[Mapping[str, Any]], bot: str, level: int, phase: str = "load") -> str:
    rows = [m for m in messages if (m["bot"], int(m["level"]), m["phase"]) == (bot, level, phase)]
    kinds: Dict[str, int] = {}
    for m in rows:
        if m["error"]:
            kinds[m["error"]] = kinds.get(m["error"], 0) + 1
    detail = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
    return f"{sum(kinds.values())} / {len(rows):,}" + (f" ({detail})" if detail else "")


def _ratio(spread: stats.Spread) -> str:
    return spread.show(2, "×")


def latency_table(figures: Mapping[stats.Key, Any], messages: Sequence[Mapping[str, Any]]) -> List[str]:
    lines = [
        "| visitors | bot | p50 ms | p95 ms | p99 ms | messages/s | CPU s/message | errors / messages |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    bots = _bots(figures)
    for level in stats.levels(figures, "load"):
        for bot in bots:
            cells = [stats.summary(figures, "load", level, bot, m).show(d) for m, d in COLUMNS]
            lines.append(
                f"| {level} | {bot} | " + " | ".join(cells) + f" | {_errors(messages, bot, level)} |"
            )
        for bot, other, label in RATIOS:
            if bot in bots and other in bots:
                cells = [_ratio(stats.ratio(figures, "load", level, bot, other, m)) for m, _ in COLUMNS]
                lines.append(f"| {level} | *{label}* | " + " | ".join(cells) + " | |")
    return lines


def long_table(messages: Sequence[Mapping[str, Any]], size: int = 50) -> List[str]:
    by_slice = stats.slices(messages, size)
    if not by_slice:
        return ["Not measured in this run."]
    bots = [b for b in BOTS if any(k[0] == b for k in by_slice)]
    last = max(k[2] for k in by_slice)

    def cell(bot: str, number: int, metric: str) -> stats.Spread:
        return stats.spread(v[metric] for (b, _, s), v in by_slice.items() if (b, s) == (bot, number))

    header = " | ".join(f"{b} p50 | {b} p95" for b in bots)
    lines = [f"| messages | {header} | ours ÷ stock, p50 |", "| --- |" + " --- |" * (2 * len(bots) + 1)]
    for number in range(last + 1):
        cells = [cell(b, number, m).show() for b in bots for m in ("p50_ms", "p95_ms")]
        ratio = stats.spread(
            by_slice[("ours", rnd, number)]["p50_ms"] / by_slice[("stock", rnd, number)]["p50_ms"]
            for rnd in {k[1] for k in by_slice}
            if ("ours", rnd, number) in by_slice and ("stock", rnd, number) in by_slice
        )
        lines.append(
            f"| {number * size + 1}–{(number + 1) * size} | " + " | ".join(cells) + f" | {_ratio(ratio)} |"
        )
    return lines


def target_table(found: Sequence[Target]) -> List[str]:
    lines = ["| target | limit | measured | verdict |", "| --- | --- | --- | --- |"]
    for t in found:
        limit = f"{'≤' if t.at_most else '≥'} {t.limit:g}" + ("" if t.shown else "× stock")
        lines.append(f"| {t.name} | {limit} | {t.shown or _ratio(t.measured)} | **{t.verdict}** |")
    return lines


def settings_table(meta: Mapping[str, Any]) -> List[str]:
    described = {
        "ours": (
            "a whole screening",
            "ours (SQLite)",
            "none: our actions run in the Rasa process",
            "yes (bot/rasa_compat.py)",
            "no (left out: bot/tasks/rasa_server.py)",
        ),
        "stock": ("moodbot", "Rasa's in-memory", "none", "no", "yes"),
        "reference": ("a whole screening", "Rasa's SQLTrackerStore (SQLite)", "yes", "no", "yes"),
    }
    bots = [b for b in BOTS if b in meta.get("bots", {})]
    lines = ["| | " + " | ".join(bots) + " |", "| --- |" + " --- |" * len(bots)]
    rows = [
        "conversation (8 messages)",
        "tracker store",
        "action server",
        "our patch of Rasa",
        "jax loaded into Rasa (TensorFlow imports it; unused)",
    ]
    for index, label in enumerate(rows):
        lines.append(f"| {label} | " + " | ".join(described[b][index] for b in bots) + " |")
    for name in next(iter(meta["bots"].values()))["settings"]:
        lines.append(f"| `{name}` | " + " | ".join(meta["bots"][b]["settings"][name] for b in bots) + " |")
    return lines


def memory_rows(
    figures: Mapping[stats.Key, Any], rounds: Sequence[Mapping[str, Any]], meta: Mapping
) -> List[str]:
    bots = [b for b in BOTS if b in meta.get("cold_start_s", {})]
    top = max(stats.levels(figures, "load"), default=0)
    lines = ["| | " + " | ".join(bots) + " | ours ÷ stock |", "| --- |" + " --- |" * (len(bots) + 1)]
    cold = meta["cold_start_s"]
    starts = [stats.spread(cold[b]).show(1) for b in bots]
    lines.append(
        f"| run command to first answer, trained model (s), starts each: {len(cold['ours'])} | "
        + " | ".join(starts)
        + f" | {_ratio(paired(cold['ours'], cold.get('stock', [])))} |"
    )
    idle = meta.get("idle_rss_mb", {})
    for process in ("rasa", "actions"):
        cells = []
        for bot in bots:
            peak = stats.spread(
                float(r[f"peak_rss_{process}_mb"])
                for r in rounds
                if (r["phase"], int(r["level"]), r["bot"]) == ("load", top, bot)
                and float(r[f"peak_rss_{process}_mb"])
            )
            seen = idle.get(bot, {}).get(process)
            cells.append("" if seen is None else f"{seen:,} / {peak.show()}")
        ratio = (
            _ratio(stats.ratio(figures, "load", top, "ours", "stock", "peak_rss_rasa_mb"))
            if process == "rasa"
            else ""
        )
        lines.append(
            f"| RSS of the {process} process, idle / peak at {top} visitors (MB) | "
            + " | ".join(cells)
            + f" | {ratio} |"
        )
    if meta.get("stock_training_s"):
        lines.append(
            "| stock `rasa init` training (s) | | "
            + f"{meta['stock_training_s']:.0f} |"
            + " |" * (len(bots) - 1)
        )
    return lines


def accuracy(meta: Mapping[str, Any]) -> List[str]:
    lines: List[str] = []
    outcomes = meta.get("outcomes")
    if outcomes:
        lines += [
            f"Screening outcomes through the live server: **{outcomes['right']} / {outcomes['total']}** "
            "scripted conversations right (every condition, every procedure a few days before and after its "
            "waiting period, negations, sensitive skin, a red flag, combinations; `bench/outcomes.py`).",
        ]
        lines += [
            f"- wrong: {name}: expected {expected}, got {got}" for name, expected, got in outcomes["wrong"]
        ]
    n = meta.get("nlu_heldout")
    if n:
        lines += [
            "",
            f"Held-out NLU, measured in this run through the live server (`{n.get('file')}`, {n['examples']} "
            f"utterances, scored by bot/tasks/evaluate_nlu.py): intent accuracy {n['intent_accuracy']:.3f}, "
            f"entity micro F1 {n['entity_micro_f1']:.3f}, negation accuracy {n['negation_accuracy']:.3f}, "
            f"condition recall {n['condition_recall']:.3f}.",
        ]
    return lines or ["Not measured in this run."]


def big_messages(meta: Mapping[str, Any]) -> List[str]:
    found = meta.get("big_messages")
    if not found:
        failed = meta.get("extras_error")
        return [f"Not measured in this run ({failed})." if failed else "Not measured in this run."]
    lines = [
        'A 100 KB and a 1 MB message over REST; meanwhile another visitor says "hi" (up to five times, one '
        "after the other, while the big message is pending). `bench/hostile.py`.",
        "",
        "| message | bot | answer (status, ms) | the other visitor meanwhile (ms) |",
        "| --- | --- | --- | --- |",
    ]
    for bot, sizes in found.items():
        for label, r in sizes.items():
            others = ", ".join(f"{ms:,}" for ms in r["other_visitor_ms"])
            lines.append(f"| {label} | {bot} | {r['status']}, {r['answer_ms']:,} | {others} |")
    return lines


def console_section(meta: Mapping[str, Any]) -> List[str]:
    found = meta.get("console")
    if not found:
        return ["Not measured (`--skip-console`, and no earlier run to carry over)."]
    lines: List[str] = []
    if meta.get("console_date") and meta["console_date"] != meta.get("date"):
        lines += [f"Carried over from the run of {meta['console_date']} (this run skipped the console).", ""]
    dbs = [db for db in found if "error" not in found[db]]
    if dbs:
        lines += [
            "| page (ms: median of 5 after one warm-up request; the export once, cold) | "
            + " | ".join(dbs)
            + " |",
            "| --- |" + " --- |" * len(dbs),
        ]
        for key in [k for k in found[dbs[0]] if k != "explain"]:
            cells = []
            for db in dbs:
                value = found[db].get(key)
                cells.append(f"{value:.0f}" if isinstance(value, (int, float)) else str(value))
            lines.append(f"| {key} | " + " | ".join(cells) + " |")
    plans = found.get("postgresql", {}).get("explain")
    if plans:
        lines += ["", "### Query plans on PostgreSQL (EXPLAIN ANALYZE)", ""]
        for name, plan in plans.items():
            lines += [f"{name}:", "", "```", plan, "```", ""]
    for db in found:
        if "error" in found[db]:
            lines.append(f"\n{db}: not measured ({found[db]['error']})")
    return lines


def document(messages: List[Dict[str, str]], rounds: List[Dict[str, str]], meta: Dict[str, Any]) -> str:
    figures = stats.per_round(messages, rounds)
    per_level = {
        level: len({rnd for (ph, lv, rnd, _) in figures if (ph, lv) == ("load", level)})
        for level in stats.levels(figures, "load")
    }
    conversations = meta.get("conversations_per_visitor", {})
    long_length = max((int(m["turn"]) + 1 for m in messages if m["phase"] == "long"), default=0)
    lines = [
        "# Benchmarks",
        "",
        f"Made by `make bench` on {meta['date']} ({meta['machine']}) in {meta['total_s'] / 60:.0f} minutes. "
        "Three bots ran in the same run on the same machine: **ours**; **stock**, a stock `rasa init` bot; "
        "and **reference**, our bot with stock settings (Rasa's own SQL tracker store, TensorFlow's default "
        "threads, without our patch of Rasa, and a separate action server). Stock keeps its trackers in "
        "memory and runs no custom actions, so *ours ÷ stock* compares unlike work; *reference ÷ stock* is "
        "what our design costs, *ours ÷ reference* what our tuning saves. Ours runs its custom actions "
        "inside the Rasa process (bot/in_process_actions.py), so it has no action server.",
        "",
        "Every level starts with a warm-up round per bot (up to 10 visitors, one conversation each), "
        "left out. Then "
        + ", ".join(
            f"{n} rounds at {level} visitor{'s' if level > 1 else ''}" for level, n in per_level.items()
        )
        + ", each round running every bot once, back to back, the order turning from round to round "
        "(bench/run.py), so drift on a shared machine reaches both sides of a ratio alike. Each cell is "
        "the **median over rounds (lowest–highest)**; a ratio is taken within each round, then "
        "summarised the same way. Latencies are over the answered messages; every reply is checked "
        '(bench/checks.py): an HTTP error, no answer, an empty reply, the "Sorry, I\'m having trouble" '
        "apology, a fallback to a training sentence, or a conversation whose last turn does not bring "
        "the screening's result (the moodbot's goodbye) is an error. CPU is the user + system time of "
        "all the bot's processes (Rasa, and the action server for reference) over the round, "
        "from /proc, per message sent. The visitors are simulated by one asyncio client on the same "
        "machine, alike for every bot; the web app is not started (not in a message's path). "
        "Whole conversations per visitor per round: "
        + ", ".join(
            f"{conversations.get(str(level), conversations.get(level, 1))} at {level}" for level in per_level
        )
        + ".",
        "",
        "Raw results: `results/bench/` (one row per message and per round; `python -m bench.report` "
        "recomputes this page and the README summary from them). Where the time goes: "
        "docs/performance.md.",
        "",
        "## Targets (ratios to stock in the same run)",
        "",
        *target_table(targets(figures, messages, meta)),
        "",
        "## How each bot ran",
        "",
        *settings_table(meta),
        "",
        "## Latency, throughput and CPU",
        "",
        *latency_table(figures, messages),
        "",
        f"## One visitor, {long_length or 'many'} messages in one conversation",
        "",
        "Latency by slice of 50 messages (ours: a screening, then questions from the FAQ; stock: the moodbot "
        "conversation over and over); median over rounds (lowest–highest). Errors: "
        + ", ".join(f"{b} {_errors(messages, b, 1, 'long')}" for b in _bots(figures) if b)
        + ".",
        "",
        *long_table(messages),
        "",
        "## Cold start and memory",
        "",
        *memory_rows(figures, rounds, meta),
        "",
        "## Accuracy",
        "",
        *accuracy(meta),
        "",
        "## One huge message",
        "",
        *big_messages(meta),
        "",
        "## The console at scale",
        "",
        *console_section(meta),
    ]
    return "\n".join(lines).rstrip() + "\n"


def summary(messages: List[Dict[str, str]], rounds: List[Dict[str, str]], meta: Dict[str, Any]) -> str:
    """The README's short version: the main table, the targets, and where the rest is."""
    figures = stats.per_round(messages, rounds)
    found = targets(figures, messages, meta)
    lines = [
        f"`make bench` (about {meta['total_s'] / 60:.0f} minutes) runs everything in "
        "[docs/benchmarks.md](docs/benchmarks.md): ours against a stock `rasa init` bot (in-memory trackers, "
        "no custom actions; ours runs its actions inside the Rasa process) in interleaved rounds, with the "
        "same process settings. "
        f"{meta['date']}, {meta['machine']}; medians over rounds, ratio ours ÷ stock (lowest–highest round):",
        "",
        "| visitors | p50 ms ours / stock | messages/s ours / stock | CPU s/message ours / stock "
        "| errors ours, stock |",
        "| --- | --- | --- | --- | --- |",
    ]
    for level in stats.levels(figures, "load"):

        def pair(metric: str, digits: int, level: int = level) -> str:
            ours = stats.summary(figures, "load", level, "ours", metric)
            stock = stats.summary(figures, "load", level, "stock", metric)
            ratio = stats.ratio(figures, "load", level, "ours", "stock", metric)
            medians = f"{ours.median:,.{digits}f} / {stock.median:,.{digits}f}"
            return f"{medians}: {_ratio(ratio)}" if ours.n and stock.n else "n/a"

        errors = ", ".join(_errors(messages, b, level).split(" (")[0] for b in ("ours", "stock"))
        cells = [pair("p50_ms", 0), pair("msgs_per_s", 1), pair("cpu_s_per_msg", 3), errors]
        lines.append(f"| {level} | " + " | ".join(cells) + " |")
    met = [t for t in found if t.verdict.startswith("met")]
    lines += [
        "",
        f"Targets met: {len(met)} of {len(found)}. "
        + "; ".join(f"{t.name}: {t.shown or _ratio(t.measured)}, {t.verdict}" for t in found)
        + ".",
    ]
    extra = []
    top = max(stats.levels(figures, "load"), default=None)
    if top and any(b == "reference" for (_, _, _, b) in figures):
        costs = [stats.ratio(figures, "load", top, b, o, "cpu_s_per_msg") for b, o, _ in RATIOS[1:]]
        extra.append(
            f"CPU per message at {top} visitors, our design with stock settings ÷ stock {_ratio(costs[0])} "
            f"(what the design costs), ours ÷ that {_ratio(costs[1])} (what the tuning saves)"
        )
    if meta.get("outcomes"):
        extra.append(
            f"screening outcomes through the live server "
            f"{meta['outcomes']['right']}/{meta['outcomes']['total']} right"
        )
    if meta.get("nlu_heldout"):
        extra.append(
            f"held-out intent accuracy {meta['nlu_heldout']['intent_accuracy']:.3f} (measured in the run)"
        )
    big = meta.get("big_messages", {})
    if "ours" in big and "stock" in big:
        worst = {b: max(r["answer_ms"] for r in big[b].values()) for b in ("ours", "stock")}
        dropped = any(not isinstance(r["status"], int) for r in big["stock"].values())
        extra.append(
            f"a 100 KB or 1 MB message answered (ours: refused) within {worst['ours']:,} ms, by stock "
            + (
                f"with a dropped connection after up to {worst['stock']:,} ms"
                if dropped
                else f"within {worst['stock']:,} ms"
            )
        )
    pages = [
        value
        for db in (meta.get("console") or {}).values()
        for key, value in db.items()
        if key.startswith("list:") and isinstance(value, (int, float))
    ]
    if pages:
        count = max(db.get("conversations", 0) for db in meta["console"].values() if "error" not in db)
        extra.append(
            f"the console's list pages take {min(pages):.0f}–{max(pages):.0f} ms at {count:,} conversations"
        )
    if extra:
        lines += [
            "",
            "Also: " + "; ".join(extra) + ". The rest (each bot's settings, the 300-message conversation, "
            "cold start, memory, the console): docs/benchmarks.md.",
        ]
    return "\n".join(lines).rstrip()


def replace_between_markers(text: str, body: str) -> str:
    """The README with the text between the markers replaced; the markers must be there, once each."""
    if text.count(START) != 1 or text.count(END) != 1 or text.index(START) > text.index(END):
        raise ValueError(f"README.md must hold {START!r} and then {END!r}, once each")
    head, rest = text.split(START)
    _, tail = rest.split(END)
    return f"{head}{START}\n{body}\n{END}{tail}"


def write_all(directory: Path = results.RESULTS_DIR, doc: Path = DOC, readme: Path = README) -> List[Path]:
    messages, rounds, meta = results.read(directory)
    doc.write_text(document(messages, rounds, meta))
    readme.write_text(replace_between_markers(readme.read_text(), summary(messages, rounds, meta)))
    return [doc, readme]


def main(argv: List[str]) -> int:
    for path in write_all(Path(argv[0]) if argv else results.RESULTS_DIR):
        print(f"written {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
