"""Whole conversations typed in everyday English (tests/conversations/, written apart from the training
data): each must reach the right outcome through the live server, and each question should be
understood at the first try. Figures go to var/reports/typed_conversations.json.

The target is every conversation right and first-try understanding >= 0.95 per question; the floors
below are what the bot reached when last measured (README) and may only go up.
"""

import json
import uuid
from collections import defaultdict
from typing import Any, Dict, List

import pytest
import yaml

from bot import PROJECT_ROOT
from bot.vocabulary import ANSWERS_CONFIRMED, FORM_SLOTS

pytestmark = pytest.mark.slow

CONVERSATIONS = sorted((PROJECT_ROOT / "tests" / "conversations").glob("*.yml"))
REPORT = PROJECT_ROOT / "var" / "reports" / "typed_conversations.json"
OUTCOME_FLOOR = 0.875  # measured 0.912 (73/80); a model trained afresh varies a little
FIRST_TRY_FLOOR = 0.90  # measured lowest 0.930 (goals)
QUESTIONS = tuple(s for s in FORM_SLOTS if s != ANSWERS_CONFIRMED)


def _conversations() -> List[Dict[str, Any]]:
    return [c for path in CONVERSATIONS for c in yaml.safe_load(path.read_text())["conversations"]]


def _outcome(replies) -> str | None:
    payloads = [m["custom"] for m in replies if (m.get("custom") or {}).get("type") == "screening_result"]
    return payloads[-1]["outcome"] if payloads else None


def test_typed_conversations_reach_the_right_outcome(live_bot):
    conversations = _conversations()
    assert len(conversations) >= 80
    wrong, outcomes = [], {}
    first_try: Dict[str, List[bool]] = defaultdict(list)
    for conversation in conversations:
        sender = f"typed-{uuid.uuid4().hex[:10]}"
        outcome = None
        for text in conversation["turns"]:
            asked = live_bot.tracker(sender)["slots"].get("requested_slot")
            replies = live_bot.say(sender, text)
            outcome = _outcome(replies) or outcome
            if asked in QUESTIONS:
                # Understood at the first try: the bot moved on from the question it had asked.
                now = live_bot.tracker(sender)["slots"].get("requested_slot")
                if not first_try[f"{sender}|{asked}"]:
                    first_try[f"{sender}|{asked}"].append(now != asked)
        outcomes[conversation["name"]] = outcome
        if outcome != conversation["outcome"]:
            wrong.append(f"{conversation['name']}: expected {conversation['outcome']}, got {outcome}")
    by_question: Dict[str, List[bool]] = defaultdict(list)
    for key, results in first_try.items():
        by_question[key.split("|", 1)[1]] += results
    rates = {q: round(sum(r) / len(r), 3) for q, r in by_question.items() if r}
    right = (len(conversations) - len(wrong)) / len(conversations)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(
        json.dumps(
            {"conversations": len(conversations), "right": round(right, 3), "first_try": rates}, indent=2
        )
    )
    assert right >= OUTCOME_FLOOR, "\n".join(wrong)
    assert min(rates.values()) >= FIRST_TRY_FLOOR, rates
