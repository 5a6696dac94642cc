"""The kaart's records as types: the fields of a voorziening, buurtteam, regel and wijk, how each
field is checked, and the one way a record is written out (`to_json`).

A field's check, and whether it travels in the API and the kaart's download, sit beside its type
(`veld(...)`), so adding a field is one line here, the data, and the template that shows it.
Records read like the mappings they were (`v["naam"]`, `v.get("contact")`), so templates and
callers need not care; an optional field left empty is not among the keys.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Collection, Iterator, Mapping
from functools import cache
from typing import Any, ClassVar, Literal, Protocol, TypedDict, TypeVar

from .schema import DOELGROEPEN, PICTOGRAMMEN, STATUSSEN, THEMAS, TOEGANGSROUTES, Checker

Check = Literal["text", "choice", "choices", "strings", "bron", "date", "contact", "own", "served"]


class Bron(TypedDict, total=False):
    bestand: str
    regels: str


class Adres(TypedDict):
    straat: str
    postcode: str
    plaats: str


class Openingstijd(TypedDict):
    dag: str
    open: str
    dicht: str


class Contact(TypedDict, total=False):
    adres: Adres
    telefoon: str
    email: str
    inloop: str
    openingstijden: list[Openingstijd]
    status: str


class BronCheck(Protocol):
    """Checks a record's `bron` against the source documents (sources.validate makes one)."""

    def __call__(self, c: Checker, required: bool = True) -> list[dict[str, Any]]: ...


def veld(
    check: Check,
    *,
    required: bool = True,
    uit: Collection[str] | str = (),
    extra: Collection[str] = (),
    api: bool = True,
    export: bool = True,
    default: Any = dataclasses.MISSING,
) -> Any:
    """A record field. `check` says how the source is checked; `uit` is the list of allowed codes, or
    the name of the list the record refers to (`organisaties`, `wijken`, ...) that `check_record`
    is given; `api` and `export` say whether it travels in the JSON API and the kaart's download.
    `own`: checked by the record's own rules in sources.py; `served`: added by the build."""
    meta = {"check": check, "required": required, "uit": uit, "extra": tuple(extra), "api": api, "export": export}
    if default is dataclasses.MISSING and (not required or check == "served"):
        default = None
    if isinstance(default, list):
        return dataclasses.field(default_factory=lambda: list(default), metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


R = TypeVar("R", bound="Record")


@dataclasses.dataclass(kw_only=True)
class Record(Mapping[str, Any]):
    """A record that also reads as a mapping of its filled-in fields."""

    resource: ClassVar[str]

    @classmethod
    def from_dict(cls: type[R], data: Mapping[str, Any]) -> R:
        names = _names(cls)
        return cls(**{k: v for k, v in data.items() if k in names and v is not None})

    def __getitem__(self, key: str) -> Any:
        value = getattr(self, key, None) if key in _names(type(self)) else None
        if value is None:
            raise KeyError(key)
        return value

    def __iter__(self) -> Iterator[str]:
        return (f for f in _names(type(self)) if getattr(self, f) is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)


@cache  # looked up on every `record["x"]`: each type's field names, listed once
def _names(cls: type[Record]) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


@dataclasses.dataclass(kw_only=True)
class Voorziening(Record):
    resource: ClassVar[str] = "voorzieningen"

    id: str = veld("own")
    naam: str = veld("text")
    korte_uitleg: str = veld("text")
    uitleg: str = veld("text", export=False)
    voor_wie: str = veld("text")
    toegangsroute: str = veld("choice", uit=TOEGANGSROUTES)
    hoe_krijg_je_het: str = veld("text")
    kosten: str = veld("text")
    organisatie: str = veld("choice", uit="organisaties")
    doelgroepen: list[str] = veld("choices", uit=DOELGROEPEN, required=False, default=[])
    themas: list[str] = veld("choices", uit=THEMAS, required=False, default=[])
    pictogram: str = veld("choice", uit=PICTOGRAMMEN, export=False)
    wijken: list[str] = veld("choices", uit="wijken", extra=("alle",))
    regels: list[str] = veld("choices", uit="regels", required=False, default=[], api=False, export=False)
    trefwoorden: list[str] = veld("strings", required=False, default=[], api=False, export=False)
    # topics (intents/data) this voorziening also belongs to
    onderwerpen: list[str] | None = veld("strings", required=False, api=False, export=False)
    bron: list[Bron] = veld("bron")
    bron_jaar: int | None = veld("served")
    mogelijk_verouderd: bool | None = veld("served")
    laatst_gecontroleerd: dt.date | str | None = veld("date", required=False)
    status: str = veld("choice", uit=STATUSSEN)
    contact: Contact | None = veld("contact", required=False, export=False)


@dataclasses.dataclass(kw_only=True)
class Buurtteam(Record):
    resource: ClassVar[str] = "buurtteams"

    id: str = veld("own")
    naam: str = veld("text")
    soort: str = veld("choice", uit="buurtteam_soorten")
    organisatie: str = veld("choice", uit="organisaties", api=False)
    wijken: list[str] = veld("choices", uit="wijken")
    # A team's contact details are its own fields, checked together (sources._contact).
    adres: Adres = veld("own")
    telefoon: str = veld("own")
    email: str = veld("own")
    inloop: str = veld("own")
    openingstijden: list[Openingstijd] = veld("own")
    status: str = veld("choice", uit=STATUSSEN, api=False)
    bron: list[Bron] | None = veld("bron", required=False, api=False)

    @property
    def demo(self) -> bool:
        return self.status == "voorbeeld"

    @property
    def tel(self) -> str | None:
        """The number as a phone dials it (tel: links)."""
        return _dial(self.telefoon)


@dataclasses.dataclass(kw_only=True)
class Regel(Record):
    resource: ClassVar[str] = "regels"

    id: str = veld("own")
    titel: str = veld("text")
    regel: str = veld("text")
    uitleg: str | None = veld("text", required=False)
    bronzin: str = veld("text")
    themas: list[str] = veld("choices", uit=THEMAS)
    voorzieningen: list[str] = veld("choices", uit="voorzieningen", required=False, default=[])
    bron: list[Bron] = veld("bron")
    bron_jaar: int | None = veld("served")
    mogelijk_verouderd: bool | None = veld("served")
    laatst_gecontroleerd: dt.date | str | None = veld("date", required=False)


@dataclasses.dataclass(kw_only=True)
class Wijk(Record):
    resource: ClassVar[str] = "wijken"

    id: str = veld("own")
    naam: str = veld("text")
    buurten: list[str] = veld("strings", required=False, default=[])
    omschrijving: str | None = veld("text", required=False)
    bron: list[Bron] | None = veld("bron", required=False)
    postcodes: list[str] | None = veld("served")
    postcodes_status: str | None = veld("served")


TYPES: dict[str, type[Record]] = {t.resource: t for t in (Voorziening, Buurtteam, Regel, Wijk)}


def fields(cls: type[Record], *, api: bool | None = None, export: bool | None = None) -> tuple[str, ...]:
    """The names of `cls`'s fields, in order; only those that travel in the API or the download if asked."""
    return tuple(
        f.name
        for f in dataclasses.fields(cls)
        if (api is None or f.metadata["api"] == api) and (export is None or f.metadata["export"] == export)
    )


def structured(cls: type[Record]) -> set[str]:
    """Fields that hold a list or a mapping (stored as JSON in a SQLite column)."""
    hints = {f.name: str(f.type) for f in dataclasses.fields(cls)}
    return {name for name, hint in hints.items() if re.match(r"(list|dict|Adres|Bron|Contact)\b", hint)}


def check_record(c: Checker, cls: type[Record], lists: Mapping[str, Collection[str]], bron: BronCheck) -> None:
    """Check one source record against its type: no unknown fields, and each field by its `check`.
    `lists` gives the codes a reference may take (`organisaties`, `wijken`, ...); `bron` checks sources."""
    known = {f.name: f for f in dataclasses.fields(cls) if f.metadata["check"] != "served"}
    for name in c.record:
        if name not in known:
            c.fail(name, f"onbekend veld; de velden zijn: {', '.join(known)}")
    for f in known.values():
        check, required, uit = f.metadata["check"], f.metadata["required"], f.metadata["uit"]
        choices = lists[uit] if isinstance(uit, str) else uit
        if check == "text":
            c.text(f.name, required)
        elif check == "choice":
            c.choice(f.name, choices, required)
        elif check == "choices":
            c.choices(f.name, choices, required, extra=f.metadata["extra"])
        elif check == "strings":
            c.strings(f.name, required)
        elif check == "bron":
            bron(c, required=required)
        elif check == "date" and f.name in c.record:
            c.record[f.name] = c.date(f.name)


def to_json(record: Mapping[str, Any], *, only: Collection[str] | None = None) -> dict[str, Any]:
    """The one way a record is written out (API, download, CLI, PostgreSQL): its filled-in fields,
    dates as ISO text; `only` keeps those names, in record order."""
    return {k: plain(v) for k, v in record.items() if only is None or k in only}


def plain(value: Any) -> Any:
    """A value as JSON and YAML write it: dates as ISO text, mappings and sequences all the way down."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def api_json(record: Record) -> dict[str, Any]:
    return to_json(record, only=fields(type(record), api=True))


def export_row(record: Record) -> dict[str, Any]:
    """A row of the kaart's download: every exported field, empty ones as None."""
    return {k: plain(record.get(k)) for k in fields(type(record), export=True)}


def _dial(phone: str | None) -> str | None:
    return re.sub(r"[^0-9+]", "", phone) if phone else None


def team_card(team: Buurtteam) -> dict[str, Any]:
    """A buurtteam as the chat and the API show it: its public fields, the number to dial, and demo."""
    return {**api_json(team), "tel": team.tel, "demo": team.demo}


def place_card(v: Voorziening) -> dict[str, Any]:
    """The contact card of a voorziening (its `contact` block), in the shape of a team card."""
    c: Contact = v.contact or {}
    return {
        "id": v.id,
        "naam": v.naam,
        "pictogram": v.pictogram,
        "hoe": v.hoe_krijg_je_het,
        "bron": v.bron,
        "adres": c.get("adres"),
        "telefoon": c.get("telefoon"),
        "tel": _dial(c.get("telefoon")),
        "email": c.get("email"),
        "inloop": c.get("inloop"),
        "openingstijden": c.get("openingstijden") or [],
        "demo": c.get("status") == "voorbeeld",
    }


def typed(resource: str, rows: list[dict[str, Any]]) -> list[Any]:
    """Rows of a resource as its record type (a resource without one, such as organisaties, as they are)."""
    cls = TYPES.get(resource)
    return [cls.from_dict(r) for r in rows] if cls else rows
