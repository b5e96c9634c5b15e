"""Start the action server and the Rasa server as child processes, wait until they answer, stop them."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterator, List

from bot import PROJECT_ROOT
from bot.channels.input_policy import MAX_REQUEST_BYTES
from bot.in_process_actions import IN_PROCESS_URL
from bot.tasks.env import actions_in_process_by_default, service_env

BIN = Path(sys.executable).parent


def free_port() -> int:
    """A TCP port nobody listens on right now (for a server started next)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def lock_store_yaml(redis_url: str) -> str:
    """Our Redis lock store (bot/storage/lock_store.py) for $REDIS_URL (redis://[:password@]host:port/db)."""
    url = urllib.parse.urlparse(redis_url)
    db = (url.path or "/1").lstrip("/") or "1"
    lines = [
        "",
        "lock_store:",
        "  type: bot.storage.lock_store.AtomicRedisLockStore",
        f"  url: {url.hostname or '127.0.0.1'}",
        f"  port: {url.port or 6379}",
        f"  db: {db}",
        "  key_prefix: screening",
    ]
    if url.password:
        lines.append(f"  password: {url.password}")
    return "\n".join(lines) + "\n"


class ServiceError(RuntimeError):
    """A service did not come up; the message says which and where its log is."""


def wait_for(url: str, timeout: float, process: subprocess.Popen, name: str, log: Path | None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServiceError(f"{name} exited with {process.returncode}; see {log}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    shown = url.split("?", 1)[0]  # never print the token
    raise ServiceError(f"{name} did not answer {shown} within {timeout:.0f} s; see {log}")


@dataclass
class Process:
    """One child service: how to start it, how to tell it is up, and the running process."""

    name: str
    command: List[str]
    health_url: str
    log: Path
    popen: subprocess.Popen | None = None
    env: Dict[str, str] = field(default_factory=dict)  # this process's own settings


@dataclass
class Services:
    model: Path
    token: str
    rasa_port: int = 5005
    action_port: int = 5055
    web_port: int | None = None  # None: no web app
    log_dir: Path = PROJECT_ROOT / "var" / "log"
    extra_env: dict = field(default_factory=dict)
    start_actions: bool = True  # False when another Services already runs the action server
    # Our actions inside the Rasa process (bot/in_process_actions.py) instead of an action server: the
    # default on one machine (ACTIONS_IN_PROCESS=0 starts the action server instead).
    actions_in_process: bool = field(default_factory=actions_in_process_by_default)
    children: Dict[str, Process] = field(default_factory=dict)

    def endpoints_file(self) -> Path:
        """endpoints.yml with this run's action server port, and a Redis lock store when $REDIS_URL is set."""
        text = (PROJECT_ROOT / "endpoints.yml").read_text()
        text = text.replace("http://127.0.0.1:5055/webhook", self.action_url)
        redis_url = self.extra_env.get("REDIS_URL") or os.environ.get("REDIS_URL")
        if redis_url:
            text += lock_store_yaml(redis_url)
        path = self.log_dir / f"endpoints-{self.rasa_port}.yml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)  # it may hold the Redis password: readable by this user only
        path.chmod(0o600)
        path.write_text(text)
        return path

    @property
    def action_url(self) -> str:
        if self.actions_in_process:
            return IN_PROCESS_URL
        return f"http://127.0.0.1:{self.action_port}/webhook"

    def _plan(self) -> List[Process]:
        if self.web_port:
            # Defaults only: what the caller's environment says (a public URL, the clinic's own origins)
            # wins over what this run would guess.
            self.extra_env["WEB_PORT"] = str(self.web_port)  # the port this run was told to use
            defaults = {
                "RASA_PUBLIC_URL": f"http://127.0.0.1:{self.rasa_port}",
                "WIDGET_ALLOWED_ORIGINS": f"http://127.0.0.1:{self.web_port},http://localhost:{self.web_port}",
            }
            for key, value in defaults.items():
                if key not in self.extra_env and not os.environ.get(key):
                    self.extra_env[key] = value
        plan = []
        if self.start_actions and not self.actions_in_process:
            plan.append(
                Process(
                    "actions",
                    [
                        str(BIN / "rasa"),
                        "run",
                        "actions",
                        "--port",
                        str(self.action_port),
                        "--actions",
                        "actions",
                    ],
                    f"http://127.0.0.1:{self.action_port}/health",
                    self.log_dir / "actions.log",
                    # rasa-sdk listens on every interface unless told; only Rasa needs to reach it.
                    # Rasa's command line imports TensorFlow whenever a TF thread setting is set
                    # (rasa/__main__.py), and the action server never uses it: ~530 MB RSS (bench).
                    env={
                        "SANIC_HOST": os.environ.get("ACTION_HOST", "127.0.0.1"),
                        "TF_INTRA_OP_PARALLELISM_THREADS": "",
                        "TF_INTER_OP_PARALLELISM_THREADS": "",
                    },
                )
            )
        if self.web_port:
            plan.append(
                Process(
                    "web",
                    [sys.executable, "-m", "bot.web.app"],
                    f"http://127.0.0.1:{self.web_port}/healthz",
                    self.log_dir / "web.log",
                )
            )
        plan.append(
            Process(
                "rasa",
                # Not `rasa run`: bot/tasks/rasa_server.py keeps the API token off the command line.
                [
                    sys.executable,
                    "-m",
                    "bot.tasks.rasa_server",
                    "run",
                    "--model",
                    str(self.model),
                    "--port",
                    str(self.rasa_port),
                    "--interface",
                    "127.0.0.1",
                    "--enable-api",
                    "--endpoints",
                    str(self.endpoints_file()),
                    "--credentials",
                    "credentials.yml",
                ],
                f"http://127.0.0.1:{self.rasa_port}/status?token={self.token}",
                self.log_dir / "rasa.log",
                # The public server only: Sanic accepts 100 MB bodies by default, and a bigger body
                # than any message needs is refused (413) before it is read. (The action server
                # receives whole trackers and keeps Sanic's default.)
                env={
                    "SANIC_REQUEST_MAX_SIZE": str(MAX_REQUEST_BYTES),
                    "RASA_AUTH_TOKEN": self.token,
                    "ACTION_SERVER_URL": self.action_url,  # for /health/ready
                },
            )
        )
        return plan

    def spawn(self, child: Process) -> None:
        """Start one child (again), its output appended to its log."""
        child.log.parent.mkdir(parents=True, exist_ok=True)
        env = {**service_env(), **self.extra_env, **child.env}
        with open(child.log, "ab") as log:
            # Own process group, so Ctrl-C and stop() reach every child Rasa spawns.
            child.popen = subprocess.Popen(
                child.command,
                cwd=PROJECT_ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def migrate(self) -> None:
        """Bring the database's tables up to date before any child starts. The web app migrates at its own
        start too, but Rasa's tracker store creates the `events` table when it finds none: started side by
        side, the two could both create it, and the web app then died on "table events already exists"."""
        log = self.log_dir / "migrate.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "ab") as output:
            done = subprocess.run(
                [sys.executable, "-m", "bot.storage.migrate"],
                cwd=PROJECT_ROOT,
                env={**service_env(), **self.extra_env},
                stdout=output,
                stderr=subprocess.STDOUT,
                timeout=300,
            )
        if done.returncode != 0:
            raise ServiceError(f"the database migration failed; see {log}")

    def start(self, timeout: float = 240) -> Services:
        self.migrate()
        for child in self._plan():
            self.children[child.name] = child
            self.spawn(child)
        try:
            for child in self.children.values():
                wait_for(child.health_url, timeout, child.popen, child.name, child.log)
        except ServiceError:
            self.stop()
            raise
        return self

    def kill(self, name: str, sig: int = signal.SIGTERM) -> None:
        """Stop one child (a fault test's way to break things on purpose)."""
        child = self.children[name]
        if child.popen and child.popen.poll() is None:
            os.killpg(child.popen.pid, sig)
            child.popen.wait(timeout=30)

    def restart(self, name: str, timeout: float = 240) -> None:
        child = self.children[name]
        self.kill(name)
        self.spawn(child)
        wait_for(child.health_url, timeout, child.popen, child.name, child.log)

    def stop(self) -> None:
        for child in self.children.values():
            if child.popen and child.popen.poll() is None:
                os.killpg(child.popen.pid, signal.SIGTERM)
        for child in self.children.values():
            if child.popen is None:
                continue
            try:
                child.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(child.popen.pid, signal.SIGKILL)

    def __enter__(self) -> Services:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve_until_stopped(stop: Callable[[], None], alive: Callable[[], bool] = lambda: True) -> None:
    """Block until Ctrl-C, SIGTERM or a dead child, then stop everything."""
    stopping: List[bool] = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    # Ctrl-C must work even when started from a shell that ignores SIGINT for background jobs.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        while not stopping and alive():
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        print("\nstopping...", flush=True)
        stop()


@contextlib.contextmanager
def web_app(env: Dict[str, str], log_name: str) -> Iterator[str]:
    """The web app (landing page, widget, console) on a free port with `env`; yields its base URL."""
    port = free_port()
    log_path = PROJECT_ROOT / "var" / "log" / log_name
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.web.app"],
            cwd=PROJECT_ROOT,
            env={**env, "WEB_PORT": str(port)},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for(f"{base}/healthz", 60, process, "web app", log_path)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=30)  # a console on a large database may take a while to stop
