"""The gemeente profile: its name, its postcode table, its buurtteam kinds and its sources.

Everything that makes Buurtwijzer Utrecht's lives in the data folder (gemeente.yaml, wijken.yaml,
postcodes.csv, bronnen.yaml), so another gemeente runs it by replacing those files.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import yaml

from . import yamlio
from .schema import STATUSSEN, Checker, DataError
from .text import fold

GEMEENTE_FILE = "gemeente.yaml"
BRONNEN_FILE = "bronnen.yaml"
DEFAULTS = {
    "postcodetabel": "postcodes.csv",
    "postcodes_status": "bron",
    "buurtteam_soorten": ["sociaal", "jeugd_gezin"],
    "verouderd_na_jaren": 5,
}
PC4 = re.compile(r"^[1-9][0-9]{3}$")
PC6 = re.compile(r"^([1-9][0-9]{3}) ?([A-Za-z]{2})$")
RANGE = re.compile(r"^([1-9][0-9]{3}) ?- ?([1-9][0-9]{3})$")
MAX_RANGE = 200  # a PC4 range wider than this is a typo, not a wijk
MAX_ROWS = 100_000
# A document's lines are cited ("r. 437-440"); a data package (an imported HSDS package) has none.
SOORTEN_BRON = ("document", "datapakket")


def _yaml_file(path: Path) -> Any:
    try:
        return yamlio.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(path.name, "-", "", "bestand ontbreekt") from None
    except UnicodeDecodeError:
        raise DataError(path.name, "-", "", "bestand is geen UTF-8") from None
    except yaml.YAMLError as exc:
        raise DataError(path.name, "-", "", f"geen geldige YAML: {exc}") from None


def load_gemeente(folder: Path) -> dict[str, Any]:
    """gemeente.yaml, validated and with the defaults filled in."""
    path = Path(folder) / GEMEENTE_FILE
    data = _yaml_file(path)
    if not isinstance(data, dict):
        raise DataError(path.name, "-", "", "moet velden hebben zoals 'naam: Utrecht'")
    rec = {**DEFAULTS, **{k: v for k, v in data.items() if v is not None}}
    c = Checker(path.name, rec, 0)
    c.text("naam")
    c.text("officiele_naam", required=False)
    c.text("provincie", required=False)
    c.text("postcodetabel")
    c.choice("postcodes_status", STATUSSEN)
    c.strings("buurtteam_soorten")
    for soort in rec["buurtteam_soorten"]:
        c.pattern("buurtteam_soorten", re.compile(r"^[a-z_]+$"), "soort (kleine letters en _)", value=soort)
    if not isinstance(rec["verouderd_na_jaren"], int) or not 1 <= rec["verouderd_na_jaren"] <= 50:
        c.fail("verouderd_na_jaren", "moet een heel aantal jaren zijn, van 1 tot 50")
    rec.setdefault("officiele_naam", f"Gemeente {rec['naam']}")
    return rec


def load_bronnen(folder: Path) -> dict[str, dict[str, Any]]:
    """The source documents by file name, with their title and year (bronnen.yaml)."""
    path = Path(folder) / BRONNEN_FILE
    rows = _yaml_file(path) or []
    if not isinstance(rows, list):
        raise DataError(path.name, "-", "", "moet een lijst zijn van {bestand, titel, jaar}")
    out: dict[str, dict[str, Any]] = {}
    for i, row in enumerate(rows):
        c = Checker(path.name, row if isinstance(row, dict) else {}, i)
        c.text("bestand")
        c.text("titel")
        if not isinstance(row.get("jaar"), int) or not 1900 <= row["jaar"] <= 2100:
            c.fail("jaar", "moet een jaartal zijn (bijv. 2024)")
        if row["bestand"] in out:
            c.fail("bestand", "staat twee keer in de lijst")
        c.choice("soort", SOORTEN_BRON, required=False)
        out[str(row["bestand"])] = {
            "titel": str(row["titel"]).strip(),
            "jaar": int(row["jaar"]),
            **({"soort": row["soort"]} if row.get("soort") else {}),
        }
    return out


def _wijk_ids(wijken: list[dict[str, Any]]) -> dict[str, str | None]:
    """Every way a postcode table may name a wijk (its id or its name, any case) -> the wijk id."""
    out: dict[str, str | None] = {}
    for w in wijken:
        out[fold(str(w.get("id", "")))] = w.get("id")
        out[fold(str(w.get("naam", "")))] = w.get("id")
    return out


def read_postcodes(path: Path, wijken: list[dict[str, Any]]) -> dict[str, str]:
    """The postcode table (CSV with the columns postcode and wijk; ',' ';' or tab between them)
    as postcode -> wijk id. A PC4 stays '3563', a PC6 becomes '3563AB', a range '3561-3566' is
    written out as its PC4's."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise DataError(Path(path).name, "-", "", "bestand ontbreekt (zie postcodetabel in gemeente.yaml)") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(Path(path).name, "-", "", "bestand is geen UTF-8") from None
    first = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first.count)
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    columns = {fold(c or "").strip(): c for c in reader.fieldnames or []}
    if "postcode" not in columns or "wijk" not in columns:
        raise DataError(Path(path).name, "kop", "", "de eerste regel moet de kolommen 'postcode' en 'wijk' noemen")
    known = _wijk_ids(wijken)
    table: dict[str, str] = {}
    for i, row in enumerate(reader):
        where = f"regel {i + 2}"
        if i >= MAX_ROWS:
            raise DataError(Path(path).name, where, "", f"meer dan {MAX_ROWS} regels")
        code = (row.get(columns["postcode"]) or "").strip()
        wijk = known.get(fold((row.get(columns["wijk"]) or "").strip()))
        if not code and not row.get(columns["wijk"]):
            continue
        if wijk is None:
            raise DataError(
                Path(path).name,
                where,
                "wijk",
                f"onbekende wijk {row.get(columns['wijk'])!r}; gebruik een id of naam uit wijken.yaml",
            )
        for pc in _expand(code, Path(path).name, where):
            if table.get(pc, wijk) != wijk:
                raise DataError(Path(path).name, where, "postcode", f"{pc} hoort al bij wijk {table[pc]}")
            table[pc] = wijk
    return table


def _expand(code: str, file: str, where: str) -> list[str]:
    if PC4.match(code):
        return [code]
    if m := PC6.match(code):
        return [m.group(1) + m.group(2).upper()]
    if m := RANGE.match(code):
        start, end = int(m.group(1)), int(m.group(2))
        if not 0 <= end - start <= MAX_RANGE:
            raise DataError(
                file,
                where,
                "postcode",
                f"ongeldige reeks {code!r} (van laag naar hoog, hoogstens {MAX_RANGE} postcodes)",
            )
        return [str(n) for n in range(start, end + 1)]
    raise DataError(file, where, "postcode", f"ongeldige postcode {code!r}; schrijf 3563, 3563 AB of 3561-3566")
