"""The web app (port 8000): the demo clinic page with the widget, /widget.js, clinic themes, /console,
and POST /callback (a visitor's callback request, bot/web/callback_route.py).

usage: python -m bot.web.app      ($WEB_PORT, $RASA_PUBLIC_URL for the widget's bot URL)
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from pathlib import Path
from typing import Any, Dict

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Sanic, response
from sanic.request import Request

from bot.clinic import load_clinic
from bot.console.db import session_factory
from bot.console.views import console_blueprint
from bot.knowledge import BENEFITS, benefits
from bot.web import callback_route
from bot.web.widget_bundle import widget_bundle

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
TEMPLATES = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))
PUBLIC_CLINIC_FIELDS = (
    "id",
    "name",
    "greeting",
    "colors",
    "logo",
    "booking_url",
    "phone",
    "email",
    "opening_hours",
)


def public_theme(clinic: Dict[str, Any]) -> Dict[str, Any]:
    """What any page may know about a clinic: its look and contact, nothing else."""
    return {key: clinic[key] for key in PUBLIC_CLINIC_FIELDS if key in clinic}


def security_headers(bot_url: str) -> Dict[str, str]:
    ws = bot_url.replace("http://", "ws://").replace("https://", "wss://")
    return {
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "X-Frame-Options": "DENY",
        "Content-Security-Policy": (
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            f"script-src 'self'; connect-src 'self' {bot_url} {ws}; frame-ancestors 'none'; base-uri 'none'"
        ),
    }


# The console's index follows the conversations a couple of seconds behind, and retention runs hourly,
# inside the running service: no page load waits for indexing, no cron job is needed for retention.
INDEX_INTERVAL = float(os.environ.get("INDEX_INTERVAL_SECONDS", 2))
PURGE_INTERVAL = float(os.environ.get("PURGE_INTERVAL_SECONDS", 3600))


# Set once the masking is loaded and the first indexing pass is done: /healthz says so, and the
# console benchmark times pages only after it (startup work is not a page's own cost).
STARTED = {"warm": False}


async def background_indexing(db_url: str = "") -> None:
    from bot.console import indexer, notifications, redaction
    from bot.console.db import session_factory
    from bot.console.retention import purge

    loop = asyncio.get_running_loop()
    sessions = session_factory(db_url)
    next_purge = time.monotonic() + 60

    def index_some() -> int:
        with sessions() as db:
            return indexer.refresh(db, max_batches=10)

    def index_backlog() -> int:
        # The whole backlog at once: a large one is indexed with the list's indexes built at the end.
        with sessions() as db:
            return indexer.refresh(db)

    def notify() -> None:
        # Emails and webhooks about the queue, after each indexing pass: smtplib blocks, so it runs in
        # the executor too; a failure to send is the notifications' own business, never the index's.
        try:
            with sessions() as db:
                notifications.cycle(db)
        except Exception:  # noqa: BLE001  the clinic's SMTP server being down must not stop indexing
            logger.exception("sending the clinic's notifications failed; retrying next cycle")

    try:
        # The masking's spaCy pipeline and word list load here, once, not in a console page's request.
        await loop.run_in_executor(None, redaction.warm_up)
    except Exception:  # noqa: BLE001  the first masked page loads them instead
        logger.exception("loading the console's masking failed; the first page that masks will retry")
    while True:
        try:
            if not STARTED["warm"]:
                await loop.run_in_executor(None, index_backlog)  # at start, the whole backlog first
                STARTED["warm"] = True
            await loop.run_in_executor(None, index_some)
            await loop.run_in_executor(None, notify)
            if time.monotonic() >= next_purge:
                next_purge = time.monotonic() + PURGE_INTERVAL
                await loop.run_in_executor(None, purge)
        except Exception:  # noqa: BLE001  the loop must outlive a database hiccup
            logger.exception("background indexing failed; retrying")
        await asyncio.sleep(INDEX_INTERVAL)


def create_app(bot_url: str, db_url: str = "") -> Sanic:
    app = Sanic("screening_web")
    app.config.REQUEST_MAX_SIZE = 64 * 1024
    app.static("/static", str(HERE / "static"), name="static")

    @app.get("/")
    async def landing(request: Request):
        clinic = load_clinic(request.args.get("clinic"))
        data = benefits()
        html = TEMPLATES.get_template("landing.html").render(
            clinic=clinic,
            bot_url=bot_url,
            benefits=[data["benefits"][b] for b in BENEFITS],
        )
        return response.html(html, headers=security_headers(bot_url))

    @app.get("/favicon.ico")
    async def favicon(_: Request):
        # Browsers ask for /favicon.ico on every page, the console's too: an icon rather than a 404.
        return response.raw(
            (HERE / "static" / "favicon.svg").read_bytes(),
            content_type="image/svg+xml",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    @app.get("/widget.js")
    async def widget(request: Request):
        bundle = widget_bundle()
        headers = {
            "Cache-Control": "public, max-age=300",
            "Access-Control-Allow-Origin": "*",
            "X-Content-Type-Options": "nosniff",
            "Vary": "Accept-Encoding",
        }
        if "gzip" in request.headers.get("accept-encoding", ""):
            headers["Content-Encoding"] = "gzip"
            return response.raw(
                bundle.gzipped, content_type="application/javascript; charset=utf-8", headers=headers
            )
        return response.raw(
            bundle.body, content_type="application/javascript; charset=utf-8", headers=headers
        )

    @app.get("/clinics/<filename:str>")
    async def clinic_theme(request: Request, filename: str):
        if not filename.endswith(".json"):
            return response.json({"error": "not found"}, status=404)
        clinic_id = filename[: -len(".json")]
        return response.json(
            public_theme(load_clinic(clinic_id)),
            headers={"Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=300"},
        )

    app.blueprint(console_blueprint(db_url))
    callback_route.register(app, session_factory(db_url))
    app.add_task(background_indexing(db_url))

    @app.get("/healthz")
    async def health(request: Request):
        return response.json({"status": "ok", "warm": STARTED["warm"]})

    return app


def main() -> None:
    from bot.console.events_table import ensure_events_table
    from bot.storage import deferred_indexes
    from bot.storage.database import engine
    from bot.storage.migrate import upgrade

    upgrade()  # the console's tables, before the first request
    ensure_events_table()
    restored = deferred_indexes.restore(engine())  # left dropped by an indexer that did not finish
    if restored:
        logger.warning("created %d missing console indexes", restored)
    port = int(os.environ.get("WEB_PORT", 8000))
    bot_url = os.environ.get("RASA_PUBLIC_URL", f"http://127.0.0.1:{os.environ.get('RASA_PORT', 5005)}")
    create_app(bot_url).run(
        host=os.environ.get("WEB_HOST", "127.0.0.1"), port=port, access_log=False, workers=1, motd=False
    )


if __name__ == "__main__":
    main()
