"""The spaCy pipeline that turns a message into classifier features.

spacy.blank("nl") with the registered `buurtwijzer_tokenizer` tokenizes; the registered
`buurtwijzer_verrijking` component corrects spelling against the KB lexicon, adds the lemma from
spacy-lookups-data's Dutch lookup table, splits compounds and adds KB synonyms. No model download is
involved: everything comes from installed packages and our build.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import (
    compile_infix_regex,
    compile_prefix_regex,
    compile_suffix_regex,
    load_language_data,
    registry,
)

from knowledge.search import Synonyms
from knowledge.text import CHAT_WORDS, Lexicon, normalise

if not Doc.has_extension("kenmerken"):
    Doc.set_extension("kenmerken", default=None)
    Doc.set_extension("woorden", default=None)
if not Doc.has_extension("taal"):
    Doc.set_extension("taal", default="nl")


class LazyExceptionsTokenizer:
    """spaCy's Dutch tokenizer, with its 4 500 abbreviation exceptions ("bijv.", "me.") added the
    first time a message contains one. Adding them all costs 0.7 s at every start, and most never
    occur in chat; the tokens are the same as with all of them."""

    _STRIP = "([{\"'"

    def __init__(self, nlp: Language):
        d = nlp.Defaults
        assert d.prefixes is not None and d.suffixes is not None and d.infixes is not None, "spaCy's Dutch has them"
        rules = dict(d.tokenizer_exceptions)
        self.pending = {k: rules.pop(k) for k in list(rules) if k.endswith(".")}
        self._longest = max(map(len, self.pending), default=0)
        self.tokenizer = Tokenizer(
            nlp.vocab,
            rules=rules,
            prefix_search=compile_prefix_regex(d.prefixes).search,
            suffix_search=compile_suffix_regex(d.suffixes).search,
            infix_finditer=compile_infix_regex(d.infixes).finditer,
            token_match=d.token_match,
            url_match=d.url_match,
        )

    def __call__(self, text: str) -> Doc:
        if "." in text and self.pending:
            for chunk in text.split():
                if "." not in chunk:
                    continue
                # The tokenizer finds an exception also inside punctuation: "(bijv.", "bijv.,", "me.)".
                for start in {0, len(chunk) - len(chunk.lstrip(self._STRIP))}:
                    for end in range(min(len(chunk), start + self._longest), start, -1):
                        rule = self.pending.pop(chunk[start:end], None)  # pop: threads may race here
                        if rule is not None:
                            self.tokenizer.add_special_case(chunk[start:end], rule)
        doc: Doc = self.tokenizer(text)
        return doc


@registry.tokenizers("buurtwijzer_tokenizer")  # type: ignore[untyped-decorator]  # catalogue: no type information
def make_tokenizer() -> Callable[[Language], LazyExceptionsTokenizer]:
    return LazyExceptionsTokenizer


def lemma_table(lang: str = "nl") -> dict[str, str]:
    """spacy-lookups-data's lemma lookup table as a plain dict: the same lemmas as spaCy's lookup
    lemmatizer, without a pipeline pass that sets them on every token and 0.9 s to build its table."""
    return cast(dict[str, str], load_language_data(registry.lookups.get(lang)["lemma_lookup"]))  # a table: a dict


@Language.factory("buurtwijzer_verrijking")
def make_verrijking(nlp: Language, name: str) -> Verrijking:
    return Verrijking()


class Verrijking:
    """Spelling, compounds and synonyms. Needs `configure` with the KB lexicon before use."""

    def __init__(self) -> None:
        self.lexicon: Lexicon | None = None
        self.synonyms: Synonyms | None = None
        self.lemmas: dict[str, str] = {}

    def configure(self, lexicon: Lexicon, synonyms: Synonyms, lemmas: dict[str, str]) -> None:
        self.lexicon, self.synonyms, self.lemmas = lexicon, synonyms, lemmas

    def __call__(self, doc: Doc) -> Doc:
        assert self.lexicon is not None and self.synonyms is not None, "Verrijking.configure() was not called"
        seen: list[str] = []
        feats: list[str] = []
        dutch = doc._.taal == "nl"
        for tok in doc:
            if tok.is_punct or tok.is_space:
                continue
            if not dutch:  # Dutch spelling correction and compounds would bend other languages' words
                seen.append(tok.text)
                feats.append(tok.text)
                continue
            for w in CHAT_WORDS.get(tok.text, tok.text).split():
                fixed = self.lexicon.correct(w) if w.isalpha() else ("NUM" if w.isdigit() else w)
                seen.append(fixed)
                feats.append(fixed)
                lemma = self.lemmas.get(fixed)
                if lemma and lemma != fixed:
                    feats.append(lemma)
                feats.extend(f"deel_{p}" for p in self.lexicon.split(fixed))
        feats.extend("syn_" + t.replace(" ", "_") for t in self.synonyms.expand(seen))
        doc._.woorden = seen
        doc._.kenmerken = " ".join(feats)
        return doc


def make_nlp(lexicon: Lexicon, synonyms: Synonyms) -> Language:
    nlp = spacy.blank("nl", config={"nlp": {"tokenizer": {"@tokenizers": "buurtwijzer_tokenizer"}}})
    cast(Verrijking, nlp.add_pipe("buurtwijzer_verrijking")).configure(lexicon, synonyms, lemma_table())
    return nlp


def analyse(nlp: Language, text: str, taal: str = "nl") -> Doc:
    """Normalise (case, accents, emoji, repeated letters) and run the pipeline."""
    return analyse_normalised(nlp, normalise(text), taal)


def analyse_normalised(nlp: Language, normalised: str, taal: str = "nl") -> Doc:
    """The pipeline over text that is normalised already, in the message's language."""
    doc = nlp.make_doc(normalised)
    doc._.taal = taal
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc
