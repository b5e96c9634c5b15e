"""Helpers for tests that talk to running servers."""

import contextlib
import json
import subprocess
import sys
import urllib.error
import urllib.request
from typing import Any, Dict, Iterator, List

from bot import PROJECT_ROOT
from bot.tasks.services import free_port, wait_for


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
            process.wait(timeout=10)


class Bot:
    """A REST client for one running Rasa server."""

    def __init__(self, base: str, token: str) -> None:
        self.base, self.token = base, token

    def request(
        self, method: str, path: str, body: Any | None = None, token: bool = True, raw: bytes | None = None
    ) -> Any:
        url = f"{self.base}{path}"
        if token:
            url += ("&" if "?" in url else "?") + f"token={self.token}"
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        req = urllib.request.Request(
            url, data=data, method=method, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(req, timeout=60) as response:
            return json.loads(response.read() or b"null")

    def say(self, sender: str, text: str, metadata: Dict | None = None) -> List[Dict[str, Any]]:
        body = {"sender": sender, "message": text, **({"metadata": metadata} if metadata else {})}
        return self.request("POST", "/webhooks/rest/webhook", body, token=False)

    def tracker(self, sender: str) -> Dict[str, Any]:
        return self.request("GET", f"/conversations/{sender}/tracker")


def http_status(url: str, data: bytes | None = None) -> int:
    try:
        req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
