"""Which language a message is written in.

In this order: a script that belongs to one language (Tifinagh, Ge'ez); a language asked for in so
many words ("in English please"); a phrase the intents know in
one language only ("merhaba", "thanks"); Arabic in Latin letters (digits inside words); then
py3langid's model (it ships its model) over the languages in locales/talen.yml. Names of services,
places and laws ("buurtteam", "Wmo", "tafeltje dekje") are taken out first: English speakers use
them too, so they say nothing about the language. With fewer than `min_woorden` words and nothing
else to go on, the answer is None (the caller keeps the language it had), unless the model is fairly
sure a short message is English, or the words the intents' examples know all belong to one language.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from knowledge import yamlio
from knowledge.text import fold

TALEN_FILE = Path(__file__).resolve().parent.parent / "locales" / "talen.yml"
MODEL_FILE = "taal.npz.xz"   # py3langid's model cut down to our languages, written by the build
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
# A digit between letters in a word of four or more ("kat3ref", "l7achich") or before three letters
# ("3andi"); not "3am", "7pm" or "b2b".
ARABIZI = re.compile(r"\b(?=[a-z0-9]{4,}\b)[a-z]+[2379][a-z]+\b|\b[2379][a-z]{3,}\b")
NON_LATIN = re.compile(r"[^\x00-\u024f\u1e00-\u1eff\W\d_]")   # a letter of another script
RTL = {"ar", "fa", "he", "ur"}


@dataclass(frozen=True)
class Taal:
    code: str
    interface: bool = False
    antwoorden: bool = False

    @property
    def rtl(self) -> bool:
        return self.code in RTL


def load_talen(path: Path = TALEN_FILE) -> dict:
    return yamlio.safe_load(path.read_text(encoding="utf-8"))


def phrase_key(text: str) -> str:
    return " ".join(WORD.findall(fold(text.lower())))


class Taalherkenner:
    def __init__(self, config: dict, phrases: dict[str, str] | None = None, names: Iterable[str] = (),
                 words: dict[str, str] | None = None, model: Path | None = None):
        self.talen = {code: Taal(code, bool(opts.get("interface")), bool(opts.get("antwoorden")))
                      for code, opts in config["talen"].items()}
        self.min_words = int(config.get("min_woorden", 3))
        self.sure = float(config.get("zeker", 0.5))
        self.sure_other = float(config.get("zeker_andere_taal", 0.9))
        self.sure_short = float(config.get("zeker_kort_engels", 0.4))
        self.arabizi = config.get("arabizi")
        asked = [(code, "|".join(re.escape(fold(p.lower())) for p in phrases))
                 for code, phrases in (config.get("gevraagd") or {}).items() if phrases]
        self.asked_codes = {f"t{i}": code for i, (code, _) in enumerate(asked)}   # group names: "ar-Latn" is none
        self.asked = re.compile("|".join(rf"\b(?P<t{i}>{alts})\b" for i, (_, alts) in enumerate(asked))) if asked else None
        self.scripts = [(re.compile(f"[{opts['schrift']}]"), code)
                        for code, opts in config["talen"].items() if opts.get("schrift")]
        self.langid_codes = {lid: code for code, opts in config["talen"].items() if not opts.get("schrift")
                             for lid in (opts.get("langid") or [code])}
        self.phrases = phrases or {}
        self.words = words or {}
        names = sorted({form for n in names if n and n.strip() for form in (n.lower().strip(), fold(n.lower()).strip())},
                       key=len, reverse=True)
        self.names = re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b") if names else None
        self.model = model
        self._identifier = None

    @property
    def identifier(self):
        if self._identifier is None:
            import py3langid.langid as langid

            if self.model is not None and self.model.is_file():   # 0.1 s instead of 0.9 s for all 142
                self._identifier = langid.LanguageIdentifier.from_model_file(self.model, norm_probs=True)
            else:
                ident = langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)
                ident.set_languages(sorted(self.langid_codes))
                self._identifier = ident
        return self._identifier

    def save_model(self, path: Path) -> Path:
        """py3langid's model with only our languages, as the same file format (it loads 8× faster)."""
        from py3langid import langid, modelio

        ptc, pc, classes, nextmove, row, output = modelio.load_model(langid.MODEL_DIR / langid.MODEL_FILE)
        keep = [i for i, c in enumerate(classes) if c in self.langid_codes]
        modelio.save_model(path, (ptc[:, keep], pc[keep], [classes[i] for i in keep], nextmove, row, output))
        return path

    def detect(self, text: str) -> str | None:
        """The language code of `text`, or None when it cannot be told."""
        for script, code in self.scripts:
            if len(script.findall(text)) >= 2:
                return code
        key = phrase_key(text)
        asked = self.asked_for(text)
        if asked:
            return asked
        if key in self.phrases:
            return self.phrases[key]
        lowered = text.lower()
        if self.arabizi and ARABIZI.search(lowered):
            return self.arabizi
        latin = not NON_LATIN.search(text)
        rest = self.names.sub(" ", lowered) if self.names else lowered
        if not WORD.search(rest):
            return None
        lid, prob = self.identifier.classify(rest)
        code = self.langid_codes.get(lid, lid)
        if latin and len(WORD.findall(rest)) < self.min_words:
            # A word or two: English when the model is fairly sure ("night shelter"); another language
            # when the words the examples know all belong to it ("dzięki wielkie" → pl).
            if code == "en" and prob >= self.sure_short:
                return "en"
            return self._by_words(key)
        return self._check(code, prob, latin, key)

    def asked_for(self, text: str) -> str | None:
        """The language the message asks for in so many words ("in English please"), if any."""
        m = self.asked.search(phrase_key(text)) if self.asked else None
        return self.asked_codes[m.lastgroup] if m else None

    def _by_words(self, key: str) -> str | None:
        langs = {self.words[w] for w in key.split() if w in self.words}
        return langs.pop() if len(langs) == 1 else None

    def _check(self, code: str, prob: float, latin: bool, key: str) -> str | None:
        """The model's answer, unless it is unsure in Latin letters: then the words the examples know
        decide ("tanmirt a wma"), else Dutch for a language we answer in and nothing for another."""
        unsure = latin and ((code != "nl" and prob < self.sure) or (code not in ("nl", "en") and prob < self.sure_other))
        if not unsure:
            return code
        return self._by_words(key) or ("nl" if code in ("nl", "en") or prob < self.sure else None)

    def taal(self, code: str | None) -> Taal | None:
        return self.talen.get(code) if code else None

    def warm(self) -> None:
        self.identifier.classify("hallo")
