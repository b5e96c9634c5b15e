"""Red-flag words typed in a hurry read as what they were meant to be: "i wnat to kil myslef".

Someone in crisis types fast, and a slip in one key word must not make a red flag invisible. When the
red-flag rules find nothing in a message, it is read a second time with each unknown word that is one
edit (a letter added, dropped, changed, or two swapped) from a red-flag key word written as that word.
The key words are `respelled_words` in data/lexicon/red_flag.yml. A word is left alone when it is an
English word (data/redaction/english_words.txt: "dye" stays "dye"), shorter than three letters (a
three-letter word may only have lost a letter), or close to two key words that are not forms of one
another.

The respelled text can be longer or shorter than the original, so `Respelling.original` maps an offset
in it back to the visitor's own text: the mention the rules find is a span of what was typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import FrozenSet, Iterable, List, Tuple

from bot.nlu.spelling import edit_distance, english_words

MIN_LENGTH = 3
_WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class Respelling:
    text: str
    # (start in the respelled text, start in the original, length in the respelled, length in the original)
    pieces: Tuple[Tuple[int, int, int, int], ...]

    def original(self, offset: int) -> int:
        """The offset in the visitor's text that `offset` in the respelled text stands for."""
        shift = 0
        for new_start, old_start, new_length, old_length in self.pieces:
            if offset < new_start:
                break
            if offset < new_start + new_length:
                return old_start + min(offset - new_start, old_length)
            shift = (old_start + old_length) - (new_start + new_length)
        return offset + shift


def _meant(word: str, keys: Tuple[str, ...], known: FrozenSet[str]) -> str | None:
    if len(word) < MIN_LENGTH or word in known or word in keys:
        return None
    # A three-letter word may only have lost a letter ("kil"): changing one of its three letters reads
    # too much into it ("dil", heart in Hindi, is not "die").
    lengths = (len(word) + 1,) if len(word) < 4 else (len(word) - 1, len(word), len(word) + 1)
    close = [k for k in keys if len(k) in lengths and edit_distance(word, k, 1) <= 1]
    if not close:
        return None
    # "suicidle" is one edit from "suicide" and "suicidal": forms of one word, so either reads alike.
    # Two unrelated key words ("hurt" and "hut"...) leave the word as typed.
    stem = min(close, key=len)
    if any(not k.startswith(stem[: max(3, len(stem) - 2)]) for k in close):
        return None
    return stem


def respell(text: str, keys: Iterable[str]) -> Respelling | None:
    """`text` (lower case) with unknown words near a key word replaced by it, or None when none is."""
    keys = tuple(sorted(set(keys)))
    known = english_words()
    parts: List[str] = []
    pieces: List[Tuple[int, int, int, int]] = []
    position = 0
    length = 0
    for match in _WORD.finditer(text):
        meant = _meant(match.group(), keys, known)
        if meant is None:
            continue
        before = text[position : match.start()]
        parts.append(before)
        length += len(before)
        pieces.append((length, match.start(), len(meant), match.end() - match.start()))
        parts.append(meant)
        length += len(meant)
        position = match.end()
    if not pieces:
        return None
    parts.append(text[position:])
    return Respelling("".join(parts), tuple(pieces))
