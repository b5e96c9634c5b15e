"""Train a Rasa model only when none matches the current training data and config.

usage: python -m bot.tasks.train [--force]    prints the model path
The fingerprint covers what Rasa trains on (config, domain, NLU, rules, stories) and the code of our
own NLU components (bot/nlu/*.py: the intent classifier is trained by one of them). The spaCy term
lists are not in it: the entity layer is rule-based and reloaded at start-up, so changing a term
needs no retraining.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from pathlib import Path
from typing import List

from bot import PROJECT_ROOT

CONFIG, DOMAIN, DATA = "config.yml", "domain.yml", ["data/nlu", "data/rules", "data/stories"]
TRAINING_INPUTS = [CONFIG, DOMAIN, *DATA]  # what `rasa train` reads: the fingerprint covers these
COMPONENT_CODE = "bot/nlu"
MODELS_DIR = PROJECT_ROOT / "models"


def training_files() -> List[Path]:
    files: List[Path] = []
    for item in TRAINING_INPUTS:
        path = PROJECT_ROOT / item
        files += sorted(path.rglob("*.yml")) if path.is_dir() else [path]
    return files + sorted((PROJECT_ROOT / COMPONENT_CODE).glob("*.py"))


def fingerprint() -> str:
    digest = hashlib.sha256()
    for path in training_files():
        digest.update(str(path.relative_to(PROJECT_ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def model_path() -> Path:
    return MODELS_DIR / f"screening-{fingerprint()}.tar.gz"


def train(force: bool = False) -> Path:
    target = model_path()
    if target.exists() and not force:
        print(f"model up to date: {target.relative_to(PROJECT_ROOT)}", file=sys.stderr)
        return target
    MODELS_DIR.mkdir(exist_ok=True)
    started = time.monotonic()
    command = [
        str(Path(sys.executable).parent / "rasa"),
        "train",
        "--config",
        CONFIG,
        "--domain",
        DOMAIN,
        "--data",
        *DATA,
        "--out",
        str(MODELS_DIR),
        "--fixed-model-name",
        target.name[: -len(".tar.gz")],
    ]
    subprocess.run(command, cwd=PROJECT_ROOT, check=True)
    print(
        f"trained {target.relative_to(PROJECT_ROOT)} in {time.monotonic() - started:.0f} s", file=sys.stderr
    )
    return target


if __name__ == "__main__":
    print(train(force="--force" in sys.argv))
