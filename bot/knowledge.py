"""The knowledge files (benefits, FAQ, regulators, labels) loaded once, and the answers built from them."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, Iterable, List, Mapping

import yaml

from bot import DATA_DIR
from bot.clinic import template_fields
from bot.screening.rules import Answers, personal_caveats
from bot.vocabulary import BENEFIT_VALUES, FAQ_KEYS

KNOWLEDGE_DIR = DATA_DIR / "knowledge"
BENEFITS = BENEFIT_VALUES  # in the order the page and the overview show them
PRACTITIONER_LINE = "Please talk it through with a qualified, licensed practitioner before deciding."


class KnowledgeFileError(ValueError):
    """A knowledge file lacks an entry the bot needs; the message says which."""


def _load(name: str) -> Dict[str, Any]:
    with open(KNOWLEDGE_DIR / name, encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


@lru_cache(maxsize=1)
def benefits() -> Dict[str, Any]:
    data = _load("benefits.yml")
    missing = [b for b in BENEFITS if b not in (data.get("benefits") or {})]
    if missing or "overview" not in data:
        raise KnowledgeFileError(f"benefits.yml lacks {missing or ['overview']}")
    return data


@lru_cache(maxsize=1)
def faq() -> Dict[str, Any]:
    data = _load("faq.yml").get("faq") or {}
    missing = [k for k in FAQ_KEYS if k not in data]
    if missing:
        raise KnowledgeFileError(f"faq.yml lacks {missing}")
    return data


@lru_cache(maxsize=1)
def regulators() -> Dict[str, Any]:
    return _load("regulators.yml")


@lru_cache(maxsize=1)
def recovery() -> Dict[str, Any]:
    """Per question: example answers and what skipping means (data/knowledge/recovery.yml)."""
    data = _load("recovery.yml")
    if not isinstance(data.get("examples"), dict) or not isinstance(data.get("skip_means"), dict):
        raise KnowledgeFileError("recovery.yml needs examples and skip_means")
    return data


@lru_cache(maxsize=1)
def labels() -> Dict[str, Dict[str, str]]:
    return _load("labels.yml")


def label(kind: str, value: str) -> str:
    """A friendly name for a canonical value; the value itself when the labels file has none."""
    return labels().get(kind, {}).get(value, str(value).replace("_", " "))


def label_list(kind: str, values: Iterable[str], empty: str = "none") -> str:
    names = [label(kind, v) for v in values or []]
    if not names:
        return empty
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def regulator_advice(clinic: Mapping[str, Any]) -> str:
    data = regulators()
    return (data.get("countries") or {}).get(clinic.get("country", ""), data.get("default", ""))


def faq_answer(key: str, clinic: Mapping[str, Any]) -> str | None:
    """The practical answer, with the clinic's own facts filled in; None for an unknown key."""
    entry = faq().get(key)
    if not entry:
        return None
    return entry["answer"].format(**template_fields(dict(clinic), regulator_advice(clinic))).strip()


@lru_cache(maxsize=1)
def risk_questions() -> Dict[str, Any]:
    data = _load("risk_questions.yml")
    if not data.get("if_now") or not data.get("mild") or not isinstance(data.get("risks"), dict):
        raise KnowledgeFileError("risk_questions.yml needs if_now, mild and risks")
    return data


def risk_answer(codes: Iterable[str], clinic: Mapping[str, Any], mild: bool = False) -> str:
    """An answer to a question about red-flag risks: what is known, then what to do if it happens now."""
    data = risk_questions()
    lines = [data["risks"][c] for c in dict.fromkeys(codes) if c in data["risks"]]
    if mild or not lines:
        lines.insert(0, data["mild"])
    emergency = clinic.get("emergency_number") or "your local emergency number"
    lines.append(data["if_now"].format(emergency_number=emergency))
    return "\n\n".join(lines)


@lru_cache(maxsize=1)
def urgent_care_texts() -> Dict[str, Any]:
    data = _load("urgent_care.yml")
    missing = [k for k in ("self_harm", "symptom", "unnamed_symptom", "stopped") if not data.get(k)]
    if missing:
        raise KnowledgeFileError(f"urgent_care.yml lacks {missing}")
    return data


def urgent_care_message(codes: Iterable[str], reasons: Iterable[str], clinic: Mapping[str, Any]) -> str:
    """The urgent-care reply: for self-harm the crisis line leads; for symptoms the emergency number."""
    data = urgent_care_texts()
    codes = list(codes)
    fields = {
        "emergency_number": clinic.get("emergency_number") or "your local emergency number",
        "crisis_line": clinic.get("crisis_line") or "call your local crisis line",
    }
    if "self_harm" in codes:
        lines = list(data["self_harm"])
        others = [c for c in codes if c != "self_harm"]
        if others:
            lines += [r for r in reasons if r]
    else:
        lines = list(data["symptom"]) + [r for r in reasons if r]
        if "reported_symptom" in codes:
            lines.append(data["unnamed_symptom"])
        lines.append(data["stopped"])
    return "\n".join(line.format(**fields) for line in lines)


def benefit_answer(benefit: str, answers: Answers) -> str | None:
    """What it may do, how strong the evidence is, and the caveat personalised to the visitor."""
    entry = benefits()["benefits"].get(benefit)
    if not entry:
        return None
    caveats = personal_caveats(answers)
    lines = [
        entry["answer"].strip(),
        f"Evidence: {entry['evidence_level']}.",
        " ".join(caveats),
        PRACTITIONER_LINE,
    ]
    return "\n\n".join(lines)


def benefits_overview(answers: Answers) -> str:
    data = benefits()
    titles = [data["benefits"][b]["title"] for b in BENEFITS]
    # The overview text already ends by pointing to a practitioner.
    return "\n\n".join([data["overview"].strip(), "Ask me about any of: " + "; ".join(titles) + "."])


def sources_for(kind: str, key: str) -> List[str]:
    if kind == "benefit":
        return list(benefits()["benefits"].get(key, {}).get("sources", []))
    return list(faq().get(key, {}).get("sources", []))
