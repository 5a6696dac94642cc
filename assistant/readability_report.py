"""Run the readability measures over every answer the assistant can give."""

from __future__ import annotations

import re

from knowledge.text import fold

from . import leesbaarheid
from .answers import all_answers, full_text

STEPS = {"eenvoudig": (3, 5), "standaard": (2, 6), "professional": (0, 8)}


def known_words(kb) -> set[str]:
    """Glossary terms, place and organisation names: not 'uncommon' for our readers."""
    known = {"buurtteam", "buurtteams", "utrecht", "mantelzorger", "mantelzorgers", "mantelzorg"}
    sources = [t["term"] for t in kb.woordenlijst()]
    for w in kb.wijken():
        sources += [w["naam"], *w["buurten"]]
    for t in kb.buurtteams():
        sources.append(t["naam"])
    for text in sources:
        known.update(re.findall(r"[a-z]+", fold(text)))
    return known


def explained(text: str, kb) -> list[str]:
    """Glossary terms used in a standaard text without an explanation in the same sentence."""
    missing = []
    for entry in kb.woordenlijst():
        term = fold(entry["term"])
        if len(term) < 4:
            continue
        for sentence in leesbaarheid.sentences(text):
            s = fold(sentence)
            if re.search(rf"\b{re.escape(term)}\b", s):
                if not re.search(
                    r"\b(dat is|dat zijn|dat betekent|betekent|dus|oftewel|:|\(|, (een|de|het|iemand|die|dat|wat))", s
                ):
                    missing.append(entry["term"])
                break
    return missing


def check_all(assistant) -> list[dict]:
    kb = assistant.kb
    known = known_words(kb)
    results = []
    for iid, niveau, answer in all_answers(assistant.book, assistant.intents, langs=("nl", "en")):
        text = full_text(answer)
        m = leesbaarheid.measure(text, known, answer.lang)
        problems = leesbaarheid.problems(m, niveau)
        low, high = STEPS[niveau]
        if iid in assistant.intents and assistant.intents[iid].is_topic and not low <= len(answer.steps) <= high:
            problems.append(f"{len(answer.steps)} stappen (moet {low}-{high} zijn)")
        if niveau == "eenvoudig" and any(not s.pictogram for s in answer.steps):
            problems.append("stap zonder pictogram")
        if niveau == "eenvoudig" and m.langste_zin > 15:
            problems.extend(d for d in m.details[:3])
        warnings = (
            [f"term zonder uitleg in dezelfde zin: {t}" for t in explained(text, kb) if t != "buurtteam"]
            if niveau == "standaard" and answer.lang == "nl"
            else []
        )
        results.append(
            {
                "intent": iid,
                "niveau": niveau,
                "taal": answer.lang,
                "text": text,
                "metingen": m.to_dict(),
                "problemen": problems,
                "waarschuwingen": warnings,
            }
        )
    texts = [(f"dialoog.{key}", entry["tekst"], "nl") for key, entry in assistant.teksten.items()]
    texts += [(f"dialoog.{key}", entry["en"], "en") for key, entry in assistant.teksten.items() if entry.get("en")]
    texts += [(f"crisis.{key}", text, "nl") for key, text in assistant.crisis.dutch_texts()]
    for key, text, lang in texts:
        m = leesbaarheid.measure(text, known, lang)
        results.append(
            {
                "intent": key,
                "niveau": "eenvoudig",
                "taal": lang,
                "text": text,
                "metingen": m.to_dict(),
                "problemen": leesbaarheid.problems(m, "eenvoudig"),
                "waarschuwingen": [],
            }
        )
    return results
