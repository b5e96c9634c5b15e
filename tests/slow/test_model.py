"""The trained model: test stories with --fail-on-prediction-errors, and the held-out NLU figures."""

import asyncio
import concurrent.futures
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot import PROJECT_ROOT

pytestmark = pytest.mark.slow
RASA = str(Path(sys.executable).parent / "rasa")
RESULTS = PROJECT_ROOT / "results"
# Regression floors (issue 3): fail the test command if the language layer gets worse.
MIN_NEGATION_ACCURACY = 0.98
MIN_CONDITION_RECALL = 0.95
MIN_INTENT_ACCURACY = 0.90


def test_every_test_story_is_predicted_exactly(trained_model):
    result = subprocess.run(
        [
            RASA,
            "test",
            "core",
            "--model",
            str(trained_model),
            "--stories",
            "tests/test_stories.yml",
            "--out",
            str(RESULTS / "core"),
            "--fail-on-prediction-errors",
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    report = json.loads((RESULTS / "core" / "story_report.json").read_text())
    assert report["accuracy"] == 1.0


def test_rasa_test_nlu_on_the_held_out_file(trained_model, capsys):
    result = subprocess.run(
        [
            RASA,
            "test",
            "nlu",
            "--model",
            str(trained_model),
            "--nlu",
            "tests/nlu/heldout.yml",
            "--out",
            str(RESULTS / "nlu"),
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    intents = json.loads((RESULTS / "nlu" / "intent_report.json").read_text())
    entities = json.loads((RESULTS / "nlu" / "ClinicalEntityExtractor_report.json").read_text())
    with capsys.disabled():
        print(
            f"\n  rasa test nlu (held-out): intent accuracy {intents['accuracy']:.3f}, "
            f"intent weighted F1 {intents['weighted avg']['f1-score']:.3f}, "
            f"entity weighted F1 (ClinicalEntityExtractor) {entities['weighted avg']['f1-score']:.3f}"
        )
    assert intents["accuracy"] >= MIN_INTENT_ACCURACY


def test_held_out_figures_do_not_regress(trained_model, capsys):
    from bot.tasks.evaluate_nlu import evaluate, print_report

    # In a thread of its own: a browser test's Playwright may own this thread's event loop.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        report = pool.submit(asyncio.run, evaluate(trained_model)).result()
    summary = report.summary()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "nlu-heldout.json").write_text(json.dumps(summary, indent=2))
    with capsys.disabled():
        print()
        print_report(report)
    assert summary["examples"] >= 150
    assert summary["negation_accuracy"] >= MIN_NEGATION_ACCURACY
    assert summary["condition_recall"] >= MIN_CONDITION_RECALL
    assert summary["intent_accuracy"] >= MIN_INTENT_ACCURACY
