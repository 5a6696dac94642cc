"""Dutch text utilities shared by KB search and the intent matcher.

Normalisation, tokenisation, compound splitting and spelling correction all
work on the same folded form (lower case, no accents), so that a word written
by a resident and a word written by an editor meet in the middle.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Collection, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from whoosh.lang import stopwords_for_language

from . import yamlio
from .schema import DataError
from .tuning import value

WORD_RE = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
_REPEATS = re.compile(r"([a-z])\1{2,}")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
_SPACES = re.compile(r"\s+")

WORDS_FILE = Path(__file__).with_name("woorden.yml")


def _word_lists(path: Path = WORDS_FILE) -> dict[str, Any]:
    """woorden.yml, checked: each list of small words in lower case, chatwoorden a mapping of them."""
    data = yamlio.safe_load(path.read_text(encoding="utf-8"))
    lists = ("stopwoorden_erbij", "geen_plaatsnaam", "rond_een_plaats", "voegwoorden")
    if not isinstance(data, dict) or set(data) != {*lists, "chatwoorden"}:
        raise DataError(path.name, "-", "", f"moet precies deze lijsten hebben: {', '.join(lists)}, chatwoorden")
    for name in lists:
        if not isinstance(data[name], list) or not all(isinstance(w, str) and w == fold(w) for w in data[name]):
            raise DataError(path.name, name, "", "moet een lijst van woorden zijn, in kleine letters, zonder accenten")
    chat = data["chatwoorden"]
    if not isinstance(chat, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in chat.items()):
        raise DataError(path.name, "chatwoorden", "", "moet woord: voluit zijn")
    return data


# A turn folds and normalises the same text in several places (matcher, safety, location, language):
# caching the result costs a few kilobytes and saves each repeat.
@lru_cache(maxsize=1024)
def fold(text: str) -> str:
    """Lower case, no accents, no control characters, single spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _CONTROL.sub(" ", text).replace("\u2019", "'").replace("\u2018", "'")
    return _SPACES.sub(" ", text.lower()).strip()


@lru_cache(maxsize=1024)
def normalise(text: str) -> str:
    """Fold, drop emoji and symbols, squeeze repeated letters (heeeelp -> heelp)."""
    return normalise_folded(fold(text))


def normalise_folded(text: str) -> str:
    """`normalise` for text that is folded already."""
    text = "".join(ch if (ch.isalnum() or ch in " -'.,?!:;/€") else " " for ch in text)
    text = _REPEATS.sub(r"\1\1", text)
    return _SPACES.sub(" ", text).strip()


_WORDS = _word_lists()
# Common Dutch text-speak and short forms that spelling correction cannot guess (woorden.yml).
CHAT_WORDS: dict[str, str] = _WORDS["chatwoorden"]
# Words that say nothing about a topic: Whoosh's Dutch stopwords and a few question words.
STOPWORDS = frozenset(stopwords_for_language("nl")) | frozenset(_WORDS["stopwoorden_erbij"])
# Never (part of) a misspelled place name: the stopwords and a few look-alikes ("zullen" is not Zuilen).
NOT_A_PLACE = STOPWORDS | frozenset(_WORDS["geen_plaatsnaam"])
# The words around a place in a message that only names one ("en in Zuilen?").
AROUND_A_PLACE = frozenset(_WORDS["rond_een_plaats"])
# Where a message splits into clauses: punctuation, and the conjunctions between two problems.
CLAUSE_SPLIT = re.compile(r"[.!?;,\n]+|\s(?:" + "|".join(map(re.escape, _WORDS["voegwoorden"])) + r")\s")


def words(text: str) -> list[str]:
    """Folded word tokens; chat words expanded."""
    out: list[str] = []
    for w in WORD_RE.findall(normalise(text)):
        out.extend(CHAT_WORDS.get(w, w).split())
    return out


class Lexicon:
    """Known Dutch words with a frequency, used for compounds and spelling.

    Built from the KB's own vocabulary (always known, highest priority) and
    the Dutch frequency list of wordfreq.
    """

    LINKERS = ("", "s", "e", "en")

    def __init__(self, frequencies: dict[str, float], domain_words: set[str]):
        self.freq = frequencies
        self.domain = domain_words
        towards = value("lexicon", "correct_towards_zipf")
        self._choices = sorted(domain_words | {w for w, z in frequencies.items() if z >= towards})
        self._by_length: dict[int, list[str]] = {}
        for w in self._choices:
            self._by_length.setdefault(len(w), []).append(w)
        self._longest = max((len(w) for w in (*frequencies, *domain_words)), default=0)

    @classmethod
    def build(cls, domain_words: set[str], min_zipf: float | None = None) -> Lexicon:
        from wordfreq import get_frequency_dict

        min_zipf = value("lexicon", "min_zipf") if min_zipf is None else min_zipf
        freq: dict[str, float] = {}
        for word, f in get_frequency_dict("nl").items():
            if f <= 0:
                continue
            z = math.log10(f) + 9
            if z >= min_zipf and word.isalpha():
                freq[fold(word)] = max(z, freq.get(fold(word), 0.0))
        return cls(freq, {w for w in domain_words if len(w) > 2})

    def to_dict(self) -> dict[str, Any]:
        return {"freq": self.freq, "domain": sorted(self.domain)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Lexicon:
        return cls(data["freq"], set(data["domain"]))

    def known(self, word: str) -> bool:
        return word in self.domain or word in self.freq

    def zipf(self, word: str) -> float:
        if word in self.domain:
            return max(self.freq.get(word, 0.0), 4.0)
        return self.freq.get(word, 0.0)

    # No Dutch compound is longer than this; a longer "word" is a run of joined text and is not split,
    # so that no message can make splitting expensive.
    MAX_COMPOUND = 60

    @lru_cache(maxsize=65536)  # noqa: B019 (one Lexicon per served build, alive as long as the process)
    def split(self, word: str, strict: bool = False) -> tuple[str, ...]:
        """Split a compound into known parts: mantelzorgondersteuning -> mantelzorg, ondersteuning.

        Returns () when the word is not a compound of known parts. Only domain
        words and reasonably common words count as parts, so that rare
        fragments do not produce nonsense splits. `strict` also refuses short
        parts from outside the KB, which are mostly affixes or chance strings:
        begeleiding is not begeleid + ing, verslaving not ver + sla + ving.
        Search uses it; the intent model was trained and tuned on the loose split.

        Dynamic programming from the end of the word: the best split of every
        suffix is found once, and a head is never longer than the longest known
        word, so the cost is linear in the length of the word.
        """
        n = len(word)
        if n < 7 or n > self.MAX_COMPOUND or not word.isalpha():
            return ()
        # best[j]: the split of word[j:] that split(word[j:]) would give; () when there is none.
        best: list[tuple[str, ...]] = [()] * (n + 1)
        good_tail = [self._good_part(word[j:], strict) for j in range(n + 1)]
        for j in range(n - 7, -1, -1):
            top: tuple[float, tuple[str, ...]] = (0.0, ())
            for i in range(j + 3, min(n - 2, j + self._longest + 1)):
                head = word[j:i]
                if not self._good_part(head, strict):
                    continue
                for linker in self.LINKERS:
                    if linker and not word.startswith(linker, i):
                        continue
                    k = i + len(linker)
                    if n - k < 3:
                        continue
                    tails = (word[k:],) if good_tail[k] else best[k]
                    if not tails:
                        continue
                    parts = (head, *tails)
                    score = sum(self.zipf(p) for p in parts) / len(parts) ** 1.5
                    if score > top[0]:
                        top = (score, parts)
            best[j] = top[1]
        return best[0]

    def _good_part(self, part: str, strict: bool = False) -> bool:
        if part in self.domain:
            return len(part) >= 3
        return len(part) >= (5 if strict else 3) and self.freq.get(part, 0.0) >= value("lexicon", "compound_part_zipf")

    def correct_towards(self, word: str, vocabulary: Sequence[str], known: Collection[str]) -> str:
        """A search's typo tolerance: the nearest word of `vocabulary` (the index's own words, `known`
        as a set) within one edit, two from six letters on; else the nearest known word (`correct`)."""
        if len(word) < 4 or word in known or not word.isalpha():
            return word
        max_dist = 1 if len(word) < 6 else 2
        hit = process.extractOne(word, vocabulary, scorer=Levenshtein.distance, score_cutoff=max_dist)
        return hit[0] if hit else self.correct(word)

    @lru_cache(maxsize=65536)  # noqa: B019 (one Lexicon per served build, alive as long as the process)
    def correct(self, word: str) -> str:
        """Closest known word for an unknown one, or the word itself."""
        if len(word) < 4 or not word.isalpha() or self.known(word):
            return word
        max_dist = 1 if len(word) < 7 else 2
        candidates: list[str] = []
        for n in range(len(word) - max_dist, len(word) + max_dist + 1):
            candidates.extend(self._by_length.get(n, ()))
        hits = process.extract(word, candidates, scorer=Levenshtein.distance, score_cutoff=max_dist, limit=8)
        if not hits:
            return word
        # Prefer the smallest edit, then the domain word, then the common word.
        hits.sort(key=lambda h: (h[1], h[0] not in self.domain, -self.zipf(h[0])))
        return hits[0][0]
