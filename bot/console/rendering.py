"""Render the console's templates into HTML responses that carry its security headers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import response

from bot.console.display import rich_text, slot_value
from bot.knowledge import label

HERE = Path(__file__).resolve().parent
TEMPLATES = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))
TEMPLATES.filters["label"] = lambda value, kind="outcome": label(kind, value) if value else "—"
TEMPLATES.filters["slot_value"] = slot_value
TEMPLATES.filters["rich"] = rich_text
TEMPLATES.filters["when"] = lambda ts: dt.datetime.fromtimestamp(ts, dt.timezone.utc).strftime(
    "%Y-%m-%d %H:%M"
)
HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
}


def page(template: str, status: int = 200, **context: Any) -> response.HTTPResponse:
    return response.html(TEMPLATES.get_template(template).render(**context), status=status, headers=HEADERS)
