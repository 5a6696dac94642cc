"""JSON API. The request schemas here are the ones published in /api/openapi.json."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request
from jsonschema import Draft202012Validator

from assistant.answers import NIVEAUS
from assistant.dialogue import MAX_CHARS
from knowledge import records
from knowledge.schema import DOELGROEPEN, THEMAS, TOEGANGSROUTES

from . import openapi

bp = Blueprint("api", __name__, url_prefix="/api")
CHAT_REQUEST = Draft202012Validator(openapi.CHAT_REQUEST)


def assistant():
    return current_app.extensions["assistant"]


def error(message: str, status: int = 400):
    return jsonify({"error": message}), status


def read_json():
    """The request body as JSON, or None when it is not JSON (also when it is nested too deeply to read)."""
    try:
        return request.get_json(silent=True)
    except RecursionError:
        return None


@bp.post("/chat")
def chat():
    data = read_json()
    if data is None:
        return error('Stuur JSON, bijvoorbeeld {"message": "ik zoek hulp"}.')
    problems = sorted(CHAT_REQUEST.iter_errors(data), key=lambda e: list(e.path))
    if problems:
        p = problems[0]
        where = ".".join(str(x) for x in p.path) or "bericht"
        return error(f"Ongeldig verzoek ({where}): {openapi.explain(p)}")
    reply = assistant().reply(
        data["message"],
        session_id=data.get("session_id"),
        niveau=data.get("niveau"),
        wijk=data.get("wijk"),
        postcode=data.get("postcode"),
        intent=data.get("intent"),
        check=data.get("check"),
        lang=data.get("lang"),
    )
    return jsonify(reply.to_json())


@bp.get("/voorzieningen")
def voorzieningen():
    kb = assistant().kb
    args = request.args
    for key, allowed in (("doelgroep", DOELGROEPEN), ("thema", THEMAS), ("toegangsroute", TOEGANGSROUTES)):
        if args.get(key) and args[key] not in allowed:
            return error(f"Onbekende {key} {args[key]!r}. Kies uit: {', '.join(allowed)}")
    wijk = None
    if args.get("wijk"):
        loc = kb.locator.find(args["wijk"])
        if loc is None:
            return error(f"Onbekende wijk {args['wijk'][:100]!r}.", 404)
        wijk = loc.wijk
    hits = kb.zoek(
        args.get("q", "")[:200],
        wijk=wijk,
        doelgroep=args.get("doelgroep") or None,
        thema=args.get("thema") or None,
        toegangsroute=args.get("toegangsroute") or None,
        limit=None,
    )
    rows = kb.voorzieningen([h.id for h in hits])
    return jsonify({"aantal": len(rows), "wijk": wijk, "voorzieningen": [openapi.voorziening_json(v) for v in rows]})


@bp.get("/buurtteam")
def buurtteam():
    kb = assistant().kb
    query = request.args.get("postcode") or request.args.get("wijk")
    if not query:
        return error("Geef ?postcode=3563 of ?wijk=Overvecht.")
    found = kb.buurtteam(query[:100])
    if found is None:
        return error(f"Geen wijk gevonden voor {query[:100]!r} in {kb.gemeente()['naam']}.", 404)
    return jsonify(
        {
            "wijk": found.wijk["id"],
            "wijknaam": found.wijk["naam"],
            "demo": any(t.demo for t in found.teams),
            "teams": [records.team_card(t) for t in found.teams],
        }
    )


@bp.get("/openapi.json")
def spec():
    return jsonify(openapi.document(MAX_CHARS, NIVEAUS, assistant().kb.gemeente()["naam"]))
