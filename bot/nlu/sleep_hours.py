"""Hours of sleep as an answer to "do you sleep poorly?": "I sleep maybe five hours", "5-6 hrs a night",
"about four hours' kip". Six hours or fewer a night is poor sleep (the lifestyle advice for it applies);
seven or more is not, whatever words around it sound like a complaint about sleep. The number is read
as said ("maybe five": five); of a range, the larger ("5-6": six), so that only a clearly short night
counts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List

from bot.nlu.time_spans import NUMBER_WORDS, number_value

POOR_SLEEP_MAX_HOURS = 6.0
_NUMBER = (
    r"(?:\d+(?:[.,]5)?|"
    + "|".join(sorted((w for w in NUMBER_WORDS if len(w) > 2), key=len, reverse=True))
    + ")"
)
_HOURS = (
    r"(?P<low>" + _NUMBER + r")(?:\s*(?:-|–|to|or)\s*(?P<high>" + _NUMBER + r"))?(?:\s+and a half)?"
    r"\s*(?:hours?|hrs?|h)\b(?:'|’)?(?!\s*(?:ago|back|before|after|later|since|earlier))"
)
_SLEEP = r"(?:sleep\w*|slept|kip|shut-?eye|a night|per night|each night|every night|a nite|at night|nightly)"
# "sleep maybe five hours" and "five hours a night": the word for sleep before the hours or after them,
# in the same clause (no punctuation between), and never a time since ("3 hours ago").
_SLEEP_HOURS = (
    re.compile(r"\b" + _SLEEP + r"[\s']+(?:[\w']+[\s']+){0,4}?" + _HOURS, re.IGNORECASE),
    re.compile(r"\b" + _HOURS + r"[\s']+(?:[\w']+[\s']+){0,2}?" + _SLEEP, re.IGNORECASE),
)


@dataclass(frozen=True)
class SleepHours:
    start: int
    end: int
    hours: float

    @property
    def poor(self) -> bool:
        return self.hours <= POOR_SLEEP_MAX_HOURS


def find_sleep_hours(text: str) -> List[SleepHours]:
    found: List[SleepHours] = []
    for pattern in _SLEEP_HOURS:
        for match in pattern.finditer(text):
            said = [match.group("low"), match.group("high")]
            values = [v for v in (number_value(w) for w in said if w) if v is not None]
            overlaps = any(f.start < match.end() and match.start() < f.end for f in found)
            if values and 0 < max(values) <= 24 and not overlaps:
                found.append(SleepHours(match.start(), match.end(), max(values)))
    return sorted(found, key=lambda f: f.start)
