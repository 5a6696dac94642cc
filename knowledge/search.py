"""Full-text search over voorzieningen with Whoosh.

Dutch analysis happens here, not inside Whoosh: text is folded, compounds are
split into their parts, stop words dropped and words stemmed (Snowball Dutch).
Whoosh indexes the resulting tokens with a plain space tokenizer, so the index
stays small and the analyzer needs nothing pickled. Queries go through the same
analysis plus spelling correction against the KB vocabulary and synonyms.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh import index as windex
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.lang import stemmer_for_language
from whoosh.query import And, Every, Or, Term

from .text import STOPWORDS, Lexicon, words

if TYPE_CHECKING:
    from whoosh.searching import Searcher as WhooshSearcher  # whoosh has no type information: Any to mypy

_STEM: Callable[[str], str] = stemmer_for_language("nl")

SCHEMA = Schema(
    id=ID(stored=True, unique=True),
    naam=TEXT(analyzer=SpaceSeparatedTokenizer(), field_boost=3.0),
    tekst=TEXT(analyzer=SpaceSeparatedTokenizer()),
    wijken=KEYWORD(commas=True),
    doelgroepen=KEYWORD(commas=True),
    themas=KEYWORD(commas=True),
    toegangsroute=ID,
    status=STORED,
)


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    return _STEM(word)


def expand(text: str, lexicon: Lexicon | None) -> list[str]:
    """Index-side analysis before stemming: folded words and their compound parts, no stop words."""
    out: list[str] = []
    for w in words(text):
        if w in STOPWORDS:
            continue
        out.append(w)
        if lexicon is not None:
            out.extend(p for p in lexicon.split(w, strict=True) if p not in STOPWORDS)
    return out


def analyse(text: str, lexicon: Lexicon | None) -> list[str]:
    """What the Whoosh index holds: the expanded words, stemmed."""
    return [stem(w) for w in expand(text, lexicon)]


@dataclass
class Hit:
    id: str
    score: float


class Synonyms:
    """Everyday words and misspellings mapped to the KB term they mean."""

    def __init__(self, records: list[dict[str, Any]]):
        self.phrases: dict[str, str] = {}
        for rec in records:
            for w in rec["woorden"]:
                self.phrases[" ".join(words(w))] = rec["term"]
        longest_first = sorted((p for p in self.phrases if p), key=len, reverse=True)
        self._rank = {p: i for i, p in enumerate(longest_first)}
        # Only a phrase all of whose words are in the query can occur in it: look those up by word.
        self._by_word: dict[str, list[str]] = {}
        for phrase in longest_first:
            self._by_word.setdefault(phrase.split()[0], []).append(phrase)

    def expand(self, query_words: list[str]) -> list[str]:
        """Terms whose synonym phrase occurs in the query (longest phrases first)."""
        present = set(query_words)
        candidates = sorted(
            (p for w in present for p in self._by_word.get(w, ()) if all(x in present for x in p.split())),
            key=self._rank.__getitem__,
        )
        text = f" {' '.join(query_words)} "
        found = []
        for phrase in candidates:
            if f" {phrase} " in text:
                found.append(self.phrases[phrase])
                text = text.replace(f" {phrase} ", " ")
        return found


class QueryAnalyser:
    """Query-side Dutch analysis shared by every search engine: synonyms, typos, compounds."""

    def __init__(
        self, lexicon: Lexicon, synonyms: Synonyms, vocabulary: set[str], common_terms: frozenset[str] = frozenset()
    ):
        self.lexicon = lexicon
        self.synonyms = synonyms
        self.vocabulary = sorted(vocabulary)
        self._vocab_set = set(vocabulary)
        self.common_terms = common_terms  # stemmed index terms most voorzieningen have

    def correct(self, word: str) -> str:
        """Typo tolerance against the words that occur in the KB itself."""
        return self.lexicon.correct_towards(word, self.vocabulary, self._vocab_set)

    def word_groups(self, text: str) -> list[set[str]]:
        """One group of alternative (unstemmed) words per meaningful query word."""
        qwords = words(text)
        groups: list[set[str]] = []
        for term in self.synonyms.expand(qwords):
            group = {w for w in words(term) if w not in STOPWORDS}
            if group and group not in groups:
                groups.append(group)
        for w in qwords:
            if w in STOPWORDS:
                continue
            fixed = self.correct(w)
            group = {w, fixed}
            parts = [p for p in self.lexicon.split(fixed, strict=True) if p not in STOPWORDS]
            telling = [p for p in parts if stem(p) not in self.common_terms]
            # The index holds the parts of the compounds it knows, so a known word finds those by
            # itself. Parts add what shares a telling part (vrijwilligers: vrijwilligerscentrale),
            # not what shares a part most of the kaart has (huis in ziekenhuis); an unknown word
            # whose parts are all common has nothing else to go on.
            group.update(telling if telling or fixed in self._vocab_set else parts)
            if group not in groups:
                groups.append(group)
        return groups

    def query_groups(self, text: str) -> list[set[str]]:
        """The word groups, stemmed as the Whoosh index is."""
        return [{stem(w) for w in g} for g in self.word_groups(text)]


class Searcher:
    """Whoosh side of search; one instance per process, reused."""

    def __init__(self, index_dir: Path, analyser: QueryAnalyser):
        self.ix = windex.open_dir(str(index_dir))
        self.analyser = analyser
        self._local = threading.local()

    def _searcher(self) -> WhooshSearcher:
        # A build's index never changes, so each thread keeps one open searcher: opening one
        # per query was a quarter of a search at 10 000 voorzieningen.
        # A forked server worker opens its own: file handles are not shared across processes.
        if getattr(self._local, "pid", None) != os.getpid():
            self._local.searcher, self._local.pid = self.ix.searcher(), os.getpid()
        return self._local.searcher

    def search(
        self,
        text: str = "",
        *,
        wijk: str | None = None,
        doelgroep: str | None = None,
        thema: str | None = None,
        toegangsroute: str | None = None,
        limit: int | None = 20,
        analysed: bool = True,
    ) -> list[Hit]:
        filters = []
        if wijk:
            filters.append(Or([Term("wijken", wijk), Term("wijken", "alle")]))
        if doelgroep:
            filters.append(Term("doelgroepen", doelgroep))
        if thema:
            filters.append(Term("themas", thema))
        if toegangsroute:
            filters.append(Term("toegangsroute", toegangsroute))
        if not text:
            groups = []
        elif analysed:
            groups = self.analyser.query_groups(text)
        else:  # plain BM25 baseline: stemmed words only, no synonyms, typos or compounds
            groups = [{stem(w)} for w in words(text) if w not in STOPWORDS]
        s = self._searcher()
        if not groups:
            q = And(filters) if filters else Every()
            return [Hit(h["id"], 0.0) for h in s.search(q, limit=limit, sortedby="id")]
        flt = And(filters) if filters else None
        return [Hit(h["id"], round(h.score, 4)) for h in s.search(text_query(groups), filter=flt, limit=limit)]

    def matches(self, text: str) -> int:
        """How many voorzieningen a search matches before the top is taken: what ranking must score."""
        return len(self._searcher().search(text_query(self.analyser.query_groups(text)), limit=1))


def text_query(groups: list[set[str]]) -> Or:
    """Any word of any group, in the name or the text (the name weighs more, see SCHEMA)."""
    return Or([Or([Term(f, t) for t in g for f in ("naam", "tekst")]) for g in groups])


def indexed_text(rec: Mapping[str, Any], synonyms_for: dict[str, list[str]]) -> str:
    """Everything about a voorziening that search looks at, besides its name."""
    extra = " ".join(rec.get("trefwoorden") or []) + " " + " ".join(synonyms_for.get(rec["id"], []))
    return " ".join([rec["naam"], rec["korte_uitleg"], rec["uitleg"], rec["voor_wie"], rec["hoe_krijg_je_het"], extra])


def document(rec: Mapping[str, Any], lexicon: Lexicon, synonyms_for: dict[str, list[str]]) -> dict[str, str]:
    """The fields Whoosh stores for one voorziening."""
    body = indexed_text(rec, synonyms_for)
    return {
        "id": rec["id"],
        "naam": " ".join(analyse(rec["naam"], lexicon)),
        "tekst": " ".join(analyse(body, lexicon)),
        "wijken": ",".join(rec["wijken"]),
        "doelgroepen": ",".join(rec["doelgroepen"]),
        "themas": ",".join(rec["themas"]),
        "toegangsroute": rec["toegangsroute"],
        "status": rec["status"],
    }


def write_index(index_dir: Path, docs: Iterable[dict[str, str]]) -> int:
    index_dir.mkdir(parents=True, exist_ok=True)
    ix = windex.create_in(str(index_dir), SCHEMA)
    writer = ix.writer(limitmb=256)
    n = 0
    for doc in docs:
        writer.add_document(**doc)
        n += 1
    writer.commit()
    return n


def common_terms(index_dir: Path, share: float) -> list[str]:
    """Index terms of the text in more than `share` of the voorzieningen."""
    with windex.open_dir(str(index_dir)).searcher() as s:
        limit = share * s.doc_count()
        return sorted(t.decode() for t in s.lexicon("tekst") if s.doc_frequency("tekst", t) > limit)


def synonyms_per_voorziening(
    voorzieningen: Sequence[Mapping[str, Any]], synoniemen: list[dict[str, Any]]
) -> dict[str, list[str]]:
    """Synonym words indexed with the voorziening whose name or keywords hold the term."""
    out: dict[str, list[str]] = {}
    for rec in voorzieningen:
        hay = " " + " ".join(words(rec["naam"] + " " + " ".join(rec.get("trefwoorden") or []))) + " "
        for syn in synoniemen:
            if f" {' '.join(words(syn['term']))} " in hay:
                out.setdefault(rec["id"], []).extend(syn["woorden"])
    return out
