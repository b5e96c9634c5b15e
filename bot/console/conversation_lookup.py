"""Find a conversation within the staff member's clinic, or answer with the "not found" page."""

from __future__ import annotations

from sanic import response
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.console import auth
from bot.console.rendering import page
from bot.storage.models import Conversation


def conversation_or_none(db: Session, staff: auth.CurrentStaff, sender_id: str) -> Conversation | None:
    return db.execute(
        select(Conversation).where(
            Conversation.sender_id == sender_id, Conversation.clinic_id == staff.clinic_id
        )
    ).scalar_one_or_none()


def not_found(staff: auth.CurrentStaff) -> response.HTTPResponse:
    return page("error.html", status=404, staff=staff, message="There is no such conversation.")
