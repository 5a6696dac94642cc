"""Remove personal data from a message before anything about it is kept.

Our own patterns go first (e-mail, IBAN, BSN, phone numbers, dates, full postcodes and street
addresses); then `deduce` finds Dutch names and the rest. Postcodes are cut back to PC4, which says
which wijk, not who.
"""
from __future__ import annotations

import re
import threading

PATTERNS = [
    ("EMAIL", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    ("IBAN", re.compile(r"\b[A-Z]{2}\d{2}\s?[A-Z]{4}(?:\s?\d){10}\b", re.I)),
    ("DATUM", re.compile(r"\b\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)?\d{2}\b")),
    ("DATUM", re.compile(r"\b\d{1,2} (?:jan|feb|maa|apr|mei|jun|jul|aug|sep|okt|nov|dec)[a-z]* (?:19|20)\d{2}\b", re.I)),
    ("TELEFOON", re.compile(r"(?<!\d)(?:\+31[\s-]?|0031[\s-]?|0)(?:[1-9](?:[\s-]?\d){8})(?!\d)")),
    ("BSN", re.compile(r"(?<!\d)\d{9}(?!\d)")),
    ("ADRES", re.compile(r"\b[A-Z][a-z]+(?:straat|laan|weg|plein|kade|gracht|singel|dreef|hof|pad|steeg|dijk)"
                         r"\s+\d+\s?[a-zA-Z]?\b")),
]
FULL_POSTCODE = re.compile(r"\b([1-9]\d{3})\s?[A-Za-z]{2}\b")

_deduce = None
_lock = threading.Lock()


def _deducer():
    global _deduce
    with _lock:
        if _deduce is None:
            import deduce
            _deduce = deduce.Deduce()
    return _deduce


def patterns_only(text: str) -> str:
    text = FULL_POSTCODE.sub(r"\1", text)
    for label, pattern in PATTERNS:
        text = pattern.sub(f"[{label}]", text)
    return text


def scrub(text: str) -> str:
    """The message with names, addresses, numbers and dates replaced by [LABELS]."""
    text = patterns_only(text)
    return _deducer().deidentify(text).deidentified_text
