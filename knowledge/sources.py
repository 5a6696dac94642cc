"""Read and validate the editors' source files in knowledge/data/."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import config, yamlio
from .schema import (DAGEN, DOELGROEPEN, EMAIL_RE, ID_RE, PC4_RE, PHONE_RE, PICTOGRAMMEN,
                     POSTCODE_RE, SOORTEN, STATUSSEN, THEMAS, TIME_RE, TOEGANGSROUTES, WIJKEN,
                     Checker, DataError, check_unique)

# Resource name -> file name. The order is the order of validation.
FILES = {
    "organisaties": "organisaties.yaml",
    "wijken": "wijken.yaml",
    "buurtteams": "buurtteams.yaml",
    "regels": "regels.yaml",
    "voorzieningen": "voorzieningen.yaml",
    "synoniemen": "synoniemen.yaml",
    "woordenlijst": "woordenlijst.yaml",
}


@dataclass
class Sources:
    """All validated records, per resource, in file order."""
    records: dict[str, list[dict]] = field(default_factory=dict)

    def __getitem__(self, name: str) -> list[dict]:
        return self.records[name]

    def ids(self, name: str) -> set[str]:
        return {r["id"] for r in self.records[name]}


def read_yaml(path: Path) -> list[dict]:
    try:
        data = yamlio.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(path.name, "-", "", "bestand ontbreekt") from None
    except UnicodeDecodeError:
        raise DataError(path.name, "-", "", "bestand is geen UTF-8") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (regel {mark.line + 1})" if mark else ""
        raise DataError(path.name, "-", "", f"geen geldige YAML{where}: {exc}") from None
    if data is None:
        return []
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise DataError(path.name, "-", "", "moet een lijst van records zijn (elk begint met '- ')")
    return data


def seed_lengths() -> dict[str, int] | None:
    folder = config.seeds_dir()
    if not folder.is_dir():
        return None
    return {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in folder.glob("*.txt")}


def load(data_dir: Path | None = None) -> Sources:
    folder = Path(data_dir or config.data_dir())
    records = {name: read_yaml(folder / file) for name, file in FILES.items()}
    return validate(records)


def validate(records: dict[str, list[dict]]) -> Sources:
    """Validate all records and their cross-references. Returns normalised Sources."""
    lengths = seed_lengths()
    # An empty field is the same as no field: the canonical form leaves it out (CSV cannot tell them apart).
    records = {name: [{k: v for k, v in rec.items() if v is not None} if isinstance(rec, dict) else rec
                      for rec in recs] for name, recs in records.items()}
    src = Sources(records)
    for name, file in FILES.items():
        check_unique(file, records[name], "term" if name in ("synoniemen", "woordenlijst") else "id")
    _organisaties(records["organisaties"], lengths)
    _wijken(records["wijken"], lengths)
    _buurtteams(records["buurtteams"], lengths)
    _regels(records["regels"], lengths, voorzieningen={r.get("id") for r in records["voorzieningen"]})
    _voorzieningen(records["voorzieningen"], lengths, src)
    _synoniemen(records["synoniemen"])
    _woordenlijst(records["woordenlijst"], lengths)
    return src


def _checkers(file: str, records: list[dict]):
    for i, rec in enumerate(records):
        c = Checker(file, rec, i)
        if "id" in rec or file not in ("synoniemen.yaml", "woordenlijst.yaml"):
            c.pattern("id", ID_RE, "id (kleine letters, cijfers en '-')")
        yield c


def _organisaties(records, lengths):
    for c in _checkers("organisaties.yaml", records):
        c.text("naam")
        c.text("omschrijving", required=False)
        c.bron(required=False, seed_lengths=lengths)


def _wijken(records, lengths):
    file = "wijken.yaml"
    owner: dict[str, str] = {}
    for c in _checkers(file, records):
        c.choice("id", WIJKEN)
        c.text("naam")
        c.strings("buurten")
        for pc in c.strings("postcodes"):
            c.pattern("postcodes", PC4_RE, "postcodegebied (4 cijfers)", value=pc)
            if pc in owner:
                c.fail("postcodes", f"{pc} hoort al bij wijk {owner[pc]}")
            owner[pc] = c.record["id"]
        c.choice("postcodes_status", STATUSSEN)
        c.bron(required=False, seed_lengths=lengths)
    missing = set(WIJKEN) - {r["id"] for r in records}
    if missing:
        raise DataError(file, "-", "id", f"wijken ontbreken: {', '.join(sorted(missing))}")


def _buurtteams(records, lengths):
    file = "buurtteams.yaml"
    for c in _checkers(file, records):
        c.text("naam")
        c.choice("soort", SOORTEN)
        c.choices("wijken", WIJKEN)
        adres = c.get("adres")
        if not isinstance(adres, dict) or not all(adres.get(k) for k in ("straat", "postcode", "plaats")):
            c.fail("adres", "moet straat, postcode en plaats hebben")
        c.pattern("adres", POSTCODE_RE, "postcode (1234 AB)", value=adres["postcode"])
        c.pattern("telefoon", PHONE_RE, "telefoonnummer")
        c.pattern("email", EMAIL_RE, "e-mailadres")
        c.text("inloop")
        tijden = c.get("openingstijden")
        if not isinstance(tijden, list):
            c.fail("openingstijden", "moet een lijst van {dag, open, dicht} zijn")
        for t in tijden:
            if not isinstance(t, dict) or t.get("dag") not in DAGEN:
                c.fail("openingstijden", f"onbekende dag in {t!r}")
            for k in ("open", "dicht"):
                c.pattern("openingstijden", TIME_RE, f"tijd ({k}, UU:MM)", value=str(t.get(k)))
        c.choice("status", STATUSSEN)
        c.bron(required=False, seed_lengths=lengths)
    for wijk in WIJKEN:
        for soort in SOORTEN:
            teams = [r["id"] for r in records if r["soort"] == soort and wijk in r["wijken"]]
            if len(teams) != 1:
                raise DataError(file, "-", "wijken",
                                f"wijk {wijk} moet precies één buurtteam {soort} hebben, niet {len(teams)}")


def _regels(records, lengths, voorzieningen):
    for c in _checkers("regels.yaml", records):
        c.text("titel")
        c.text("regel")
        c.text("uitleg", required=False)
        c.text("bronzin")
        c.choices("themas", THEMAS)
        c.choices("voorzieningen", voorzieningen, required=False)
        c.bron(seed_lengths=lengths)
        c.record["laatst_gecontroleerd"] = c.date("laatst_gecontroleerd")


def _voorzieningen(records, lengths, src: Sources):
    organisaties, regels = src.ids("organisaties"), src.ids("regels")
    for c in _checkers("voorzieningen.yaml", records):
        for f in ("naam", "korte_uitleg", "uitleg", "voor_wie", "hoe_krijg_je_het", "kosten"):
            c.text(f)
        c.choice("toegangsroute", TOEGANGSROUTES)
        c.choice("organisatie", organisaties)
        c.choices("doelgroepen", DOELGROEPEN)
        c.choices("themas", THEMAS)
        c.choice("pictogram", PICTOGRAMMEN)
        c.choices("wijken", WIJKEN, extra=("alle",))
        c.choices("regels", regels, required=False)
        c.strings("trefwoorden", required=False)
        c.bron(seed_lengths=lengths)
        c.record["laatst_gecontroleerd"] = c.date("laatst_gecontroleerd")
        c.choice("status", STATUSSEN)


def _synoniemen(records):
    for c in _checkers("synoniemen.yaml", records):
        c.text("term")
        c.strings("woorden")


def _woordenlijst(records, lengths):
    for c in _checkers("woordenlijst.yaml", records):
        c.text("term")
        c.text("uitleg")
        c.text("afkorting_van", required=False)
        c.bron(required=False, seed_lengths=lengths)

