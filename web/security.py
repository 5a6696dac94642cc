"""HTTP security: headers (CSP without unsafe-inline), rate limits per client, proxies and public links.

Rate limits (the `limits` library, sliding window counter: the count of this window plus the
previous window's, weighted by how much of it still overlaps; the same small cost per request
however busy a client is; in this process's memory, or with several worker processes in one SQLite
file they share, `var/limieten.db`):
- one budget for chat turns, shared by every endpoint that answers a message (`/`, `/beurt`,
  `/api/chat`): BUURTWIJZER_RATELIMIT, default 60/minute;600/hour;
- one budget for everything else a page or the API costs (kaart, export, neem-mee, kiosk,
  read-aloud): BUURTWIJZER_RATELIMIT_OVERIG, default 300/minute;3000/hour. Static files are free.
`BUURTWIJZER_RATELIMIT=off` switches both off (benchmarks only).

Behind a reverse proxy set BUURTWIJZER_PROXIES to the number of proxies in front of the app;
only then are X-Forwarded-For/-Proto/-Host/-Prefix believed (Werkzeug's ProxyFix).
All of these come from the Settings handed to `init` (knowledge/settings.py).
"""

from __future__ import annotations

import hashlib
import math
import secrets
import time
from pathlib import Path

from flask import Flask, current_app, request, url_for
from flask_talisman import Talisman
from limits import parse_many, storage, strategies
from werkzeug.exceptions import RequestEntityTooLarge, TooManyRequests
from werkzeug.middleware.proxy_fix import ProxyFix

from knowledge.settings import DEFAULT_LIMIT as DEFAULT_LIMIT  # the defaults, for the benchmarks
from knowledge.settings import DEFAULT_LIMIT_OVERIG as DEFAULT_LIMIT_OVERIG
from knowledge.settings import Settings

from .rate_store import SqliteStorage

TURN_ENDPOINTS = {"chat.send", "chat.turn", "api.chat"}
FREE_ENDPOINTS = {"static", None}
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


def rate_limit(settings: Settings | None = None) -> str | None:
    """The chat turn budget per client, or None when rate limits are off."""
    return (settings or Settings.load()).ratelimit


class RateLimits:
    """Two budgets per client: 'beurt' for chat turns, 'overig' for the rest."""

    def __init__(self, turns: str | None, rest: str | None, shared: Path | None = None):
        """`shared`: an SQLite file where the worker processes of this machine count together."""
        self.limits = {"beurt": parse_many(turns) if turns else [], "overig": parse_many(rest) if rest else []}
        self.window = strategies.SlidingWindowCounterRateLimiter(
            SqliteStorage(shared) if shared else storage.MemoryStorage()
        )
        # Clients are counted under a keyed hash, so no address is kept, in memory or in the file.
        # The key is made before the workers fork, so they all share it.
        self._key = secrets.token_bytes(16)

    def hit(self, scope: str, client: str) -> int | None:
        """Count one request; None when allowed, else the seconds to wait."""
        client = hashlib.blake2b(client.encode(), key=self._key, digest_size=12).hexdigest()
        for item in self.limits[scope]:
            if not self.window.hit(item, scope, client):
                reset = self.window.get_window_stats(item, scope, client).reset_time
                return max(1, math.ceil(reset - time.time()))
        return None


def scope_of(endpoint: str | None) -> str | None:
    if endpoint in FREE_ENDPOINTS:
        return None
    return "beurt" if endpoint in TURN_ENDPOINTS else "overig"


def init(app: Flask, settings: Settings | None = None) -> None:
    settings = settings or Settings.load()
    Talisman(
        app,
        force_https=False,
        strict_transport_security=True,
        content_security_policy=CSP,
        frame_options="DENY",
        referrer_policy="no-referrer",
        session_cookie_secure=False,
        permissions_policy={"geolocation": "()", "camera": "()", "microphone": "()"},
    )
    app.config.setdefault("BW_RATELIMIT", rate_limit(settings))
    app.config.setdefault("BW_RATELIMIT_OVERIG", settings.ratelimit_overig if app.config["BW_RATELIMIT"] else None)
    app.config.setdefault("PROXIES", settings.proxies)
    app.config.setdefault("PUBLIC_URL", settings.public_url)
    app.config.setdefault("ALLOWED_HOSTS", settings.hosts)
    if app.config["PROXIES"]:
        n = app.config["PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_prefix=n)
    shared = app.config.get("SHARED_STATE")
    limits = RateLimits(
        app.config["BW_RATELIMIT"], app.config["BW_RATELIMIT_OVERIG"], Path(shared) / "limieten.db" if shared else None
    )

    @app.before_request
    def refuse_big_bodies():
        # Also on routes that never read their body: its announced size is enough to refuse it.
        limit = app.config["MAX_CONTENT_LENGTH"]
        if limit and (request.content_length or 0) > limit:
            raise RequestEntityTooLarge()

    @app.before_request
    def check_rate_limit():
        scope = scope_of(request.endpoint)
        if scope is None:
            return
        wait = limits.hit(scope, request.remote_addr or "onbekend")
        if wait is not None:
            raise TooManyRequests(retry_after=wait)


def base_url() -> str | None:
    """The address to put in QR codes and other absolute links, or None when there is none to trust.

    BUURTWIJZER_PUBLIC_URL when set; otherwise the request's own host, but only when it is in
    BUURTWIJZER_HOSTS (default: this computer), so a forged Host header never reaches a QR code."""
    configured = current_app.config.get("PUBLIC_URL")
    if configured:
        return configured
    host = request.host.lower()
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    if host in current_app.config["ALLOWED_HOSTS"] or name in current_app.config["ALLOWED_HOSTS"]:
        return f"{request.scheme}://{host}{request.script_root}"
    return None


def absolute_url(endpoint: str, **values) -> str | None:
    """An absolute link for a QR code, on the trusted base address; None when there is none."""
    base = base_url()
    if base is None:
        return None
    path = url_for(endpoint, **values)
    if request.script_root and path.startswith(request.script_root):
        path = path[len(request.script_root) :]
    return base + path
