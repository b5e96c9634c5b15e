"""Is an evaluation sentence the same as, or one word away from, a sentence used for training or tuning?

"One word away" is one word substituted, inserted or deleted, after lower-casing and dropping
punctuation. A neighbourhood index makes the check linear: each sentence is stored as itself, with each
word replaced by a wildcard, and with each word deleted.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, Iterable, List, Set, Tuple

import yaml

_ANNOTATION = re.compile(r"\[([^\]]*)\](?:\{[^}]*\}|\([^)]*\))")
_WORD = re.compile(r"[a-z0-9']+")
WILDCARD = "\0"

Words = Tuple[str, ...]


def words(text: str) -> Words:
    plain = _ANNOTATION.sub(r"\1", text).lower().replace("\u2019", "'")
    return tuple(w.strip("'") for w in _WORD.findall(plain) if w.strip("'"))


class NearIndex:
    def __init__(self, sentences: Iterable[str]) -> None:
        self.full: Set[Words] = set()
        self.substituted: Set[Words] = set()
        self.deleted: Set[Words] = set()
        self.source: Dict[Words, str] = {}
        for sentence in sentences:
            key = words(sentence)
            if not key:
                continue
            self.full.add(key)
            self.source.setdefault(key, sentence)
            for i in range(len(key)):
                self.substituted.add(key[:i] + (WILDCARD,) + key[i + 1 :])
                self.deleted.add(key[:i] + key[i + 1 :])

    def near(self, sentence: str) -> bool:
        key = words(sentence)
        if not key:
            return False
        if key in self.full or key in self.deleted:  # same, or one word longer than a known one
            return True
        for i in range(len(key)):
            if key[:i] + (WILDCARD,) + key[i + 1 :] in self.substituted:
                return True
            if key[:i] + key[i + 1 :] in self.full:  # one word shorter than a known one
                return True
        return False


def nlu_examples(paths: Iterable[Path]) -> List[str]:
    """Every example of every intent (and synonym) in Rasa NLU YAML files."""
    examples: List[str] = []
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu") or []:
            text = block.get("examples") or ""
            examples += [line[2:].strip() for line in text.splitlines() if line.startswith("- ")]
    return examples


def lexicon_terms(directory: Path) -> List[str]:
    """Every plain term in the lexicon files (lists of strings under `values`)."""
    terms: List[str] = []
    for path in sorted(directory.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for phrases in (data.get("values") or {}).values():
            if isinstance(phrases, list):
                terms += [p for p in phrases if isinstance(p, str)]
    return terms


def safety_utterances(path: Path) -> List[str]:
    """Every utterance a safety set tests: red flags, look-alikes, and each conversation's red-flag turn
    (the answers before it are plain scaffolding such as "yes" or "oily")."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    found: List[str] = []
    for section in ("red_flags", "lookalikes"):
        for items in (data.get(section) or {}).values():
            found += list(items)
    for conversation in data.get("conversations") or []:
        found += list(conversation.get("turns") or [])[-1:]
    return found
