"""A treatment counts only when it was done on the face and has happened (bot/nlu/treatment_scope.py)."""

import pytest

from bot.nlu.treatment_scope import counts


def _counts(text: str, word: str) -> bool:
    at = text.index(word)
    return counts(text, at, at + len(word))


@pytest.mark.parametrize(
    "text, word, expected",
    [
        ("only laser hair removal on my legs last week, nothing on my face", "laser", False),
        ("my first filler appointment is booked for next month", "filler", False),
        ("thinking about getting botox", "botox", False),
        ("laser on my face and legs last week", "laser", True),  # names the face too: it counts
        ("laser on my legs, and botox in my forehead last week", "botox", True),  # its own clause
        ("lip filler top-up due next month, the last one was in May", "filler", True),  # had before
        ("botox last week", "botox", True),
        # considered but never done
        ("wondered about filler for years but never went through with it", "filler", False),
        ("I had botox in March, thought about it for ages first", "botox", True),
    ],
)
def test_a_treatment_counts_when_done_on_the_face_and_already_had(text, word, expected):
    assert _counts(text, word) is expected


def test_the_pipeline_drops_a_treatment_on_the_legs_but_keeps_one_on_the_face():
    import bot.nlu.spacy_components  # noqa: F401  (registers the components)
    from bot.nlu.build_pipeline import build

    nlp = build()

    def treatments(text):
        return [e.ent_id_ for e in nlp(text).ents if e.label_ == "procedure"]

    assert treatments("laser hair removal on my legs last week") == []
    assert treatments("laser on my cheeks last week") == ["laser"]


def test_a_treatment_only_feared_is_not_one_had():
    assert not _counts("i'm afraid fillers would make me look fake", "fillers")
    assert _counts("i'm afraid i had fillers last week", "fillers")


def test_a_treatment_on_the_scalp_or_only_planned_is_no_facial_treatment_had():
    assert not _counts("microneedling on my scalp for thinning hair last month", "microneedling")
    assert not _counts("planning a peel in spring but haven't done it yet", "peel")
    assert _counts("peel last month, I had it done at a salon", "peel")


def test_a_face_named_only_to_deny_it_and_a_list_of_body_parts_stay_elsewhere():
    text = "laser on my legs yesterday - nothing on my face"
    assert not counts(text, 0, 5)
    text = "filler in my cheeks and laser on my legs"
    assert counts(text, 0, 6)
