"""The safety queue page: the clinic's open follow-ups, most urgent first; claim and resolve, audited."""

from __future__ import annotations

from sanic import Blueprint, response
from sanic.request import Request
from sqlalchemy.orm import Session

from bot.console import auth, safety_queue
from bot.console.access import LoginRequired
from bot.console.audit_trail import audit
from bot.console.conversation_lookup import not_found
from bot.console.rendering import HEADERS, page


def register(bp: Blueprint, login_required: LoginRequired) -> None:
    @bp.get("/queue")
    @login_required()
    async def queue(request: Request, db: Session, staff: auth.CurrentStaff):
        return page(
            "queue.html",
            staff=staff,
            rows=safety_queue.open_items(db, staff.clinic_id),
            hours=safety_queue.due_hours(staff.clinic_id),
            actions=safety_queue.ACTIONS,
        )

    @bp.post("/queue/<sender_id:str>/claim")
    @login_required()
    async def claim(request: Request, db: Session, staff: auth.CurrentStaff, sender_id: str):
        item = safety_queue.item_or_none(db, staff.clinic_id, sender_id)
        if item is None:
            return not_found(staff)
        if item.resolved_at is not None:
            return _refused(staff, "This item is already resolved.", 409)
        previous = item.claimed_by
        item.claimed_by, item.claimed_at = staff.email, auth.now()
        audit(db, staff, "queue_claim", sender_id, f"taken over from {previous}" if previous else "")
        return response.redirect("/console/queue", headers=HEADERS)

    @bp.post("/queue/<sender_id:str>/resolve")
    @login_required()
    async def resolve(request: Request, db: Session, staff: auth.CurrentStaff, sender_id: str):
        item = safety_queue.item_or_none(db, staff.clinic_id, sender_id)
        if item is None:
            return not_found(staff)
        action = (request.form.get("action") or "").strip()
        note = (request.form.get("note") or "").strip()[: safety_queue.MAX_NOTE]
        if action not in safety_queue.ACTIONS:
            return _refused(staff, "Choose what was done from the list.", 400)
        if not note:
            return _refused(staff, "Write a note on what was done before resolving.", 400)
        if item.resolved_at is not None:
            return _refused(staff, "This item is already resolved.", 409)
        item.resolved_by, item.resolved_at = staff.email, auth.now()
        item.action, item.note = action, note
        if item.claimed_by is None:
            item.claimed_by, item.claimed_at = staff.email, item.resolved_at
        audit(db, staff, "queue_resolve", sender_id, f"{action}: {note}"[:200])
        return response.redirect("/console/queue", headers=HEADERS)


def _refused(staff: auth.CurrentStaff, message: str, status: int) -> response.HTTPResponse:
    return page("error.html", status=status, staff=staff, message=message)
