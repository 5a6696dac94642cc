"""Small helpers that turn KB data and replies into what the pages show."""
from __future__ import annotations

from pathlib import Path

import segno
import yaml

ONDERWERPEN = yaml.safe_load((Path(__file__).parent / "onderwerpen.yml").read_text(encoding="utf-8"))
QUICK_TOPICS = tuple(ONDERWERPEN["snelstart"])
KIOSK_GROUPS = ONDERWERPEN["kiosk"]


def topic_buttons(assistant, topics) -> list[dict]:
    return [{"intent": i, "label": assistant.intents[i].label, "pictogram": assistant.intents[i].pictogram}
            for i in topics if i in assistant.intents]


def neem_mee_qr(url: str) -> str:
    """An inline SVG QR code (no external service, nothing leaves the server)."""
    return segno.make(url, error="m").svg_inline(scale=4, dark="#000", light="#fff", title="QR-code")
