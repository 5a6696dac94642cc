"""HTTP security: headers (CSP without unsafe-inline) and per-client rate limits.

Rate limiting is on by default; `BUURTWIJZER_RATELIMIT=off` switches it off (benchmarks only),
and any other value is a limits string such as "60/minute;600/hour".
"""
from __future__ import annotations

import os

from flask import Flask, current_app, jsonify, render_template, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_talisman import Talisman

DEFAULT_LIMIT = "60/minute;600/hour"
CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "media-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
    "object-src": "'none'",
}

limiter = Limiter(key_func=get_remote_address, storage_uri="memory://", default_limits=[])


def rate_limit() -> str | None:
    value = os.environ.get("BUURTWIJZER_RATELIMIT", DEFAULT_LIMIT).strip()
    return None if value.lower() in ("off", "uit", "0", "") else value


def init(app: Flask) -> None:
    Talisman(app, force_https=False, strict_transport_security=True, content_security_policy=CSP,
             frame_options="DENY", referrer_policy="no-referrer", session_cookie_secure=False,
             permissions_policy={"geolocation": "()", "camera": "()", "microphone": "()"})
    app.config.setdefault("BW_RATELIMIT", rate_limit())
    app.config["RATELIMIT_ENABLED"] = app.config["BW_RATELIMIT"] is not None
    limiter.init_app(app)

    @app.errorhandler(429)
    def too_many(_exc):
        message = "Je stuurt heel veel berichten achter elkaar. Wacht even en probeer het dan opnieuw."
        if request.path.startswith("/api/") or request.path == "/beurt":
            return jsonify({"error": message}), 429
        return render_template("fout.html", code=429, melding=message), 429


def _limit_value() -> str:
    return current_app.config["BW_RATELIMIT"] or "1000000/second"


def _exempt() -> bool:
    return current_app.config["BW_RATELIMIT"] is None


def limited(view):
    """Decorator for the endpoints that cost work: chat turns and the API."""
    return limiter.limit(_limit_value, exempt_when=_exempt)(view)
