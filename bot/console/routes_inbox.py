"""The unclear messages inbox: label visitor messages the NLU was unsure of, download the labels as
Rasa NLU training data; every label and download audited; the messages masked unless revealed."""

from __future__ import annotations

from sanic import Blueprint, response
from sanic.request import Request
from sqlalchemy.orm import Session

from bot.console import auth, nlu_inbox, reveals
from bot.console.access import LoginRequired
from bot.console.audit_trail import audit
from bot.console.rendering import HEADERS, page


def register(bp: Blueprint, login_required: LoginRequired) -> None:
    @bp.get("/inbox")
    @login_required()
    async def inbox(request: Request, db: Session, staff: auth.CurrentStaff):
        groups = nlu_inbox.inbox(db, reveals.Reader(db, staff))
        messages = [m for g in groups for m in g.messages]
        return page(
            "inbox.html",
            staff=staff,
            groups=groups,
            total=len(messages),
            labelled=sum(1 for m in messages if m.label is not None),
            intents=nlu_inbox.intents(),
            entities=nlu_inbox.entities(),
        )

    @bp.post("/inbox/<event_id:int>/label")
    @login_required()
    async def label(request: Request, db: Session, staff: auth.CurrentStaff, event_id: int):
        message = nlu_inbox.message_or_none(db, staff.clinic_id, event_id)
        if message is None:
            return page("error.html", status=404, staff=staff, message="There is no such message.")
        shown = reveals.Reader(db, staff).text(message.sender_id, message.text)
        try:
            row, annotations = nlu_inbox.record(
                db, staff, message, request.form.get("intent") or "", request.form.get("example") or "", shown
            )
        except nlu_inbox.LabelError as error:
            return page("error.html", status=400, staff=staff, message=str(error))
        entities = ", ".join(sorted({entity for _, entity in annotations}))
        audit(db, staff, "nlu_label", message.sender_id, f"message {event_id}: {row.intent} [{entities}]")
        return response.redirect(f"/console/inbox#m{event_id}", headers=HEADERS)

    @bp.get("/inbox/nlu.yml")
    @login_required()
    async def nlu_export(request: Request, db: Session, staff: auth.CurrentStaff):
        body, count = nlu_inbox.nlu_export(db, reveals.Reader(db, staff))
        audit(db, staff, "export_nlu", "", f"{count} labelled messages")
        return response.raw(
            body.encode(),
            content_type="application/yaml; charset=utf-8",
            headers={**HEADERS, "Content-Disposition": 'attachment; filename="nlu.yml"'},
        )
