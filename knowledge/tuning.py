"""The tuned numbers of the pipeline (knowledge/tuning.yml), read once; the build records them."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from . import yamlio

TUNING_FILE = Path(__file__).with_name("tuning.yml")
RECORD = "tuning.json"  # in a build directory: the numbers that build was made with


@lru_cache(maxsize=1)
def tuning() -> dict:
    return yamlio.safe_load(TUNING_FILE.read_text(encoding="utf-8"))


def value(section: str, key: str):
    return tuning()[section][key]
