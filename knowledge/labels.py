"""How people read the codes and field names of the kaart: a name per code and language in
labels.yaml, beside this file, so an editor can rename one without touching a template."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from . import yamlio
from .records import Voorziening, fields
from .schema import DOELGROEPEN, THEMAS, TOEGANGSROUTES, DataError

LABELS_FILE = Path(__file__).with_name("labels.yaml")
# The codes that need a name; `veld` are a voorziening's fields, as the kaart's detail page names them.
CODE_LISTS: dict[str, tuple[str, ...]] = {
    "toegangsroute": TOEGANGSROUTES,
    "doelgroep": DOELGROEPEN,
    "thema": THEMAS,
    "veld": fields(Voorziening),
}


@lru_cache(maxsize=1)
def labels() -> dict[str, dict[str, dict[str, str]]]:
    """labels.yaml, checked: {soort: {code: {taal: naam}}}, every code of CODE_LISTS with a Dutch name."""
    data = yamlio.safe_load(LABELS_FILE.read_text(encoding="utf-8")) or {}
    out: dict[str, dict[str, dict[str, str]]] = {}
    for soort, codes in CODE_LISTS.items():
        names = data.get(soort) if isinstance(data, dict) else None
        if not isinstance(names, dict):
            raise DataError(LABELS_FILE.name, soort, "", "ontbreekt: geef elke code een naam")
        for code in names:
            if code not in codes:
                raise DataError(LABELS_FILE.name, soort, code, f"onbekende code; kies uit: {', '.join(codes)}")
        for code in codes:
            name = names.get(code)
            if (
                not isinstance(name, dict)
                or not all(isinstance(v, str) and v.strip() for v in name.values())
                or not name.get("nl")
            ):
                raise DataError(LABELS_FILE.name, soort, code, "moet een naam hebben, zoals {nl: ..., en: ...}")
        out[soort] = {code: {taal: v.strip() for taal, v in names[code].items()} for code in codes}
    return out


def label(soort: str, code: str, taal: str = "nl") -> str:
    """The name of a code as people read it ("Via het Wmo-loket"), in `taal` or else in Dutch.
    A code without a name (an imported record) shows as itself, never as an error."""
    names = labels().get(soort, {}).get(code)
    if not names:
        return str(code).replace("_", " ")
    return names.get(taal) or names["nl"]
