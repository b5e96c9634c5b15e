"""Replies read as answers to the pending question, before the intent classifier's guess.

"never had any" at the treatments question means none, "all good" at the lifestyle question means
none of those habits, "rather not" at the consent question is a refusal: one table per question in
data/lexicon/answers.yml, each a list of whole-message patterns. Plain Python, no Rasa.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Pattern

import yaml

from bot import DATA_DIR
from bot.nlu.treatment_scope import out_of_scope

ANSWERS_FILE = DATA_DIR / "lexicon" / "answers.yml"
NO_READING = object()  # the reply is not a plain answer to the question; read it the usual way
SKIPPED = object()  # the visitor declines to answer the pending question ("I'd rather not say")
LIST_QUESTIONS = ("conditions", "recent_procedures", "lifestyle")
YES_NO_QUESTIONS = ("consent", "answers_confirmed")
DATE_QUESTION = "days_since_procedure"
GOALS_QUESTION = "goals"
SKIN_QUESTION = "skin_type"
NORMAL_SKIN = "normal"
DATE_UNKNOWN = -1.0  # the same mark as a skipped "how long ago" (facts.DAYS_SKIPPED)


class AnswersFileError(ValueError):
    """answers.yml is malformed; the message says what is wrong."""


def _whole(patterns: List[str], filler: str, where: str) -> List[Pattern[str]]:
    compiled = []
    for pattern in patterns or []:
        try:
            compiled.append(re.compile(rf"^{filler}(?:{pattern}){filler}$"))
        except re.error as error:
            raise AnswersFileError(f"answers.yml {where}: {error} in {pattern!r}") from error
    return compiled


@lru_cache(maxsize=2)
def load_readings(path: Path = ANSWERS_FILE) -> Dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    # Not "yes"/"no" as keys: YAML reads those as booleans.
    missing = [
        k
        for k in ("filler", "none", "none_topics", "unknown_date", "saying_yes", "saying_no")
        if not data.get(k)
    ]
    if missing:
        raise AnswersFileError(f"answers.yml lacks {missing}")
    filler = str(data["filler"])
    none = data["none"]
    changes = data.get("consent_changes") or {}
    if not changes.get("withdraw") or not changes.get("give"):
        raise AnswersFileError("answers.yml: consent_changes needs withdraw and give patterns")
    clauses = data.get("none_clauses") or {}
    if not clauses.get("common") or not data.get("uncertain") or not data.get("not_none"):
        raise AnswersFileError("answers.yml needs none_clauses.common, uncertain and not_none")
    return {
        "none_clauses": {
            question: tuple(re.compile(p) for p in [*clauses["common"], *(clauses.get(question) or [])])
            for question in LIST_QUESTIONS
        },
        "uncertain": re.compile(data["uncertain"]),
        "skipping": re.compile(data["skipping"]) if data.get("skipping") else None,
        "not_none": re.compile(data["not_none"]),
        "skip_cues": re.compile(data["skip_cues"]),
        "correction_cues": re.compile(data["correction_cues"]),
        "lenient": tuple(data.get("lenient") or ()),
        "opening_denial": re.compile(data["opening_denial"]) if data.get("opening_denial") else None,
        "treatment_hints": re.compile(data["treatment_hints"]) if data.get("treatment_hints") else None,
        "withdraw_consent": tuple(re.compile(p) for p in changes["withdraw"]),
        "give_consent": tuple(re.compile(p) for p in changes["give"]),
        "none": {
            question: _whole([*(none.get("common") or []), *(none.get(question) or [])], filler, question)
            for question in LIST_QUESTIONS
        },
        "none_topics": {q: re.compile(str(p)) for q, p in (data.get("none_topics") or {}).items()},
        "unknown_date": _whole(data["unknown_date"], filler, "unknown_date"),
        "skin_normal": _whole(data.get("skin_normal") or [], filler, "skin_normal"),
        "states_not_goals": re.compile(data["states_not_goals"]) if data.get("states_not_goals") else None,
        "bare_skin_words": re.compile(data["bare_skin_words"]) if data.get("bare_skin_words") else None,
        "skin_words": re.compile(data["skin_words"]) if data.get("skin_words") else None,
        "yes": _whole(data["saying_yes"], filler, "saying_yes"),
        "no": _whole(data["saying_no"], filler, "saying_no"),
    }


def consent_change(text: str) -> str | None:
    """ "withdraw_consent" or "give_consent" when the message changes its mind about keeping the answers,
    at any point of the conversation (searched, not whole-message: it may come with other words)."""
    readings = load_readings()
    norm = _normalise(text)
    for intent in ("withdraw_consent", "give_consent"):
        if any(p.search(norm) for p in readings[intent]):
            return intent
    return None


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower().replace("\u2019", "'")).strip()


# A form-style label before the answer ("tx - nil", "treatments: none", "meds = none"): the answer is what
# follows it. Only with a mark after the label, so "skin is fine" keeps its words.
_FIELD_LABEL = re.compile(
    r"^\W*(?:tx|rx|treatments?|procedures?|cosmetics?(?: (?:treatments?|procedures?|work))?|meds?"
    r"|medications?"
    r"|medicines?|health|conditions?|medical(?: history)?|pmh|hx|history|lifestyle|habits?|skin(?: type)?"
    r"|goals?|aims?|consent|smoking|alcohol|drinking|sleep)\s*(?:[:=>\u2013-]+|\s-\s)\s*(?=\S)"
)


def read_answer(text: str, question: str | None, names_something: bool = False) -> Any:
    """The value `text` gives the pending `question`, or NO_READING when it is not a plain answer.
    `names_something`: the reply names a screening term (for any question), so the lenient reading
    ("names nothing known") does not apply."""
    if not question or not text:
        return NO_READING
    readings = load_readings()
    norm = _FIELD_LABEL.sub("", _normalise(text), count=1)

    def matches(patterns: List[Pattern[str]]) -> bool:
        return any(p.match(norm) for p in patterns)

    if question not in YES_NO_QUESTIONS and readings["skipping"] and readings["skipping"].search(norm):
        return SKIPPED
    if question in LIST_QUESTIONS and matches(readings["none"][question]):
        return []
    if question in LIST_QUESTIONS and _none_clause_by_clause(norm, question, readings, names_something):
        return []
    if question == GOALS_QUESTION and _open_goal(norm, readings, names_something):
        return SKIPPED  # "whatever you recommend": no goal to record, and nothing to ask again
    if question == SKIN_QUESTION and matches(readings["skin_normal"]):
        return NORMAL_SKIN
    if question == DATE_QUESTION and matches(readings["unknown_date"]):
        return DATE_UNKNOWN
    if question in YES_NO_QUESTIONS:
        # "no" is checked first: "no thanks, just questions" must never read as a yes.
        if matches(readings["no"]):
            return False
        if matches(readings["yes"]):
            return True
        # Several plain answers in a row ("grand, no bother at all", "yes, sure, of course"): each part
        # alone says the same.
        parts = [part.strip() for part in _CLAUSE.split(norm) if part and part.strip()]
        if len(parts) > 1:
            for reading, patterns in ((False, readings["no"]), (True, readings["yes"])):
                if all(any(p.match(part) for p in patterns) for part in parts):
                    return reading
    return NO_READING


def yes_or_no(text: str) -> bool | None:
    """A plain yes (True) or no (False) to a yes/no question; None when the reply is neither."""
    reading = read_answer(text, YES_NO_QUESTIONS[0])
    return reading if isinstance(reading, bool) else None


# Where a reply divides into clauses: punctuation, and words that join or set apart ("but", "except").
_CLAUSE = re.compile(
    r"[,.;:!\n()]|\s-\s"
    # ("wear and tear" is one thing)
    r"|\b(?:(?<!wear )and(?! tear\b)|but|because|cos|coz|though|although|except|apart from|other than|besides"
    r"|plus)\b"
)
# Words that only hedge what they stand beside ("maybe", "probably").
_HEDGE = re.compile(r"\b(?:maybe|possibly|perhaps|probably|might be|might)\b")
# ("then" is what is left of "now and then" when the reply is split at "and".)
_EMPTY_CLAUSE = re.compile(
    r"^(?:that|this|it|me|for me|really|i guess|i think|tbh|lol|haha|so|well|um+|er+|then|there|again|too"
    r"|ever|at all|whatsoever)?$"
)


def _none_clause_by_clause(norm: str, question: str, readings: Dict[str, Any], names_something: bool) -> bool:
    """Every clause denies, or says nothing that bears on `question`; or the question is one whose
    answer cannot change the result and the reply names nothing (read as "none", shown in the summary).
    Never when the reply is unsure, asks, or says the visitor is unwell."""
    # A question first, then the answer ("does the pill count? I'm on the pill, nothing else"): the
    # answer is read; a reply that only asks is not an answer.
    norm = " ".join(part for part in re.split(r"(?<=[.!?])\s+", norm) if not part.rstrip().endswith("?"))
    if not norm.strip() or readings["not_none"].search(norm):
        return False
    clauses = [c.strip() for c in _CLAUSE.split(norm) if c and c.strip()]
    hedged = bool(readings["uncertain"].search(norm))
    if hedged:
        # "Hay fever in June maybe": a hedge on something that bears on nothing still leaves "none"; a doubt
        # ("not sure", "I don't know") asks again, as does a hedge on anything the question is about.
        if any(readings["uncertain"].search(_HEDGE.sub(" ", c)) for c in clauses):
            return False
        clauses = [_HEDGE.sub(" ", c).strip() for c in clauses]
    elif question in readings["lenient"] and not names_something:
        return True
    clauses = [c for c in clauses if c and not _EMPTY_CLAUSE.match(c)]
    if not clauses:
        return False  # nothing but filler ("lol", "ever"): no answer
    if question == "recent_procedures":
        # A treatment on the legs, or one only booked, is no recent treatment of the face.
        relevant = [c for c in clauses if not out_of_scope(c)]
        if clauses and not relevant:
            return True
        if _denied_first(clauses, readings, question):
            return True
        clauses = relevant
    patterns = readings["none_clauses"][question]
    return bool(clauses) and all(any(p.search(c) for p in patterns) for c in clauses)


def _denied_first(clauses: List[str], readings: Dict[str, Any], question: str) -> bool:
    """A plain denial first, and nothing after it that hints at a treatment had (answers.yml,
    opening_denial and treatment_hints)."""
    opening, hints = readings["opening_denial"], readings["treatment_hints"]
    # (A treatment the lexicon knows never reaches here: it is the question's own term. A term for another
    # question, "scared of needles", is folded into that one.)
    if opening is None or hints is None or not opening.match(clauses[0]):
        return False
    rest = clauses[1:]
    return not any(hints.search(c) or readings["none_topics"][question].search(c) for c in rest)


def _open_goal(norm: str, readings: Dict[str, Any], names_something: bool) -> bool:
    """At the goals question, a reply that names no goal we know and does not ask ("just curious",
    "whatever you think would help"): goals only shape the answer, so it is taken as no particular goal
    rather than asked again. (A named goal is an entity, and never reaches here.)"""
    return "goals" in readings["lenient"] and not names_something and "?" not in norm


# Questions whose own "none" wordings name their topic ("no health problems", "never had anything done"),
# so a clause saying one answers that question even when another is pending. Not lifestyle: its "none"
# wordings ("fine", "all good") name no topic.
TOPICAL_NONE_QUESTIONS = ("conditions", "recent_procedures")


def topical_nones(text: str, pending: str | None = None) -> List[str]:
    """The questions a clause of a several-answer reply plainly answers "none" ("combination skin, no
    health problems, and I've never had anything done"). A clause that is unsure or asks answers nothing;
    one that names no topic ("nothing to report") answers only the `pending` question."""
    readings = load_readings()
    norm = " ".join(part for part in re.split(r"(?<=[.!?])\s+", _normalise(text)) if not part.endswith("?"))
    clauses = [c.strip() for c in _CLAUSE.split(norm) if c and c.strip()]
    if len(clauses) < 2 or readings["uncertain"].search(norm) or readings["not_none"].search(norm):
        return []
    # A denial may run over a comma ("never had botox, fillers or anything like that"): a few clauses in a
    # row are read together too.
    spans = clauses + _runs_of_clauses(norm)
    return [
        question
        for question in TOPICAL_NONE_QUESTIONS
        if any(
            (question == pending or readings["none_topics"][question].search(span))
            and any(p.match(span) for p in readings["none"][question])
            for span in spans
        )
    ]


def _runs_of_clauses(norm: str, longest: int = 4) -> List[str]:
    """Two to `longest` clauses in a row, as written (separators kept), within one sentence."""
    runs: List[str] = []
    for sentence in re.split(r"[.;!?\n]+", norm):
        cuts = [0, *(m.start() for m in _CLAUSE.finditer(sentence)), len(sentence)]
        for i in range(len(cuts) - 1):
            for j in range(i + 2, min(i + longest, len(cuts) - 1) + 1):
                run = sentence[cuts[i] : cuts[j]].strip(" ,-():")
                if run:
                    runs.append(re.sub(r"^(?:and|but|plus)\s+", "", run))
    return runs


# A reply of at most this many words may skip by the classifier's word alone ("nah pass", "next one").
PLAIN_SKIP_WORDS = 2


def says_skip(text: str) -> bool:
    """The reply asks to skip in so many words, or is too short to say anything else."""
    norm = _normalise(text)
    return len(norm.split()) <= PLAIN_SKIP_WORDS or bool(load_readings()["skip_cues"].search(norm))


def says_correction(text: str) -> bool:
    """The reply says it corrects something ("actually", "sorry, I meant")."""
    return bool(load_readings()["correction_cues"].search(_normalise(text)))


def is_a_state_not_a_goal(words: str) -> bool:
    """ "tired", "stressed": how one feels, which answers no goal unless the goals question asked."""
    pattern = load_readings()["states_not_goals"]
    return bool(pattern and pattern.match(_normalise(words)))


def is_a_bare_skin_word(words: str, message: str) -> bool:
    """ "normal" with no word for the skin anywhere in the message: as usual, not a skin type."""
    readings = load_readings()
    bare, skin = readings["bare_skin_words"], readings["skin_words"]
    return bool(bare and bare.match(_normalise(words)) and not (skin and skin.search(_normalise(message))))
