"""The safety verdict of one message: crisis, check, note, or nothing.

- crisis: a clear signal, said plainly (not denied, not over, not only talked about);
- check:  a possible signal (a weaker wording, or only the safety model sees danger):
          the numbers are shown together with one direct question;
- note:   the only signals are denied or over: the topic answer plus one calm line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

from knowledge import yamlio

from .patterns import KINDS, Patterns, load_lists
from .scope import Scope

DATA_DIR = Path(__file__).parent
KIND_FILES = ("zelfdoding.yml", "geweld.yml", "noodgeval.yml")
MAX_MATCHES = 48  # per sentence: a 2 000-character run of danger words is judged on its first signals


@dataclass(frozen=True)
class Hit:
    kind: str
    level: str  # crisis or check
    scope: str  # open, negated, past, topic
    label: str
    lang: str

    def asking(self) -> Hit:
        """The same signal, asking the check question instead of showing the full screen."""
        return Hit(self.kind, "check", self.scope, self.label, self.lang)


class VerdictJson(TypedDict):
    level: str
    kind: str
    kinds: list[str]
    about: str
    signal: str


@dataclass
class Verdict:
    level: str  # crisis, check or note
    kind: str  # suicide, violence or emergency: decides the numbers
    kinds: list[str]  # every kind seen at this level, the deciding one first
    about: str  # self, other or professional
    lang: str  # language of the deciding signal
    signal: str  # the rule (kind/group) or "model"

    def to_json(self) -> VerdictJson:
        return {"level": self.level, "kind": self.kind, "kinds": self.kinds, "about": self.about, "signal": self.signal}


class SafetyCheck:
    def __init__(self, patterns: Patterns, scope: Scope, thresholds: dict[str, float]):
        self.patterns = patterns
        self.scope = scope
        self.thresholds = thresholds
        self.intents = patterns.intents  # kind -> crisis intent id
        self.kinds = {v: k for k, v in self.intents.items()}
        self.verdict("ik wil dood maar er is brand en hij slaat me. I want to die")  # RE2 builds its DFA lazily

    @classmethod
    def load(cls, folder: Path = DATA_DIR) -> SafetyCheck:
        thresholds = yamlio.safe_load((folder / "drempels.yml").read_text(encoding="utf-8"))
        lists, denials = load_lists(folder / "lijsten.yml")
        return cls(
            Patterns([folder / f for f in KIND_FILES], lists, denials),
            Scope(folder / "reikwijdte.yml", lists),
            {k: float(v["waarde"]) for k, v in thresholds.items()},
        )

    def sentences(self, text: str) -> list[str]:
        return self.scope.sentences(text)

    def hits(self, sentences: list[str], plains: list[str] | None = None) -> tuple[list[Hit], bool]:
        """Every signal in the sentences with its scope; and whether an idiom was blanked out.
        `plains`: the sentences as `scope.plain` reads them, if known."""
        prepared = self.scope.prepare_all(sentences, plains)
        idiom = any("_" in s.signals for s in prepared)
        matches = [self.patterns.find(s.signals) for s in prepared]
        if not any(matches):
            return [], idiom
        ctx = self.scope.context(prepared)
        found = []
        settled: set[tuple[str, str]] = set()  # (kind, level) already said plainly: more changes nothing
        for i, sentence_matches in enumerate(matches):
            scoped = []
            for m in sentence_matches[:MAX_MATCHES]:
                if (m.rule.kind, m.rule.level) in settled:
                    continue
                own = lambda text, denials, rule=m.rule: self.patterns.denial_is_the_signals_own(rule, text, denials)  # noqa: E731
                scoped.append((m, self.scope.of(ctx, i, m.rule, m.anchors, m.spans, own)))
                if scoped[-1][1] == "open":
                    settled.add((m.rule.kind, m.rule.level))
            for m, scope in scoped:
                if scope == "open":  # a shorter pattern on the same words does not escape a denial
                    scope = next(
                        (other for n, other in scoped if other == "negated" and _overlap(m.spans, n.spans)), scope
                    )
                hit = Hit(m.rule.kind, m.rule.level, "open" if scope == "talked" else scope, m.rule.label, m.rule.lang)
                found.append(hit.asking() if scope == "talked" else hit)
        return found, idiom

    def verdict(
        self,
        text: str,
        corrected: Sequence[str] = (),
        model: dict[str, float] | None = None,
        sentences: list[str] | None = None,
        plain: str | None = None,
        plains: list[str] | None = None,
    ) -> Verdict | None:
        """`corrected`: the sentences again, spelling-corrected; `model`: the safety model's
        probability of each kind for the whole message (None: patterns only); `sentences`: the
        message already split by `self.sentences`; `plain` and `plains`: the message and its sentences
        as `scope.plain` reads them, when the message's analysis has them."""
        sentences = sentences if sentences is not None else self.sentences(text)
        plain = self.scope.plain(text) if plain is None else plain
        hits, idiom = self.hits(sentences, plains)
        if corrected and not hits and not set(" ".join(corrected).split()) <= set(plain.split()):
            hits, _ = self.hits(list(corrected))  # typos can hide a signal ("zelfmort"); never undo a denial
        open_hits = [h for h in hits if h.scope == "open"]
        if open_hits and (
            self.scope.reassured.spans(plain)  # "er is geen gevaar"
            or (model is not None and self._danger(model) < self.thresholds["model_bevestigt"])
        ):
            open_hits = [h.asking() for h in open_hits]  # ask rather than alarm
        for level in ("crisis", "check"):
            decisive = [h for h in open_hits if h.level == level]
            if decisive:
                kinds = _ordered([h.kind for h in decisive])
                kinds += [k for k in _ordered([h.kind for h in open_hits]) if k not in kinds]
                first = next(h for h in decisive if h.kind == kinds[0])
                return Verdict(level, kinds[0], kinds, self.scope.about(plain), first.lang, first.label)
        if hits:
            kinds = _ordered([h.kind for h in hits])
            first = next(h for h in hits if h.kind == kinds[0])
            return Verdict("note", kinds[0], kinds, self.scope.about(plain), first.lang, first.label)
        if len(plain.split()) >= self.thresholds["model_min_woorden"]:
            kind = self._model_kind(model, idiom)
            if kind:
                return Verdict("check", kind, [kind], self.scope.about(plain), "nl", "model")
        return None

    @staticmethod
    def _danger(probs: dict[str, float]) -> float:
        return sum(probs.get(k, 0.0) for k in KINDS)

    def _model_kind(self, model: dict[str, float] | None, idiom: bool = False) -> str | None:
        """The kind the safety model sees, when it is sure enough that there is danger at all.
        Only the whole message counts: on single sentences of a story the model raised far more
        false alarms than it found crises (18 to 1 on the development half)."""
        limit = self.thresholds["model_met_uitdrukking" if idiom else "model_bericht"]
        if model is not None and self._danger(model) >= limit:
            return max(KINDS, key=lambda k: model.get(k, 0.0))
        return None


def _overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> bool:
    return any(x < y2 and y < x2 for x, x2 in a for y, y2 in b)


def _ordered(kinds: list[str]) -> list[str]:
    return sorted(set(kinds), key=KINDS.index)
