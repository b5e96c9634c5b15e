"""Fill the store with synthetic conversations, for demos and for load tests of the console."""

from __future__ import annotations

import random
import time
import uuid
from typing import Any, Dict, List

from sqlalchemy import insert
from sqlalchemy.engine import Connection

from bot.console import indexer, synthetic_queue
from bot.console.db import session_factory
from bot.console.events_table import event_row
from bot.screening.rule_book import load_rules
from bot.storage import changes
from bot.vocabulary import (
    LIKELY_SUITABLE,
    NEEDS_MEDICAL_CLEARANCE,
    NOT_SUITABLE_NOW,
    SEEK_URGENT_CARE,
    SUITABLE_WITH_PRECAUTIONS,
)

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
        LIKELY_SUITABLE,
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
        SUITABLE_WITH_PRECAUTIONS,
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
        NEEDS_MEDICAL_CLEARANCE,
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
        NOT_SUITABLE_NOW,
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
        NOT_SUITABLE_NOW,
    ),
    (5, {"red_flags": ["facial_droop"]}, [], SEEK_URGENT_CARE),
    (3, {"red_flags": ["self_harm"]}, [], SEEK_URGENT_CARE),
    (10, {"skin_type": "normal"}, ["faq/what_is", "ask_benefits_overview"], None),  # dropped out
]
SYMPTOM_TEXT = {
    "facial_droop": "my face is drooping on one side",
    "self_harm": "i keep thinking about hurting myself",
}
QUESTION_TEXT = {
    "faq/pain": "does it hurt?",
    "faq/safety": "is it safe?",
    "faq/cost": "how much is it?",
    "faq/what_is": "what is facial acupuncture",
    "ask_benefit": "will it help my wrinkles?",
    "ask_benefits_overview": "what are the benefits?",
}
# What visitors type for the form's answers, in everyday words (the health terms among them differ from
# the codes, so a test can look for them anywhere).
ANSWER_TEXT = {
    "eczema": "atopic dermatitis on my cheeks",
    "anticoagulants": "I'm on warfarin",
    "pregnancy": "I'm pregnant",
    "botox": "Dysport in my forehead",
    "smoking": "I smoke",
    "poor_sleep": "not much sleep",
    "glow": "a healthy glow",
    "wrinkles": "fewer wrinkles",
    "elasticity": "firmer skin",
}
# Contact details some visitors leave: the known values the console's redaction must never show
# (tests/console/test_redaction.py looks for each of them in every page and download).
CONTACTS = (
    "My name is Priya Patel, you can reach me on 07700 900461 or priya.patel@example.com",
    "I'm Tom Baker, born 12/03/1985, ring +44 20 7946 0018 after six",
    "this is aisha khan (aisha.khan@example.org), dob 3 March 1990",
    "call me Grace, 0161 496 0733",
    "Rhys Llewellyn here, rhys@example.net, 07700 900982",
)
KNOWN_NAMES = ("Priya", "Patel", "Tom", "Baker", "Aisha", "Khan", "Grace", "Rhys", "Llewellyn")
KNOWN_PHONES = ("07700 900461", "+44 20 7946 0018", "0161 496 0733", "07700 900982")
KNOWN_EMAILS = ("priya.patel@example.com", "aisha.khan@example.org", "rhys@example.net")
KNOWN_DATES = ("12/03/1985", "3 March 1990")
HEALTH_WORDS = ("dermatitis", "warfarin", "pregnant", "Dysport", "smoke", "drooping", "hurting myself")


# The rules version the results carry, so the agreement matrix groups synthetic verdicts like real ones.
_VERSION = {"rules_version": load_rules().version}


def answer_text(value: Any) -> str:
    if isinstance(value, str):
        return ANSWER_TEXT.get(value, value)
    if isinstance(value, (int, float)):
        return "about a week ago"
    return " and ".join(answer_text(v) for v in value) if value else "none of those"


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
    if outcome == SEEK_URGENT_CARE:
        flags = answers["red_flags"]
        user(SYMPTOM_TEXT[flags[0]], "report_symptom", 1.0)
        slot("red_flags", flags)
        slot("screening_outcome", outcome)
        bot(
            "Please get urgent medical help now", {"type": "screening_result", "outcome": outcome, **_VERSION}
        )
        return events
    user("yes", "affirm")
    slot("consent", True)
    # Its own generator (seeded by the start time), so the scenarios drawn stay as they were.
    contact = random.Random(start)
    if contact.random() < 0.3:
        user(contact.choice(CONTACTS), "inform", 0.5)
        bot("Thanks. The clinic will use these only to contact you.")
    for question in questions:
        user(QUESTION_TEXT[question], question, rng.choice([0.95, 0.9, 0.55]))
        bot("An answer from the knowledge file.")
    for name, value in answers.items():
        user(answer_text(value), "inform")
        slot(name, value)
    if outcome:
        user("yes", "affirm")
        slot("answers_confirmed", True)
        slot("screening_outcome", outcome)
        bot(
            f"**{outcome}**",
            {"type": "screening_result", "outcome": outcome, "reasons": [], "caveats": [], **_VERSION},
        )
    if rng.random() < 0.05:
        user("blue monkey spaghetti", "nlu_fallback", 0.3)
        bot("Sorry, I'm not sure I understood.")
    return events


def mark_changed(connection: Connection, sender_ids: List[str], now: float | None = None) -> None:
    """As bot.storage.changes.mark_changed (insert, or bump the version of, each conversation's change),
    as one statement executed for all of them, where the database has an upsert."""
    dialect = connection.dialect.name
    if dialect not in ("sqlite", "postgresql"):
        changes.mark_changed(connection, sender_ids)
        return
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as upsert
    else:
        from sqlalchemy.dialects.postgresql import insert as upsert
    now = time.time() if now is None else now
    statement = upsert(changes.CHANGES)
    statement = statement.on_conflict_do_update(
        index_elements=[changes.CHANGES.c.sender_id],
        set_={"version": changes.CHANGES.c.version + 1, "changed_at": statement.excluded.changed_at},
    )
    for start in range(0, len(sender_ids), 10_000):
        chunk = sender_ids[start : start + 10_000]
        connection.execute(statement, [{"sender_id": s, "version": 1, "changed_at": now} for s in chunk])


def synth(count: int, clinics: List[str], seed: int = 1, days: int = 60) -> int:
    rng = random.Random(seed)
    now = time.time()
    started = time.monotonic()
    rows = []
    senders = []
    with session_factory()() as db:
        # A few of them fresh, at every queue level, with callback requests (bot/console/synthetic_queue.py).
        fresh = synthetic_queue.fresh_count(count, clinics)
        for _ in range(count - fresh):
            sender = uuid.UUID(int=rng.getrandbits(128)).hex
            senders.append(sender)
            clinic = rng.choice(clinics)
            rows += [event_row(sender, e) for e in _events(rng, now - rng.uniform(0, days * 86400), clinic)]
            if len(rows) > 20_000:
                db.execute(insert(indexer.EVENTS), rows)
                rows.clear()
        if rows:
            db.execute(insert(indexer.EVENTS), rows)
        # Written past the tracker store, so recorded in its change log here.
        mark_changed(db.connection(), senders)
        db.commit()
        filled = time.monotonic() - started
        started = time.monotonic()
        indexed = indexer.refresh(db)
        indexing = time.monotonic() - started
        queued = synthetic_queue.add(db, rng, clinics, fresh, now)
    # The two times apart (bench/console_scale.py reads them): writing made-up events is the benchmark's
    # work, reading them into the console's index is the product's.
    print(
        f"added {count} synthetic conversations ({indexed + queued['fresh']} indexed, {queued['fresh']} "
        f"fresh safety-queue items) and {queued['callbacks']} callback requests; "
        f"events written in {filled:.1f} s, {indexed} indexed in {indexing:.1f} s"
    )
    return 0
