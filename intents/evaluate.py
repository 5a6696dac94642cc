"""Measure intent recognition: accuracy, per-intent P/R/F1, confusions, out-of-scope and crisis."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypedDict, TypeVar

import numpy as np
from sklearn.model_selection import StratifiedKFold

from . import catalogue, classifier
from .veiligheid import Verdict

OOS = "buiten_bereik"
T = TypeVar("T")
Predictor = Callable[[str], str]  # a message -> the intent it is taken for


class Metrics(TypedDict):
    precision: float
    recall: float
    f1: float
    support: int


class Summary(TypedDict):
    naam: str
    accuracy: float
    buiten_bereik_precision: float
    buiten_bereik_recall: float
    crisis_recall: float
    onterecht_crisis: int
    ms_per_bericht: float
    n: int


def crisis_intents() -> frozenset[str]:
    """The crisis intents in intents/data (soort: crisis)."""
    return frozenset(iid for iid, soort in catalogue.kinds().items() if soort == "crisis")


@dataclass
class Report:
    name: str
    gold: list[str]
    predicted: list[str]
    ms_per_message: float = 0.0
    per_intent: dict[str, Metrics] = field(default_factory=dict)
    crisis: frozenset[str] = field(default_factory=crisis_intents)

    def __post_init__(self) -> None:
        labels = sorted(set(self.gold) | set(self.predicted))
        for lab in labels:
            tp = sum(g == p == lab for g, p in zip(self.gold, self.predicted))
            fp = sum(p == lab and g != lab for g, p in zip(self.gold, self.predicted))
            fn = sum(g == lab and p != lab for g, p in zip(self.gold, self.predicted))
            prec = tp / (tp + fp) if tp + fp else 0.0
            rec = tp / (tp + fn) if tp + fn else 0.0
            f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
            self.per_intent[lab] = {"precision": prec, "recall": rec, "f1": f1, "support": tp + fn}

    @property
    def accuracy(self) -> float:
        return sum(g == p for g, p in zip(self.gold, self.predicted)) / max(1, len(self.gold))

    @property
    def oos(self) -> Metrics:
        return self.per_intent.get(OOS, {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0})

    @property
    def crisis_recall(self) -> float:
        crisis = [(g, p) for g, p in zip(self.gold, self.predicted) if g in self.crisis]
        return sum(p in self.crisis for _, p in crisis) / len(crisis) if crisis else 1.0

    @property
    def false_crisis(self) -> int:
        return sum(p in self.crisis and g not in self.crisis for g, p in zip(self.gold, self.predicted))

    @property
    def confusions(self) -> list[tuple[str, str, int]]:
        pairs = Counter((g, p) for g, p in zip(self.gold, self.predicted) if g != p)
        return [(g, p, n) for (g, p), n in pairs.most_common()]

    def summary(self) -> Summary:
        return {
            "naam": self.name,
            "accuracy": round(self.accuracy, 4),
            "buiten_bereik_precision": round(self.oos["precision"], 4),
            "buiten_bereik_recall": round(self.oos["recall"], 4),
            "crisis_recall": round(self.crisis_recall, 4),
            "onterecht_crisis": self.false_crisis,
            "ms_per_bericht": round(self.ms_per_message, 3),
            "n": len(self.gold),
        }


def run(name: str, predict: Predictor, texts: Sequence[str], gold: Sequence[str]) -> Report:
    started = time.perf_counter()
    predicted = [predict(t) for t in texts]
    ms = (time.perf_counter() - started) * 1000 / max(1, len(texts))
    return Report(name, list(gold), predicted, ms)


def baseline_predictor(train_texts: list[str], train_labels: list[str]) -> Predictor:
    model = classifier.make_baseline().fit(train_texts, train_labels)

    def predict(text: str) -> str:
        intent: str = model.predict([text])[0]
        return intent

    return predict


def cross_validate(
    texts: list[str], labels: list[str], make_predictor: Callable[[list[str], list[str]], Predictor], folds: int = 5
) -> Report:
    """k-fold cross-validation on the training examples (as `rasa test nlu --cross-validation`)."""
    y = np.array(labels)
    predicted = [""] * len(texts)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=11)
    started = time.perf_counter()
    for train, test in splitter.split(np.zeros(len(y)), y):
        predict = make_predictor([texts[i] for i in train], [labels[i] for i in train])
        for i in test:
            predicted[i] = predict(texts[i])
    ms = (time.perf_counter() - started) * 1000 / len(texts)
    return Report(f"{folds}-fold", list(labels), predicted, ms)


def format_report(report: Report, detail: bool = True) -> str:
    s = report.summary()
    lines = [
        f"== {report.name} ({s['n']} berichten)",
        f"accuracy (top-1)          {s['accuracy']:.1%}",
        f"buiten_bereik precision   {s['buiten_bereik_precision']:.1%}   recall {s['buiten_bereik_recall']:.1%}",
        f"crisis recall             {s['crisis_recall']:.1%}   onterecht crisis: {s['onterecht_crisis']}",
        f"tijd per bericht          {s['ms_per_bericht']:.2f} ms",
    ]
    if detail:
        lines.append(f"\n{'intent':24} {'prec':>6} {'recall':>6} {'f1':>6} {'n':>4}")
        for lab, m in sorted(report.per_intent.items()):
            lines.append(f"{lab:24} {m['precision']:6.2f} {m['recall']:6.2f} {m['f1']:6.2f} {m['support']:4d}")
        if report.confusions:
            lines.append("\nverwarringen (echt -> voorspeld, aantal):")
            lines.extend(f"  {g} -> {p}: {n}" for g, p, n in report.confusions)
    return "\n".join(lines)


# ----------------------------------------------------------------------------- safety
SAFETY_CATEGORIES = ("self", "other", "professional", "english")


@dataclass
class SafetyCase:
    text: str
    crisis: bool
    kind: str | None
    category: str
    explicit: bool | None = None


def _of_kind(kind: str) -> Callable[[SafetyCase], bool]:
    return lambda c: c.kind == kind


def _in_category(category: str) -> Callable[[SafetyCase], bool]:
    return lambda c: c.category == category


@dataclass
class SafetyReport:
    """Crisis recall per kind and per signal category; full-screen alarms and check questions on look-alikes."""

    name: str
    cases: list[SafetyCase]
    levels: list[str | None]  # crisis, check, note or None per case
    kinds: list[str | None]
    ms_per_message: float = 0.0

    def _pairs(self, crisis: bool) -> list[tuple[SafetyCase, str | None, str | None]]:
        return [(c, lvl, k) for c, lvl, k in zip(self.cases, self.levels, self.kinds) if c.crisis == crisis]

    @staticmethod
    def _share(rows: Sequence[T], hit: Callable[[T], bool]) -> tuple[int, int]:
        return sum(1 for r in rows if hit(r)), len(rows)

    def recall(self, select: Callable[[SafetyCase], bool] = lambda c: True) -> tuple[int, int]:
        return self._share([p for p in self._pairs(True) if select(p[0])], lambda p: p[1] in ("crisis", "check"))

    def full_screen(self) -> tuple[int, int]:
        return self._share(self._pairs(False), lambda p: p[1] == "crisis")

    def checks(self) -> tuple[int, int]:
        return self._share(self._pairs(False), lambda p: p[1] == "check")

    def right_kind(self) -> tuple[int, int]:
        found = [p for p in self._pairs(True) if p[1] in ("crisis", "check")]
        return self._share(found, lambda p: p[2] == p[0].kind)

    def missed(self) -> list[SafetyCase]:
        return [c for c, lvl, _ in self._pairs(True) if lvl not in ("crisis", "check")]

    def alarms(self) -> list[tuple[SafetyCase, str]]:
        return [(c, lvl) for c, lvl, _ in self._pairs(False) if lvl in ("crisis", "check")]

    def summary(self) -> dict[str, str | int | float | None]:
        def rate(pair: tuple[int, int]) -> float | None:
            return round(pair[0] / pair[1], 4) if pair[1] else None

        out: dict[str, str | int | float | None] = {
            "naam": self.name,
            "crisis_berichten": len(self._pairs(True)),
            "gewone_berichten": len(self._pairs(False)),
            "recall": rate(self.recall()),
            "recall_expliciet": rate(self.recall(lambda c: c.explicit is True)),
            "recall_impliciet": rate(self.recall(lambda c: c.explicit is False)),
            "volledig_scherm_onterecht": rate(self.full_screen()),
            "controlevraag_onterecht": rate(self.checks()),
            "juiste_soort": rate(self.right_kind()),
            "ms_per_bericht": round(self.ms_per_message, 3),
        }
        for kind in sorted({c.kind for c in self.cases if c.crisis and c.kind}):
            out[f"recall_{kind}"] = rate(self.recall(_of_kind(kind)))
        for cat in SAFETY_CATEGORIES:
            out[f"recall_{cat}"] = rate(self.recall(_in_category(cat)))
        return out


def read_safety_cases(rows: list[dict[str, Any]]) -> list[SafetyCase]:
    return [
        SafetyCase(str(r["text"]), bool(r["crisis"]), r.get("kind"), str(r.get("category", "")), r.get("explicit"))
        for r in rows
    ]


def run_safety(name: str, verdict: Callable[[str], Verdict | None], cases: list[SafetyCase]) -> SafetyReport:
    """`verdict(text)` returns the safety verdict of the configuration under test (or None)."""
    started = time.perf_counter()
    verdicts = [verdict(c.text) for c in cases]
    ms = (time.perf_counter() - started) * 1000 / max(1, len(cases))
    return SafetyReport(
        name, cases, [v.level if v else None for v in verdicts], [v.kind if v else None for v in verdicts], ms
    )


def format_safety(report: SafetyReport, detail: bool = False) -> str:
    def pct(pair: tuple[int, int]) -> str:
        return f"{pair[0] / pair[1]:6.1%} ({pair[0]}/{pair[1]})" if pair[1] else "     -"

    lines = [
        f"== veiligheid: {report.name} ({len(report._pairs(True))} crisisberichten, "
        f"{len(report._pairs(False))} gewone berichten die erop lijken)",
        f"crisis herkend (crisis of controlevraag)  {pct(report.recall())}",
        f"  expliciet                              {pct(report.recall(lambda c: c.explicit is True))}",
        f"  impliciet                              {pct(report.recall(lambda c: c.explicit is False))}",
    ]
    for kind in sorted({c.kind for c in report.cases if c.crisis and c.kind}):
        lines.append(f"  soort {kind:33}{pct(report.recall(_of_kind(kind)))}")
    for cat in SAFETY_CATEGORIES:
        lines.append(f"  categorie {cat:29}{pct(report.recall(_in_category(cat)))}")
    lines += [
        f"juiste soort (nummers) bij herkende crisis {pct(report.right_kind())}",
        f"volledig crisisscherm op gewone berichten {pct(report.full_screen())}",
        f"controlevraag op gewone berichten        {pct(report.checks())}",
        f"tijd per bericht                          {report.ms_per_message:.2f} ms",
    ]
    if detail:
        lines += ["", "gemist:"] + [f"  [{c.kind}/{c.category}] {c.text}" for c in report.missed()]
        lines += ["", "onterecht:"] + [f"  {lvl} [{c.kind}/{c.category}] {c.text}" for c, lvl in report.alarms()]
    return "\n".join(lines)
