"""The trained intent classifier as a running app uses it: weights scored with numpy alone.

Training needs scikit-learn (intents/classifier.py), but importing it costs most of a
second of start-up. So the build exports what scoring needs (vocabularies, idf,
weights, temperature) into one .npz file, and the app never loads scikit-learn.
The tokenisers below mirror TfidfVectorizer's; a test checks the scores against
the scikit-learn pipeline.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

# One input of a model: a text per column. The intent and safety models read two, the enriched words
# of the spaCy pipeline and the normalised text (intents/matcher.py: features).
Row = Sequence[str]
Floats = NDArray[np.float64]

_WHITE_SPACES = re.compile(r"\s\s+")


def word_ngrams(text: str, token_pattern: str, lo: int, hi: int) -> list[str]:
    tokens = re.findall(token_pattern, text)
    grams = list(tokens) if lo == 1 else []
    for n in range(max(lo, 2), min(hi, len(tokens)) + 1):
        grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return grams


def char_wb_ngrams(text: str, lo: int, hi: int) -> list[str]:
    grams: list[str] = []
    for word in _WHITE_SPACES.sub(" ", text).split():
        word = f" {word} "
        for n in range(lo, hi + 1):
            grams.extend(word[i : i + n] for i in range(max(1, len(word) - n + 1)))
            if len(word) <= n:  # a short word counts once, as in scikit-learn
                break
    return grams


@lru_cache(maxsize=64)  # only reuse within a turn is wanted; long messages make big entries
def term_counts(
    analyzer: str, ngram_range: tuple[int, int], token_pattern: str, lowercase: bool, text: str
) -> Counter[str]:
    """The terms of one text for one view's settings, counted once: the intent model and the safety
    model read the same message with the same settings in the same turn. Callers must not change it."""
    if lowercase:
        text = text.lower()
    lo, hi = ngram_range
    grams = char_wb_ngrams(text, lo, hi) if analyzer == "char_wb" else word_ngrams(text, token_pattern, lo, hi)
    return Counter(grams)


@dataclass
class View:
    """One TF-IDF view of the input (l2-normalised) with its slice of the weights."""

    column: int
    analyzer: str  # "word" or "char_wb"
    ngram_range: tuple[int, int]
    token_pattern: str
    lowercase: bool
    sublinear_tf: bool
    vocabulary: dict[str, int]
    idf: Floats
    weights: Floats  # (terms, classes)

    def terms(self, text: str) -> list[str]:
        return list(term_counts(self.analyzer, self.ngram_range, self.token_pattern, self.lowercase, text).elements())

    def score(self, texts: list[str]) -> Floats:
        """The view's part of the decision function for each text: (texts, classes)."""
        return np.vstack([self._score_one(t) for t in texts]) if texts else np.zeros((0, self.weights.shape[1]))

    def _score_one(self, text: str) -> Floats:
        counts = term_counts(self.analyzer, self.ngram_range, self.token_pattern, self.lowercase, text)
        known = counts.keys() & self.vocabulary.keys()  # set intersection in C, not a Python loop
        if not known:
            return np.zeros(self.weights.shape[1])
        index = np.fromiter(map(self.vocabulary.__getitem__, known), dtype=np.intp, count=len(known))
        tf = np.fromiter(map(counts.__getitem__, known), dtype=np.float64, count=len(known))
        if self.sublinear_tf:
            tf = np.log(tf) + 1.0
        values = tf * self.idf[index]
        values /= np.sqrt(values @ values)
        return values @ self.weights[index]


class LinearModel:
    """Calibrated probabilities of a linear model over TF-IDF views."""

    def __init__(self, classes: list[str], views: list[View], intercept: Floats, temperature: float):
        self.classes = classes
        self.views = views
        self.intercept = intercept
        self.temperature = temperature

    def decision_function(self, inputs: Sequence[Row]) -> Floats:
        return sum(v.score([row[v.column] for row in inputs]) for v in self.views) + self.intercept

    def proba(self, inputs: Sequence[Row]) -> Floats:
        z = self.decision_function(inputs) / self.temperature
        z = np.exp(z - z.max(axis=1, keepdims=True))
        p: Floats = z / z.sum(axis=1, keepdims=True)
        return p

    def save(self, path: Path) -> None:
        meta = {
            "classes": self.classes,
            "temperature": self.temperature,
            "views": [
                {
                    "column": v.column,
                    "analyzer": v.analyzer,
                    "ngram_range": list(v.ngram_range),
                    "token_pattern": v.token_pattern,
                    "lowercase": v.lowercase,
                    "sublinear_tf": v.sublinear_tf,
                    "terms": sorted(v.vocabulary, key=v.vocabulary.__getitem__),
                }
                for v in self.views
            ],
        }
        arrays = {"meta": np.array(json.dumps(meta, ensure_ascii=False)), "intercept": self.intercept}
        for i, v in enumerate(self.views):
            arrays[f"idf_{i}"], arrays[f"weights_{i}"] = v.idf, v.weights
        with open(path, "wb") as fh:
            # numpy's stub lets a ** mapping fill savez's allow_pickle flag; these keys are array names only
            np.savez(fh, **arrays)  # type: ignore[arg-type]

    @classmethod
    def load(cls, path: Path) -> LinearModel:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            views = [
                View(
                    column=m["column"],
                    analyzer=m["analyzer"],
                    ngram_range=tuple(m["ngram_range"]),
                    token_pattern=m["token_pattern"],
                    lowercase=m["lowercase"],
                    sublinear_tf=m["sublinear_tf"],
                    vocabulary={t: i for i, t in enumerate(m["terms"])},
                    idf=data[f"idf_{i}"],
                    weights=data[f"weights_{i}"],
                )
                for i, m in enumerate(meta["views"])
            ]
            return cls(meta["classes"], views, data["intercept"], meta["temperature"])
