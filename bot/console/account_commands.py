"""The account commands: create a clinic's admin, deactivate an account, set a new password."""

from __future__ import annotations

import getpass
import os
import sys

from bot.console import auth
from bot.console.audit_trail import record
from bot.console.db import session_factory


def create_admin(email: str, clinic: str) -> int:
    password = os.environ.get("CONSOLE_ADMIN_PASSWORD") or getpass.getpass("Password (12+ characters): ")
    with session_factory()() as db:
        try:
            staff = auth.create_staff(db, email, password, "admin", clinic)
        except auth.AccountError as error:
            print(f"not created: {error}", file=sys.stderr)
            return 1
        record(db, "cli", clinic, "create_staff", staff.email, "admin")
        db.commit()
    print(f"admin {email} created for clinic {clinic}; log in at /console")
    return 0


def change_account(email: str, deactivate: bool) -> int:
    """Deactivate an account (its sessions end at once) or set a new password (ditto)."""
    with session_factory()() as db:
        try:
            if deactivate:
                staff = auth.deactivate(db, email)
                action = "deactivate_staff"
            else:
                password = os.environ.get("CONSOLE_NEW_PASSWORD") or getpass.getpass("New password: ")
                staff = auth.set_password(db, email, password)
                action = "set_password"
        except auth.AccountError as error:
            print(f"not changed: {error}", file=sys.stderr)
            return 1
        record(db, "cli", staff.clinic_id, action, staff.email)
        db.commit()
    print(f"{email}: {'deactivated' if deactivate else 'new password set'}; its sessions have ended")
    return 0
