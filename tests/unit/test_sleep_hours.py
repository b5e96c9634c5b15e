"""Hours of sleep as an answer: six or fewer a night is poor sleep, more is not, and a time since
something is not sleep (bot/nlu/sleep_hours.py)."""

import pytest

from bot.nlu.sleep_hours import find_sleep_hours


@pytest.mark.parametrize(
    "text, hours, poor",
    [
        ("I sleep maybe five hours", 5.0, True),
        ("5-6 hrs a night", 6.0, True),
        ("about four hours kip, if that", 4.0, True),
        ("I get a good 8 hours sleep", 8.0, False),
        ("usually 6 or 7 hours a night", 7.0, False),  # of a range, the larger: only a clearly short night
    ],
)
def test_hours_of_sleep_are_read_by_number(text, hours, poor):
    [found] = find_sleep_hours(text)
    assert (found.hours, found.poor) == (hours, poor)


@pytest.mark.parametrize(
    "text", ["had botox five hours ago", "sleep is fine, botox 3 hours ago", "I walk 2 hours"]
)
def test_a_time_since_or_hours_of_something_else_are_not_sleep(text):
    assert find_sleep_hours(text) == []


def test_the_pipeline_reads_a_short_night_as_poor_sleep_and_a_long_one_as_no_habit():
    import bot.nlu.spacy_components  # noqa: F401  (registers the components)
    from bot.nlu.build_pipeline import build

    nlp = build()
    assert [(e.label_, e.ent_id_) for e in nlp("I sleep maybe five hours").ents] == [("habit", "poor_sleep")]
    assert nlp("I get a good 8 hours sleep").ents == ()
