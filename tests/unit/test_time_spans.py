"""Everyday time spans to days, with the most recent reading where words allow a range."""

import datetime as dt

import pytest

from bot.nlu.time_spans import days_from_text, find_time_spans

TODAY = dt.date(2026, 11, 26)


@pytest.mark.parametrize(
    "text,days",
    [
        ("10 days ago", 10),
        ("two weeks ago", 14),
        ("about 3 weeks back", 21),
        ("6 wks", 42),
        ("a couple of months ago", 60),
        ("a fortnight ago", 14),
        ("yesterday", 1),
        ("a week ago", 7),
        ("1.5 months ago", 45),
        ("had lip filler about 3 weeks back", 21),
        ("3wks ago", 21),
        ("last month", 26),  # last month ended 26 days before 26 November
        ("in March", 240),  # end of March 2026 to 26 November 2026
        ("in December", 330),  # December is after November: last year's, ended 330 days ago
    ],
)
def test_time_spans_become_days(text, days):
    assert days_from_text(text, TODAY) == pytest.approx(days)


@pytest.mark.parametrize(
    "text",
    [
        "recently",
        "a while ago",
        "not long ago",
        "I smoke every day",
        "for 2 years",
        "every 2 weeks",
        "in 2 weeks",
        "several weeks ago",
    ],
)
def test_vague_or_not_past_spans_give_no_days(text):
    assert days_from_text(text, TODAY) is None


def test_the_other_day_is_a_span_without_days_so_the_bot_asks():
    spans = find_time_spans("the other day", TODAY)
    assert [(s.text, s.days) for s in spans] == [("the other day", None)]


def test_several_spans_the_most_recent_wins():
    assert days_from_text("botox 2 months ago and filler 10 days ago", TODAY) == 10


def test_spans_report_their_position():
    span = find_time_spans("I had botox 3 weeks ago", TODAY)[0]
    assert "I had botox 3 weeks ago"[span.start : span.end] == "3 weeks ago"


@pytest.mark.parametrize("text", ["i smoke like 10 a day", "i get migraines maybe once a month"])
def test_frequencies_are_not_time_spans(text):
    assert days_from_text(text, TODAY) is None


def test_plural_vague_spans_take_the_most_recent_reading():
    assert days_from_text("nose job years ago", TODAY) == 365
    assert days_from_text("botox months ago", TODAY) == 60


def test_months_seasons_holidays_and_halves_read_as_the_most_recent_time():
    import datetime as dt

    from bot.nlu.time_spans import _easter, find_time_spans

    today = dt.date(2026, 11, 26)
    days = {
        t: [s.days for s in find_time_spans(t, today)]
        for t in ("mid-October", "around easter", "a week and a half ago", "last summer", "around christmas")
    }
    assert days == {
        "mid-October": [37.0],  # its latest day, the 20th
        "around easter": [235.0],
        "a week and a half ago": [10.5],
        "last summer": [87.0],
        "around christmas": [336.0],
    }
    assert [_easter(y) for y in (2024, 2025, 2026)] == [
        dt.date(2024, 3, 31),
        dt.date(2025, 4, 20),
        dt.date(2026, 4, 5),
    ]
    assert find_time_spans("in the summer I burn", today) == []


def test_a_year_reads_as_the_days_since_its_end_and_since_a_year_is_not_a_time_since():
    import datetime as dt

    from bot.nlu.time_spans import find_time_spans

    today = dt.date(2026, 11, 26)
    days = {
        t: [s.days for s in find_time_spans(t, today)]
        for t in (
            "finished chemo in 2018",
            "back in March 2024",
            "in May 2026",
            "botox since 2020",
            "in 2030",
        )  # noqa: E501
    }
    assert days == {
        "finished chemo in 2018": [2887.0],
        "back in March 2024": [970.0],
        "in May 2026": [179.0],
        "botox since 2020": [],
        "in 2030": [None],
    }


def test_a_day_of_the_week_reads_as_the_most_recent_one():
    import datetime as dt

    from bot.nlu.time_spans import find_time_spans

    thursday = dt.date(2026, 11, 26)
    days = {
        t: [s.days for s in find_time_spans(t, thursday)] for t in ("filler last friday", "botox on monday")
    }
    assert days == {"filler last friday": [6.0], "botox on monday": [3.0]}
    assert [s.days for s in find_time_spans("laser last thursday", thursday)] == [7.0]


def test_parts_of_months_and_holidays_read_as_their_most_recent_day():
    import datetime as dt

    from bot.nlu.time_spans import find_time_spans

    thursday = dt.date(2026, 11, 26)
    said = (
        "early this month",
        "mid last month",
        "in the last month",
        "just before halloween",
        "on valentines day",
    )
    days = {t: [s.days for s in find_time_spans(t, thursday)] for t in said}
    assert days == {
        "early this month": [16.0],
        "mid last month": [37.0],
        "in the last month": [0.0],
        "just before halloween": [26.0],
        "on valentines day": [285.0],
    }
    assert [s.days for s in find_time_spans("last month", thursday)] == [26.0]


@pytest.mark.parametrize(
    "text, days",
    [
        ("a face lift on the first of october", 56.0),
        ("botox on 3rd March", 268.0),
        ("filler October 12th", 45.0),
        ("the twenty-first of november", 5.0),
        ("on the 26th of November", 0.0),
        ("the 27th of November", 364.0),  # not yet this year: last year's
    ],
)
def test_a_day_of_a_month_is_the_most_recent_such_date(text, days):
    assert days_from_text(text, dt.date(2026, 11, 26)) == days


def test_a_date_that_does_not_exist_gives_no_number():
    assert days_from_text("on the 30th of February", dt.date(2026, 11, 26)) is None


def test_a_part_of_a_season_is_a_date_and_a_season_alone_is_not():
    assert days_from_text("had my lips done in early summer", TODAY) == 87.0  # summer's end, the most recent
    assert days_from_text("in the summer I burn", TODAY) is None  # a habit, not a date


def test_a_part_of_a_named_month_reads_as_the_latest_day_of_that_part():
    import datetime as dt

    today = dt.date(2026, 11, 27)
    assert days_from_text("fraxel mid October", today) == 38  # the 20th
    assert days_from_text("start of october", today) == 48  # the 10th
    assert days_from_text("late october", today) == 27  # the 31st
    assert days_from_text("in october", today) == 27


def test_a_date_in_figures_reads_day_first_and_a_score_is_no_date():
    import datetime as dt

    today = dt.date(2026, 11, 27)
    assert days_from_text("rhinoplasty on 15/10", today) == 43
    assert days_from_text("botox since 3.9.2026", today) == 85
    assert days_from_text("pain 5/10", today) is None


def test_a_measured_a_year_or_a_month_is_a_time_but_a_frequency_or_less_than_is_not():
    from bot.nlu.time_spans import find_time_spans

    assert [s.days for s in find_time_spans("over a year, I'd say")] == [365.0]
    assert [s.days for s in find_time_spans("about a month")] == [30.0]
    assert find_time_spans("once a year") == []
    # "less than a year" gives no number to count: read as a year it could pass a waiting period wrongly
    assert find_time_spans("less than a year") == []


def test_an_age_then_and_an_age_now_give_the_years_between_at_their_most_recent():
    spans = find_time_spans("used to take accutane when i was 17, i'm 34 now", TODAY)
    assert [s.text for s in spans] == ["when i was 17"]
    assert spans[0].days == pytest.approx(16 * 365 + 1)
    assert find_time_spans("when i was 17 i had botox", TODAY) == []  # no age now: no number


def test_the_one_before_last_is_a_year_or_a_week_before_the_last_one():
    import datetime as dt

    today = dt.date(2026, 11, 27)
    (span,) = find_time_spans("the year before last", today)
    assert span.days == (today - dt.date(2024, 12, 31)).days
    (span,) = find_time_spans("the week before last", today)
    assert span.days == 14
    (span,) = find_time_spans("the summer before last", today)
    assert span.days == (today - dt.date(2025, 8, 31)).days


@pytest.mark.parametrize(
    "text", ["microneedling, the last one in the autumn", "fillers, had them done in the summer"]
)
def test_a_season_said_of_a_treatment_had_is_a_date(text):
    assert days_from_text(text) is not None


def test_a_season_said_as_a_habit_is_still_no_date():
    assert days_from_text("in the winter my skin cracks") is None


def test_a_bare_year_after_like_or_roughly_is_a_date():
    assert days_from_text("had a peel ages ago, like 2018", TODAY) is not None
    assert days_from_text("roughly 2021 I think", TODAY) is not None


@pytest.mark.parametrize(
    "text,days",
    [
        ("botox last thurs", 7),  # 26 November 2026 is a Thursday: a week before
        ("filler weds just gone", 1),
        ("two mondays ago", 10),
        ("BTX 4/52", 28),
        ("stopped it 5/7 ago", 5),
        ("peel 3/12 ago", 90),
        ("laser at the beginning of the year", 329),
        ("a peel end of sept", 57),
    ],
)
def test_short_day_names_clinical_shorthand_and_the_start_of_the_year(text, days):
    assert days_from_text(text, TODAY) == days


def test_a_fraction_over_seven_or_twelve_without_ago_stays_a_date():
    assert days_from_text("on 3/7", TODAY) != 3


@pytest.mark.parametrize(
    "text,days",
    [
        ("no laser since 2020", 2156),  # (1 July 2020 to 26 November 2026: the middle of the year)
        ("it'll be 3 months on tuesday", 90),
        ("haven't had a peel since march 2025", 605),
    ],
)
def test_a_denial_before_since_dates_the_last_one_and_a_span_reached_on_a_day_is_the_span(text, days):
    assert days_from_text(text, TODAY) == days


def test_since_a_year_alone_is_ongoing_and_no_time_since():
    assert days_from_text("botox every few months since 2021", TODAY) is None


def test_a_unit_and_a_bit_is_a_little_over_the_unit():
    assert days_from_text("a month and a bit ago", TODAY) == 37.5


def test_a_vague_long_ago_made_plain_by_its_unit_counts_and_alone_stays_unknown():
    assert days_from_text("lip filler yonks ago, at least years", TODAY) == 365.0
    assert days_from_text("a peel a long time back, probably months", TODAY) == 60.0
    assert days_from_text("a peel a long time back", TODAY) is None


def test_the_unit_said_before_an_unsure_number_counts():
    assert days_from_text("Weeks, about 3", TODAY) == 21.0
    assert days_from_text("months, maybe five", TODAY) == 150.0
    # a range is not one number: asked again
    assert days_from_text("months maybe two or three", TODAY) is None
