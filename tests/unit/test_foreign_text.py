"""The English-only net: a message in another script or with several accented letters is foreign."""

import pytest

from bot.foreign_text import looks_foreign


@pytest.mark.parametrize(
    "text",
    ["¿qué me está pasando en la cara?", "nie mogę mówić", "мне плохо", "मुझे दर्द है", "وجهي متورم"],
)
def test_other_languages_are_foreign(text):
    assert looks_foreign(text)


@pytest.mark.parametrize(
    "text",
    ["my face feels strange", "I had a facial at a café", "hmm", "", "1234 !!!", "naive question"],
)
def test_english_is_not(text):
    assert not looks_foreign(text)
