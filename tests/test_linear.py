"""The exported classifier scores exactly as the scikit-learn pipeline it came from."""

from __future__ import annotations

import numpy as np
import pytest

from intents import catalogue, classifier
from intents.linear import LinearModel, char_wb_ngrams, word_ngrams
from intents.matcher import MODEL_FILE

ODD = [
    "",
    "   ",
    "a",
    "ik  heb\tschulden",
    "HULP bij Huishouden!!",
    "é ü ß 🙂",
    "zork zork zork",
    "mijn moeder kan niet meer douchen en ik ben op",
    "3563 AB",
]


@pytest.fixture(scope="module")
def fitted(assistant):
    """A small two-view model trained on three intents (quick, and not the build's model)."""
    picked = {"geldzorgen", "eenzaamheid", "huishoudelijke_hulp"}
    examples = [(t, label) for t, label in catalogue.examples(catalogue.load()) if label in picked]
    texts, labels = zip(*examples)
    inputs, _ = assistant.matcher._inputs(list(texts))
    return classifier.train(inputs, list(labels), calibrate=False), inputs


def test_exported_scores_equal_the_sklearn_pipeline(fitted, assistant):
    model, train_inputs = fitted
    inputs = train_inputs[:20] + assistant.matcher._inputs(ODD)[0] + [(t, t) for t in ODD]
    exported = model.export()
    assert np.allclose(exported.decision_function(inputs), model.model.decision_function(inputs))
    assert np.allclose(exported.proba(inputs), model.proba(inputs))


def test_export_survives_save_and_load(fitted, tmp_path):
    model, inputs = fitted
    model.export().save(tmp_path / "m.npz")
    loaded = LinearModel.load(tmp_path / "m.npz")
    assert loaded.classes == model.classes
    assert np.allclose(loaded.proba(inputs[:10]), model.proba(inputs[:10]))


def test_the_build_serves_the_exported_model(build_dir, assistant):
    assert (build_dir / MODEL_FILE).exists()
    assert isinstance(assistant.matcher.model, LinearModel)


@pytest.mark.parametrize("text", ODD + ["a bb ccc dddd eeeee ffffff"])
def test_tokenisers_match_scikit_learn(text):
    from sklearn.feature_extraction.text import TfidfVectorizer

    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5)).build_analyzer()
    words = TfidfVectorizer(ngram_range=(1, 2), token_pattern=r"\S+").build_analyzer()
    assert sorted(char_wb_ngrams(text.lower(), 3, 5)) == sorted(chars(text))
    assert sorted(word_ngrams(text.lower(), r"\S+", 1, 2)) == sorted(words(text))


def test_export_of_a_two_class_model(assistant):
    examples = [
        (t, label) for t, label in catalogue.examples(catalogue.load()) if label in {"geldzorgen", "eenzaamheid"}
    ]
    texts, labels = zip(*examples)
    inputs, _ = assistant.matcher._inputs(list(texts))
    model = classifier.train(inputs, list(labels), calibrate=False)
    assert np.allclose(model.export().proba(inputs), model.model.predict_proba(inputs))
