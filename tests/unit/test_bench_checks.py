"""The benchmark's reply checks: which replies count as errors, and what its conversations say."""

from pathlib import Path

import yaml

from bench.checks import MOODBOT, QUESTIONS, RESULT, SCREENING, classify, long_conversation
from bot import PROJECT_ROOT


def test_the_never_silent_apology_counts_as_an_error_not_an_answer():
    from bot.channels.safety_net import trouble_text

    assert classify(200, [{"text": trouble_text(None)}]) == "trouble"
    assert (
        classify(200, [{"text": "Here is the next question."}, {"text": trouble_text("demo")}]) == "trouble"
    )


def test_the_domains_fallback_reply_counts_as_an_error():
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
    fallback = domain["responses"]["utter_default"][0]["text"]
    assert classify(200, [{"text": fallback}]) == "fallback"


def test_a_screening_whose_last_turn_brings_no_result_is_an_error():
    thanks = [{"text": "Thanks, let me work that out."}]
    with_result = thanks + [{"custom": {"type": RESULT, "outcome": "likely_suitable"}}]
    assert SCREENING[-1].expect == RESULT
    assert classify(200, thanks, RESULT) == "no result"
    assert classify(200, with_result, RESULT) == ""


def test_http_errors_silence_and_lost_connections_are_errors():
    assert classify(500, [{"text": "x"}]) == "http 500"
    assert classify(200, []) == "empty"
    assert classify(200, None) == "empty"
    assert classify(None, None) == "no answer"
    assert classify(200, [{"text": "Hey! How are you?"}]) == ""


def test_the_moodbot_conversation_must_end_with_its_goodbye():
    assert classify(200, [{"text": "Great, carry on!"}], MOODBOT[-1].expect) == "expected 'Bye'"
    assert classify(200, [{"text": "Bye"}], MOODBOT[-1].expect) == ""


def test_the_long_conversation_screens_then_asks_training_questions():
    turns = long_conversation("screening", 300)
    assert len(turns) == 300
    assert turns[: len(SCREENING)] == list(SCREENING)
    assert {t.text for t in turns[len(SCREENING) :]} == set(QUESTIONS)
    assert len(long_conversation("moodbot", 300)) == 300


def test_the_long_conversations_questions_are_training_sentences():
    # A fallback to them is then a real error, not a hard question.
    examples = (PROJECT_ROOT / "data" / "nlu" / "faq.yml").read_text().lower()
    assert [q for q in QUESTIONS if f"- {q}\n" not in examples] == []


def test_the_benchmark_imports_nothing_from_tests():
    sources = sorted(Path(PROJECT_ROOT / "bench").glob("*.py"))
    assert sources
    offending = [p.name for p in sources if "from tests" in p.read_text() or "import tests" in p.read_text()]
    assert offending == []
