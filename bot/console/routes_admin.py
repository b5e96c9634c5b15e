"""The admin-only pages: the audit log and the clinic's staff accounts."""

from __future__ import annotations

from sanic import Blueprint
from sanic.request import Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.console import auth
from bot.console.access import LoginRequired
from bot.console.audit_trail import audit
from bot.console.rendering import page
from bot.storage.models import AuditEntry, Staff


def register(bp: Blueprint, login_required: LoginRequired) -> None:
    @bp.get("/audit")
    @login_required(admin=True)
    async def audit_log(request: Request, db: Session, staff: auth.CurrentStaff):
        entries = (
            db.execute(
                select(AuditEntry)
                .where(AuditEntry.clinic_id.in_([staff.clinic_id, "-"]))
                .order_by(AuditEntry.id.desc())
                .limit(500)
            )
            .scalars()
            .all()
        )
        return page("audit.html", staff=staff, entries=entries)

    @bp.route("/staff", methods=["GET", "POST"])
    @login_required(admin=True)
    async def staff_accounts(request: Request, db: Session, staff: auth.CurrentStaff):
        message = None
        if request.method == "POST":
            try:
                created = auth.create_staff(
                    db,
                    request.form.get("email") or "",
                    request.form.get("password") or "",
                    request.form.get("role") or "reviewer",
                    staff.clinic_id,
                )
                audit(db, staff, "create_staff", created.email, created.role)
                message = f"Account created for {created.email}."
            except auth.AccountError as error:
                message = str(error)
        people = db.execute(
            select(Staff).where(Staff.clinic_id == staff.clinic_id).order_by(Staff.email)
        ).scalars()
        return page("staff.html", staff=staff, people=list(people), message=message, roles=auth.ROLES)
