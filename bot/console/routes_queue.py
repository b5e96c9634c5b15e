"""The safety queue page: the clinic's open follow-ups, most urgent first; claim and resolve, audited.

Callback requests are items of their own (with the visitor's contact details, shown to this clinic's
staff only); `/console/q/<ref>` is where a notification's link lands.
"""

from __future__ import annotations

from typing import Callable

from sanic import Blueprint, response
from sanic.request import Request
from sqlalchemy.orm import Session

from bot.console import auth, safety_queue
from bot.console.access import LoginRequired
from bot.console.audit_trail import audit
from bot.console.conversation_lookup import not_found
from bot.console.rendering import HEADERS, page
from bot.storage.models import CallbackRequest


def register(bp: Blueprint, login_required: LoginRequired) -> None:
    @bp.get("/queue")
    @login_required()
    async def queue(request: Request, db: Session, staff: auth.CurrentStaff):
        rows = safety_queue.open_items(db, staff.clinic_id)
        shown = sum(1 for r in rows if r.is_callback)
        if shown:
            # Contact details are personal data like a transcript: who saw them is on record.
            audit(db, staff, "queue_view", "", f"{shown} callback request(s) with contact details shown")
        timing = safety_queue.timing(staff.clinic_id)
        return page(
            "queue.html",
            staff=staff,
            rows=rows,
            timing=timing,
            deadlines={level: timing.deadlines[level].describe() for level in safety_queue.LEVELS},
            labels=safety_queue.LABELS,
            actions=safety_queue.ACTIONS,
        )

    @bp.get("/q/<ref:str>")
    @login_required()
    async def by_ref(request: Request, db: Session, staff: auth.CurrentStaff, ref: str):
        item = safety_queue.by_ref(db, staff.clinic_id, ref)
        if item is None:
            return not_found(staff)
        if item.resolved_at is None:
            return response.redirect(f"/console/queue#item-{item.ref}", headers=HEADERS)
        return response.redirect(f"/console/c/{item.sender_id}", headers=HEADERS)

    _follow_up_routes(bp, login_required, "/queue/<key:str>", safety_queue.item_or_none, "queue")
    _follow_up_routes(
        bp, login_required, "/queue/callback/<key:str>", safety_queue.callback_or_none, "callback"
    )


def _follow_up_routes(
    bp: Blueprint,
    login_required: LoginRequired,
    path: str,
    find: Callable[[Session, str, str], safety_queue.Item | None],
    kind: str,
) -> None:
    """Claim and resolve one kind of item (a queue item by its sender id, a callback request by its ref);
    `<kind>_claim` and `<kind>_resolve` name both the routes and their audit lines."""

    @bp.post(f"{path}/claim", name=f"{kind}_claim")
    @login_required()
    async def claim(request: Request, db: Session, staff: auth.CurrentStaff, key: str):
        return _claim(db, staff, find(db, staff.clinic_id, key), f"{kind}_claim")

    @bp.post(f"{path}/resolve", name=f"{kind}_resolve")
    @login_required()
    async def resolve(request: Request, db: Session, staff: auth.CurrentStaff, key: str):
        return _resolve(request, db, staff, find(db, staff.clinic_id, key), f"{kind}_resolve")


def _claim(
    db: Session, staff: auth.CurrentStaff, item: safety_queue.Item | None, action: str
) -> response.HTTPResponse:
    if item is None:
        return not_found(staff)
    if item.resolved_at is not None:
        return _refused(staff, "This item is already resolved.", 409)
    previous = item.claimed_by
    item.claimed_by, item.claimed_at = staff.email, auth.now()
    # The target is the sender id for both kinds, so erasing the conversation redacts these lines too.
    audit(db, staff, action, item.sender_id, _detail(item, f"taken over from {previous}" if previous else ""))
    return response.redirect("/console/queue", headers=HEADERS)


def _resolve(
    request: Request, db: Session, staff: auth.CurrentStaff, item: safety_queue.Item | None, action_name: str
) -> response.HTTPResponse:
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
    audit(db, staff, action_name, item.sender_id, _detail(item, f"{action}: {note}"[:200]))
    return response.redirect("/console/queue", headers=HEADERS)


def _detail(item: safety_queue.Item, text: str) -> str:
    """A callback's audit line names the request (its ref), never the phone number or email."""
    if isinstance(item, CallbackRequest):
        return f"callback {item.ref}" + (f"; {text}" if text else "")
    return text


def _refused(staff: auth.CurrentStaff, message: str, status: int) -> response.HTTPResponse:
    return page("error.html", status=status, staff=staff, message=message)
