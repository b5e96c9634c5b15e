"""Start the action server and the Rasa server as child processes, wait until they answer, stop them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, List

from bot import PROJECT_ROOT
from bot.tasks.env import service_env

BIN = Path(sys.executable).parent


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
    raise ServiceError(f"{name} did not answer {url} within {timeout:.0f} s; see {log}")


@dataclass
class Services:
    model: Path
    token: str
    rasa_port: int = 5005
    action_port: int = 5055
    web_port: int | None = None  # None: no web app
    log_dir: Path = PROJECT_ROOT / "var" / "log"
    extra_env: dict = field(default_factory=dict)
    processes: List[subprocess.Popen] = field(default_factory=list)
    _logs: List[IO] = field(default_factory=list)

    def _spawn(self, name: str, command: List[str]) -> subprocess.Popen:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.log_dir / f"{name}.log", "ab")
        self._logs.append(log)
        env = {**service_env(), **self.extra_env}
        # Own process group, so Ctrl-C and stop() reach every child Rasa spawns.
        process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes.append(process)
        return process

    def endpoints_file(self) -> Path:
        """endpoints.yml with this run's action server port."""
        text = (PROJECT_ROOT / "endpoints.yml").read_text()
        text = text.replace("127.0.0.1:5055/webhook", f"127.0.0.1:{self.action_port}/webhook")
        path = self.log_dir.parent / f"endpoints-{self.rasa_port}.yml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path

    def start(self, timeout: float = 240) -> Services:
        if self.web_port:
            self.extra_env.setdefault("WEB_PORT", str(self.web_port))
            self.extra_env.setdefault("RASA_PUBLIC_URL", f"http://127.0.0.1:{self.rasa_port}")
            self.extra_env.setdefault(
                "WIDGET_ALLOWED_ORIGINS", f"http://127.0.0.1:{self.web_port},http://localhost:{self.web_port}"
            )
        actions = [
            str(BIN / "rasa"),
            "run",
            "actions",
            "--port",
            str(self.action_port),
            "--actions",
            "actions",
        ]
        checks = [
            (
                "action server",
                f"http://127.0.0.1:{self.action_port}/health",
                "actions",
                self._spawn("actions", actions),
            )
        ]
        if self.web_port:
            checks.append(
                (
                    "web app",
                    f"http://127.0.0.1:{self.web_port}/healthz",
                    "web",
                    self._spawn("web", [sys.executable, "-m", "bot.web.app"]),
                )
            )
        rasa = [
            str(BIN / "rasa"),
            "run",
            "--model",
            str(self.model),
            "--port",
            str(self.rasa_port),
            "--interface",
            "127.0.0.1",
            "--enable-api",
            "--auth-token",
            self.token,
            "--endpoints",
            str(self.endpoints_file()),
            "--credentials",
            "credentials.yml",
        ]
        checks.append(
            (
                "Rasa server",
                f"http://127.0.0.1:{self.rasa_port}/status?token={self.token}",
                "rasa",
                self._spawn("rasa", rasa),
            )
        )
        try:
            for name, url, log, process in checks:
                wait_for(url, timeout, process, name, self.log_dir / f"{log}.log")
        except ServiceError:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        for log in self._logs:
            log.close()
        self.processes.clear()

    def __enter__(self) -> Services:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
