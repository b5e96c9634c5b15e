"""Staff accounts: argon2 password hashes, lock-out after repeated failures, expiring sessions, CSRF.

Session cookies hold a random token; the database keeps only its SHA-256, so a copied table opens
nothing. Each session has its own CSRF token, checked on every form post.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.storage.models import LoginSession, Staff

HASHER = PasswordHasher()
ROLES = ("admin", "reviewer")
MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=15)
IDLE_TIMEOUT = dt.timedelta(minutes=30)
MAX_SESSION = dt.timedelta(hours=8)
MIN_PASSWORD = 12


class AccountError(ValueError):
    """A staff account could not be created or changed; the message says why."""


@dataclass(frozen=True)
class CurrentStaff:
    id: int
    email: str
    role: str
    clinic_id: str
    csrf_token: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def now() -> dt.datetime:
    return dt.datetime.utcnow()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_staff(db: Session, email: str, password: str, role: str, clinic_id: str) -> Staff:
    email = email.strip().lower()
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if "@" not in email or len(email) > 255:
        raise AccountError("give an email address")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password needs at least {MIN_PASSWORD} characters")
    if db.execute(select(Staff).where(Staff.email == email)).scalar_one_or_none():
        raise AccountError(f"{email} already has an account")
    staff = Staff(
        email=email,
        password_hash=HASHER.hash(password),
        role=role,
        clinic_id=clinic_id,
        failed_logins=0,
        active=True,
        created_at=now(),
    )
    db.add(staff)
    db.flush()
    return staff


def authenticate(db: Session, email: str, password: str) -> Staff | None:
    """The staff member, or None. Failures count towards a temporary lock-out."""
    staff = db.execute(select(Staff).where(Staff.email == email.strip().lower())).scalar_one_or_none()
    if staff is None or not staff.active:
        HASHER.hash(password)  # same work either way, so timing does not reveal which emails exist
        return None
    if staff.locked_until and staff.locked_until > now():
        return None
    try:
        HASHER.verify(staff.password_hash, password)
    except (VerifyMismatchError, InvalidHashError):
        staff.failed_logins += 1
        if staff.failed_logins >= MAX_FAILURES:
            staff.locked_until = now() + LOCKOUT
            staff.failed_logins = 0
        return None
    staff.failed_logins = 0
    staff.locked_until = None
    if HASHER.check_needs_rehash(staff.password_hash):
        staff.password_hash = HASHER.hash(password)
    return staff


def start_session(db: Session, staff: Staff) -> str:
    """A new session; returns the cookie value."""
    token = secrets.token_urlsafe(32)
    db.add(
        LoginSession(
            token_hash=token_hash(token),
            staff_id=staff.id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now(),
            last_seen=now(),
        )
    )
    return token


def current_staff(db: Session, token: str | None) -> CurrentStaff | None:
    if not token:
        return None
    session = db.get(LoginSession, token_hash(token))
    if session is None:
        return None
    moment = now()
    if moment - session.last_seen > IDLE_TIMEOUT or moment - session.created_at > MAX_SESSION:
        db.delete(session)
        return None
    staff = db.get(Staff, session.staff_id)
    if staff is None or not staff.active:
        return None
    session.last_seen = moment
    return CurrentStaff(staff.id, staff.email, staff.role, staff.clinic_id, session.csrf_token)


def end_session(db: Session, token: str | None) -> None:
    if token:
        db.execute(delete(LoginSession).where(LoginSession.token_hash == token_hash(token)))


def csrf_ok(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected, given)
