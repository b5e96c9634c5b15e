"""Conditions said by describing them rather than naming them ("a spot on my chin that's gone yellow and
sore, pretty sure it's infected", "a graze that hasn't healed", "I panic around needles").

The term lists hold names; people describe. The patterns in data/lexicon/described_conditions.yml find a
thing on the skin and what it has become, or a fear and its object, within one clause, and name the
condition it amounts to. Only where no named term already stands: a match never displaces the lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Pattern, Tuple

import yaml

from bot.nlu.lexicon import LEXICON_DIR, compile_pattern

DESCRIBED_FILE = LEXICON_DIR / "described_conditions.yml"


@dataclass(frozen=True)
class Described:
    start: int
    end: int
    condition: str


@lru_cache(maxsize=2)
def load_patterns(path: Path = DESCRIBED_FILE) -> Tuple[Tuple[str, Pattern[str]], ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    macros: Dict[str, str] = {str(k): str(v) for k, v in (data.get("macros") or {}).items()}
    found = []
    for condition, patterns in (data.get("values") or {}).items():
        for source in patterns or []:
            found.append((str(condition), compile_pattern(str(source), macros, f"{path.name}: {condition}")))
    return tuple(found)


def find_described(text: str) -> List[Described]:
    """Each described condition once, at its first (non-overlapping) place in `text`."""
    lowered = text.lower().replace("\u2019", "'")
    found: List[Described] = []
    for condition, pattern in load_patterns():
        for match in pattern.finditer(lowered):
            if any(f.start < match.end() and match.start() < f.end for f in found):
                continue
            if any(f.condition == condition for f in found):
                break
            found.append(Described(match.start(), match.end(), condition))
    return sorted(found, key=lambda f: f.start)
