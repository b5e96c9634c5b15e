"""Callback requests: a visitor's phone number or email, checked strictly, kept only to call them back.

They come from the widget's small form to the web app's POST /callback (bot/web/callback_route.py),
never through Rasa: contact details never reach the NLU, the tracker, a transcript or an export. A
request is taken only with the visitor's explicit consent (the form's box), and only for a
conversation of that clinic that is kept, which means its visitor agreed to keep their answers
(a declined conversation is never stored: bot/storage/tracker_store.py). The request is a safety-queue
item of its own (bot/console/safety_queue.py), shown with its contact details to that clinic's staff
only, and erased with the conversation (bot/storage/erasure.py).
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass
from typing import Any, Dict, Tuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.console import indexer, notifications, safety_queue
from bot.storage import changes
from bot.storage.models import AuditEntry, CallbackRequest

MAX_BODY_BYTES = 2048
FIELDS = ("sender", "clinic", "contact", "preferred_time", "consent")
PREFERRED_TIMES = ("morning", "afternoon", "evening")
MAX_EMAIL = 254
_PHONE = re.compile(r"^\+?[0-9 ()\-]+$")
_EMAIL = re.compile(
    r"^(?!\.)(?!.*\.\.)[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}(?<!\.)"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
_SENDER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$")
_CLINIC = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")

CONSENT_REQUIRED = (
    "Please tick the box to agree that the clinic keeps your phone number or email to contact you. "
    "Without it, we can't pass on your request."
)
INVALID_CONTACT = (
    "Please enter a phone number (7 to 20 digits; spaces, +, - and brackets are fine) or an email address."
)
NOT_ALLOWED = (
    "We can only pass on a callback request from a chat whose answers you agreed to keep. "
    "You can call or email the clinic directly instead."
)


class CallbackRefused(ValueError):
    """A request refused: `status` for HTTP, `code` for programs, the message for the visitor."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@dataclass(frozen=True)
class CallbackForm:
    sender: str
    clinic: str
    contact_kind: str  # phone | email
    contact: str
    preferred_time: str | None


def contact_of(value: Any) -> Tuple[str, str]:
    """("phone" | "email", the contact as stored), or CallbackRefused."""
    if not isinstance(value, str):
        raise CallbackRefused(400, "invalid_contact", INVALID_CONTACT)
    text = " ".join(value.split())
    if "@" in text:
        if len(text) <= MAX_EMAIL and _EMAIL.match(text):
            return "email", text
        raise CallbackRefused(400, "invalid_contact", INVALID_CONTACT)
    digits = sum(ch.isdigit() for ch in text)
    if _PHONE.match(text) and 7 <= digits <= 20 and len(text) <= 40:
        return "phone", text
    raise CallbackRefused(400, "invalid_contact", INVALID_CONTACT)


def check_form(body: Any) -> CallbackForm:
    """The request's fields, strictly: an object of known keys, each of the expected shape."""
    if not isinstance(body, dict):
        raise CallbackRefused(400, "bad_request", "The request must be a JSON object.")
    unknown = sorted(str(key)[:40] for key in body if key not in FIELDS)
    if unknown:
        raise CallbackRefused(400, "bad_request", f"Unknown fields: {', '.join(unknown)[:200]}.")
    sender, clinic = body.get("sender"), body.get("clinic")
    if not isinstance(sender, str) or not _SENDER.match(sender):
        raise CallbackRefused(400, "bad_request", "sender must be the conversation's id.")
    if not isinstance(clinic, str) or not _CLINIC.match(clinic):
        raise CallbackRefused(400, "bad_request", "clinic must be the clinic's id.")
    if body.get("consent") is not True:
        raise CallbackRefused(400, "consent_required", CONSENT_REQUIRED)
    kind, contact = contact_of(body.get("contact"))
    preferred = body.get("preferred_time") or None
    if preferred is not None and preferred not in PREFERRED_TIMES:
        raise CallbackRefused(
            400,
            "invalid_preferred_time",
            f"preferred_time must be one of {', '.join(PREFERRED_TIMES)}, or empty.",
        )
    return CallbackForm(sender, clinic, kind, contact, preferred)


def conversation_allows(db: Session, sender_id: str, clinic_id: str) -> bool:
    """Whether the sender is a kept conversation of this clinic whose visitor agreed to keep it. Read
    from the stored events, not the index: a visitor who just saw their result may be quicker than
    the indexer."""
    if changes.erased(db.connection(), [sender_id]):
        return False
    fields = indexer.summarise(sender_id, indexer.load_events(db, sender_id))
    return fields is not None and fields["clinic_id"] == clinic_id and fields["consent"] is True


def store(db: Session, form: CallbackForm, now: float | None = None) -> Tuple[CallbackRequest, bool]:
    """Save the request as a queue item (or update the conversation's open one: a corrected number
    replaces the old one, the due-by stays); returns (request, whether it is new)."""
    now = time.time() if now is None else now
    request = db.execute(
        select(CallbackRequest).where(
            CallbackRequest.sender_id == form.sender,
            CallbackRequest.clinic_id == form.clinic,
            CallbackRequest.resolved_at.is_(None),
        )
    ).scalar_one_or_none()
    created = request is None
    if created:
        request = CallbackRequest(
            ref=safety_queue.new_ref(),
            sender_id=form.sender,
            clinic_id=form.clinic,
            created_at=now,
            due_at=safety_queue.timing(form.clinic).due(now, safety_queue.CALLBACK),
        )
        db.add(request)
    request.contact_kind, request.contact = form.contact_kind, form.contact
    request.preferred_time, request.consented_at = form.preferred_time, now
    db.add(
        AuditEntry(
            at=_utc(now),
            actor="visitor",
            clinic_id=form.clinic,
            action="callback_request" if created else "callback_request_changed",
            target=form.sender,
            detail=f"by {form.contact_kind}",  # the kind only: the number or address stays in its row
        )
    )
    db.flush()
    if created:
        notifications.record_new(db, request, last_at=now, now=now)
    return request, created


def receipt(clinic: Dict[str, Any], form: CallbackForm) -> str:
    """What the visitor reads once the request is in."""
    how = "call" if form.contact_kind == "phone" else "email"
    hours = clinic.get("opening_hours")
    when = f" during its opening hours ({hours})" if hours else ""
    return (
        f"Thank you. {clinic.get('name', 'The clinic')} will {how} you{when}. "
        f"Your {form.contact_kind} is kept only to contact you, and is erased with this conversation. "
        "If it is urgent, call "
        f"{clinic.get('emergency_number', 'your local emergency number')}."
    )


def _utc(ts: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(ts, dt.timezone.utc).replace(tzinfo=None)  # as auth.now() stores it
