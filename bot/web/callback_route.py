"""POST /callback: the widget's "ask the clinic to call me back" form, straight to the database.

Not through Rasa, so a phone number or email never enters the NLU or the tracker. The checks, in the
order a refusal costs least: the page's origin (the clinic's `allowed_origins`, or this web app), the
body's size, rate limits per address and per conversation, the fields (bot/console/callbacks.py), and
last that the sender is a kept conversation of that clinic; a request that fails that last check is
refused with one message whatever the reason (unknown, another clinic's, not kept), so ids cannot be
probed. Refusals are JSON: {"error": code, "message": what the visitor reads}.
"""

from __future__ import annotations

import asyncio
import json
import os
from typing import Any, Dict

from sanic import Sanic, response
from sanic.request import Request
from sqlalchemy.orm import sessionmaker

from bot.channels.input_policy import Rate, RateLimiter, client_address
from bot.clinic import ClinicSettingsError, clinic_ids, own_settings
from bot.console import callbacks

# A visitor asks once, maybe corrects a typo; an address is shared by a waiting room's Wi-Fi.
DEFAULT_ADDRESS_RATE = Rate(20, 3600)
DEFAULT_SENDER_RATE = Rate(5, 3600)
JSON_HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


def register(app: Sanic, sessions: sessionmaker) -> None:
    by_address = RateLimiter(Rate.parse(os.environ.get("RATE_LIMIT_CALLBACK", ""), DEFAULT_ADDRESS_RATE))
    by_sender = RateLimiter(DEFAULT_SENDER_RATE)

    @app.options("/callback")
    async def preflight(request: Request):
        origin = request.headers.get("origin")
        if not origin or not _known_origin(request, origin, None):
            return response.empty(status=403)
        return response.empty(
            status=204,
            headers={
                **_cors(origin),
                "Access-Control-Allow-Methods": "POST",
                "Access-Control-Allow-Headers": "Content-Type",
                "Access-Control-Max-Age": "600",
            },
        )

    @app.post("/callback")
    async def callback(request: Request):
        origin = request.headers.get("origin")
        headers = {**JSON_HEADERS, **(_cors(origin) if origin else {})}

        def refuse(status: int, code: str, message: str) -> response.HTTPResponse:
            return response.json({"error": code, "message": message}, status=status, headers=headers)

        if origin and not _known_origin(request, origin, None):
            return response.json(
                {"error": "origin_not_allowed", "message": "This page may not send requests to the clinic."},
                status=403,
                headers=JSON_HEADERS,
            )
        if len(request.body or b"") > callbacks.MAX_BODY_BYTES:
            return refuse(413, "too_large", "The request is too large.")
        address = client_address(request.ip, request.headers.get("x-forwarded-for"))
        if not by_address.allow(address):
            return refuse(429, "too_many", "Too many requests from here. Please try again later.")
        try:
            body = json.loads(request.body or b"null")
        except ValueError:
            return refuse(400, "bad_request", "The request must be JSON.")
        try:
            form = callbacks.check_form(body)
            if origin and not _known_origin(request, origin, form.clinic):
                return refuse(403, "origin_not_allowed", "This page may not send requests to this clinic.")
            if not by_sender.allow(form.sender):
                return refuse(429, "too_many", "You have sent this a few times already. Please try later.")
            await asyncio.get_running_loop().run_in_executor(None, _save, sessions, form)
        except callbacks.CallbackRefused as refused:
            return refuse(refused.status, refused.code, refused.message)
        clinic_settings = own_settings(form.clinic) or {}
        return response.json(
            {"status": "received", "message": callbacks.receipt(clinic_settings, form)},
            status=201,
            headers=headers,
        )


def _save(sessions: sessionmaker, form: callbacks.CallbackForm) -> None:
    """Blocking database work, run in the executor."""
    if form.clinic not in clinic_ids():
        raise callbacks.CallbackRefused(403, "not_allowed", callbacks.NOT_ALLOWED)
    with sessions() as db:
        if not callbacks.conversation_allows(db, form.sender, form.clinic):
            raise callbacks.CallbackRefused(403, "not_allowed", callbacks.NOT_ALLOWED)
        callbacks.store(db, form)
        db.commit()


def _known_origin(request: Request, origin: str, clinic: str | None) -> bool:
    """The web app's own pages, or a page the clinic (any clinic, before the body is read) allows."""
    if origin == f"{request.scheme}://{request.host}":
        return True
    wanted = [clinic] if clinic else clinic_ids()
    for clinic_id in wanted:
        try:
            settings = own_settings(clinic_id)
        except (ClinicSettingsError, OSError):
            continue
        if settings and origin in (settings.get("allowed_origins") or []):
            return True
    return False


def _cors(origin: str) -> Dict[str, Any]:
    return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
