"""Rasa NLU components reading cue words (data/lexicon/intent_cues.yml): "stop" and "restart" only when
the visitor says so, and an unplaceable message that opens with a greeting is a greeting.

A wrong stop or restart loses the visitor's answers, so the classifier's guess is taken only when the
message has a word for it; otherwise the next intent in the ranking stands. It runs before the consent
and red-flag overrides, which still win.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Pattern

import yaml
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot import DATA_DIR
from bot.nlu.forced_intent import force_intent
from bot.nlu.rule_component import RuleComponent

CUES_FILE = DATA_DIR / "lexicon" / "intent_cues.yml"


@lru_cache(maxsize=2)
def load_cues(path: Path = CUES_FILE) -> Dict[str, Pattern[str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not data or not all(isinstance(v, str) for v in data.values()):
        raise ValueError(f"{path}: expected intent names mapped to one regular expression each")
    return {str(intent): re.compile(pattern) for intent, pattern in data.items()}


GREETING_OPENING = "greeting_opening"  # not an intent: the cue of GreetingFallback


def said(intent: str, text: str) -> bool:
    """The message has a word for `intent`, or `intent` needs none."""
    cue = load_cues().get(intent)
    return cue is None or bool(cue.search(text.lower().replace("\u2019", "'")))


def guarded_ranking(ranking: List[Dict], text: str) -> List[Dict]:
    """The ranking without the guarded intents the message has no word for."""
    return [r for r in ranking if said(str(r.get("name")), text)]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class IntentCueGuard(RuleComponent):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            text = message.get(TEXT) or ""
            if said(str(intent.get("name")), text):
                continue
            ranking = guarded_ranking(message.get(INTENT_RANKING_KEY) or [], text)
            # The next intent in the ranking stands, with its own confidence (the fallback may take it).
            chosen = ranking[0] if ranking else {"name": "nlu_fallback", "confidence": 1.0}
            message.set(INTENT, dict(chosen), add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class GreetingFallback(RuleComponent):
    """After the FallbackClassifier: its `nlu_fallback` becomes `greet` when the message opens with one."""

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if (message.get(INTENT) or {}).get("name") != "nlu_fallback":
                continue
            text = (message.get(TEXT) or "").lower()
            if load_cues()[GREETING_OPENING].search(text):
                force_intent(message, "greet")
        return messages
