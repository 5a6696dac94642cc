"""Error pages: JSON under /api/, a plain Dutch page elsewhere, and never a second failure.

Every HTTP error (404, 405, 413, 429, …) and every unexpected exception goes through `respond`.
If even the error page cannot be rendered, a fixed page is sent, so security headers
(added after the handler) are always there.
"""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from markupsafe import escape
from werkzeug.exceptions import HTTPException, InternalServerError

MESSAGES = {
    400: _l("Dit verzoek kunnen we niet lezen."),
    404: _l("Deze pagina bestaat niet."),
    405: _l("Deze pagina werkt niet op deze manier."),
    413: _l("Het verzoek is te groot."),
    429: _l("Je stuurt heel veel berichten achter elkaar. Wacht even en probeer het dan opnieuw."),
    500: _l("Er ging iets mis aan onze kant."),
    503: _l("Dit werkt nu even niet. Probeer het later opnieuw."),
}
FALLBACK = (
    '<!doctype html><html lang="nl"><meta charset="utf-8"><title>Buurtwijzer</title>'
    '<h1>{melding}</h1><p><a href="/">Terug naar het begin</a></p><p>Bij direct gevaar: bel 112.</p></html>'
)


def wants_json() -> bool:
    return request.path.startswith("/api/")


def fragment_only() -> bool:
    """The chat's script asks /beurt for one reply card; an error there is one card too."""
    return request.path == "/beurt"


def message(code: int) -> str:
    return MESSAGES.get(code) or MESSAGES[500 if code >= 500 else 400]


def respond(code: int, text: str | None = None, headers: dict | None = None):
    text = str(text or message(code))
    if wants_json():
        return {"error": text}, code, headers or {}
    try:
        if fragment_only():
            return render_template("_fout.html", melding=text), code, headers or {}
        body = render_template("fout.html", code=code, melding=text if code not in (404, 500) else None)
    except Exception:  # the error page must never fail: a fixed page instead
        body = FALLBACK.format(melding=escape(text))
    return body, code, headers or {}


def init(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        headers = {k: v for k, v in exc.get_headers() if k.lower() in ("allow", "retry-after")}
        return respond(exc.code or 500, headers=headers)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):  # Flask sends HTTP errors to the more specific handler above
        app.logger.exception("Onverwachte fout op %s", request.path)
        return respond(InternalServerError.code)
