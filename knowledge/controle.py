"""What an editor should check: old sources, demo data, and links the kaart cannot fill."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from .actualiteit import bron_jaar, mogelijk_verouderd
from .schema import PLACEHOLDER_RE as PLACEHOLDER
from .sources import Sources


def controle(
    src: Sources,
    links: dict[str, dict[str, list[str]]] | None = None,
    answers: dict[str, dict[str, Any]] | None = None,
    vandaag: dt.date | None = None,
) -> dict[str, Any]:
    """The check list. `links`: per topic its voorzieningen and regels (intents/data);
    `answers`: the answer texts per topic (assistant/answers), for their placeholders."""
    vandaag = vandaag or dt.date.today()
    jaren = src.gemeente["verouderd_na_jaren"]
    verouderd = [
        {
            "soort": name,
            "id": r["id"],
            "naam": r.get("naam") or r.get("titel"),
            "nieuwste_bron": bron_jaar(r, src.bronnen),
        }
        for name in ("voorzieningen", "regels", "organisaties")
        for r in src[name]
        if mogelijk_verouderd(r, src.bronnen, jaren, vandaag)
    ]
    demo = [
        {"soort": "buurtteams", "id": t["id"], "naam": t["naam"]}
        for t in src["buurtteams"]
        if t.get("status") == "voorbeeld"
    ]
    demo += [
        {"soort": "voorzieningen", "id": v["id"], "naam": f"{v['naam']} (contact)"}
        for v in src["voorzieningen"]
        if (v.get("contact") or {}).get("status") == "voorbeeld"
    ]
    if src.gemeente["postcodes_status"] == "voorbeeld":
        demo.append({"soort": "gemeente", "id": src.gemeente["postcodetabel"], "naam": "postcodetabel"})
    ids = {"voorziening": src.ids("voorzieningen"), "regel": src.ids("regels")}
    ontbreekt = []
    for topic, refs in sorted((links or {}).items()):
        ontbreekt += [
            f"{topic}: voorziening {ref!r} staat niet in de kaart"
            for ref in refs.get("voorzieningen", [])
            if ref not in ids["voorziening"]
        ]
        ontbreekt += [
            f"{topic}: regel {ref!r} staat niet in de kaart"
            for ref in refs.get("regels", [])
            if ref not in ids["regel"]
        ]
    if links is not None:
        ontbreekt += [
            f"voorziening {v['id']}: onderwerp {topic!r} bestaat niet"
            for v in src["voorzieningen"]
            for topic in v.get("onderwerpen") or []
            if topic not in links
        ]
    for topic, rec in sorted((answers or {}).items()):
        for kind, ref in PLACEHOLDER.findall(json.dumps(rec, ensure_ascii=False)):
            known = ids["regel"] if kind in ("regel", "bronzin") else ids["voorziening"]
            if ref not in known:
                ontbreekt.append(f"antwoord {topic}: {{{{{kind}:{ref}}}}} staat niet in de kaart")
    nagegaan = sum(1 for name in ("voorzieningen", "regels") for r in src[name] if r.get("laatst_gecontroleerd"))
    totaal = len(src["voorzieningen"]) + len(src["regels"])
    return {
        "verouderd_na_jaren": jaren,
        "mogelijk_verouderd": verouderd,
        "voorbeeldgegevens": demo,
        "ontbrekende_koppelingen": sorted(set(ontbreekt)),
        "nagegaan": nagegaan,
        "totaal": totaal,
    }
