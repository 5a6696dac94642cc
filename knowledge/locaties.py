"""Find the wijk a resident means: a postcode (3563, 3563 AB), a wijk or a buurt name."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process

from .text import NOT_A_PLACE, fold

POSTCODE_IN_TEXT = re.compile(r"(?<![0-9])([1-9][0-9]{3})(?:\s?([a-zA-Z]{2}))?(?![0-9a-zA-Z])")


@dataclass(frozen=True)
class Locatie:
    wijk: str  # wijk id
    gevonden: str  # what matched: the postcode or the name
    soort: str  # postcode | wijk | buurt


def parse_postcode(text: str) -> str | None:
    """The PC4 of a Dutch postcode written anywhere in the text, or None."""
    m = POSTCODE_IN_TEXT.search(text or "")
    return m.group(1) if m else None


class Locator:
    def __init__(self, wijken: Sequence[Mapping[str, Any]], dutch_word: Callable[[str], bool]):
        """`dutch_word` tells real words ('huilen', 'verhuizen') from misspelled place names;
        the KB passes its lexicon's, so no frequency list is loaded while answering."""
        self.dutch_word = dutch_word
        self.pc4: dict[str, str] = {}
        self.pc6: dict[str, str] = {}
        self.names: dict[str, tuple[str, str]] = {}
        split: dict[str, set[str]] = {}  # PC4 -> the wijken of its PC6's, where the table lists PC6's
        for w in wijken:
            for pc in w["postcodes"]:
                if len(pc) == 4:
                    self.pc4[pc] = w["id"]
                else:
                    self.pc6[pc] = w["id"]
                    split.setdefault(pc[:4], set()).add(w["id"])
            for buurt in w["buurten"]:
                self.names[fold(buurt)] = (w["id"], "buurt")
            self.names[fold(w["naam"])] = (w["id"], "wijk")
            self.names[fold(w["id"]).replace("-", " ")] = (w["id"], "wijk")
        # A PC4 whose PC6's all lie in one wijk needs no letters.
        for pc, found in split.items():
            if len(found) == 1:
                self.pc4.setdefault(pc, next(iter(found)))
        # Longest names first so "leidsche rijn centrum" wins over "leidsche rijn".
        self._ordered = sorted(self.names, key=len, reverse=True)

    def find(self, text: str, fuzzy: bool = True, folded: str | None = None) -> Locatie | None:
        """A postcode or a wijk/buurt name in free text (`folded`: the text folded, if known)."""
        if not text:
            return None
        for m in POSTCODE_IN_TEXT.finditer(text):
            pc6 = m.group(1) + (m.group(2) or "").upper()
            if pc6 in self.pc6:
                return Locatie(self.pc6[pc6], m.group(0), "postcode")
            if m.group(1) in self.pc4:
                return Locatie(self.pc4[m.group(1)], m.group(0), "postcode")
        folded = " " + re.sub(r"[^a-z0-9]+", " ", fold(text) if folded is None else folded) + " "
        for name in self._ordered:
            if f" {name} " in folded:
                wijk, soort = self.names[name]
                return Locatie(wijk, name, soort)
        if fuzzy:
            return self._fuzzy(folded.split())
        return None

    def _fuzzy(self, tokens: list[str]) -> Locatie | None:
        """Misspelled names (overvegt, kanaleneilant): long words and word pairs without small words.

        Short and common words are never matched fuzzily: 'wenst' is not West and
        'terwijl de' is not Terwijde.
        """
        cands = [(t, 82) for t in tokens if len(t) >= 6 and t not in NOT_A_PLACE and not self.dutch_word(t)]
        for a, b in zip(tokens, tokens[1:]):
            if len(a) >= 3 and len(b) >= 3 and a not in NOT_A_PLACE and b not in NOT_A_PLACE:
                cands.append((f"{a} {b}", 90 if self.dutch_word(a) and self.dutch_word(b) else 82))
        best = None
        for cand, cutoff in cands:
            hit = process.extractOne(cand, self._ordered, scorer=fuzz.ratio, score_cutoff=cutoff)
            if hit and abs(len(hit[0]) - len(cand)) <= 2 and (best is None or hit[1] > best[1]):
                best = hit
        if best:
            wijk, soort = self.names[best[0]]
            return Locatie(wijk, best[0], soort)
        return None
