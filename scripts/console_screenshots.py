"""Take the README's console screenshots (the safety queue, the agreement matrix) from synthetic data."""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Dict, List, Tuple

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"
LOG = ROOT / "var" / "log" / "console-screenshots-web.log"

sys.path.insert(0, str(ROOT))  # run as a script: the project's package is not installed
from bot.tasks.services import web_app  # noqa: E402  (the one web-app starter the tests use too)

# Debian's Chromium, as the browser tests use: Playwright never downloads a browser here.
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
VIEWPORT = {"width": 1280, "height": 800}
TALLEST = 1600  # a page up to this tall is shot whole; a longer one is cut at the viewport
EMAIL = "lead@demo.example"
# Verdicts a clinician might give, recorded through the console's own form: (the list's filter that
# finds the conversations, how many of them, the clinician's outcome, why). Mostly agreement, with one
# under-triage and one over-triage, so that the matrix shows both kinds of miss.
VERDICTS: Tuple[Tuple[Dict[str, str], int, str, str], ...] = (
    ({"outcome": "likely_suitable"}, 3, "likely_suitable", "Nothing in the answers changes the plan."),
    (
        {"outcome": "suitable_with_precautions"},
        2,
        "suitable_with_precautions",
        "Fine with the usual care around the eczema patches.",
    ),
    (
        {"outcome": "suitable_with_precautions"},
        1,
        "needs_medical_clearance",
        "Eczema flaring on both cheeks: I want the GP's view before needling there.",
    ),
    (
        {"outcome": "needs_medical_clearance"},
        2,
        "needs_medical_clearance",
        "On an anticoagulant: needs the prescriber's agreement first.",
    ),
    (
        {"outcome": "not_suitable_now", "slot": "conditions=pregnancy"},
        1,
        "not_suitable_now",
        "Pregnant: not until after the birth, as the bot said.",
    ),
    (
        {"outcome": "not_suitable_now", "slot": "recent_procedures=botox"},
        1,
        "suitable_with_precautions",
        "Dysport in the forehead only: the lower face can be treated now, the forehead after two weeks.",
    ),
    ({"outcome": "seek_urgent_care"}, 2, "seek_urgent_care", "Right call: urgent care at once."),
)


def console_cli(env: Dict[str, str], *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot.console.cli", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(f"`bot.console.cli {' '.join(args)}` failed:\n{done.stderr[-2000:]}")
    print(done.stdout.strip() or f"bot.console.cli {args[0]}: done")


def record_verdicts(page, base: str) -> int:
    """Record VERDICTS on the synthetic conversations through each conversation's verdict form."""
    used: set = set()
    recorded = 0
    for filters, count, outcome, reason in VERDICTS:
        page.goto(f"{base}/console/?{urllib.parse.urlencode({**filters, 'sort': 'oldest'})}")
        links: List[str] = page.locator("table tbody a[href^='/console/c/']").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
        )
        fresh = [link for link in dict.fromkeys(links) if link not in used][:count]
        if len(fresh) < count:
            sys.exit(
                f"only {len(fresh)} conversations match {filters}; try another --seed or a larger --count"
            )
        for link in fresh:
            used.add(link)
            page.goto(base + link)
            form = page.locator("form[action$='/verdict']")
            form.locator("select[name=outcome]").select_option(outcome)
            form.locator("textarea[name=reason]").fill(reason)
            form.get_by_role("button", name="Record verdict").click()
            page.locator("#verdict").wait_for()
            recorded += 1
    return recorded


def shoot(page, url: str, heading: str, path: Path) -> None:
    """Save the page at `url` once it shows `heading` (and not an error page)."""
    response = page.goto(url)
    if response is None or response.status != 200 or page.locator("[role=alert]").count():
        sys.exit(f"{url} answered with an error page; see {LOG}")
    page.get_by_role("heading", name=heading).wait_for()
    tall = page.evaluate("document.documentElement.scrollHeight")
    page.screenshot(path=str(path), full_page=tall <= TALLEST)
    print(f"wrote {path.relative_to(ROOT)} ({url.split('/console', 1)[1]}, page {tall} px tall)")


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=40, help="synthetic conversations (default 40)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        sys.exit("Chromium is missing: install Debian's chromium package (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    password = secrets.token_urlsafe(18)  # a throwaway account on a throwaway database
    with tempfile.TemporaryDirectory(prefix="console-screenshots-") as tmp:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{Path(tmp) / 'console.db'}",
            "CONSOLE_ADMIN_PASSWORD": password,
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "PYTHONPATH": str(ROOT),
        }
        console_cli(env, "synth", "--count", str(args.count), "--clinic", "demo", "--seed", str(args.seed))
        console_cli(env, "create-admin", "--email", EMAIL, "--clinic", "demo")
        with web_app(env, LOG.name) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
            )
            try:
                page = browser.new_page(viewport=VIEWPORT)
                page.goto(f"{base}/console/")
                page.get_by_label("Email").fill(EMAIL)
                page.get_by_label("Password").fill(password)
                page.get_by_role("button", name="Log in").click()
                page.get_by_role("heading", name="Conversations").wait_for()
                print(f"recorded {record_verdicts(page, base)} verdicts through the console's form")
                # The most urgent item claimed, as the duty practitioner would have done on seeing it.
                page.goto(f"{base}/console/queue")
                page.locator("table.queue tbody tr").first.get_by_role("button", name="Claim").click()
                page.get_by_role("heading", name="Safety queue").wait_for()
                shoot(page, f"{base}/console/queue", "Safety queue", IMAGES / "console-queue.png")
                shoot(
                    page,
                    f"{base}/console/agreement",
                    "The bot against the clinicians",
                    IMAGES / "console-agreement.png",
                )
            finally:
                browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
