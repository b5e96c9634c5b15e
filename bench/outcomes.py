"""Scripted conversations with known right outcomes (every rule of the contract), run through a live server.

Each scenario answers the form in everyday words; the expected outcome is written here from the
the contract's table, not computed by the rules engine, so a wrong rule or a misread answer shows up.
"""

from __future__ import annotations

import json
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Dict, List, Tuple

NEUTRAL = {
    "consent": "yes",
    "skin_type": "normal",
    "conditions": "none of those",
    "recent_procedures": "no",
    "days_since_procedure": "about 4 months ago",
    "lifestyle": "none",
    "goals": "a healthy glow",
    "answers_confirmed": "yes",
}

CONDITIONS: List[Tuple[str, str]] = [
    ("I'm pregnant", "not_suitable_now"),
    ("I'm breastfeeding", "suitable_with_precautions"),
    ("I have a bleeding disorder", "needs_medical_clearance"),
    ("I take warfarin", "needs_medical_clearance"),
    ("I have high blood pressure", "needs_medical_clearance"),
    ("I'm diabetic", "needs_medical_clearance"),
    ("I have epilepsy", "needs_medical_clearance"),
    ("I'm on immunosuppressants", "needs_medical_clearance"),
    ("I'm having chemo for cancer", "needs_medical_clearance"),
    ("I have a pacemaker", "needs_medical_clearance"),
    ("I get migraines", "suitable_with_precautions"),
    ("I get keloid scars", "needs_medical_clearance"),
    ("I have a cold sore right now", "not_suitable_now"),
    ("I have active acne", "suitable_with_precautions"),
    ("I have rosacea", "suitable_with_precautions"),
    ("I have eczema", "suitable_with_precautions"),
    ("I have a cut on my cheek", "not_suitable_now"),
    ("I'm sunburnt", "not_suitable_now"),
    ("I have the flu", "not_suitable_now"),
    ("I have bell's palsy", "not_suitable_now"),
    ("I have a nickel allergy", "suitable_with_precautions"),
    ("I'm scared of needles", "suitable_with_precautions"),
    ("I bruise easily", "suitable_with_precautions"),
    ("I'm on roaccutane", "not_suitable_now"),
]
PROCEDURES: List[Tuple[str, int, int]] = [  # (answer, waiting days, )
    ("botox", 14, 0),
    ("lip filler", 14, 0),
    ("a chemical peel", 14, 0),
    ("laser resurfacing", 28, 0),
    ("microneedling", 14, 0),
    ("a thread lift", 28, 0),
    ("a facelift", 90, 0),
]
NEGATED: List[Tuple[str, str]] = [
    ("I'm not pregnant and I don't take blood thinners", "likely_suitable"),
    ("no diabetes, but I do take warfarin", "needs_medical_clearance"),
    ("not pregnant but breastfeeding", "suitable_with_precautions"),
    ("no history of epilepsy or seizures", "likely_suitable"),
]


@dataclass
class Scenario:
    name: str
    answers: Dict[str, str]
    expected: str


def scenarios() -> List[Scenario]:
    found = [Scenario(f"condition: {text}", {"conditions": text}, outcome) for text, outcome in CONDITIONS]
    for name, waiting, _ in PROCEDURES:
        found.append(
            Scenario(
                f"{name} {waiting - 3} days ago",
                {"recent_procedures": f"{name} {waiting - 3} days ago"},
                "not_suitable_now",
            )
        )
        found.append(
            Scenario(
                f"{name} {waiting + 3} days ago",
                {"recent_procedures": f"{name} {waiting + 3} days ago"},
                "suitable_with_precautions",
            )
        )
    found += [Scenario(f"negation: {text}", {"conditions": text}, outcome) for text, outcome in NEGATED]
    found += [
        Scenario(
            "sensitive skin", {"skin_type": "very sensitive, goes red easily"}, "suitable_with_precautions"
        ),
        Scenario("nothing to report", {}, "likely_suitable"),
        Scenario("red flag mid-form", {"conditions": "my face is drooping on one side"}, "seek_urgent_care"),
        Scenario(
            "worst of several",
            {"conditions": "I'm pregnant and I have eczema and take Xarelto"},
            "not_suitable_now",
        ),
    ]
    return found


def _post(url: str, body: dict) -> list:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def run_scenario(base: str, token: str, scenario: Scenario) -> str:
    sender = f"outcome-{uuid.uuid4().hex[:10]}"
    replies = _post(f"{base}/webhooks/rest/webhook", {"sender": sender, "message": "hi"})
    for _ in range(14):
        with urllib.request.urlopen(
            f"{base}/conversations/{sender}/tracker?token={token}", timeout=30
        ) as response:
            requested = json.load(response)["slots"].get("requested_slot")
        if requested is None:
            break
        replies = _post(
            f"{base}/webhooks/rest/webhook",
            {"sender": sender, "message": {**NEUTRAL, **scenario.answers}[requested]},
        )
        payloads = [m["custom"] for m in replies if m.get("custom", {}).get("type") == "screening_result"]
        if payloads:
            return payloads[-1]["outcome"]
    return "no result"


def check_outcomes(base: str, token: str) -> List[Tuple[Scenario, str]]:
    return [(scenario, run_scenario(base, token, scenario)) for scenario in scenarios()]
