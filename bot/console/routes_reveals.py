"""Reveal one conversation's raw text for a while (admins and clinicians, with a reason, audited), or
end the reveal sooner. Everything else in the console shows the visitor's words masked."""

from __future__ import annotations

from sanic import Blueprint, response
from sanic.request import Request
from sqlalchemy.orm import Session

from bot.console import auth, reveals
from bot.console.access import LoginRequired
from bot.console.conversation_lookup import conversation_or_none, not_found
from bot.console.rendering import HEADERS, page


def register(bp: Blueprint, login_required: LoginRequired) -> None:
    @bp.post("/c/<sender_id:str>/reveal")
    @login_required()
    async def reveal(request: Request, db: Session, staff: auth.CurrentStaff, sender_id: str):
        row = conversation_or_none(db, staff, sender_id)
        if row is None:
            return not_found(staff)
        try:
            reveals.reveal(db, staff, row, request.form.get("reason") or "", request.form.get("minutes"))
        except reveals.RevealError as error:
            return page("error.html", status=error.status, staff=staff, message=str(error))
        return response.redirect(f"/console/c/{sender_id}", headers=HEADERS)

    @bp.post("/c/<sender_id:str>/hide")
    @login_required()
    async def hide(request: Request, db: Session, staff: auth.CurrentStaff, sender_id: str):
        if conversation_or_none(db, staff, sender_id) is None:
            return not_found(staff)
        reveals.hide(db, staff, sender_id)
        return response.redirect(f"/console/c/{sender_id}", headers=HEADERS)
