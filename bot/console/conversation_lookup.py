"""Find a conversation within the staff member's clinic, or answer with the "not found" page."""

from __future__ import annotations

from functools import wraps
from typing import Awaitable, Callable

from sanic import response
from sanic.request import Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.console import auth
from bot.console.rendering import HEADERS, page
from bot.storage.models import Conversation


def conversation_or_none(db: Session, staff: auth.CurrentStaff, sender_id: str) -> Conversation | None:
    return db.execute(
        select(Conversation).where(
            Conversation.sender_id == sender_id, Conversation.clinic_id == staff.clinic_id
        )
    ).scalar_one_or_none()


def not_found(staff: auth.CurrentStaff) -> response.HTTPResponse:
    return page("error.html", status=404, staff=staff, message="There is no such conversation.")


def one_conversation(
    handler: Callable[..., Awaitable[response.HTTPResponse]],
) -> Callable[..., Awaitable[response.HTTPResponse]]:
    """For a route of one conversation (`<sender_id>` in its path, under `login_required`): the handler
    gets (request, db, staff, row) when the staff member's clinic has the conversation; the "not found"
    page answers otherwise."""

    @wraps(handler)
    async def wrapper(request: Request, db: Session, staff: auth.CurrentStaff, sender_id: str):
        row = conversation_or_none(db, staff, sender_id)
        if row is None:
            return not_found(staff)
        return await handler(request, db, staff, row)

    return wrapper


def back_to(sender_id: str) -> response.HTTPResponse:
    """Back to the conversation's page, after a form on it."""
    return response.redirect(f"/console/c/{sender_id}", headers=HEADERS)
