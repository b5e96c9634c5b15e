"""Record what a staff member did in the console's audit log."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.console import auth
from bot.storage.models import AuditEntry


def audit(db: Session, staff: auth.CurrentStaff, action: str, target: str = "", detail: str = "") -> None:
    db.add(
        AuditEntry(
            at=auth.now(),
            actor=staff.email,
            clinic_id=staff.clinic_id,
            action=action,
            target=target[:255],
            detail=detail[:2000],
        )
    )
