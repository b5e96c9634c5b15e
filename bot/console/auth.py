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
# Verified against on every failure path, so a wrong password, an unknown email and a locked account
# cost the same time (the locked path used to answer faster, which told that the account exists).
DUMMY_HASH = HASHER.hash("not a real password: timing only")
ROLES = ("admin", "reviewer", "clinician")
# Roles that may reveal a conversation's raw text for a while (bot/console/reveals.py); reviewers
# only ever read it masked.
REVEAL_ROLES = ("admin", "clinician")
MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=15)
IDLE_TIMEOUT = dt.timedelta(minutes=30)
LAST_SEEN_STEP = dt.timedelta(minutes=1)
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
    # The clinic's safety queue, for the header of every page (set by access.login_guard).
    queue_open: int = 0
    queue_overdue: int = 0

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def can_reveal(self) -> bool:
        return self.role in REVEAL_ROLES


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
    if staff is None or not staff.active or (staff.locked_until and staff.locked_until > now()):
        _dummy_verify(password)
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


def _dummy_verify(password: str) -> None:
    try:
        HASHER.verify(DUMMY_HASH, password)
    except (VerifyMismatchError, InvalidHashError):
        pass


def deactivate(db: Session, email: str) -> Staff:
    """Lock an account for good and end every session it has."""
    staff = db.execute(select(Staff).where(Staff.email == email.strip().lower())).scalar_one_or_none()
    if staff is None:
        raise AccountError(f"no account for {email}")
    staff.active = False
    db.execute(delete(LoginSession).where(LoginSession.staff_id == staff.id))
    return staff


def set_password(db: Session, email: str, password: str) -> Staff:
    """A new password; every existing session of that account ends."""
    staff = db.execute(select(Staff).where(Staff.email == email.strip().lower())).scalar_one_or_none()
    if staff is None:
        raise AccountError(f"no account for {email}")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password needs at least {MIN_PASSWORD} characters")
    staff.password_hash = HASHER.hash(password)
    staff.failed_logins = 0
    staff.locked_until = None
    db.execute(delete(LoginSession).where(LoginSession.staff_id == staff.id))
    return staff


class LoginThrottle:
    """Failed logins per client address: each failure doubles the wait before the next answer (from
    half a second, at most 8 s), and after MAX_ADDRESS_FAILURES in the window the address is refused
    until the window has passed. Per account, MAX_FAILURES locks the account; together they stop both
    guessing one account and spraying one password across many."""

    MAX_ADDRESS_FAILURES = 20
    WINDOW = dt.timedelta(minutes=15)

    def __init__(self) -> None:
        self._failures: dict = {}

    def _recent(self, address: str) -> list:
        cutoff = now() - self.WINDOW
        recent = [t for t in self._failures.get(address, []) if t > cutoff]
        self._failures[address] = recent
        return recent

    def blocked(self, address: str) -> bool:
        return len(self._recent(address)) >= self.MAX_ADDRESS_FAILURES

    def failed(self, address: str) -> float:
        """Record a failure; returns how long to wait before answering."""
        recent = self._recent(address)
        recent.append(now())
        if len(self._failures) > 10_000:  # bounded memory under a spray from many addresses
            self._failures = {address: recent}
        return min(8.0, 0.5 * 2 ** (len(recent) - 1))

    def succeeded(self, address: str) -> None:
        self._failures.pop(address, None)


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
    # Written at most once a minute: every page had committed this one row (a write and a commit per
    # request), and idle expiry after 30 minutes does not need it to the second.
    if moment - session.last_seen > LAST_SEEN_STEP:
        session.last_seen = moment
    return CurrentStaff(staff.id, staff.email, staff.role, staff.clinic_id, session.csrf_token)


def end_session(db: Session, token: str | None) -> None:
    if token:
        db.execute(delete(LoginSession).where(LoginSession.token_hash == token_hash(token)))


def csrf_ok(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected, given)
