"""A learned second reader for red flags: the wordings the patterns in red_flag.yml have never seen.

Why: the patterns are precise but brittle. On two fresh development sets written by people who had
not seen them, the patterns alone found 0.68 and 0.82 of the red flags; this model, trained on the
other development sets and the NLU examples, lifted the pair to 0.94 with false alarms on look-alikes
almost unchanged (docs/safety.md has the figures). It reads character and word n-grams, so
misspellings ("cant breath", "ches pain") and new phrasings still land near what it has seen.

It only ever adds a red flag that the patterns did not find at all; whatever the patterns read
(a denial, a question about a risk, history that is over) stands, and a message the model flags still
passes the same checks for questions, calm after-effects, ordinary settings and history
(bot/nlu/red_flags.py).

Trained at build time (`python -m bot.nlu.build_pipeline`, run by make) from:
- every red-flag and look-alike utterance in data/safety/dev_*.yml (never the test set in tests/);
- every NLU training example in data/nlu/ (report_symptom as a red flag of no known kind, the rest as
  ordinary talk, except the intents of stopping and leaving: `ENDING_INTENTS`);
- every visitor turn of the development conversations in data/dev/conversations_*.yml (ordinary
  screening answers, none of them a red flag: health answers naming medicines must not read as one).
The fitted model is a build artefact in var/ (like the spaCy pipeline), never committed.
"""

from __future__ import annotations

import pickle
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, List, Sequence, Tuple

import numpy as np
import yaml

from bot import DATA_DIR, PROJECT_ROOT
from bot.nlu import linear_text_model
from bot.vocabulary import SEEK_URGENT_CARE

MODEL_FILE = PROJECT_ROOT / "var" / "spacy" / "red_flag_model.pkl"
SAFETY_DEV_FILES = "dev_*.yml"
NONE = "none"
# Flag when the model gives the red-flag classes together at least this probability. Chosen on the
# development sets (each fresh set held out in turn) and on the ordinary utterances of the held-out
# NLU file (none flagged at 0.8, three at 0.6), never on the safety test set.
THRESHOLD = 0.8
# A symptom report the NLU data holds but names no red flag: trained as its own class, so it can push
# a message towards "red flag" without choosing which one; the category comes from the named classes.
UNNAMED = "report_symptom"
# Intents in the language of ending, stopping and leaving ("I'm done", "I can't do this any more", "end
# it here", "goodbye for good"): self-harm is said in the same words, so the reader never learns from
# them that such words are harmless. Telling a wish to stop the questions from a wish to die is left to
# the patterns and the intent cues, which read the setting.
ENDING_INTENTS = frozenset(
    {
        "stop_screening",
        "goodbye",
        "deny",
        "withdraw_consent",
        "delete_my_data",
        "skip_question",
        "restart_screening",
    }
)
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


@dataclass(frozen=True)
class Reading:
    code: str  # the most likely red flag
    probability: float  # of any red flag at all


def nlu_examples(paths: Iterable[Path]) -> List[Tuple[str, str]]:
    """(intent, plain text) of every example in Rasa NLU YAML files, entity annotations removed."""
    out = []
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in data.get("nlu") or []:
            if "intent" not in item:
                continue
            for line in str(item.get("examples", "")).splitlines():
                line = line.strip()
                if line.startswith("- "):
                    out.append((str(item["intent"]), _ANNOTATION.sub(r"\1", line[2:]).strip()))
    return out


def conversation_turns(paths: Iterable[Path]) -> List[str]:
    turns: List[str] = []
    for path in paths:
        for conversation in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get(
            "conversations"
        ) or []:
            if conversation.get("outcome") != SEEK_URGENT_CARE:
                turns += [str(t) for t in conversation.get("turns") or []]
    return turns


def training_set(
    safety_files: Sequence[Path], nlu_files: Sequence[Path], conversation_files: Sequence[Path] = ()
) -> Tuple[List[str], List[str]]:
    texts: List[str] = []
    labels: List[str] = []
    for path in safety_files:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for code, utterances in (data.get("red_flags") or {}).items():
            texts += [str(u) for u in utterances]
            labels += [str(code)] * len(utterances)
        for utterances in (data.get("lookalikes") or {}).values():
            texts += [str(u) for u in utterances]
            labels += [NONE] * len(utterances)
    for intent, text in nlu_examples(nlu_files):
        if intent in ENDING_INTENTS:
            continue
        texts.append(text)
        labels.append(UNNAMED if intent == UNNAMED else NONE)
    ordinary = conversation_turns(conversation_files)
    return texts + ordinary, labels + [NONE] * len(ordinary)


def default_sources() -> Tuple[List[Path], List[Path], List[Path]]:
    return (
        sorted((DATA_DIR / "safety").glob(SAFETY_DEV_FILES)),
        sorted((DATA_DIR / "nlu").glob("*.yml")),
        sorted((DATA_DIR / "dev").glob("conversations_*.yml")),
    )


def fit(texts: Sequence[str], labels: Sequence[str]):
    return linear_text_model.fit(texts, labels, c=10, min_df=2)


def build(out: Path = MODEL_FILE, safety_files: Sequence[Path] | None = None) -> Path:
    default_safety, nlu_files, conversations = default_sources()
    model = fit(
        *training_set(default_safety if safety_files is None else safety_files, nlu_files, conversations)
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(pickle.dumps(model))
    return out


class RedFlagModel:
    def __init__(self, model) -> None:
        self._model = model
        classes = list(model.classes_)
        self._none = classes.index(NONE)
        self._named = [i for i, c in enumerate(classes) if c not in (NONE, UNNAMED)]
        self._classes = classes
        self._scorer = linear_text_model.Scorer(model)

    def probabilities(self, text: str) -> np.ndarray:
        return self._scorer.probabilities(text)

    def read(self, text: str) -> Reading:
        probabilities = self.probabilities(text)
        best = max(self._named, key=lambda i: probabilities[i])
        return Reading(str(self._classes[best]), float(1.0 - probabilities[self._none]))


@lru_cache(maxsize=2)
def load(path: Path = MODEL_FILE) -> RedFlagModel:
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run `make spacy` (python -m bot.nlu.build_pipeline)")
    return RedFlagModel(pickle.loads(path.read_bytes()))
