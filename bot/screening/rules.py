"""The screening rules engine: answers in, outcome with every reason out. Plain Python, no Rasa."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Sequence, Tuple

import yaml

RULES_FILE = Path(__file__).resolve().parents[2] / "data" / "knowledge" / "screening_rules.yml"

SEEK_URGENT_CARE = "seek_urgent_care"
NOT_SUITABLE_NOW = "not_suitable_now"
NEEDS_MEDICAL_CLEARANCE = "needs_medical_clearance"
SUITABLE_WITH_PRECAUTIONS = "suitable_with_precautions"
LIKELY_SUITABLE = "likely_suitable"

# The contract's canonical values: the rules file must cover each one, so a new condition can't slip
# through unclassified (an unknown condition would otherwise fall to "likely suitable").
CONTRACT_CONDITIONS = (
    "pregnancy breastfeeding bleeding_disorder anticoagulants hypertension diabetes epilepsy "
    "immunosuppression cancer pacemaker migraine keloid skin_infection active_acne rosacea eczema "
    "open_wound sunburn acute_illness bells_palsy metal_allergy needle_phobia easy_bruising isotretinoin"
).split()
CONTRACT_PROCEDURES = "botox filler facial_surgery laser chemical_peel microneedling thread_lift".split()
CONTRACT_RED_FLAGS = (
    "facial_droop facial_numbness breathing_difficulty severe_swelling spreading_infection chest_pain "
    "vision_loss severe_headache allergic_reaction uncontrolled_bleeding self_harm"
).split()
# An acute symptom the visitor describes that no red flag names: urgent care all the same.
REPORTED_SYMPTOM = "reported_symptom"
CONTRACT_LEVELS = [
    SEEK_URGENT_CARE,
    NOT_SUITABLE_NOW,
    NEEDS_MEDICAL_CLEARANCE,
    SUITABLE_WITH_PRECAUTIONS,
    LIKELY_SUITABLE,
]


class RulesFileError(ValueError):
    """The rules file is missing something the engine needs; the message says what."""


@dataclass(frozen=True)
class Answers:
    """What the visitor told us. Lists are canonical contract values; None means not answered yet."""

    skin_type: str | None = None
    conditions: Tuple[str, ...] = ()
    recent_procedures: Tuple[str, ...] = ()
    days_since_procedure: float | None = None
    lifestyle: Tuple[str, ...] = ()
    goals: Tuple[str, ...] = ()
    red_flags: Tuple[str, ...] = ()
    skipped: Tuple[str, ...] = ()
    # Each treatment's own days since (None: unknown), and conditions that have ended with the days
    # since they ended (None: not said). Pairs, so Answers stays hashable.
    procedure_days: Tuple[Tuple[str, float | None], ...] = ()
    past_conditions: Tuple[Tuple[str, float | None], ...] = ()

    def days_for(self, procedure: str) -> float | None:
        """A treatment's own time; else the single answer to "how long ago" (older trackers)."""
        own = dict(self.procedure_days)
        if procedure in own:
            return own[procedure]
        return self.days_since_procedure

    @classmethod
    def from_slots(cls, slots: Mapping[str, Any]) -> Answers:
        """Build from tracker slot values (lists may be None, days may be a string)."""

        def as_tuple(value: Any) -> Tuple[str, ...]:
            if value is None:
                return ()
            if isinstance(value, str):
                return (value,)
            return tuple(dict.fromkeys(str(v) for v in value))

        days = _as_days(slots.get("days_since_procedure"))

        def dated(value: Any) -> Tuple[Tuple[str, float | None], ...]:
            if not isinstance(value, Mapping):
                return ()
            return tuple((str(k), _as_days(v)) for k, v in value.items())

        return cls(
            procedure_days=dated(slots.get("procedure_days")),
            past_conditions=dated(slots.get("past_conditions")),
            skin_type=slots.get("skin_type") or None,
            conditions=as_tuple(slots.get("conditions")),
            recent_procedures=as_tuple(slots.get("recent_procedures")),
            days_since_procedure=days,
            lifestyle=as_tuple(slots.get("lifestyle")),
            goals=as_tuple(slots.get("goals")),
            red_flags=as_tuple(slots.get("red_flags")),
            skipped=as_tuple(slots.get("skipped_questions")),
        )


def _as_days(value: Any) -> float | None:
    """Days as a float; None when unknown, unreadable or skipped (a negative number)."""
    try:
        days = float(value) if value is not None else None
    except (TypeError, ValueError):
        return None
    if days is None or math.isnan(days) or days < 0:
        return None  # a skipped "how long ago": unknown, which the rules read as "wait"
    return days


@dataclass(frozen=True)
class Reason:
    code: str
    level: str
    text: str
    when_possible: str | None = None

    def to_dict(self) -> Dict[str, Any]:
        return {"code": self.code, "level": self.level, "text": self.text}


@dataclass
class Result:
    outcome: str
    reasons: List[Reason]
    caveats: List[str]
    goals: List[str]
    next_step: str
    rules_version: str
    extra: Dict[str, Any] = field(default_factory=dict)

    def to_payload(self) -> Dict[str, Any]:
        """The contract's `screening_result` custom payload."""
        return {
            "type": "screening_result",
            "outcome": self.outcome,
            "reasons": [r.to_dict() for r in self.reasons],
            "caveats": list(self.caveats),
            "goals": list(self.goals),
            "next_step": self.next_step,
            "rules_version": self.rules_version,
            **self.extra,
        }


@dataclass(frozen=True)
class RuleBook:
    version: str
    levels: Tuple[str, ...]
    raw: Mapping[str, Any]

    def severity(self, level: str) -> int:
        """0 is the most severe."""
        return self.levels.index(level)

    def waiting_days(self, procedure: str, overrides: Mapping[str, int] | None = None) -> int:
        default = int(self.raw["procedures"][procedure]["waiting_days"])
        # A clinic may be stricter than the product's default, never more lenient.
        return max(default, int((overrides or {}).get(procedure, default)))


def parse_rules(data: Mapping[str, Any]) -> RuleBook:
    """Check a rules document against the contract and wrap it."""
    missing = []
    if list(data.get("levels") or []) != CONTRACT_LEVELS:
        missing.append(f"levels must be exactly {CONTRACT_LEVELS}")
    for key in (
        "version",
        "red_flags",
        "conditions",
        "procedures",
        "procedure_texts",
        "caveats",
        "next_steps",
        "skin_types",
        "skipped",
        "past_conditions",
    ):
        if key not in data:
            missing.append(key)
    if not missing:
        missing += [f"conditions.{c}" for c in CONTRACT_CONDITIONS if c not in data["conditions"]]
        missing += [f"procedures.{p}" for p in CONTRACT_PROCEDURES if p not in data["procedures"]]
        missing += [
            f"red_flags.{r}" for r in CONTRACT_RED_FLAGS + [REPORTED_SYMPTOM] if r not in data["red_flags"]
        ]
        missing += [f"next_steps.{lv}" for lv in CONTRACT_LEVELS if lv not in data["next_steps"]]
        rules_with_levels = {
            **data["conditions"],
            **data["skin_types"],
            **data["skipped"],
            **{f"past_conditions.{k}": v for k, v in data["past_conditions"].items()},
        }
        for name, rule in rules_with_levels.items():
            if rule.get("level") not in CONTRACT_LEVELS:
                missing.append(f"a valid level for {name}")
    if missing:
        raise RulesFileError("screening rules file is missing or wrong: " + ", ".join(missing))
    return RuleBook(version=str(data["version"]), levels=tuple(data["levels"]), raw=data)


@lru_cache(maxsize=4)
def load_rules(path: Path = RULES_FILE) -> RuleBook:
    with open(path, encoding="utf-8") as handle:
        return parse_rules(yaml.safe_load(handle))


def _procedure_reasons(
    answers: Answers, book: RuleBook, overrides: Mapping[str, int] | None, today: dt.date
) -> Iterable[Reason]:
    texts = book.raw["procedure_texts"]
    for procedure in answers.recent_procedures:
        if procedure not in book.raw["procedures"]:
            continue
        label = book.raw["procedures"][procedure]["label"]
        waiting = book.waiting_days(procedure, overrides)
        days = answers.days_for(procedure)
        if days is None:
            # Unknown date: the waiting period may not have passed; the safe reading is "wait".
            level = book.raw["skipped"]["days_since_procedure"]["level"]
            yield Reason(procedure, level, texts["unknown_date"].format(label=_cap(label), waiting=waiting))
        elif days < waiting:
            yield Reason(
                procedure,
                NOT_SUITABLE_NOW,
                texts["too_recent"].format(label=_cap(label), days=_fmt_days(days), waiting=waiting),
            )
        else:
            yield Reason(
                procedure,
                SUITABLE_WITH_PRECAUTIONS,
                texts["past"].format(label=_cap(label), days=_fmt_days(days), waiting=waiting),
            )


def _latest_treatment_wait(
    answers: Answers, book: RuleBook, overrides: Mapping[str, int] | None, today: dt.date
) -> str | None:
    """When the last waiting period ends, over every treatment still within its own period."""
    remaining = []
    for procedure in answers.recent_procedures:
        days = answers.days_for(procedure)
        if procedure in book.raw["procedures"] and days is not None:
            left = book.waiting_days(procedure, overrides) - days
            if left > 0:
                remaining.append(math.ceil(left))
    if not remaining:
        return None
    longest = max(remaining)
    date = (today + dt.timedelta(days=longest)).strftime("%d %B %Y").lstrip("0")
    return book.raw["procedure_texts"]["too_recent_when"].format(remaining=longest, date=date)


def _past_condition_reasons(answers: Answers, book: RuleBook) -> Iterable[Reason]:
    """Treatments that ended recently still count (chemotherapy within 6 months, blood thinners within
    2 weeks...); when it ended is unknown, they count, and the text asks for the date."""
    periods = book.raw["past_conditions"]
    current = set(answers.conditions)
    for condition, days in answers.past_conditions:
        rule = periods.get(condition)
        if rule is None or condition in current:
            continue
        within = int(rule["counts_for_days"])
        if days is None:
            yield Reason(condition, rule["level"], rule["unknown_date"].format(period=rule["period"]))
        elif days <= within:
            yield Reason(
                condition,
                rule["level"],
                rule["recent"].format(days=_fmt_days(days), period=rule["period"]),
                when_possible=rule.get("when_possible"),
            )


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _fmt_days(days: float) -> str:
    return str(int(days)) if float(days).is_integer() else f"{days:.1f}"


def collect_reasons(
    answers: Answers,
    book: RuleBook | None = None,
    waiting_overrides: Mapping[str, int] | None = None,
    today: dt.date | None = None,
) -> List[Reason]:
    """Every answer that moves the outcome, most severe first (stable within a level)."""
    book = book or load_rules()
    today = today or dt.date.today()
    reasons: List[Reason] = []
    for flag in answers.red_flags:
        # An unknown code is still a red flag: it can only have come from the safety path, and the
        # safe reading of anything unrecognised there is "urgent".
        text = book.raw["red_flags"].get(flag) or book.raw["red_flags"][REPORTED_SYMPTOM]
        reasons.append(Reason(flag, SEEK_URGENT_CARE, text))
    for condition in answers.conditions:
        rule = book.raw["conditions"].get(condition)
        if rule:
            reasons.append(Reason(condition, rule["level"], rule["text"], rule.get("when_possible")))
    reasons.extend(_past_condition_reasons(answers, book))
    if answers.skin_type in book.raw["skin_types"]:
        rule = book.raw["skin_types"][answers.skin_type]
        reasons.append(Reason(f"skin_{answers.skin_type}", rule["level"], rule["text"]))
    reasons.extend(_procedure_reasons(answers, book, waiting_overrides, today))
    for question in answers.skipped:
        rule = book.raw["skipped"].get(question)
        if rule and not (question == "days_since_procedure" and answers.recent_procedures):
            reasons.append(Reason(f"skipped_{question}", rule["level"], rule["text"]))
    return sorted(reasons, key=lambda r: book.severity(r.level))


def personal_caveats(answers: Answers, book: RuleBook | None = None) -> List[str]:
    """The general caveat first, then one line per answer that changes what to expect."""
    book = book or load_rules()
    caveats = book.raw["caveats"]
    lines = [caveats["general"]]
    if answers.skin_type in caveats["skin_types"]:
        lines.append(caveats["skin_types"][answers.skin_type])
    lines += [caveats["conditions"][c] for c in answers.conditions if c in caveats["conditions"]]
    lines += [caveats["habits"][h] for h in answers.lifestyle if h in caveats["habits"]]
    lines += [caveats["goals"][g] for g in answers.goals if g in caveats["goals"]]
    return list(dict.fromkeys(lines))


def evaluate(
    answers: Answers,
    book: RuleBook | None = None,
    clinic: Mapping[str, Any] | None = None,
    today: dt.date | None = None,
) -> Result:
    """The outcome is the most severe level any answer triggers; no reason means likely suitable."""
    book = book or load_rules()
    clinic = clinic or {}
    reasons = collect_reasons(answers, book, clinic.get("waiting_days_overrides"), today)
    outcome = reasons[0].level if reasons else LIKELY_SUITABLE
    when = [r.when_possible for r in reasons if r.level == NOT_SUITABLE_NOW and r.when_possible]
    overrides = clinic.get("waiting_days_overrides")
    latest = _latest_treatment_wait(answers, book, overrides, today or dt.date.today())
    # Several treatments: the one whose waiting period ends last says when.
    shown = list(dict.fromkeys(when + ([latest] if latest else [])))
    next_step = book.raw["next_steps"][outcome].format(
        when=f" ({'; '.join(shown)})" if shown else "",
        emergency_number=clinic.get("emergency_number", "your local emergency number"),
    )
    extra: Dict[str, Any] = {}
    if shown:
        extra["when_possible"] = shown
    return Result(
        outcome=outcome,
        reasons=reasons if outcome != LIKELY_SUITABLE else [],
        caveats=[] if outcome == SEEK_URGENT_CARE else personal_caveats(answers, book),
        goals=list(answers.goals),
        next_step=next_step,
        rules_version=book.version,
        extra=extra,
    )


def level_of(code: str, book: RuleBook | None = None) -> str | None:
    """The level a single condition or red flag triggers (for answers that explain one fact)."""
    book = book or load_rules()
    if code in book.raw["red_flags"]:
        return SEEK_URGENT_CARE
    rule = book.raw["conditions"].get(code)
    return rule["level"] if rule else None


def known_values(book: RuleBook | None = None) -> Dict[str, Sequence[str]]:
    book = book or load_rules()
    return {
        "conditions": list(book.raw["conditions"]),
        "procedures": list(book.raw["procedures"]),
        "red_flags": list(book.raw["red_flags"]),
    }
