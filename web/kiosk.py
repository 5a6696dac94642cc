"""Kiosk for the touch screen in a buurthuis: big pictogram buttons, at most two taps to an answer.

Nothing is stored in the browser: no cookies, no local storage. The conversation lives in the
page only, and the page returns to the start after a quiet period.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, g, render_template, request, url_for
from flask_babel import gettext as _

from .present import KIOSK_GROUPS, group_label, neem_mee_qr, speech_response, topic_buttons
from .security import absolute_url

bp = Blueprint("kiosk", __name__, url_prefix="/kiosk")


def assistant():
    return current_app.extensions["assistant"]


def kiosk_wijk() -> str | None:
    """The wijk of this buurthuis: ?wijk= (name, buurt or postcode) in the kiosk's address."""
    value = request.args.get("wijk")
    if not value:
        return None
    loc = assistant().kb.locator.find(value)
    return loc.wijk if loc else None


def quiet_seconds() -> int:
    """Seconds without touch before the screen starts over: ?stil= per kiosk (5-600), else the setting."""
    value = request.args.get("stil", "")
    if value.isdigit() and 5 <= int(value) <= 600:
        return int(value)
    return current_app.config["KIOSK_STIL_SECONDEN"]


def common() -> dict:
    wijk = kiosk_wijk()
    return {
        "wijk": wijk,
        "stil": quiet_seconds(),
        "teams": assistant().kb.teams_voor_wijk(wijk) if wijk else [],
        "wijknaam": (assistant().kb.wijk(wijk) or {}).get("naam") if wijk else None,
    }


@bp.app_context_processor
def kiosk_links():
    def kurl(endpoint: str, **values) -> str:
        """A link that keeps this kiosk's settings (wijk, quiet time, language)."""
        keep = {k: request.args[k] for k in ("wijk", "stil", "lang") if request.args.get(k)}
        return url_for(endpoint, **{**keep, **values})

    def kiosk_taal_url(code: str) -> str:
        """This kiosk screen in another language."""
        return kurl(request.endpoint, **(request.view_args or {}), lang=code)

    return {"kurl": kurl, "kiosk_taal_url": kiosk_taal_url}


@bp.get("/")
def index():
    return render_template("kiosk/start.html", groepen=list(enumerate(KIOSK_GROUPS)), **common())


@bp.get("/groep/<int:nr>")
def groep(nr: int):
    if not 0 <= nr < len(KIOSK_GROUPS):
        abort(404)
    group = KIOSK_GROUPS[nr]
    return render_template(
        "kiosk/groep.html", groep=group, nr=nr, knoppen=topic_buttons(assistant(), group["intents"], g.taal), **common()
    )


@bp.get("/antwoord/<intent>")
def antwoord(intent: str):
    ctx = common()
    reply = _answer(intent, ctx)
    return render_template("kiosk/antwoord.html", reply=reply.to_json(), qr=_take_home(reply, ctx), **ctx)


def _answer(intent: str, ctx: dict):
    a = assistant()
    if intent not in a.intents or not a.book.has(intent):
        abort(404)
    reply = a.reply("", intent=intent, niveau="eenvoudig", wijk=ctx["wijk"], interface=g.taal)
    a.sessions.delete(reply.session)  # a kiosk keeps no conversation on the server either
    return reply


def _take_home(reply, ctx: dict) -> dict | None:
    """The QR code to the public Neem mee page of this answer, in its language."""
    lang = reply.answer.lang if reply.answer.lang != "nl" else None
    return neem_mee_qr(
        absolute_url("chat.neem_mee", intent=reply.intent, niveau="eenvoudig", wijk=ctx["wijk"], lang=lang)
    )


@bp.get("/neem-mee/<intent>")
def neem_mee(intent: str):
    """The take-away page inside the kiosk: printed at the buurthuis, or scanned to a phone."""
    ctx = common()
    reply = _answer(intent, ctx)
    return render_template("kiosk/neem_mee.html", reply=reply.to_json(), qr=_take_home(reply, ctx), **ctx)


@bp.get("/privacy")
def privacy():
    return render_template("kiosk/privacy.html", **common())


@bp.get("/voorlees/<scherm>")
def read_screen(scherm: str):
    """Speech for the start and group screens, in the screen's language: our own labels, so safe to cache."""
    if scherm == "start":
        labels = [group_label(group, g.taal) for group in KIOSK_GROUPS]
        text = _("Waar wil je hulp bij? Kies een plaatje.") + " " + ". ".join(labels) + "."
    elif scherm == "groep" and request.args.get("nr", "").isdigit() and int(request.args["nr"]) < len(KIOSK_GROUPS):
        group = KIOSK_GROUPS[int(request.args["nr"])]
        labels = [b["label"] for b in topic_buttons(assistant(), group["intents"], g.taal)]
        text = f"{group_label(group, g.taal)}. " + _("Kies een plaatje.") + " " + ". ".join(labels) + "."
    else:
        abort(404)
    return speech_response(text, "en" if g.taal == "en" else "nl", request.args.get("formaat"))
