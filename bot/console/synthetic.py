"""Fill the store with synthetic conversations, for demos and for load tests of the console."""

from __future__ import annotations

import json
import random
import time
import uuid
from typing import Any, Dict, List

from sqlalchemy import insert

from bot.console import indexer
from bot.console.db import session_factory
from bot.storage import changes

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
    (5, {"red_flags": ["facial_droop"]}, [], "seek_urgent_care"),
    (3, {"red_flags": ["self_harm"]}, [], "seek_urgent_care"),
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
        flags = answers["red_flags"]
        user(SYMPTOM_TEXT[flags[0]], "report_symptom", 1.0)
        slot("red_flags", flags)
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
