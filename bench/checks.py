"""What each benchmark conversation says, and whether a reply counts as an answer or as an error.

A reply is an error when the server did not answer 200 with at least one message, when it is the
never-silent channel's apology (bot/channels/safety_net.py: the bot could not really answer), when it
is the fallback to a sentence taken from the training data, or when the turn that should end the
conversation (the screening's result, the moodbot's goodbye) does not.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import cycle, islice
from typing import Any, List, Sequence

# bot/channels/safety_net.py trouble_text() and domain.yml utter_default; a unit test checks both still
# read this way, so a reworded apology cannot slip through as an answer.
TROUBLE = "having trouble answering"
FALLBACK = "not sure I understood"
RESULT = "screening_result"  # the custom payload with the screening's outcome (actions/result.py)


@dataclass(frozen=True)
class Turn:
    text: str
    expect: str | None = None  # RESULT, or words the reply must contain


# A whole screening with our bot: greeting, consent, five answers, confirmation, then the result.
SCREENING: Sequence[Turn] = (
    Turn("hi"),
    Turn("yes"),
    Turn("my skin is oily"),
    Turn("none of those"),
    Turn("no"),
    Turn("I don't smoke"),
    Turn("a healthy glow"),
    Turn("yes", expect=RESULT),
)
# The stock `rasa init` bot (moodbot), eight messages too, ending with its goodbye.
MOODBOT: Sequence[Turn] = (
    Turn("hi"),
    Turn("I am sad"),
    Turn("yes"),
    Turn("great"),
    Turn("are you a bot?"),
    Turn("hello"),
    Turn("very good"),
    Turn("bye", expect="Bye"),
)
# Questions from the training data (data/nlu/faq.yml), asked after the screening in the long conversation.
QUESTIONS = (
    "what is facial acupuncture",
    "how does it work",
    "does it hurt",
    "are there any side effects",
    "is it safe",
    "how many sessions do i need",
    "how long do results last",
    "how much does it cost",
    "who does the treatment",
)
SCRIPTS = {"screening": SCREENING, "moodbot": MOODBOT}


def long_conversation(script: str, length: int) -> List[Turn]:
    """One conversation of `length` messages: ours screens, then asks questions; the moodbot goes round."""
    if script == "screening":
        rest = max(0, length - len(SCREENING))
        return list(SCREENING) + [Turn(text) for text in islice(cycle(QUESTIONS), rest)]
    return list(islice(cycle(SCRIPTS[script]), length))


def _texts(body: List[Any]) -> List[str]:
    return [str(m.get("text") or "") for m in body if isinstance(m, dict)]


def classify(status: int | None, body: Any, expect: str | None = None) -> str:
    """'' for a real answer, else what was wrong: 'http 500', 'no answer', 'empty', 'trouble', 'fallback',
    'no result', 'expected …'."""
    if status is None:
        return "no answer"
    if status != 200:
        return f"http {status}"
    if not isinstance(body, list) or not body:
        return "empty"
    texts = _texts(body)
    if any(TROUBLE in text for text in texts):
        return "trouble"
    if any(FALLBACK in text for text in texts):
        return "fallback"
    if expect == RESULT:
        custom = [m.get("custom") for m in body if isinstance(m, dict) and isinstance(m.get("custom"), dict)]
        if not any(c.get("type") == RESULT for c in custom):
            return "no result"
    elif expect and not any(expect in text for text in texts):
        return f"expected '{expect}'"
    return ""
