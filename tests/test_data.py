"""The data against the contract's contract and Rasa's validator."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot import PROJECT_ROOT

# Warnings Rasa's validator gives for this design, each for a known reason:
# - `faq` is listed in the domain (the contract needs it) and Rasa adds retrieval intents again.
# - `utter_faq` is the retrieval action; answers are composed by action_answer_faq instead.
# - Responses used by custom actions (dispatcher.utter_message(response=...)) are unknown to it.
EXPECTED = [
    re.compile(r"duplicated intents have been found across multiple domain files: faq"),
    re.compile(r"The utterance '(?P<utter>utter_\w+)' is not used in any story or rule"),
]


def used_elsewhere(utter: str) -> bool:
    """Asked by the form (utter_ask_/utter_rephrase_ + a form slot) or named in an action's code."""
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
    form_slots = domain["forms"]["screening_form"]["required_slots"]
    if utter == "utter_faq" or any(utter in (f"utter_ask_{s}", f"utter_rephrase_{s}") for s in form_slots):
        return True
    return any(utter in p.read_text() for p in (PROJECT_ROOT / "actions").glob("*.py"))


@pytest.mark.slow
def test_rasa_data_validate_is_clean_apart_from_known_warnings():
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "rasa"),
            "data",
            "validate",
            "--domain",
            "domain.yml",
            "--data",
            "data/nlu",
            "data/rules",
            "data/stories",
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "SQLALCHEMY_SILENCE_UBER_WARNING": "1"},
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    unexpected = []
    for line in output.splitlines():
        if "UserWarning" not in line and "WARNING" not in line:
            continue
        match = next((m for m in (p.search(line) for p in EXPECTED) if m), None)
        if match is None or ("utter" in match.groupdict() and not used_elsewhere(match["utter"])):
            unexpected.append(line)
    assert not unexpected, "\n".join(unexpected)


def test_the_held_out_file_is_apart_from_the_training_data_and_lexicon():
    from tests.overlap import NearIndex, lexicon_terms, nlu_examples

    training = NearIndex(
        nlu_examples(sorted((PROJECT_ROOT / "data" / "nlu").glob("*.yml")))
        + lexicon_terms(PROJECT_ROOT / "data" / "lexicon")
    )
    held_out = nlu_examples([PROJECT_ROOT / "tests" / "nlu" / "heldout.yml"])
    near = [example for example in held_out if training.near(example)]
    assert len(held_out) >= 300
    # Count only: printing them would show the held-out utterances to whoever is tuning the data.
    # len(), not the list: pytest would print a failing list's contents.
    assert len(near) == 0, f"{len(near)} held-out utterances are near training data or the lexicon"


def test_the_held_out_file_is_apart_from_the_intent_development_files():
    from tests.overlap import NearIndex, nlu_examples

    dev_files = sorted((PROJECT_ROOT / "data" / "dev").glob("intents_dev*.yml"))
    assert len(dev_files) >= 4
    index = NearIndex(
        [
            text
            for path in dev_files
            for texts in yaml.safe_load(path.read_text(encoding="utf-8"))["intents"].values()
            for text in texts
        ]
    )
    held_out = nlu_examples([PROJECT_ROOT / "tests" / "nlu" / "heldout.yml"])
    near = [example for example in held_out if index.near(example)]
    # Count only: the held-out utterances are not to be read while tuning.
    assert len(index.full) >= 500
    assert len(near) == 0, f"{len(near)} held-out utterances are near the dev files"


def test_the_held_out_file_is_apart_from_the_entity_development_files():
    from tests.overlap import NearIndex, nlu_examples

    dev_files = sorted((PROJECT_ROOT / "data" / "dev").glob("entities_dev*.yml"))
    assert len(dev_files) >= 2
    index = NearIndex(nlu_examples(dev_files))
    held_out = nlu_examples([PROJECT_ROOT / "tests" / "nlu" / "heldout.yml"])
    near = [example for example in held_out if index.near(example)]
    assert len(index.full) >= 500
    assert len(near) == 0, f"{len(near)} held-out utterances are near the entity dev files"


def test_the_typed_test_conversations_are_apart_from_the_development_conversations():
    from tests.overlap import NearIndex

    def turns(paths):
        # Short turns ("yes", "dry", "none") are the same in any two screenings; four words and up are not.
        return [
            str(turn)
            for path in paths
            for conversation in yaml.safe_load(path.read_text(encoding="utf-8"))["conversations"]
            for turn in conversation["turns"]
            if len(str(turn).split()) >= 4
        ]

    dev = sorted((PROJECT_ROOT / "data" / "dev").glob("conversations_*.yml"))
    assert len(dev) >= 2
    index = NearIndex(turns(dev))
    tests = sorted((PROJECT_ROOT / "tests" / "conversations").glob("*.yml"))
    near = [t for t in turns(tests) if index.near(t)]
    assert len(near) == 0, f"{len(near)} test turns overlap the development conversations"
