"""The intents: one reviewable YAML file per intent in intents/data/, and more examples beside it.

intents/data/<id>.yml holds the intent (name, label, route, kind, pictogram, links) and Dutch examples.
Its kind (`soort`) says how the assistant treats it: crisis (the safety answer first), gesprek (small
talk and dialogue control), probleem (a problem in someone's life: several at once -> the buurtteam)
or onderwerp (any other topic).
Each subfolder adds examples of one language or register to intents that exist: en/ (English, with
the English label), professioneel/ (case descriptions by professionals), alledaags/ (everyday words,
low-literate style), talen/ (greetings and the like in other languages, a list per language code).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal, cast

import yaml

from knowledge import yamlio
from knowledge.schema import PICTOGRAMMEN, DataError

DATA_DIR = Path(__file__).parent / "data"
Soort = Literal["crisis", "gesprek", "probleem", "onderwerp"]
ROUTES = ("buurtteam", "loket", "opvang", "crisis", "geen")
SOORTEN: tuple[Soort, ...] = ("crisis", "gesprek", "probleem", "onderwerp")
TOPICS: tuple[Soort, ...] = ("probleem", "onderwerp")  # what someone asks about, not talk or a crisis


@dataclass
class Intent:
    id: str
    naam: str
    label: str
    route: str
    soort: Soort
    pictogram: str
    voorbeelden: list[str]
    voorzieningen: list[str] = field(default_factory=list)
    regels: list[str] = field(default_factory=list)
    talen: dict[str, list[str]] = field(default_factory=dict)  # the examples per language code
    labels: dict[str, str] = field(default_factory=dict)  # the label per language, beside Dutch

    def label_in(self, lang: str) -> str:
        return self.labels.get(lang, self.label)

    @property
    def is_topic(self) -> bool:
        return self.soort in TOPICS

    @property
    def is_crisis(self) -> bool:
        return self.soort == "crisis"


def of_kind(intents: Mapping[str, Intent], *soorten: Soort) -> frozenset[str]:
    """The ids of the intents of these kinds."""
    return frozenset(iid for iid, intent in intents.items() if intent.soort in soorten)


@cache
def kinds(folder: Path = DATA_DIR) -> Mapping[str, Soort]:
    """Each intent's kind, read from its own file only (no examples): for code that needs no more.
    Read once per process."""
    return {path.stem: _soort(path, _read(path)) for path in sorted(folder.glob("*.yml"))}


def _soort(path: Path, rec: dict[str, Any]) -> Soort:
    soort = rec.get("soort")
    if not soort:
        raise DataError(path.name, str(rec.get("intent")), "soort", f"ontbreekt; kies uit {', '.join(SOORTEN)}")
    if soort not in SOORTEN:
        raise DataError(
            path.name, str(rec.get("intent")), "soort", f"onbekende soort {soort!r}; kies uit {', '.join(SOORTEN)}"
        )
    return cast(Soort, soort)


def load(folder: Path = DATA_DIR) -> dict[str, Intent]:
    """All intents, validated (their links to the kaart: `buurtwijzer controle`)."""
    intents: dict[str, Intent] = {}
    for path in sorted(folder.glob("*.yml")):
        rec = _read(path)
        iid = rec.get("intent")
        if iid != path.stem:
            raise DataError(path.name, str(iid), "intent", f"moet gelijk zijn aan de bestandsnaam ({path.stem})")
        for key in ("naam", "label", "route", "pictogram", "voorbeelden"):
            if not rec.get(key):
                raise DataError(path.name, iid, key, "ontbreekt of is leeg")
        if rec["route"] not in ROUTES:
            raise DataError(path.name, iid, "route", f"onbekende route {rec['route']!r}; kies uit {ROUTES}")
        soort = _soort(path, rec)
        if rec["pictogram"] not in PICTOGRAMMEN:
            raise DataError(path.name, iid, "pictogram", f"onbekend pictogram {rec['pictogram']!r}")
        examples = [str(v).strip() for v in rec["voorbeelden"] if str(v).strip()]
        intents[iid] = Intent(
            iid,
            rec["naam"],
            rec["label"],
            rec["route"],
            soort,
            rec["pictogram"],
            examples,
            list(rec.get("voorzieningen") or []),
            list(rec.get("regels") or []),
            talen={"nl": list(examples)},
        )
    extra = sorted(folder.glob("*/*.yml"))
    if extra:
        from .taal import load_talen  # here, not at the top: taal needs rapidfuzz, `buurtwijzer --help` not

        known = set(load_talen()["talen"])
        for path in extra:
            _add_examples(path, intents, known)
    return intents


def _read(path: Path) -> dict[str, Any]:
    """One intent file as a mapping, or a DataError that names the file."""
    try:
        rec = yamlio.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DataError(path.name, "-", "", f"geen geldige YAML: {exc}") from None
    if not isinstance(rec, dict):
        raise DataError(path.name, "-", "", "moet een mapping zijn met intent, voorbeelden, ...")
    return rec


def _add_examples(path: Path, intents: dict[str, Intent], known: set[str]) -> None:
    """Examples of one language or register, for an intent that intents/data/ already has."""
    where = f"{path.parent.name}/{path.name}"
    rec = _read(path)
    iid = rec.get("intent")
    if iid != path.stem or iid not in intents:
        raise DataError(
            where,
            str(iid),
            "intent",
            f"moet gelijk zijn aan de bestandsnaam ({path.stem}) en aan een intent in intents/data/",
        )
    given = rec.get("voorbeelden")
    per_lang: dict[object, object] = given if isinstance(given, dict) else {rec.get("taal") or "nl": given}
    lists = {lang: texts for lang, texts in per_lang.items() if isinstance(texts, list) and texts}
    if not per_lang or len(lists) < len(per_lang):
        raise DataError(where, iid, "voorbeelden", "ontbreekt of is leeg: een lijst, of een lijst per taal")
    intent = intents[iid]
    for lang, texts in lists.items():
        if str(lang).split("-")[0] not in known:  # "ar-Latn": Arabic in Latin letters
            raise DataError(
                where,
                iid,
                "taal",
                f"onbekende taal {lang!r}; kies uit locales/talen.yml "
                f"({', '.join(sorted(known))}), eventueel met -Latn",
            )
        cleaned = [str(v).strip() for v in texts if str(v).strip()]
        intent.voorbeelden.extend(cleaned)
        intent.talen.setdefault(str(lang), []).extend(cleaned)
    if rec.get("label") and rec.get("taal"):
        intent.labels[rec["taal"]] = str(rec["label"])


def examples(intents: dict[str, Intent]) -> list[tuple[str, str]]:
    return [(text, iid) for iid, intent in intents.items() for text in intent.voorbeelden]


def examples_with_language(intents: dict[str, Intent]) -> list[tuple[str, str, str]]:
    """(text, intent, language code) for every example."""
    return [
        (text, iid, lang) for iid, intent in intents.items() for lang, texts in intent.talen.items() for text in texts
    ]
