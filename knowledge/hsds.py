"""The sociale kaart as HSDS 3.0 (Open Referral): export, import, and the round trip between them.

What HSDS has a field for travels in that field (a voorziening is a service, its `uitleg` the
description, `voor_wie` the eligibility_description, a buurtteam a service at a location with phones
and schedules). What only Buurtwijzer has (doelgroep, thema, toegangsroute, wijk, regels, bron,
status, ...) travels as attributes with terms of the documented `buurtwijzer` taxonomy
(docs/hsds.md), so our own export comes back exactly. Regels are terms of that taxonomy.

A package from elsewhere (the official example, another gemeente's system) imports too: what it
does not say is filled with honest defaults (toegangsroute `onbekend`, the whole gemeente, the
package itself as the source).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .records import plain
from .schema import DAGEN, DataError
from .sources import KAART, Sources

DESCRIPTOR = Path(__file__).parent / "hsds" / "datapackage.json"
TAXONOMY = "buurtwijzer"
NAMESPACE = uuid.UUID("6f1c1a52-8d0e-5b3e-9a39-2f4f1c7e0b11")  # fixed: ids are stable across builds
# Our days (schema.DAGEN, Monday first) as HSDS schedules write them (RFC 5545 BYDAY).
BYDAY = dict(zip(DAGEN, ("MO", "TU", "WE", "TH", "FR", "SA", "SU"), strict=True))
# The terms of the buurtwijzer taxonomy: one per field we carry as an attribute.
FIELDS = {
    "id": "De id van het record in Buurtwijzer (kleine letters, cijfers en '-').",
    "korte_uitleg": "Uitleg in één of twee korte zinnen, in eenvoudige taal.",
    "toegangsroute": "Hoe je bij de voorziening komt (vrij toegankelijk, via het buurtteam, ...).",
    "doelgroep": "Voor wie de voorziening is.",
    "thema": "Het onderwerp van de voorziening of regel.",
    "wijk": "Een wijk waar de voorziening of het team werkt; 'alle' is de hele gemeente.",
    "pictogram": "Het pictogram dat Buurtwijzer bij de voorziening toont.",
    "trefwoord": "Een woord waarmee inwoners de voorziening zoeken.",
    "regel": "Een regel die bij de voorziening hoort (een term met code regel:<id>).",
    "bron": "Een bron: de term noemt het document, de waarde de regels ('1019-1021').",
    "status": "bron: feiten uit de bronnen; voorbeeld: demogegevens, niet echt.",
    "contact_status": "bron of voorbeeld: of de contactgegevens echt zijn of demo.",
    "soort": "De soort buurtteam (bijv. sociaal, jeugd_gezin).",
    "inloop": "Wanneer je zonder afspraak kunt binnenlopen.",
    "uitleg": "Uitleg bij een regel (B1).",
    "bronzin": "De letterlijke zin uit de bron waar de regel op steunt.",
    "voorziening": "Een voorziening waar de regel bij hoort (haar id).",
    "laatst_gecontroleerd": "De datum waarop een mens het record naging bij de organisatie.",
    "extra": "Een veld zonder eigen term: JSON {veld, waarde}.",
}
CODED = ("toegangsroute", "doelgroep", "thema", "wijk", "regel", "bron")  # one term per value
Row = dict[str, Any]  # one row of an HSDS table (a CSV row, or an object of the JSON form)
Tables = dict[str, list[Row]]  # HSDS resource name (organization, service, ...) -> its rows


def uid(kind: str, key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


def official_resources() -> list[dict[str, Any]]:
    resources: list[dict[str, Any]] = json.loads(DESCRIPTOR.read_text(encoding="utf-8"))["resources"]
    return resources


# ----------------------------------------------------------------------------------------- export


class _Writer:
    def __init__(self, src: Sources):
        self.src = src
        self.tables: Tables = {r["name"]: [] for r in official_resources()}
        self.terms: dict[str, str] = {}
        self.per_link: dict[str, int] = {}  # attributes written per entity, for stable attribute ids
        self.taxonomy_id = uid("taxonomy", TAXONOMY)
        self.tables["taxonomy"].append(
            {
                "id": self.taxonomy_id,
                "name": TAXONOMY,
                "version": "1",
                "description": "Buurtwijzer: de Nederlandse velden van de sociale kaart (doelgroep, thema, "
                "toegangsroute, wijk, regels, bron, status). Zie docs/hsds.md.",
            }
        )
        for name, description in FIELDS.items():
            self.term(name, name, description)

    def term(self, code: str, name: str, description: str, parent: str | None = None) -> str:
        if code not in self.terms:
            self.terms[code] = uid("term", code)
            self.tables["taxonomy_term"].append(
                {
                    "id": self.terms[code],
                    "code": code,
                    "name": name,
                    "description": description,
                    "parent_id": self.terms.get(parent) if parent else None,
                    "taxonomy": TAXONOMY,
                    "language": "nl",
                    "taxonomy_id": self.taxonomy_id,
                }
            )
        return self.terms[code]

    def attr(self, entity: str, link_id: str, field: str, value: object) -> None:
        value = "" if value is None else str(value)
        if field in CODED:
            code = f"{field}:{value}"
            term = self.term(code, self._label(field, value), f"{field}: {value}", parent=field)
        else:
            term = self.terms[field]
        self._append(entity, link_id, term, value)

    def _append(self, entity: str, link_id: str, term: str, value: str) -> None:
        n = self.per_link.get(link_id, 0)
        self.per_link[link_id] = n + 1
        self.tables["attribute"].append(
            {
                "id": uid("attribute", f"{link_id}:{n}"),
                "link_id": link_id,
                "taxonomy_term_id": term,
                "link_entity": entity,
                "value": value,
            }
        )

    def _label(self, field: str, value: str) -> str:
        if field == "bron":
            meta = self.src.bronnen.get(value.split("#")[0], {})
            return f"{meta.get('titel', value)} ({meta.get('jaar', '?')})"
        return value.replace("_", " ")

    def attrs(self, entity: str, link_id: str, rec: dict[str, Any], plan: dict[str, str], done: set[str]) -> None:
        """Attributes for `plan` (record field -> term) and an `extra` for every other field not in `done`."""
        for key, field in plan.items():
            values = rec.get(key)
            if values is None:
                continue
            if key == "bron":
                for b in values:
                    self.attr_bron(entity, link_id, b)
                continue
            for v in values if isinstance(values, list) else [values]:
                self.attr(entity, link_id, field, v.isoformat() if isinstance(v, dt.date) else v)
        for key in rec.keys() - done - plan.keys():
            self.attr(
                entity, link_id, "extra", json.dumps({"veld": key, "waarde": plain(rec[key])}, ensure_ascii=False)
            )

    def attr_bron(self, entity: str, link_id: str, bron: dict[str, Any]) -> None:
        doc = bron["bestand"]
        term = self.term(f"bron:{doc}", self._label("bron", doc), f"Brondocument {doc}", parent="bron")
        self._append(entity, link_id, term, str(bron.get("regels") or ""))

    def organisatie(self, o: dict[str, Any]) -> None:
        oid = uid("organization", o["id"])
        self.tables["organization"].append(
            {
                "id": oid,
                "name": o["naam"],
                "description": o.get("omschrijving") or o["naam"],
                "website": o.get("website"),
            }
        )
        self.attrs("organization", oid, o, {"id": "id", "bron": "bron"}, {"naam", "omschrijving", "website"})

    def areas(self, sid: str, wijken: list[str]) -> None:
        names = {w["id"]: w["naam"] for w in self.src["wijken"]}
        for w in wijken:
            name = self.src.gemeente["naam"] if w == "alle" else names.get(w, w)
            self.tables["service_area"].append(
                {
                    "id": uid("service_area", f"{sid}:{w}"),
                    "service_id": sid,
                    "name": name,
                    "description": "De hele gemeente" if w == "alle" else f"Wijk {name}",
                }
            )

    def contact(self, sid: str, key: str, naam: str, org: str | None, c: dict[str, Any]) -> None:
        """Address, phone and opening hours of one place: location, address, phones, schedules."""
        demo = c.get("status") == "voorbeeld"
        lid = sal = None
        if c.get("adres"):
            lid, sal = uid("location", key), uid("service_at_location", key)
            a = c["adres"]
            self.tables["location"].append(
                {
                    "id": lid,
                    "location_type": "physical",
                    "name": naam,
                    "organization_id": uid("organization", org) if org else None,
                }
            )
            self.tables["address"].append(
                {
                    "id": uid("address", key),
                    "location_id": lid,
                    "address_1": a["straat"],
                    "city": a["plaats"],
                    "state_province": self.src.gemeente.get("provincie") or a["plaats"],
                    "postal_code": a["postcode"],
                    "country": "NL",
                    "address_type": "physical",
                }
            )
            self.tables["service_at_location"].append(
                {"id": sal, "service_id": sid, "location_id": lid, "description": c.get("inloop")}
            )
        if c.get("telefoon"):
            self.tables["phone"].append(
                {
                    "id": uid("phone", key),
                    "service_id": sid,
                    "location_id": lid,
                    "number": c["telefoon"],
                    "type": "voice",
                    "description": "Voorbeeldnummer (demo), niet echt" if demo else None,
                }
            )
        for i, t in enumerate(c.get("openingstijden") or []):
            self.tables["schedule"].append(
                {
                    "id": uid("schedule", f"{key}:{i}"),
                    "service_id": None if sal else sid,
                    "service_at_location_id": sal,
                    "freq": "WEEKLY",
                    "wkst": "MO",
                    "byday": BYDAY[t["dag"]],
                    "opens_at": f"{t['open']}:00",
                    "closes_at": f"{t['dicht']}:00",
                    "description": t["dag"],
                }
            )

    def service(
        self,
        rec: dict[str, Any],
        kind: str,
        org: str,
        fields: dict[str, str],
        plan: dict[str, str],
        contact: dict[str, Any] | None,
    ) -> None:
        sid = uid("service", f"{kind}:{rec['id']}")
        row = {
            "id": sid,
            "organization_id": uid("organization", org),
            "name": rec["naam"],
            "status": "active",
            "email": (contact or {}).get("email"),
        }
        row.update({hsds: rec.get(ours) for ours, hsds in fields.items()})
        if isinstance(row.get("assured_date"), dt.date):
            row["assured_date"] = row["assured_date"].isoformat()
        self.tables["service"].append(row)
        done = set(fields) | {
            "naam",
            "contact",
            "organisatie",
            "adres",
            "telefoon",
            "email",
            "openingstijden",
            "inloop",
        }
        self.attrs("service", sid, rec, plan, done)
        if contact:
            self.contact(sid, f"{kind}:{rec['id']}", rec["naam"], org, contact)
            if contact.get("inloop") and not contact.get("adres"):
                self.attr("service", sid, "inloop", contact["inloop"])
            if kind == "voorziening":
                self.attr("service", sid, "contact_status", contact.get("status"))
        self.areas(sid, rec.get("wijken") or ["alle"])

    def regel(self, r: dict[str, Any]) -> None:
        tid = self.term(f"regel:{r['id']}", r["titel"], r["regel"], parent="regel")
        self.attrs(
            "taxonomy_term",
            tid,
            r,
            {
                "id": "id",
                "uitleg": "uitleg",
                "bronzin": "bronzin",
                "themas": "thema",
                "voorzieningen": "voorziening",
                "bron": "bron",
                "laatst_gecontroleerd": "laatst_gecontroleerd",
            },
            {"titel", "regel"},
        )


VOORZIENING_FIELDS = {
    "uitleg": "description",
    "voor_wie": "eligibility_description",
    "hoe_krijg_je_het": "application_process",
    "kosten": "fees_description",
    "laatst_gecontroleerd": "assured_date",
}
VOORZIENING_PLAN = {
    "id": "id",
    "korte_uitleg": "korte_uitleg",
    "toegangsroute": "toegangsroute",
    "doelgroepen": "doelgroep",
    "themas": "thema",
    "pictogram": "pictogram",
    "wijken": "wijk",
    "regels": "regel",
    "trefwoorden": "trefwoord",
    "bron": "bron",
    "status": "status",
}
TEAM_PLAN = {"id": "id", "soort": "soort", "wijken": "wijk", "bron": "bron", "status": "status"}


def team_contact(t: dict[str, Any]) -> dict[str, Any]:
    return {k: t[k] for k in ("adres", "telefoon", "email", "inloop", "openingstijden", "status") if k in t}


def to_tables(src: Sources) -> Tables:
    """The kaart as the HSDS tables, by resource name (organization, service, ...)."""
    w = _Writer(src)
    for o in src["organisaties"]:
        w.organisatie(o)
    for r in src["regels"]:
        w.regel(r)
    for v in src["voorzieningen"]:
        w.service(v, "voorziening", v["organisatie"], VOORZIENING_FIELDS, VOORZIENING_PLAN, v.get("contact"))
    for t in src["buurtteams"]:
        w.service(t, "buurtteam", t["organisatie"], {}, TEAM_PLAN, team_contact(t))
    return w.tables


def export(src: Sources, target: Path, fmt: str = "csv") -> list[Path]:
    """Write the kaart as an HSDS 3.0 package: `csv` the tabular form (the official descriptor and one
    CSV per table), `json` the JSON form (hsds.json: organizations and services with everything nested)."""
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    tables = to_tables(src)
    if fmt == "json":
        out = target / "hsds.json"
        out.write_text(json.dumps(nest(tables), ensure_ascii=False, indent=1), encoding="utf-8")
        return [out]
    written = [target / "datapackage.json"]
    written[0].write_text(DESCRIPTOR.read_text(encoding="utf-8"), encoding="utf-8")
    for res in official_resources():
        path = target / res["path"]
        names = [f["name"] for f in res["schema"]["fields"]]
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=names)
            writer.writeheader()
            for row in tables[res["name"]]:
                writer.writerow({k: "" if row.get(k) is None else row[k] for k in names})
        written.append(path)
    return written


# --------------------------------------------------------------------------------- JSON form


def nest(tables: Tables) -> dict[str, list[Row]]:
    """The JSON form: each service with its organization, service_at_locations (with location,
    addresses, phones, schedules), phones, schedules, service_areas and attributes (with their
    taxonomy_term) nested, as in the official service_full.json; organizations likewise; and the
    taxonomy terms with the attributes on terms (the regels), which no service holds."""
    terms = {t["id"]: _clean(t) for t in tables["taxonomy_term"]}
    attrs = _by(tables["attribute"], "link_id")

    def with_attrs(row: Row) -> list[Row]:
        return [{**_clean(a), "taxonomy_term": terms.get(a["taxonomy_term_id"])} for a in attrs.get(row["id"], [])]

    orgs = {o["id"]: {**_clean(o), "attributes": with_attrs(o)} for o in tables["organization"]}
    addresses, phones_loc = _by(tables["address"], "location_id"), _by(tables["phone"], "location_id")
    locations = {
        loc["id"]: {
            **_clean(loc),
            "addresses": [_clean(a) for a in addresses.get(loc["id"], [])],
            "phones": [_clean(p) for p in phones_loc.get(loc["id"], [])],
        }
        for loc in tables["location"]
    }
    sal_sched = _by(tables["schedule"], "service_at_location_id")
    sals = _by(tables["service_at_location"], "service_id")
    phones = _by([p for p in tables["phone"] if not p.get("location_id")], "service_id")
    scheds = _by([s for s in tables["schedule"] if not s.get("service_at_location_id")], "service_id")
    areas = _by(tables["service_area"], "service_id")
    services = []
    for s in tables["service"]:
        services.append(
            {
                **_clean(s),
                "organization": {k: v for k, v in orgs[s["organization_id"]].items() if k != "attributes"},
                "service_at_locations": [
                    {
                        **_clean(x),
                        "location": locations[x["location_id"]],
                        "schedules": [_clean(y) for y in sal_sched.get(x["id"], [])],
                    }
                    for x in sals.get(s["id"], [])
                ],
                "phones": [_clean(p) for p in phones.get(s["id"], [])],
                "schedules": [_clean(y) for y in scheds.get(s["id"], [])],
                "service_areas": [_clean(a) for a in areas.get(s["id"], [])],
                "attributes": with_attrs(s),
            }
        )
    return {
        "organizations": list(orgs.values()),
        "services": services,
        "taxonomies": [_clean(t) for t in tables["taxonomy"]],
        "taxonomy_terms": [{**t, "attributes": with_attrs(t)} for t in terms.values()],
    }


def unnest(doc: dict[str, Any]) -> Tables:
    """The tables of a JSON-form document (ours, or a list of services such as service_list.json)."""
    tables: dict[str, dict[str, Row]] = {r["name"]: {} for r in official_resources()}

    def put(name: str, row: Row, **links: str | None) -> Row:
        flat = {k: v for k, v in row.items() if not isinstance(v, (dict, list))}
        flat.update({k: v for k, v in links.items() if v})
        if flat.get("id"):
            tables[name].setdefault(flat["id"], {}).update(flat)
        return flat

    def attributes(rows: Iterable[Row] | None, link_id: str | None, entity: str) -> None:
        for a in rows or []:
            if isinstance(a.get("taxonomy_term"), dict):
                term = a["taxonomy_term"]
                put("taxonomy_term", {k: v for k, v in term.items() if k != "attributes"})
                a = {**a, "taxonomy_term_id": a.get("taxonomy_term_id") or term.get("id")}
            put("attribute", a, link_id=link_id, link_entity=a.get("link_entity") or entity)

    one_service = "status" in doc and "name" in doc and "id" in doc  # e.g. the official service_full.json
    services = doc.get("services") or doc.get("contents") or ([doc] if one_service else [])
    for o in doc.get("organizations") or []:
        put("organization", o)
        attributes(o.get("attributes"), o.get("id"), "organization")
    for t in doc.get("taxonomies") or []:
        put("taxonomy", t)
    for t in doc.get("taxonomy_terms") or []:
        put("taxonomy_term", t)
        attributes(t.get("attributes"), t.get("id"), "taxonomy_term")
    for s in services:
        if not isinstance(s, dict):
            continue
        org = s.get("organization") if isinstance(s.get("organization"), dict) else None
        if org:
            put("organization", org)
        put("service", s, organization_id=s.get("organization_id") or (org or {}).get("id"))
        for x in s.get("service_at_locations") or []:
            loc = x.get("location") if isinstance(x.get("location"), dict) else {}
            put("location", loc)
            for a in loc.get("addresses") or []:
                put("address", a, location_id=loc.get("id"))
            for p in loc.get("phones") or []:
                put("phone", p, location_id=loc.get("id"), service_id=s.get("id"))
            put("service_at_location", x, service_id=s.get("id"), location_id=x.get("location_id") or loc.get("id"))
            for y in x.get("schedules") or []:
                put("schedule", y, service_at_location_id=x.get("id"))
        for p in s.get("phones") or []:
            put("phone", p, service_id=s.get("id"))
        for y in s.get("schedules") or []:
            put("schedule", y, service_id=s.get("id"))
        for a in s.get("service_areas") or []:
            put("service_area", a, service_id=s.get("id"))
        attributes(s.get("attributes"), s.get("id"), "service")
    return {name: list(rows.values()) for name, rows in tables.items()}


def _clean(row: Row) -> Row:
    return {k: v for k, v in row.items() if v not in (None, "")}


def _by(rows: list[Row], key: str) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = {}
    for r in rows:
        if r.get(key):
            out.setdefault(r[key], []).append(r)
    return out


# ----------------------------------------------------------------------------------------- import


def read_tables(path: Path) -> tuple[Tables, dict[str, Any]]:
    """The tables of a package (a directory or file with datapackage.json, or a JSON-form file), and a
    description of the package (its name and title) for the source list."""
    path = Path(path)
    if path.is_dir():
        if (path / "datapackage.json").is_file():
            path = path / "datapackage.json"
        elif (path / "hsds.json").is_file():
            path = path / "hsds.json"
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise DataError(path.name, "-", "", f"kan het pakket niet lezen: {exc}") from None
    if not isinstance(doc, dict):
        raise DataError(path.name, "-", "", "geen HSDS-pakket: verwacht een JSON-object")
    if "resources" in doc:
        return _read_tabular(path, doc), {"name": doc.get("name") or path.parent.name, "title": doc.get("title")}
    return unnest(doc), {"name": path.stem, "title": doc.get("title")}


def _read_tabular(descriptor_path: Path, doc: dict[str, Any]) -> Tables:
    # A reference to a row the package lacks (the official example has some) only leaves that link out.
    errors = validate_package(descriptor_path, foreign_keys=False)
    if errors:
        raise DataError(descriptor_path.name, "-", "", "het pakket voldoet niet aan HSDS 3.0: " + "; ".join(errors[:5]))
    tables: Tables = {r["name"]: [] for r in official_resources()}
    for res in doc["resources"]:
        if res.get("name") not in tables or not res.get("path"):
            continue
        file = descriptor_path.parent / res["path"]
        if not file.is_file():
            continue
        with file.open(encoding="utf-8-sig", newline="") as fh:
            tables[res["name"]] = [{k: v for k, v in row.items() if v not in (None, "")} for row in csv.DictReader(fh)]
    return tables


def validate_package(descriptor_path: Path, descriptor: Path | None = None, foreign_keys: bool = True) -> list[str]:
    """Validate the CSV files beside `descriptor_path` against the official HSDS 3.0 descriptor
    (types, formats, required fields, primary and foreign keys) with frictionless. Returns the errors."""
    import frictionless

    official = json.loads(Path(descriptor or DESCRIPTOR).read_text(encoding="utf-8"))
    base = Path(descriptor_path).parent
    official["resources"] = [r for r in official["resources"] if (base / r["path"]).is_file()]
    if not official["resources"]:
        return ["geen enkele HSDS-tabel gevonden (organizations.csv, services.csv, ...)"]
    package = frictionless.Package(official, basepath=str(base))
    report = package.validate()
    return [
        f"{task.name}: {err.message}"
        for task in report.tasks
        for err in task.errors
        if foreign_keys or err.type != "foreign-key"
    ][:20] + [err.message for err in report.errors][:5]


class _Reader:
    def __init__(self, tables: Tables, package: dict[str, Any], bronnen: dict[str, dict[str, Any]]):
        self.t = tables
        self.package = package
        self.terms = {r["id"]: r for r in tables["taxonomy_term"]}
        ours = {r["id"] for r in tables["taxonomy"] if r.get("name") == TAXONOMY}
        self.ours = {
            tid for tid, r in self.terms.items() if r.get("taxonomy_id") in ours or r.get("taxonomy") == TAXONOMY
        }
        self.attrs = _by(tables["attribute"], "link_id")
        self.bronnen = bronnen
        self.ids: dict[str, str] = {}  # HSDS uuid -> our id
        self.used: set[tuple[str, str]] = set()  # (kind, our id)
        self.package_bron: dict[str, str] | None = None

    def fields(self, link_id: str) -> dict[str, list[Any]]:
        """Our attributes of one entity, by field: values in the order they were written (strings; a bron
        a {bestand, regels} dict)."""
        out: dict[str, list[Any]] = {}
        for a in self.attrs.get(link_id, []):
            term = self.terms.get(a.get("taxonomy_term_id"))
            if a.get("taxonomy_term_id") not in self.ours or not term:
                continue
            code = term.get("code") or ""
            field, _, doc = code.partition(":")
            value = a.get("value") or ""
            if field == "bron":
                value = {"bestand": doc, "regels": value} if value else {"bestand": doc}
            out.setdefault(field, []).append(value)
        return out

    def our_id(self, kind: str, row: Row, f: dict[str, list[Any]]) -> str:
        rid = (f.get("id") or [None])[0] or _slug(row.get("name") or kind)
        base, n = rid, 2
        while (kind, rid) in self.used:
            rid, n = f"{base}-{n}", n + 1
        self.used.add((kind, rid))
        self.ids[row["id"]] = rid
        return rid

    def bron(self, f: dict[str, list[Any]]) -> list[dict[str, Any]]:
        if f.get("bron"):
            return f["bron"]
        if self.package_bron is None:
            self.package_bron = {"bestand": f"hsds:{_slug(self.package['name'])}"}
        return [self.package_bron]

    def extra(self, rec: dict[str, Any], f: dict[str, list[Any]]) -> dict[str, Any]:
        for raw in f.get("extra", []):
            try:
                item = json.loads(raw)
                rec[item["veld"]] = item["waarde"]
            except (ValueError, KeyError, TypeError):
                continue
        return rec

    def organisaties(self) -> list[dict[str, Any]]:
        out = []
        for o in self.t["organization"]:
            f = self.fields(o["id"])
            rec = {
                "id": self.our_id("organisatie", o, f),
                "naam": o.get("name") or "Onbekende organisatie",
                "omschrijving": o.get("description") if o.get("description") != o.get("name") else None,
                "website": o.get("website"),
                "bron": f.get("bron") or None,
            }
            out.append(self.extra(_clean(rec), f))
        return out

    def contact(self, s: Row) -> dict[str, Any]:
        sal = next((x for x in self.t["service_at_location"] if x.get("service_id") == s["id"]), None)
        loc_id = sal.get("location_id") if sal else None
        address = next((a for a in self.t["address"] if loc_id and a.get("location_id") == loc_id), None)
        phone = next(
            (
                p
                for p in self.t["phone"]
                if p.get("service_id") == s["id"] or (loc_id and p.get("location_id") == loc_id)
            ),
            None,
        )
        schedules = [
            y
            for y in self.t["schedule"]
            if y.get("service_id") == s["id"] or (sal and y.get("service_at_location_id") == sal["id"])
        ]
        days = {v: k for k, v in BYDAY.items()}
        tijden = []
        for y in schedules:
            for day in (y.get("byday") or "").split(","):
                day = re.sub(r"[^A-Z]", "", day.upper())
                if day in days and y.get("opens_at") and y.get("closes_at"):
                    tijden.append({"dag": days[day], "open": y["opens_at"][:5], "dicht": y["closes_at"][:5]})
        c = {
            "adres": {"straat": address["address_1"], "postcode": address["postal_code"], "plaats": address["city"]}
            if address
            else None,
            "telefoon": phone["number"].strip('"') if phone else None,
            "email": s.get("email"),
            "inloop": (sal or {}).get("description"),
            "openingstijden": tijden or None,
        }
        return _clean(c)

    def services(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        voorzieningen, teams = [], []
        orgs = {o["id"]: o for o in self.t["organization"]}
        for s in self.t["service"]:
            f = self.fields(s["id"])
            org = self.ids.get(s.get("organization_id") or "") or (
                self.ids.get(next(iter(orgs)), None) if orgs else None
            )
            contact = self.contact(s)
            if f.get("soort"):
                rec = {
                    "id": self.our_id("buurtteam", s, f),
                    "naam": s["name"],
                    "soort": f["soort"][0],
                    "organisatie": org,
                    "wijken": f.get("wijk") or [],
                    **contact,
                    "status": (f.get("status") or ["bron"])[0],
                    "bron": f.get("bron") or None,
                }
                teams.append(self.extra(_clean(rec), f))
                continue
            description = (s.get("description") or s["name"]).strip()
            rec = {
                "id": self.our_id("voorziening", s, f),
                "naam": s["name"],
                "korte_uitleg": (f.get("korte_uitleg") or [_first_sentence(description)])[0],
                "uitleg": description,
                "voor_wie": s.get("eligibility_description") or "Vraag de organisatie voor wie dit is.",
                "toegangsroute": (f.get("toegangsroute") or ["onbekend"])[0],
                "hoe_krijg_je_het": s.get("application_process") or "Neem contact op met de organisatie.",
                "kosten": s.get("fees_description") or "Vraag naar de kosten bij de organisatie.",
                "organisatie": org,
                "doelgroepen": f.get("doelgroep") or [],
                "themas": f.get("thema") or [],
                "pictogram": (f.get("pictogram") or ["informatie"])[0],
                # A foreign package's service areas are not our wijken: the whole gemeente, placed later.
                "wijken": f.get("wijk") or ["alle"],
                "regels": f.get("regel") or [],
                "trefwoorden": f.get("trefwoord") or [],
                "bron": self.bron(f),
                "laatst_gecontroleerd": s.get("assured_date"),
                "status": (f.get("status") or ["bron"])[0],
            }
            if contact and (f.get("contact_status") or not f.get("id")):
                rec["contact"] = {**contact, "status": (f.get("contact_status") or ["bron"])[0]}
            voorzieningen.append(self.extra(_clean(rec), f))
        return voorzieningen, teams

    def regels(self) -> list[dict[str, Any]]:
        out = []
        for tid in self.ours:
            term = self.terms[tid]
            code = term.get("code") or ""
            if not code.startswith("regel:") or not self.attrs.get(tid):
                continue
            f = self.fields(tid)
            rec = {
                "id": (f.get("id") or [code[6:]])[0],
                "titel": term["name"],
                "regel": term["description"],
                "uitleg": (f.get("uitleg") or [None])[0],
                "bronzin": (f.get("bronzin") or [None])[0],
                "themas": f.get("thema") or [],
                "voorzieningen": f.get("voorziening") or [],
                "bron": f.get("bron") or None,
                "laatst_gecontroleerd": (f.get("laatst_gecontroleerd") or [None])[0],
            }
            out.append((self.t["taxonomy_term"].index(term), self.extra(_clean(rec), f)))
        return [r for _, r in sorted(out, key=lambda x: x[0])]


def from_tables(
    tables: Tables, package: dict[str, Any], bronnen: dict[str, dict[str, Any]]
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, Any] | None]:
    """Our kaart records from HSDS tables, and the source entry to add for a package that cites none."""
    r = _Reader(tables, package, bronnen)
    records = {"organisaties": r.organisaties()}
    records["voorzieningen"], records["buurtteams"] = r.services()
    records["regels"] = r.regels()
    extra_bron = None
    if r.package_bron:
        dates = [str(s.get("last_modified") or s.get("assured_date") or "") for s in tables["service"]]
        years = [int(d[:4]) for d in dates if re.match(r"^(19|20)[0-9]{2}", d)]
        extra_bron = {
            "bestand": r.package_bron["bestand"],
            "titel": package.get("title") or package["name"],
            "jaar": max(years) if years else dt.date.today().year,
            "soort": "datapakket",
        }
    return {k: records[k] for k in KAART}, extra_bron


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", _ascii(text).lower()).strip("-")[:60] or "record"


def _ascii(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _first_sentence(text: str) -> str:
    first = re.split(r"(?<=[.!?])\s+", text.strip(), maxsplit=1)[0]
    return first if len(first) <= 200 else first[:197].rsplit(" ", 1)[0] + " ..."


# ------------------------------------------------------------------------------ into the data folder

PROFIEL_FILES = ("gemeente.yaml", "wijken.yaml", "bronnen.yaml", "synoniemen.yaml", "woordenlijst.yaml")


def read(path: Path, data_dir: Path | None = None, replace: bool = False) -> tuple[Sources, dict[str, Any] | None]:
    """A package's kaart merged into the kaart in `data_dir` (records with the same id are replaced,
    new ones added; with `replace` the package is the whole kaart), validated against that folder's
    gemeente profile. Returns the Sources and the source entry to add for the package, if any."""
    import shutil
    import tempfile

    from . import config
    from .profiel import load_bronnen, load_gemeente
    from .sources import FILES, read_yaml, validate

    folder = Path(data_dir or config.data_dir())
    tables, package = read_tables(path)
    current = {name: read_yaml(folder / file) for name, file in FILES.items()}
    gemeente = load_gemeente(folder)
    incoming, extra_bron = from_tables(tables, package, load_bronnen(folder))
    records = dict(current)
    for name in KAART:
        records[name] = incoming[name] if replace else _merge(current[name], incoming[name])
    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp)
        for file in PROFIEL_FILES + (gemeente["postcodetabel"],):
            shutil.copy2(folder / file, staged / file)
        if extra_bron:
            rows = read_yaml(staged / "bronnen.yaml")
            rows = [r for r in rows if r.get("bestand") != extra_bron["bestand"]] + [extra_bron]
            _write_yaml(staged / "bronnen.yaml", rows)
        src = validate(records, staged)
    return src, extra_bron


def _merge(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_id = {r.get("id"): r for r in new}
    merged = [by_id.pop(r.get("id"), r) for r in old]
    return merged + [r for r in new if r.get("id") in by_id]


def _write_yaml(path: Path, records: list[dict[str, Any]]) -> None:
    import yaml

    path.write_text(yaml.safe_dump(plain(records), allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")


def import_package(path: Path, data_dir: Path | None = None, replace: bool = False) -> list[Path]:
    """Import an HSDS 3.0 package (tabular or JSON form) into the editors' YAML files: validated
    first, then all files written or none."""
    import os

    from . import config
    from .sources import FILES

    folder = Path(data_dir or config.data_dir())
    src, extra_bron = read(path, folder, replace)
    staged = []
    for name in KAART:
        tmp = folder / f".{FILES[name]}.tmp"
        _write_yaml(tmp, src[name])
        staged.append((tmp, folder / FILES[name]))
    if extra_bron:
        rows = [{"bestand": k, **v} for k, v in src.bronnen.items() if k != extra_bron["bestand"]]
        tmp = folder / ".bronnen.yaml.tmp"
        _write_yaml(tmp, rows + [extra_bron])
        staged.append((tmp, folder / "bronnen.yaml"))
    for tmp, final in staged:
        os.replace(tmp, final)
    return [final for _, final in staged]
