"""Intent classifiers: ours and the TF-IDF + logistic regression baseline.

Ours is a linear model over two views of a message: the enriched word
features from the spaCy pipeline (corrected words, lemmas, compound parts,
synonyms) and character n-grams of the normalised text, which survive typos
that correction misses. Probabilities are calibrated with one temperature fitted
on out-of-fold predictions, so 0.8 means right about 80% of the time.
"""
from __future__ import annotations

import numpy as np
from scipy.special import softmax
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer


def _pick(rows, i):
    return [r[i] for r in rows]


def _column(i):
    return FunctionTransformer(_pick, kw_args={"i": i})


def make_model(c: float = 8.0) -> Pipeline:
    """Inputs are (enriched features, normalised text) pairs."""
    views = FeatureUnion([
        ("woorden", Pipeline([("kolom", _column(0)),
                              ("tfidf", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True,
                                                        token_pattern=r"\S+", min_df=1))])),
        ("letters", Pipeline([("kolom", _column(1)),
                              ("tfidf", TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5),
                                                        sublinear_tf=True, min_df=2))])),
    ])
    return Pipeline([("kenmerken", views),
                     ("lr", LogisticRegression(C=c, max_iter=3000, class_weight="balanced"))])


def make_baseline() -> Pipeline:
    """TF-IDF + logistic regression on the raw text: the yardstick in `eval`."""
    return Pipeline([("tfidf", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
                     ("lr", LogisticRegression(C=8.0, max_iter=3000))])


def fit_temperature(logits: np.ndarray, labels: np.ndarray) -> float:
    """The temperature that minimises the negative log-likelihood of held-out predictions."""
    from scipy.optimize import minimize_scalar  # training only: keeps start-up fast

    def nll(t):
        p = softmax(logits / t, axis=1)
        return -np.mean(np.log(p[np.arange(len(labels)), labels] + 1e-12))
    return float(minimize_scalar(nll, bounds=(0.05, 20.0), method="bounded").x)


def out_of_fold_logits(make, inputs: list, labels: list[str], folds: int = 3, seed: int = 7):
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

    def proba(self, inputs: list) -> np.ndarray:
        return softmax(self.decision_function(inputs) / self.temperature, axis=1)

    def decision_function(self, inputs: list) -> np.ndarray:
        """The model's scores. For our two-view model the TF-IDF weights are computed here and
        multiplied by each view's own slice of the weights: the same numbers as the sklearn
        pipeline gives (tested), without its per-call input checks, which were half of a turn."""
        views = self.__dict__.get("_views") or self.__dict__.setdefault("_views", _views(self.model))
        if not views:
            return self.model.decision_function(inputs)
        scores = sum(_tfidf(vec, [row[i] for row in inputs]) @ weights for i, vec, weights in views)
        return np.asarray(scores) + self.model.named_steps["lr"].intercept_

    def __getstate__(self):
        return {k: v for k, v in self.__dict__.items() if k != "_views"}


def _tfidf(vec: TfidfVectorizer, docs: list[str]):
    """TfidfVectorizer.transform for a fitted vectoriser with l2 norm (sklearn's own counting)."""
    counts = vec._count_vocab(docs, fixed_vocab=True)[1].astype(np.float64)
    if vec.sublinear_tf:
        np.log(counts.data, counts.data)
        counts.data += 1.0
    counts.data *= vec.idf_[counts.indices]
    rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
    norms = np.sqrt(np.bincount(rows, weights=counts.data ** 2, minlength=counts.shape[0]))
    counts.data /= np.where(norms == 0, 1.0, norms)[rows]
    return counts


def _views(model: Pipeline) -> list:
    """(input column, vectoriser, weight slice) per view of a fitted `make_model`, or [] for other models."""
    union, lr = model.named_steps.get("kenmerken"), model.named_steps.get("lr")
    if not isinstance(union, FeatureUnion) or lr is None or lr.coef_.shape[0] < 3:
        return []
    if any(view.named_steps["tfidf"].norm != "l2" or not view.named_steps["tfidf"].use_idf
           for _, view in union.transformer_list):
        return []
    views, start = [], 0
    for _, view in union.transformer_list:
        vec = view.named_steps["tfidf"]
        size = len(vec.vocabulary_)
        views.append((view.named_steps["kolom"].kw_args["i"], vec, np.ascontiguousarray(lr.coef_[:, start:start + size].T)))
        start += size
    return views if start == lr.coef_.shape[1] else []


def train(inputs: list, labels: list[str], calibrate: bool = True) -> Calibrated:
    temperature = 1.0
    if calibrate:
        logits, classes = out_of_fold_logits(make_model, inputs, labels)
        temperature = fit_temperature(logits, np.array([classes.index(l) for l in labels]))
    return Calibrated(make_model().fit(inputs, labels), temperature)
