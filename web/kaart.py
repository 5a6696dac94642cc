"""Sociale kaart for professionals: search with filters, detail pages, a page per wijk, downloads."""

from __future__ import annotations

import csv
import io
import json

from flask import Blueprint, Response, abort, current_app, g, redirect, render_template, request, url_for

from knowledge import labels, records
from knowledge.schema import DOELGROEPEN, THEMAS, TOEGANGSROUTES

bp = Blueprint("kaart", __name__, url_prefix="/kaart")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
EXPORT_FIELDS = records.fields(records.Voorziening, export=True)


def kb():
    return current_app.extensions["kb"]


@bp.context_processor
def names():
    """`label('doelgroep', 'lvb')`: a code as people read it, in the page's language (knowledge/labels.yaml)."""
    return {"label": lambda soort, code: labels.label(soort, code, g.get("taal", "nl"))}


def filters() -> dict:
    """The query string, cleaned: unknown values are ignored rather than failing the page."""
    args = request.args
    wijk = args.get("wijk") or None
    if wijk and kb().wijk(wijk) is None:
        loc = kb().locator.find(wijk)
        wijk = loc.wijk if loc else None
    return {
        "q": (args.get("q") or "").strip()[:200],
        "wijk": wijk,
        "doelgroep": args.get("doelgroep") if args.get("doelgroep") in DOELGROEPEN else None,
        "thema": args.get("thema") if args.get("thema") in THEMAS else None,
        "toegangsroute": args.get("toegangsroute") if args.get("toegangsroute") in TOEGANGSROUTES else None,
    }


def results(f: dict) -> list[dict]:
    hits = kb().zoek(
        f["q"], wijk=f["wijk"], doelgroep=f["doelgroep"], thema=f["thema"], toegangsroute=f["toegangsroute"], limit=None
    )
    return kb().voorzieningen([h.id for h in hits])


@bp.get("/")
def index():
    f = filters()
    names = {w["id"]: w["naam"] for w in kb().wijken()}
    return render_template(
        "kaart/index.html",
        f=f,
        resultaten=results(f),
        wijken=kb().wijken(),
        wijknamen=lambda ids: ", ".join(names.get(i, i) for i in ids),
        doelgroepen=DOELGROEPEN,
        themas=THEMAS,
        routes=TOEGANGSROUTES,
    )


@bp.get("/export.<fmt>")
def export(fmt: str):
    rows = [records.export_row(v) for v in results(filters())]
    if fmt == "json":
        body = json.dumps(rows, ensure_ascii=False, indent=1, default=str)
        return Response(
            body,
            mimetype="application/json",
            headers={"Content-Disposition": "attachment; filename=sociale-kaart.json"},
        )
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=EXPORT_FIELDS)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: csv_cell(v) for k, v in row.items()})
        return Response(
            buf.getvalue(),
            mimetype="text/csv",
            headers={"Content-Disposition": "attachment; filename=sociale-kaart.csv"},
        )
    abort(404)


@bp.get("/sociale-kaart-spreadsheet.csv")
def spreadsheet():
    """The same rows for Dutch spreadsheet programs: `;` between cells, a UTF-8 byte order mark so
    accents survive, lists joined with "; " and sources by title and year, never JSON in a cell."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow(EXPORT_FIELDS)
    names = {w["id"]: w["naam"] for w in kb().wijken()} | {"alle": "hele stad"}
    for v in results(filters()):
        row = {**v, "wijken": [names.get(w, w) for w in v.get("wijken") or []]}
        writer.writerow([readable_cell(row.get(k)) for k in EXPORT_FIELDS])
    return Response(
        "\ufeff" + buf.getvalue(),
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": "attachment; filename=sociale-kaart-spreadsheet.csv"},
    )


def readable_cell(value) -> str:
    """One cell as a person reads it: lists joined with "; ", a source as "title (year), r. lines"."""
    if isinstance(value, list):
        return "; ".join(readable_cell(x) for x in value)
    if isinstance(value, dict):
        if "bestand" in value:
            return kb().bron_label(value)
        return ", ".join(f"{k}: {readable_cell(x)}" for k, x in value.items())
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return csv_cell(value)


def csv_cell(value) -> str:
    """A cell a spreadsheet shows as text: one that would start a formula gets a leading quote (OWASP)."""
    if value is None:
        return ""
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


@bp.get("/voorziening/<id>")
def voorziening(id: str):
    v = kb().voorziening(id)
    if v is None:
        abort(404)
    regels = [r for r in (kb().regel(rid) for rid in v["regels"]) if r]
    org = next((o for o in kb().organisaties() if o["id"] == v["organisatie"]), None)
    wijken = [w for w in kb().wijken() if w["id"] in v["wijken"]]
    # The buurtteams only where the way in is the buurtteam: those of the service's own wijken, or for
    # a city-wide service the way to the team of one wijk (not every team of the city).
    via_buurtteam = v["toegangsroute"] == "via_buurtteam"
    citywide = "alle" in v["wijken"]
    teams = [(w, kb().teams_voor_wijk(w["id"])) for w in wijken] if via_buurtteam and not citywide else []
    return render_template(
        "kaart/voorziening.html",
        v=v,
        regels=regels,
        organisatie=org,
        teams=teams,
        wijken=wijken,
        buurtteam_zoeken=via_buurtteam and citywide,
        demo=any(t.demo for _, ts in teams for t in ts),
    )


@bp.get("/buurtteam")
def buurtteam():
    """The buurtteam of one wijk, by postcode, wijk or buurt: goes to that wijk's page."""
    zoek = "".join(ch for ch in request.args.get("postcode") or "" if ch.isprintable()).strip()[:100]
    found = kb().locator.find(zoek) if zoek else None
    if found is not None:
        return redirect(url_for("kaart.wijk", id=found.wijk, lang=g.taal, _anchor="buurtteams"), 303)
    return render_template("kaart/buurtteam.html", zoek=zoek, wijken=kb().wijken())


@bp.get("/wijk/<id>")
def wijk(id: str):
    w = kb().wijk(id)
    if w is None:
        abort(404)
    lokaal = kb().voorzieningen([h.id for h in kb().zoek("", wijk=id, limit=None)])
    return render_template("kaart/wijk.html", w=w, teams=kb().teams_voor_wijk(id), voorzieningen=lokaal)
