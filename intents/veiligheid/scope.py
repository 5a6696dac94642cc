"""Where a signal stands: said plainly, denied, over, or only talked about. Cues live in reikwijdte.yml.

A sentence is folded to plain words, with a ";" where the writer paused (comma,
colon, brackets), so that a denial in one clause does not reach into the next.
Idioms ("ik lach me dood") are blanked out before signals are looked for; blanking
keeps every position, so cues are looked for in the same text before blanking.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import re2

from knowledge import yamlio
from knowledge.schema import DataError
from knowledge.text import fold

from .patterns import KINDS, OPTIONS, Rule, compile_one, expand, trim

# Character classes only (no backtracking possible), so the faster stdlib `re` is safe here.
_PAUSE = re.compile('[,;:()\\[\\]"\u201c\u201d\u2013\u2014]+')
_OTHER = re.compile(r"[^a-z0-9'; ]+")
_SPACES = re.compile(r" {2,}")
_QUOTE = re.compile(r"(?<![a-z0-9])'|'(?![a-z0-9])")  # a quote mark, not the apostrophe in "m'n" or "don't"
# Dutch "want" (because) is a sentence break only before a subject: English "want to" is not.
# The group in each alternative is what is cut away between two sentences.
_SENTENCE_END = re2.compile(
    r"([.!?\n]+\s*)|\s(maar|en toen|omdat|dus|but|because)\s"
    r"|\s(want)\s(?:ik|hij|zij|ze|we|wij|je|jij|mijn|m'n|mn|het|er|de|die|dat|dan|zijn|haar)\s"
)
_PAUSE_MARK = re2.compile(";")
_WORDS = re.compile(r"[^ ]+")
Span = tuple[int, int]
# Whether the denial words at these spans belong to the signal itself ("ik wil niet meer leven").
OwnDenial = Callable[[str, list[Span]], bool]


@dataclass
class Sentence:
    cues: str  # plain text, where cues are looked for
    signals: str  # the same with idioms blanked out, where signals are looked for


class Cues:
    """One kind of cue: where it occurs, except inside phrases that only look like it."""

    def __init__(self, found: Sequence[re2._Regexp], not_this: Sequence[re2._Regexp] = ()):
        self.found = _any_of(found)
        self.not_this = _any_of(list(not_this))

    def spans(self, text: str) -> list[tuple[int, int]]:
        if self.found is None:
            return []
        masks = [m.span() for m in self.not_this.finditer(text)] if self.not_this else []
        starts, reach, furthest = [], [], -1  # masks in order of start; the furthest end so far
        for a, b in masks:
            furthest = max(furthest, b)
            starts.append(a)
            reach.append(furthest)
        out = []
        for m in self.found.finditer(text):
            k = bisect.bisect_left(starts, m.end())  # masks that start before this cue ends
            if not (k and reach[k - 1] > m.start()):  # none of them reaches into it
                out.append(trim(text, m.span()))
        return out


def _any_of(regexes: Sequence[re2._Regexp]) -> re2._Regexp | None:
    return re2.compile("|".join(f"(?:{r.pattern})" for r in regexes), OPTIONS) if regexes else None


class Scope:
    def __init__(self, path: Path, lists: dict[str, str] | None = None):
        data = yamlio.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise DataError(path.name, "-", "", "moet een mapping zijn")

        def cues(key: str) -> list[re2._Regexp]:
            value = data.get(key) or []
            if not isinstance(value, list):
                raise DataError(path.name, key, "", "moet een lijst met patronen zijn")
            where = f"{path.name} {key}"
            return [compile_one(expand(p, lists or {}, where), where) for p in value]

        self.idioms = _any_of(cues("uitzonderingen"))
        self.negation = Cues(cues("ontkenning"), cues("geen_ontkenning"))
        self.negation_before = Cues(cues("ontkenning_ervoor"), cues("geen_ontkenning"))
        self.denied_after = Cues(cues("ontkenning_daarna"))
        self.past = {kind: Cues(cues("verleden") + cues(f"verleden_{kind}")) for kind in KINDS}
        self.resolved = {kind: Cues(cues("opgelost") + cues(f"opgelost_{kind}")) for kind in KINDS}
        self.again = Cues(cues("weer"), cues("niet_weer"))
        self.topic = Cues(cues("onderwerp"))
        self.case = Cues(cues("geval"))
        self.no_case = Cues(cues("geen_geval"))
        self.reassured = Cues(cues("gerust"))
        self.boundary = Cues(cues("bijzin"))
        self.condition = Cues(cues("voorwaarde"))
        self.professional = Cues(cues("professional"))
        self.other_person = Cues(cues("ander"))
        windows = data.get("venster") or {}
        self.before = int(windows.get("voor", 5))
        self.after = int(windows.get("na", 4))
        self.past_reach = int(windows.get("verleden", 10))

    # ------------------------------------------------------------ text
    def sentences(self, text: str) -> list[str]:
        """The message in sentences; a long story is judged sentence by sentence."""
        out, pos = [], 0
        for m in _SENTENCE_END.finditer(text):
            cut = next(m.span(g) for g in (1, 2, 3) if m.group(g) is not None)
            out.append(text[pos : cut[0]])
            pos = cut[1]
        out.append(text[pos:])
        return [s for s in out if s.strip()]

    def plain(self, text: str) -> str:
        return self.plain_folded(fold(text))

    def plain_folded(self, folded: str) -> str:
        text = _PAUSE.sub(" ; ", folded)
        return " " + _SPACES.sub(" ", _QUOTE.sub(" ", _OTHER.sub(" ", text))).strip() + " "

    def prepare_all(self, sentences: list[str], plains: list[str] | None = None) -> list[Sentence]:
        plains = plains or [self.plain(s) for s in sentences]
        return [
            self.prepare(s, plains[i + 1] if i + 1 < len(plains) else "", plains[i]) for i, s in enumerate(sentences)
        ]

    def prepare(self, text: str, following: str = "", plain: str | None = None) -> Sentence:
        """`following` is the next sentence, plain: an idiom may run on past a sentence break."""
        plain = plain if plain is not None else self.plain(text)
        if self.idioms is None:
            return Sentence(plain, plain)
        joined = plain + following[1:] if following else plain
        pieces, pos = [], 0
        for m in self.idioms.finditer(joined):
            a, b = trim(joined, m.span())
            if a >= len(plain):
                break
            b = min(b, len(plain) - 1)
            pieces += [plain[pos:a], "_" * (b - a)]
            pos = b
        return Sentence(plain, "".join(pieces) + plain[pos:])

    # ------------------------------------------------------------ scope
    def context(self, sentences: list[Sentence]) -> Context:
        """Every cue of the message, found once: each signal's scope only compares positions."""
        return Context(self, sentences)

    def of(
        self,
        ctx: Context,
        i: int,
        rule: Rule,
        anchors: list[tuple[int, int]],
        spans: list[tuple[int, int]],
        own_denial: OwnDenial = lambda text, denials: False,
    ) -> str:
        """'open' when any occurrence of the signal is said plainly, else why not: 'negated', 'past',
        'topic' (a bare word in talk about the subject) or 'talked' (a clearer signal in such talk:
        worth the check question, not the full screen)."""
        if ctx.no_case or (rule.unless is not None and rule.unless.search(ctx.whole)):
            return "topic"
        if ctx.denied_after[i]:
            return "negated"
        verdicts = [self._one(ctx, i, rule, a, spans, own_denial) for a in anchors[:MAX_ANCHORS]]
        return next((v for v in ("open", "talked") if v in verdicts), verdicts[0])

    def _one(self, ctx: Context, i: int, rule: Rule, anchor: Span, spans: list[Span], own_denial: OwnDenial) -> str:
        c = ctx.sentences[i]
        (start, end), _words = anchor, c.words_between
        left, right = c.clause(start, end)

        def inside(pos: int) -> bool:
            return any(a <= pos < b for a, b in spans)

        within: list[Span] = []
        near = False
        for a, b in c.negation_before:
            if left <= a < start and not inside(a) and _words(b, start) < self.before:
                near = True
        for a, b in c.negation:
            if not left <= a < right or any(e <= a and _words(e, a) <= 3 for e in c.conditions):
                continue  # another clause, or "als dit niet lukt": the denial belongs to the condition
            if inside(a):
                within.append((a, b))
            elif (a < start and _words(b, start) < self.before) or (a >= end and _words(end, a) < self.after):
                near = True
        if near or (within and not own_denial(c.text, within)):
            return "negated"
        again = any(a >= end for a, _ in c.again) or ctx.again_in(i + 1)
        if not again:
            for a, b in c.past[rule.kind]:
                near_past = min(_words(b, s) if b <= s else _words(e, a) for s, e in spans)
                if near_past <= self.past_reach:
                    return "past"
            if any(a >= end for a, _ in c.resolved[rule.kind]) or ctx.resolved_after(i, rule.kind):
                return "past"
        if ctx.topic and not c.case:  # talk about the subject (training, a leaflet), not a case
            return "topic" if rule.topic_word else "talked"
        return "open"

    def about(self, text: str) -> str:
        """Who the message is about: 'professional' (a client, patient, pupil), 'other' or 'self'."""
        if self.professional.spans(text):
            return "professional"
        if self.other_person.spans(text):
            return "other"
        return "self"


class SentenceCues:
    """The cues of one sentence, as spans in its plain text."""

    def __init__(self, scope: Scope, sentence: Sentence):
        text = self.text = sentence.cues
        self._starts = [m.start() for m in _WORDS.finditer(text)]
        self.negation = scope.negation.spans(text)
        self.negation_before = scope.negation_before.spans(text)
        self.conditions = [b for _a, b in scope.condition.spans(text)]
        self.marks = [m.span() for m in _PAUSE_MARK.finditer(text)] + scope.boundary.spans(text)
        self.again = scope.again.spans(text)
        self.past = {kind: cues.spans(text) for kind, cues in scope.past.items()}
        self.resolved = {kind: cues.spans(text) for kind, cues in scope.resolved.items()}
        self.case = bool(scope.case.spans(text))

    def words_between(self, a: int, b: int) -> int:
        """How many words start between two positions (what len(text[a:b].split()) gives, in log time)."""
        if b <= a:
            return 0
        n = bisect.bisect_left(self._starts, b) - bisect.bisect_left(self._starts, a)
        return n + (1 if a > 0 and self.text[a - 1] != " " and self.text[a] != " " else 0)

    def clause(self, start: int, end: int) -> tuple[int, int]:
        left, right = 0, len(self.text)
        for a, b in self.marks:
            if b <= start:
                left = max(left, b)
            elif a >= end:
                right = min(right, a)
        return left, right


class Context:
    """The cues of a whole message."""

    def __init__(self, scope: Scope, sentences: list[Sentence]):
        self.sentences = [SentenceCues(scope, s) for s in sentences]
        self.whole = " ".join(s.cues for s in sentences)
        self.no_case = bool(scope.no_case.spans(self.whole))
        self.topic = bool(scope.topic.spans(self.whole))
        starts = [any(a <= 2 for a, _ in scope.denied_after.spans(s.cues)) for s in sentences]
        self.denied_after = [any(starts[i + 1 : i + 3]) for i in range(len(sentences))]

    def again_in(self, i: int) -> bool:
        return i < len(self.sentences) and bool(self.sentences[i].again)

    def resolved_after(self, i: int, kind: str) -> bool:
        return any(s.resolved[kind] for s in self.sentences[i + 1 :])


MAX_ANCHORS = 8  # a signal repeated more often than this in one sentence is judged on its first ones
