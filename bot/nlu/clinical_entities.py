"""Rasa NLU component: entities from the project's spaCy pipeline, negated ones marked by role.

It reads the Doc that `SpacyNLP` made with our saved pipeline (EntityRuler + durations + NegEx),
so the text is parsed once. Entities carry the contract's canonical value; a denied mention gets
`"role": "negated"` and one given up `"role": "past"`; a duration carries its days in
`additional_info`. Where DIET also found an
entity on the same words, ours wins (one value, not duplicates).
"""

from __future__ import annotations

import re
from typing import Any, Dict, List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import SPACY_DOCS
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

import bot.nlu.spacy_components  # noqa: F401  (must be imported before SpacyNLP loads our pipeline)
from bot.nlu.lexicon import IGNORE_LABEL, NEGATABLE
from bot.nlu.rule_component import RuleComponent
from bot.vocabulary import DURATION, NEGATED, PAST, PROCEDURE, QUESTION, RED_FLAG

# "haven't had botox since 2019", "not had fillers in years" date the last one; they do not deny it.
_LAST_ONE_SINCE = re.compile(
    r"\W*(?:[\w']+\W+){0,3}?(?:since\b|in (?:over |more than |about |nearly |almost |well over )?"
    r"(?:a |an |one |two |three |four |five |\d+ |a few |a couple of |many |several )?"
    r"(?:years?|months?|ages|a long time|a while)\b)"
)


def entities_from_doc(doc: Any, text: str) -> List[Dict[str, Any]]:
    """Rasa entity dicts for a Doc made from `text` (or its lowercased copy)."""
    entities = []
    for ent in doc.ents:
        if ent.label_ == IGNORE_LABEL:
            continue
        entity: Dict[str, Any] = {
            "entity": ent.label_,
            "start": ent.start_char,
            "end": ent.end_char,
            "value": ent.ent_id_ or text[ent.start_char : ent.end_char],
            "confidence_entity": 1.0,
        }
        if ent.label_ == DURATION:
            entity["value"] = text[ent.start_char : ent.end_char]
            entity["additional_info"] = {"days": ent._.days, "unit": "day"}
        elif ent.label_ == RED_FLAG:
            if ent._.negex:
                entity["role"] = NEGATED
            elif ent._.question:
                entity["role"] = QUESTION
            elif ent._.past:
                entity["role"] = PAST
        elif ent.label_ == PROCEDURE:
            # A treatment is always in the past and its date decides ("gave up botox a year ago" is a
            # botox a year ago, older than its waiting period): only a denial takes it away.
            if ent._.negex and not _LAST_ONE_SINCE.match(text[ent.end_char :]):
                entity["role"] = NEGATED
        elif ent.label_ in NEGATABLE and ent._.past:
            entity["role"] = PAST
        elif ent.label_ in NEGATABLE and ent._.negex:
            entity["role"] = NEGATED
        entities.append(entity)
    return entities


def merge_entities(ours: List[Dict[str, Any]], others: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Keep others' entities only where they do not overlap ours; drop exact duplicates."""

    def overlaps(a: Dict[str, Any], b: Dict[str, Any]) -> bool:
        return a.get("start", -1) < b.get("end", -1) and b.get("start", -1) < a.get("end", -1)

    kept = [e for e in others if not any(overlaps(e, o) for o in ours)]
    merged, seen = [], set()
    for entity in ours + kept:
        key = (entity["entity"], str(entity.get("value")), entity.get("role"), entity.get("start"))
        if key not in seen:
            seen.add(key)
            merged.append(entity)
    return sorted(merged, key=lambda e: e.get("start", 0))


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class ClinicalEntityExtractor(RuleComponent, EntityExtractorMixin):
    """Rule-based clinical entities with negation, from the SpacyNLP Doc."""

    @staticmethod
    def required_components() -> List[type]:
        from rasa.nlu.utils.spacy_utils import SpacyNLP

        return [SpacyNLP]

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._process_message(message)
        return messages

    def _process_message(self, message: Message) -> None:
        doc: Any | None = message.get(SPACY_DOCS[TEXT])
        text = message.get(TEXT) or ""
        if doc is None:
            if text:
                raise RuntimeError("ClinicalEntityExtractor needs SpacyNLP before it in the pipeline")
            return
        ours = self.add_extractor_name(entities_from_doc(doc, text))
        message.set(ENTITIES, merge_entities(ours, message.get(ENTITIES, [])), add_to_output=True)
