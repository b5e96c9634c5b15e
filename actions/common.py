"""Helpers every action uses: the visitor's clinic, their answers, and whether the form is running."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, List

import yaml
from rasa_sdk import Tracker

from bot import PROJECT_ROOT
from bot.clinic import load_clinic
from bot.screening.rules import Answers
from bot.vocabulary import FORM, NOT_ANSWERS, SKIPPED_QUESTIONS, VISITOR_SLOTS


def clinic_id(tracker: Tracker) -> str:
    """The widget's data-clinic travels as message metadata; it sticks once seen."""
    metadata = tracker.latest_message.get("metadata") or {}
    started = tracker.get_slot("session_started_metadata") or {}
    return str(metadata.get("clinic") or tracker.get_slot("clinic_id") or started.get("clinic") or "")


def clinic_for(tracker: Tracker) -> Dict[str, Any]:
    return load_clinic(clinic_id(tracker) or None)


@lru_cache(maxsize=1)
def _project_domain() -> Dict[str, Any]:
    return yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8")) or {}


def domain_or_project(domain: Dict[str, Any] | None) -> Dict[str, Any]:
    """The domain Rasa sent, else the project's domain.yml (read once). Rasa sends no domain with a
    call (`enable_selective_domain` in endpoints.yml): it was half of every request's JSON, encoded by the
    Rasa server and parsed here on every call, and the actions only read its responses and form."""
    return domain or _project_domain()


def form_active(tracker: Tracker) -> bool:
    return (tracker.active_loop or {}).get("name") == FORM


def current_slots(tracker: Tracker) -> Dict[str, Any]:
    """What the visitor has said so far, and what they skipped."""
    return {name: tracker.get_slot(name) for name in VISITOR_SLOTS + (SKIPPED_QUESTIONS,)}


def answers_from(tracker: Tracker) -> Answers:
    slots = {k: (None if v in NOT_ANSWERS else v) for k, v in current_slots(tracker).items()}
    return Answers.from_slots(slots)


def feedback_buttons(answer_key: str) -> List[Dict[str, str]]:
    return [
        {
            "title": "👍 Helpful",
            "payload": f'/rate_answer{{"rating": "helpful", "rated_answer": "{answer_key}"}}',
        },
        {
            "title": "👎 Not helpful",
            "payload": f'/rate_answer{{"rating": "not_helpful", "rated_answer": "{answer_key}"}}',
        },
    ]
