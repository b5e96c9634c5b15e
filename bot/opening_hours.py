"""A clinic's opening hours in its own time zone, and due-by times counted inside them (pure functions).

Hours are wall-clock times in the clinic's IANA zone, so a change to or from summer time moves them
with the clinic: "09:00-19:00" is ten hours on a normal day and stays 09:00-19:00 local on the day
the clocks change. Times in and out are epoch seconds, like the console's `last_at`.

A deadline is counted in one of three units:
- clock hours: day and night, every day (self-harm: the visitor was given the crisis line at once,
  and waiting until the clinic opens is not an answer; the notification is what reaches someone);
- opening hours: only the time the clinic is open ("4 hours" from 17:00 on a Friday, with
  Saturday 10:00-15:00, is Saturday 12:00);
- opening days: by the close of the Nth opening day after the day the item arrived, an item that
  arrives after closing counting as arriving when the clinic next opens ("2 days" from Monday 10:00
  is Wednesday's close; from Monday 22:00, Thursday's close).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Dict, Iterator, Tuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_LABELS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
CLOSED = "closed"
CLOCK_HOURS, OPENING_HOURS, OPENING_DAYS = "clock_hours", "opening_hours", "opening_days"
UNITS = (CLOCK_HOURS, OPENING_HOURS, OPENING_DAYS)
_RANGE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})\s*$")

Intervals = Tuple[Tuple[int, int], ...]  # (start, end) in minutes from local midnight, sorted


class OpeningHoursError(ValueError):
    """Opening hours or a time zone that cannot be read; the message names the setting and the fix."""


@dataclass(frozen=True)
class Schedule:
    zone_name: str
    week: Tuple[Intervals, ...]  # Monday first

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.zone_name)

    @property
    def always_open(self) -> bool:
        return all(day == ((0, 24 * 60),) for day in self.week)


@dataclass(frozen=True)
class Deadline:
    amount: float
    unit: str  # one of UNITS

    def describe(self) -> str:
        amount = f"{self.amount:g}"
        plural = "" if self.amount == 1 else "s"
        return {
            CLOCK_HOURS: f"{amount} hour{plural}, day or night",
            OPENING_HOURS: f"{amount} opening hour{plural}",
            OPENING_DAYS: f"by the close of the {_ordinal(int(self.amount))} opening day",
        }[self.unit]


def always_open(zone_name: str = "UTC") -> Schedule:
    return Schedule(zone_name, tuple(((0, 24 * 60),) for _ in DAYS))


def parse_zone(value: Any) -> str:
    """The IANA zone name, checked against the time zone data this machine has."""
    if not isinstance(value, str) or not value.strip():
        raise OpeningHoursError("time_zone must be an IANA time zone name, such as Europe/London")
    name = value.strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        if isinstance(error, ZoneInfoNotFoundError) and not available_timezones():
            raise OpeningHoursError(
                f"time_zone {name!r} cannot be checked: this machine has no time zone data "
                "(install Debian's tzdata package, or `pip install tzdata` into .venv)"
            ) from None
        raise OpeningHoursError(
            f"time_zone {name!r} is not an IANA time zone name (such as Europe/London or America/New_York)"
            f"{'' if isinstance(error, ZoneInfoNotFoundError) else f': {error}'}"
        ) from None
    return name


def parse_schedule(time_zone: Any, hours: Any) -> Schedule:
    """The clinic's week from its `time_zone` and `hours` settings.

    `hours` names every day, mon to sun, each "HH:MM-HH:MM" (several ranges split by commas, e.g. a
    lunch break) or "closed"; "24:00" ends a day. Without `hours` the clinic counts as always open.
    """
    zone = parse_zone(time_zone) if time_zone is not None else "UTC"
    if hours is None:
        return always_open(zone)
    if time_zone is None:
        raise OpeningHoursError(
            "hours needs time_zone beside it (the zone the hours are in, e.g. Europe/London)"
        )
    if not isinstance(hours, dict):
        raise OpeningHoursError('hours must map each day to its hours, e.g. mon: "09:00-19:00", sun: closed')
    unknown = sorted(str(key) for key in hours if key not in DAYS)
    if unknown:
        raise OpeningHoursError(f"hours has {', '.join(unknown)}: days are written {', '.join(DAYS)}")
    missing = [day for day in DAYS if day not in hours]
    if missing:
        raise OpeningHoursError(
            f"hours is missing {', '.join(missing)} (write `{missing[0]}: closed` for a closed day)"
        )
    week = tuple(_parse_day(day, hours[day]) for day in DAYS)
    if not any(week):
        raise OpeningHoursError("hours has every day closed: no follow-up could ever be due")
    return Schedule(zone, week)


def _parse_day(day: str, value: Any) -> Intervals:
    if value is False or (isinstance(value, str) and value.strip().lower() == CLOSED):
        return ()  # YAML reads a bare `no`/`off` as False: accept it as closed rather than fail
    if not isinstance(value, str) or not value.strip():
        raise OpeningHoursError(f'hours.{day} must be "HH:MM-HH:MM" or "closed", not {value!r}')
    ranges = []
    for part in value.split(","):
        match = _RANGE.match(part)
        if not match:
            raise OpeningHoursError(
                f'hours.{day}: {part.strip()!r} is not "HH:MM-HH:MM" (e.g. "09:00-19:00")'
            )
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        start, end = _minutes(day, h1, m1), _minutes(day, h2, m2)
        if end <= start:
            raise OpeningHoursError(f"hours.{day}: {part.strip()} ends before it starts")
        ranges.append((start, end))
    ranges.sort()
    for (_, end), (start, _) in zip(ranges, ranges[1:], strict=False):
        if start < end:
            raise OpeningHoursError(f"hours.{day}: the ranges in {value!r} overlap")
    return tuple(ranges)


def _minutes(day: str, hours: int, minutes: int) -> int:
    if minutes > 59 or hours > 24 or (hours == 24 and minutes):
        raise OpeningHoursError(f"hours.{day}: {hours:02d}:{minutes:02d} is not a time of day")
    return hours * 60 + minutes


def describe(schedule: Schedule) -> str:
    """The week as visitors read it: "Mon–Fri 09:00–19:00, Sat 10:00–15:00"."""
    if schedule.always_open:
        return "open every day, day and night"
    parts, index = [], 0
    while index < len(DAYS):
        end = index
        while end + 1 < len(DAYS) and schedule.week[end + 1] == schedule.week[index]:
            end += 1
        if schedule.week[index]:
            days = DAY_LABELS[index] if end == index else f"{DAY_LABELS[index]}–{DAY_LABELS[end]}"
            times = ", ".join(f"{_hhmm(a)}–{_hhmm(b)}" for a, b in schedule.week[index])
            parts.append(f"{days} {times}")
        index = end + 1
    return ", ".join(parts)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _ordinal(n: int) -> str:
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(n, f"{n}th")


# ---- counting ------------------------------------------------------------------------------------


def _wall(day: dt.date, minutes: int, zone: ZoneInfo) -> float:
    """Epoch seconds of a local wall-clock time (a time the clocks skip counts as the hour after)."""
    base = dt.datetime(day.year, day.month, day.day, tzinfo=zone)
    if minutes == 24 * 60:
        following = day + dt.timedelta(days=1)
        return dt.datetime(following.year, following.month, following.day, tzinfo=zone).timestamp()
    return base.replace(hour=minutes // 60, minute=minutes % 60).timestamp()


def _open_spans(start: float, schedule: Schedule, days: int) -> Iterator[Tuple[dt.date, float, float]]:
    """(local date, opens, closes) of each opening at or after `start`, for at most `days` days."""
    zone = schedule.zone
    first = dt.datetime.fromtimestamp(start, zone).date() - dt.timedelta(days=1)
    for offset in range(days + 1):
        day = first + dt.timedelta(days=offset)
        for a, b in schedule.week[day.weekday()]:
            opens, closes = _wall(day, a, zone), _wall(day, b, zone)
            if closes > start:
                yield day, max(opens, start), closes


def _horizon(schedule: Schedule, seconds: float = 0.0, days: int = 0) -> int:
    """Days to look ahead: enough weeks to hold the amount, and two more for the edges."""
    weekly = sum(b - a for day in schedule.week for a, b in day) * 60.0
    return 7 * (int(seconds / weekly) + days + 2)


def next_opening(start: float, schedule: Schedule) -> float:
    """The first moment at or after `start` when the clinic is open."""
    for _, opens, _ in _open_spans(start, schedule, _horizon(schedule)):
        return opens
    raise OpeningHoursError("the schedule has no opening time")  # parse_schedule refuses such a week


def add_opening_time(start: float, seconds: float, schedule: Schedule) -> float:
    """`start` plus `seconds` of opening time: the clock runs only while the clinic is open."""
    remaining = max(0.0, float(seconds))
    for _, opens, closes in _open_spans(start, schedule, _horizon(schedule, seconds=remaining)):
        if remaining <= closes - opens:
            return opens + remaining
        remaining -= closes - opens
    raise OpeningHoursError("the schedule has no opening time")


def add_opening_days(start: float, days: int, schedule: Schedule) -> float:
    """The close of the `days`-th opening day after the day the item arrived (see the module doc)."""
    arrived = dt.datetime.fromtimestamp(next_opening(start, schedule), schedule.zone).date()
    closes_by_day: Dict[dt.date, float] = {}
    for day, _, closes in _open_spans(start, schedule, _horizon(schedule, days=days)):
        if day > arrived:
            closes_by_day[day] = max(closes_by_day.get(day, 0.0), closes)
            if len(closes_by_day) > days:
                break
    ordered = sorted(closes_by_day)
    if len(ordered) < days:
        raise OpeningHoursError("the schedule has no opening time")
    return closes_by_day[ordered[days - 1]]


def due_by(start: float, deadline: Deadline, schedule: Schedule) -> float:
    """When an item that arrived at `start` is due."""
    if deadline.unit == CLOCK_HOURS:
        return start + deadline.amount * 3600
    if deadline.unit == OPENING_HOURS:
        return add_opening_time(start, deadline.amount * 3600, schedule)
    if deadline.unit == OPENING_DAYS:
        return add_opening_days(start, int(deadline.amount), schedule)
    raise ValueError(f"unknown deadline unit {deadline.unit!r}")


def local_time(ts: float, schedule: Schedule) -> str:
    """A time as staff read it: in the clinic's zone, with the zone's abbreviation ("GMT", "BST")."""
    return dt.datetime.fromtimestamp(ts, schedule.zone).strftime("%a %Y-%m-%d %H:%M %Z")
