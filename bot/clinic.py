"""Clinic settings: one YAML file per clinic under data/clinics/, picked by the widget's data-clinic."""

from __future__ import annotations

import os
import re
import time
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Tuple

import yaml

from bot import DATA_DIR

# $CLINICS_DIR lets a deployment (or a test) keep clinic files elsewhere.
CLINICS_DIR = Path(os.environ.get("CLINICS_DIR") or DATA_DIR / "clinics")
DEFAULT_CLINIC = os.environ.get("DEFAULT_CLINIC", "demo")
_SAFE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
REQUIRED = ("id", "name", "booking_url", "phone", "email", "emergency_number", "crisis_line", "country")


class ClinicSettingsError(ValueError):
    """A clinic file is missing a field; the message names the file and the field."""


_IDS_TTL = 30.0  # seconds: a clinic file added to a running server is known within this
_ids_cache: Dict[Path, Tuple[float, list]] = {}


def clinic_ids(directory: Path = CLINICS_DIR) -> list:
    """Every clinic's id. Read on every message by the channels: a directory listing per message was
    a measurable share of a refusal's time, so the list is kept for `_IDS_TTL` seconds."""
    now = time.monotonic()
    cached = _ids_cache.get(directory)
    if cached is None or now - cached[0] > _IDS_TTL:
        cached = (now, sorted(p.stem for p in directory.glob("*.yml")))
        _ids_cache[directory] = cached
    return list(cached[1])


@lru_cache(maxsize=64)
def load_clinic(clinic_id: str | None = None, directory: Path = CLINICS_DIR) -> Dict[str, Any]:
    """The clinic's settings; an unknown or malformed id falls back to the default clinic.

    The id comes from the visitor's page (untrusted), so it is checked against a strict pattern
    before it goes near the file system.
    """
    wanted = (clinic_id or DEFAULT_CLINIC).strip().lower()
    if not _SAFE_ID.match(wanted) or not (directory / f"{wanted}.yml").is_file():
        wanted = DEFAULT_CLINIC
    path = directory / f"{wanted}.yml"
    with open(path, encoding="utf-8") as handle:
        settings = yaml.safe_load(handle) or {}
    missing = [key for key in REQUIRED if not settings.get(key)]
    if missing:
        raise ClinicSettingsError(f"{path} is missing {', '.join(missing)}")
    return settings


def practitioner_summary(clinic: Dict[str, Any]) -> str:
    """A sentence naming who treats at the clinic, for the practitioner answer."""
    people = clinic.get("practitioners") or []
    if not people:
        return f"Ask {clinic['name']} who would treat you and what their registration is."
    names = "; ".join(f"{p['name']} ({p['credentials']})" for p in people)
    return f"At {clinic['name']}, treatment is given by {names}."


def template_fields(clinic: Dict[str, Any], regulator_advice: str = "") -> Dict[str, str]:
    """The placeholder values knowledge answers may use."""
    return {
        "clinic_name": clinic["name"],
        "price_per_session": clinic.get("price_per_session", "ask the clinic"),
        "course_price": clinic.get("course_price", "ask the clinic"),
        "booking_url": clinic["booking_url"],
        "phone": clinic["phone"],
        "email": clinic["email"],
        "opening_hours": clinic.get("opening_hours", "see the clinic's website"),
        "practitioner_summary": practitioner_summary(clinic),
        "regulator_advice": regulator_advice,
    }
