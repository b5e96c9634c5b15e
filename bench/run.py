"""All the benchmarks in one command (`make bench`): speed and load against a stock `rasa init` bot in the
same run, cold start, memory, accuracy through the live server, and the console at scale.

usage: python -m bench.run [--levels 1 10 50] [--console-conversations 100000] [--skip-console]
Writes docs/benchmarks.md and results/bench.json. Absolute times drift on shared machines: read the
ratios against the stock bot measured in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from typing import Dict, List

from bench.hostile import big_messages
from bench.load import run_load
from bench.outcomes import check_outcomes
from bot import PROJECT_ROOT
from bot.tasks.services import BIN, Services, free_port, wait_for
from bot.tasks.train import train

STOCK_DIR = PROJECT_ROOT / "var" / "bench" / "stock"
OUT = PROJECT_ROOT / "docs" / "benchmarks.md"
RESULTS = PROJECT_ROOT / "results" / "bench.json"
ROUNDS = {1: 5, 10: 2, 50: 1}


def rss_mb(pid: int) -> float:
    """Resident memory of a process and all its children, in MB."""
    total = 0
    pids = [pid]
    while pids:
        current = pids.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                total += next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))
            with open(f"/proc/{current}/task/{current}/children") as children:
                pids += [int(c) for c in children.read().split()]
        except (FileNotFoundError, StopIteration, ProcessLookupError):
            continue
    return total / 1024


class PeakMemory:
    """Samples RSS of some processes in a thread while a load runs."""

    def __init__(self, pids: Dict[str, int]) -> None:
        self.pids, self.peak = pids, {name: 0.0 for name in pids}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            for name, pid in self.pids.items():
                self.peak[name] = max(self.peak[name], rss_mb(pid))
            time.sleep(0.5)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def stock_model() -> Path:
    """A stock `rasa init` bot (moodbot, TEDPolicy and all), trained once and kept under var/bench/."""
    models = sorted((STOCK_DIR / "models").glob("*.tar.gz")) if STOCK_DIR.exists() else []
    if not models:
        STOCK_DIR.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        subprocess.run(
            [str(BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(STOCK_DIR)],
            cwd=STOCK_DIR,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        (STOCK_DIR / "training_seconds").write_text(f"{time.monotonic() - started:.0f}")
        models = sorted((STOCK_DIR / "models").glob("*.tar.gz"))
    return models[-1]


class StockBot:
    """`rasa run` of the stock bot: in-memory tracker store, no action server (moodbot needs none)."""

    def __init__(self, model: Path, port: int) -> None:
        self.model, self.port = model, port
        self.process: subprocess.Popen | None = None

    def start(self) -> float:
        log = open(PROJECT_ROOT / "var" / "log" / "bench-stock.log", "ab")
        started = time.monotonic()
        self.process = subprocess.Popen(
            [
                str(BIN / "rasa"),
                "run",
                "--model",
                str(self.model),
                "--port",
                str(self.port),
                "--interface",
                "127.0.0.1",
            ],
            cwd=STOCK_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, "SQLALCHEMY_SILENCE_UBER_WARNING": "1"},
        )
        wait_for(f"http://127.0.0.1:{self.port}/", 300, self.process, "stock bot", None)
        first_answer(f"http://127.0.0.1:{self.port}")
        return time.monotonic() - started

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, 15)
            self.process.wait(timeout=30)


def first_answer(base: str) -> None:
    body = json.dumps({"sender": f"warmup-{uuid.uuid4().hex}", "message": "hi"}).encode()
    request = urllib.request.Request(
        f"{base}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
    )
    urllib.request.urlopen(request, timeout=120).read()


def load_levels(base: str, script: str, levels: List[int], pids: Dict[str, int]) -> Dict[int, dict]:
    results = {}
    for level in levels:
        with PeakMemory(pids) as memory:
            summary = asyncio.run(run_load(base, level, ROUNDS.get(level, 1), script)).summary()
        summary["peak_rss_mb"] = dict(memory.peak)
        results[level] = summary
        print(
            f"  {script} x{level}: p50 {summary['p50_ms']:.0f} ms, p95 {summary['p95_ms']:.0f} ms, "
            f"{summary['msgs_per_s']:.1f} msg/s, errors {summary['errors']}",
            flush=True,
        )
    return results


# ---- the console at scale
def console_timings(database_url: str, conversations: int, label: str) -> Dict[str, float]:
    from bench.console_scale import time_console

    return time_console(database_url, conversations, label)


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run")
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--console-conversations", type=int, default=100_000)
    parser.add_argument("--skip-console", action="store_true")
    args = parser.parse_args(argv)
    report: Dict[str, object] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d"),
    }

    started = time.monotonic()
    model = train()
    report["our_training_note"] = "see `make train` output; cached models are reused"
    stock = stock_model()
    report["stock_training_s"] = (
        float((STOCK_DIR / "training_seconds").read_text())
        if (STOCK_DIR / "training_seconds").exists()
        else None
    )

    # Ours
    db = PROJECT_ROOT / "var" / "bench" / f"ours-{uuid.uuid4().hex[:6]}.db"
    ours = Services(
        model=model,
        token=uuid.uuid4().hex,
        rasa_port=free_port(),
        action_port=free_port(),
        web_port=free_port(),
        log_dir=PROJECT_ROOT / "var" / "log" / "bench",
        # The benchmark's simulated visitors all come from one address, far faster than people type.
        extra_env={
            "DATABASE_URL": f"sqlite:///{db}",
            "RATE_LIMIT_SESSION": "off",
            "RATE_LIMIT_ADDRESS": "off",
        },
    )
    t0 = time.monotonic()
    ours.start()
    base = f"http://127.0.0.1:{ours.rasa_port}"
    first_answer(base)
    report["our_cold_start_s"] = time.monotonic() - t0
    pids = {name: child.popen.pid for name, child in ours.children.items()}
    time.sleep(2)
    report["our_idle_rss_mb"] = {name: rss_mb(pid) for name, pid in pids.items()}
    try:
        print("our bot:", flush=True)
        report["ours"] = load_levels(base, "screening", args.levels, pids)
        outcomes = check_outcomes(base, ours.token)
        report["outcomes"] = {
            "total": len(outcomes),
            "right": sum(1 for s, got in outcomes if got == s.expected),
            "wrong": [(s.name, s.expected, got) for s, got in outcomes if got != s.expected],
        }
        print(f"  outcomes right: {report['outcomes']['right']} / {report['outcomes']['total']}", flush=True)
        report["big_messages_ours"] = big_messages(base)
    finally:
        ours.stop()

    # Stock
    stock_bot = StockBot(stock, free_port())
    report["stock_cold_start_s"] = stock_bot.start()
    time.sleep(2)
    report["stock_idle_rss_mb"] = rss_mb(stock_bot.process.pid)
    try:
        print("stock bot:", flush=True)
        report["stock"] = load_levels(
            f"http://127.0.0.1:{stock_bot.port}", "moodbot", args.levels, {"rasa": stock_bot.process.pid}
        )
        report["big_messages_stock"] = big_messages(f"http://127.0.0.1:{stock_bot.port}")
    finally:
        stock_bot.stop()

    heldout = PROJECT_ROOT / "results" / "nlu-heldout.json"
    if heldout.exists():
        report["nlu_heldout"] = json.loads(heldout.read_text())

    if not args.skip_console:
        report["console"] = {
            "sqlite": console_timings(
                f"sqlite:///{PROJECT_ROOT / 'var' / 'bench' / f'console-{uuid.uuid4().hex[:6]}.db'}",
                args.console_conversations,
                "sqlite",
            )
        }
        pg = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
        try:
            from bench.console_scale import fresh_pg_database

            with fresh_pg_database(pg) as url:
                report["console"]["postgresql"] = console_timings(
                    url, args.console_conversations, "postgresql"
                )
        except Exception as error:  # noqa: BLE001  PostgreSQL is optional for the benchmark: say why it is missing
            report["console"]["postgresql"] = {"error": str(error)}
    report["total_s"] = time.monotonic() - started
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=1, default=str))
    from bench.report import write_report

    write_report(report, OUT)
    print(f"written {OUT.relative_to(PROJECT_ROOT)} and {RESULTS.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
