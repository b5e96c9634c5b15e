"""A treatment counts for the waiting periods only when it was done on the face and has happened:
"laser hair removal on my legs last week" and "my first filler appointment is next month" name a
treatment but not one the face is recovering from (data/lexicon/treatment_scope.yml).

Read over the clause that names the treatment, so "laser on my legs, and botox in my forehead last
week" keeps the Botox. A clause that also names the face keeps its treatment ("laser on my face and
legs"): when in doubt, it counts, as the rules' caution is the safe side."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Dict, Pattern, Tuple

import yaml

from bot import DATA_DIR

SCOPE_FILE = DATA_DIR / "lexicon" / "treatment_scope.yml"
_CLAUSE_END = re.compile(r"[.;!?\n]|,|\bbut\b|\band (?=(?:i|i'?ve|i'?m|my|also|then)\b)")


@lru_cache(maxsize=2)
def load_scope(path: Path = SCOPE_FILE) -> Dict[str, Pattern[str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    keys = ("elsewhere", "face", "not_yet", "repeat", "done")
    missing = [k for k in keys if not isinstance(data.get(k), str)]
    if missing:
        raise ValueError(f"{path}: needs {missing} (one regular expression each)")
    return {key: re.compile(data[key]) for key in keys}


def clause_bounds(text: str, start: int, end: int) -> Tuple[int, int]:
    """Where the clause holding text[start:end] begins and ends (punctuation, "but", "and I...")."""
    left = 0
    for match in _CLAUSE_END.finditer(text[:start]):
        left = match.end()
    following = _CLAUSE_END.search(text, end)
    return left, following.start() if following else len(text)


def clause_around(text: str, start: int, end: int) -> str:
    left, right = clause_bounds(text, start, end)
    return text[left:right]


def counts(text: str, start: int, end: int) -> bool:
    """Whether the treatment named at text[start:end] was done on the face and has happened."""
    return not out_of_scope(clause_around(text.lower(), start, end))


def out_of_scope(clause: str) -> bool:
    """A clause about a treatment elsewhere on the body or one not had yet: it says nothing of the face's
    recent treatments ("only laser hair removal on my legs last week")."""
    scope = load_scope()
    if scope["not_yet"].search(clause) and not (
        scope["repeat"].search(clause) or scope["done"].search(clause)
    ):
        return True
    # ("...on my legs - nothing on my face, ever": the face named only to deny it)
    return bool(scope["elsewhere"].search(clause) and not scope["face"].search(_FACE_DENIED.sub(" ", clause)))


_FACE_DENIED = re.compile(
    r"\b(?:nothing|never|not|none|no work)(?: ever)? (?:on|to|near|in) (?:my |the )?face\b"
)
