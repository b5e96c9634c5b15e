"""Rasa NLU components reading cue words (data/lexicon/intent_cues.yml): "stop" and "restart" only when
the visitor says so; a request after a greeting is that request, and an unplaceable message that opens
with a greeting is a greeting.

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


GREETING_OPENING = "greeting_opening"  # not an intent: the cue of GreetingOpening


# "<intent>_not": words that rule the intent out whatever else is said ("start over just the skin bit"
# redoes one answer: a change, not a restart).
VETO_SUFFIX = "_not"


def said(intent: str, text: str) -> bool:
    """The message has a word for `intent` (or `intent` needs none), and nothing that rules it out."""
    cues = load_cues()
    cue, veto = cues.get(intent), cues.get(intent + VETO_SUFFIX)
    plain = text.lower().replace("\u2019", "'")
    return (cue is None or bool(cue.search(plain))) and not (veto is not None and veto.search(plain))


def guarded_ranking(ranking: List[Dict], text: str) -> List[Dict]:
    """The ranking without the guarded intents the message has no word for, the rest read among
    themselves: the classifier's confidence in an intent ruled out says nothing about the others, so
    "start" (restart ruled out, no word for it) is a start, not a fallback."""
    kept = [r for r in ranking if said(str(r.get("name")), text)]
    ruled_out = sum(float(r.get("confidence") or 0.0) for r in ranking if r not in kept)
    # Only a reading the classifier itself gave some weight is lifted: crumbs of 0.03 against 0.04 are
    # noise, and a "deny" from them must not answer a health question "none".
    if not kept or ruled_out >= 1.0 or float(kept[0].get("confidence") or 0.0) < RE_READ_FLOOR:
        return kept
    return [{**r, "confidence": float(r.get("confidence") or 0.0) / (1.0 - ruled_out)} for r in kept]


RE_READ_FLOOR = 0.1
# Requests a greeting may open ("hi, how much is it?"): the request is what the visitor wants answered.
# Not erasure: it acts at once, and must never come from a guess.
GREETING_REQUESTS = (
    "faq",
    "ask_benefit",
    "ask_benefits_overview",
    "start_screening",
    "request_human",
    "book_consultation",
    "bot_challenge",
    "ask_stored_data",
)
# Pleasantries that may follow a greeting without making a request: "hi there, how are you today?".
_PLEASANTRIES = re.compile(
    r"\b(?:there|everyone|all|folks|team|you|again|how are (?:you|things)(?: doing)?(?: today)?|"
    r"hope (?:you'?re|you are|all is) (?:well|good|ok)|nice to meet you|how'?s it going"
    r"|good (?:morning|afternoon|evening))\b"
)


def request_start(text: str) -> int | None:
    """Where the request begins in a message that opens with a greeting and then says more than hello
    ("hi there, how much is a session?"); None for a plain greeting or a message with none."""
    norm = text.lower().replace("\u2019", "'")
    opening = load_cues()[GREETING_OPENING].search(norm)
    if opening is None:
        return None
    rest = _PLEASANTRIES.sub(" ", norm[opening.end() :])
    return opening.end() if len(re.findall(r"[a-z']+", rest)) >= 3 else None


def request_after_greeting(ranking: List[Dict], text: str) -> str | None:
    """The request a greeting opens, when the words after it say more than hello and the classifier,
    reading past the greeting, puts a request first (by half of what is left at least)."""
    if request_start(text) is None:
        return None
    others = [r for r in ranking if r.get("name") not in ("greet", "nlu_fallback")]
    left = sum(float(r.get("confidence") or 0.0) for r in others)
    if not others or left <= 0.0:
        return None
    first = max(others, key=lambda r: float(r.get("confidence") or 0.0))
    confidence = float(first.get("confidence") or 0.0)
    if first.get("name") in GREETING_REQUESTS and confidence >= max(left / 2, RE_READ_FLOOR):
        return str(first["name"])
    return None


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
class GreetingOpening(RuleComponent):
    """After the FallbackClassifier, for a message that opens with a greeting: a request after the
    greeting stands ("hi, I need to speak to the receptionist" is not a hello, whatever the classifier
    made of the "hi"); otherwise a message the fallback took is a greeting (the assistant introduces
    itself)."""

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            name = (message.get(INTENT) or {}).get("name")
            if name not in ("nlu_fallback", "greet"):
                continue
            text = message.get(TEXT) or ""
            request = request_after_greeting(message.get(INTENT_RANKING_KEY) or [], text)
            if request is not None:
                force_intent(message, request)
            elif name == "nlu_fallback" and load_cues()[GREETING_OPENING].search(text.lower()):
                force_intent(message, "greet")
        return messages
