"""Record what was done in the console's audit log: by a staff member, or by a command or job."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.console import auth
from bot.storage.models import AuditEntry


def audit(db: Session, staff: auth.CurrentStaff, action: str, target: str = "", detail: str = "") -> None:
    """What a staff member did."""
    record(db, staff.email, staff.clinic_id, action, target[:255], detail[:2000])


def record(
    db: Session, actor: str, clinic_id: str, action: str, target: str | None = None, detail: str | None = None
) -> None:
    """One line, now, by `actor`: a staff member's email, or what acted ("cli", "purge", "indexer")."""
    db.add(
        AuditEntry(
            at=auth.now(), actor=actor, clinic_id=clinic_id, action=action, target=target, detail=detail
        )
    )
