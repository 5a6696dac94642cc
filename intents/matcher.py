"""The intent matcher: ranked intents with calibrated confidences, crisis first."""

from __future__ import annotations

import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

from spacy.language import Language
from spacy.tokens import Doc

from knowledge.locaties import Locatie
from knowledge.search import Synonyms
from knowledge.store import KnowledgeBase, KnowledgeBaseMissing
from knowledge.text import normalise
from knowledge.tuning import value

from . import catalogue, taal
from .bericht import Bericht
from .catalogue import Intent
from .linear import LinearModel
from .pipeline import analyse, analyse_normalised, make_nlp
from .taal import Taalherkenner, load_talen
from .veiligheid import SafetyCheck, Verdict
from .veiligheid import model as safety_model

MODEL_FILE = "matcher.npz"
PROBLEM_CLAUSE = value("matcher", "problem_clause")  # knowledge/tuning.yml says why
# At most this many sentences and clauses get an analysis of their own; the rest of a long message is
# analysed as one part, so a message of many tiny sentences costs what a long story does.
MAX_PARTS = value("matcher", "max_parts")
Features = tuple[str, str]  # the classifier's input: enriched words, normalised text (see `features`)
Ranking = list[tuple[str, float]]  # intents with their probability, most likely first


class Alternative(TypedDict):
    intent: str
    confidence: float


class TrainStats(TypedDict):
    intents: int
    voorbeelden: int
    veiligheid_voorbeelden: int
    temperatuur: float
    seconden: float


@dataclass
class Prediction:
    intent: str
    confidence: float
    ranking: Ranking
    safety: Verdict | None = None
    locatie: Locatie | None = None
    problemen: list[str] = field(default_factory=list)
    taal: str | None = "nl"  # the message's language; None when it cannot be told (a word or two)
    taal_gevraagd: str | None = None  # a language the message asks for ("in English please")
    woorden: list[str] = field(default_factory=list)

    @property
    def crisis(self) -> bool:
        """Danger seen: a full crisis, or the check question with the numbers."""
        return self.safety is not None and self.safety.level in ("crisis", "check")

    @property
    def alternatives(self) -> list[Alternative]:
        """The next intents that are still plausible (a confidence that rounds to 0 is none)."""
        return [{"intent": i, "confidence": round(p, 3)} for i, p in self.ranking[1:4] if round(p, 3) > 0]


class IntentMatcher:
    def __init__(
        self,
        model: LinearModel,
        kb: KnowledgeBase,
        intents: dict[str, Intent] | None = None,
        safety_scores: LinearModel | None = None,
        talen_model: Path | None = None,
    ):
        self.model = model
        self.kb = kb
        self.intents = intents or catalogue.load()
        self.crisis = catalogue.of_kind(self.intents, "crisis")
        self.problems = catalogue.of_kind(self.intents, "probleem")  # several at once -> the buurtteam
        self.nlp = make_nlp(kb.lexicon, Synonyms(kb.synoniemen()))
        self.safety = SafetyCheck.load()
        self.safety_scores = safety_scores
        self.talen = Taalherkenner.from_examples(
            load_talen(),
            ((t, lang) for t, _, lang in catalogue.examples_with_language(self.intents)),
            names(kb),
            talen_model,
        )
        _ = self.talen.identifier  # loaded now (0.1 s), before a server forks its workers, not at a first message

    @classmethod
    def load(cls, build_dir: Path, kb: KnowledgeBase) -> IntentMatcher:
        return cls(
            _load_model(Path(build_dir) / MODEL_FILE),
            kb,
            safety_scores=_load_model(Path(build_dir) / safety_model.MODEL_FILE),
            talen_model=Path(build_dir) / taal.MODEL_FILE,
        )

    def _inputs(
        self, texts: list[str], taal: str = "nl", bericht: Bericht | None = None
    ) -> tuple[list[Features], list[Doc]]:
        """`bericht`: the message the texts are parts of, whose analysis has them folded already."""
        normalised = [bericht.normalised_part(t) if bericht else normalise(t) for t in texts]
        docs = [analyse_normalised(self.nlp, t, taal) for t in normalised]  # each text normalised once
        return list(zip((d._.kenmerken for d in docs), normalised)), docs

    def _ranked(self, inputs: list[Features]) -> list[Ranking]:
        probs = self.model.proba(inputs)
        return [sorted(zip(self.model.classes, map(float, row)), key=lambda x: -x[1]) for row in probs]

    def rank(self, texts: list[str]) -> list[Ranking]:
        return self._ranked(self._inputs(texts)[0])

    def analyse(self, text: str) -> Bericht:
        """The message, to be analysed once for every step of the turn."""
        return Bericht(text, self.safety, self.talen, self.kb.locator)

    def predict(self, message: str | Bericht) -> Prediction:
        bericht = message if isinstance(message, Bericht) else self.analyse(message)
        text, sentences = bericht.text, bericht.sentences
        parts = [text] + (_bounded(sentences) if len(sentences) > 1 else [])
        clauses = _bounded(bericht.clauses) if len(bericht.clauses) >= 2 else []
        # The sentences are read for the safety check only (their corrected words); the intent model
        # scores the whole message and its clauses, in one call.
        taal = bericht.taal
        inputs, docs = self._inputs(parts + clauses, taal or "nl", bericht)
        ranking, *clause_rankings = self._ranked([inputs[0]] + inputs[len(parts) :])
        words = docs[0]._.woorden or []
        pred = Prediction(
            ranking[0][0],
            ranking[0][1],
            ranking,
            woorden=words,
            locatie=bericht.locatie,
            taal=taal,
            taal_gevraagd=bericht.taal_gevraagd,
        )

        corrected = [" ".join(d._.woorden or []) for d in docs[1 : len(parts)]] or [" ".join(words)]
        pred.safety = verdict = self.safety.verdict(
            text, corrected, self._danger_scores(inputs[0]), sentences, bericht.plain, bericht.sentence_plains
        )
        if verdict is not None and pred.crisis:
            intent = self.safety.intents[verdict.kind]
            p = dict(ranking).get(intent, 0.0)
            pred.intent, pred.confidence = intent, max(p, 0.9)
            pred.ranking = [(intent, pred.confidence)] + [r for r in ranking if r[0] != intent]
            return pred

        if pred.intent in self.crisis:
            # No danger seen by the safety check: a crisis answer here would be a false alarm.
            pred.intent, pred.confidence = next((i, p) for i, p in ranking if i not in self.crisis)
        pred.ranking = [r for r in ranking if r[0] not in self.crisis]
        pred.problemen = self._problems(clause_rankings, ranking)
        return pred

    def _danger_scores(self, features: Features) -> dict[str, float] | None:
        """The safety model's probability of each crisis kind for one input."""
        if self.safety_scores is None:
            return None
        return dict(zip(self.safety_scores.classes, map(float, self.safety_scores.proba([features])[0])))

    def _problems(self, clause_rankings: list[Ranking], ranking: Ranking) -> list[str]:
        """Distinct problem topics, each clearly present in its own clause of the message."""
        found: dict[str, float] = {}
        for r in clause_rankings:
            top, p = r[0]
            if top in self.problems and p >= PROBLEM_CLAUSE:
                found[top] = max(p, found.get(top, 0.0))
        whole = dict(ranking)
        return sorted(found, key=lambda i: -whole.get(i, 0.0))


def train(build_dir: Path, kb: KnowledgeBase, intents: dict[str, Intent] | None = None) -> TrainStats:
    """Train the classifier from intents/data and save it into the build."""
    started = time.perf_counter()
    intents = intents or catalogue.load()
    texts, labels, langs = zip(*catalogue.examples_with_language(intents))
    nlp = make_nlp(kb.lexicon, Synonyms(kb.synoniemen()))
    inputs = [features(nlp, t, lang) for t, lang in zip(texts, langs)]
    from . import classifier  # scikit-learn: training only, it costs most of a second to import

    model = classifier.train(inputs, list(labels))
    model.export().save(Path(build_dir) / MODEL_FILE)

    kinds = {v: k for k, v in SafetyCheck.load().intents.items()}
    safe_texts, safe_labels, safe_langs = safety_model.examples(intents, kinds)
    cached = dict(zip(zip(texts, langs), inputs))
    safe_inputs = [cached.get((t, lang)) or features(nlp, t, lang) for t, lang in zip(safe_texts, safe_langs)]
    danger = classifier.train(safe_inputs, safe_labels)
    danger.export().save(Path(build_dir) / safety_model.MODEL_FILE)
    Taalherkenner(load_talen()).save_model(Path(build_dir) / taal.MODEL_FILE)
    return {
        "intents": len(intents),
        "voorbeelden": len(texts),
        "veiligheid_voorbeelden": len(safe_texts),
        "temperatuur": round(model.temperature, 3),
        "seconden": round(time.perf_counter() - started, 1),
    }


def features(nlp: Language, text: str, taal: str = "nl") -> Features:
    """The classifier's input for one text: enriched words, and the normalised text for letter n-grams."""
    return analyse(nlp, text, taal)._.kenmerken, normalise(text)


def names(kb: KnowledgeBase) -> list[str]:
    """Names of services, organisations, places and the glossary's terms ("buurtteam", "Wmo",
    "beschikking"): English speakers here use them too, so they say nothing about the language."""
    organisaties = [o["naam"] for o in kb.organisaties()]
    places = [n.split(" ", 1)[1] for n in organisaties if n.lower().startswith("gemeente ")]  # "Utrecht"
    return (
        [t["term"] for t in kb.woordenlijst()]
        + [v["naam"] for v in kb.voorzieningen()]
        + organisaties
        + places
        + [w["naam"] for w in kb.wijken()]
    )


def _load_model(path: Path) -> LinearModel:
    try:
        return LinearModel.load(path)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise KnowledgeBaseMissing(
            f"Het model {path} ontbreekt of is beschadigd ({type(exc).__name__}). "
            "Maak het opnieuw met: buurtwijzer build"
        ) from None


def _bounded(parts: list[str]) -> list[str]:
    """The first MAX_PARTS parts, and the rest joined into one."""
    if len(parts) <= MAX_PARTS:
        return parts
    return parts[: MAX_PARTS - 1] + [" ".join(parts[MAX_PARTS - 1 :])]
