"""Tell the clinic about safety-queue items: by email (SMTP) and an optional webhook, each sent once.

Two events, per the clinic's `notifications:` settings (bot/notification_settings.py):
- "new": the indexer opened an item at a level the clinic is told about at once (self-harm and red
  flag by default), or raised an item to such a level (`record_new`, called by the safety queue);
- "due_soon": an open item is within `due_soon_minutes` of its due-by, checked on every indexing
  cycle (`record_due_soon`); an item first seen already overdue (the web app was down) is still
  notified, up to LATE_GRACE after its due-by.

Each notification is a row (console_notifications) written before it is sent: a unique key per item,
event, level and channel makes it once, and a send that fails is retried on a later cycle (after
BACKOFF) without stopping the indexer. Neither the email nor the webhook carries anything the visitor
said, nor the sender id (the key to their conversation): the clinic, the level, the due-by and a
console link with the item's random ref.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import json
import logging
import os
import smtplib
import ssl
import time
import urllib.error
import urllib.request
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any, Callable, Dict, List, Tuple, Union

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.clinic import ClinicSettingsError, clinic_ids, notifications_of, own_settings, schedule_of
from bot.notification_settings import EmailSettings, NotificationSettings, WebhookSettings
from bot.opening_hours import local_time
from bot.storage.models import CallbackRequest, Notification, SafetyQueueItem

logger = logging.getLogger(__name__)

Item = Union[SafetyQueueItem, CallbackRequest]  # what a notification is about

NEW, DUE_SOON = "new", "due_soon"
PENDING, SENT, DROPPED = "pending", "sent", "dropped"
LEVEL_LABELS = {
    "self_harm": "self-harm",
    "red_flag": "red flag",
    "clearance": "medical clearance",
    "callback": "callback request",
}
# A "new" notice only for a conversation that moved in the last day: re-indexing old conversations (or
# loading synthetic ones) must not mail the clinic about last month.
FRESH_SECONDS = 24 * 3600
LATE_GRACE = 24 * 3600
BACKOFF = (10.0, 30.0, 60.0, 300.0, 900.0)  # seconds before the 1st, 2nd, … retry; then every 15 min
BATCH = 50

Sender = Callable[[Any, Any], None]  # (channel settings, message or payload) -> None, raises on failure


class NotificationError(RuntimeError):
    """A notification that could not be sent; the message says why (never what the visitor said)."""


def console_base() -> str:
    """Where staff open the console, for links: $CONSOLE_PUBLIC_URL, else this machine's web app."""
    base = (
        os.environ.get("CONSOLE_PUBLIC_URL") or f"http://127.0.0.1:{os.environ.get('WEB_PORT', 8000)}/console"
    )
    return base.rstrip("/")


def item_link(ref: str) -> str:
    return f"{console_base()}/q/{ref}"


def settings_for(clinic_id: str) -> NotificationSettings | None:
    """The clinic's own notification settings; None without them or without a file of its own (another
    clinic's addresses must never hear of this clinic's items)."""
    try:
        clinic = own_settings(clinic_id)
        return notifications_of(clinic) if clinic else None
    except (ClinicSettingsError, OSError):
        logger.exception("clinic %s: settings unreadable; no notifications for it", clinic_id)
        return None


# ---- recording -----------------------------------------------------------------------------------


def record_new(db: Session, item: Item, last_at: float, now: float | None = None) -> int:
    """Record the "new item" notifications the clinic wants for this item (just opened or raised to its
    level; `last_at`: its conversation's last message); returns how many."""
    now = time.time() if now is None else now
    if now - last_at > FRESH_SECONDS:
        return 0  # (asked first: reading the clinic's settings for each old item was a tenth of indexing)
    settings = settings_for(item.clinic_id)
    if settings is None or item.level not in settings.new_levels:
        return 0
    return _record(db, settings, NEW, item, now)


def record_due_soon(db: Session, now: float | None = None) -> int:
    """Record a "due soon" notification for every open item within its clinic's warning window."""
    now = time.time() if now is None else now
    recorded = 0
    for clinic_id in clinic_ids():
        settings = settings_for(clinic_id)
        if settings is None:
            continue
        window = settings.due_soon_minutes * 60
        for model in (SafetyQueueItem, CallbackRequest):
            items = db.execute(
                select(model).where(
                    model.clinic_id == clinic_id,
                    model.resolved_at.is_(None),
                    model.due_at <= now + window,
                    model.due_at > now - LATE_GRACE,
                )
            ).scalars()
            for item in items:
                if item.ref and not _new_notice_said_it(db, item.ref, item.level, item.due_at - window):
                    recorded += _record(db, settings, DUE_SOON, item, now)
    return recorded


def _new_notice_said_it(db: Session, ref: str, level: str, since: float) -> bool:
    """A "new" notice sent inside the warning window already gave the due-by: no second message."""
    return (
        db.execute(
            select(Notification.id).where(
                Notification.item_ref == ref,
                Notification.kind == NEW,
                Notification.level == level,
                Notification.created_at >= since,
            )
        ).first()
        is not None
    )


def _record(db: Session, settings: NotificationSettings, kind: str, item: Item, now: float) -> int:
    recorded = 0
    for channel in settings.channels:
        known = db.execute(
            select(Notification.id).where(
                Notification.item_ref == item.ref,
                Notification.kind == kind,
                Notification.level == item.level,
                Notification.channel == channel,
            )
        ).first()
        if known is None:
            db.add(
                Notification(
                    clinic_id=item.clinic_id,
                    sender_id=item.sender_id,
                    item_ref=item.ref,
                    kind=kind,
                    level=item.level,
                    channel=channel,
                    due_at=item.due_at,
                    created_at=now,
                    status=PENDING,
                    attempts=0,
                    next_attempt_at=now,
                )
            )
            recorded += 1
    if recorded:
        db.flush()
    return recorded


# ---- sending -------------------------------------------------------------------------------------


def deliver(
    db: Session,
    now: float | None = None,
    send_email: Sender | None = None,
    post_webhook: Sender | None = None,
) -> Tuple[int, int]:
    """Send the pending notifications that are due (a batch); returns (sent, failed). Every outcome is
    committed at once, so a crash between two sends never sends one twice."""
    now = time.time() if now is None else now
    senders = {"email": send_email or smtp_send, "webhook": post_webhook or webhook_post}
    rows = (
        db.execute(
            select(Notification)
            .where(Notification.status == PENDING, Notification.next_attempt_at <= now)
            .order_by(Notification.id)
            .limit(BATCH)
        )
        .scalars()
        .all()
    )
    sent = 0
    failures: Dict[Tuple[str, str], List[str]] = {}
    for row in rows:
        item = _open_item(db, row)
        settings = settings_for(row.clinic_id)
        channel = getattr(settings, row.channel, None) if settings else None
        if item is None or channel is None:
            row.status = DROPPED
            row.last_error = "item resolved or erased before sending" if item is None else "channel removed"
            db.commit()
            continue
        try:
            message = (
                email_message(row, channel, now) if row.channel == "email" else webhook_payload(row, now)
            )
            senders[row.channel](channel, message)
        except Exception as error:  # noqa: BLE001  one notification that fails never stops the others
            if not isinstance(error, (OSError, smtplib.SMTPException, NotificationError, ValueError)):
                logger.exception("clinic %s: unexpected error sending a notification", row.clinic_id)
            row.attempts += 1
            row.last_error = f"{type(error).__name__}: {error}"[:300]
            row.next_attempt_at = now + BACKOFF[min(row.attempts, len(BACKOFF)) - 1]
            failures.setdefault((row.clinic_id, row.channel), []).append(row.last_error)
        else:
            row.status, row.sent_at = SENT, now
            sent += 1
        db.commit()
    for (clinic_id, channel), errors in failures.items():
        logger.warning(
            "clinic %s: %d %s notification(s) not sent (%s); retried on a later cycle",
            clinic_id,
            len(errors),
            channel,
            errors[-1],
        )
    return sent, sum(len(e) for e in failures.values())


def cycle(db: Session, now: float | None = None) -> Tuple[int, int]:
    """One indexing cycle's share: record what is due soon, then send what is pending."""
    now = time.time() if now is None else now
    record_due_soon(db, now)
    db.commit()
    return deliver(db, now)


def _open_item(db: Session, row: Notification) -> SafetyQueueItem | CallbackRequest | None:
    for model in (SafetyQueueItem, CallbackRequest):
        item = db.execute(select(model).where(model.ref == row.item_ref)).scalar_one_or_none()
        if item is not None:
            return item if item.resolved_at is None else None
    return None


# ---- the messages --------------------------------------------------------------------------------


def _when(row: Notification) -> Tuple[str, str]:
    """The due-by in the clinic's own time zone, and in UTC (ISO 8601)."""
    try:
        clinic = own_settings(row.clinic_id)
        local = local_time(row.due_at, schedule_of(clinic)) if clinic else None
    except (ClinicSettingsError, OSError):
        local = None
    iso = dt.datetime.fromtimestamp(row.due_at, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return local or iso, iso


def _headline(row: Notification, now: float) -> str:
    label = LEVEL_LABELS.get(row.level, row.level)
    if row.kind == NEW:
        return f"New {label} item in the safety queue"
    if row.due_at <= now:
        return f"A {label} item in the safety queue is overdue"
    return f"A {label} item in the safety queue is due in {max(1, round((row.due_at - now) / 60))} minutes"


def email_message(row: Notification, settings: EmailSettings, now: float) -> EmailMessage:
    local, iso = _when(row)
    clinic = own_settings(row.clinic_id) or {}
    headline = _headline(row, now)
    message = EmailMessage()
    message["Subject"] = f"[{clinic.get('name', row.clinic_id)}] {headline}, due by {local}"
    message["From"] = settings.sender
    message["To"] = ", ".join(settings.recipients)
    message["Date"] = formatdate(now, localtime=False)
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2])
    message.set_content(
        f"{headline}.\n\n"
        f"Due by: {local} ({iso})\n"
        f"Open it in the console (sign in first): {item_link(row.item_ref)}\n\n"
        "This message carries no details of the conversation on purpose; they are in the console.\n"
    )
    return message


def webhook_payload(row: Notification, now: float) -> Dict[str, Any]:
    _, iso = _when(row)
    return {
        "clinic": row.clinic_id,
        "item": row.item_ref,
        "event": row.kind,
        "level": row.level,
        "due_by": iso,
        "overdue": row.due_at <= now,
        "console_url": item_link(row.item_ref),
    }


@functools.lru_cache(maxsize=1)
def _tls_context() -> ssl.SSLContext:
    """The default TLS context, made once: loading the system's certificates costs tens of milliseconds
    of CPU, which every send (and retry) paid while the console's pages waited."""
    return ssl.create_default_context()


def smtp_send(settings: EmailSettings, message: EmailMessage) -> None:
    """Send one email with the standard library (blocking: the caller runs it off the event loop)."""
    password = None
    if settings.username:
        password = os.environ.get(settings.password_env or "")
        if not password:
            raise NotificationError(
                f"environment variable {settings.password_env} (the SMTP password) is not set"
            )
    context = _tls_context()
    if settings.tls == "ssl":
        client = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout, context=context)
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    with client:
        if settings.tls == "starttls":
            client.starttls(context=context)
        if settings.username:
            client.login(settings.username, password)
        client.send_message(message)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a redirected POST is a failure to be retried, not a GET somewhere else


def webhook_post(settings: WebhookSettings, payload: Dict[str, Any]) -> None:
    """POST the JSON payload; any answer but 2xx is a failure. Signed when the clinic set a secret."""
    body = json.dumps(payload, sort_keys=True).encode()
    headers = {"Content-Type": "application/json", "User-Agent": "screening-console/1"}
    if settings.secret_env:
        secret = os.environ.get(settings.secret_env)
        if not secret:
            raise NotificationError(
                f"environment variable {settings.secret_env} (the webhook secret) is not set"
            )
        headers["X-Signature-SHA256"] = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    request = urllib.request.Request(settings.url, data=body, headers=headers, method="POST")
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        with opener.open(request, timeout=settings.timeout) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    if not 200 <= status < 300:
        raise NotificationError(f"the webhook answered {status}")
