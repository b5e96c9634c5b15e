"""The console with many conversations: fill a database, start the web app on it, time its pages."""

from __future__ import annotations

import contextlib
import os
import re
import statistics
import subprocess
import sys
import time
import uuid
from typing import Dict, Iterator

from bot import PROJECT_ROOT
from bot.tasks.console_client import ConsoleClient as Client
from bot.tasks.services import web_app

PASSWORD = "benchmark passphrase, long enough"
FILTERS = {
    "no filter": "",
    "outcome": "outcome=needs_medical_clearance",
    "red flag": "red_flag=yes",
    "reviewed": "reviewed=no",
    "date range": "from=2026-10-01&to=2026-11-30",
    "intent": "intent=faq/pain",
    "slot value": "slot=conditions%3Danticoagulants",
    "low confidence": "low_confidence=1",
    "fallback": "fallback=1",
    "text search": "q=hurt",
    "tag": "tag=follow-up",
    "last page": "page=1000",
}


@contextlib.contextmanager
def fresh_pg_database(admin_url: str) -> Iterator[str]:
    import psycopg2

    name = f"screening_bench_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(admin_url, connect_timeout=3)
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        cursor = admin.cursor()
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()


# Each page is asked once before it is timed and that answer is left out, as the chat benchmark leaves out
# its warm-up round: the first request of a page reads its index from disk and, right after the web app
# starts, meets the indexer catching up (first answers of 120-930 ms against 15-95 ms after, 2026-11-27).
WARM_UP = 1
RUNS = 5


def timed(client: Client, path: str, runs: int = RUNS, warm_up: int = WARM_UP) -> float:
    """The median time of `runs` answers of `path` in milliseconds, after `warm_up` answers left out."""
    for _ in range(warm_up):
        status, _, _ = client.get(path)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        status, _, _ = client.get(path)
        times.append(time.perf_counter() - started)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
    return statistics.median(times) * 1000


def wait_until_warm(base: str, timeout: float = 300) -> None:
    """Until the web app has loaded its masking and indexed its backlog (/healthz says "warm"): pages
    timed while it starts measure its start, not the page."""
    import json
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"{base}/healthz", timeout=10) as answer:
            if json.loads(answer.read()).get("warm"):
                return
        time.sleep(0.5)
    raise RuntimeError(f"the web app was not warm within {timeout:.0f} s")


def time_console(database_url: str, conversations: int, label: str) -> Dict[str, float]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CONSOLE_ADMIN_PASSWORD": PASSWORD,
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "PYTHONPATH": str(PROJECT_ROOT),
    }
    cli = [sys.executable, "-m", "bot.console.cli"]
    started = time.monotonic()
    synth = subprocess.run(
        cli + ["synth", "--count", str(conversations), "--clinic", "demo"],
        cwd=PROJECT_ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    fill_seconds = time.monotonic() - started
    # The indexer's own time, as the synth command measured it (the target is for indexing alone).
    indexing = re.search(r"indexed in ([\d.]+) s", synth.stdout)
    if indexing is None:
        raise RuntimeError(f"synth did not say how long indexing took: {synth.stdout[-300:]!r}")
    # What the console really lists (the old indexer reached about 5,000 of 100,000).
    import sqlalchemy as sa

    with sa.create_engine(database_url).connect() as connection:
        listed = connection.execute(sa.text("SELECT count(*) FROM console_conversations")).scalar_one()
    subprocess.run(
        cli + ["create-admin", "--email", "bench@demo.example", "--clinic", "demo"],
        cwd=PROJECT_ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    with web_app(env, f"bench-console-{label}.log") as base:
        wait_until_warm(base)
        client = Client(base)
        client.login("bench@demo.example", PASSWORD)
        timings = {f"list: {name}": timed(client, f"/console/?{query}") for name, query in FILTERS.items()}
        _, _, html = client.get("/console/")
        sender = html.split('href="/console/c/', 1)[1].split('"', 1)[0]
        timings["transcript page"] = timed(client, f"/console/c/{sender}")
        timings["dashboard"] = timed(client, "/console/dashboard")
        timings["export CSV, outcome filter"] = timed(
            client, "/console/export.csv?outcome=needs_medical_clearance", 1, warm_up=0
        )
        timings["fill + index (s)"] = fill_seconds
        timings["index (s)"] = float(indexing.group(1))
        timings["conversations"] = conversations
        timings["conversations listed"] = listed
        if database_url.startswith("postgresql"):
            timings["explain"] = explain(database_url, sender)
        return timings


# The queries that run on every message (Rasa's tracker store) and on every console list page.
EXPLAINED = {
    "Rasa: a visitor's events since the last session start (every message)": (
        "SELECT * FROM events WHERE sender_id = :sender AND id >= coalesce((SELECT max(id) FROM events "
        "WHERE sender_id = :sender AND type_name = 'session_started'), 0) ORDER BY id"
    ),
    "console: newest page for one clinic": (
        "SELECT * FROM console_conversations WHERE clinic_id = 'demo' "
        "ORDER BY started_at DESC, sender_id LIMIT 50"
    ),
    "console: outcome filter": (
        "SELECT * FROM console_conversations WHERE clinic_id = 'demo' "
        "AND outcome = 'needs_medical_clearance' ORDER BY started_at DESC, sender_id LIMIT 50"
    ),
    "console: text search": (
        "SELECT * FROM console_conversations WHERE clinic_id = 'demo' AND text LIKE '%hurt%' "
        "ORDER BY started_at DESC, sender_id LIMIT 50"
    ),
}


def explain(database_url: str, sender: str) -> Dict[str, str]:
    import sqlalchemy as sa

    engine = sa.create_engine(database_url)
    plans = {}
    try:
        with engine.connect() as connection:
            for name, query in EXPLAINED.items():
                rows = connection.execute(sa.text("EXPLAIN ANALYZE " + query), {"sender": sender}).scalars()
                plans[name] = "\n".join(rows)
    finally:
        engine.dispose()
    return plans
