"""The tuned numbers of the pipeline (knowledge/tuning.yml), read once; the build records them."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from . import yamlio

TUNING_FILE = Path(__file__).with_name("tuning.yml")
RECORD = "tuning.json"  # in a build directory: the numbers that build was made with


@lru_cache(maxsize=1)
def tuning() -> dict[str, dict[str, Any]]:
    data: dict[str, dict[str, Any]] = yamlio.safe_load(TUNING_FILE.read_text(encoding="utf-8"))
    return data


def value(section: str, key: str) -> Any:  # an int or a float, as tuning.yml writes it
    return tuning()[section][key]
