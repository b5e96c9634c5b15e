"""Misspelt term-list words are read as the words meant; English words, short words and ambiguous
slips are left alone (bot/nlu/spelling.py)."""

import pytest

from bot.nlu.spelling import Speller, edit_distance, speller


def test_the_distance_counts_a_swap_of_two_neighbours_as_one_edit():
    assert edit_distance("normla", "normal", 2) == 1
    assert edit_distance("acutaine", "accutane", 2) == 2
    assert edit_distance("abcdef", "uvwxyz", 2) == 3  # beyond the limit: limit + 1


@pytest.mark.parametrize(
    "typed, meant",
    [
        ("warferin", "warfarin"),
        ("pacemacker", "pacemaker"),
        ("predisolone", "prednisolone"),
        ("combinaiton", "combination"),
        ("metformine", "metformin"),
    ],
)
def test_a_misspelt_term_is_read_as_the_term(typed, meant):
    assert speller().correct(typed) == meant


@pytest.mark.parametrize("word", ["stressed", "pleased", "winter", "glass", "hello", "wrinkle"])
def test_english_words_are_never_corrected(word):
    assert speller().correct(word) is None


def test_short_words_and_slips_that_could_mean_two_things_are_left_alone():
    toy = Speller({"bridge": frozenset({"condition:a"}), "bridle": frozenset({"condition:b"})}, known=[])
    assert toy.correct("bridbe") is None  # one edit from both, and they mean different things
    toy = Speller({"pregnant": frozenset({"condition:pregnancy"})}, known=[])
    assert toy.correct("preg") is None  # too short to be sure
    assert toy.correct("pregnent") == "pregnant"
    assert toy.correct("qualmish") is None  # nothing near


def test_the_pipeline_finds_a_misspelt_condition_but_keeps_the_typed_text():
    import bot.nlu.spacy_components  # noqa: F401  (registers the components)
    from bot.nlu.build_pipeline import build

    doc = build()("I was on warferin for a clot")
    found = [(e.text, e.label_, e.ent_id_) for e in doc.ents]
    assert ("warferin", "condition", "anticoagulants") in found
