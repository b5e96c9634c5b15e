"""Delete the conversations that are older than their clinic's retention period."""

from __future__ import annotations

import time

from sqlalchemy import select

from bot.clinic import clinic_ids, load_clinic
from bot.console import indexer
from bot.console.audit_trail import record
from bot.console.db import session_factory
from bot.storage.models import Conversation


def purge(dry_run: bool = False) -> int:
    """Delete every conversation whose last message is older than its clinic's retention period."""
    removed = 0
    with session_factory()() as db:
        indexer.refresh(db)
        for clinic in clinic_ids():
            days = int(load_clinic(clinic).get("retention_days") or 0)
            if days <= 0:
                continue
            cutoff = time.time() - days * 86400
            old = (
                db.execute(
                    select(Conversation.sender_id).where(
                        Conversation.clinic_id == clinic, Conversation.last_at < cutoff
                    )
                )
                .scalars()
                .all()
            )
            for sender_id in old:
                if not dry_run:
                    indexer.forget(db, sender_id)
            if old and not dry_run:
                record(
                    db, "purge", clinic, "purge", detail=f"{len(old)} conversations older than {days} days"
                )
            removed += len(old)
        if not dry_run:
            db.commit()
    print(f"{'would delete' if dry_run else 'deleted'} {removed} conversations past their retention period")
    return 0
