"""Turn one message's entities into screening-slot updates: negation, lists, "none", skips, corrections.

Plain Python over Rasa-shaped entity dicts, so the rules of slot filling are tested without Rasa.
"""

from __future__ import annotations

import re
from typing import Any, Dict, Iterable, List, Mapping

from bot.nlu.time_spans import days_from_text
from bot.screening import does_it_count
from bot.screening.answers import (
    NO_READING,
    SKIPPED,
    is_a_bare_skin_word,
    is_a_state_not_a_goal,
    read_answer,
    says_correction,
    says_skip,
    topical_nones,
)
from bot.vocabulary import (
    ALREADY_NOTED,
    ANSWER_FIELD,
    ANSWERS_CONFIRMED,
    ASKED_IF_IT_COUNTS,
    BENEFIT,
    CONDITION,
    CONDITIONS,
    DAYS_SINCE_PROCEDURE,
    DURATION,
    GOALS,
    HABIT,
    LIFESTYLE,
    LIST_SLOTS,
    NEGATED,
    NOT_ANSWERS,
    PAST,
    PAST_CONDITIONS,
    PROCEDURE,
    PROCEDURE_DAYS,
    RECENT_PROCEDURES,
    RED_FLAG,
    SCREENING_SLOTS,
    SKIN_TYPE,
    SKIN_TYPE_ENTITY,
    SKIN_TYPES,
    SKIPPED_QUESTIONS,
    UNRECOGNISED,
)

# Entity kinds that answer some screening question (a reply naming one is not "nothing known").
# (Goals and skin type are left out: naming one does not make a lifestyle answer more than "none".)
_SCREENING_TERMS = (CONDITION, PROCEDURE, HABIT, RED_FLAG, DURATION)
# Questions where a time is part of the answer (a treatment's, or a medicine's that has ended).
_TIMED_QUESTIONS = (CONDITIONS, RECENT_PROCEDURES, DAYS_SINCE_PROCEDURE)
# Terms that answer a question of their own (a time belongs with the treatments; a red flag stops all).
_OTHER_QUESTION_TERMS = (CONDITION, PROCEDURE, HABIT)
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
    "give_consent",  # "yes, store away. my skin's on the dry side": the consent and the first answer
}
# Intents under which a denial of a recorded answer, with a word of correcting, is a correction.
CORRECTABLE_INTENTS = {"inform", "nlu_fallback", "faq", "out_of_scope", "ask_benefit", "deny"}
SAFETY_SLOTS = (CONDITIONS, RECENT_PROCEDURES)
SKIP_VALUES = {
    SKIN_TYPE: "not_sure",
    CONDITIONS: [],
    RECENT_PROCEDURES: [],
    DAYS_SINCE_PROCEDURE: DAYS_SKIPPED,
    LIFESTYLE: [],
    GOALS: [],
}


def _values(entities: Iterable[Mapping[str, Any]], entity: str, roles: Iterable[str | None]) -> List[str]:
    wanted = set(roles)
    return list(
        dict.fromkeys(
            str(e["value"]) for e in entities if e.get("entity") == entity and e.get("role") in wanted
        )
    )


def _days_of(entity: Mapping[str, Any]) -> float | None:
    info = entity.get("additional_info") or {}
    value = info.get("days") if isinstance(info, dict) else None
    if value is None:
        value = days_from_text(str(entity.get("value", "")))
    return float(value) if value is not None else None


def _durations(entities: Iterable[Mapping[str, Any]]) -> List[Mapping[str, Any]]:
    return [e for e in entities if e.get("entity") == DURATION and _days_of(e) is not None]


def _duration_days(entities: Iterable[Mapping[str, Any]]) -> float | None:
    days = [_days_of(e) for e in _durations(entities)]
    # Several treatments at different times: the most recent one decides whether to wait.
    return min(d for d in days if d is not None) if days else None


def _date_for(mention: Mapping[str, Any], durations: List[Mapping[str, Any]]) -> float | None:
    """The time said nearest to a mention, preferring one after it: "botox 10 days ago and laser in
    March" gives botox 10 days and laser March."""
    if not durations:
        return None
    if len(durations) == 1 or mention.get("start") is None:
        return _days_of(durations[0]) if len(durations) == 1 else None

    def distance(duration: Mapping[str, Any]) -> float:
        after = int(duration.get("start", 0)) - int(mention.get("end", 0))
        before = int(mention.get("start", 0)) - int(duration.get("end", 0))
        return after if after >= 0 else abs(before) + 0.5  # ties go to the time said after

    return _days_of(min(durations, key=distance))


def _own_time(
    mention: Mapping[str, Any], mentions: List[Mapping[str, Any]], durations: List[Mapping[str, Any]]
) -> float | None:
    """The time said in the mention's own stretch of the message, between it and the next mention of the
    same kind ("laser 3 weeks ago, and botox every four months, last round five months ago"); when the
    message puts times first ("in March I had laser, and 10 days ago botox"), between the mention before
    and this one. Failing both, the nearest time."""
    if not durations or mention.get("start") is None or any(d.get("start") is None for d in durations):
        return _date_for(mention, durations)
    starts = sorted({int(m["start"]) for m in mentions if m.get("start") is not None})
    first = starts[0] if starts else int(mention["start"])
    times_first = min(int(d["start"]) for d in durations) < first
    earlier = [
        int(m["end"]) for m in mentions if m.get("end") is not None and int(m["end"]) <= int(mention["start"])
    ]
    if times_first:
        low, high = (max(earlier) if earlier else 0), int(mention["start"])
        inside = [d for d in durations if low <= int(d["start"]) and int(d["end"]) <= high]
        if inside:
            return _days_of(inside[-1])
    else:
        after = _first_said_after(mention, mentions, durations)
        if after is not None:
            return _days_of(after)
    return _date_for(mention, durations)


def _first_said_after(
    mention: Mapping[str, Any], mentions: List[Mapping[str, Any]], durations: List[Mapping[str, Any]]
) -> Mapping[str, Any] | None:
    """The first time said after the mention and before the next mention of the same kind (`durations`
    in the order of the text)."""
    later = [
        int(m["start"])
        for m in mentions
        if m.get("start") is not None and int(m["start"]) > int(mention["start"])
    ]
    high = min(later, default=1 << 30)
    after = [d for d in durations if int(mention["end"]) <= int(d["start"]) and int(d["end"]) <= high]
    return after[0] if after else None


def _time_after(
    mention: Mapping[str, Any], mentions: List[Mapping[str, Any]], durations: List[Mapping[str, Any]]
) -> float | None:
    """The days of the first time said after the mention, in its own stretch (None when there is none)."""
    if (
        mention.get("start") is None
        or mention.get("end") is None
        or any(d.get("start") is None for d in durations)
    ):
        return None
    after = _first_said_after(mention, mentions, durations)
    return _days_of(after) if after is not None else None


def _most_recent(*days: float | None) -> float | None:
    known = [d for d in days if d is not None]
    return min(known) if known else None


def dated_values(entities: List[Mapping[str, Any]], entity: str, role: str | None) -> Dict[str, float | None]:
    """{value: days} for each mention of `entity` with `role`, paired with the time said for it."""
    durations = sorted(_durations(entities), key=lambda d: int(d.get("start") or 0))
    mentions = [e for e in entities if e.get("entity") == entity]
    dated: Dict[str, float | None] = {}
    for e in entities:
        if e.get("entity") == entity and e.get("role") == role:
            days = _own_time(e, mentions, durations)
            if role == PAST:
                # What ended is dated by its end, which may be said after it ("a DVT a few months back,
                # on rivaroxaban till last week"): of the times in its stretch, the most recent, so a
                # medicine that still counts is never read as long over.
                days = _most_recent(days, _time_after(e, mentions, durations))
            value = str(e["value"])
            if value in dated and dated[value] is not None and days is not None:
                # Named twice with two times ("eyelids done two months ago, the blepharoplasty, and
                # years ago a bit of botox"): the more recent one decides the waiting period.
                dated[value] = min(dated[value], days)
            elif days is not None or value not in dated:
                dated[value] = days
    return dated


def _procedure_dates(
    entities: List[Mapping[str, Any]],
    procedures: List[str],
    known: Mapping[str, Any],
    requested: str | None,
    skipped: bool,
) -> Dict[str, float | None]:
    """Each current treatment with its own days since; a bare time at the "when" question, or a skip,
    applies to the treatments still without one."""
    dates = {p: known.get(p) for p in procedures}
    for procedure, days in dated_values(entities, PROCEDURE, None).items():
        if procedure in dates and days is not None:
            dates[procedure] = days
    if requested == DAYS_SINCE_PROCEDURE:
        bare = _duration_days(entities) if not any(e.get("entity") == PROCEDURE for e in entities) else None
        fill = DAYS_SKIPPED if skipped else bare
        if fill is not None:
            dates = {p: (fill if d is None else d) for p, d in dates.items()}
    elif requested == ANSWERS_CONFIRMED and len(dates) == 1 and entities:
        # At the summary, a time alone corrects the one treatment's ("sorry, it was three months ago, not
        # three weeks"): with two treatments, or anything else named, it is not known whose time it is.
        if all(e.get("entity") == DURATION for e in entities):
            bare = _duration_days(entities)
            if bare is not None:
                dates = dict.fromkeys(dates, bare)
    return dates


def most_recent_days(dates: Mapping[str, float | None]) -> float | None:
    """the contract's `days_since_procedure`: the most recent treatment, once every treatment has a time."""
    if not dates or any(d is None for d in dates.values()):
        return None
    known = [float(d) for d in dates.values() if d is not None and d >= 0]
    return min(known) if known else DAYS_SKIPPED


# A message that only asks what a term means ("what is isotretinoin?", "what do you mean by keloid?").
_ASKS_WHAT_IT_IS = re.compile(
    r"^\W*(?:(?:sorry|um+|erm+|and|so|but|ok|okay)\W+)*"
    r"(?:what(?:'s|s| is| are| does| do you mean by| even is)|what do they mean by|meaning of|define)"
    r"\b[^.!]*\?\W*$",
    re.IGNORECASE,
)


_SENTENCE = re.compile(r"[^.!?;\n]*[.!?;\n]*")


def statement_part(text: str) -> str:
    """`text` with its questions blanked out (offsets kept): "normal. does it hurt much?" answers with
    "normal" and asks the rest."""
    sentences = (m.group() for m in _SENTENCE.finditer(text))
    return "".join(" " * len(s) if s.rstrip().endswith("?") else s for s in sentences)


def _stated_outside_questions(
    entities: List[Mapping[str, Any]], text: str, said: str
) -> List[Mapping[str, Any]]:
    """The entities outside `text`'s questions (`said` is statement_part(text))."""
    # Without offsets, only a message with no question at all states its terms.
    return [e for e in entities if (said[e["start"] : e["end"]].strip() if "start" in e else "?" not in text)]


def states_a_safety_fact(entities: List[Mapping[str, Any]], intent: str | None, text: str = "") -> bool:
    """A current condition or treatment told outside any question, whatever the classifier heard: "ah I
    should've said, I've the flu at the minute" at the summary once came back as a question about
    preparing, and the flu was lost. Missing a stated contraindication is the costlier mistake; the
    summary shows what was noted, and the visitor can fix it."""
    if intent == "report_symptom" or _ASKS_WHAT_IT_IS.match(text):
        return False
    # Only where the words can be seen: an entity without offsets cannot be told from a question.
    stated = [e for e in _stated_outside_questions(entities, text, statement_part(text)) if "start" in e]
    return any(e.get("entity") in (CONDITION, PROCEDURE) and not e.get("role") for e in stated)


def answers_pending_question(
    entities: List[Mapping[str, Any]], intent: str | None, requested: str | None, text: str = ""
) -> bool:
    """A message naming what the pending question asks about answers it, whatever the intent
    classifier thought ("still nursing my little one" once came back as a side-effects question; "fine
    lines" at the goals question as a benefit question). For health and treatments always: missing a
    stated condition is the costlier mistake, and the summary lets the visitor fix a wrong one. At the
    goals question, a benefit asked about is what the visitor wants help with ("could it help my jowls?"
    is answered, and is the goal; the summary shows it). For lifestyle only when it is not a question."""
    if intent == "report_symptom" or (requested != SKIN_TYPE and requested not in LIST_SLOTS):
        return False
    # A question beside the answer asks; the answer still counts: "combination. does it hurt?".
    said = statement_part(text)
    stated = _stated_outside_questions(entities, text, said)
    if requested == SKIN_TYPE:
        # "dry, much drier than it used to be" came back as a price question.
        return any(e.get("entity") == SKIN_TYPE_ENTITY and not e.get("role") for e in stated)
    if requested in SAFETY_SLOTS or requested == GOALS:
        stated = entities  # a condition named even inside a question is the costlier one to miss
    if _ASKS_WHAT_IT_IS.match(text):
        return False  # "what is isotretinoin?" asks what the word means; it states nothing
    if requested in topical_nones(said, requested):
        return True  # "no treatments, but I should say I smoke" once came back as a question about sessions
    return any(e.get("entity") == LIST_SLOTS[requested] for e in stated)


# Words that name a habit and a goal alike: at the lifestyle question they tell of the habit ("drink
# weekends, stress" is no goal of relaxation).
HABIT_AT_LIFESTYLE = {"stress": "high_stress"}


def _read_for_question(entities: List[Mapping[str, Any]], requested: str | None) -> List[Mapping[str, Any]]:
    if requested != LIFESTYLE:
        return entities
    return [
        {**e, "entity": HABIT, "value": HABIT_AT_LIFESTYLE[str(e.get("value"))]}
        if e.get("entity") == BENEFIT and str(e.get("value")) in HABIT_AT_LIFESTYLE
        else e
        for e in entities
    ]


# The questions after the skin one, where a bare "normal" speaks of something else.
_OTHER_ANSWER_QUESTIONS = (*LIST_SLOTS, DAYS_SINCE_PROCEDURE)


def _without_misread_words(
    entities: List[Mapping[str, Any]], requested: str | None, text: str
) -> List[Mapping[str, Any]]:
    """ "I'm pretty healthy, just a bit tired" at the health question names no goal: a bare word for how one
    feels is a goal only when the goals question asked for it; "normal" is a skin type only at the skin
    question or beside a word for the skin."""
    if requested is None:
        return entities

    def said_as(e: Mapping[str, Any]) -> str:
        start, end = e.get("start"), e.get("end")
        return text[start:end] if isinstance(start, int) and isinstance(end, int) else ""

    return [
        e
        for e in entities
        if not (e.get("entity") == BENEFIT and requested != GOALS and is_a_state_not_a_goal(said_as(e)))
        # "my blood pressure's normal now" at the health question says nothing of the skin
        and not (
            e.get("entity") == SKIN_TYPE_ENTITY
            and requested in _OTHER_ANSWER_QUESTIONS
            and is_a_bare_skin_word(said_as(e), text)
        )
    ]


def slot_updates(
    entities: List[Mapping[str, Any]],
    slots: Mapping[str, Any],
    intent: str | None,
    requested_slot: str | None = None,
    form_active: bool = False,
    text: str = "",
) -> Dict[str, Any]:
    """The slot values this message changes (only changed ones), given the current slots."""
    requested = requested_slot if form_active else None
    entities = _read_for_question(entities, requested)
    entities = _without_misread_words(entities, requested, text)
    if intent == "report_symptom":
        return {}  # a red flag outranks any reading as an answer: the screening stops
    if _ASKS_WHAT_IT_IS.match(text):
        return {}  # "what is isotretinoin?" asks what the word means, whatever the classifier heard
    if does_it_count.asks_at(requested, text):
        # "does warfarin count?" asks; it does not say the visitor takes it (the bot says whether it counts)
        return {requested: ASKED_IF_IT_COUNTS}
    # (The classifier may not hear a correction in "Correction please, I don't have high BP. Na my husband
    # get am": the denial of a recorded answer, with a word of correcting, is one whatever it heard.)
    correcting = (
        intent in CORRECTABLE_INTENTS and says_correction(text) and _denies_a_recorded_answer(entities, slots)
    )
    if correcting:
        intent = "change_answer"  # "actually I'm not pregnant": a correction, even after the result
    if intent == "skip_question" and requested in SCREENING_SLOTS and not says_skip(text):
        intent = "inform"  # the classifier heard a skip the visitor did not ask for: read it as an answer
    reading = NO_READING if correcting else _plain_answer(text, entities, requested)
    answered: Dict[str, Any] = {}
    if reading is SKIPPED and _other_questions_terms(entities, requested):
        # "I'd rather not say, but I'm pregnant": the question is skipped, and the rest still counts.
        answered, intent, reading = skipped_updates(slots, requested), "inform", NO_READING
    if reading is SKIPPED:
        intent, reading = "skip_question", NO_READING
    if reading is not NO_READING:
        if requested == DAYS_SINCE_PROCEDURE:
            intent = "skip_question"  # "not sure when": the same as skipping, which the rules read as "wait"
        elif not _other_questions_terms(entities, requested):
            return _finish({requested: reading}, slots, requested)
        else:
            answered, intent = {requested: reading}, "inform"  # the pending answer, and the rest folded below
    if (
        intent not in ANSWER_INTENTS
        and not answers_pending_question(entities, intent, requested, text)
        and not (form_active and states_a_safety_fact(entities, intent, text))
    ):
        return {}
    if intent == "skip_question":
        return skipped_updates(slots, requested)
    updates: Dict[str, Any] = {}
    if intent == "change_answer":
        updates.update(_cleared_for_change(entities))
    skin = [v for v in _values(entities, SKIN_TYPE_ENTITY, [None]) if v in SKIN_TYPES]
    if skin:
        updates[SKIN_TYPE] = _one_skin_type(skin)
    _fold_lists(updates, entities, slots, requested, intent)
    _fold_topical_nones(updates, text, slots, requested)
    _fold_past_conditions(updates, entities, slots, requested)
    _fold_procedure_dates(updates, entities, slots, requested)
    for question, value in answered.items():
        updates.setdefault(question, value)
    noted_elsewhere = any(
        v not in (None, []) and v != slots.get(k)
        for k, v in updates.items()
        if k in SCREENING_SLOTS or k == PAST_CONDITIONS
    )
    if (
        requested in SCREENING_SLOTS
        and requested not in updates
        and intent in ("inform", "nlu_fallback", "affirm", "deny")
        # "I've got sunburn from a ski trip" at the skin question answered another one: noted, and the
        # pending question asked again without a "didn't catch that".
        and not noted_elsewhere
    ):
        repeated = any(e.get("role") is None for e in _other_questions_terms(entities, requested))
        updates[requested] = ALREADY_NOTED if repeated else UNRECOGNISED
    return _finish(updates, slots, requested)


def _fold_topical_nones(
    updates: Dict[str, Any], text: str, slots: Mapping[str, Any], requested: str | None
) -> None:
    """Questions answered "none" by a clause that names their topic, the pending one among them ("I take
    amlodipine for my blood pressure, and no treatments on my face"): not asked again. Never over an
    answer already given or named in this message."""
    for question in topical_nones(text, requested):
        if question not in updates and (question == requested or slots.get(question) is None):
            updates[question] = []


def _denies_a_recorded_answer(entities: List[Mapping[str, Any]], slots: Mapping[str, Any]) -> bool:
    """The message denies a value an answer already holds ("not pregnant" after "I'm pregnant")."""
    recorded = {
        str(v) for slot in LIST_SLOTS for v in (slots.get(slot) or []) if isinstance(slots.get(slot), list)
    }
    return any(e.get("role") == NEGATED and str(e.get("value")) in recorded for e in entities)


def skipped_updates(slots: Mapping[str, Any], requested: str | None) -> Dict[str, Any]:
    """The pending question skipped: its "skipped" value, noted as skipped; a skipped "when" leaves
    every treatment without a time as date unknown."""
    updates: Dict[str, Any] = {}
    if requested in SKIP_VALUES:
        updates[requested] = SKIP_VALUES[requested]
        skipped = list(slots.get(SKIPPED_QUESTIONS) or [])
        updates[SKIPPED_QUESTIONS] = list(dict.fromkeys(skipped + [requested]))
    procedures = list(slots.get(RECENT_PROCEDURES) or [])
    if requested == DAYS_SINCE_PROCEDURE and procedures:
        updates[PROCEDURE_DAYS] = _procedure_dates(
            [], procedures, slots.get(PROCEDURE_DAYS) or {}, requested, skipped=True
        )
    return updates


def _cleared_for_change(entities: List[Mapping[str, Any]]) -> Dict[str, Any]:
    """A change request naming a question ("change my skin type") clears it, to be asked again,
    unless the same message already gives the new value (later steps then set it)."""
    cleared: Dict[str, Any] = {
        field: None for field in _values(entities, ANSWER_FIELD, [None]) if field in SCREENING_SLOTS
    }
    if RECENT_PROCEDURES in cleared:
        cleared[DAYS_SINCE_PROCEDURE] = None
    return cleared


def _fold_lists(
    updates: Dict[str, Any],
    entities: List[Mapping[str, Any]],
    slots: Mapping[str, Any],
    requested: str | None,
    intent: str | None,
) -> None:
    """Stated values join each list, denied and given-up ones leave it; "no" to a list question is none."""
    for slot, entity in LIST_SLOTS.items():
        stated = _values(entities, entity, [None])
        denied = _values(entities, entity, [NEGATED])
        own_questions = (slot, DAYS_SINCE_PROCEDURE) if slot == RECENT_PROCEDURES else (slot,)
        if slot in SAFETY_SLOTS and requested not in own_questions and intent != "change_answer":
            # A denial's reach is often wider than meant ("I don't drink on methotrexate" is not "no
            # methotrexate"; "no smoking, ..., sunscreen every day since the laser" is not "no laser"): only
            # the question itself, or a correction, takes a stated condition or treatment away.
            denied = []
        past = _values(entities, entity, [PAST])
        denied += past  # not current; what ended recently and still counts is kept in PAST_CONDITIONS
        if not (stated or denied):
            continue
        base = [] if updates.get(slot, "keep") is None else list(slots.get(slot) or [])
        if slot == GOALS and requested == GOALS:
            base = []  # the goals question asks for the full list
        new = [v for v in dict.fromkeys(base + stated) if v not in denied or v in stated]
        # Habits said ahead of their question, even only denied ("oily, I don't smoke"), answer it: it only
        # shapes the advice, and asking again what was just said loses the visitor.
        said_ahead = slot == LIFESTYLE and slots.get(slot) is None
        if new != list(slots.get(slot) or []) or slot == requested or said_ahead:
            updates[slot] = new
    if requested in LIST_SLOTS and requested not in updates and intent == "deny" and requested != GOALS:
        updates[requested] = []  # "none of those"


def _fold_past_conditions(
    updates: Dict[str, Any],
    entities: List[Mapping[str, Any]],
    slots: Mapping[str, Any],
    requested: str | None = None,
) -> None:
    """Conditions said to have ended move to PAST_CONDITIONS with their dates; one said again is current.
    At the health question an ended one alone answers it (nothing current); said while another question
    is pending, it leaves the health question to be asked."""
    still_current = _values(entities, CONDITION, [None])
    # Said both ways in one message, the later mention decides: "kidney transplant in 2016, I take
    # tacrolimus" is current; "I had breast cancer but I finished chemo 4 years ago" is over.
    past = {
        k: v
        for k, v in dated_values(entities, CONDITION, PAST).items()
        if _said_last(entities, k) != "current"
    }
    if past:
        earlier = dict(slots.get(PAST_CONDITIONS) or {})
        said = {k: v for k, v in past.items() if v is not None or k not in earlier}
        updates[PAST_CONDITIONS] = {**earlier, **said}
        current = updates.get(CONDITIONS, slots.get(CONDITIONS))  # None when a change cleared it
        if current is None and requested == CONDITIONS:
            current = []
        if isinstance(current, list):
            updates[CONDITIONS] = [c for c in current if c not in past]
    if still_current and slots.get(PAST_CONDITIONS):
        # "I'm back on warfarin": current again, so no longer a past one.
        remaining = {k: v for k, v in (slots.get(PAST_CONDITIONS) or {}).items() if k not in still_current}
        updates[PAST_CONDITIONS] = {**remaining, **updates.get(PAST_CONDITIONS, {})}


def _said_last(entities: List[Mapping[str, Any]], value: str) -> str:
    """ "current" or "past": how the last mention of condition `value` (by position) said it."""
    mentions = [
        e
        for e in entities
        if e.get("entity") == CONDITION and str(e.get("value")) == value and e.get("role") in (None, PAST)
    ]
    if not mentions:
        return "past"
    last = max(mentions, key=lambda e: int(e.get("start") or 0))
    return "past" if last.get("role") == PAST else "current"


def _fold_procedure_dates(
    updates: Dict[str, Any],
    entities: List[Mapping[str, Any]],
    slots: Mapping[str, Any],
    requested: str | None,
) -> None:
    """Each treatment keeps its own date; the contract's single `days_since_procedure` follows them."""
    procedures = updates.get(RECENT_PROCEDURES, slots.get(RECENT_PROCEDURES)) or []
    if RECENT_PROCEDURES in updates or any(e.get("entity") in (PROCEDURE, DURATION) for e in entities):
        dates = _procedure_dates(
            entities, list(procedures), slots.get(PROCEDURE_DAYS) or {}, requested, skipped=False
        )
        if dates != (slots.get(PROCEDURE_DAYS) or {}):
            updates[PROCEDURE_DAYS] = dates
        if procedures:
            updates[DAYS_SINCE_PROCEDURE] = most_recent_days(dates)
            if updates[DAYS_SINCE_PROCEDURE] is None and requested == DAYS_SINCE_PROCEDURE:
                updates.pop(DAYS_SINCE_PROCEDURE)  # no time in the answer: validation asks again
    if RECENT_PROCEDURES in updates and not updates[RECENT_PROCEDURES]:
        updates[DAYS_SINCE_PROCEDURE] = None


def _one_skin_type(said: List[str]) -> str:
    """Several types in one answer: sensitive matters most for the screening; oily in one place and dry
    or normal in another is combination ("oily nose, dry cheeks"); otherwise the last one said."""
    kinds = set(said)
    if "sensitive" in kinds:
        return "sensitive"
    if "oily" in kinds and kinds & {"dry", "normal"}:
        return "combination"
    return said[-1]


def _plain_answer(text: str, entities: List[Mapping[str, Any]], requested: str | None) -> Any:
    """The pending question's reading of the reply, unless the reply names something for that
    question itself ("no botox, but filler" is not "none")."""
    if requested is None or any(e.get("entity") == LIST_SLOTS.get(requested) for e in entities):
        return NO_READING
    if requested == DAYS_SINCE_PROCEDURE and any(e.get("entity") == DURATION for e in entities):
        return NO_READING
    # What the reply says for other questions is folded into them, so the pending question reads the
    # rest: "no, needles scare me" at the treatments question is "none", and a fear of needles.
    others = _other_questions_terms(entities, requested)
    if others:
        text = "".join(
            " " if any(e["start"] <= i < e["end"] for e in others) else ch for i, ch in enumerate(text)
        )
    # Only what is stated counts: "I don't drink much because of the warfarin" names no new fact. A
    # stated term for another question still rules out the lenient readings ("oh, I'm pregnant" at the
    # goals question is not "no particular goal").
    # A time names something only where times are asked about: "I sleep maybe five hours" at the
    # lifestyle question names no treatment.
    terms = _SCREENING_TERMS if requested in _TIMED_QUESTIONS else _OTHER_QUESTION_TERMS + (RED_FLAG,)
    names_something = any(e.get("entity") in terms and not e.get("role") for e in entities)
    reading = read_answer(text, requested, names_something)
    said = statement_part(text).strip()
    if reading is NO_READING and said and said != text.strip():
        # An answer with a question beside it: "no meds. how many sessions would I need?" answers "none".
        reading = read_answer(said, requested, names_something)
    return reading


def _other_questions_terms(
    entities: List[Mapping[str, Any]], requested: str | None
) -> List[Mapping[str, Any]]:
    """Screening terms, with their place in the text, that answer a question other than `requested`."""
    own = LIST_SLOTS.get(requested) if requested else None
    return [
        e
        for e in entities
        if e.get("entity") in _OTHER_QUESTION_TERMS
        and e.get("entity") != own
        and isinstance(e.get("start"), int)
        and isinstance(e.get("end"), int)
    ]


def _finish(updates: Dict[str, Any], slots: Mapping[str, Any], requested: str | None) -> Dict[str, Any]:
    """Only what changed, and a changed answer needs the summary confirmed again; a question skipped
    earlier and answered now is no longer listed as skipped."""
    changed = {k: v for k, v in updates.items() if v != slots.get(k) or k == requested}
    skipped = list(slots.get(SKIPPED_QUESTIONS) or [])
    if SKIPPED_QUESTIONS not in updates and skipped:
        answered = [q for q in skipped if changed.get(q) not in (None, *NOT_ANSWERS) and q in changed]
        if answered:
            changed[SKIPPED_QUESTIONS] = [q for q in skipped if q not in answered]
    # (What ended and when, and each treatment's own date, are answers too: "I stopped methotrexate six weeks
    # ago, not a year ago" at the summary changes the result.)
    answers = (*SCREENING_SLOTS, PAST_CONDITIONS, PROCEDURE_DAYS)
    if (
        any(k in answers for k in changed)
        and slots.get(ANSWERS_CONFIRMED) is not None
        and requested != ANSWERS_CONFIRMED
    ):
        changed[ANSWERS_CONFIRMED] = None
    elif requested == ANSWERS_CONFIRMED and any(
        k in answers and v not in NOT_ANSWERS for k, v in changed.items()
    ):
        changed[ANSWERS_CONFIRMED] = None
    return changed
