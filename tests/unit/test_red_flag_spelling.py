"""Typos of red-flag words are read as the words meant, without reading danger into other words."""

import pytest

from bot.nlu.red_flag_spelling import respell
from bot.nlu.red_flags import find_red_flags, load_rules

KEYS = ("myself", "kill", "die", "suicide", "suicidal", "swollen", "want")


def test_an_unknown_word_one_edit_from_a_key_word_is_read_as_it():
    respelled = respell("i wnat to kil myslef", KEYS)
    assert respelled is not None
    assert respelled.text == "i want to kill myself"


@pytest.mark.parametrize("text", ["the dye ran", "dil toot gaya", "my lisp is worse", "hi there"])
def test_english_words_short_words_and_changed_three_letter_words_are_left_alone(text):
    assert respell(text, KEYS) is None


def test_offsets_in_the_respelled_text_map_back_to_what_was_typed():
    typed = "ok so i wnat to kil myslef now"
    respelled = respell(typed, KEYS)
    start = respelled.text.index("kill myself")
    end = start + len("kill myself")
    assert typed[respelled.original(start) : respelled.original(end)] == "kil myslef"
    assert typed[respelled.original(respelled.text.index("now")) :] == "now"


def test_a_typed_self_harm_statement_is_a_stated_red_flag_with_its_span_in_the_typed_text():
    typed = "honestly i wnat to kil myslef"
    mentions = find_red_flags(typed, load_rules(), model=None)
    assert [(m.code, m.stated) for m in mentions] == [("self_harm", True)]
    assert "kil myslef" in typed[mentions[0].start : mentions[0].end]


def test_a_message_with_nothing_to_respell_finds_nothing_new():
    assert find_red_flags("how many visits would it take", load_rules(), model=None) == []
