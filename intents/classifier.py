"""Intent classifiers: ours and the TF-IDF + logistic regression baseline.

Ours is a linear model over two views of a message: the enriched word
features from the spaCy pipeline (corrected words, lemmas, compound parts,
synonyms) and character n-grams of the normalised text, which survive typos
that correction misses. Probabilities are calibrated with one temperature fitted
on out-of-fold predictions, so 0.8 means right about 80% of the time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray
from scipy.special import softmax
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer

from knowledge.tuning import value

from .linear import Floats, LinearModel, Row, View


def _pick(rows: Sequence[Row], i: int) -> list[str]:
    return [r[i] for r in rows]


def _column(i: int) -> FunctionTransformer:
    return FunctionTransformer(_pick, kw_args={"i": i})


def make_model(c: float | None = None) -> Pipeline:
    """Inputs are (enriched features, normalised text) pairs; `c` defaults to knowledge/tuning.yml."""
    c = value("classifier", "c") if c is None else c
    views = FeatureUnion(
        [
            (
                "woorden",
                Pipeline(
                    [
                        ("kolom", _column(0)),
                        (
                            "tfidf",
                            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"\S+", min_df=1),
                        ),
                    ]
                ),
            ),
            (
                "letters",
                Pipeline(
                    [
                        ("kolom", _column(1)),
                        ("tfidf", TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2)),
                    ]
                ),
            ),
        ]
    )
    return Pipeline([("kenmerken", views), ("lr", LogisticRegression(C=c, max_iter=3000, class_weight="balanced"))])


def make_baseline() -> Pipeline:
    """TF-IDF + logistic regression on the raw text: the yardstick in `eval`."""
    return Pipeline(
        [
            ("tfidf", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
            ("lr", LogisticRegression(C=8.0, max_iter=3000)),
        ]
    )


def fit_temperature(logits: Floats, labels: NDArray[np.intp]) -> float:
    """The temperature that minimises the negative log-likelihood of held-out predictions."""
    from scipy.optimize import minimize_scalar  # training only: keeps start-up fast

    def nll(t: float) -> float:
        p = softmax(logits / t, axis=1)
        loss: float = -np.mean(np.log(p[np.arange(len(labels)), labels] + 1e-12))
        return loss

    return float(minimize_scalar(nll, bounds=(0.05, 20.0), method="bounded").x)


def out_of_fold_logits(
    make: Callable[[], Pipeline], inputs: Sequence[Row], labels: list[str], folds: int = 3, seed: int = 7
) -> tuple[Floats, list[str]]:
    """Decision scores for every example from a model that did not see it."""
    from sklearn.model_selection import StratifiedKFold  # training only

    y = np.array(labels)
    classes = sorted(set(labels))
    logits = np.zeros((len(labels), len(classes)))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train, test in splitter.split(np.zeros(len(y)), y):
        model = make().fit([inputs[i] for i in train], y[train])
        cols = [classes.index(c) for c in model.classes_]
        logits[np.ix_(test, cols)] = model.decision_function([inputs[i] for i in test])
    return logits, classes


class Calibrated:
    """A fitted model plus its temperature."""

    def __init__(self, model: Pipeline, temperature: float):
        self.model = model
        self.temperature = temperature
        self.classes = list(model.classes_)

    def proba(self, inputs: Sequence[Row]) -> Floats:
        p: Floats = softmax(self.model.decision_function(inputs) / self.temperature, axis=1)
        return p

    def export(self) -> LinearModel:
        """The weights of a fitted `make_model` for scoring without scikit-learn."""
        union, lr = self.model.named_steps["kenmerken"], self.model.named_steps["lr"]
        coef, intercept = lr.coef_, lr.intercept_
        if coef.shape[0] == 1:  # two classes: scores (0, z) give the same softmax as sklearn's sigmoid(z)
            coef, intercept = np.vstack([np.zeros_like(coef), coef]), np.array([0.0, intercept[0]])
        views, start = [], 0
        for _, step in union.transformer_list:
            vec = step.named_steps["tfidf"]
            if (
                vec.norm != "l2"
                or not vec.use_idf
                or vec.analyzer not in ("word", "char_wb")
                or vec.strip_accents
                or vec.stop_words
                or vec.preprocessor
                or vec.tokenizer
            ):
                raise ValueError(f"export kent deze TfidfVectorizer-instelling niet: {vec}")
            size = len(vec.vocabulary_)
            views.append(
                View(
                    column=step.named_steps["kolom"].kw_args["i"],
                    analyzer=vec.analyzer,
                    ngram_range=tuple(vec.ngram_range),
                    token_pattern=vec.token_pattern,
                    lowercase=vec.lowercase,
                    sublinear_tf=vec.sublinear_tf,
                    vocabulary={t: int(i) for t, i in vec.vocabulary_.items()},
                    idf=vec.idf_,
                    weights=np.ascontiguousarray(coef[:, start : start + size].T),
                )
            )
            start += size
        return LinearModel(self.classes, views, intercept, self.temperature)


def train(inputs: Sequence[Row], labels: list[str], calibrate: bool = True) -> Calibrated:
    temperature = 1.0
    if calibrate:
        logits, classes = out_of_fold_logits(make_model, inputs, labels)
        temperature = fit_temperature(logits, np.array([classes.index(label) for label in labels]))
    return Calibrated(make_model().fit(inputs, labels), temperature)
