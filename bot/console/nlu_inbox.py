"""The unclear messages inbox (Rasa X's "NLU inbox"): visitor messages the NLU fell back on or was
unsure of, grouped by similarity, for a reviewer to label with the intent they should have had and
the entities in them; the labels download as Rasa NLU training data (`nlu.yml`).

A message is unclear when its intent is `nlu_fallback` or its confidence is below
indexer.LOW_CONFIDENCE. Button payloads ("/intent...") are never unclear. Only the clinic's
conversations the indexer marked as low-confidence or fallback are read, so the page does not parse
every stored event.

Grouping is deliberately simple and explainable: each message is lower-cased, its punctuation
stripped and its stop words removed; messages with the same *set* of remaining content words form a
group ("Can I have it on warfarin?" and "warfarin, can I have it" share {warfarin}). No fuzzy
matching: two messages are grouped only when that set is equal.

Staff see the messages as reveals.Reader shows them (masked unless revealed), grouped by their own
words and each group named by the words it shows (`inbox`); a label is written on the message as its
author saw it, and the download masks each example again unless the one downloading holds a reveal of
its conversation (`nlu_export`).
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Dict, FrozenSet, List, Sequence, Tuple

import yaml
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot import PROJECT_ROOT
from bot.console import auth, redaction
from bot.console.indexer import EVENTS, LOW_CONFIDENCE
from bot.console.reveals import Reader
from bot.storage.models import Conversation, NluLabel

FALLBACK = "nlu_fallback"
MAX_EXAMPLE = 2000
MAX_MESSAGES = 2000  # the newest unclear messages shown; older ones wait until these are labelled
STOP_WORDS = frozenset(
    """a about am an and any are as at be been but by can could do does did for from had has have
    hi hello hey how i i'm im if in is it it's its me my of on or please so that the their them then
    there this to too was we what when where which who why will with would you your yours ok okay
    just while also than very""".split()
)
WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
# Rasa's inline annotation: [text](entity). Roles, groups and synonyms ({...} or (entity:value)) are
# not offered here: a reviewer writes plain entities only.
ANNOTATION = re.compile(r"\[([^\[\]\(\)\n]+)\]\(([A-Za-z_][A-Za-z0-9_]*)\)")
MARKUP = re.compile(r"[\[\]]")


class LabelError(ValueError):
    """A label that cannot be recorded; the message says why."""


# ---- the domain ---------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _domain() -> Tuple[Tuple[str, ...], Tuple[str, ...]]:
    data = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8")) or {}

    def names(items) -> Tuple[str, ...]:
        found = []
        for item in items or []:
            if isinstance(item, str):
                found.append(item)
            elif isinstance(item, dict):
                found.extend(str(k) for k in item)
        return tuple(found)

    return names(data.get("intents")), names(data.get("entities"))


def intents() -> Tuple[str, ...]:
    return _domain()[0]


def entities() -> Tuple[str, ...]:
    return _domain()[1]


# ---- the inbox ----------------------------------------------------------------------------------


@dataclass
class Message:
    event_id: int
    sender_id: str
    text: str
    intent: str
    confidence: float
    at: float
    label: NluLabel | None = None
    example_shown: str = ""  # the label's example as the reader may see it


@dataclass
class Group:
    words: FrozenSet[str]
    messages: List[Message] = field(default_factory=list)
    name: str = ""  # what the page shows: the words as masked (see `inbox`)

    @property
    def key(self) -> str:
        return self.name or " ".join(sorted(self.words)) or "(no content words)"


def content_words(text: str) -> FrozenSet[str]:
    return frozenset(w for w in WORD.findall(text.lower()) if w not in STOP_WORDS)


def is_unclear(event: Dict) -> bool:
    if event.get("event") != "user":
        return False
    text = event.get("text")
    if not isinstance(text, str) or not text.strip() or text.startswith("/"):
        return False
    intent = (event.get("parse_data") or {}).get("intent") or {}
    if intent.get("name") == FALLBACK:
        return True
    confidence = intent.get("confidence")
    return isinstance(confidence, (int, float)) and confidence < LOW_CONFIDENCE


def unclear_messages(db: Session, clinic_id: str) -> List[Message]:
    """The clinic's unclear visitor messages, newest first."""
    candidates = (
        select(Conversation.sender_id)
        .where(Conversation.clinic_id == clinic_id)
        .where(or_(Conversation.low_confidence.is_(True), Conversation.fallback.is_(True)))
    )
    rows = db.execute(
        select(EVENTS.c.id, EVENTS.c.sender_id, EVENTS.c.data)
        .where(EVENTS.c.type_name == "user", EVENTS.c.sender_id.in_(candidates))
        .order_by(EVENTS.c.id.desc())
    )
    found: List[Message] = []
    for event_id, sender_id, data in rows:
        try:
            event = json.loads(data)
        except (TypeError, ValueError):
            continue
        if not isinstance(event, dict) or not is_unclear(event):
            continue
        intent = (event.get("parse_data") or {}).get("intent") or {}
        confidence = intent.get("confidence")
        timestamp = event.get("timestamp")
        found.append(
            Message(
                event_id=int(event_id),
                sender_id=sender_id,
                text=event["text"],
                intent=str(intent.get("name") or ""),
                confidence=float(confidence) if isinstance(confidence, (int, float)) else 0.0,
                at=float(timestamp) if isinstance(timestamp, (int, float)) else 0.0,
            )
        )
        if len(found) >= MAX_MESSAGES:
            break
    labels = {
        label.event_id: label
        for label in db.execute(select(NluLabel).where(NluLabel.clinic_id == clinic_id)).scalars()
    }
    for message in found:
        message.label = labels.get(message.event_id)
    return found


def inbox(db: Session, reader: Reader) -> List[Group]:
    """The clinic's unclear messages, grouped, as the staff member may read them: masked unless
    revealed. Grouped by their own words (two masked health terms are not the same word), each group
    named by the words its first message shows."""
    groups = grouped(unclear_messages(db, reader.staff.clinic_id))
    reader.load(m.sender_id for g in groups for m in g.messages)
    shown = []
    for group in groups:
        messages = [
            dataclasses.replace(
                m,
                text=reader.text(m.sender_id, m.text),
                example_shown=reader.example(m.sender_id, m.label.example) if m.label else "",
            )
            for m in group.messages
        ]
        shown.append(Group(group.words, messages, name=_shown_key(messages[0].text)))
    return shown


def _shown_key(text: str) -> str:
    placeholders = redaction.PLACEHOLDER_RE.findall(text)
    words = content_words(redaction.PLACEHOLDER_RE.sub(" ", text))
    return " ".join(sorted(set(placeholders) | words)) or " ".join(WORD.findall(text.lower())) or "(no words)"


def grouped(messages: Sequence[Message]) -> List[Group]:
    """Messages sharing the same set of content words; the largest group first, then the newest."""
    groups: Dict[FrozenSet[str], Group] = {}
    for message in messages:
        words = content_words(message.text)
        if not words:  # nothing but stop words: group by the whole (normalised) message instead
            words = frozenset({" ".join(WORD.findall(message.text.lower())) or message.text.strip()})
        groups.setdefault(words, Group(words)).messages.append(message)
    return sorted(groups.values(), key=lambda g: (-len(g.messages), -max(m.at for m in g.messages)))


def message_or_none(db: Session, clinic_id: str, event_id: int) -> Message | None:
    """One unclear message of the clinic's conversations, or None (another clinic's is None too)."""
    row = db.execute(
        select(EVENTS.c.id, EVENTS.c.sender_id, EVENTS.c.data)
        .join(Conversation, Conversation.sender_id == EVENTS.c.sender_id)
        .where(EVENTS.c.id == event_id, Conversation.clinic_id == clinic_id, EVENTS.c.type_name == "user")
    ).first()
    if row is None:
        return None
    try:
        event = json.loads(row.data)
    except (TypeError, ValueError):
        return None
    if not isinstance(event, dict) or not is_unclear(event):
        return None
    return Message(int(row.id), row.sender_id, event["text"], "", 0.0, 0.0)


# ---- labels -------------------------------------------------------------------------------------


def _one_line(text: str) -> str:
    return " ".join(text.split())


def parse_example(example: str, message: str) -> List[Tuple[str, str]]:
    """The (text, entity) annotations of `example`, checked against the message and the domain.

    The example is the message with `[text](entity)` written around words of it: without the
    annotations it must read as the message (whitespace aside), and each entity must be the domain's.
    """
    found = [(m.group(1), m.group(2)) for m in ANNOTATION.finditer(example)]
    plain = ANNOTATION.sub(lambda m: m.group(1), example)
    # The masked message's placeholders ("[health]") are its words, not markup.
    if MARKUP.search(redaction.PLACEHOLDER_RE.sub("", plain)):
        raise LabelError("An entity must be written [words](entity); this annotation is malformed.")
    if _one_line(plain) != _one_line(message):
        raise LabelError("Without its annotations the example must read as the visitor's message.")
    known = entities()
    for text, entity in found:
        if entity not in known:
            raise LabelError(f"'{entity}' is not one of the domain's entities.")
        if not text.strip() or text not in message:
            raise LabelError(f"'{text}' does not occur in the message.")
    return found


def record(
    db: Session,
    staff: auth.CurrentStaff,
    message: Message,
    intent: str,
    example: str,
    shown: str | None = None,
) -> Tuple[NluLabel, List[Tuple[str, str]]]:
    """Label `message`; `shown` is the message as the labeller saw it (masked unless revealed), and
    the example is written on that."""
    shown = message.text if shown is None else shown
    intent = (intent or "").strip()
    if intent not in intents():
        raise LabelError("Choose the intent from the domain's list.")
    example = _one_line(example or "") or _one_line(shown)
    if len(example) > MAX_EXAMPLE:
        raise LabelError("The example is too long.")
    annotations = parse_example(example, shown)
    label = db.execute(select(NluLabel).where(NluLabel.event_id == message.event_id)).scalar_one_or_none()
    if label is None:
        label = NluLabel(event_id=message.event_id, sender_id=message.sender_id, clinic_id=staff.clinic_id)
        db.add(label)
    label.intent, label.example = intent, example
    label.staff, label.created_at = staff.email, auth.now()
    db.flush()
    return label, annotations


def labels(db: Session, clinic_id: str) -> List[NluLabel]:
    return (
        db.execute(
            select(NluLabel)
            .where(NluLabel.clinic_id == clinic_id)
            .order_by(NluLabel.intent, NluLabel.event_id)
        )
        .scalars()
        .all()
    )


def nlu_export(db: Session, reader: Reader) -> Tuple[str, int]:
    """The clinic's labels as Rasa NLU YAML, each example masked unless its conversation is revealed to
    the reader; and how many labels."""
    rows = labels(db, reader.staff.clinic_id)
    reader.load(r.sender_id for r in rows)
    return nlu_yaml(rows, lambda row: reader.example(row.sender_id, row.example)), len(rows)


def nlu_yaml(rows: Sequence[NluLabel], example_of: Callable[[NluLabel], str] = lambda r: r.example) -> str:
    """Rasa NLU training data (format 3.1): one `- intent:` block per intent, examples as written."""
    by_intent: Dict[str, List[str]] = {}
    for row in rows:
        example = _one_line(example_of(row))
        if example and example not in by_intent.setdefault(row.intent, []):
            by_intent[row.intent].append(example)
    lines = [
        "# Labelled in the staff console's unclear messages inbox. Review before adding to data/nlu/.",
        'version: "3.1"',
    ]
    if not by_intent:
        return "\n".join(lines + ["nlu: []"]) + "\n"
    lines.append("nlu:")
    for intent in sorted(by_intent):
        lines += [f"- intent: {intent}", "  examples: |"]
        lines += [f"    - {example}" for example in by_intent[intent]]
    return "\n".join(lines) + "\n"
