"""Safe YAML loading with libyaml's C parser when PyYAML has it (several times faster at start-up)."""

from __future__ import annotations

from typing import Any

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:  # whatever the YAML holds: callers check its shape
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader
