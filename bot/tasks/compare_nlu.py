"""Compare NLU pipelines on the held-out file: train each config on data/nlu, evaluate, tabulate.

usage: python -m bot.tasks.compare_nlu configs/a.yml configs/b.yml ...   (writes docs/nlu-comparison.md)
Trains one model at a time (two cores), and records training time next to the scores.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path
from typing import List

from bot import PROJECT_ROOT
from bot.tasks.evaluate_nlu import HELDOUT, evaluate

OUT = PROJECT_ROOT / "docs" / "nlu-comparison.md"


def train_nlu(config: Path, out_dir: Path) -> Path:
    name = f"nlu-{config.stem}"
    subprocess.run(
        [
            str(Path(sys.executable).parent / "rasa"),
            "train",
            "nlu",
            "--config",
            str(config),
            "--nlu",
            "data/nlu",
            "--out",
            str(out_dir),
            "--fixed-model-name",
            name,
        ],
        cwd=PROJECT_ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return out_dir / f"{name}.tar.gz"


def main(configs: List[str]) -> int:
    rows = []
    for config in map(Path, configs):
        started = time.monotonic()
        model = train_nlu(config, PROJECT_ROOT / "models" / "compare")
        seconds = time.monotonic() - started
        s = asyncio.run(evaluate(model, HELDOUT)).summary()
        rows.append((config.name, s, seconds))
        print(
            f"{config.name}: intent {s['intent_accuracy']:.3f}, entity F1 {s['entity_micro_f1']:.3f}, "
            f"negation {s['negation_accuracy']:.3f}, condition recall {s['condition_recall']:.3f}, "
            f"trained in {seconds:.0f} s",
            flush=True,
        )
    lines = [
        "# NLU pipelines compared on the held-out file",
        "",
        f"`{HELDOUT.relative_to(PROJECT_ROOT)}`, never trained on. Made by `make compare-nlu`.",
        "",
        "| config | intent accuracy | entity micro F1 | negation accuracy | denied returned positive "
        "| condition recall | training time (s) |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, s, seconds in rows:
        lines.append(
            f"| {name} | {s['intent_accuracy']:.3f} | {s['entity_micro_f1']:.3f} | "
            f"{s['negation_accuracy']:.3f} | {s['denied_returned_positive']} | "
            f"{s['condition_recall']:.3f} | {seconds:.0f} |"
        )
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n")
    print(f"written {OUT.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
