"""A small asyncio load generator: N concurrent visitors, each holding whole conversations over REST,
every reply checked (bench/checks.py) and every message kept as a row.

Used by bench/run.py; runnable alone:
  python -m bench.load --url http://127.0.0.1:5005 --visitors 10 --conversations 2 --script screening
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
import uuid
from typing import Any, Dict, List, Sequence, Tuple

import aiohttp

from bench.checks import SCRIPTS, Turn, classify
from bench.stats import round_figures


async def _send(session: aiohttp.ClientSession, url: str, sender: str, text: str, timeout: float):
    try:
        async with session.post(
            f"{url}/webhooks/rest/webhook",
            json={"sender": sender, "message": text},
            timeout=aiohttp.ClientTimeout(total=timeout),
        ) as response:
            try:
                return response.status, await response.json(content_type=None)
            except (json.JSONDecodeError, aiohttp.ContentTypeError):
                return response.status, None
    except (aiohttp.ClientError, asyncio.TimeoutError):
        return None, None


async def _visitor(
    session: aiohttp.ClientSession,
    url: str,
    number: int,
    turns: Sequence[Turn],
    conversations: int,
    rows: List[Dict[str, Any]],
    timeout: float,
) -> None:
    for conversation in range(conversations):
        sender = f"bench-{uuid.uuid4().hex}"
        for index, turn in enumerate(turns):
            started = time.perf_counter()
            status, body = await _send(session, url, sender, turn.text, timeout)
            rows.append(
                {
                    "visitor": number,
                    "conversation": conversation,
                    "turn": index,
                    "latency_ms": round((time.perf_counter() - started) * 1000, 2),
                    "error": classify(status, body, turn.expect),
                }
            )


async def run_round(
    url: str, visitors: int, conversations: int, turns: Sequence[Turn], timeout: float = 60.0
) -> Tuple[List[Dict[str, Any]], float]:
    """Every visitor holds `conversations` conversations one after the other; (rows, wall seconds)."""
    rows: List[Dict[str, Any]] = []
    connector = aiohttp.TCPConnector(limit=visitors + 5)
    async with aiohttp.ClientSession(connector=connector) as session:
        started = time.perf_counter()
        await asyncio.gather(
            *(_visitor(session, url, n, turns, conversations, rows, timeout) for n in range(visitors))
        )
        return rows, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--visitors", type=int, default=1)
    parser.add_argument("--conversations", "--rounds", type=int, default=1)  # --rounds: its old name
    parser.add_argument("--script", choices=sorted(SCRIPTS), default="screening")
    args = parser.parse_args()
    rows, wall = asyncio.run(run_round(args.url, args.visitors, args.conversations, SCRIPTS[args.script]))
    answered = [r["latency_ms"] for r in rows if not r["error"]]
    figures = round_figures(answered, len(rows) - len(answered), len(rows), wall, 0.0)
    figures.pop("cpu_s_per_msg")
    print(json.dumps({**figures, "error_kinds": sorted({r["error"] for r in rows if r["error"]})}, indent=1))


if __name__ == "__main__":
    main()
