"""Turn one message's entities into screening-slot updates: negation, lists, "none", skips, corrections.

Plain Python over Rasa-shaped entity dicts, so the rules of slot filling are tested without Rasa.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Mapping

from bot.nlu.time_spans import days_from_text

LIST_SLOTS = {
    "conditions": "condition",
    "recent_procedures": "procedure",
    "lifestyle": "habit",
    "goals": "benefit",
}
SCREENING_SLOTS = (
    "skin_type",
    "conditions",
    "recent_procedures",
    "days_since_procedure",
    "lifestyle",
    "goals",
)
# Everything the screening keeps about a visitor, in the order a summary shows it.
VISITOR_SLOTS = ("consent",) + SCREENING_SLOTS + ("answers_confirmed", "screening_outcome", "red_flags")
SKIN_TYPES = ("oily", "dry", "combination", "normal", "sensitive", "not_sure")
# What a form answer that we could not read is set to, so the form validates it (and explains)
# instead of silently re-asking.
UNRECOGNISED = "__unrecognised__"
# A skipped "how long ago" answer: the rules engine reads a negative number as "date unknown".
DAYS_SKIPPED = -1.0
# Intents whose entities are the visitor's own facts. Questions ("is it safe in pregnancy?") are not.
ANSWER_INTENTS = {
    "inform",
    "change_answer",
    "start_screening",
    "greet",
    "affirm",
    "deny",
    "nlu_fallback",
    "skip_question",
}
# A value mentioned as given up that still matters: isotretinoin counts for 6 months after the last dose.
PAST_STILL_COUNTS = {"isotretinoin"}
NEGATED, PAST = "negated", "past"
SAFETY_SLOTS = ("conditions", "recent_procedures")
SKIP_VALUES = {
    "skin_type": "not_sure",
    "conditions": [],
    "recent_procedures": [],
    "days_since_procedure": DAYS_SKIPPED,
    "lifestyle": [],
    "goals": [],
}


def _values(entities: Iterable[Mapping[str, Any]], entity: str, roles: Iterable[str | None]) -> List[str]:
    wanted = set(roles)
    return list(
        dict.fromkeys(
            str(e["value"]) for e in entities if e.get("entity") == entity and e.get("role") in wanted
        )
    )


def _duration_days(entities: Iterable[Mapping[str, Any]]) -> float | None:
    days = []
    for e in entities:
        if e.get("entity") != "duration":
            continue
        info = e.get("additional_info") or {}
        value = info.get("days") if isinstance(info, dict) else None
        if value is None:
            value = days_from_text(str(e.get("value", "")))
        if value is not None:
            days.append(float(value))
    # Several treatments at different times: the most recent one decides whether to wait.
    return min(days) if days else None


def answers_safety_question(
    entities: List[Mapping[str, Any]], intent: str | None, requested: str | None
) -> bool:
    """A message naming a condition while the health question is pending answers it, whatever the
    intent classifier thought ("still nursing my little one" once came back as a side-effects question).
    Missing a stated condition is the costlier mistake; the summary lets the visitor fix a wrong one."""
    if intent == "report_symptom" or requested not in SAFETY_SLOTS:
        return False
    return any(e.get("entity") == LIST_SLOTS[requested] for e in entities)


def slot_updates(
    entities: List[Mapping[str, Any]],
    slots: Mapping[str, Any],
    intent: str | None,
    requested_slot: str | None = None,
    form_active: bool = False,
) -> Dict[str, Any]:
    """The slot values this message changes (only changed ones), given the current slots."""
    requested = requested_slot if form_active else None
    if intent not in ANSWER_INTENTS and not answers_safety_question(entities, intent, requested):
        return {}
    updates: Dict[str, Any] = {}
    skipped = list(slots.get("skipped_questions") or [])

    if intent == "skip_question":
        if requested in SKIP_VALUES:
            updates[requested] = SKIP_VALUES[requested]
            updates["skipped_questions"] = list(dict.fromkeys(skipped + [requested]))
        return updates

    # A change request naming a question ("change my skin type") clears it, to be asked again,
    # unless the same message already gives the new value.
    if intent == "change_answer":
        for field in _values(entities, "answer_field", [None]):
            if field in SCREENING_SLOTS:
                updates[field] = None
        if "recent_procedures" in updates:
            updates["days_since_procedure"] = None

    skin = [v for v in _values(entities, "skin_type", [None]) if v in SKIN_TYPES]
    if skin:
        updates["skin_type"] = skin[-1]

    for slot, entity in LIST_SLOTS.items():
        stated = _values(entities, entity, [None])
        denied = _values(entities, entity, [NEGATED])
        past = _values(entities, entity, [PAST])
        stated += [v for v in past if v in PAST_STILL_COUNTS]
        denied += [v for v in past if v not in PAST_STILL_COUNTS]
        if not (stated or denied):
            continue
        base = [] if updates.get(slot, "keep") is None else list(slots.get(slot) or [])
        if slot == "goals" and requested == "goals":
            base = []  # the goals question asks for the full list
        new = [v for v in dict.fromkeys(base + stated) if v not in denied or v in stated]
        if new != list(slots.get(slot) or []) or slot == requested:
            updates[slot] = new

    if requested in LIST_SLOTS and requested not in updates and intent == "deny" and requested != "goals":
        updates[requested] = []  # "none of those"

    procedures = updates.get("recent_procedures", slots.get("recent_procedures")) or []
    days = _duration_days(entities)
    if days is not None and (procedures or requested == "days_since_procedure"):
        updates["days_since_procedure"] = days
    if "recent_procedures" in updates and not updates["recent_procedures"]:
        updates["days_since_procedure"] = None

    if (
        requested in SCREENING_SLOTS
        and requested not in updates
        and intent in ("inform", "nlu_fallback", "affirm", "deny")
    ):
        updates[requested] = UNRECOGNISED

    changed = {k: v for k, v in updates.items() if v != slots.get(k) or k == requested}
    if (
        any(k in SCREENING_SLOTS for k in changed)
        and slots.get("answers_confirmed") is not None
        and requested != "answers_confirmed"
    ):
        changed["answers_confirmed"] = None
    elif requested == "answers_confirmed" and any(
        k in SCREENING_SLOTS and v != UNRECOGNISED for k, v in changed.items()
    ):
        changed["answers_confirmed"] = None
    return changed
