"""The benchmark's raw results, kept so a reader can recompute every figure (`python -m bench.report`):

results/bench/messages.csv.gz  one row per message: phase, level, round, bot, visitor, conversation,
                               turn, latency_ms, error ('' = a real answer)
results/bench/rounds.csv       one row per bot per round: wall time, CPU seconds, peak memory
results/bench/meta.json        the machine, settings, cold starts, accuracy and the other sections
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Tuple

from bot import PROJECT_ROOT

RESULTS_DIR = PROJECT_ROOT / "results" / "bench"
MESSAGE_FIELDS = ("phase", "level", "round", "bot", "visitor", "conversation", "turn", "latency_ms", "error")
ROUND_FIELDS = (
    "phase",
    "level",
    "round",
    "bot",
    "position",
    "messages",
    "wall_s",
    "cpu_s",
    "cpu_rasa_s",
    "cpu_actions_s",
    "peak_rss_rasa_mb",
    "peak_rss_actions_mb",
)


def write(
    messages: Iterable[Mapping[str, Any]],
    rounds: Iterable[Mapping[str, Any]],
    meta: Dict[str, Any],
    directory: Path = RESULTS_DIR,
) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same rows give the same bytes, so an unchanged file does not show as changed.
    with (
        open(directory / "messages.csv.gz", "wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz,
    ):
        with io.TextIOWrapper(gz, newline="") as text:
            writer = csv.DictWriter(text, MESSAGE_FIELDS, extrasaction="ignore", lineterminator="\n")
            writer.writeheader()
            writer.writerows(messages)
    with open(directory / "rounds.csv", "w", newline="") as handle:
        writer = csv.DictWriter(handle, ROUND_FIELDS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rounds)
    (directory / "meta.json").write_text(json.dumps(meta, indent=1, default=str) + "\n")


def read(directory: Path = RESULTS_DIR) -> Tuple[List[Dict[str, str]], List[Dict[str, str]], Dict[str, Any]]:
    """(messages, rounds, meta) as written by `write`; CSV values come back as strings."""
    missing = [n for n in ("messages.csv.gz", "rounds.csv", "meta.json") if not (directory / n).exists()]
    if missing:
        raise FileNotFoundError(f"{directory} lacks {', '.join(missing)}: run `make bench` first")
    with gzip.open(directory / "messages.csv.gz", "rt", newline="") as handle:
        messages = list(csv.DictReader(handle))
    with open(directory / "rounds.csv", newline="") as handle:
        rounds = list(csv.DictReader(handle))
    return messages, rounds, json.loads((directory / "meta.json").read_text())
