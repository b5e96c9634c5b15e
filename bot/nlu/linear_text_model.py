"""A small linear text classifier (TF-IDF n-grams, logistic regression) and a fast way to apply it.

Used by the learned red-flag reader (bot/nlu/red_flag_model.py) and the intent classifier
(bot/nlu/linear_intents.py): both read one short message at a time, where scikit-learn's per-call
checks cost more than the arithmetic.
"""

from __future__ import annotations

from collections import Counter
from typing import Sequence

import numpy as np


def fit(texts: Sequence[str], labels: Sequence[str], c: float = 10.0, min_df: int = 1):
    """TF-IDF over character n-grams within words (misspellings land near what was seen) and over words
    and word pairs, then a balanced logistic regression."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    features = make_union(
        TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 5), min_df=min_df, sublinear_tf=True, lowercase=True
        ),
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, lowercase=True),
    )
    model = make_pipeline(features, LogisticRegression(C=c, max_iter=3000, class_weight="balanced"))
    model.fit(list(texts), list(labels))
    return model


class Scorer:
    """The fitted pipeline's `predict_proba` for one text, without scikit-learn's per-call machinery.

    Why: these models run on almost every message, and a one-text `predict_proba` through the pipeline
    (a FeatureUnion of two TF-IDF vectorizers, then LogisticRegression) took 4.5 ms, about 8 % of the Rasa
    server's busy time under load for the red-flag reader alone (py-spy, docs/performance.md). The same
    vocabulary, idf, sublinear tf, l2 norm, weights and softmax, applied directly, take 0.3 ms; a unit
    test checks the two agree on many texts. A model this does not know how to mirror is left to
    scikit-learn (`exact` is False)."""

    def __init__(self, model) -> None:
        self._model = model
        self.classes = [str(c) for c in model.classes_]
        union, classifier = model.steps[0][1], model.steps[-1][1]
        multinomial = classifier.multi_class == "multinomial" or (
            classifier.multi_class == "auto"
            and len(classifier.classes_) > 2
            and classifier.solver != "liblinear"
        )
        vectorizers = [vectorizer for _, vectorizer in union.transformer_list]
        self.exact = (
            multinomial
            and union.transformer_weights is None
            and all(v.norm == "l2" and v.use_idf and not v.binary for v in vectorizers)
        )
        self._parts = []
        offset = 0
        for vectorizer in vectorizers:
            size = len(vectorizer.vocabulary_)
            weights = np.ascontiguousarray(classifier.coef_[:, offset : offset + size].T)
            self._parts.append(
                (
                    vectorizer.build_analyzer(),
                    vectorizer.vocabulary_,
                    vectorizer.idf_,
                    weights,
                    vectorizer.sublinear_tf,
                )
            )
            offset += size
        self._intercept = classifier.intercept_

    def probabilities(self, text: str) -> np.ndarray:
        """predict_proba([text])[0], in the order of the model's classes_."""
        if not self.exact:
            return self._model.predict_proba([text])[0]
        scores = self._intercept.astype(float)
        for analyse, vocabulary, idf, weights, sublinear in self._parts:
            counts = Counter(i for i in map(vocabulary.get, analyse(text)) if i is not None)
            if not counts:
                continue
            index = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            tf = np.fromiter(counts.values(), dtype=float, count=len(counts))
            if sublinear:
                tf = 1.0 + np.log(tf)
            value = tf * idf[index]
            value /= np.sqrt(np.dot(value, value))
            scores = scores + value @ weights[index]
        scores = np.exp(scores - scores.max())
        return scores / scores.sum()
