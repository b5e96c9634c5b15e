"""Slow fixtures: a trained model (trained only when the data changed) and live servers on free ports."""

import json
import shutil
import socket
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any, Dict, List

import pytest

from bot import PROJECT_ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def trained_model() -> Path:
    from bot.tasks.train import train

    return train()


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


# A clinic whose greeting carries markup: the widget must show it as text.
HOSTILE_CLINIC = {
    "id": "hostile",
    "name": "Hostile <b>Clinic</b>",
    "country": "UK",
    "greeting": 'Hi <script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"> there!',
    "booking_url": "https://example.com/book",
    "phone": "+44 20 0000 0000",
    "email": "a@example.com",
    "emergency_number": "999",
    "crisis_line": "Samaritans: call 116 123",
}


@pytest.fixture(scope="session")
def clinics_dir(tmp_path_factory) -> Path:
    import shutil

    import yaml

    directory = tmp_path_factory.mktemp("clinics")
    shutil.copy(PROJECT_ROOT / "data" / "clinics" / "demo.yml", directory / "demo.yml")
    (directory / "hostile.yml").write_text(yaml.safe_dump(HOSTILE_CLINIC))
    return directory


@pytest.fixture(scope="session")
def live_stack(trained_model, tmp_path_factory, clinics_dir):
    """Rasa, the action server and the web app on free ports, with a throwaway SQLite store."""
    from bot.tasks.services import Services

    db = tmp_path_factory.mktemp("store") / "rasa.db"
    services = Services(
        model=trained_model,
        token=uuid.uuid4().hex,
        rasa_port=free_port(),
        action_port=free_port(),
        web_port=free_port(),
        log_dir=PROJECT_ROOT / "var" / "log" / "tests",
        extra_env={"DATABASE_URL": f"sqlite:///{db}", "CLINICS_DIR": str(clinics_dir)},
    )
    with services:
        yield services


@pytest.fixture(scope="session")
def live_bot(live_stack):
    return Bot(f"http://127.0.0.1:{live_stack.rasa_port}", live_stack.token)


def http_status(url: str, data: bytes | None = None) -> int:
    try:
        req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            "Chromium is missing: `make test` installs Debian's chromium package (apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()
