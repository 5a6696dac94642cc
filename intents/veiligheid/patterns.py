"""The crisis signals of one kind, as editors write them in zelfdoding.yml, geweld.yml and noodgeval.yml.

Patterns are RE2 regular expressions, so matching takes linear time whatever the
message: RE2 has no backtracking. All patterns of all kinds go into one `re2.Set`,
which tells in a single pass over a sentence which of them occur.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import re2

from knowledge import yamlio
from knowledge.schema import DataError

KINDS = ("suicide", "violence", "emergency")  # also the order of priority when several are seen
LEVELS = ("crisis", "check")
LANGUAGES = ("nl", "en")
T = TypeVar("T")


@dataclass(frozen=True)
class Rule:
    """One pattern: all `parts` must occur in the same sentence."""

    kind: str
    group: str
    level: str
    lang: str
    parts: tuple[int, ...]  # indices into the shared RE2 set
    topic_word: bool  # a bare word that people also use to talk about the subject
    unless: re2._Regexp | None = None  # the group's `tenzij`: with one of these in the message, only a note

    @property
    def label(self) -> str:
        return f"{self.kind}/{self.group}"


def _hyphens(pattern: str) -> str:
    """Plain text has no hyphens ("e-bike" becomes "e bike"), so a hyphen between letters in a
    pattern means an optional space; inside [...] a hyphen keeps its regex meaning."""
    out, depth = [], 0
    for i, ch in enumerate(pattern):
        if ch == "[" and (i == 0 or pattern[i - 1] != "\\"):
            depth += 1
        elif ch == "]" and depth and pattern[i - 1] != "\\":
            depth -= 1
        if (
            ch == "-"
            and not depth
            and 0 < i < len(pattern) - 1
            and pattern[i - 1].isalpha()
            and pattern[i + 1].isalpha()
        ):
            out.append(" ?")
        else:
            out.append(ch)
    return "".join(out)


def trim(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """A match ends with the character after its last word (see whole_words): leave that out."""
    a, b = span
    return (a, b - 1) if b > a and not (text[b - 1].isalnum() or text[b - 1] in "_'") else (a, b)


def whole_words(pattern: str) -> str:
    """Patterns match whole words; `\\w*` at the end of a pattern allows any ending.
    The end is "no letter follows" rather than `\\b`, so a pattern may also end at a ";"."""
    return r"\b(?:" + _hyphens(pattern) + r")(?:[^a-z0-9_]|$)"


_TRAILING_SPACE = re2.compile(r"(?: | \)[?*]| \)\{[0-9,]*\})$")


def compile_one(pattern: str, where: str) -> re2._Regexp:
    return _checked(pattern, where, lambda source: re2.compile(source, OPTIONS))


def _checked(pattern: str, where: str, use: Callable[[str], T]) -> T:
    """`use(whole_words(pattern))`, with a bad pattern reported as a DataError."""
    if _TRAILING_SPACE.search(pattern):
        raise DataError(
            where,
            "-",
            "",
            f"patroon {pattern!r} eindigt op een spatie; zet de spatie vóór het "
            "woord in de groep, bijvoorbeeld '( meer)?' in plaats van '(meer )?'",
        )
    try:
        return use(whole_words(pattern))
    except re2.error as exc:
        raise DataError(where, "-", "", f"ongeldig patroon {pattern!r}: {exc}") from None


OPTIONS = re2.Options()
OPTIONS.max_mem = 64 << 20
OPTIONS.log_errors = False  # a bad pattern is reported as a DataError instead


class LazyRegexes:
    """One compiled RE2 per pattern, compiled the first time the set reports that pattern: the set
    already checked every pattern at load, and compiling all 1 100 at start costs 0.2 s."""

    def __init__(self) -> None:
        self.sources: list[str] = []
        self._compiled: dict[int, re2._Regexp] = {}

    def append(self, source: str) -> None:
        self.sources.append(source)

    def __len__(self) -> int:
        return len(self.sources)

    def __getitem__(self, index: int) -> re2._Regexp:
        regex = self._compiled.get(index)
        if regex is None:
            regex = self._compiled[index] = re2.compile(self.sources[index], OPTIONS)
        return regex

    def __iter__(self) -> Iterator[re2._Regexp]:
        return (self[i] for i in range(len(self)))


_LIST_NAME = re2.compile(r"\{([a-z_]+)\}")


def load_lists(path: Path) -> tuple[dict[str, str], list[str]]:
    """lijsten.yml: {naam} in a pattern stands for one of the words of that list; and the denial words."""
    data = yamlio.safe_load(path.read_text(encoding="utf-8")) or {}
    denials = [str(w) for w in data.pop("ontkenningswoorden", [])]
    lists = {}
    for name, words in data.items():
        if not isinstance(words, list) or not words:
            raise DataError(path.name, str(name), "", "moet een lijst met woorden zijn")
        lists[str(name)] = "(?:" + "|".join(str(w).strip() for w in words) + ")"
    return lists, denials


def expand(pattern: str, lists: dict[str, str], where: str) -> str:
    def one(m: re2._Match) -> str:
        if m.group(1) not in lists:
            raise DataError(where, "-", "", f"onbekende lijst {{{m.group(1)}}} in {pattern!r}")
        return lists[m.group(1)]

    expanded: str = _LIST_NAME.sub(one, pattern)
    return expanded


class Patterns:
    """Every rule of every kind, and one RE2 set to find them all at once."""

    def __init__(self, files: list[Path], lists: dict[str, str] | None = None, denials: Sequence[str] = ()):
        self.lists = lists or {}
        self._denial_word = re2.compile(r"\b(" + "|".join(re2.escape(w) for w in denials) + r")\b") if denials else None
        self._strict: dict[int, re2._Regexp | None] = {}
        self.rules: list[Rule] = []
        self.regexes = LazyRegexes()
        self.sources: list[str] = []
        self.intents: dict[str, str] = {}
        self._set = re2.Set.SearchSet(OPTIONS)
        for path in files:
            self._load(path)
        if self.regexes:
            self._set.Compile()
        self._by_part: dict[int, list[Rule]] = {}
        for rule in self.rules:
            self._by_part.setdefault(rule.parts[0], []).append(rule)

    def _load(self, path: Path) -> None:
        data = yamlio.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("soort") not in KINDS:
            raise DataError(path.name, "-", "soort", f"moet een van {', '.join(KINDS)} zijn")
        kind = data["soort"]
        if not data.get("intent"):
            raise DataError(path.name, kind, "intent", "ontbreekt")
        self.intents[kind] = data["intent"]
        for group, spec in (data.get("groepen") or {}).items():
            where = f"{path.name} groep {group}"
            if not isinstance(spec, dict) or spec.get("niveau") not in LEVELS:
                raise DataError(path.name, group, "niveau", f"kies uit {', '.join(LEVELS)}")
            unless = spec.get("tenzij") or []
            unless = (
                re2.compile("|".join(f"(?:{compile_one(p, where).pattern})" for p in unless), OPTIONS)
                if unless
                else None
            )
            for lang in LANGUAGES:
                for n, pattern in enumerate(spec.get(lang) or [], 1):
                    parts = pattern if isinstance(pattern, list) else [pattern]
                    if not parts or not all(isinstance(p, str) and p.strip() for p in parts):
                        raise DataError(path.name, group, f"{lang}[{n}]", "leeg patroon")
                    parts = [expand(p, self.lists, where) for p in parts]
                    self.rules.append(
                        Rule(
                            kind,
                            str(group),
                            spec["niveau"],
                            lang,
                            tuple(self._add(p, where) for p in parts),
                            bool(spec.get("onderwerp")),
                            unless,
                        )
                    )

    def _add(self, pattern: str, where: str) -> int:
        self.sources.append(pattern)

        def add(source: str) -> tuple[str, int]:
            index: int = self._set.Add(source)  # re2 has no type information
            return source, index

        regex, index = _checked(pattern, where, add)
        self.regexes.append(regex)
        assert index == len(self.regexes) - 1
        return index

    def denial_is_the_signals_own(self, rule: Rule, text: str, denials: list[tuple[int, int]]) -> bool:
        """True when the rule still matches with these denial words usable only where the pattern
        spells them out: "ik wil niet meer leven" yes, "ik wil niet dood" (a gap took it) no."""
        chars = list(text)
        for a, b in denials:
            chars[a:b] = ["¬"] * (b - a)
        blanked = "".join(chars)
        return all((self._strict_part(p) or self.regexes[p]).search(blanked) for p in rule.parts)

    def _strict_part(self, index: int) -> re2._Regexp | None:
        if index not in self._strict:
            source = self.sources[index]
            if self._denial_word is None or not self._denial_word.search(source):
                self._strict[index] = None
            else:
                spelled = self._denial_word.sub(lambda m: "¬" * len(m.group(0)), source)
                self._strict[index] = re2.compile(
                    r"(?:^|[^a-z0-9_])(?:" + _hyphens(spelled) + r")(?:[^a-z0-9_]|$)", OPTIONS
                )
        return self._strict[index]

    def find(self, sentence: str) -> list[Match]:
        """The rules that match this (plain) sentence, with where their parts occur."""
        if not self.regexes:
            return []
        seen = set(self._set.Match(sentence) or ())
        found = []
        for first in sorted(seen):
            for rule in self._by_part.get(first, ()):
                if all(p in seen for p in rule.parts):
                    anchors = [trim(sentence, m.span()) for m in self.regexes[first].finditer(sentence)]
                    others = [
                        trim(sentence, m.span()) for p in rule.parts[1:] for m in self.regexes[p].finditer(sentence)
                    ]
                    found.append(Match(rule, anchors, anchors + others))
        return found


@dataclass
class Match:
    rule: Rule
    anchors: list[tuple[int, int]]  # every place the first part occurs
    spans: list[tuple[int, int]]  # every place any part occurs: words there belong to the signal
