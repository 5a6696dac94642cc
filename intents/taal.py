"""Which language a message is written in.

In this order: a script that belongs to one language (Tifinagh, Ge'ez); a language asked for in so
many words ("in English please"); a phrase the intents know in one language only ("merhaba",
"dziękuję"); Arabic in Latin letters (digits inside words); then py3langid's model (it ships its
model) over the languages in locales/talen.yml. Names of services, organisations and places
("buurtteam", "Wmo", "tafeltje dekje", "Overvecht") are taken out first: English speakers use them
too, so they say nothing about the language.

With fewer than `min_woorden` words the model alone does not decide: a short message is English
when the model is fairly sure and no word in it is Dutch only; otherwise it takes the language its
known words all belong to, or none (None: the caller keeps the language it had).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

from knowledge import yamlio
from knowledge.text import fold

TALEN_FILE = Path(__file__).resolve().parent.parent / "locales" / "talen.yml"
MODEL_FILE = "taal.npz.xz"  # py3langid's model cut down to our languages, written by the build
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
# A digit between letters in a word of four or more ("kat3ref", "l7achich"), or 3/7 for ع/ح before a
# vowel ("3andi", "7ata"); not "3am", "b2b", "9uur", "2kinderen" or "3jaar".
ARABIZI = re.compile(r"\b(?=[a-z0-9]{4,}\b)[a-z]+[2379][a-z]+\b|\b[37][aei][a-z]{2,}\b")
NON_LATIN = re.compile(r"[^\x00-\u024f\u1e00-\u1eff\W\d_]")  # a letter of another script
RTL = frozenset({"ar", "fa", "he", "ur"})
Talen = dict[str, Any]  # locales/talen.yml as read: see the comments in that file


class Identifier(Protocol):
    """What we use of py3langid's LanguageIdentifier (py3langid has no type information)."""

    def classify(self, text: str) -> tuple[str, float]: ...

    def set_languages(self, langs: list[str]) -> None: ...


def load_talen(path: Path = TALEN_FILE) -> Talen:
    talen: Talen = yamlio.safe_load(path.read_text(encoding="utf-8"))
    return talen


def answer_languages(config: Talen | None = None) -> tuple[str, ...]:
    """The languages the answers are written in (antwoorden: true), Dutch first."""
    talen = (config or load_talen())["talen"]
    return tuple(code for code, opts in talen.items() if opts.get("antwoorden"))


def base_code(code: str) -> str:
    """ "ar-Latn" -> "ar": the language, whatever the script."""
    return code.split("-")[0]


def phrase_key(text: str) -> str:
    return phrase_key_folded(fold(text))


def phrase_key_folded(folded: str) -> str:
    """The words of a folded message, for the phrase and word lists."""
    return " ".join(WORD.findall(folded))


def example_lexicon(examples: Iterable[tuple[str, str]]) -> tuple[dict[str, str], dict[str, str], set[str]]:
    """From (text, language) pairs, in one pass: the texts and the words that occur in one language
    only (they tell the language of a short message), and every word the examples use."""
    phrase_langs: dict[str, set[str]] = {}
    word_langs: dict[str, set[str]] = {}
    for text, lang in examples:
        key, lang = phrase_key(text), base_code(lang)
        phrase_langs.setdefault(key, set()).add(lang)
        for w in key.split():
            word_langs.setdefault(w, set()).add(lang)

    def one(seen: dict[str, set[str]]) -> dict[str, str]:
        return {k: next(iter(langs)) for k, langs in seen.items() if k and len(langs) == 1}

    return one(phrase_langs), one(word_langs), set(word_langs)


class Taalherkenner:
    @classmethod
    def from_examples(
        cls, config: Talen, examples: Iterable[tuple[str, str]], names: Iterable[str] = (), model: Path | None = None
    ) -> Taalherkenner:
        phrases, words, vocabulary = example_lexicon(examples)
        return cls(config, phrases, names, words, model, vocabulary)

    def __init__(
        self,
        config: Talen,
        phrases: dict[str, str] | None = None,
        names: Iterable[str] = (),
        words: dict[str, str] | None = None,
        model: Path | None = None,
        vocabulary: set[str] | None = None,
    ):
        self.answer_languages = answer_languages(config)
        self.min_words = int(config.get("min_woorden", 3))
        self.sure = float(config.get("zeker", 0.5))
        self.sure_other = float(config.get("zeker_andere_taal", 0.9))
        self.sure_short = float(config.get("zeker_kort_engels", 0.4))
        self.arabizi: str | None = config.get("arabizi")  # the language of Arabic in Latin letters, if any
        asked = [
            (code, "|".join(re.escape(fold(p.lower())) for p in phrases))
            for code, phrases in (config.get("gevraagd") or {}).items()
            if phrases
        ]
        self.asked_codes = {f"t{i}": code for i, (code, _) in enumerate(asked)}  # group names: "ar-Latn" is none
        self.asked = (
            re.compile("|".join(rf"\b(?P<t{i}>{alts})\b" for i, (_, alts) in enumerate(asked))) if asked else None
        )
        self.scripts: list[tuple[re.Pattern[str], str]] = [
            (re.compile(f"[{opts['schrift']}]"), code) for code, opts in config["talen"].items() if opts.get("schrift")
        ]
        self.langid_codes: dict[str, str] = {
            lid: code
            for code, opts in config["talen"].items()
            if not opts.get("schrift")
            for lid in (opts.get("langid") or [code])
        }
        self.phrases = phrases or {}
        self.words = words or {}
        self.vocabulary = vocabulary or set(self.words)
        names = sorted(
            {form for n in names if n and n.strip() for form in (n.lower().strip(), fold(n.lower()).strip())},
            key=len,
            reverse=True,
        )
        self.names = re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b") if names else None
        self.model = model
        self._identifier: Identifier | None = None
        self._loading = threading.Lock()

    @property
    def identifier(self) -> Identifier:
        if self._identifier is None:
            with self._loading:  # threads of one worker meeting the first message together load it once
                if self._identifier is None:
                    self._identifier = self._load()
        return self._identifier

    def _load(self) -> Identifier:
        import py3langid.langid as langid

        ident: Identifier
        if self.model is not None and self.model.is_file():  # 0.1 s instead of 0.9 s for all 142
            ident = langid.LanguageIdentifier.from_model_file(self.model, norm_probs=True)
            return ident
        ident = langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)
        ident.set_languages(sorted(self.langid_codes))
        return ident

    def save_model(self, path: Path) -> Path:
        """py3langid's model with only our languages, as the same file format (it loads 8× faster)."""
        from py3langid import langid, modelio

        ptc, pc, classes, nextmove, row, output = modelio.load_model(langid.MODEL_DIR / langid.MODEL_FILE)
        keep = [i for i, c in enumerate(classes) if c in self.langid_codes]
        modelio.save_model(path, (ptc[:, keep], pc[keep], [classes[i] for i in keep], nextmove, row, output))
        return path

    def detect(self, text: str, key: str | None = None) -> str | None:
        """The language code of `text`, or None when it cannot be told; `key` its phrase_key, if known."""
        for script, code in self.scripts:
            if len(script.findall(text)) >= 2:
                return code
        key = phrase_key(text) if key is None else key
        asked = self._asked(key)
        if asked:
            return asked
        if key in self.phrases:
            return self.phrases[key]
        lowered = text.lower()
        if self.arabizi and ARABIZI.search(lowered) and self._by_words(key) not in self.answer_languages:
            return self.arabizi
        latin = not NON_LATIN.search(text)
        rest = self.names.sub(" ", lowered) if self.names else lowered
        if not WORD.search(rest):
            return None
        lid, prob = self.identifier.classify(rest)
        code = self.langid_codes.get(lid, lid)
        rest_key = phrase_key(rest)
        if latin and len(rest_key.split()) < self.min_words:
            # "night shelter" is English; "sorry hoor" is not, whatever the model says of "sorry"
            if code == "en" and prob >= self.sure_short and "nl" not in self._languages_of(rest_key):
                return "en"
            return self._by_words(key)
        found = self._check(code, prob, latin, key)
        told = self._by_words(rest_key)
        if found in self.answer_languages and told in self.answer_languages and told != found:
            return told  # "de indicatie is fout": with the name out the model saw English; "fout" is Dutch
        return found

    def asked_for(self, text: str, key: str | None = None) -> str | None:
        """The language the message asks for in so many words ("in English please"), if any."""
        return self._asked(phrase_key(text) if key is None else key)

    def _asked(self, key: str) -> str | None:
        m = self.asked.search(key) if self.asked else None
        return self.asked_codes[m.lastgroup] if m and m.lastgroup else None  # every alternative is a named group

    def _languages_of(self, key: str) -> set[str]:
        return {self.words[w] for w in key.split() if len(w) >= 3 and w in self.words}

    def knows_every_word(self, text: str) -> bool:
        """Every word of three letters or more occurs in the intents' examples: a message we can
        take at its word even in a language we do not read ("dziękuję bardzo", not "chcę się zabić")."""
        words = [w for w in phrase_key(text).split() if len(w) >= 3]
        return bool(words) and all(w in self.vocabulary for w in words)

    def _by_words(self, key: str) -> str | None:
        """The one language all the known words of the message belong to, if there is one."""
        langs = self._languages_of(key)
        return langs.pop() if len(langs) == 1 else None

    def _check(self, code: str, prob: float, latin: bool, key: str) -> str | None:
        """The model's answer, unless it is unsure in Latin letters. Below `zeker` the known words
        decide, else Dutch; a language we do not answer in also needs `zeker_andere_taal`, and
        between the two it is the known words or nothing."""
        unsure = latin and (
            (code != "nl" and prob < self.sure) or (code not in ("nl", "en") and prob < self.sure_other)
        )
        if not unsure:
            return code
        return self._by_words(key) or ("nl" if code in ("nl", "en") or prob < self.sure else None)
