"""Where things live. Every path can be moved with an environment variable."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    return Path(os.environ.get("BUURTWIJZER_DATA", PROJECT_ROOT / "knowledge" / "data"))


def var_dir() -> Path:
    return Path(os.environ.get("BUURTWIJZER_VAR", PROJECT_ROOT / "var"))


def seeds_dir() -> Path:
    return Path(os.environ.get("BUURTWIJZER_SEEDS", PROJECT_ROOT.parent / "shared" / "seeds"))


def current_build() -> Path:
    """The directory with the KB and models that the app serves (a symlink, swapped atomically)."""
    return var_dir() / "current"


def database_url() -> str | None:
    return os.environ.get("BUURTWIJZER_DATABASE_URL") or None
