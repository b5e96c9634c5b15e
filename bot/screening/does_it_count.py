"""Whether something counts, asked at the health or treatments question ("does the pill count?", "would
a salon facial matter?"): nothing is recorded from the question, and the reply says whether it counts
(a term the lexicon knows for that question), does not bear on this screening (the question's own "none"
reading of it, or a treatment elsewhere on the body), or cannot be told. Wordings: data/knowledge/
recovery.yml, `does_it_count`."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Dict, Mapping, Sequence

from bot.knowledge import label, recovery
from bot.screening.answers import read_answer
from bot.vocabulary import CONDITIONS, LIST_SLOTS, RECENT_PROCEDURES

QUESTIONS = (CONDITIONS, RECENT_PROCEDURES)


@lru_cache(maxsize=1)
def _wordings() -> Dict[str, Any]:
    data = recovery().get("does_it_count") or {}
    return {
        **data,
        "asking": [re.compile(data[key], re.IGNORECASE) for key in ("asking", "asking_about")],
    }


def asks_at(question: str | None, text: str) -> bool:
    """The message, at `question`, only asks whether something counts."""
    return question in QUESTIONS and asked_thing(text) is not None


def asked_thing(text: str) -> str | None:
    """What the message only asks about ("the contraceptive pill"), or None when it says anything else."""
    for pattern in _wordings()["asking"]:
        match = pattern.match(text.strip())
        if match:
            return match.group("thing").strip()
    return None


# The visitor's words said back to them: "my bad knee" -> "your bad knee".
_SAID_BACK = {"my": "your", "i": "you", "i'm": "you're", "im": "you're", "me": "you", "mine": "yours"}


def _said_back(thing: str) -> str:
    return re.sub(r"[\w']+", lambda m: _SAID_BACK.get(m.group().lower(), m.group()), thing)


def reply(question: str, text: str, entities: Sequence[Mapping[str, Any]]) -> str | None:
    """Whether the thing asked about counts for `question`, in words; None when nothing is asked."""
    thing = asked_thing(text) if question in QUESTIONS else None
    if thing is None:
        return None
    wordings = _wordings()
    named = [e for e in entities if e.get("entity") == LIST_SLOTS[question]]
    if named:
        name = label(LIST_SLOTS[question], str(named[0]["value"]))
        return wordings["counts"][question].format(name=name, thing=thing)
    if read_answer(thing, question) == []:
        return wordings["does_not"][question].format(thing=_said_back(thing))
    return wordings["unsure"][question].format(thing=_said_back(thing))
