"""The console's login and logout pages."""

from __future__ import annotations

import asyncio
import secrets

from sanic import Blueprint, response
from sanic.request import Request
from sqlalchemy.orm import Session, sessionmaker

from bot.channels.input_policy import client_address
from bot.console import auth
from bot.console.access import COOKIE, LOGIN_CSRF_COOKIE, LoginRequired, set_cookie
from bot.console.audit_trail import audit, record
from bot.console.rendering import HEADERS, page


def register(bp: Blueprint, sessions: sessionmaker, login_required: LoginRequired) -> None:
    throttle = auth.LoginThrottle()

    @bp.get("/login")
    async def login_form(request: Request):
        token = secrets.token_urlsafe(24)
        resp = page("login.html", csrf=token, error=None)
        set_cookie(resp, request, LOGIN_CSRF_COOKIE, token)
        return resp

    @bp.post("/login")
    async def login(request: Request):
        form = request.form
        if not auth.csrf_ok(request.cookies.get(LOGIN_CSRF_COOKIE, ""), form.get("csrf")):
            return page(
                "login.html", status=403, csrf="", error="The form expired. Reload the page and try again."
            )
        email = (form.get("email") or "")[:255]
        address = client_address(request.ip or "", request.headers.get("x-forwarded-for"))
        failed_page = page(
            "login.html",
            status=401,
            csrf=request.cookies.get(LOGIN_CSRF_COOKIE, ""),
            error="Wrong email or password, or the account is locked for a while.",
        )
        if throttle.blocked(address):
            await asyncio.sleep(1.0)
            return failed_page

        def check() -> str | None:
            # argon2 takes tens of milliseconds of CPU: off the event loop that also serves the widget.
            with sessions() as db:
                staff = auth.authenticate(db, email, form.get("password") or "")
                if staff is None:
                    record(db, email or "?", "-", "login_failed")
                    db.commit()
                    return None
                token = auth.start_session(db, staff)
                record(db, staff.email, staff.clinic_id, "login")
                db.commit()
                return token

        token = await asyncio.get_running_loop().run_in_executor(None, check)
        if token is None:
            await asyncio.sleep(throttle.failed(address))
            return failed_page
        throttle.succeeded(address)
        resp = response.redirect("/console", headers=HEADERS)
        set_cookie(resp, request, COOKIE, token)
        del resp.cookies[LOGIN_CSRF_COOKIE]
        return resp

    @bp.post("/logout")
    @login_required()
    async def logout(request: Request, db: Session, staff: auth.CurrentStaff):
        auth.end_session(db, request.cookies.get(COOKIE))
        audit(db, staff, "logout")
        resp = response.redirect("/console/login", headers=HEADERS)
        del resp.cookies[COOKIE]
        return resp
