"""How the console shows stored values: slot values as readable text, bot text with its bold and breaks.

Slots hold codes, lists, booleans and {code: days} maps; staff should read "blood thinners, diabetes",
"yes" and "Botox (12 days ago)", not Python's reprs. Names come from data/knowledge/labels.yml.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from markupsafe import Markup, escape

from bot.knowledge import label
from bot.vocabulary import (
    ALREADY_NOTED,
    CONDITION,
    DAYS_SINCE_PROCEDURE,
    LIST_SLOTS,
    PAST_CONDITIONS,
    PROCEDURE,
    PROCEDURE_DAYS,
    RED_FLAG,
    RED_FLAGS,
    SCREENING_OUTCOME,
    SKIN_TYPE,
    SKIN_TYPE_ENTITY,
    SKIPPED_QUESTIONS,
    UNRECOGNISED,
)

EMPTY = "—"
# The labels.yml section that names each slot's values; a slot not listed shows its values as they are.
LABEL_KINDS: Mapping[str, str] = {
    **LIST_SLOTS,
    SKIN_TYPE: SKIN_TYPE_ENTITY,
    RED_FLAGS: RED_FLAG,
    SCREENING_OUTCOME: "outcome",
    PROCEDURE_DAYS: PROCEDURE,
    PAST_CONDITIONS: CONDITION,
}
BOLD = re.compile(r"\*\*([^*\n]+)\*\*")  # as the widget reads it


def _days(days: Any) -> str:
    if days is None:
        return "date not given"
    try:
        number = float(days)
    except (TypeError, ValueError):
        return str(days)
    if number < 0:
        return "skipped"  # the form's "skip this question" for the date (bot.screening.facts.DAYS_SKIPPED)
    whole = int(number) if number.is_integer() else round(number, 1)
    return f"{whole} day{'' if whole == 1 else 's'} ago"


def slot_value(value: Any, slot: str = "") -> str:
    """A slot's value as staff read it: labels for codes, yes/no, days ago; "—" when empty."""
    kind = LABEL_KINDS.get(slot)
    if slot == SKIPPED_QUESTIONS and isinstance(value, list):
        return ", ".join(str(q).replace("_", " ") for q in value) or EMPTY
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if value == UNRECOGNISED:
        return "not understood"
    if value == ALREADY_NOTED:
        return "said again what was already noted"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Mapping):
        return ", ".join(f"{_named(kind, k)} ({_days(v)})" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(_named(kind, v) for v in value)
    if slot == DAYS_SINCE_PROCEDURE:
        return _days(value)
    return _named(kind, value)


def _named(kind: str | None, value: Any) -> str:
    return label(kind, str(value)) if kind else str(value)


def rich_text(text: Any) -> Markup:
    """Bot text as HTML: escaped first, then only **bold** and line breaks made into markup."""
    escaped = str(escape(text or ""))
    return Markup(BOLD.sub(r"<strong>\1</strong>", escaped).replace("\n", "<br>"))
