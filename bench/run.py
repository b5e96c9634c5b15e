"""All the benchmarks in one command (`make bench`): our bot against a stock `rasa init` bot and against
our design with stock settings (bench/bots.py), in interleaved rounds, then cold start, memory, accuracy
through the live server, one huge message, and the console at scale.

usage: python -m bench.run [--levels 1 10 50] [--rounds N] [--cold-starts 3] [--long 300]
                           [--skip-reference] [--skip-extras] [--skip-console] [--model PATH]
                           [--results DIR] [--no-docs]
Writes the raw results to results/bench/ (bench/results.py), then docs/benchmarks.md and the README's
summary from them (bench/report.py). Each level starts with a warm-up round per bot, left out of the
figures; then every round runs each bot once, back to back, the order turning from round to round, so
drift on a shared machine reaches both sides of a ratio alike.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sys
import time
import uuid
from pathlib import Path
from typing import Any, Dict, List, Sequence

from bench import procstat, results
from bench.bots import STOCK_DIR, Bot, bots, shown
from bench.checks import Turn, long_conversation
from bench.load import run_round
from bot import PROJECT_ROOT

ROUNDS = {1: 5, 10: 5, 50: 3}  # measured rounds per level, after one warm-up round
CONVERSATIONS = {1: 5, 10: 2, 50: 1}  # whole conversations per visitor per round


def rotated(items: Sequence[Bot], turn: int) -> List[Bot]:
    """The bots in the order of one round: ours first in round 0, then each in turn."""
    shift = turn % len(items)
    return list(items[shift:]) + list(items[:shift])


class Recorder:
    """Runs one round of one bot and keeps its message rows and its round row."""

    def __init__(self, everyone: Sequence[Bot]) -> None:
        self.everyone = everyone
        self.messages: List[Dict[str, Any]] = []
        self.rounds: List[Dict[str, Any]] = []

    def run(
        self,
        bot: Bot,
        phase: str,
        level: int,
        number: int,
        position: int,
        turns: Sequence[Turn],
        per: int,
        visitors: int | None = None,
    ) -> Dict[str, Any]:
        # Work left from the previous round (a tracker still being saved) must not land in this one.
        procstat.wait_until_idle([pid for b in self.everyone for pid in b.pids.values()])
        pids = bot.pids
        before = {name: procstat.cpu_seconds(pid) for name, pid in pids.items()}
        with procstat.PeakMemory(pids) as memory:
            rows, wall = asyncio.run(run_round(bot.base, visitors or level, per, turns))
        cpu = {name: procstat.cpu_seconds(pid) - before[name] for name, pid in pids.items()}
        tags = {"phase": phase, "level": level, "round": number, "bot": bot.name}
        self.messages += [{**tags, **row} for row in rows]
        row = {
            **tags,
            "position": position,
            "messages": len(rows),
            "wall_s": round(wall, 3),
            "cpu_s": round(sum(cpu.values()), 2),
            "cpu_rasa_s": round(cpu.get("rasa", 0.0), 2),
            "cpu_actions_s": round(cpu.get("actions", 0.0), 2),
            "peak_rss_rasa_mb": round(memory.peak.get("rasa", 0.0)),
            "peak_rss_actions_mb": round(memory.peak.get("actions", 0.0)),
        }
        self.rounds.append(row)
        errors = [r["error"] for r in rows if r["error"]]
        print(
            f"  {phase} {level:>2} visitors, round {number}, {bot.name:<9}: {len(rows)} messages in "
            f"{wall:.1f} s, CPU {row['cpu_s']:.1f} s, errors {len(errors)} {sorted(set(errors)) or ''}",
            flush=True,
        )
        return row


def cold_starts(everyone: Sequence[Bot], times: int) -> Dict[str, List[float]]:
    """Start each bot `times` times, interleaved; the last start of each is left running."""
    seconds: Dict[str, List[float]] = {bot.name: [] for bot in everyone}
    for turn in range(times):
        for bot in rotated(everyone, turn):
            seconds[bot.name].append(round(bot.start(), 2))
            print(f"  cold start {turn}, {bot.name}: {seconds[bot.name][-1]:.1f} s", flush=True)
            if turn < times - 1:
                bot.stop()
    return seconds


def load_rounds(recorder: Recorder, everyone: Sequence[Bot], levels: List[int], rounds: int | None) -> None:
    for level in levels:
        conversations = CONVERSATIONS.get(level, 1)
        for number in range(-1, rounds or ROUNDS.get(level, 3)):
            for position, bot in enumerate(rotated(everyone, number)):
                if number < 0:  # warm-up: caches filled, code paths run once; up to 10 visitors is enough
                    recorder.run(bot, "warmup", level, number, position, bot.turns, 1, min(level, 10))
                else:
                    recorder.run(bot, "load", level, number, position, bot.turns, conversations)


def long_rounds(recorder: Recorder, everyone: Sequence[Bot], length: int, rounds: int) -> None:
    """One visitor, one conversation of `length` messages, per bot per round."""
    for number in range(rounds):
        for position, bot in enumerate(rotated(everyone, number)):
            recorder.run(bot, "long", 1, number, position, long_conversation(bot.script, length), 1)


def extras(everyone: Sequence[Bot], meta: Dict[str, Any]) -> None:
    """Accuracy through our live server, and one huge message to ours and to stock."""
    from bench.heldout import measure
    from bench.hostile import big_messages
    from bench.outcomes import check_outcomes

    ours = next(b for b in everyone if b.name == "ours")
    outcomes = check_outcomes(ours.base, ours.token)
    meta["outcomes"] = {
        "total": len(outcomes),
        "right": sum(1 for s, got in outcomes if got == s.expected),
        "wrong": [(s.name, s.expected, got) for s, got in outcomes if got != s.expected],
    }
    print(f"  outcomes right: {meta['outcomes']['right']} / {meta['outcomes']['total']}", flush=True)
    meta["nlu_heldout"] = measure(ours.base, ours.token)
    meta["nlu_heldout"].pop("per_entity", None)
    print(f"  held-out intent accuracy {meta['nlu_heldout']['intent_accuracy']:.3f}", flush=True)
    meta["big_messages"] = {b.name: big_messages(b.base) for b in everyone if b.name in ("ours", "stock")}


def console(meta: Dict[str, Any], conversations: int, previous: Dict[str, Any] | None) -> None:
    if conversations <= 0:
        if previous and "console" in previous:  # not measured this time: say from which run it comes
            meta["console"] = previous["console"]
            meta["console_date"] = previous.get("console_date") or previous.get("date")
        return
    from bench.console_scale import fresh_pg_database, time_console

    db = PROJECT_ROOT / "var" / "bench" / f"console-{uuid.uuid4().hex[:6]}.db"
    meta["console"] = {"sqlite": time_console(f"sqlite:///{db}", conversations, "sqlite")}
    meta["console_date"] = meta["date"]
    pg = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    try:
        with fresh_pg_database(pg) as url:
            meta["console"]["postgresql"] = time_console(url, conversations, "postgresql")
    except Exception as error:  # noqa: BLE001  PostgreSQL is optional for the benchmark: say why it is missing
        meta["console"]["postgresql"] = {"error": str(error)}


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run")
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--rounds", type=int, default=None, help="measured rounds at every level")
    parser.add_argument("--cold-starts", type=int, default=3)
    parser.add_argument("--long", type=int, default=300, help="messages in the long conversation (0: none)")
    parser.add_argument("--long-rounds", type=int, default=3)
    parser.add_argument("--skip-reference", action="store_true")
    parser.add_argument("--skip-extras", action="store_true", help="no outcomes, held-out NLU, huge message")
    parser.add_argument("--console-conversations", type=int, default=100_000)
    parser.add_argument("--skip-console", action="store_true")
    parser.add_argument("--model", type=Path, default=None, help="our trained model (default: make train's)")
    parser.add_argument("--results", type=Path, default=results.RESULTS_DIR)
    parser.add_argument("--no-docs", action="store_true", help="raw results only (trial runs)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    previous = None
    if (args.results / "meta.json").exists():
        previous = json.loads((args.results / "meta.json").read_text())
    meta: Dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d"),
        "command": "python -m bench.run " + " ".join(argv),
        "conversations_per_visitor": CONVERSATIONS,
    }
    if args.model is None:
        from bot.tasks.train import train

        args.model = train()
    everyone = bots(args.model, with_reference=not args.skip_reference)
    meta["bots"] = {b.name: {"script": b.script, "settings": shown(b.settings)} for b in everyone}
    training = STOCK_DIR / "training_seconds"
    meta["stock_training_s"] = float(training.read_text()) if training.exists() else None
    recorder = Recorder(everyone)
    try:
        print("cold starts:", flush=True)
        meta["cold_start_s"] = cold_starts(everyone, max(1, args.cold_starts))
        time.sleep(2)
        meta["idle_rss_mb"] = {
            b.name: {name: round(procstat.rss_mb(pid)) for name, pid in b.pids.items()} for b in everyone
        }
        print("rounds:", flush=True)
        load_rounds(recorder, everyone, args.levels, args.rounds)
        if args.long:
            long_rounds(recorder, everyone, args.long, args.long_rounds)
        if not args.skip_extras:
            try:
                extras(everyone, meta)
            except Exception as error:  # noqa: BLE001  the rounds are kept; the report says what failed
                meta["extras_error"] = f"{type(error).__name__}: {error}"
    finally:
        for bot in everyone:
            bot.stop()
    # Written now and again at the end: an hour of rounds is not lost if the console part fails.
    meta["total_s"] = round(time.monotonic() - started)
    results.write(recorder.messages, recorder.rounds, meta, args.results)
    try:
        console(meta, 0 if args.skip_console else args.console_conversations, previous)
    except Exception as error:  # noqa: BLE001  the report says what failed instead of losing the run
        meta["console"] = {"sqlite": {"error": f"{type(error).__name__}: {error}"}}
        meta["console_date"] = meta["date"]
    meta["total_s"] = round(time.monotonic() - started)
    results.write(recorder.messages, recorder.rounds, meta, args.results)
    print(f"raw results in {args.results}", flush=True)
    if not args.no_docs:
        from bench.report import write_all

        for path in write_all(args.results):
            print(f"written {path.relative_to(PROJECT_ROOT)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
