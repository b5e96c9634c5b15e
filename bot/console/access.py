"""Session cookies and the guard that admits a request only with a session (and a form's CSRF token)."""

from __future__ import annotations

import dataclasses
from functools import wraps
from typing import Any, Callable

from sanic import response
from sanic.request import Request
from sqlalchemy.orm import sessionmaker

from bot.console import auth, safety_queue
from bot.console.rendering import HEADERS, page

COOKIE = "console_session"
LOGIN_CSRF_COOKIE = "console_login_csrf"

# login_required(admin=False) -> a decorator for handlers taking (request, db, staff, ...).
LoginRequired = Callable[..., Callable[[Callable], Callable]]


def set_cookie(resp: response.HTTPResponse, request: Request, name: str, value: str) -> None:
    resp.cookies[name] = value
    attributes = {"httponly": True, "samesite": "Strict", "path": "/console"}
    if request.scheme == "https":
        # Only when true: Sanic 21 writes "Secure=False", which clients read as Secure.
        attributes["secure"] = True
    resp.cookies[name].update(attributes)


def login_guard(sessions: sessionmaker) -> LoginRequired:
    def login_required(admin: bool = False) -> Callable:
        def decorate(handler: Callable) -> Callable:
            @wraps(handler)
            async def wrapper(request: Request, *args: Any, **kwargs: Any):
                with sessions() as db:
                    staff = auth.current_staff(db, request.cookies.get(COOKIE))
                    db.commit()
                    if staff is None:
                        return response.redirect("/console/login", headers=HEADERS)
                    waiting, overdue = safety_queue.counts(db, staff.clinic_id)
                    staff = dataclasses.replace(staff, queue_open=waiting, queue_overdue=overdue)
                    if admin and not staff.is_admin:
                        return page(
                            "error.html", status=403, staff=staff, message="Only admins can open this page."
                        )
                    if request.method == "POST" and not auth.csrf_ok(
                        staff.csrf_token, request.form.get("csrf")
                    ):
                        return page(
                            "error.html",
                            status=403,
                            staff=staff,
                            message="This form has expired. Go back, reload the page and try again.",
                        )
                    result = await handler(request, db, staff, *args, **kwargs)
                    db.commit()
                    return result

            return wrapper

        return decorate

    return login_required
