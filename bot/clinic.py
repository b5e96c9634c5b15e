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
from bot.notification_settings import NotificationSettings, NotificationSettingsError, parse_notifications
from bot.opening_hours import (
    CLOCK_HOURS,
    OPENING_DAYS,
    OPENING_HOURS,
    Deadline,
    OpeningHoursError,
    Schedule,
    describe,
    parse_schedule,
)

# $CLINICS_DIR lets a deployment (or a test) keep clinic files elsewhere.
CLINICS_DIR = Path(os.environ.get("CLINICS_DIR") or DATA_DIR / "clinics")
DEFAULT_CLINIC = os.environ.get("DEFAULT_CLINIC", "demo")
_SAFE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
REQUIRED = ("id", "name", "booking_url", "phone", "email", "emergency_number", "crisis_line", "country")
# How long staff have to follow up each level of the safety queue (bot/console/safety_queue.py), most
# severe first, unless the clinic's `safety_queue:` says otherwise. Self-harm counts in clock hours, day
# or night; the others in the clinic's opening hours or opening days (bot/opening_hours.py).
QUEUE_DEADLINES: Dict[str, Deadline] = {
    "self_harm": Deadline(1, CLOCK_HOURS),
    "red_flag": Deadline(4, OPENING_HOURS),
    "clearance": Deadline(2, OPENING_DAYS),
    "callback": Deadline(1, OPENING_DAYS),
}
MAX_DEADLINE_HOURS, MAX_DEADLINE_DAYS = 14 * 24, 30


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
    try:
        week = schedule_of(settings)
        queue_deadlines_of(settings)
        notifications_of(settings)
    except (OpeningHoursError, NotificationSettingsError, ClinicSettingsError) as error:
        raise ClinicSettingsError(f"{path}: {error}") from None
    if not settings.get("opening_hours") and settings.get("hours") is not None:
        settings["opening_hours"] = describe(week)  # what visitors read, when the file gives no wording
    return settings


def own_settings(clinic_id: str) -> Dict[str, Any] | None:
    """The settings of this very clinic, or None when it has no file (load_clinic would fall back to the
    default clinic, whose hours and notification addresses are not this clinic's)."""
    clinic = load_clinic(clinic_id)
    return clinic if clinic.get("id") == clinic_id else None


def schedule_of(clinic: Dict[str, Any]) -> Schedule:
    """The clinic's opening hours in its time zone (`time_zone:`, `hours:`); always open without them."""
    return parse_schedule(clinic.get("time_zone"), clinic.get("hours"))


def queue_deadlines_of(clinic: Dict[str, Any]) -> Dict[str, Deadline]:
    """Each safety-queue level's deadline: `safety_queue:` settings (`<level>_hours` counted in opening
    hours, `<level>_days` in opening days; self-harm only in clock hours) over QUEUE_DEADLINES."""
    settings = clinic.get("safety_queue")
    deadlines = dict(QUEUE_DEADLINES)
    if settings is None:
        return deadlines
    if not isinstance(settings, dict):
        raise ClinicSettingsError("safety_queue must map settings such as red_flag_hours: 4 to numbers")
    allowed = [f"{level}_{unit}" for level in QUEUE_DEADLINES for unit in ("hours", "days")]
    for key, value in settings.items():
        if key == "self_harm_days":
            raise ClinicSettingsError(
                "safety_queue.self_harm_days: self-harm is counted in clock hours, day or night; "
                "set self_harm_hours instead"
            )
        if key not in allowed:
            raise ClinicSettingsError(f"safety_queue.{key} is not a setting: use {', '.join(allowed)}")
        level, _, unit = str(key).rpartition("_")
        if f"{level}_hours" in settings and f"{level}_days" in settings:
            raise ClinicSettingsError(f"safety_queue sets both {level}_hours and {level}_days: keep one")
        if unit == "hours":
            if not _positive(value, MAX_DEADLINE_HOURS):
                raise ClinicSettingsError(
                    f"safety_queue.{key} must be a number of hours above 0, at most 336"
                )
            deadlines[level] = Deadline(float(value), CLOCK_HOURS if level == "self_harm" else OPENING_HOURS)
        else:
            if not _positive(value, MAX_DEADLINE_DAYS) or int(value) != value:
                raise ClinicSettingsError(f"safety_queue.{key} must be a whole number of days, 1 to 30")
            deadlines[level] = Deadline(int(value), OPENING_DAYS)
    return deadlines


def notifications_of(clinic: Dict[str, Any]) -> NotificationSettings | None:
    """Where the clinic is told about urgent and overdue queue items; None when it set nothing."""
    return parse_notifications(clinic.get("notifications"), tuple(QUEUE_DEADLINES))


def _positive(value: Any, ceiling: float) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value <= ceiling


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
