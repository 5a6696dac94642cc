"""A whole build, as a library function: the knowledge base and its search index, the intent and
safety models, the interface catalogues, and the PostgreSQL copy when one is configured.

All or nothing: a build is made in a staging directory and published in one step; on any error the
staging directory goes and the previous build keeps serving. `buurtwijzer build` is a thin wrapper.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

STEPS = ("database", "woordenlijst", "zoekindex", "intents")


def steps(database_url: str | None) -> list[str]:
    return [*STEPS, *(["postgresql"] if database_url else [])]


def build(
    database_url: str | None = None, progress: Callable[[str], None] = lambda _step: None
) -> tuple[Path, dict, dict]:
    """Build and publish; returns the published directory, the record counts and the model figures.

    Raises DataError (a source file is wrong, with file, record and field), KnowledgeBaseMissing,
    or OSError / sqlite3.OperationalError (a write failed); in each case nothing changed."""
    from intents.matcher import train as train_matcher
    from knowledge.build import build_kb, discard, publish, stage
    from knowledge.sources import load
    from knowledge.store import SqliteKnowledgeBase

    from .i18n import compile_catalogues

    src = load()
    staging = stage()
    try:
        counts = build_kb(src, staging, progress=progress)
        model = train_matcher(staging, SqliteKnowledgeBase(staging))
        progress("intents")
        compile_catalogues()
        if database_url:
            from knowledge import postgres

            postgres.load(staging, database_url, SqliteKnowledgeBase(staging))
            progress("postgresql")
        return publish(staging), counts, model
    except BaseException:
        discard(staging)
        raise
