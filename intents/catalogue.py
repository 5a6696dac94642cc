"""The intents: one reviewable YAML file per intent in intents/data/."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from knowledge import yamlio
from knowledge.schema import PICTOGRAMMEN, DataError

DATA_DIR = Path(__file__).parent / "data"
ROUTES = ("buurtteam", "loket", "crisis", "geen")
CRISIS = ("crisis_suicide", "huiselijk_geweld", "noodgeval")
# Small talk and dialogue control; everything else is a topic.
GESPREK = ("groet", "afscheid", "bedankt", "wat_kun_je", "mens_spreken", "eenvoudiger", "buiten_bereik")
# Topics that are a problem in someone's life: several at once -> the buurtteam.
PROBLEMEN = ("geldzorgen", "verslaving", "dakloosheid", "psychische_problemen", "eenzaamheid",
             "jeugd_gezin", "begeleiding", "huishoudelijke_hulp", "respijtzorg", "beschermd_wonen",
             "maaltijden")


@dataclass
class Intent:
    id: str
    naam: str
    label: str
    route: str
    pictogram: str
    voorbeelden: list[str]
    voorzieningen: list[str] = field(default_factory=list)
    regels: list[str] = field(default_factory=list)

    @property
    def is_crisis(self) -> bool:
        return self.id in CRISIS

    @property
    def is_topic(self) -> bool:
        return self.id not in CRISIS and self.id not in GESPREK


def load(folder: Path = DATA_DIR, voorzieningen: set[str] | None = None,
         regels: set[str] | None = None) -> dict[str, Intent]:
    """All intents, validated. Pass KB ids to also check the references."""
    intents: dict[str, Intent] = {}
    for path in sorted(folder.glob("*.yml")):
        try:
            rec = yamlio.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise DataError(path.name, "-", "", f"geen geldige YAML: {exc}") from None
        if not isinstance(rec, dict):
            raise DataError(path.name, "-", "", "moet een mapping zijn met intent, voorbeelden, ...")
        iid = rec.get("intent")
        if iid != path.stem:
            raise DataError(path.name, str(iid), "intent", f"moet gelijk zijn aan de bestandsnaam ({path.stem})")
        for key in ("naam", "label", "route", "pictogram", "voorbeelden"):
            if not rec.get(key):
                raise DataError(path.name, iid, key, "ontbreekt of is leeg")
        if rec["route"] not in ROUTES:
            raise DataError(path.name, iid, "route", f"onbekende route {rec['route']!r}; kies uit {ROUTES}")
        if rec["pictogram"] not in PICTOGRAMMEN:
            raise DataError(path.name, iid, "pictogram", f"onbekend pictogram {rec['pictogram']!r}")
        examples = [str(v).strip() for v in rec["voorbeelden"] if str(v).strip()]
        for key, known in (("voorzieningen", voorzieningen), ("regels", regels)):
            for ref in rec.get(key) or []:
                if known is not None and ref not in known:
                    raise DataError(path.name, iid, key, f"onbekende id {ref!r}")
        intents[iid] = Intent(iid, rec["naam"], rec["label"], rec["route"], rec["pictogram"], examples,
                              list(rec.get("voorzieningen") or []), list(rec.get("regels") or []))
    return intents


def examples(intents: dict[str, Intent]) -> list[tuple[str, str]]:
    return [(text, iid) for iid, intent in intents.items() for text in intent.voorbeelden]
