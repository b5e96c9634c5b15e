"""The bots the benchmark compares, each started the same way and told apart by what it runs:

- ours: our bot as `make run` starts it (our tracker store, the action server, our patch of Rasa, one
  TensorFlow thread per pool);
- stock: a stock `rasa init` bot (moodbot: in-memory trackers, no action server) with the same process
  settings as ours;
- reference: our bot with stock settings: Rasa's own SQLTrackerStore on SQLite, TensorFlow's default
  threads, and without our patch (bench/reference_server.py). Against stock it shows what our design
  costs; against ours, what our tuning saves.

The web app (and the console's indexer in it) is not started: it is not in a message's path, and its
background indexing would take CPU from whichever bot ran next. The console is measured on its own.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List

from bench.checks import SCRIPTS, Turn
from bot import PROJECT_ROOT
from bot.tasks.env import service_env
from bot.tasks.services import BIN, Process, Services, free_port, wait_for

STOCK_DIR = PROJECT_ROOT / "var" / "bench" / "stock"
WORK_DIR = PROJECT_ROOT / "var" / "bench"
LOG_DIR = PROJECT_ROOT / "var" / "log" / "bench"
# The process settings that change how fast a Rasa server runs; reported for every bot.
SETTINGS = ("TF_INTRA_OP_PARALLELISM_THREADS", "TF_INTER_OP_PARALLELISM_THREADS", "OMP_NUM_THREADS")
# Rasa reads an empty value as unset (rasa/utils/tensorflow/environment.py): TensorFlow's own defaults.
TF_DEFAULTS = {"TF_INTRA_OP_PARALLELISM_THREADS": "", "TF_INTER_OP_PARALLELISM_THREADS": ""}
# The benchmark's simulated visitors all come from one address, far faster than people type.
NO_RATE_LIMITS = {"RATE_LIMIT_SESSION": "off", "RATE_LIMIT_ADDRESS": "off"}


def our_settings() -> Dict[str, str]:
    """The process settings our services run with (bot/tasks/env.py), to give the stock bot the same."""
    env = service_env()
    return {name: env[name] for name in SETTINGS if env.get(name)}


def shown(settings: Dict[str, str]) -> Dict[str, str]:
    return {name: settings.get(name) or "unset (the library's default)" for name in SETTINGS}


def first_answer(base: str, timeout: float = 120) -> None:
    body = json.dumps({"sender": f"warmup-{uuid.uuid4().hex}", "message": "hi"}).encode()
    request = urllib.request.Request(
        f"{base}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        if not json.load(response):
            raise RuntimeError(f"{base} answered its first message with nothing")


@dataclass
class ReferenceServices(Services):
    """Our services with Rasa's own SQL tracker store and an unpatched Rasa server."""

    db_path: Path = WORK_DIR / "reference.db"
    actions_in_process: bool = False  # stock design: a separate action server

    def migrate(self) -> None:
        """Nothing: with stock settings Rasa's own SQL tracker store creates its tables."""

    def endpoints_file(self) -> Path:
        path = self.log_dir / f"endpoints-reference-{self.rasa_port}.yml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f'action_endpoint:\n  url: "http://127.0.0.1:{self.action_port}/webhook"\n\n'
            f'tracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: "{self.db_path}"\n'
        )
        return path

    def _plan(self) -> List[Process]:
        plan = super()._plan()
        for child in plan:
            if child.name == "rasa":
                child.command = [
                    "bench.reference_server" if part == "bot.tasks.rasa_server" else part
                    for part in child.command
                ]
                child.log = self.log_dir / "rasa-reference.log"
            else:
                child.log = self.log_dir / f"{child.name}-reference.log"
        return plan


@dataclass
class Bot:
    """One bot under test: start it (timed to its first answer), its processes, stop it."""

    name: str
    script: str
    settings: Dict[str, str]
    model: Path
    services: Services | None = None
    stock: subprocess.Popen | None = None
    port: int = 0
    token: str = field(default_factory=lambda: uuid.uuid4().hex)

    @property
    def turns(self) -> List[Turn]:
        return list(SCRIPTS[self.script])

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pids(self) -> Dict[str, int]:
        if self.services:
            return {name: child.popen.pid for name, child in self.services.children.items() if child.popen}
        return {"rasa": self.stock.pid} if self.stock else {}

    def start(self) -> float:
        """Seconds from the run command to the first answer."""
        self.port = free_port()
        started = time.monotonic()
        if self.name == "stock":
            self._start_stock()
        else:
            self._start_services()
        first_answer(self.base)
        return time.monotonic() - started

    def _start_services(self) -> None:
        db = WORK_DIR / f"{self.name}-{uuid.uuid4().hex[:6]}.db"
        db.parent.mkdir(parents=True, exist_ok=True)
        kind = ReferenceServices if self.name == "reference" else Services
        extra = {"DATABASE_URL": f"sqlite:///{db}", **NO_RATE_LIMITS, **self.settings}
        options = {"db_path": db} if kind is ReferenceServices else {}
        self.services = kind(
            model=self.model,
            token=self.token,
            rasa_port=self.port,
            action_port=free_port(),
            web_port=None,
            log_dir=LOG_DIR,
            extra_env=extra,
            **options,
        )
        self.services.start()

    def _start_stock(self) -> None:
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        command = [str(BIN / "rasa"), "run", "--model", str(self.model), "--port", str(self.port)]
        with open(LOG_DIR / "rasa-stock.log", "ab") as log:
            self.stock = subprocess.Popen(
                [*command, "--interface", "127.0.0.1"],
                cwd=STOCK_DIR,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                env={**os.environ, "SQLALCHEMY_SILENCE_UBER_WARNING": "1", **self.settings},
            )
        wait_for(f"{self.base}/", 300, self.stock, "stock bot", LOG_DIR / "rasa-stock.log")

    def stop(self) -> None:
        if self.services:
            self.services.stop()
            self.services = None
        if self.stock and self.stock.poll() is None:
            os.killpg(self.stock.pid, 15)
            self.stock.wait(timeout=30)
        self.stock = None


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


def bots(our_model: Path, with_reference: bool = True) -> List[Bot]:
    ours = our_settings()
    found = [
        Bot("ours", "screening", ours, our_model),
        Bot("stock", "moodbot", ours, stock_model()),  # the same process settings as ours
    ]
    if with_reference:
        found.append(Bot("reference", "screening", {**ours, **TF_DEFAULTS}, our_model))
    return found
