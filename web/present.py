"""Small helpers that turn KB data and replies into what the pages show."""

from __future__ import annotations

from pathlib import Path

import segno

from knowledge import yamlio

ONDERWERPEN = yamlio.safe_load((Path(__file__).parent / "onderwerpen.yml").read_text(encoding="utf-8"))
QUICK_TOPICS = tuple(ONDERWERPEN["snelstart"])
KIOSK_GROUPS = ONDERWERPEN["kiosk"]


def topic_buttons(assistant, topics, lang: str = "nl") -> list[dict]:
    return [
        {"intent": i, "label": assistant.intents[i].label_in(lang), "pictogram": assistant.intents[i].pictogram}
        for i in topics
        if i in assistant.intents
    ]


def group_label(group: dict, lang: str = "nl") -> str:
    """A kiosk group's label in the interface language (onderwerpen.yml gives it per language)."""
    return (group.get("labels") or {}).get(lang) or group["label"]


def neem_mee_qr(url: str | None) -> dict | None:
    """An inline SVG QR code and the address in it (no external service, nothing leaves the server).

    None without a trusted address: then the page shows no code rather than one to a forged host."""
    if url is None:
        return None
    return {
        "url": url,
        "svg": segno.make(url, error="m").svg_inline(scale=4, dark="#000", light="#fff", title="QR-code"),
    }


def speech_response(text: str, lang: str = "nl", fmt: str | None = None):
    """Speech for one of our own texts (never for what someone typed): Ogg Opus when the encoder is
    installed, WAV without it or when asked for (`fmt="wav"`: a browser that cannot play Opus), with
    the matching Content-Type; or a clear 503 JSON message."""
    from flask import current_app, send_file

    from assistant import voorlees

    settings = current_app.extensions["settings"]
    if not voorlees.available(settings=settings):
        return {"error": "Voorlezen kan nu niet. Deze computer heeft geen voorleesstem."}, 503
    try:
        path = voorlees.cached(text, lang, fmt, settings=settings)
    except voorlees.VoorleesFout as exc:
        return {"error": str(exc)}, 503
    return send_file(path, mimetype=voorlees.mimetype(path), max_age=86400)
