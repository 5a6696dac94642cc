"""What a valid source record looks like, and the checks that enforce it.

Every error names the file, the record and the field, so an editor can fix it
without reading Python.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, NoReturn, cast

TOEGANGSROUTES = (
    "vrij_toegankelijk",
    "via_buurtteam",
    "via_wmo_loket",
    "via_regionale_toegang",
    "via_stadsteam_back_up",
    "via_huisarts",
    "via_veilig_thuis",
    "via_gemeente",
    "onbekend",
)
# The three language levels every answer is written at.
NIVEAUS = ("eenvoudig", "standaard", "professional")
DOELGROEPEN = (
    "alle_inwoners",
    "ouderen",
    "jeugd_gezin",
    "jongeren",
    "mantelzorgers",
    "mensen_met_beperking",
    "lvb",
    "psychisch_kwetsbaren",
    "dak_en_thuislozen",
    "mensen_met_schulden",
    "verslaving",
    "nieuwkomers",
    "lhbtiq",
    "slachtoffers_geweld",
    "vrijwilligers",
    "professionals",
)
THEMAS = (
    "toegang",
    "wonen",
    "huishouden",
    "mobiliteit",
    "dagbesteding_werk",
    "begeleiding",
    "mantelzorg",
    "ontmoeting",
    "geld",
    "opvoeding",
    "psychisch",
    "verslaving",
    "opvang",
    "veiligheid",
    "eten",
    "informatie_advies",
    "vrijwilligers",
    "gezondheid",
    "regels_kosten",
)
# The pictogram concepts; web/pictogrammen.yml gives each its picture and Dutch alt text (same set).
PICTOGRAMMEN = (
    "buurtteam",
    "loket",
    "telefoon",
    "huis",
    "schoonmaken",
    "rolstoel",
    "trap",
    "vervoer",
    "dagbesteding",
    "begeleiding",
    "beschermd_wonen",
    "eten",
    "mantelzorg",
    "rust",
    "samen",
    "buurthuis",
    "vrijwilliger",
    "geld",
    "gezin",
    "kind",
    "psychisch",
    "verslaving",
    "bed",
    "kosten",
    "pgb",
    "meepraten",
    "klacht",
    "brief",
    "kaart",
    "alarm",
    "hart",
    "zwaai",
    "informatie",
    "vraag",
    "klok",
    "kalender",
    "mens",
    "duim",
    "buiten",
    "veilig",
    "ziekenhuis",
    "praten",
    "makkelijker",
    "voorlezen",
    "locatie",
    "schrijven",
    "lijst",
    "jongere",
    "oudere",
    "werk",
    "geen_huis",
    "alleen",
    "crisis",
    "huisarts",
    "zien",
    "kou",
)
STATUSSEN = ("bron", "voorbeeld")
DAGEN = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
POSTCODE_RE = re.compile(r"^[1-9][0-9]{3} ?[A-Z]{2}$")
# Dutch numbers: 10 digits starting with 0, the free/paid service numbers, or 112/113.
PHONE_RE = re.compile(r"^(?:0[0-9 -]{9,12}|0800-?[0-9]{4}|0900-?[0-9]{4,7}|112|113)$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")
TIME_RE = re.compile(r"^(?:[01][0-9]|2[0-3]):[0-5][0-9]$")
LINES_RE = re.compile(r"^([0-9]+)(?:-([0-9]+))?$")
# A reference from an answer text to the kaart: {{regel:id}}, {{bronzin:id}}, {{kosten:id}}, {{voorziening:id}}.
PLACEHOLDER_RE = re.compile(r"\{\{\s*(regel|bronzin|kosten|voorziening)\s*:\s*([a-z0-9-]+)\s*\}\}")


@dataclass
class DataError(Exception):
    file: str
    record: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: record {self.record}"
        if self.field:
            where += f", veld '{self.field}'"
        return f"{where}: {self.message}"


class Checker:
    """Checks one record; raises DataError naming file, record and field."""

    def __init__(self, file: str, record: dict[str, Any], index: int):
        self.file, self.record = file, record
        rid = record.get("id") or record.get("term") or record.get("intent")
        self.label = f"'{rid}' (nr. {index + 1})" if rid else f"nr. {index + 1}"

    def fail(self, field: str, message: str) -> NoReturn:
        raise DataError(self.file, self.label, field, message)

    def get(self, field: str, required: bool = True) -> Any:
        value = self.record.get(field)
        if required and (value is None or value == "" or value == []):
            self.fail(field, "ontbreekt of is leeg")
        return value

    def text(self, field: str, required: bool = True) -> str | None:
        value = self.get(field, required)
        if value is not None and not isinstance(value, str):
            self.fail(field, f"moet tekst zijn, niet {type(value).__name__}")
        return value

    def choice(self, field: str, choices: Collection[str], required: bool = True) -> Any:
        value = self.get(field, required)
        if value is not None and value not in choices:
            self.fail(field, f"onbekende waarde {value!r}; kies uit: {', '.join(choices)}")
        return value

    def choices(
        self, field: str, choices: Collection[str], required: bool = True, extra: Collection[str] = ()
    ) -> list[Any]:
        values = self.get(field, required) or []
        if not isinstance(values, list):
            self.fail(field, "moet een lijst zijn")
        for v in values:
            if v not in choices and v not in extra:
                self.fail(field, f"onbekende waarde {v!r}; kies uit: {', '.join(choices)}")
        return values

    def strings(self, field: str, required: bool = True) -> list[str]:
        values = self.get(field, required) or []
        if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
            self.fail(field, "moet een lijst met tekst zijn")
        return cast("list[str]", values)

    def pattern(self, field: str, regex: re.Pattern[str], what: str, required: bool = True, value: Any = None) -> Any:
        value = self.get(field, required) if value is None else value
        if value is not None and not (isinstance(value, str) and regex.match(value)):
            self.fail(field, f"ongeldig {what}: {value!r}")
        return value

    def date(self, field: str) -> dt.date:
        value = self.get(field)
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                self.fail(field, f"ongeldige datum {value!r}; schrijf JJJJ-MM-DD")
        if not isinstance(value, dt.date):
            self.fail(field, "moet een datum zijn (JJJJ-MM-DD)")
        return value

    def bron(
        self,
        field: str = "bron",
        required: bool = True,
        seed_lengths: dict[str, int] | None = None,
        bronnen: dict[str, dict[str, Any]] | None = None,
    ) -> list[dict[str, Any]]:
        """A list of {bestand, regels}; `bestand` one of `bronnen` (bronnen.yaml)."""
        values = self.get(field, required) or []
        if not isinstance(values, list):
            self.fail(field, "moet een lijst zijn van {bestand, regels}")
        values = cast("list[dict[str, Any]]", values)
        for b in values:
            if not isinstance(b, dict) or set(b) - {"bestand", "regels"}:
                self.fail(field, f"moet {{bestand, regels}} zijn, niet {b!r}")
            bestand = b.get("bestand")
            if not isinstance(bestand, str) or bestand not in (bronnen or {}):
                self.fail(field, f"onbekend bronbestand {bestand!r}")
            if "regels" not in b and (bronnen or {})[bestand].get("soort") == "datapakket":
                continue
            m = LINES_RE.match(str(b.get("regels", "")))
            if not m:
                self.fail(field, f"regels moet 'van-tot' zijn, niet {b.get('regels')!r}")
            start, end = int(m.group(1)), int(m.group(2) or m.group(1))
            if end < start or start < 1:
                self.fail(field, f"regels {b.get('regels')!r} lopen achteruit")
            if seed_lengths and end > seed_lengths.get(b["bestand"], end):
                self.fail(field, f"{b['bestand']} heeft maar {seed_lengths[b['bestand']]} regels")
        return values


def check_unique(file: str, records: list[dict[str, Any]], key: str = "id") -> None:
    seen: dict[Any, int] = {}
    for i, rec in enumerate(records):
        value = rec.get(key)
        if value in seen:
            raise DataError(
                file, f"'{value}' (nr. {i + 1})", key, f"dubbel: dezelfde {key} staat ook bij nr. {seen[value] + 1}"
            )
        seen[value] = i


def bron_label(bron: Mapping[str, Any], bronnen: Mapping[str, Mapping[str, Any]]) -> str:
    """A source as people read it: "Wmo-beleidsnota (2024), r. 437-440", not a file name."""
    meta = bronnen.get(bron.get("bestand", ""))
    name = f"{meta['titel']} ({meta['jaar']})" if meta else str(bron.get("bestand", ""))
    return f"{name}, r. {bron['regels']}" if bron.get("regels") else name
