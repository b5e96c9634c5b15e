"""Time spans in everyday words ("3 weeks ago", "last month", "in March", "6 wks") to days.

Plain regular expressions rather than a library: the pins leave no maintained parser that
does relative spans offline (Duckling is a separate server), and the grammar we need is small.

Safety rule: where words allow a range, take the most recent reading (fewest days), because a
waiting period that has not passed must never look passed. Words that give no number
("recently", "a while ago", "several weeks") are not turned into days at all: the bot asks.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import List

NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "a couple of": 2,
    "a couple": 2,
    "couple of": 2,
    "couple": 2,
    "a few": 3,
    "few": 3,
    "half a": 0.5,
    "a half": 0.5,
}
UNIT_DAYS = {"day": 1, "week": 7, "fortnight": 14, "month": 30, "year": 365}
UNIT_WORDS = {
    "d": "day",
    "day": "day",
    "days": "day",
    "dy": "day",
    "dys": "day",
    "w": "week",
    "wk": "week",
    "wks": "week",
    "week": "week",
    "weeks": "week",
    "weeek": "week",
    "weks": "week",
    "wek": "week",
    "fortnight": "fortnight",
    "fortnights": "fortnight",
    "m": "month",
    "mo": "month",
    "mos": "month",
    "mth": "month",
    "mths": "month",
    "month": "month",
    "months": "month",
    "monts": "month",
    "mnth": "month",
    "mnths": "month",
    "y": "year",
    "yr": "year",
    "yrs": "year",
    "year": "year",
    "years": "year",
}
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9  # as often written as "sep"
MONTHS.pop("may", None)  # "may" is far more often the verb; "in May" is handled below

_number = (
    r"(?:\d+(?:[.,]\d+)?|"
    + "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True))
    + ")"
)
_unit = "(?:" + "|".join(sorted(UNIT_WORDS, key=len, reverse=True)) + ")"
_span = re.compile(
    rf"\b(?:about |around |roughly |approx\.? |maybe |like |only |just |over |nearly |almost )?"
    rf"(?P<num>{_number})(?:\s*|-)(?P<unit>{_unit})\b(?:\s+(?:ago|back|before|earlier|prior))?",
    re.IGNORECASE,
)
_bare_unit = re.compile(
    r"\b(?P<unit>a week|a month|a year|a fortnight|a day)\s+(?:ago|back)\b", re.IGNORECASE
)
# "ages ago, like years": the vague time made plain by what follows it.
_long_ago_in_units = re.compile(
    r"\b(?:ages|a long time|a while|donkey'?s years|yonks) (?:ago|back),? (?:like|literally|probably|maybe"
    r"|must be|at least|well over|over|more than) (?P<unit>years|months)\b(?! (?:from|time|later)\b)",
    re.IGNORECASE,
)
# The unit first and the number after it, as said when unsure: "years, maybe four", "weeks, about three".
_unit_then_number = re.compile(
    r"^\W*(?P<unit>years|months|weeks|days),? (?:maybe|about|around|probably|roughly|like|say|i think|prob)"
    r",? (?P<num>\d+|[a-z]+)\b(?! (?:or|to)\b)",
    re.IGNORECASE,
)
_VAGUE_UNIT_DAYS = {"years": 365.0, "months": 60.0}
_vague_plural = re.compile(r"\b(?:many |a few |few |some )?(?P<unit>years|months) ago\b", re.IGNORECASE)
_last = re.compile(
    r"\b(?:(?:last|past|previous) (?P<unit>week|month|year|weekend|wk|mth|mnth|yr)"
    # "microneedling at the weekend": the most recent weekend
    r"|(?:at|over|on) the (?P<unit2>weekend))\b",
    re.IGNORECASE,
)
# "the summer before last", "the year before last": a year before the last one (the most recent reading).
_before_last = re.compile(
    r"\bthe (?P<unit>year|summer|winter|spring|autumn|fall|christmas|easter|week|month) before last\b",
    re.IGNORECASE,
)
# Words that measure "a year", "a month" as a time ("over a year", "about a month"), where "once a year"
# is a frequency. Not "less than" or "under": read as a whole year they could pass a waiting period.
_ABOUT_BEFORE = re.compile(
    r"\b(?:over|about|around|roughly|nearly|almost|more than|at least|just over|well over"
    r"|maybe|probably|like)\s+$",
    re.IGNORECASE,
)
# "ages ago", "donkey's years ago": long ago, with no number to count (the bot asks when it matters).
_long_ago = re.compile(
    r"\b(?:ages|donkey'?s years|yonks|forever|a long time|a while) (?:ago|back)\b", re.IGNORECASE
)
_yesterday = re.compile(
    r"\b(?P<word>yesterday|today|this morning|the other day|day before yesterday)\b", re.IGNORECASE
)
_in_month = re.compile(
    r"\b(?:in|back in|during|(?P<part>early|mid|middle of|start of|beginning of|the start of)|late|end of"
    r"|around|about|since|last)[\s-]+"
    r"(?:of\s+)?(?P<month>" + "|".join(sorted(list(MONTHS) + ["may"], key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
_and_a_half = re.compile(
    r"\b(?P<num>a|an|one|two|three|four|five|six|\d+) (?P<unit>day|week|month|year)s? "
    r"and a (?P<part>half|bit) (?:ago|back)\b",
    re.IGNORECASE,
)
# A year, with or without its month ("in 2018", "back in March 2024", "finished 2019"): the days since
# its end, the most recent reading (a date in the current year counts as today).
_MONTH_NAMES = "|".join(sorted(list(MONTHS) + ["may"], key=len, reverse=True))
_in_year = re.compile(
    # Not "since 2020": that is ongoing ("botox every few months since 2020"), not a time since.
    r"\b(?:in|back in|during|around|about|early|mid|late|end of|start of|beginning of|until|till|"
    r"ended|finished|stopped|completed|came off|like|roughly|circa|maybe|c\.|approx\.?|ago,? like"
    # "on steroid tablets for a flare but that was 2022"
    r"|(?:that|it|this) was(?: (?:back|all|way back|only))?(?: in)?)"
    r"[\s-]+(?:of\s+)?"
    r"(?:(?P<month>" + _MONTH_NAMES + r")\s+(?:of\s+)?)?"
    r"(?P<year>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
# Part of this month or last ("early this month", "late last month", "earlier this month"): the most
# recent day that part could mean, so a waiting period is never judged over too soon.
_part_of_month = re.compile(
    r"\b(?:(?P<part>early|earlier|mid|middle of|late|end of|start of|beginning of|the start of|the end of)"
    r"[\s-]+)?(?:in\s+)?(?P<which>this|last|the last|the past|(?<=of )the) month\b",
    re.IGNORECASE,
)
PART_ENDS = {"early": 10, "start of": 10, "beginning of": 10, "the start of": 10, "mid": 20, "middle of": 20}


def _part_of_month_days(part: str | None, which: str, today: dt.date) -> float | None:
    part = (part or "").lower()
    if which.lower() in ("this", "the"):  # "at the start of the month": this one
        last_day = PART_ENDS.get(part)
        # "late this month", "earlier this month", "this month": as recent as today.
        return float(max(today.day - last_day, 0)) if last_day else 0.0
    if not part:
        # "within the last month" reaches today; "last month" alone is the month before (read by _last).
        return 0.0 if which.lower() in ("the last", "the past") else None
    previous_end = today.replace(day=1) - dt.timedelta(days=1)
    last_day = min(PART_ENDS.get(part, previous_end.day), previous_end.day)
    return float((today - previous_end.replace(day=last_day)).days)


# A day of the week: the most recent one ("last friday" on a Friday is a week ago, "on monday" today).
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
# Short names as typed ("last wed", "tues gone"); not "sun", which is more often the sun.
WEEKDAYS.update(
    {"mon": 0, "tue": 1, "tues": 1, "wed": 2, "weds": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4, "sat": 5}
)
_DAY_NAMES = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_weekday = re.compile(
    r"\b(?:(?P<which>last|on|this past|this|since|past)\s+(?P<day>" + _DAY_NAMES + r")"
    # "monday just gone", "tues gone": the most recent one that has passed
    r"|(?P<day2>" + _DAY_NAMES + r")\s+(?P<gone>just gone|gone)"
    # "the tuesday before last", "two fridays ago": a week more
    r"|(?:the\s+)?(?P<day3>" + _DAY_NAMES + r")\s+before last"
    r"|(?:two|2)\s+(?P<day4>" + _DAY_NAMES + r")s\s+ago)\b",
    re.IGNORECASE,
)
# Clinical shorthand: "6/52" (weeks), and "3/7 ago", "2/12 ago" (days, months; without "ago" a date).
_clinical = re.compile(r"\b(?P<num>\d{1,2})/(?:(?P<weeks>52)\b|(?P<unit>7|12)\s+ago\b)")
# "on the 14th": that day of this month, or of the last one if it is still to come.
_day_of_this_month = re.compile(r"\bon the (?P<day>\d{1,2})(?:st|nd|rd|th)\b(?!\s+of\b)", re.IGNORECASE)
# "at the start of the year"
_start_of_year = re.compile(r"\b(?:at the |the )?(?:start|beginning) of (?:the|this) year\b", re.IGNORECASE)
# Seasons and holidays: the most recent one that has ended ("last summer", "around easter").
_occasion = re.compile(
    # Not "in the summer": that is more often a habit ("in the summer I burn") than a date.
    # "in early summer", "in the late spring": a part of a season is a date (its end: the most recent).
    r"\b(?:(?:last|over|at|around|about|since|(?:just |right |shortly )?(?:before|after)|on) "
    # "chemo finished in the spring": an end in a season is a date, not a habit
    r"|(?:finished|ended|stopped|completed|came off|quit|done|back) (?:in|during|over|at) "
    # "the last one in the spring", "had it done in the summer": a treatment's time, not a habit
    r"|(?:the last one|last one|the last session|last session|last time|last treatment|had it|had them"
    r"|had one|had mine|had it done|got it done) (?:in|during|over) "
    r"|(?:in |during )?(?:the )?(?:early|late|mid)(?:[ -]| in the )"
    r"|(?:in|during) the (?:early|late|middle of) )(?:the )?"
    r"(?P<when>summer|winter|spring|autumn|fall|easter|christmas|xmas|new year|new year'?s|halloween"
    r"|bonfire night|guy fawkes|valentine'?s(?: day)?|st patrick'?s(?: day)?|thanksgiving|diwali)\b",
    re.IGNORECASE,
)
_NOT_SINCE = re.compile(r"\b(?:for|every|in|within|per|each|next|after)\s+$", re.IGNORECASE)
# "haven't had botox since 2019": with a denial before it, "since" dates the last one (not "since 2020"
# alone, which is ongoing).
_denied_since_year = re.compile(
    r"\b(?:haven'?t|havent|have not|hasn'?t|hasnt|has not|not|no|never|none|nothing)\b[^.;!?]{0,40}?"
    r"\b(?P<span>since\s+(?:(?P<month>" + _MONTH_NAMES + r")\s+(?:of\s+)?)?(?P<year>(?:19|20)\d\d))\b",
    re.IGNORECASE,
)
# "it will be 4 months on Friday": the weekday is when the span is reached, not a time since.
_UNIT_BEFORE = re.compile(r"\b(?:days?|weeks?|wks?|months?|mths?|years?|yrs?)\s+$", re.IGNORECASE)


@dataclass(frozen=True)
class TimeSpan:
    start: int
    end: int
    text: str
    days: float | None


def number_value(text: str) -> float | None:
    """A number written in digits or words ("5", "2,5", "five"), or None."""
    text = text.lower().strip()
    if text in NUMBER_WORDS:
        return float(NUMBER_WORDS[text])
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


_ORDINALS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
    "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
).split()
DAY_WORDS = {word: i for i, word in enumerate(_ORDINALS, 1)}
DAY_WORDS.update({f"twenty[- ]?{word}": 20 + i for i, word in enumerate(_ORDINALS[:9], 1)})
DAY_WORDS.update({"thirtieth": 30, "thirty[- ]?first": 31})
_DAY = r"(?:\d{1,2}(?:st|nd|rd|th)?|" + "|".join(sorted(DAY_WORDS, key=len, reverse=True)) + ")"
# A day of a month ("on the first of October", "3rd March", "October 12th"): the most recent such date.
_day_of_month = re.compile(
    r"\b(?:(?:the\s+)?(?P<day>" + _DAY + r")\s+(?:of\s+)?(?P<month>" + _MONTH_NAMES + r")"
    r"|(?P<month2>" + _MONTH_NAMES + r")\s+(?:the\s+)?(?P<day2>" + _DAY + r"))\b"
    r"(?!\s*(?:years?|months?|weeks?|days?))",
    re.IGNORECASE,
)


# A date in figures, read day first as in the UK ("on 15/10", "since 3.9.2026"). Said after "on", "since"
# or "from", or with its year: "pain 5/10" is a score, not the fifth of October.
_numeric_date = re.compile(
    r"\b(?:(?:on|since|from|dated|done|had it) (?P<d>\d{1,2})[/.](?P<m>\d{1,2})(?:[/.](?P<y>(?:20)?\d\d))?"
    r"|(?P<d2>\d{1,2})[/.](?P<m2>\d{1,2})[/.](?P<y2>(?:20)?\d\d))\b",
    re.IGNORECASE,
)


def _numeric_date_days(match: re.Match, today: dt.date) -> float | None:
    day, month = int(match.group("d") or match.group("d2")), int(match.group("m") or match.group("m2"))
    year_text = match.group("y") or match.group("y2")
    if not 1 <= month <= 12:
        return None
    if year_text:
        year = int(year_text) + (2000 if len(year_text) == 2 else 0)
        try:
            date = dt.date(year, month, day)
        except ValueError:
            return None
        return float((today - date).days) if date <= today else None
    return _date_days(month, day, today)


def _day_number(word: str) -> int | None:
    digits = re.match(r"\d+", word)
    if digits:
        return int(digits.group())
    word = word.lower()
    return next((n for pattern, n in DAY_WORDS.items() if re.fullmatch(pattern, word)), None)


def _date_days(month: int, day: int, today: dt.date) -> float | None:
    """Days since the most recent `day` of `month` on or before today; None for a date that is not one."""
    for year in (today.year, today.year - 1):
        try:
            date = dt.date(year, month, day)
        except ValueError:
            return None
        if date <= today:
            return float((today - date).days)
    return None


def _month_days(month: int, today: dt.date, part: str | None = None) -> float:
    """Days since the END of the most recent such month, or of the part of it said ("mid October": the
    20th): the most recent reading, so a waiting period is never judged over too soon."""
    year = today.year if month <= today.month else today.year - 1
    month_end = calendar.monthrange(year, month)[1]
    last_day = dt.date(year, month, min(PART_ENDS.get((part or "").lower(), month_end), month_end))
    return float(max((today - last_day).days, 0))


def _year_days(year: int, month: int | None, today: dt.date) -> float | None:
    """Days since the end of that month of that year (or of the year); 0 when it has not ended yet."""
    if year > today.year:
        return None
    last_month = month or 12
    end = dt.date(year, last_month, calendar.monthrange(year, last_month)[1])
    return float(max((today - end).days, 0))


def _easter(year: int) -> dt.date:
    """Gregorian Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    weekday = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday) // 451
    n = h + weekday - 7 * m + 114
    return dt.date(year, n // 31, n % 31 + 1)


# Fixed-date holidays (month, day). Movable ones take a typical date: the most recent reading errs short.
HOLIDAYS = {
    "halloween": (10, 31),
    "bonfire night": (11, 5),
    "valentine": (2, 14),
    "st patrick": (3, 17),
    "thanksgiving": (11, 22),
    "diwali": (11, 1),
}


def _occasion_days(when: str, today: dt.date) -> float:
    """Days since the most recent end of the season, or the most recent day of the holiday."""
    when = (
        when.lower()
        .replace("'s", "")
        .replace("xmas", "christmas")
        .replace(" day", "")
        .replace("guy fawkes", "bonfire night")
    )
    when = {"valentines": "valentine", "st patricks": "st patrick"}.get(when, when)
    ends = {"summer": (8, 31), "autumn": (11, 30), "fall": (11, 30), "winter": (2, 28), "spring": (5, 31)}

    def on(year: int) -> dt.date:
        if when == "easter":
            return _easter(year)
        if when == "christmas":
            return dt.date(year, 12, 25)
        if when == "new year":
            return dt.date(year, 1, 1)
        if when in HOLIDAYS:
            return dt.date(year, *HOLIDAYS[when])
        return dt.date(year, *ends[when])

    day = on(today.year) if on(today.year) <= today else on(today.year - 1)
    return float((today - day).days)


_when_i_was = re.compile(r"\b(?:when|back when) (?:i|she|he) (?:was|were) (?P<age>\d{1,2})\b", re.IGNORECASE)
_age_now = re.compile(
    r"\b(?:i'?m|im|i am|now i'?m|she'?s|he'?s) (?P<age>\d{1,2})(?: now| these days| this year)\b"
    r"|\bnow (?:i'?m|im|i am) (?P<age2>\d{1,2})\b",
    re.IGNORECASE,
)


def find_time_spans(text: str, today: dt.date | None = None) -> List[TimeSpan]:
    """Every time span in the text, with days since it (None when the words give no number)."""
    today = today or dt.date.today()
    found: List[TimeSpan] = []

    def add(match: re.Match, days: float | None, group: int | str = 0) -> None:
        start, end = match.span(group)
        if any(s.start < end and start < s.end for s in found):
            return
        found.append(TimeSpan(start, end, match.group(group), days))

    for match in _part_of_month.finditer(text):
        days = _part_of_month_days(match.group("part"), match.group("which"), today)
        if days is not None:
            add(match, days)
    for match in _in_year.finditer(text):
        month = match.group("month") and (MONTHS.get(match.group("month").lower()) or 5)  # 5: "may"
        add(match, _year_days(int(match.group("year")), month or None, today))
    for match in _denied_since_year.finditer(text):
        month = match.group("month") and (MONTHS.get(match.group("month").lower()) or 5)
        add(match, _year_days(int(match.group("year")), month or None, today), "span")
    for match in _span.finditer(text):
        # "for 2 years", "every 2 weeks", "in 2 weeks" are durations or plans, not a time since.
        if _NOT_SINCE.search(text[: match.start()]):
            continue
        # "once a month", "10 a day" are frequencies: "a"/"an" count only as "a month ago".
        said_ago = re.search(r"(ago|back|before|earlier|prior)$", match.group(0), re.IGNORECASE)
        # ...but "over a year", "about a month" measure a time ("once a year" does not).
        measured = _ABOUT_BEFORE.search(text[: match.start()]) or _ABOUT_BEFORE.search(
            match.group(0)[: match.start("num") - match.start()]
        )
        if match.group("num").lower() in ("a", "an") and not (said_ago or measured):
            continue
        number = number_value(match.group("num"))
        unit = UNIT_WORDS[match.group("unit").lower()]
        # A bare single letter unit ("3 m") is too ambiguous unless digits precede it directly.
        if len(match.group("unit")) == 1 and not re.match(r"\d", match.group("num")):
            continue
        if number is not None:
            add(match, number * UNIT_DAYS[unit])
    for match in _bare_unit.finditer(text):
        add(match, float(UNIT_DAYS[match.group("unit").split()[-1].lower()]))
    for match in _unit_then_number.finditer(text):
        number = number_value(match.group("num"))
        if number is not None:
            add(match, number * UNIT_DAYS[UNIT_WORDS[match.group("unit").lower()]])
    # "years ago" is at least one year; "months ago" at least two months: the most recent reading.
    for match in [*_long_ago_in_units.finditer(text), *_vague_plural.finditer(text)]:
        add(match, _VAGUE_UNIT_DAYS[match.group("unit").lower()])
    for match in _last.finditer(text):
        said = (match.group("unit") or match.group("unit2")).lower()
        unit = {"wk": "week", "mth": "month", "mnth": "month", "yr": "year"}.get(said, said)
        if unit == "weekend":
            add(match, float(max(today.weekday() - 6, 0) + (today.weekday() + 1)))
        elif unit == "week":
            add(match, 7.0)
        elif unit == "month":
            # "last month" ended when this one began: the most recent reading.
            add(match, float(today.day))
        else:
            add(match, float(today.timetuple().tm_yday))
    for match in _before_last.finditer(text):
        unit = match.group("unit").lower()
        if unit == "week":
            add(match, 14.0)
        elif unit == "month":
            add(match, float(today.day) + 30.0)
        elif unit == "year":
            add(match, float(today.timetuple().tm_yday) + 365.0)
        else:
            add(match, _occasion_days(unit, today) + 365.0)  # the most recent one, then a year more
    for match in _long_ago.finditer(text):
        add(match, None)
    for match in _yesterday.finditer(text):
        word = match.group("word").lower()
        days = {"yesterday": 1.0, "today": 0.0, "this morning": 0.0, "day before yesterday": 2.0}.get(word)
        add(match, days)  # "the other day": no number, so the bot asks
    for match in _and_a_half.finditer(text):
        number = number_value(match.group("num")) if match.group("num").lower() not in ("a", "an") else 1.0
        if number is not None:
            # "a month and a bit": a little over (a quarter of the unit more, the most recent reading)
            more = 0.5 if match.group("part").lower() == "half" else 0.25
            add(match, (number + more) * UNIT_DAYS[UNIT_WORDS[match.group("unit").lower()]])
    for match in _weekday.finditer(text):
        if (
            match.group("which")
            and match.group("which").lower() == "on"
            and _UNIT_BEFORE.search(text[: match.start()])
        ):
            continue
        if match.group("day"):
            back = (today.weekday() - WEEKDAYS[match.group("day").lower()]) % 7
            a_week = match.group("which").lower() in ("last", "past", "this past")
            add(match, float(back or (7 if a_week else 0)))
        elif match.group("day2"):
            add(match, float((today.weekday() - WEEKDAYS[match.group("day2").lower()]) % 7 or 7))
        else:
            day = (match.group("day3") or match.group("day4")).lower()
            add(match, float(((today.weekday() - WEEKDAYS[day]) % 7 or 7) + 7))
    for match in _clinical.finditer(text):
        unit_days = 7 if match.group("weeks") else {"7": 1, "12": 30}[match.group("unit")]
        add(match, float(int(match.group("num")) * unit_days))
    for match in _day_of_this_month.finditer(text):
        day = int(match.group("day"))
        if 1 <= day <= 31:
            back = today.day - day
            if back < 0:
                previous_end = today.replace(day=1) - dt.timedelta(days=1)
                back = (today - previous_end.replace(day=min(day, previous_end.day))).days
            add(match, float(back))
    for match in _start_of_year.finditer(text):
        add(match, float(today.timetuple().tm_yday - 1))
    for match in _occasion.finditer(text):
        add(match, _occasion_days(match.group("when"), today))
    for match in _day_of_month.finditer(text):
        month = MONTHS.get((match.group("month") or match.group("month2")).lower()) or 5
        day = _day_number(match.group("day") or match.group("day2"))
        if day is not None:
            add(match, _date_days(month, day, today))
    for match in _numeric_date.finditer(text):
        add(match, _numeric_date_days(match, today))
    for match in _in_month.finditer(text):
        month = MONTHS.get(match.group("month").lower()) or 5
        add(match, _month_days(month, today, match.group("part")))
    # "when I was 17, I'm 34 now": the years between the two ages, less one (17 and a half then, 34 just
    # now): the most recent the words allow.
    now = _age_now.search(text)
    for match in _when_i_was.finditer(text):
        if now is not None:
            years = int(now.group("age") or now.group("age2")) - int(match.group("age"))
            if 0 < years < 100:
                add(match, float(years * 365 - 364))
    return sorted(found, key=lambda s: s.start)


def days_from_text(text: str, today: dt.date | None = None) -> float | None:
    """The most recent time span's days in the text, or None when nothing gives a number."""
    days = [s.days for s in find_time_spans(text, today) if s.days is not None]
    return min(days) if days else None
