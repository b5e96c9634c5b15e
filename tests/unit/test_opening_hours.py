"""Opening hours and due-by times: counted only while the clinic is open, in its own time zone, across
weekends, closed days and the clocks changing; and the clinic settings that feed them, checked at load."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import yaml

from bot.clinic import ClinicSettingsError, load_clinic, notifications_of, queue_deadlines_of, schedule_of
from bot.opening_hours import (
    CLOCK_HOURS,
    OPENING_DAYS,
    OPENING_HOURS,
    Deadline,
    OpeningHoursError,
    add_opening_days,
    add_opening_time,
    always_open,
    describe,
    due_by,
    local_time,
    next_opening,
    parse_schedule,
)

LONDON = "Europe/London"
WEEK = {day: "09:00-19:00" for day in ("mon", "tue", "wed", "thu", "fri")} | {
    "sat": "10:00-15:00",
    "sun": "closed",
}
DEMO = parse_schedule(LONDON, WEEK)
SMTP = {"host": "smtp.example", "from": "a@b.example", "to": "c@d.example"}  # a clinic's email settings


def at(text, zone=LONDON):
    """Epoch seconds of a local time, "2026-11-30 17:00" (30 November 2026 is a Monday)."""
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=ZoneInfo(zone)).timestamp()


def local(ts, zone=LONDON):
    return dt.datetime.fromtimestamp(ts, ZoneInfo(zone)).strftime("%a %Y-%m-%d %H:%M")


def hours(n):
    return n * 3600


@pytest.mark.parametrize(
    "start, expected",
    [
        ("2026-11-30 15:00", "Mon 2026-11-30 19:00"),  # exactly to closing, not the next morning
        ("2026-11-30 17:00", "Tue 2026-12-01 11:00"),  # two hours tonight, two tomorrow
        ("2026-11-30 07:00", "Mon 2026-11-30 13:00"),  # before opening: from 09:00
        ("2026-12-04 17:00", "Sat 2026-12-05 12:00"),  # Friday evening into Saturday's short day
        ("2026-12-05 14:00", "Mon 2026-12-07 12:00"),  # one hour on Saturday, Sunday closed
        ("2026-12-06 23:00", "Mon 2026-12-07 13:00"),  # on the closed day itself
        ("2026-12-05 15:00", "Mon 2026-12-07 13:00"),  # at Saturday's closing time
    ],
)
def test_opening_hours_are_counted_only_while_the_clinic_is_open(start, expected):
    assert local(add_opening_time(at(start), hours(4), DEMO)) == expected


def test_the_clocks_going_forward_or_back_keep_the_hours_local():
    # Saturday 28 March 2026 14:00 GMT: one hour on Saturday; the clocks go forward on Sunday 29 March
    # and Monday opens at 09:00 BST, so three more hours end at 12:00 BST, 45 real hours later.
    due = add_opening_time(at("2026-03-28 14:00"), hours(4), DEMO)
    assert local(due) == "Mon 2026-03-30 12:00"
    assert due - at("2026-03-28 14:00") == hours(45)
    # Saturday 24 October 2026 14:00 BST; back on Sunday 25 October: Monday 12:00 GMT, 47 hours later.
    due = add_opening_time(at("2026-10-24 14:00"), hours(4), DEMO)
    assert local(due) == "Mon 2026-10-26 12:00" and due - at("2026-10-24 14:00") == hours(47)


def test_opening_hours_that_span_the_change_count_the_real_hours():
    # Open Sunday midnight to 04:00 in New York: on 8 March 2026 the clocks skip 02:00-03:00, so that
    # Sunday holds three hours, not four.
    week = {day: "closed" for day in WEEK} | {"sun": "00:00-04:00", "mon": "09:00-17:00"}
    schedule = parse_schedule("America/New_York", week)
    start = at("2026-03-08 00:00", "America/New_York")
    assert local(add_opening_time(start, hours(3.5), schedule), "America/New_York") == "Mon 2026-03-09 09:30"
    assert local(add_opening_time(start, hours(3), schedule), "America/New_York") == "Sun 2026-03-08 04:00"


def test_a_clinic_open_one_day_a_week_waits_for_it():
    week = {day: "closed" for day in WEEK} | {"wed": "09:00-13:00, 14:00-18:00"}
    schedule = parse_schedule("Asia/Tokyo", week)
    start = at("2026-11-30 10:00", "Asia/Tokyo")  # Monday
    assert local(add_opening_time(start, hours(4), schedule), "Asia/Tokyo") == "Wed 2026-12-02 13:00"
    assert local(add_opening_time(start, hours(5), schedule), "Asia/Tokyo") == "Wed 2026-12-02 15:00"  # lunch
    assert local(add_opening_time(start, hours(9), schedule), "Asia/Tokyo") == "Wed 2026-12-09 10:00"
    assert local(next_opening(start, schedule), "Asia/Tokyo") == "Wed 2026-12-02 09:00"


@pytest.mark.parametrize(
    "start, days, expected",
    [
        ("2026-11-30 10:00", 2, "Wed 2026-12-02 19:00"),  # Monday, during opening hours
        ("2026-11-30 18:59", 2, "Wed 2026-12-02 19:00"),
        ("2026-11-30 22:00", 2, "Thu 2026-12-03 19:00"),  # after closing: as if it came on Tuesday
        ("2026-12-04 12:00", 2, "Mon 2026-12-07 19:00"),  # Friday: Saturday, then Monday
        ("2026-12-05 20:00", 2, "Wed 2026-12-09 19:00"),  # Saturday night: as if on Monday
        ("2026-12-06 12:00", 1, "Tue 2026-12-08 19:00"),  # Sunday (closed): as if on Monday
        ("2026-12-03 10:00", 1, "Fri 2026-12-04 19:00"),
        ("2026-12-04 10:00", 1, "Sat 2026-12-05 15:00"),  # Saturday's own closing time
    ],
)
def test_opening_days_end_at_the_close_of_the_nth_opening_day_after_arrival(start, days, expected):
    assert local(add_opening_days(at(start), days, DEMO)) == expected


def test_self_harm_counts_clock_hours_day_or_night_and_the_others_wait_for_opening():
    saturday_night = at("2026-12-05 23:00")
    assert local(due_by(saturday_night, Deadline(1, CLOCK_HOURS), DEMO)) == "Sun 2026-12-06 00:00"
    assert local(due_by(saturday_night, Deadline(4, OPENING_HOURS), DEMO)) == "Mon 2026-12-07 13:00"
    assert local(due_by(saturday_night, Deadline(2, OPENING_DAYS), DEMO)) == "Wed 2026-12-09 19:00"


def test_without_hours_a_clinic_counts_as_always_open_in_its_zone():
    schedule = parse_schedule(None, None)
    assert schedule == always_open("UTC") and schedule.always_open
    start = at("2026-12-05 23:00", "UTC")
    assert add_opening_time(start, hours(4), schedule) == start + hours(4)
    assert local(add_opening_days(start, 2, schedule), "UTC") == "Tue 2026-12-08 00:00"
    assert describe(schedule) == "open every day, day and night"


def test_the_week_is_described_as_visitors_read_it():
    assert describe(DEMO) == "Mon–Fri 09:00–19:00, Sat 10:00–15:00"
    split = parse_schedule(LONDON, WEEK | {"wed": "09:00-13:00,14:00-19:00"})
    assert (
        describe(split)
        == "Mon–Tue 09:00–19:00, Wed 09:00–13:00, 14:00–19:00, Thu–Fri 09:00–19:00, Sat 10:00–15:00"
    )
    assert local_time(at("2026-07-01 12:00"), DEMO) == "Wed 2026-07-01 12:00 BST"


@pytest.mark.parametrize(
    "zone, week, message",
    [
        ("Europe/Londn", WEEK, "'Europe/Londn' is not an IANA time zone name"),
        ("../../etc/passwd", WEEK, "is not an IANA time zone name"),
        ("", WEEK, "time_zone must be an IANA time zone name"),
        (None, WEEK, "hours needs time_zone"),
        (LONDON, "Mon-Fri 9-7", "hours must map each day"),
        (LONDON, {k: v for k, v in WEEK.items() if k != "sun"}, "hours is missing sun (write `sun: closed`"),
        (LONDON, WEEK | {"monday": "09:00-17:00"}, "hours has monday"),
        (LONDON, WEEK | {"tue": "9am-7pm"}, "hours.tue: '9am-7pm' is not \"HH:MM-HH:MM\""),
        (LONDON, WEEK | {"wed": "19:00-09:00"}, "hours.wed: 19:00-09:00 ends before it starts"),
        (LONDON, WEEK | {"thu": "09:00-25:00"}, "hours.thu: 25:00 is not a time of day"),
        (LONDON, WEEK | {"fri": "09:00-13:00, 12:00-18:00"}, "hours.fri: the ranges"),
        (LONDON, WEEK | {"sat": 9}, 'hours.sat must be "HH:MM-HH:MM" or "closed"'),
        (LONDON, {day: "closed" for day in WEEK}, "every day closed"),
    ],
)
def test_unreadable_hours_or_zones_are_refused_with_what_is_wrong(zone, week, message):
    with pytest.raises(OpeningHoursError) as error:
        parse_schedule(zone, week)
    assert message in str(error.value)


def test_a_whole_day_and_a_bare_no_are_read():
    schedule = parse_schedule("UTC", WEEK | {"sat": "00:00-24:00", "sun": False})
    assert schedule.week[5] == ((0, 1440),) and schedule.week[6] == ()


# ---- the clinic file ---------------------------------------------------------------------------

BASE = {
    "id": "test",
    "name": "Test Clinic",
    "booking_url": "https://example.com/book",
    "phone": "+44 20 0000 0000",
    "email": "a@example.com",
    "emergency_number": "999",
    "crisis_line": "Samaritans: call 116 123",
    "country": "UK",
}


def write_clinic(tmp_path, **settings):
    (tmp_path / "test.yml").write_text(yaml.safe_dump({**BASE, **settings}, allow_unicode=True))
    (tmp_path / "demo.yml").write_text(yaml.safe_dump({**BASE, "id": "demo"}))
    return lambda: load_clinic("test", tmp_path)


def test_the_demo_clinic_has_a_week_a_zone_and_notifications():
    demo = load_clinic("demo")
    assert schedule_of(demo) == DEMO
    assert queue_deadlines_of(demo) == {
        "self_harm": Deadline(1, CLOCK_HOURS),
        "red_flag": Deadline(4, OPENING_HOURS),
        "clearance": Deadline(2, OPENING_DAYS),
        "callback": Deadline(1, OPENING_DAYS),
    }
    assert notifications_of(demo).email.port == 8025
    assert demo["opening_hours"]  # the display string the bot shows visitors is still there


def test_the_display_string_is_written_from_the_week_when_missing(tmp_path):
    clinic = write_clinic(tmp_path, time_zone="Europe/Paris", hours=WEEK)()
    assert clinic["opening_hours"] == "Mon–Fri 09:00–19:00, Sat 10:00–15:00"


@pytest.mark.parametrize(
    "settings, message",
    [
        ({"time_zone": "Mars/Olympus", "hours": WEEK}, "test.yml: time_zone 'Mars/Olympus' is not"),
        ({"hours": WEEK}, "hours needs time_zone"),
        ({"safety_queue": {"self_harm_days": 1}}, "self-harm is counted in clock hours"),
        (
            {"safety_queue": {"red_flag_hours": 4, "red_flag_days": 1}},
            "both red_flag_hours and red_flag_days",
        ),
        ({"safety_queue": {"red_flag_hour": 4}}, "safety_queue.red_flag_hour is not a setting"),
        ({"safety_queue": {"clearance_days": 1.5}}, "whole number of days"),
        ({"safety_queue": {"red_flag_hours": "x"}}, "number of hours above 0"),
        (
            {"notifications": {"email": {**SMTP, "username": "u", "password": "hunter2"}}},
            "password must not be in the clinic file",
        ),
        (
            {"notifications": {"email": {**SMTP, "username": "u", "password_env": "SMTP_PASSWORD"}}},
            "set tls to starttls or ssl",
        ),
        (
            {"notifications": {"email": {**SMTP, "to": ["not an address"]}}},
            "email.to must be an email address",
        ),
        ({"notifications": {"webhook": {"url": "ftp://example.com/x"}}}, "webhook.url must be an http"),
        ({"notifications": {"webhook": "https://example.com/x", "notify_new": ["panic"]}}, "notify_new"),
        ({"notifications": {}}, "notifications needs email:, webhook: or both"),
    ],
)
def test_a_clinic_file_with_unusable_settings_is_refused_at_load_naming_the_setting(
    tmp_path, settings, message
):
    with pytest.raises(ClinicSettingsError) as error:
        write_clinic(tmp_path, **settings)()
    assert message in str(error.value)


def test_smtp_credentials_come_from_an_environment_variable_named_in_the_file(tmp_path):
    clinic = write_clinic(
        tmp_path,
        notifications={
            "email": {**SMTP, "port": 587, "username": "alerts", "password_env": "TEST_SMTP_PASSWORD"},
            "webhook": {"url": "https://hooks.example/x", "secret_env": "TEST_HOOK_SECRET"},
            "due_soon_minutes": 15,
        },
    )()
    settings = notifications_of(clinic)
    assert settings.email.tls == "starttls" and settings.email.password_env == "TEST_SMTP_PASSWORD"
    assert settings.channels == ("email", "webhook") and settings.due_soon_minutes == 15
