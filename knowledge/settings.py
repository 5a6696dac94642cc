"""Every setting in one place, typed, with its default and what it means.

The composition roots (`buurtwijzer` in web/main.py, `create_app` in web/app.py) read them once with
`Settings.load()`, from the environment and optionally a TOML file (BUURTWIJZER_SETTINGS; the
environment wins over it), and pass them on. No other module reads the environment.
The table in README.md lists these fields (tests/test_settings.py keeps the two the same).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PREFIX = "BUURTWIJZER_"
SETTINGS_FILE = "BUURTWIJZER_SETTINGS"
DEFAULT_LIMIT = "60/minute;600/hour"
DEFAULT_LIMIT_OVERIG = "300/minute;3000/hour"
LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")
OFF = ("off", "uit", "0", "false", "nee", "no")
ON = ("on", "aan", "1", "true", "ja", "yes")
LIMIT_OFF = ("off", "uit", "0", "")


class SettingsError(ValueError):
    """A setting that cannot be used; the message names it and says what is allowed."""


def _count(minimum: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        if not (text.isascii() and text.isdigit() and int(text) >= minimum):
            raise ValueError(f"verwacht een heel getal van {minimum} of meer")
        return int(text)

    return parse


def _switch(text: str) -> bool:
    if text.lower() in OFF:
        return False
    if text.lower() in ON:
        return True
    raise ValueError("verwacht aan of uit (ook: on/off, 1/0, ja/nee, true/false)")


def _limit(text: str) -> str | None:
    return None if text.lower() in LIMIT_OFF else text


def _hosts(text: str) -> tuple[str, ...]:
    return tuple(h.strip().lower() for h in text.split(",") if h.strip()) or LOCAL_HOSTS


def _setting(
    default: Any,
    env: str,
    doc: str,
    parse: Callable[[str], Any] = str,
    *,
    toml: tuple[type, ...] = (str,),
    empty_is_a_value: bool = False,
    in_file: bool = True,
) -> Any:
    """A field read from `env` (and, unless `in_file` is false, from the file under the field's name).

    `parse` turns the text (stripped) into the value or raises ValueError saying what is allowed;
    an empty text means the default unless `empty_is_a_value`. `toml`: the TOML types the file may use."""
    return field(
        default=default,
        metadata={
            "env": env,
            "doc": doc,
            "parse": parse,
            "toml": toml,
            "empty_is_a_value": empty_is_a_value,
            "in_file": in_file,
        },
    )


@dataclass(frozen=True)
class Settings:
    file: Path | None = _setting(
        None,
        SETTINGS_FILE,
        "a TOML file with any of the settings below, under the key in the second column; the environment wins",
        Path,
        in_file=False,
    )
    data: Path = _setting(
        PROJECT_ROOT / "knowledge" / "data",
        "BUURTWIJZER_DATA",
        "the source files people edit: the kaart, the gemeente profile, wijken, postcodes, bronnen",
        Path,
    )
    var: Path = _setting(
        PROJECT_ROOT / "var",
        "BUURTWIJZER_VAR",
        "what the app makes and keeps: builds (`current` is served), read-aloud cache, miss log, shared state",
        Path,
    )
    seeds: Path = _setting(
        PROJECT_ROOT.parent / "shared" / "seeds",
        "BUURTWIJZER_SEEDS",
        "the seed documents the sources cite (file and lines)",
        Path,
    )
    database_url: str | None = _setting(
        None,
        "BUURTWIJZER_DATABASE_URL",
        "PostgreSQL (`postgresql://user:pw@host:5432/db`) for the knowledge base and sessions of several "
        "machines; unset: the embedded SQLite",
    )
    sessie_minuten: int = _setting(
        30,
        "BUURTWIJZER_SESSIE_MINUTEN",
        "minutes a conversation is kept after its last turn",
        _count(1),
        toml=(str, int),
    )
    gemist: bool = _setting(
        True,
        "BUURTWIJZER_GEMIST",
        "keep questions the assistant could not answer, de-identified; `off` (`uit`, `0`) switches it off",
        _switch,
        toml=(str, bool),
    )
    gemist_dagen: int = _setting(
        30,
        "BUURTWIJZER_GEMIST_DAGEN",
        "days a kept miss stays before it is deleted",
        _count(0),
        toml=(str, int),
    )
    stem: str = _setting("nl", "BUURTWIJZER_STEM", "espeak-ng voice for Dutch answers (English ones use `en`)")
    espeak: str = _setting("espeak-ng", "BUURTWIJZER_ESPEAK", "the espeak-ng program, a name on PATH or a path")
    opusenc: str = _setting(
        "opusenc", "BUURTWIJZER_OPUSENC", "the Opus encoder (opus-tools), a name on PATH or a path; without it WAV"
    )
    ratelimit: str | None = _setting(
        DEFAULT_LIMIT,
        "BUURTWIJZER_RATELIMIT",
        "chat turns per client over `/`, `/beurt` and `/api/chat` together; `off` (or empty) switches off "
        "both budgets (benchmarks only)",
        _limit,
        empty_is_a_value=True,
    )
    ratelimit_overig: str | None = _setting(
        DEFAULT_LIMIT_OVERIG,
        "BUURTWIJZER_RATELIMIT_OVERIG",
        "requests per client for everything else but static files (kaart, export, neem-mee, kiosk, read-aloud)",
        _limit,
        empty_is_a_value=True,
    )
    proxies: int = _setting(
        0,
        "BUURTWIJZER_PROXIES",
        "reverse proxies in front of the app; only then are X-Forwarded-* headers believed",
        _count(0),
        toml=(str, int),
    )
    hosts: tuple[str, ...] = _setting(
        LOCAL_HOSTS,
        "BUURTWIJZER_HOSTS",
        "host names (comma-separated) trusted for QR codes and absolute links when no public URL is set",
        _hosts,
        toml=(str, list),
    )
    public_url: str | None = _setting(
        None,
        "BUURTWIJZER_PUBLIC_URL",
        "the address for QR codes and absolute links, e.g. `https://buurtwijzer.utrecht.nl`",
        lambda text: text.rstrip("/") or None,
    )
    kiosk_stil: int = _setting(
        90,
        "BUURTWIJZER_KIOSK_STIL",
        "seconds without touch before a kiosk starts over (`?stil=N` per kiosk)",
        _count(1),
        toml=(str, int),
    )
    kiosk_taal: str = _setting("nl", "BUURTWIJZER_KIOSK_TAAL", "the language a kiosk starts in, whatever the browser")

    @classmethod
    def load(cls, environ: Mapping[str, str] | None = None, file: str | os.PathLike[str] | None = None) -> Settings:
        """The settings from `environ` (default: os.environ) over those in `file` (default: the file
        named by BUURTWIJZER_SETTINGS, if any) over the defaults. SettingsError for a bad value,
        an unknown key in the file or a file that cannot be read."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        path = Path(file) if file else None
        if path is None and environ.get(SETTINGS_FILE, "").strip():
            path = Path(environ[SETTINGS_FILE].strip())
        if path is not None:
            values.update(_read_file(path))
            values["file"] = path
        for f in fields(cls):
            name = f.metadata["env"]
            if name in environ and name != SETTINGS_FILE:
                values.update(_parse(f, environ[name], name))
        return cls(**values)


def _parse(f: Any, raw: str, where: str) -> dict[str, Any]:
    """{field name: value} for a raw text, or {} when it is empty and so means the default."""
    text = raw.strip()
    if not text and not f.metadata["empty_is_a_value"]:
        return {}
    try:
        return {f.name: f.metadata["parse"](text)}
    except ValueError as exc:
        shown = text if len(text) <= 40 else text[:40] + "…"
        raise SettingsError(f"{where} = {shown!r} klopt niet: {exc}.") from None


def _read_file(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise SettingsError(f"Het instellingenbestand {path} is niet te lezen: {exc.strerror or exc}.") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(f"Het instellingenbestand {path} is geen geldige TOML: {exc}.") from None
    known = {f.name: f for f in fields(Settings) if f.metadata["in_file"]}
    values: dict[str, Any] = {}
    for key, value in data.items():
        f = known.get(key)
        where = f"{key} in {path}"
        if f is None:
            raise SettingsError(f"Onbekende instelling {key!r} in {path}; bekend zijn: {', '.join(known)}.")
        allowed = f.metadata["toml"]
        if isinstance(value, bool) and bool not in allowed or not isinstance(value, allowed):
            kinds = {str: "tekst", int: "een getal", bool: "true of false", list: "een lijst met tekst"}
            raise SettingsError(f"{where} klopt niet: verwacht {' of '.join(kinds[t] for t in allowed)}.")
        if isinstance(value, bool):
            text = "aan" if value else "uit"
        elif isinstance(value, list):
            if not all(isinstance(v, str) for v in value):
                raise SettingsError(f"{where} klopt niet: verwacht een lijst met tekst.")
            text = ",".join(value)
        else:
            text = str(value)
        values.update(_parse(f, text, where))
    return values
