"""The spaCy pipeline that turns a message into classifier features.

spacy.blank("nl") tokenizes; the lookup lemmatizer (spacy-lookups-data) gives
lemmas; the registered `buurtwijzer_verrijking` component corrects spelling
against the KB lexicon, splits compounds and adds KB synonyms. No model
download is involved: everything comes from installed packages and our build.
"""
from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from knowledge.search import Synonyms
from knowledge.text import CHAT_WORDS, Lexicon, normalise

if not Doc.has_extension("kenmerken"):
    Doc.set_extension("kenmerken", default=None)
    Doc.set_extension("woorden", default=None)


@Language.factory("buurtwijzer_verrijking")
def make_verrijking(nlp: Language, name: str):
    return Verrijking()


class Verrijking:
    """Spelling, compounds and synonyms. Needs `configure` with the KB lexicon before use."""

    def __init__(self):
        self.lexicon: Lexicon | None = None
        self.synonyms: Synonyms | None = None
        self.lemmas: dict = {}

    def configure(self, lexicon: Lexicon, synonyms: Synonyms, lemmas: dict) -> None:
        self.lexicon, self.synonyms, self.lemmas = lexicon, synonyms, lemmas

    def __call__(self, doc: Doc) -> Doc:
        assert self.lexicon is not None, "Verrijking.configure() was not called"
        seen: list[str] = []
        feats: list[str] = []
        for tok in doc:
            if tok.is_punct or tok.is_space:
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
    nlp = spacy.blank("nl")
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.add_pipe("buurtwijzer_verrijking")
    nlp.initialize()
    table = lemmatizer.lookups.get_table("lemma_lookup")
    nlp.get_pipe("buurtwijzer_verrijking").configure(lexicon, synonyms, table)
    return nlp


def analyse(nlp: Language, text: str) -> Doc:
    """Normalise (case, accents, emoji, repeated letters) and run the pipeline."""
    return nlp(normalise(text))
