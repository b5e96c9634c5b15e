"""The linear text models' direct scorer (bot/nlu/linear_text_model.py) gives scikit-learn's own
probabilities."""

import numpy
import yaml
from sklearn.linear_model import LogisticRegression

from bot import DATA_DIR
from bot.nlu import linear_text_model, red_flag_model


def _texts():
    texts = ["", "   ", "ok", "qzx vvv", "MY LIPS ARE SWELLING!!!", "café naïve 😊 ünïcode"]
    for path in sorted((DATA_DIR / "safety").glob("dev_*.yml"))[:3]:
        data = yaml.safe_load(path.read_text())
        texts += [t for values in data["red_flags"].values() for t in values]
        texts += list(data["lookalikes"].values())[0] if isinstance(data["lookalikes"], dict) else []
    return texts


def test_the_direct_scorer_matches_the_pipeline_on_every_text():
    reader = red_flag_model.load()
    assert reader._scorer.exact
    texts = _texts()
    assert len(texts) > 300
    expected = numpy.array([reader._model.predict_proba([t])[0] for t in texts])
    found = numpy.array([reader.probabilities(t) for t in texts])
    assert numpy.abs(expected - found).max() < 1e-9


def test_a_model_the_scorer_cannot_mirror_is_left_to_scikit_learn():
    texts = ["my face is drooping", "lips swelling fast", "what does it cost", "hello there"] * 3
    labels = ["facial_droop", "allergic_reaction", "none", "none"] * 3
    model = linear_text_model.fit(texts, labels)
    model.steps[-1] = (
        "logisticregression",
        LogisticRegression(multi_class="ovr").fit(model.steps[0][1].transform(texts), labels),
    )
    reader = red_flag_model.RedFlagModel(model)
    assert not reader._scorer.exact
    assert numpy.allclose(
        reader.probabilities("my face is drooping"), model.predict_proba(["my face is drooping"])[0]
    )
