"""Shared fixtures: the spaCy pipeline built in memory, trackers for action tests."""

from pathlib import Path
from typing import Any, Dict, List

import pytest
from rasa_sdk import Tracker


@pytest.fixture(scope="session")
def nlp():
    from bot.nlu.build_pipeline import build

    return build()


@pytest.fixture(scope="session")
def entities_of(nlp):
    """Text -> Rasa entity dicts, exactly as ClinicalEntityExtractor makes them."""
    from bot.nlu.clinical_entities import entities_from_doc

    def parse(text: str) -> List[Dict[str, Any]]:
        return entities_from_doc(nlp(text.lower()), text)

    return parse


def make_tracker(
    slots: Dict[str, Any] | None = None,
    intent: str = "inform",
    entities: List[Dict[str, Any]] | None = None,
    text: str = "",
    active_loop: str | None = None,
    events: List[Dict[str, Any]] | None = None,
    metadata: Dict[str, Any] | None = None,
    response_selector: Dict[str, Any] | None = None,
) -> Tracker:
    """A rasa_sdk Tracker as the action server receives it."""
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0},
        "entities": entities or [],
        "metadata": metadata or {},
    }
    if response_selector:
        latest["response_selector"] = response_selector
    return Tracker(
        sender_id="test-visitor",
        slots=dict(slots or {}),
        latest_message=latest,
        events=list(events or []),
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


@pytest.fixture(scope="session")
def trained_model() -> Path:
    from bot.tasks.train import train

    return train()
