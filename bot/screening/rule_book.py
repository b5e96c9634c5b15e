"""The screening rules file read once into small frozen records, checked at load. Plain Python, no Rasa.

Every problem in the file is collected and reported together, each named by its path in the file
("conditions.pregnancy.level"), so one run says everything there is to fix.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable, List, Mapping, Sequence, Tuple, TypeVar

import yaml

from bot import DATA_DIR
from bot.vocabulary import (
    CONDITION_VALUES,
    DAYS_SINCE_PROCEDURE,
    OUTCOMES,
    PROCEDURE_VALUES,
    RED_FLAG_VALUES,
    REPORTED_SYMPTOM,
)

RULES_FILE = DATA_DIR / "knowledge" / "screening_rules.yml"
SECTIONS = (
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
)


class RulesFileError(ValueError):
    """The rules file is missing something the engine needs; the message says what."""


@dataclass(frozen=True)
class Rule:
    """What one answer triggers: its level, the reason shown, and when it may become possible."""

    level: str
    text: str
    when_possible: str | None = None


@dataclass(frozen=True)
class WaitingPeriod:
    """A cosmetic treatment, named for the visitor, and the days to wait after it."""

    label: str
    waiting_days: int


@dataclass(frozen=True)
class PastCondition:
    """A treatment that has ended but still counts for a while (chemotherapy within 6 months...)."""

    counts_for_days: int
    period: str
    level: str
    recent: str  # with {days} and {period}
    unknown_date: str  # with {period}
    when_possible: str | None = None


@dataclass(frozen=True)
class ProcedureTexts:
    too_recent: str  # {label} {days} {waiting}
    too_recent_when: str  # {remaining} {date}
    unknown_date: str  # {label} {waiting}
    past: str  # {label} {days} {waiting}


@dataclass(frozen=True)
class Caveats:
    """What to expect: the general line, then one per answer that changes it."""

    general: str
    skin_types: Mapping[str, str]
    habits: Mapping[str, str]
    conditions: Mapping[str, str]
    goals: Mapping[str, str]


@dataclass(frozen=True)
class RuleBook:
    version: str
    levels: Tuple[str, ...]
    red_flags: Mapping[str, str]  # code: why it is urgent
    conditions: Mapping[str, Rule]
    past_conditions: Mapping[str, PastCondition]
    skin_types: Mapping[str, Rule]
    procedures: Mapping[str, WaitingPeriod]
    procedure_texts: ProcedureTexts
    skipped: Mapping[str, Rule]  # question: what skipping it means
    caveats: Caveats
    next_steps: Mapping[str, str]  # outcome: what to do next, with {when} and {emergency_number}

    def severity(self, level: str) -> int:
        """0 is the most severe."""
        return self.levels.index(level)

    def waiting_days(self, procedure: str, overrides: Mapping[str, int] | None = None) -> int:
        default = self.procedures[procedure].waiting_days
        # A clinic may be stricter than the product's default, never more lenient.
        return max(default, int((overrides or {}).get(procedure, default)))

    def red_flag_text(self, code: str) -> str:
        # An unknown code is still a red flag: it can only have come from the safety path, and the
        # safe reading of anything unrecognised there is "urgent".
        return self.red_flags.get(code) or self.red_flags[REPORTED_SYMPTOM]


T = TypeVar("T")


class _Reader:
    """Reads parts of the rules document, noting each problem by its path instead of stopping."""

    def __init__(self) -> None:
        self.problems: List[str] = []

    def mapping(self, value: Any, where: str) -> Mapping[str, Any]:
        if isinstance(value, Mapping):
            return value
        self.problems.append(where)
        return {}

    def text(self, entry: Mapping[str, Any], key: str, where: str, fields: Sequence[str] = ()) -> str:
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            self.problems.append(f"{where}.{key}")
            return ""
        unknown = [f for f in _fields(value) if f not in fields]
        if unknown:
            self.problems.append(f"{where}.{key} uses unknown {', '.join('{' + f + '}' for f in unknown)}")
        return value

    def optional_text(self, entry: Mapping[str, Any], key: str, where: str) -> str | None:
        return self.text(entry, key, where) if key in entry else None

    def level(self, entry: Mapping[str, Any], where: str) -> str:
        if entry.get("level") not in OUTCOMES:
            self.problems.append(f"a valid level for {where}")
        return str(entry.get("level"))

    def days(self, entry: Mapping[str, Any], key: str, where: str) -> int:
        value = entry.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.problems.append(f"{where}.{key} (a whole number of days)")
            return 0
        return value

    def each(
        self, section: Mapping[str, Any], where: str, read: Callable[[Mapping[str, Any], str], T]
    ) -> Mapping[str, T]:
        return MappingProxyType(
            {str(k): read(self.mapping(v, f"{where}.{k}"), f"{where}.{k}") for k, v in section.items()}
        )

    def rule(self, entry: Mapping[str, Any], where: str) -> Rule:
        return Rule(
            level=self.level(entry, where),
            text=self.text(entry, "text", where),
            when_possible=self.optional_text(entry, "when_possible", where),
        )

    def strings(
        self, section: Mapping[str, Any], where: str, fields: Sequence[str] = ()
    ) -> Mapping[str, str]:
        return MappingProxyType({str(k): self.text(section, k, where, fields) for k in section})

    def missing(self, section: Mapping[str, Any], where: str, required: Sequence[str]) -> None:
        self.problems += [f"{where}.{name}" for name in required if name not in section]


def _fields(template: str) -> List[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


def parse_rules(data: Mapping[str, Any]) -> RuleBook:
    """Check a rules document against the contract and read it into a RuleBook."""
    read = _Reader()
    if list(data.get("levels") or []) != list(OUTCOMES):
        read.problems.append(f"levels must be exactly {list(OUTCOMES)}")
    read.problems += [key for key in SECTIONS if key not in data]
    if read.problems:
        raise RulesFileError("screening rules file is missing or wrong: " + ", ".join(read.problems))

    red_flags = read.strings(read.mapping(data["red_flags"], "red_flags"), "red_flags")
    read.missing(red_flags, "red_flags", (*RED_FLAG_VALUES, REPORTED_SYMPTOM))
    conditions = read.each(read.mapping(data["conditions"], "conditions"), "conditions", read.rule)
    read.missing(conditions, "conditions", CONDITION_VALUES)

    def past_condition(entry: Mapping[str, Any], where: str) -> PastCondition:
        return PastCondition(
            counts_for_days=read.days(entry, "counts_for_days", where),
            period=read.text(entry, "period", where),
            level=read.level(entry, where),
            recent=read.text(entry, "recent", where, ("days", "period")),
            unknown_date=read.text(entry, "unknown_date", where, ("period",)),
            when_possible=read.optional_text(entry, "when_possible", where),
        )

    def waiting_period(entry: Mapping[str, Any], where: str) -> WaitingPeriod:
        return WaitingPeriod(
            label=read.text(entry, "label", where), waiting_days=read.days(entry, "waiting_days", where)
        )

    procedures = read.each(read.mapping(data["procedures"], "procedures"), "procedures", waiting_period)
    read.missing(procedures, "procedures", PROCEDURE_VALUES)
    texts = read.mapping(data["procedure_texts"], "procedure_texts")
    procedure_texts = ProcedureTexts(
        too_recent=read.text(texts, "too_recent", "procedure_texts", ("label", "days", "waiting")),
        too_recent_when=read.text(texts, "too_recent_when", "procedure_texts", ("remaining", "date")),
        unknown_date=read.text(texts, "unknown_date", "procedure_texts", ("label", "waiting")),
        past=read.text(texts, "past", "procedure_texts", ("label", "days", "waiting")),
    )
    skipped = read.each(read.mapping(data["skipped"], "skipped"), "skipped", read.rule)
    read.missing(skipped, "skipped", (DAYS_SINCE_PROCEDURE,))  # an unknown date reads as this
    caveats = read.mapping(data["caveats"], "caveats")
    next_steps = read.strings(
        read.mapping(data["next_steps"], "next_steps"), "next_steps", ("when", "emergency_number")
    )
    read.missing(next_steps, "next_steps", OUTCOMES)
    book = RuleBook(
        version=str(data["version"]),
        levels=tuple(OUTCOMES),
        red_flags=red_flags,
        conditions=conditions,
        past_conditions=read.each(
            read.mapping(data["past_conditions"], "past_conditions"), "past_conditions", past_condition
        ),
        skin_types=read.each(read.mapping(data["skin_types"], "skin_types"), "skin_types", read.rule),
        procedures=procedures,
        procedure_texts=procedure_texts,
        skipped=skipped,
        caveats=Caveats(
            general=read.text(caveats, "general", "caveats"),
            **{
                part: read.strings(read.mapping(caveats.get(part), f"caveats.{part}"), f"caveats.{part}")
                for part in ("skin_types", "habits", "conditions", "goals")
            },
        ),
        next_steps=next_steps,
    )
    if read.problems:
        raise RulesFileError("screening rules file is missing or wrong: " + ", ".join(read.problems))
    return book


@lru_cache(maxsize=4)
def load_rules(path: Path = RULES_FILE) -> RuleBook:
    with open(path, encoding="utf-8") as handle:
        return parse_rules(yaml.safe_load(handle) or {})
