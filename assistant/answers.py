"""Answer texts per intent and niveau, from assistant/answers/*.yml, filled from the KB."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from knowledge import yamlio
from knowledge.schema import NIVEAUS, PICTOGRAMMEN, PLACEHOLDER_RE, DataError
from knowledge.store import KnowledgeBase
from knowledge.tuning import value

ANSWERS_DIR = Path(__file__).parent / "answers"
PLACEHOLDER = PLACEHOLDER_RE
GEMEENTE = re.compile(r"\{\{\s*gemeente\s*\}\}")


@dataclass
class Step:
    text: str
    pictogram: str

    def to_json(self) -> dict:
        return {"text": self.text, "pictogram": self.pictogram}


@dataclass
class Answer:
    niveau: str
    text: str
    steps: list[Step]
    sources: list[dict] = field(default_factory=list)
    lang: str = "nl"
    pictogram: str | None = None  # a dialogue message's picture (an answer's pictures are its steps)

    def to_json(self) -> dict:
        lead, more = split_lead(self.text)
        return {
            "niveau": self.niveau,
            "text": self.text,
            "lead": lead,
            "more": more,
            "steps": [s.to_json() for s in self.steps],
            "sources": self.sources,
            "lang": self.lang,
            "pictogram": self.pictogram,
        }


LEAD_SENTENCES = value("answers", "lead_sentences")  # knowledge/tuning.yml says why
LEAD_WORDS = value("answers", "lead_words")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9À-Ý\"'(])")


def split_lead(text: str) -> tuple[str, str]:
    """The few words that come before the steps, and the rest, which waits behind "Meer uitleg"."""
    sentences = [s for s in SENTENCE_END.split(text.strip()) if s]
    lead: list[str] = []
    for s in sentences:
        if lead and (len(lead) >= LEAD_SENTENCES or len(" ".join(lead + [s]).split()) > LEAD_WORDS):
            break
        lead.append(s)
    return " ".join(lead), " ".join(sentences[len(lead) :])


def load(folder: Path = ANSWERS_DIR) -> dict[str, dict]:
    """Raw answer data per intent, validated for shape and pictograms. Beside the Dutch a file may
    hold eenvoudig and standaard in every other answer language of locales/talen.yml."""
    from intents.taal import answer_languages

    translations = [code for code in answer_languages() if code != "nl"]
    out: dict[str, dict] = {}
    for path in sorted(folder.glob("*.yml")):
        rec = yamlio.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(rec, dict) or rec.get("intent") != path.stem:
            raise DataError(path.name, path.stem, "intent", "moet gelijk zijn aan de bestandsnaam")
        for niveau in NIVEAUS:
            _check_level(path, rec.get(niveau), niveau)
        for lang in translations:
            if lang in rec:
                if not isinstance(rec[lang], dict):
                    raise DataError(path.name, path.stem, lang, "moet een mapping met eenvoudig en standaard zijn")
                for niveau in ("eenvoudig", "standaard"):
                    _check_level(path, rec[lang].get(niveau), f"{lang}.{niveau}")
        out[path.stem] = rec
    return out


def _check_level(path: Path, level, where: str) -> None:
    if not isinstance(level, dict) or not isinstance(level.get("tekst"), str):
        raise DataError(path.name, path.stem, where, "ontbreekt of heeft geen 'tekst'")
    for i, step in enumerate(level.get("stappen") or []):
        if not isinstance(step, dict) or not step.get("tekst"):
            raise DataError(path.name, path.stem, f"{where}.stappen[{i + 1}]", "stap zonder tekst")
        if step.get("pictogram") not in PICTOGRAMMEN:
            raise DataError(
                path.name, path.stem, f"{where}.stappen[{i + 1}]", f"onbekend pictogram {step.get('pictogram')!r}"
            )


class AnswerBook:
    def __init__(self, kb: KnowledgeBase, data: dict[str, dict] | None = None):
        self.kb = kb
        self.data = data if data is not None else load()

    def fill(self, text: str) -> str:
        """The placeholders filled from the kaart: {{regel:id}}, {{bronzin:id}}, {{kosten:id}},
        {{voorziening:id}} and {{gemeente}}. A placeholder the gemeente's kaart cannot fill is left
        out (`buurtwijzer controle` lists them)."""

        def one(m: re.Match) -> str:
            kind, ref = m.group(1), m.group(2)
            if kind in ("regel", "bronzin"):
                regel = self.kb.regel(ref)
                if regel is None:
                    return ""
                if kind == "regel":
                    return regel["regel"].strip()
                bron = "; ".join(self.kb.bron_label(b) for b in regel["bron"])
                return f"\u201c{regel['bronzin'].strip()}\u201d (bron: {bron})"
            v = self.kb.voorziening(ref)
            if v is None:
                return ""
            return v["kosten"].strip() if kind == "kosten" else v["naam"]

        text = GEMEENTE.sub(self.kb.gemeente()["naam"], PLACEHOLDER.sub(one, text))
        return re.sub(r"[ \t]{2,}", " ", text).strip()

    def has(self, intent: str) -> bool:
        return intent in self.data

    def render(
        self, intent: str, niveau: str, voorzieningen: list[str] = (), regels: list[str] = (), lang: str = "nl"
    ) -> Answer:
        """The answer at this niveau; in `lang` when the file has that translation (professional stays Dutch)."""
        data = self.data[intent]
        dutch = data.get(niveau) or data["standaard"]
        translated = (data.get(lang) or {}).get(niveau) if lang != "nl" and niveau != "professional" else None
        level, lang = (translated, lang) if translated else (dutch, "nl")
        steps = [Step(self.fill(s["tekst"]), s["pictogram"]) for s in level.get("stappen") or []]
        sources = [{"bestand": b["bestand"], "regels": str(b["regels"])} for b in dutch.get("bronnen") or []]
        for rid in regels:
            r = self.kb.regel(rid)
            if r:
                sources.extend({"bestand": b["bestand"], "regels": b["regels"], "regel": rid} for b in r["bron"])
        for vid in voorzieningen:
            v = self.kb.voorziening(vid)
            if v:
                sources.extend({"bestand": b["bestand"], "regels": b["regels"], "voorziening": vid} for b in v["bron"])
        return Answer(niveau, self.fill(level["tekst"]), steps, _dedupe(sources), lang)


def _dedupe(sources: list[dict]) -> list[dict]:
    seen, out = set(), []
    for s in sources:
        key = (s["bestand"], s["regels"])
        if key not in seen:
            seen.add(key)
            out.append(s)
    return out


def full_text(answer: Answer) -> str:
    """The answer as one text: paragraph, then each step as a sentence."""
    parts = [answer.text] + [s.text for s in answer.steps]
    return "\n".join(p.strip() for p in parts if p.strip())


def all_answers(book: AnswerBook, intents: dict, niveaus=NIVEAUS, langs=("nl",)):
    """(intent, niveau, Answer) for every intent with answer data, filled from the KB; per language,
    the answers that file has in that language (a translation covers eenvoudig and standaard)."""
    for iid in sorted(book.data):
        meta = intents.get(iid)
        for lang in langs:
            for niveau in niveaus:
                if lang != "nl" and (niveau == "professional" or niveau not in (book.data[iid].get(lang) or {})):
                    continue
                yield (
                    iid,
                    niveau,
                    book.render(
                        iid, niveau, meta.voorzieningen if meta else [], meta.regels if meta else [], lang=lang
                    ),
                )
