"""Read and validate the editors' source files in knowledge/data/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import yaml

from . import config, yamlio
from .labels import labels
from .profiel import load_bronnen, load_gemeente, read_postcodes
from .records import BronCheck, Buurtteam, Regel, Voorziening, Wijk, check_record
from .schema import (
    DAGEN,
    EMAIL_RE,
    ID_RE,
    PHONE_RE,
    POSTCODE_RE,
    STATUSSEN,
    TIME_RE,
    Checker,
    DataError,
    check_unique,
)

# Resource name -> file name. The order is the order of validation.
# The sociale kaart itself (KAART) travels as HSDS; the rest belongs to the gemeente profile.
FILES = {
    "organisaties": "organisaties.yaml",
    "wijken": "wijken.yaml",
    "buurtteams": "buurtteams.yaml",
    "regels": "regels.yaml",
    "voorzieningen": "voorzieningen.yaml",
    "synoniemen": "synoniemen.yaml",
    "woordenlijst": "woordenlijst.yaml",
}
KAART = ("organisaties", "buurtteams", "regels", "voorzieningen")
OPTIONAL_LISTS = {
    "voorzieningen": ("doelgroepen", "themas", "regels", "trefwoorden"),
    "regels": ("voorzieningen",),
    "wijken": ("buurten",),
}


Rec = dict[str, Any]  # one record as read from its YAML file, checked


@dataclass
class Sources:
    """All validated records, per resource, in file order, with the gemeente profile they were checked
    against: gemeente.yaml, the source documents (bronnen.yaml) and the postcode table (postcode -> wijk)."""

    records: dict[str, list[Rec]] = field(default_factory=dict)
    gemeente: dict[str, Any] = field(default_factory=dict)
    bronnen: dict[str, dict[str, Any]] = field(default_factory=dict)
    postcodes: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, name: str) -> list[Rec]:
        return self.records[name]

    def ids(self, name: str) -> set[str]:
        return {r["id"] for r in self.records[name]}


def read_yaml(path: Path) -> list[Rec]:
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
    return validate(records, folder)


def validate(records: dict[str, list[Rec]], data_dir: Path | None = None) -> Sources:
    """Validate all records and their cross-references against the gemeente profile in `data_dir`
    (default: the configured data folder). Returns normalised Sources."""
    folder = Path(data_dir or config.data_dir())
    gemeente, bronnen = load_gemeente(folder), load_bronnen(folder)
    lengths = seed_lengths()
    labels()  # every code the records may use has a name people read (knowledge/labels.yaml)

    def bron(c: Checker, required: bool = True) -> list[dict[str, Any]]:
        return c.bron(required=required, seed_lengths=lengths, bronnen=bronnen)

    # An empty field is the same as no field: the canonical form leaves it out (CSV cannot tell them apart).
    records = {
        name: [{k: v for k, v in rec.items() if v is not None} if isinstance(rec, dict) else rec for rec in recs]
        for name, recs in records.items()
    }
    for name, fields in OPTIONAL_LISTS.items():  # and a list left out is an empty list
        for rec in records[name]:
            if isinstance(rec, dict):
                for f in fields:
                    rec.setdefault(f, [])
    for name, file in FILES.items():
        check_unique(file, records[name], "term" if name in ("synoniemen", "woordenlijst") else "id")
    _organisaties(records["organisaties"], bron)
    wijken = _wijken(records["wijken"], bron)
    postcodes = read_postcodes(folder / gemeente["postcodetabel"], records["wijken"])
    without = [w for w in wijken if w not in set(postcodes.values())]
    if without:
        raise DataError(
            gemeente["postcodetabel"],
            "-",
            "wijk",
            f"geen postcode voor wijk {', '.join(without)}; elke wijk heeft er minstens één nodig",
        )
    _buurtteams(
        records["buurtteams"],
        bron,
        wijken,
        gemeente["buurtteam_soorten"],
        {r["id"] for r in records["organisaties"]},
    )
    src = Sources(records, gemeente, bronnen, postcodes)
    _regels(records["regels"], bron, voorzieningen={r["id"] for r in records["voorzieningen"]})
    _voorzieningen(records["voorzieningen"], bron, src, wijken)
    _synoniemen(records["synoniemen"])
    _woordenlijst(records["woordenlijst"], bron)
    return src


def _checkers(file: str, records: list[Rec]) -> Iterator[Checker]:
    for i, rec in enumerate(records):
        c = Checker(file, rec, i)
        if "id" in rec or file not in ("synoniemen.yaml", "woordenlijst.yaml"):
            c.pattern("id", ID_RE, "id (kleine letters, cijfers en '-')")
        yield c


def _organisaties(records: list[Rec], bron: BronCheck) -> None:
    for c in _checkers("organisaties.yaml", records):
        c.text("naam")
        c.text("omschrijving", required=False)
        bron(c, required=False)


def _wijken(records: list[Rec], bron: BronCheck) -> tuple[str, ...]:
    file = "wijken.yaml"
    if not records:
        raise DataError(file, "-", "", "geen wijken: de gemeente heeft er minstens één nodig")
    buurt_owner: dict[str, str] = {}
    for c in _checkers(file, records):
        if "postcodes" in c.record:
            c.fail("postcodes", "de postcodes staan in de postcodetabel (postcodes.csv, zie gemeente.yaml)")
        check_record(c, Wijk, {}, bron)
        for buurt in c.record["buurten"]:
            if buurt in buurt_owner:
                c.fail("buurten", f"{buurt} staat ook bij wijk {buurt_owner[buurt]}")
            buurt_owner[buurt] = c.record["id"]
    return tuple(r["id"] for r in records)


def _buurtteams(
    records: list[Rec], bron: BronCheck, wijken: tuple[str, ...], soorten: list[str], organisaties: set[str]
) -> None:
    file = "buurtteams.yaml"
    lists = {"buurtteam_soorten": soorten, "organisaties": organisaties, "wijken": wijken}
    for c in _checkers(file, records):
        check_record(c, Buurtteam, lists, bron)
        _contact(c, c.record, "", required=True)
    for wijk in wijken:
        for soort in soorten:
            teams = [r["id"] for r in records if r["soort"] == soort and wijk in r["wijken"]]
            if len(teams) != 1:
                raise DataError(
                    file, "-", "wijken", f"wijk {wijk} moet precies één buurtteam {soort} hebben, niet {len(teams)}"
                )


# A phone number from elsewhere (an imported package) may be international: +44 1234 234567.
INTERNATIONAL_PHONE = re.compile(r"^\+[0-9][0-9 ()-]{6,20}$")


def _contact(c: Checker, contact: Any, prefix: str, required: bool) -> None:
    """Address, phone, e-mail, walk-in and opening hours of a buurtteam (all required, Dutch) or of a
    voorziening's `contact` (each optional, at least one way to reach it)."""

    def fail(field: str, message: str) -> NoReturn:
        c.fail(prefix + field, message)

    if not isinstance(contact, dict):
        fail("", "moet adres, telefoon, e-mail of openingstijden hebben")
    adres = contact.get("adres")
    if required or adres is not None:
        if not isinstance(adres, dict) or not all(adres.get(k) for k in ("straat", "postcode", "plaats")):
            fail("adres", "moet straat, postcode en plaats hebben")
        if required and not POSTCODE_RE.match(str(adres["postcode"])):
            fail("adres", f"ongeldig postcode (1234 AB): {adres['postcode']!r}")
    phone = contact.get("telefoon")
    if required or phone is not None:
        if not isinstance(phone, str) or not (
            PHONE_RE.match(phone) or (not required and INTERNATIONAL_PHONE.match(phone))
        ):
            fail("telefoon", f"ongeldig telefoonnummer: {phone!r}")
    email = contact.get("email")
    if (required or email is not None) and not (isinstance(email, str) and EMAIL_RE.match(email)):
        fail("email", f"ongeldig e-mailadres: {email!r}")
    if (required or contact.get("inloop") is not None) and not (
        isinstance(contact.get("inloop"), str) and contact["inloop"].strip()
    ):
        fail("inloop", "ontbreekt of is leeg")
    tijden = contact.get("openingstijden")
    if required or tijden is not None:
        if not isinstance(tijden, list):
            fail("openingstijden", "moet een lijst van {dag, open, dicht} zijn")
        for t in tijden:
            if not isinstance(t, dict) or t.get("dag") not in DAGEN:
                fail("openingstijden", f"onbekende dag in {t!r}")
            for k in ("open", "dicht"):
                if not TIME_RE.match(str(t.get(k))):
                    fail("openingstijden", f"ongeldig tijd ({k}, UU:MM): {t.get(k)!r}")
    if not required:
        if not any(contact.get(k) for k in ("adres", "telefoon", "email")):
            fail("", "moet minstens een adres, telefoonnummer of e-mailadres hebben")
        if contact.get("status") not in STATUSSEN:
            fail("status", f"onbekende waarde {contact.get('status')!r}; kies uit: {', '.join(STATUSSEN)}")


def _regels(records: list[Rec], bron: BronCheck, voorzieningen: set[str]) -> None:
    for c in _checkers("regels.yaml", records):
        check_record(c, Regel, {"voorzieningen": voorzieningen}, bron)


def _voorzieningen(records: list[Rec], bron: BronCheck, src: Sources, wijken: tuple[str, ...]) -> None:
    lists = {"organisaties": src.ids("organisaties"), "regels": src.ids("regels"), "wijken": wijken}
    for c in _checkers("voorzieningen.yaml", records):
        check_record(c, Voorziening, lists, bron)
        if "contact" in c.record:
            _contact(c, c.record["contact"], "contact.", required=False)


def _synoniemen(records: list[Rec]) -> None:
    for c in _checkers("synoniemen.yaml", records):
        c.text("term")
        c.strings("woorden")


def _woordenlijst(records: list[Rec], bron: BronCheck) -> None:
    for c in _checkers("woordenlijst.yaml", records):
        c.text("term")
        c.text("uitleg")
        c.text("afkorting_van", required=False)
        bron(c, required=False)
