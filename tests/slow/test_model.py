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
# Floors on the rebuilt held-out file (written apart from the training data; README, "Language
# figures"): what the model reached when last measured, so they may only go up. The targets are
# higher (entity F1 0.95, negation 1.00) and not met yet; intent accuracy meets its target, 0.97, which is
# now its floor (the linear classifier trains the same model from the same data).
# (A model trained afresh varies by a point or two, hence a small margin below the measured values.)
MIN_NEGATION_ACCURACY = 0.95  # measured 0.965 (0.953 before the answer-style and past readings)
MIN_CONDITION_RECALL = 0.95  # measured 0.980
MIN_ENTITY_F1 = 0.92  # measured 0.936 (0.923 before)
MIN_INTENT_ACCURACY = 0.97  # measured 0.977 (0.959 before answers by their terms; 0.874 at first)


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
        print_report(report, texts=False)  # counts only: the log is read by whoever tunes the data
    assert summary["examples"] >= 150
    assert summary["negation_accuracy"] >= MIN_NEGATION_ACCURACY
    assert summary["condition_recall"] >= MIN_CONDITION_RECALL
    assert summary["entity_micro_f1"] >= MIN_ENTITY_F1
    assert summary["control_confusions"] == 0  # a start never read as a stop, a change never as a restart
    assert summary["intent_accuracy"] >= MIN_INTENT_ACCURACY


def test_rasa_refuses_to_start_when_its_internals_are_not_the_ones_relied_on(trained_model, tmp_path):
    """The version guard runs where Rasa runs: `rasa run` stops at once with the reason."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from bot import PROJECT_ROOT

    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "rasa"),
            "run",
            "--model",
            str(trained_model),
            "--port",
            "0",
            "--credentials",
            "credentials.yml",
            "--endpoints",
            "endpoints.yml",
        ],
        cwd=PROJECT_ROOT,
        env={
            **os.environ,
            "RASA_COMPAT_EXPECTED": "0.0.1",
            "PYTHONPATH": str(PROJECT_ROOT),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'guard.db'}",
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-2000:]
    assert "written for 0.0.1" in output
