"""Language of the interface: ?lang= in the URL (nothing stored in the browser), else Accept-Language."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import urlencode

from flask import current_app, request
from flask_babel import format_date, format_time, get_locale
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from intents.taal import RTL, load_talen

LOCALES = Path(__file__).resolve().parent.parent / "locales"


def _languages() -> dict[str, str]:
    """The interface languages of locales/talen.yml, each named in its own language. The other
    catalogues there hold only the few texts for messages in those languages."""
    from babel import Locale

    talen = load_talen()["talen"]
    codes = [
        c
        for c, opts in talen.items()
        if opts.get("interface") and (c == "nl" or (LOCALES / c / "LC_MESSAGES" / "messages.po").is_file())
    ]
    return {c: Locale.parse(c).get_display_name(c).capitalize() for c in codes}


TALEN = _languages()
DAGEN = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


def select_locale() -> str:
    """The chosen language; else the browser's, except on a kiosk: a shared screen starts in its own
    language (KIOSK_TAAL) whatever the browser of the buurthuis says, with buttons to change it."""
    if request.blueprint == "kiosk":
        configured = current_app.config.get("KIOSK_TAAL")
        return chosen_locale() or (configured if configured in TALEN else "nl")
    return chosen_locale() or request.accept_languages.best_match(list(TALEN)) or "nl"


def chosen_locale() -> str | None:
    """The language the person chose (?lang=, a language button), not the browser's preference."""
    lang = request.args.get("lang") or _form_value("lang")
    return lang if lang in TALEN else None


def _form_value(name: str) -> str | None:
    """A form field, or None when the body cannot be read (too large, broken): the page still renders."""
    try:
        return request.form.get(name)
    except HTTPException:
        return None


def richting(lang: str | None = None) -> str:
    return "rtl" if (lang or str(get_locale())).split("_")[0].split("-")[0] in RTL else "ltr"


def taal_url(lang: str) -> str:
    """This page in another language: the same path and query, only ?lang= changed.

    Built from the request itself rather than url_for, so no query name can collide with
    url_for's own keywords (endpoint, _method, _external, …)."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"] + [("lang", lang)]
    return f"{request.script_root}{request.path}?{urlencode(args)}"


def _day_name(dag: str) -> str:
    # 2024-01-01 was a Monday: Babel names the weekday in the chosen language.
    day = dt.date(2024, 1, 1) + dt.timedelta(days=DAGEN.index(dag))
    return format_date(day, "EEEE")


def format_openingstijden(tijden: list[dict]) -> list[str]:
    out = []
    for t in tijden:
        start = format_time(dt.time.fromisoformat(t["open"]), "short")
        end = format_time(dt.time.fromisoformat(t["dicht"]), "short")
        out.append(_("%(dag)s %(van)s tot %(tot)s", dag=_day_name(t["dag"]), van=start, tot=end))
    return out


def format_datum(value) -> str:
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return format_date(value, "long")


def compile_catalogues(folder: Path = LOCALES) -> list[Path]:
    """Compile every locales/<lang>/LC_MESSAGES/messages.po into the .mo Flask-Babel reads."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    done = []
    for po in sorted(folder.glob("*/LC_MESSAGES/*.po")):
        with po.open("rb") as fh:
            catalog = read_po(fh)
        with po.with_suffix(".mo").open("wb") as fh:
            write_mo(fh, catalog)
        done.append(po)
    return done
