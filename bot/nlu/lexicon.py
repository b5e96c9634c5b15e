"""The curated term lists under data/lexicon/: loaded, checked, and turned into EntityRuler patterns."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, List, Pattern, Type

import yaml

from bot import DATA_DIR
from bot.vocabulary import NEGATABLE_ENTITIES

LEXICON_DIR = DATA_DIR / "lexicon"
ENTITY_FILES = (
    "skin_type",
    "condition",
    "procedure",
    "habit",
    "benefit",
    "answer_field",
    "rating",
    "ignore",
)
# Phrases matched only so that they win over a shorter term inside them; never returned.
IGNORE_LABEL = "ignore"
# Entities whose mentions NegEx may deny. Durations, ratings and answer fields cannot; red flags are
# found and denied by bot/nlu/red_flags.py, whose denial is narrower (a cue elsewhere in the sentence
# must never hide one).
NEGATABLE = NEGATABLE_ENTITIES


class LexiconError(ValueError):
    """A term list is malformed; the message names the file and the problem."""


_MACRO = re.compile(r"\{([A-Z]+)\}")


def compile_pattern(
    source: str, macros: Dict[str, str], where: str, error: Type[ValueError] = LexiconError
) -> Pattern[str]:
    """A regular expression of a lexicon file with each `{NAME}` replaced by that macro (macros may use
    macros); an unknown macro or a bad expression raises `error` naming `where`."""

    def expand(match: re.Match) -> str:
        name = match.group(1)
        if name not in macros:
            raise error(f"{where}: unknown macro {{{name}}}")
        return macros[name]

    expanded = source
    for _ in range(3):
        expanded = _MACRO.sub(expand, expanded)
    try:
        return re.compile(expanded)
    except re.error as problem:
        raise error(f"{where}: {problem} in {source!r}") from problem


def load_lexicon(directory: Path = LEXICON_DIR) -> Dict[str, Dict[str, List[str]]]:
    """{entity: {canonical value: [phrases]}} for every entity file."""
    lexicon: Dict[str, Dict[str, List[str]]] = {}
    for name in ENTITY_FILES:
        path = directory / f"{name}.yml"
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
        if data.get("entity") != name or not isinstance(data.get("values"), dict):
            raise LexiconError(f"{path}: expected 'entity: {name}' and a 'values' mapping")
        values: Dict[str, List[str]] = {}
        for canonical, phrases in data["values"].items():
            if not phrases or not all(isinstance(p, str) and p.strip() for p in phrases):
                raise LexiconError(f"{path}: {canonical} needs a list of non-empty phrases")
            values[str(canonical)] = sorted({p.strip().lower() for p in phrases})
        lexicon[name] = values
    return lexicon


def load_negation_terms(directory: Path = LEXICON_DIR) -> Dict[str, List[str]]:
    with open(directory / "negation.yml", encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    keys = ("preceding_negations", "following_negations", "pseudo_negations", "termination")
    missing = [k for k in keys if not data.get(k)]
    if missing:
        raise LexiconError(f"negation.yml lacks {missing}")
    return {k: [str(t).lower() for t in data[k]] for k in keys}


def ruler_patterns(lexicon: Dict[str, Dict[str, List[str]]]) -> List[dict]:
    """Phrase patterns: the label is the entity, the id the canonical value."""
    return [
        {"label": entity, "pattern": phrase, "id": canonical}
        for entity, values in lexicon.items()
        for canonical, phrases in values.items()
        for phrase in phrases
    ]


def token_patterns(directory: Path = LEXICON_DIR) -> List[dict]:
    """spaCy token patterns from an entity file's `token_patterns` ({value: [pattern, ...]}): for what a
    phrase cannot say ("drink 2 litres of water a day" is not alcohol, whatever the number)."""
    found: List[dict] = []
    for name in ENTITY_FILES:
        with open(directory / f"{name}.yml", encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
        for canonical, patterns in (data.get("token_patterns") or {}).items():
            for pattern in patterns:
                if not isinstance(pattern, list) or not all(isinstance(t, dict) for t in pattern):
                    raise LexiconError(f"{name}.yml: token_patterns of {canonical}: lists of token dicts")
                found.append({"label": name, "pattern": pattern, "id": str(canonical)})
    return found
