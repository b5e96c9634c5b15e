"""Mask a visitor's free text for the staff console: health terms, contact details, dates and unknown
words (names among them) become typed placeholders.

What is masked, in this order (an earlier kind wins where two overlap):
- `[email]` and `[link]`: email addresses, web addresses;
- `[date]`: calendar dates ("12/03/1985", "3 March 1985", "March 3rd", "May 2024") and years
  1900-2099; a relative time ("3 weeks ago", "in March") stays, the screening needs it and it names
  no one;
- `[phone]`: runs of 7 or more digits with spaces, dots, dashes or brackets (phone numbers, NHS
  numbers);
- `[health]`: the language layer's own spans (the project's spaCy pipeline and red-flag patterns):
  conditions, medicines, procedures, habits and red flags, whether stated, denied or asked about;
- `[name?]`: a capitalised word that is not in the vocabulary ("Priya"); inside a sentence, a word
  that is also a first name or surname ("I'm Tom Baker"); such a word right after a masked one
  ("aisha khan"); the words after "my name is", "call me", "name:"; a name-like word after "Mr",
  "Mrs", "Ms", "Dr";
- `[word]`: any other word that is neither in the English word list (data/redaction/) nor in the
  project's vocabulary (data/nlu, the non-health term lists, spaCy's stop words and contractions),
  and words of letters and digits (postcodes, ids). A blank spaCy pipeline has no name recogniser, so
  unknown words are masked rather than guessed at; typos are masked too.

Known limits: a name that is also a common word, typed in lower case or first in a sentence ("rose
here"), is shown; so are numbers below 7 digits (ages, prices, "10 days").

`mask(text)` is pure (its caches hold only data files and the spaCy pipeline). `masked_event` and
`masked_events` apply it to Rasa's stored events; `mask_annotated` to a Rasa NLU training example.
"""

from __future__ import annotations

import copy
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, FrozenSet, Iterable, Iterator, List, Sequence, Tuple

import yaml

from bot import DATA_DIR, PROJECT_ROOT
from bot.console.word_list import english_words, name_words, proper_nouns
from bot.vocabulary import CONDITION, HABIT, PROCEDURE, RED_FLAG

HEALTH = "[health]"
PHONE = "[phone]"
EMAIL = "[email]"
DATE = "[date]"
LINK = "[link]"
NAME = "[name?]"
WORD = "[word]"
PLACEHOLDERS = (HEALTH, PHONE, EMAIL, DATE, LINK, NAME, WORD)
HEALTH_LABELS = (CONDITION, PROCEDURE, HABIT, RED_FLAG)
# Lexicon files whose words are ordinary vocabulary; the health ones (above) are masked as spans.
PLAIN_LEXICON_FILES = ("skin_type", "benefit", "answer_field", "rating", "ignore", "answers", "negation")
SAVED_PIPELINE = PROJECT_ROOT / "var" / "spacy" / "en_screening"
_PIPELINE_LOCK = threading.Lock()

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LINK = re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_DATE = re.compile(
    r"\b(?:"
    r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}"  # 12/03/1985, 1985-03-12, 3.4.22
    rf"|{_DAY}(?:\s+of)?\s+{_MONTH}\.?(?:,?\s+(?:19|20)?\d{{2}})?"  # 3 March, 3rd of March 1985
    rf"|{_MONTH}\.?\s+{_DAY}(?:,?\s+(?:19|20)\d{{2}})?"  # March 3rd, March 3, 1985
    rf"|{_MONTH}\.?\s+(?:19|20)\d{{2}}"  # March 1985
    r"|(?:19|20)\d{2}"  # 1985
    r")\b",
    re.IGNORECASE,
)
_PHONE = re.compile(r"\(?\+?\d[\d ()./-]{5,}\d(?!\w)")
_MIN_PHONE_DIGITS = 7
_TOKEN = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
# Digits with a unit or an ordinal are a quantity, not an id: "10am", "3rd", "20mg", "2x".
_QUANTITY = re.compile(
    r"\d+(?:st|nd|rd|th|am|pm|s|x|k|mg|ml|g|kg|lb|lbs|h|hr|hrs|min|mins|yr|yrs|wk|wks|d|cm|mm)?",
    re.IGNORECASE,
)
_STRONG_CUE = re.compile(
    r"\b(?:my name(?:'s| is)|names? is|name's|i am called|i'm called|im called|call me|"
    r"known as|name\s*[:=-])\s*",
    re.IGNORECASE,
)
_TITLE_CUE = re.compile(r"\b(?:mr|mrs|ms|miss|mx|dr|prof)\.?\s+", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?\n:;]\s*$")
_SUFFIXES = ("s", "m", "re", "ve", "ll", "d", "t")
_TITLES = frozenset("mr mrs ms miss mx dr prof sir madam".split())
_CALENDAR = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)


# ---- the vocabulary -------------------------------------------------------------------------------


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _words_of(paths: Iterable[Path]) -> FrozenSet[str]:
    found = set()
    for path in paths:
        for text in _strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
            found.update(_normal(w) for w in _TOKEN.findall(text) if not any(c.isdigit() for c in w))
    return frozenset(found)


@lru_cache(maxsize=1)
def health_words() -> FrozenSet[str]:
    """Words of the health term lists that are not English words ("warfarin", "roaccutane")."""
    files = [DATA_DIR / "lexicon" / f"{name}.yml" for name in HEALTH_LABELS if name != RED_FLAG]
    return frozenset(w for w in _words_of(files) if w not in english_words())


@lru_cache(maxsize=1)
def project_words() -> FrozenSet[str]:
    """The project's own vocabulary: what visitors type in data/nlu (their spellings, "tbh", "hiya")
    and the non-health term lists, with spaCy's English stop words and contractions; less the health
    terms (masked as spans) and words the word list knows only as proper nouns ("london")."""
    from spacy.lang.en import English

    files = sorted((DATA_DIR / "nlu").glob("*.yml"))
    files += [DATA_DIR / "lexicon" / f"{name}.yml" for name in PLAIN_LEXICON_FILES]
    words = set(_words_of(p for p in files if p.exists()))
    defaults = English.Defaults
    spacy_words = {_normal(w) for w in defaults.stop_words}
    spacy_words.update(_normal(str(k)) for k in defaults.tokenizer_exceptions if _TOKEN.fullmatch(str(k)))
    # Contractions typed without the apostrophe ("dont", "im") are everyday words too.
    spacy_words.update(w.replace("'", "") for w in list(spacy_words) if "'" in w)
    words -= health_words()
    words |= spacy_words
    words -= proper_nouns() - _CALENDAR
    return frozenset(words) | _CALENDAR | _TITLES


@lru_cache(maxsize=1)
def stop_words() -> FrozenSet[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(_normal(w) for w in STOP_WORDS)


def _normal(word: str) -> str:
    return word.lower().replace("\u2019", "'")


def known(word: str) -> bool:
    """An English word, or one of the project's vocabulary (a possessive or contraction of one too)."""
    lower = _normal(word)
    words, ours = english_words(), project_words()
    if lower in words or lower in ours:
        return True
    stem, _, suffix = lower.rpartition("'")
    if stem and suffix in _SUFFIXES:
        stem = stem[:-1] if suffix == "t" and stem.endswith("n") else stem
        return stem in words or stem in ours
    return False


# ---- the language layer -----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _pipeline():
    """The project's spaCy pipeline (var/spacy/en_screening, as Rasa loads it; built in memory when
    `make spacy` has not run), with only the parts that find curated terms."""
    import spacy

    import bot.nlu.spacy_components  # noqa: F401  (registers our components before loading)

    if (SAVED_PIPELINE / "meta.json").exists():
        nlp = spacy.load(SAVED_PIPELINE)
    else:
        from bot.nlu.build_pipeline import build

        nlp = build()
    # Denial and past marks do not change where a term is; durations are not masked; red flags are
    # read below without the learned reader.
    for name in ("negex", "screening_past_mentions", "screening_durations", "screening_red_flags"):
        if name in nlp.pipe_names:
            nlp.remove_pipe(name)
    return nlp


def health_spans(text: str) -> List[Tuple[int, int]]:
    """(start, end) of every health term the language layer finds in `text`: the curated terms
    (conditions, medicines, procedures, habits) and the red-flag patterns' mentions. The learned
    red-flag reader is left out: it marks one word of a message the patterns missed, and costs 20-30 ms
    a message where the rest costs 1-2 (a list export masks thousands)."""
    from bot.nlu.red_flags import find_red_flags

    # Lower-cased character by character, so offsets still fit the original ("İ" lowers to 2 chars).
    lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    # The indexer masks in a worker thread while pages mask in the event loop: one at a time, since a
    # pipeline's vocabulary grows as it reads.
    with _PIPELINE_LOCK:
        doc = _pipeline()(lowered)
    spans = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in HEALTH_LABELS]
    spans += [(m.start, m.end) for m in find_red_flags(lowered, model=None)]
    return spans


def warm_up() -> None:
    """Load the pipeline, the word list and the vocabulary (a few seconds), before a page needs them."""
    mask("Warm up: my name is Jo, I'm on warfarin.")


# ---- masking ----------------------------------------------------------------------------------------


@dataclass
class _Token:
    start: int
    end: int
    text: str
    sentence_start: bool
    cue: str = ""  # "strong", "second" or "title"


def _phones(text: str) -> Iterator[Tuple[int, int]]:
    for match in _PHONE.finditer(text):
        if sum(c.isdigit() for c in match.group()) >= _MIN_PHONE_DIGITS:
            yield match.start(), match.end()


def _tokens(text: str) -> List[_Token]:
    tokens = []
    for match in _TOKEN.finditer(text):
        before = text[: match.start()]
        first = not before.strip() or bool(_SENTENCE_END.search(before))
        tokens.append(_Token(match.start(), match.end(), match.group(), first))
    for cue, pattern in (("strong", _STRONG_CUE), ("title", _TITLE_CUE)):
        for match in pattern.finditer(text):
            following = [t for t in tokens if t.start >= match.end()]
            if not following or text[match.end() : following[0].start].strip(" ,\"'"):
                continue
            following[0].cue = following[0].cue or cue
            if (
                cue == "strong"
                and len(following) > 1
                and not text[following[0].end : following[1].start].strip()
            ):
                following[1].cue = following[1].cue or "second"
    return tokens


def _titlecase(word: str) -> bool:
    return len(word) > 1 and word[0].isupper() and word[1:].islower()


def _shouting(tokens: Sequence[_Token]) -> bool:
    """Mostly capitalised words ("Is It Safe For Me"): capitals say nothing about names there."""
    words = [t.text for t in tokens if t.text.isalpha() and len(t.text) > 1]
    capitals = [w for w in words if w[0].isupper()]
    return len(words) >= 3 and len(capitals) >= 0.6 * len(words)


def _word_placeholder(token: _Token, shouting: bool) -> str | None:
    """The placeholder for one word outside the other spans, or None to keep it."""
    word = token.text
    lower = _normal(word)
    if any(c.isdigit() for c in word):
        if word.isdigit() or _QUANTITY.fullmatch(word):
            return None
        return WORD
    if token.cue == "strong" and lower not in stop_words():
        return NAME
    if token.cue == "title" and lower not in stop_words() and (lower in name_words() or not known(word)):
        return NAME
    if not known(word):
        return NAME if word[0].isupper() else WORD
    if _titlecase(word) and not token.sentence_start and not shouting and lower not in _CALENDAR | _TITLES:
        # Inside a sentence a capital marks a proper noun: a first name or surname that is also a word.
        if lower in name_words() or lower in proper_nouns():
            return NAME
    return None


PLACEHOLDER_RE = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS))


@lru_cache(maxsize=20_000)
def mask(text: str) -> str:
    """`text` with health terms, emails, links, dates, phone numbers, names and unknown words replaced
    by typed placeholders. Idempotent: masking masked text changes nothing."""
    if not text or not text.strip():
        return text
    if PLACEHOLDER_RE.search(text):
        # Masked already (a stored example, an export of an export): the words between placeholders
        # were judged in their context once, and are read again on their own.
        pieces = PLACEHOLDER_RE.split(text)
        found = PLACEHOLDER_RE.findall(text) + [""]
        return "".join(_mask_plain(p) + found[i] for i, p in enumerate(pieces))
    return _mask_plain(text)


def _mask_plain(text: str) -> str:
    if not text.strip():
        return text
    spans: List[Tuple[int, int, str]] = []

    def free(start: int, end: int) -> bool:
        return not any(start < e and s < end for s, e, _ in spans)

    for pattern, placeholder in ((_EMAIL, EMAIL), (_LINK, LINK), (_DATE, DATE)):
        for match in pattern.finditer(text):
            if free(match.start(), match.end()):
                spans.append((match.start(), match.end(), placeholder))
    for start, end in _phones(text):
        if free(start, end):
            spans.append((start, end, PHONE))
    for start, end in health_spans(text):
        for piece_start, piece_end in _uncovered(start, end, spans):
            if any(c.isalpha() for c in text[piece_start:piece_end]):
                spans.append((piece_start, piece_end, HEALTH))
    tokens = _tokens(text)
    shouting = _shouting(tokens)
    previous: Tuple[_Token, str | None] | None = None
    for token in tokens:
        if not free(token.start, token.end):
            previous = None
            continue
        placeholder = _word_placeholder(token, shouting)
        if (
            placeholder is None
            and token.cue == "second"
            and previous is not None
            and previous[1] == NAME
            and _normal(token.text) not in stop_words()
        ):
            placeholder = NAME  # "my name is rose smith"
        if placeholder is None and previous is not None and previous[1] in (NAME, WORD):
            # Names come in pairs: a surname that is also a word after a masked first name ("aisha khan").
            gap = text[previous[0].end : token.start]
            lower = _normal(token.text)
            if not gap.strip() and lower in name_words() and lower not in stop_words():
                placeholder = NAME
        if placeholder:
            spans.append((token.start, token.end, placeholder))
        previous = (token, placeholder)
    out, last = [], 0
    for start, end, placeholder in sorted(spans):
        out += [text[last:start], placeholder]
        last = end
    out.append(text[last:])
    return "".join(out)


def _uncovered(start: int, end: int, spans: Sequence[Tuple[int, int, str]]) -> List[Tuple[int, int]]:
    """The parts of start..end that no span covers yet."""
    pieces, cursor = [], start
    for s, e, _ in sorted(spans):
        if e <= cursor or s >= end:
            continue
        if s > cursor:
            pieces.append((cursor, s))
        cursor = max(cursor, e)
    if cursor < end:
        pieces.append((cursor, end))
    return pieces


# ---- Rasa's events and training examples ------------------------------------------------------------


@lru_cache(maxsize=1)
def entity_codes() -> FrozenSet[str]:
    """The canonical values the language layer gives entities ("anticoagulants", "facial_droop"):
    structured codes like the screening summary's, shown as they are."""
    from bot.nlu.lexicon import load_lexicon
    from bot.nlu.red_flags import load_rules

    codes = {value for values in load_lexicon().values() for value in values}
    codes.update(category.code for category in load_rules().categories)
    return frozenset(codes)


def masked_event(event: Dict[str, Any]) -> Dict[str, Any]:
    """A copy of one stored Rasa event with the visitor's words masked: a visitor message keeps its
    intent, confidence, channel and the entities' codes; its text, entity wordings and metadata go.
    Other events (bot messages, slots, actions) hold no free text of the visitor's and are copied
    (added entities are masked like a message's)."""
    if event.get("event") == "entities":  # Rasa's EntitiesAdded: entity wordings, as in a message
        entities = [_masked_entity(e) for e in event.get("entities") or [] if isinstance(e, dict)]
        return {**copy.deepcopy(event), "entities": entities}
    if event.get("event") != "user":
        return copy.deepcopy(event)
    text = event.get("text")
    masked: Dict[str, Any] = {
        key: copy.deepcopy(event[key]) for key in ("event", "timestamp", "input_channel") if key in event
    }
    masked["text"] = mask(text) if isinstance(text, str) else text
    metadata = event.get("metadata") if isinstance(event.get("metadata"), dict) else {}
    if isinstance(metadata.get("clinic"), str):
        masked["metadata"] = {"clinic": metadata["clinic"]}
    parse = event.get("parse_data") if isinstance(event.get("parse_data"), dict) else None
    if parse is not None:
        masked["parse_data"] = {
            "intent": copy.deepcopy(parse.get("intent")),
            "entities": [_masked_entity(e) for e in parse.get("entities") or [] if isinstance(e, dict)],
            "text": masked["text"],
        }
    return masked


def _masked_entity(entity: Dict[str, Any]) -> Dict[str, Any]:
    value = entity.get("value")
    shown = value if isinstance(value, str) and value in entity_codes() else mask(str(value))
    kept = {k: entity[k] for k in ("entity", "role", "start", "end", "extractor") if k in entity}
    return {**kept, "value": shown}


def masked_events(events: Iterable[Dict[str, Any]]) -> List[Dict[str, Any]]:
    return [masked_event(e) if isinstance(e, dict) else e for e in events]


# Rasa's inline annotation, as bot/console/nlu_inbox.py reads it.
_ANNOTATION = re.compile(r"\[([^\[\]\(\)\n]+)\]\(([A-Za-z_][A-Za-z0-9_]*)\)")


def mask_annotated(example: str) -> str:
    """A training example (`[words](entity)` inline) masked: the plain text masked, an annotation kept
    where its words are not masked, dropped to the placeholder where they are."""
    out, last = [], 0
    plain = _ANNOTATION.sub(lambda m: m.group(1), example)
    masked_plain = mask(plain)
    if masked_plain == plain:
        return example
    for match in _ANNOTATION.finditer(example):
        out.append(mask(example[last : match.start()]))
        words = match.group(1)
        hidden = mask(words)
        out.append(match.group(0) if hidden == words else hidden)
        last = match.end()
    out.append(mask(example[last:]))
    return "".join(out)
