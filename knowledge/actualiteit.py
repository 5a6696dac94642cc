"""How fresh a record is: the year of its newest source, and whether it may be out of date.

A record that rests only on sources older than the gemeente's `verouderd_na_jaren` is "mogelijk
verouderd" until a person checks it with the organisation and writes the date in
`laatst_gecontroleerd`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any


def bron_jaar(record: dict[str, Any], bronnen: dict[str, dict[str, Any]]) -> int | None:
    """The year of the newest source document the record cites; None without sources."""
    years = [bronnen[b["bestand"]]["jaar"] for b in record.get("bron") or [] if b.get("bestand") in bronnen]
    return max(years) if years else None


def mogelijk_verouderd(
    record: dict[str, Any], bronnen: dict[str, dict[str, Any]], jaren: int, vandaag: dt.date
) -> bool:
    jaar = bron_jaar(record, bronnen)
    if jaar is None or vandaag.year - jaar <= jaren:
        return False
    checked = record.get("laatst_gecontroleerd")
    if isinstance(checked, str):
        checked = dt.date.fromisoformat(checked)
    return not (checked and (vandaag - checked).days <= jaren * 365)


def stamp(record: dict[str, Any], bronnen: dict[str, dict[str, Any]], jaren: int, vandaag: dt.date) -> dict[str, Any]:
    """The record with `bron_jaar` and `mogelijk_verouderd` added, as the build stores it."""
    return {
        **record,
        "bron_jaar": bron_jaar(record, bronnen),
        "mogelijk_verouderd": mogelijk_verouderd(record, bronnen, jaren, vandaag),
    }
