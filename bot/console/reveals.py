"""Who reads a conversation's raw text: the `Reader` every page and export gets visitor text through
(masked by bot/console/redaction.py), and the time-limited, audited reveal that lets an admin or a
clinician read one conversation raw.

A reveal is a grant to one staff member for one conversation of their clinic: it needs a reason and
a duration from REVEAL_MINUTES, is audited (who, when, why, for how long) and ends by itself; its
holder may end it sooner. Everyone else, and the holder after it ends, reads the masked text.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Dict, Iterable, List

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.console import auth, indexer, redaction
from bot.console.audit_trail import audit
from bot.storage.models import Conversation, RevealGrant

REVEAL_MINUTES = (15, 30, 60, 120)
MIN_REASON = 10
MAX_REASON = 2000


class RevealError(ValueError):
    """A reveal that cannot be given; the message says why. `status` is the HTTP status to answer."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def live_grants(db: Session, staff: auth.CurrentStaff, sender_ids: Iterable[str]) -> Dict[str, RevealGrant]:
    """The staff member's live grants on these conversations of their clinic, by sender id."""
    senders = list(dict.fromkeys(sender_ids))
    if not senders or not staff.can_reveal:
        return {}
    found: Dict[str, RevealGrant] = {}
    for start in range(0, len(senders), 500):
        rows = db.execute(
            select(RevealGrant)
            .where(
                RevealGrant.sender_id.in_(senders[start : start + 500]),
                RevealGrant.staff_id == staff.id,
                RevealGrant.clinic_id == staff.clinic_id,
                RevealGrant.expires_at > auth.now(),
            )
            .order_by(RevealGrant.expires_at)
        ).scalars()
        for grant in rows:
            found[grant.sender_id] = grant  # the latest expiry wins
    return found


def reveal(
    db: Session, staff: auth.CurrentStaff, row: Conversation, reason: str, minutes: Any
) -> RevealGrant:
    """Grant `staff` the raw text of `row` for `minutes`, audited; RevealError when it may not be."""
    if not staff.can_reveal:
        audit(db, staff, "reveal_refused", row.sender_id, f"role {staff.role}")
        raise RevealError(
            "Only an admin or a clinician can reveal a conversation's text; reviewers read it masked.", 403
        )
    if row.clinic_id != staff.clinic_id:
        raise RevealError("There is no such conversation.", 404)
    reason = " ".join((reason or "").split())[:MAX_REASON]
    if len(reason) < MIN_REASON:
        raise RevealError(
            f"Write why you need to read the raw text (at least {MIN_REASON} characters): "
            "the reason is kept in the audit log."
        )
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        minutes = 0
    if minutes not in REVEAL_MINUTES:
        raise RevealError(f"Choose how long: {', '.join(str(m) for m in REVEAL_MINUTES)} minutes.")
    now = auth.now()
    grant = RevealGrant(
        sender_id=row.sender_id,
        clinic_id=staff.clinic_id,
        staff_id=staff.id,
        staff=staff.email,
        reason=reason,
        created_at=now,
        expires_at=now + dt.timedelta(minutes=minutes),
    )
    db.add(grant)
    audit(
        db,
        staff,
        "reveal",
        row.sender_id,
        f"{minutes} min, until {grant.expires_at:%Y-%m-%d %H:%M} UTC: {reason}",
    )
    db.flush()
    return grant


def hide(db: Session, staff: auth.CurrentStaff, sender_id: str) -> bool:
    """End the staff member's live reveal of a conversation now; False when there was none."""
    grant = live_grants(db, staff, [sender_id]).get(sender_id)
    if grant is None:
        return False
    grant.expires_at = auth.now()
    audit(db, staff, "reveal_end", sender_id, "ended early")
    return True


class Reader:
    """Visitor text as one staff member may read it: raw for the conversations they hold a live reveal
    on, masked for all others. The console's pages and exports read visitor text only through here."""

    def __init__(self, db: Session, staff: auth.CurrentStaff) -> None:
        self.db = db
        self.staff = staff
        self._grants: Dict[str, RevealGrant | None] = {}

    def load(self, sender_ids: Iterable[str]) -> None:
        """Look up the grants of many conversations at once (a list, an export)."""
        wanted = [s for s in sender_ids if s not in self._grants]
        found = live_grants(self.db, self.staff, wanted)
        for sender_id in wanted:
            self._grants[sender_id] = found.get(sender_id)

    def grant(self, sender_id: str) -> RevealGrant | None:
        if sender_id not in self._grants:
            self.load([sender_id])
        return self._grants[sender_id]

    def revealed(self, sender_id: str) -> bool:
        return self.grant(sender_id) is not None

    def events(self, sender_id: str) -> List[Dict[str, Any]]:
        """The conversation's stored events, the visitor's words masked unless revealed."""
        events = indexer.load_events(self.db, sender_id)
        return events if self.revealed(sender_id) else redaction.masked_events(events)

    def text(self, sender_id: str, text: str) -> str:
        return text if self.revealed(sender_id) else redaction.mask(text)

    def example(self, sender_id: str, example: str) -> str:
        """A training example written from one of the conversation's messages."""
        return example if self.revealed(sender_id) else redaction.mask_annotated(example)

    def shown_as(self, sender_id: str) -> str:
        """'raw' or 'masked', for the audit log's detail."""
        return "raw (revealed)" if self.revealed(sender_id) else "masked"
