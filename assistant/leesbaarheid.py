"""Readability measures for answer texts in Dutch and English, and the limits per niveau.

The same measures and the same limits in both languages; only what is language-specific differs
(syllables, word frequencies, the shape of the passive, the words that give a number its meaning).

Measures: words per sentence (average and longest), share of uncommon words
(wordfreq; words the answer explains from the KB glossary and names from the
KB count as known), syllables per word (pyphen), passive constructions,
abbreviations, bare numbers, and a difficulty estimate in the spirit of LiNT
(word frequency, sentence length and word length; not the validated LiNT model).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache

import pyphen
from wordfreq import zipf_frequency

from knowledge.text import fold

SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'“(€])|\n+")
WORD = re.compile(r"[A-Za-zÀ-ÿ]+(?:[-'][A-Za-zÀ-ÿ]+)*|(?:€\s?)?[0-9]+(?:[.,:][0-9]+)*(?:-[0-9]+)?")
_PARTICIPLE = r"\b(?:ge|be|ver|ont|her|er)[a-z]{2,}(?:d|t|en)\b"
PASSIVE = re.compile(
    rf"\b(wordt|worden|werd|werden|geworden)\b.*{_PARTICIPLE}|{_PARTICIPLE}.*\b(wordt|worden|werd|werden)\b"
    r"|\b(wordt|worden|werd|werden)\b.*\bdoor (de|het|een|je|jouw)\b",
    re.I,
)
ABBREVIATION = re.compile(
    r"\b(?:[A-Z]{2,6}|[a-z]\.[a-z]\.(?:[a-z]\.)?|bijv|bv|o\.a|ivm|m\.b\.t|t\.a\.v|"
    r"d\.w\.z|e\.d|etc|evt|incl|excl|nl|nr|tel|ca)\b\.?"
)
KNOWN_ABBREVIATIONS = {"wmo", "pgb", "ggz", "lvb", "bsn", "ggd", "uwv", "svb", "hbh", "mo", "bw"}
NUMBER_CONTEXT = {
    "bel",
    "nummer",
    "telefoon",
    "euro",
    "om",
    "van",
    "tot",
    "tussen",
    "binnen",
    "na",
    "per",
    "nummers",
    "of",
    "bijvoorbeeld",
    "postcode",
}
PLAIN_NUMBERS = {"112", "113", "0800-0113", "0800-2000"}
UNCOMMON_ZIPF = 3.0
PASSIVE_EN = re.compile(
    r"\b(?:is|are|was|were|be|been|being)\s+(?:\w+ly\s+)?(?:[a-z]{3,}ed|given|taken|made|done|"
    r"seen|known|paid|sent|shown|told|written|chosen|held|kept|found)\b(?!\s+(?:to|about|in|of|with)\b)",
    re.I,
)
ABBREVIATION_EN = re.compile(r"\b(?:[A-Z]{2,6}|e\.g|i\.e|etc|approx|incl|excl)\b\.?|\bNo\.(?=\s?[0-9])")
NUMBER_CONTEXT_EN = {
    "call",
    "number",
    "phone",
    "euro",
    "at",
    "from",
    "to",
    "between",
    "within",
    "after",
    "per",
    "numbers",
    "or",
    "for",
    "example",
    "postcode",
    "and",
}
LANGUAGES = {
    "nl": {"pyphen": "nl_NL", "passive": PASSIVE, "abbreviation": ABBREVIATION, "context": NUMBER_CONTEXT},
    "en": {"pyphen": "en_US", "passive": PASSIVE_EN, "abbreviation": ABBREVIATION_EN, "context": NUMBER_CONTEXT_EN},
}

LIMITS = {
    "eenvoudig": {
        "gem_woorden_per_zin": 10.0,
        "langste_zin": 15,
        "moeilijke_woorden": 0.2,
        "lijdende_vorm": 0,
        "afkortingen": 0,
        "kale_getallen": 0,
    },
    "standaard": {"gem_woorden_per_zin": 15.0},
    "professional": {},
}


@lru_cache(maxsize=2)
def _hyphenator(lang: str = "nl") -> pyphen.Pyphen:
    return pyphen.Pyphen(lang=LANGUAGES[lang]["pyphen"])


@lru_cache(maxsize=50_000)
def syllables(word: str, lang: str = "nl") -> int:
    return len(_hyphenator(lang).positions(word.lower())) + 1 if word.isalpha() else 1


@lru_cache(maxsize=50_000)
def zipf(word: str, lang: str = "nl") -> float:
    return zipf_frequency(word.lower(), lang)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_SPLIT.split(text.strip()) if s and s.strip()]


def words(sentence: str) -> list[str]:
    return WORD.findall(sentence)


@dataclass
class Measures:
    zinnen: int
    woorden: int
    gem_woorden_per_zin: float
    langste_zin: int
    moeilijke_woorden: float
    lettergrepen_per_woord: float
    lijdende_vorm: int
    afkortingen: int
    kale_getallen: int
    lint_schatting: float
    lint_niveau: int
    moeilijk: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


WEB_ADDRESS = re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.(?:nl|com|org|eu)\b")


def measure(text: str, known: set[str] = frozenset(), lang: str = "nl") -> Measures:
    """Measure a text in `lang` (nl, en). `known` holds folded words that count as familiar (glossary,
    names). A web address ("113.nl") is read as one familiar word, not as an abbreviation."""
    rules = LANGUAGES[lang]
    sents = sentences(WEB_ADDRESS.sub("website", text))
    counts, hard, details = [], [], []
    passive = abbrev = bare = 0
    syl_total = alpha_total = 0
    zipf_total = 0.0
    for s in sents:
        ws = words(s)
        counts.append(len(ws))
        if rules["passive"].search(s):
            passive += 1
            details.append(f"lijdende vorm: {s}")
        for m in rules["abbreviation"].finditer(s):
            if m.group(0).strip(".").lower() not in {"ik", "je"}:
                abbrev += 1
                details.append(f"afkorting: {m.group(0)}")
        lowered = [w.lower() for w in ws]
        for i, w in enumerate(ws):
            if w[0].isdigit() or w.startswith("€"):
                nxt = lowered[i + 1] if i + 1 < len(ws) else ""
                prev = lowered[i - 1] if i else ""
                if not (nxt.isalpha() or prev in rules["context"] or w.startswith("€") or w in PLAIN_NUMBERS):
                    bare += 1
                    details.append(f"getal zonder betekenis: {w}")
                continue
            if w.lower() in KNOWN_ABBREVIATIONS:
                abbrev += 1
                details.append(f"afkorting: {w}")
            alpha_total += 1
            syl_total += syllables(w, lang)
            z = zipf(w, lang)
            zipf_total += min(z, 7.0)
            if z < UNCOMMON_ZIPF and fold(w) not in known and not _known_compound(fold(w), known):
                hard.append(w)
    n_words = sum(counts)
    avg = n_words / len(sents) if sents else 0.0
    syl = syl_total / alpha_total if alpha_total else 0.0
    mean_zipf = zipf_total / alpha_total if alpha_total else 7.0
    score = max(0.0, min(100.0, 9.0 * (6.5 - mean_zipf) + 1.6 * avg + 12.0 * (syl - 1.0)))
    level = 1 if score < 25 else 2 if score < 40 else 3 if score < 55 else 4
    return Measures(
        len(sents),
        n_words,
        round(avg, 2),
        max(counts, default=0),
        round(len(hard) / alpha_total, 3) if alpha_total else 0.0,
        round(syl, 2),
        passive,
        abbrev,
        bare,
        round(score, 1),
        level,
        sorted(set(hard)),
        details,
    )


def _known_compound(word: str, known: set[str]) -> bool:
    """mantelzorgcompliment is known when it starts or ends with a known word."""
    return any(len(k) >= 5 and (word.startswith(k) or word.endswith(k)) for k in known)


def problems(m: Measures, niveau: str) -> list[str]:
    """What breaks the limits of this niveau (empty when the text passes)."""
    out = []
    for key, limit in LIMITS.get(niveau, {}).items():
        value = getattr(m, key)
        if value > limit:
            out.append(f"{key} = {value} (max {limit})")
    return out
