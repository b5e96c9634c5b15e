"""The English word list the console's redaction reads (data/redaction/english_words.txt), and how it
is made.

The list is in the repository, so the console needs nothing installed or downloaded: it is SCOWL's
size-50 American and British lists (Debian's `wamerican` and `wbritish`, /usr/share/dict/), their
lower-case entries only. Proper nouns are capitalised there ("Sarah", "London"), so dropping them keeps
most names out of the list: an unknown word is masked, so a name that is not also a common word is
masked too. Regenerate after installing those two packages:

    python -m bot.console.word_list [/usr/share/dict/american-english /usr/share/dict/british-english]
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache
from pathlib import Path
from typing import FrozenSet, Iterable, List

from bot import DATA_DIR

WORD_LIST = DATA_DIR / "redaction" / "english_words.txt"
SOURCES = (Path("/usr/share/dict/american-english"), Path("/usr/share/dict/british-english"))
# Lower-case words; possessives ("rose's") are left out, the redaction reads the word before "'s".
ENTRY = re.compile(r"[a-z]+(?:'(?!s$)[a-z]+)?")
CAPITALISED = re.compile(r"[A-Z][a-z]+")


@lru_cache(maxsize=1)
def english_words() -> FrozenSet[str]:
    """The lower-case English words of the list."""
    try:
        text = WORD_LIST.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise FileNotFoundError(
            f"{WORD_LIST} is missing: it is part of the repository (regenerate it with "
            "`python -m bot.console.word_list`)"
        ) from error
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def _header(kind: str) -> FrozenSet[str]:
    found = set()
    prefix = f"#{kind} "
    for line in WORD_LIST.read_text(encoding="utf-8").splitlines():
        if line.startswith(prefix):
            found.update(line[len(prefix) :].split())
    return frozenset(found)


@lru_cache(maxsize=1)
def proper_nouns() -> FrozenSet[str]:
    """Lower-cased words the source lists know only as proper nouns ("sarah", "london")."""
    return _header("proper")


@lru_cache(maxsize=1)
def name_words() -> FrozenSet[str]:
    """Words that are also proper nouns, mostly first names and surnames ("rose", "baker", "will")."""
    return _header("name")


def build(sources: Iterable[Path]) -> List[str]:
    """The file's lines: a header, the proper nouns as '#proper' lines and the words that are also
    proper nouns as '#name' lines, then one word a line."""
    words, proper = set(), set()
    for source in sources:
        for line in source.read_text(encoding="utf-8").splitlines():
            entry = line.strip()
            if ENTRY.fullmatch(entry):
                words.add(entry)
            elif CAPITALISED.fullmatch(entry):
                proper.add(entry.lower())
    names = proper & words
    proper -= words
    header = [
        "# English words for the console's redaction (bot/console/redaction.py): the lower-case entries",
        "# of SCOWL's size-50 American and British lists (Debian wamerican/wbritish); see README.md here.",
        "# Regenerate with `python -m bot.console.word_list`.",
    ]
    for kind, found in (("proper", proper), ("name", names)):
        ordered = sorted(found)
        header += [f"#{kind} " + " ".join(ordered[i : i + 20]) for i in range(0, len(ordered), 20)]
    return header + sorted(words)


def main(argv: List[str]) -> int:
    sources = [Path(a) for a in argv] or list(SOURCES)
    missing = [str(s) for s in sources if not s.exists()]
    if missing:
        print(f"missing {', '.join(missing)}: apt-get install wamerican wbritish", file=sys.stderr)
        return 1
    lines = build(sources)
    WORD_LIST.parent.mkdir(parents=True, exist_ok=True)
    WORD_LIST.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{WORD_LIST}: {sum(1 for line in lines if not line.startswith('#'))} words")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
