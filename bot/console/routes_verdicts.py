"""The clinician's verdict: record it on a conversation's page, compare it with the bot's outcome per
rules version (/console/agreement), and download a conversation as a regression case."""

from __future__ import annotations

from sanic import Blueprint, response
from sanic.request import Request
from sqlalchemy.orm import Session

from bot.console import auth, reveals, verdicts
from bot.console.access import LoginRequired
from bot.console.audit_trail import audit
from bot.console.conversation_lookup import back_to, one_conversation
from bot.console.rendering import HEADERS, page
from bot.console.transcripts import screening_summary
from bot.storage.models import Conversation


def register(bp: Blueprint, login_required: LoginRequired) -> None:
    @bp.post("/c/<sender_id:str>/verdict")
    @login_required()
    @one_conversation
    async def verdict(request: Request, db: Session, staff: auth.CurrentStaff, row: Conversation):
        # Every role records verdicts; the verdict keeps the role.
        version = None
        if not row.rules_version:
            payload = screening_summary(reveals.Reader(db, staff).events(row.sender_id))["payload"] or {}
            version = payload.get("rules_version") if isinstance(payload.get("rules_version"), str) else None
        try:
            recorded = verdicts.record(
                db, staff, row, request.form.get("outcome") or "", request.form.get("reason") or "", version
            )
        except verdicts.VerdictError as error:
            return page("error.html", status=400, staff=staff, message=str(error))
        audit(
            db,
            staff,
            "verdict",
            row.sender_id,
            f"{recorded.outcome} (bot {recorded.bot_outcome or 'none'}, {staff.role}): {recorded.reason}",
        )
        return back_to(row.sender_id)

    @bp.get("/agreement")
    @login_required()
    async def agreement(request: Request, db: Session, staff: auth.CurrentStaff):
        return page(
            "agreement.html",
            staff=staff,
            versions=verdicts.agreement(db, staff.clinic_id),
            under_triaged=verdicts.under_triaged(db, staff.clinic_id),
            levels=verdicts.LEVELS,
        )

    @bp.get("/conversations/<sender_id:str>/regression.yml")
    @login_required()
    @one_conversation  # erased conversations are gone: nothing to export
    async def regression_case(request: Request, db: Session, staff: auth.CurrentStaff, row: Conversation):
        sender_id = row.sender_id
        latest = verdicts.latest(db, staff.clinic_id, sender_id)
        if latest is None:
            return page(
                "error.html",
                status=404,
                staff=staff,
                message="This conversation has no clinician's verdict to export.",
            )
        # Masked like every download unless revealed; the case masks digits, emails and phones anyway.
        reader = reveals.Reader(db, staff)
        body = verdicts.regression_yaml(sender_id, latest, reader.events(sender_id))
        audit(
            db, staff, "export_regression_case", sender_id, f"{latest.outcome}, {reader.shown_as(sender_id)}"
        )
        return response.raw(
            body.encode(),
            content_type="application/yaml; charset=utf-8",
            headers={
                **HEADERS,
                "Content-Disposition": f'attachment; filename="{verdicts.case_name(sender_id)}.yml"',
            },
        )
