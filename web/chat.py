"""Chat for residents and mantelzorgers. Works without JavaScript; with it, replies arrive in place."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, g, make_response, render_template, request

from assistant import gemist
from assistant.answers import NIVEAUS, full_text
from assistant.session import ttl_seconds

from .present import QUICK_TOPICS, neem_mee_qr, speech_response, topic_buttons
from .security import absolute_url

bp = Blueprint("chat", __name__)


def assistant():
    return current_app.extensions["assistant"]


def session_id() -> str | None:
    """The id in the cookie, as the server gave it; the store decides whether it is still a session."""
    return request.cookies.get(current_app.config["SESSION_COOKIE"]) or None


def with_cookie(response, sid: str):
    response.set_cookie(
        current_app.config["SESSION_COOKIE"], sid, httponly=True, samesite="Lax", secure=request.is_secure, max_age=None
    )
    return response


def turn_from_form() -> tuple[dict, str]:
    form = request.form
    niveau = form.get("niveau") if form.get("niveau") in NIVEAUS else None
    intent = form.get("intent") or None
    reply = assistant().reply(
        form.get("bericht", ""),
        session_id=session_id(),
        niveau=niveau,
        intent=intent,
        wijk=form.get("wijk") or None,
        postcode=form.get("postcode") or None,
        check=form.get("check") or None,
        lang=form.get("lang") or request.args.get("lang"),
        interface=g.taal,
    )
    return reply.to_json(), reply.session


@bp.get("/")
def index():
    # No cookie yet: the server gives a session id with the first reply.
    return render_template("chat.html", reply=None, vraag=None, topics=topic_buttons(assistant(), QUICK_TOPICS, g.taal))


@bp.post("/")
def send():
    """No-JavaScript path: the page comes back with the question and the reply."""
    reply, sid = turn_from_form()
    html = render_template(
        "chat.html",
        reply=reply,
        vraag=request.form.get("bericht") or None,
        topics=topic_buttons(assistant(), QUICK_TOPICS, g.taal),
    )
    return with_cookie(make_response(html), sid)


@bp.post("/beurt")
def turn():
    """JavaScript path: just the reply card, as HTML, to put in the conversation."""
    reply, sid = turn_from_form()
    return with_cookie(make_response(render_template("_antwoord.html", reply=reply, face="chat")), sid)


@bp.get("/neem-mee")
def neem_mee():
    """One page to print or open on a phone: the next step, who to contact, what happens then."""
    a = assistant()
    intent = request.args.get("intent", "")
    if intent not in a.intents or not a.book.has(intent):
        abort(404)
    niveau = request.args.get("niveau") if request.args.get("niveau") in NIVEAUS else "eenvoudig"
    wijk = request.args.get("wijk")
    reply = a.reply("", intent=intent, niveau=niveau, wijk=wijk if wijk else None, lang=request.args.get("lang"))
    a.sessions.delete(reply.session)
    data = reply.to_json()
    lang = reply.answer.lang if reply.answer.lang != "nl" else None
    qr = neem_mee_qr(absolute_url("chat.neem_mee", intent=intent, niveau=niveau, wijk=wijk or None, lang=lang))
    return render_template("neem_mee.html", reply=data, qr=qr)


@bp.get("/voorlees")
def read_aloud():
    """The answer for an intent and niveau as speech (Ogg Opus; ?formaat=wav for a browser that cannot
    play it). Only answer texts, never what people typed."""
    a = assistant()
    intent, niveau = request.args.get("intent", ""), request.args.get("niveau", "standaard")
    if intent not in a.intents or not a.book.has(intent) or niveau not in NIVEAUS:
        abort(404)
    meta = a.intents[intent]
    lang = "en" if request.args.get("lang") == "en" else "nl"
    answer = a.book.render(intent, niveau, meta.voorzieningen, meta.regels, lang=lang)
    return speech_response(full_text(answer), answer.lang, request.args.get("formaat"))


@bp.get("/privacy")
def privacy():
    settings = current_app.extensions["settings"]
    return render_template(
        "privacy.html",
        gemist_dagen=gemist.retention_days(settings) if gemist.enabled(settings) else None,
        sessie_minuten=ttl_seconds(settings) // 60,
    )
