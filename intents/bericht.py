"""One message, analysed once: the folded and normalised text, its words, sentences and clauses, its
language and the place it names. Every step of a turn (dialogue, matcher, safety check, language
detection, locator) reads it here instead of folding and splitting the text again.

Each part is worked out when a step first asks for it and then kept, so a message that stops early
(an empty one, a picked option) costs no more than it did.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from knowledge.text import CLAUSE_SPLIT, WORD_RE, fold, normalise, normalise_folded

from .taal import phrase_key_folded

if TYPE_CHECKING:
    from knowledge.locaties import Locatie, Locator

    from .taal import Taalherkenner
    from .veiligheid import SafetyCheck


class Bericht:
    def __init__(self, text: str, safety: SafetyCheck, talen: Taalherkenner, locator: Locator):
        self.text = text
        self._safety, self._talen, self._locator = safety, talen, locator

    @cached_property
    def folded(self) -> str:
        """Lower case, no accents, single spaces (text.fold)."""
        return fold(self.text)

    @cached_property
    def normalised(self) -> str:
        """Folded, without emoji, repeated letters squeezed (text.normalise)."""
        return normalise_folded(self.folded)

    @cached_property
    def words(self) -> list[str]:
        """The words as typed (chat words not yet expanded)."""
        return WORD_RE.findall(self.normalised)

    @cached_property
    def sentences(self) -> list[str]:
        """The sentences, as the safety check judges a long story: one by one."""
        return self._safety.sentences(self.text)

    @cached_property
    def plain(self) -> str:
        """The whole message as the safety check reads its signals."""
        return self._safety.scope.plain_folded(self.folded)

    @cached_property
    def sentence_plains(self) -> list[str]:
        """Each sentence as the safety check reads its signals."""
        return [self._safety.scope.plain_folded(self._folds[s]) for s in self.sentences]

    def normalised_part(self, part: str) -> str:
        """A part of the message (itself, a sentence, a clause) normalised, from its fold if known."""
        folded = self._folds.get(part)
        return normalise_folded(folded) if folded is not None else normalise(part)

    @cached_property
    def _folds(self) -> dict[str, str]:
        """The message and each of its sentences, folded once."""
        return {self.text: self.folded, **{s: fold(s) for s in self.sentences if s != self.text}}

    @cached_property
    def clauses(self) -> list[str]:
        """The parts between punctuation and conjunctions, of two words or more (several problems)."""
        return [c.strip() for c in CLAUSE_SPLIT.split(self.text) if len(c.split()) >= 2]

    @cached_property
    def taal(self) -> str | None:
        return self._talen.detect(self.text, self._key)

    @cached_property
    def taal_gevraagd(self) -> str | None:
        """The language the message asks for in so many words ("in English please")."""
        return self._talen.asked_for(self.text, self._key)

    @cached_property
    def locatie(self) -> Locatie | None:
        return self._locator.find(self.text, folded=self.folded)

    @cached_property
    def _key(self) -> str:
        return phrase_key_folded(self.folded)
