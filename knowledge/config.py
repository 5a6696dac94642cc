"""Where things live, from the Settings (knowledge/settings.py): every path can be moved there.

Each function takes the Settings its caller was given; without them it loads them at call time."""

from __future__ import annotations

from pathlib import Path

from .settings import PROJECT_ROOT as PROJECT_ROOT
from .settings import Settings


def data_dir(settings: Settings | None = None) -> Path:
    return (settings or Settings.load()).data


def var_dir(settings: Settings | None = None) -> Path:
    return (settings or Settings.load()).var


def seeds_dir(settings: Settings | None = None) -> Path:
    return (settings or Settings.load()).seeds


def current_build(settings: Settings | None = None) -> Path:
    """The directory with the KB and models that the app serves (a symlink, swapped atomically)."""
    return var_dir(settings) / "current"


def database_url(settings: Settings | None = None) -> str | None:
    return (settings or Settings.load()).database_url
