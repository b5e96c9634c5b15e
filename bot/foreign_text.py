"""Whether a message looks written in another language than English, from its letters alone.

Why: the assistant reads English only. A message it cannot place gets the polite fallback; when that
message is in another language, the visitor may be describing an emergency we cannot read, so the
fallback also says, in plain words, that it reads English only and where to call in an emergency
(actions/conversation.py). Letters are enough for a net this coarse: a non-Latin script (Arabic,
Devanagari, Cyrillic, CJK…) or two or more accented Latin letters ("¿qué me pasa?", "nie mogę"). One
accented letter is English often enough ("café", "Tenerife's résumé" has two, and that only costs a line).
"""

from __future__ import annotations

import unicodedata


def looks_foreign(text: str) -> bool:
    accented = 0
    for char in text:
        if not char.isalpha():
            continue
        name = unicodedata.name(char, "")
        if not name.startswith("LATIN"):
            return True  # another script
        if unicodedata.decomposition(char) or char in "łŁßøØđĐħ":
            accented += 1
    return accented >= 2
