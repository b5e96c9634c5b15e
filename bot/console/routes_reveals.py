"""Reveal one conversation's raw text for a while (admins and clinicians, with a reason, audited), or
end the reveal sooner. Everything else in the console shows the visitor's words masked."""

from __future__ import annotations

from sanic import Blueprint
from sanic.request import Request
from sqlalchemy.orm import Session

from bot.console import auth, reveals
from bot.console.access import LoginRequired
from bot.console.conversation_lookup import back_to, one_conversation
from bot.console.rendering import page
from bot.storage.models import Conversation


def register(bp: Blueprint, login_required: LoginRequired) -> None:
    @bp.post("/c/<sender_id:str>/reveal")
    @login_required()
    @one_conversation
    async def reveal(request: Request, db: Session, staff: auth.CurrentStaff, row: Conversation):
        try:
            reveals.reveal(db, staff, row, request.form.get("reason") or "", request.form.get("minutes"))
        except reveals.RevealError as error:
            return page("error.html", status=error.status, staff=staff, message=str(error))
        return back_to(row.sender_id)

    @bp.post("/c/<sender_id:str>/hide")
    @login_required()
    @one_conversation
    async def hide(request: Request, db: Session, staff: auth.CurrentStaff, row: Conversation):
        reveals.hide(db, staff, row.sender_id)
        return back_to(row.sender_id)
