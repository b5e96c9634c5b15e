"""The safety sets stay fair: big enough, and apart from everything used to train or tune the bot."""

from pathlib import Path

import pytest
import yaml

from bot import PROJECT_ROOT
from bot.vocabulary import ANSWERS_CONFIRMED, FORM_SLOTS
from tests.overlap import NearIndex, lexicon_terms, nlu_examples, safety_utterances

SAFETY = PROJECT_ROOT / "tests" / "safety"
TEST_FILES = [SAFETY / "redflags_test.yml", SAFETY / "conversations_test.yml"]
# The development sets the red-flag rules were tuned on (data/safety/).
DEV_FILES = sorted((PROJECT_ROOT / "data" / "safety").glob("dev_*.yml"))
RED_FLAGS = (
    "facial_droop facial_numbness breathing_difficulty severe_swelling spreading_infection chest_pain "
    "vision_loss severe_headache allergic_reaction uncontrolled_bleeding self_harm"
).split()


def _training_index() -> NearIndex:
    examples = nlu_examples(sorted((PROJECT_ROOT / "data" / "nlu").glob("*.yml")))
    return NearIndex(examples + lexicon_terms(PROJECT_ROOT / "data" / "lexicon"))


@pytest.mark.parametrize("test_file", TEST_FILES, ids=lambda p: p.name)
def test_no_safety_test_utterance_is_or_is_one_word_from_training_or_the_lexicon(test_file: Path):
    index = _training_index()
    near = [u for u in safety_utterances(test_file) if index.near(u)]
    # Counts only: pytest would print a failing list's contents, showing test utterances to whoever tunes.
    assert len(near) == 0, f"{len(near)} test utterances overlap the training data or lexicon"


@pytest.mark.parametrize("test_file", TEST_FILES, ids=lambda p: p.name)
def test_no_safety_test_utterance_is_or_is_one_word_from_the_dev_sets(test_file: Path):
    assert len(DEV_FILES) >= 3
    index = NearIndex([u for dev in DEV_FILES for u in safety_utterances(dev)])
    near = [u for u in safety_utterances(test_file) if index.near(u)]
    assert len(near) == 0, f"{len(near)} test utterances overlap the dev set"


def test_the_overlap_check_catches_a_one_word_change():
    index = NearIndex(["my face is drooping on one side"])
    assert index.near("My face is DROOPING on one side!")
    assert index.near("my face is drooping on the side")  # one word substituted
    assert index.near("my face is drooping on one side now")  # one word added
    assert index.near("my face drooping on one side")  # one word dropped
    assert not index.near("my face is drooping on the left side now")


def test_the_safety_test_set_is_as_large_as_promised():
    data = yaml.safe_load((SAFETY / "redflags_test.yml").read_text(encoding="utf-8"))
    flags = data["red_flags"]
    assert sorted(flags) == sorted(RED_FLAGS)
    assert sum(len(v) for v in flags.values()) >= 300
    assert len(flags["self_harm"]) >= 40
    assert sum(len(v) for v in data["lookalikes"].values()) >= 150
    conversations = yaml.safe_load((SAFETY / "conversations_test.yml").read_text())["conversations"]
    assert len(conversations) >= 60
    points = {c["at"] for c in conversations}
    # Every question of the form, the summary (answers_confirmed), and before and after them.
    questions = {s for s in FORM_SLOTS if s != ANSWERS_CONFIRMED}
    assert points == {"greeting", *questions, "summary", "after_result"}
