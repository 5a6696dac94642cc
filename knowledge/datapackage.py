"""Export and import the KB as an HSDS-style data package (JSON or CSV).

A gemeente can load its real sociale kaart this way. The round trip is
lossless: lists and mappings travel as JSON inside CSV cells, and the
descriptor says which columns hold JSON.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from pathlib import Path

import yaml

from .schema import DataError
from .sources import FILES, Sources, validate

PROFILE = "buurtwijzer-hsds-datapackage"
# Which Open Referral HSDS table each resource corresponds to.
HSDS = {
    "organisaties": "organization",
    "voorzieningen": "service (+ eligibility, service_area)",
    "buurtteams": "service_at_location (+ location, phone, schedule)",
    "wijken": "service_area",
    "regels": "eligibility / required_document (rules with their source)",
    "synoniemen": "taxonomy_term (everyday words)",
    "woordenlijst": "taxonomy_term (glossary)",
}


def _plain(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _fields(records: list[dict]) -> list[dict]:
    names: dict[str, str] = {}
    for rec in records:
        for k, v in rec.items():
            kind = ("array" if isinstance(v, list) else "object" if isinstance(v, dict)
                    else "date" if isinstance(v, dt.date) else "string")
            if v is not None:
                names[k] = kind
            else:
                names.setdefault(k, "string")
    return [{"name": k, "type": t} for k, t in names.items()]


def export(src: Sources, target: Path, fmt: str = "json") -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    resources, written = [], []
    for name in FILES:
        records = [{k: _plain(v) for k, v in rec.items()} for rec in src[name]]
        res = {"name": name, "hsds": HSDS[name], "schema": {"fields": _fields(src[name])}}
        if fmt == "json":
            res["data"] = records
        else:
            path = target / f"{name}.csv"
            _write_csv(path, records, res["schema"]["fields"])
            res["path"], res["format"] = path.name, "csv"
            written.append(path)
        resources.append(res)
    descriptor = {"profile": PROFILE, "name": "buurtwijzer-sociale-kaart",
                  "created": dt.datetime.now().isoformat(timespec="seconds"), "resources": resources}
    out = target / "datapackage.json"
    out.write_text(json.dumps(descriptor, ensure_ascii=False, indent=1), encoding="utf-8")
    return [out, *written]


def _write_csv(path: Path, records: list[dict], fields: list[dict]) -> None:
    kinds = {f["name"]: f["type"] for f in fields}
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(kinds))
        writer.writeheader()
        for rec in records:
            writer.writerow({k: (json.dumps(v, ensure_ascii=False) if kinds[k] in ("array", "object")
                                 else "" if v is None else v) for k, v in rec.items()})


def _read_csv(path: Path, fields: list[dict]) -> list[dict]:
    kinds = {f["name"]: f["type"] for f in fields}
    out = []
    with path.open(encoding="utf-8", newline="") as fh:
        for i, row in enumerate(csv.DictReader(fh)):
            rec = {}
            for k, v in row.items():
                if k not in kinds:
                    raise DataError(path.name, f"nr. {i + 1}", k, "kolom staat niet in datapackage.json")
                if kinds[k] in ("array", "object"):
                    try:
                        rec[k] = json.loads(v) if v else ([] if kinds[k] == "array" else {})
                    except ValueError:
                        raise DataError(path.name, f"nr. {i + 1}", k, "geen geldige JSON in deze cel") from None
                else:
                    rec[k] = v if v != "" else None
            out.append({k: v for k, v in rec.items() if v is not None})
    return out


def read(path: Path) -> Sources:
    """Read and validate a data package (a directory or its datapackage.json)."""
    path = Path(path)
    descriptor_path = path / "datapackage.json" if path.is_dir() else path
    try:
        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(descriptor_path.name, "-", "", f"kan het datapakket niet lezen: {exc}") from None
    by_name = {r.get("name"): r for r in descriptor.get("resources", [])}
    records = {}
    for name in FILES:
        res = by_name.get(name)
        if res is None:
            raise DataError(descriptor_path.name, "-", "resources", f"resource '{name}' ontbreekt")
        if "data" in res:
            records[name] = res["data"]
        else:
            records[name] = _read_csv(descriptor_path.parent / res["path"], res["schema"]["fields"])
    return validate(records)


def write_sources(src: Sources, data_dir: Path) -> list[Path]:
    """Write validated sources as the editors' YAML files; all files or none."""
    data_dir.mkdir(parents=True, exist_ok=True)
    staged = []
    for name, file in FILES.items():
        records = [{k: _plain(v) for k, v in rec.items()} for rec in src[name]]
        buf = io.StringIO()
        yaml.safe_dump(records, buf, allow_unicode=True, sort_keys=False, width=100)
        tmp = data_dir / f".{file}.tmp"
        tmp.write_text(buf.getvalue(), encoding="utf-8")
        staged.append((tmp, data_dir / file))
    for tmp, final in staged:
        os.replace(tmp, final)
    return [final for _, final in staged]
