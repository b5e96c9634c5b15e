"""Misspelt screening terms read as the terms they were meant to be: "warferin", "epilepsey",
"combinaiton", "pacemacker".

People type medicine and condition names as they hear them, and a screening that does not know
"amlodopine" asks again or, worse, misses a blood-pressure medicine. A word is corrected only when
it is not an English word (data/redaction/english_words.txt) nor a word of the term lists, starts with
the same letter as a term-list word, and is within one edit of it (two for words of six letters or
more, where one slip rarely makes another real word). When several words are equally close they must
share a meaning (the lists hold common misspellings: "normal" and "norml" are both normal skin), and
the real word among them is chosen; otherwise, and for short words, the word is left alone: a wrong
correction would put a condition in someone's answers.

The correction goes into `token.norm_`, which the EntityRuler matches on (bot/nlu/build_pipeline.py);
the text itself is unchanged, so what the visitor typed is what is shown and stored.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Dict, FrozenSet, Iterable, List, Set

from bot import DATA_DIR
from bot.nlu.lexicon import load_lexicon

# The term lists whose words a typo is corrected towards (not ratings, answer fields or ignores).
CORRECTED_ENTITIES = ("skin_type", "condition", "procedure", "habit", "benefit")
MIN_LENGTH = 5
_WORD = re.compile(r"[a-z]+")


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (insert, delete, substitute, swap two neighbours), or
    limit + 1 once it is certain to exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: List[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def allowed_edits(word: str) -> int:
    return 1 if len(word) < 6 else 2


def _deletions(word: str, depth: int) -> Set[str]:
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


class Speller:
    def __init__(self, terms: Dict[str, FrozenSet[str]], known: Iterable[str]) -> None:
        """`terms`: each term-list word and the values (entity:canonical) of the phrases holding it."""
        self.meanings = {t: m for t, m in terms.items() if len(t) >= MIN_LENGTH}
        self.terms = sorted(self.meanings)
        self.english = set(known)
        self.known = self.english | set(terms)
        # Deletion neighbourhoods (as SymSpell does): two words within k edits share a form with at
        # most k letters deleted, so candidates come from a dictionary lookup, not a scan.
        self.index: Dict[str, Set[str]] = {}
        for term in self.terms:
            for form in _deletions(term, allowed_edits(term)):
                self.index.setdefault(form, set()).add(term)

    def correct(self, word: str) -> str | None:
        """The term `word` was meant to be, or None (a known word, too short, no or several candidates)."""
        if len(word) < MIN_LENGTH or word in self.known or not word.isalpha():
            return None
        limit = allowed_edits(word)
        candidates = {t for form in _deletions(word, limit) for t in self.index.get(form, ())}
        scored = sorted(
            (edit_distance(word, t, limit), t)
            for t in candidates
            if t[0] == word[0] and edit_distance(word, t, limit) <= min(limit, allowed_edits(t))
        )
        if not scored:
            return None
        closest = [t for d, t in scored if d == scored[0][0]]
        if not frozenset.intersection(*(self.meanings[t] for t in closest)) - {"-"}:
            return None
        return min(closest, key=lambda t: (t not in self.english, t))


@lru_cache(maxsize=1)
def english_words() -> FrozenSet[str]:
    """The English word list (data/redaction/english_words.txt), lower case: words never corrected."""
    words = (DATA_DIR / "redaction" / "english_words.txt").read_text(encoding="utf-8").lower().split()
    return frozenset(words)


@lru_cache(maxsize=1)
def speller() -> Speller:
    lexicon = load_lexicon()
    meanings: Dict[str, Set[str]] = {}
    for entity, values in lexicon.items():
        for canonical, phrases in values.items():
            for phrase in phrases:
                for word in _WORD.findall(phrase):
                    # Words of the other lists (ratings, answer fields, ignores) are known, not targets.
                    value = f"{entity}:{canonical}" if entity in CORRECTED_ENTITIES else "-"
                    meanings.setdefault(word, set()).add(value)
    terms = {w: frozenset(m) for w, m in meanings.items() if m != {"-"}}
    return Speller(terms, set(english_words()) | set(meanings))
