"""A small asyncio load generator: N concurrent visitors, each holding whole conversations over REST.

Used by bench/run.py; runnable alone:
  python -m bench.load --url http://127.0.0.1:5005 --visitors 10 --rounds 2 --script screening
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
import uuid
from dataclasses import dataclass, field
from typing import Dict, List, Sequence

import aiohttp

SCRIPTS: Dict[str, Sequence[str]] = {
    # A whole screening with our bot: greeting, consent, five answers, confirmation.
    "screening": [
        "hi",
        "yes",
        "my skin is oily",
        "none of those",
        "no",
        "I don't smoke",
        "a healthy glow",
        "yes",
    ],
    # The stock `rasa init` bot (moodbot), eight messages too.
    "moodbot": ["hi", "I am sad", "yes", "great", "are you a bot?", "hello", "very good", "bye"],
}


@dataclass
class LoadResult:
    visitors: int
    latencies: List[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]

    def summary(self) -> Dict[str, float]:
        return {
            "visitors": self.visitors,
            "messages": len(self.latencies),
            "errors": self.errors,
            "p50_ms": self.percentile(50) * 1000,
            "p95_ms": self.percentile(95) * 1000,
            "p99_ms": self.percentile(99) * 1000,
            "mean_ms": statistics.mean(self.latencies) * 1000 if self.latencies else float("nan"),
            "msgs_per_s": len(self.latencies) / self.seconds if self.seconds else 0.0,
        }


async def visitor(
    session: aiohttp.ClientSession,
    url: str,
    script: Sequence[str],
    rounds: int,
    result: LoadResult,
    timeout: float,
) -> None:
    for _ in range(rounds):
        sender = f"bench-{uuid.uuid4().hex}"
        for text in script:
            started = time.perf_counter()
            try:
                async with session.post(
                    f"{url}/webhooks/rest/webhook",
                    json={"sender": sender, "message": text},
                    timeout=aiohttp.ClientTimeout(total=timeout),
                ) as response:
                    body = await response.json()
                    if response.status != 200 or not isinstance(body, list) or not body:
                        result.errors += 1
                        continue
            except (aiohttp.ClientError, asyncio.TimeoutError, json.JSONDecodeError):
                result.errors += 1
                continue
            result.latencies.append(time.perf_counter() - started)


async def run_load(url: str, visitors: int, rounds: int, script: str, timeout: float = 60.0) -> LoadResult:
    result = LoadResult(visitors=visitors)
    connector = aiohttp.TCPConnector(limit=visitors + 5)
    async with aiohttp.ClientSession(connector=connector) as session:
        started = time.perf_counter()
        await asyncio.gather(
            *(visitor(session, url, SCRIPTS[script], rounds, result, timeout) for _ in range(visitors))
        )
        result.seconds = time.perf_counter() - started
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--visitors", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--script", choices=sorted(SCRIPTS), default="screening")
    args = parser.parse_args()
    print(
        json.dumps(
            asyncio.run(run_load(args.url, args.visitors, args.rounds, args.script)).summary(), indent=1
        )
    )


if __name__ == "__main__":
    main()
