"""Slow fixtures: live servers on free ports (the stack with the widget and console), and Chromium."""

import shutil
import uuid
from pathlib import Path

import pytest

from bot import PROJECT_ROOT
from tests.helpers import Bot, free_port, http_status  # noqa: F401  (used by the slow tests)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


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
        extra_env={
            "DATABASE_URL": f"sqlite:///{db}",
            "CLINICS_DIR": str(clinics_dir),
            # Limits for the tests' traffic: the safety sets send ~1,000 messages in a few minutes
            # from one address; the hostile-input tests flood from forged forwarded addresses.
            "RATE_LIMIT_SESSION": "30/60",
            "RATE_LIMIT_ADDRESS": "1200/60",
            "TRUST_FORWARDED_FOR": "1",
        },
    )
    with services:
        yield services


@pytest.fixture(scope="session")
def live_bot(live_stack):
    return Bot(f"http://127.0.0.1:{live_stack.rasa_port}", live_stack.token)


@pytest.fixture(scope="module")
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
