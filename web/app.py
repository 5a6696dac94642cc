"""The Flask app factory: one app, a blueprint per face.

- chat   (/)       residents and mantelzorgers
- kiosk  (/kiosk)  the touch screen in a buurthuis
- kaart  (/kaart)  the sociale kaart for professionals
- api    (/api)    JSON, with an OpenAPI document
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, g
from flask_babel import Babel

from assistant.dialogue import Assistant
from assistant.session import SqliteSessionStore, ttl_seconds
from knowledge import config
from knowledge.settings import Settings

from . import errors, i18n, pictogrammen, present, security


def create_app(test_config: dict | None = None, settings: Settings | None = None) -> Flask:
    """The app; `settings` are read here, once, when the caller has none (knowledge/settings.py)."""
    settings = settings or Settings.load()
    app = Flask(__name__)
    app.config.update(
        BUILD_DIR=None,
        ASSISTANT=None,
        MAX_CONTENT_LENGTH=64 * 1024,
        BABEL_TRANSLATION_DIRECTORIES=str(Path(__file__).resolve().parent.parent / "locales"),
        BABEL_DEFAULT_LOCALE="nl",
        SESSION_COOKIE="bw_sessie",
        KIOSK_STIL_SECONDEN=settings.kiosk_stil,
        KIOSK_TAAL=settings.kiosk_taal,
    )
    app.extensions["settings"] = settings
    if test_config:
        app.config.update(test_config)
    # Load everything at start-up: a missing or broken KB stops the server with the fix in the message.
    assistant = app.config["ASSISTANT"] or Assistant.load(
        app.config["BUILD_DIR"] or config.current_build(settings),
        sessions=_sessions(app.config.get("SHARED_STATE"), settings),
        settings=settings,
    )
    app.extensions["assistant"] = assistant
    app.extensions["kb"] = assistant.kb

    security.init(app, settings)
    errors.init(app)
    Babel(app, locale_selector=i18n.select_locale)
    app.jinja_env.globals.update(
        picto_alt=pictogrammen.alt,
        talen=i18n.TALEN,
        taal_url=i18n.taal_url,
        richting=i18n.richting,
        group_label=present.group_label,
    )
    app.jinja_env.filters.update(
        tijden=i18n.format_openingstijden, datum=i18n.format_datum, bron=assistant.kb.bron_label
    )
    app.jinja_env.globals.update(gemeente=assistant.kb.gemeente())

    from .api import bp as api_bp
    from .chat import bp as chat_bp
    from .kaart import bp as kaart_bp
    from .kiosk import bp as kiosk_bp

    for bp in (chat_bp, kiosk_bp, kaart_bp, api_bp):
        app.register_blueprint(bp)

    @app.before_request
    def remember_language():
        g.taal = i18n.select_locale()
        g.taal_gekozen = i18n.chosen_locale()  # None: answers follow the language of the messages

    return app


def _sessions(shared: str | None, settings: Settings):
    """With several worker processes on one machine (SHARED_STATE: a directory), sessions live in
    an SQLite file there, unless PostgreSQL holds them for several machines."""
    if not shared or config.database_url(settings):
        return None
    return SqliteSessionStore(Path(shared) / "sessies.db", ttl_seconds(settings))
