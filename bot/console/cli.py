"""Console commands: create the first admin, purge old conversations, fill the store with synthetic ones.

usage:
  python -m bot.console.cli create-admin --email EMAIL --clinic demo   (asks for the password;
        or reads $CONSOLE_ADMIN_PASSWORD for automation)
  python -m bot.console.cli purge [--dry-run]       delete conversations older than each clinic's
        retention_days (schedule it, e.g. daily from cron)
  python -m bot.console.cli synth --count 5000 [--clinic demo] [--seed 1]
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import random
import sys
import time
import uuid
from typing import Any, Dict, List

from sqlalchemy import insert, select

from bot.clinic import clinic_ids, load_clinic
from bot.console import auth, indexer
from bot.console.db import session_factory
from bot.storage import changes
from bot.storage.migrate import upgrade
from bot.storage.models import AuditEntry, Conversation


def create_admin(email: str, clinic: str) -> int:
    password = os.environ.get("CONSOLE_ADMIN_PASSWORD") or getpass.getpass("Password (12+ characters): ")
    with session_factory()() as db:
        try:
            staff = auth.create_staff(db, email, password, "admin", clinic)
        except auth.AccountError as error:
            print(f"not created: {error}", file=sys.stderr)
            return 1
        db.add(
            AuditEntry(
                at=auth.now(),
                actor="cli",
                clinic_id=clinic,
                action="create_staff",
                target=staff.email,
                detail="admin",
            )
        )
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
        db.add(
            AuditEntry(
                at=auth.now(), actor="cli", clinic_id=staff.clinic_id, action=action, target=staff.email
            )
        )
        db.commit()
    print(f"{email}: {'deactivated' if deactivate else 'new password set'}; its sessions have ended")
    return 0


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
                db.add(
                    AuditEntry(
                        at=auth.now(),
                        actor="purge",
                        clinic_id=clinic,
                        action="purge",
                        detail=f"{len(old)} conversations older than {days} days",
                    )
                )
            removed += len(old)
        if not dry_run:
            db.commit()
    print(f"{'would delete' if dry_run else 'deleted'} {removed} conversations past their retention period")
    return 0


# ---- synthetic conversations
SCENARIOS = [
    # (weight, answers to the form, questions asked, outcome)
    (
        30,
        {
            "skin_type": "normal",
            "conditions": [],
            "recent_procedures": [],
            "lifestyle": [],
            "goals": ["glow"],
        },
        ["faq/pain"],
        "likely_suitable",
    ),
    (
        20,
        {
            "skin_type": "sensitive",
            "conditions": ["eczema"],
            "recent_procedures": [],
            "lifestyle": ["smoking"],
            "goals": ["wrinkles"],
        },
        ["ask_benefit"],
        "suitable_with_precautions",
    ),
    (
        15,
        {
            "skin_type": "oily",
            "conditions": ["anticoagulants"],
            "recent_procedures": [],
            "lifestyle": [],
            "goals": ["wrinkles"],
        },
        ["faq/safety"],
        "needs_medical_clearance",
    ),
    (
        10,
        {
            "skin_type": "dry",
            "conditions": ["pregnancy"],
            "recent_procedures": [],
            "lifestyle": [],
            "goals": ["glow"],
        },
        [],
        "not_suitable_now",
    ),
    (
        10,
        {
            "skin_type": "combination",
            "conditions": [],
            "recent_procedures": ["botox"],
            "days_since_procedure": 7.0,
            "lifestyle": ["poor_sleep"],
            "goals": ["elasticity"],
        },
        ["faq/cost"],
        "not_suitable_now",
    ),
    (5, {}, [], "seek_urgent_care"),
    (10, {"skin_type": "normal"}, ["faq/what_is", "ask_benefits_overview"], None),  # dropped out
]
QUESTION_TEXT = {
    "faq/pain": "does it hurt?",
    "faq/safety": "is it safe?",
    "faq/cost": "how much is it?",
    "faq/what_is": "what is facial acupuncture",
    "ask_benefit": "will it help my wrinkles?",
    "ask_benefits_overview": "what are the benefits?",
}


def _events(rng: random.Random, start: float, clinic: str) -> List[Dict[str, Any]]:
    weights = [s[0] for s in SCENARIOS]
    _, answers, questions, outcome = rng.choices(SCENARIOS, weights)[0]
    t = start
    events: List[Dict[str, Any]] = []

    def user(text: str, intent: str, confidence: float = 0.98) -> None:
        nonlocal t
        t += rng.uniform(3, 40)
        name, _, key = intent.partition("/")
        events.append(
            {
                "event": "user",
                "timestamp": t,
                "text": text,
                "input_channel": "socketio",
                "metadata": {"clinic": clinic},
                "parse_data": {
                    "intent": {
                        "name": name,
                        "confidence": confidence,
                        **({"full_retrieval_intent_name": intent} if key else {}),
                    },
                    "entities": [],
                    "text": text,
                },
            }
        )

    def bot(text: str, custom: Any = None) -> None:
        events.append({"event": "bot", "timestamp": t + 0.2, "text": text, "data": {"custom": custom}})

    def slot(name: str, value: Any) -> None:
        events.append({"event": "slot", "timestamp": t + 0.1, "name": name, "value": value})

    events.append({"event": "action", "timestamp": t, "name": "action_session_start"})
    events.append({"event": "session_started", "timestamp": t})
    user("hi", "greet")
    bot("Hi! I'm the clinic's automated assistant...")
    if outcome == "seek_urgent_care":
        user("my face is drooping on one side", "report_symptom", 1.0)
        slot("red_flags", ["facial_droop"])
        slot("screening_outcome", outcome)
        bot("Please get urgent medical help now", {"type": "screening_result", "outcome": outcome})
        return events
    user("yes", "affirm")
    slot("consent", True)
    for question in questions:
        user(QUESTION_TEXT[question], question, rng.choice([0.95, 0.9, 0.55]))
        bot("An answer from the knowledge file.")
    for name, value in answers.items():
        user(json.dumps(value) if not isinstance(value, str) else value, "inform")
        slot(name, value)
    if outcome:
        user("yes", "affirm")
        slot("answers_confirmed", True)
        slot("screening_outcome", outcome)
        bot(f"**{outcome}**", {"type": "screening_result", "outcome": outcome, "reasons": [], "caveats": []})
    if rng.random() < 0.05:
        user("blue monkey spaghetti", "nlu_fallback", 0.3)
        bot("Sorry, I'm not sure I understood.")
    return events


def synth(count: int, clinics: List[str], seed: int = 1, days: int = 60) -> int:
    rng = random.Random(seed)
    now = time.time()
    rows = []
    senders = []
    with session_factory()() as db:
        for _ in range(count):
            sender = uuid.UUID(int=rng.getrandbits(128)).hex
            senders.append(sender)
            clinic = rng.choice(clinics)
            for event in _events(rng, now - rng.uniform(0, days * 86400), clinic):
                intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
                rows.append(
                    {
                        "sender_id": sender,
                        "type_name": event["event"],
                        "timestamp": event["timestamp"],
                        "intent_name": intent,
                        "action_name": event.get("name"),
                        "data": json.dumps(event),
                    }
                )
            if len(rows) > 20_000:
                db.execute(insert(indexer.EVENTS), rows)
                rows.clear()
        if rows:
            db.execute(insert(indexer.EVENTS), rows)
        # Written past the tracker store, so recorded in its change log here.
        changes.mark_changed(db.connection(), senders)
        db.commit()
        indexed = indexer.refresh(db)
    print(f"added {count} synthetic conversations ({indexed} indexed)")
    return 0


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.console.cli")
    commands = parser.add_subparsers(dest="command", required=True)
    admin = commands.add_parser("create-admin")
    admin.add_argument("--email", required=True)
    admin.add_argument("--clinic", default="demo")
    off = commands.add_parser("deactivate")
    off.add_argument("--email", required=True)
    password = commands.add_parser("set-password")
    password.add_argument("--email", required=True)
    old = commands.add_parser("purge")
    old.add_argument("--dry-run", action="store_true")
    fake = commands.add_parser("synth")
    fake.add_argument("--count", type=int, default=5000)
    fake.add_argument("--clinic", action="append")
    fake.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    upgrade()
    _ensure_events_table()
    if args.command == "create-admin":
        return create_admin(args.email, args.clinic)
    if args.command in ("deactivate", "set-password"):
        return change_account(args.email, deactivate=args.command == "deactivate")
    if args.command == "purge":
        return purge(args.dry_run)
    return synth(args.count, args.clinic or ["demo"], args.seed)


def _ensure_events_table() -> None:
    """Rasa creates `events` when it first starts; the console commands may run before that."""
    from bot.console.db import engine
    from bot.rasa_compat import SQLTrackerStore

    SQLTrackerStore.Base.metadata.create_all(engine())
    changes.ensure_tables(engine())


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
