"""Which knowledge base serves a build: the embedded one (SQLite + Whoosh) by default, PostgreSQL when
BUURTWIJZER_DATABASE_URL is set. Above both backends, so neither imports the other."""

from __future__ import annotations

from pathlib import Path

from . import config
from .layout import hold
from .store import KnowledgeBase, KnowledgeBaseMissing, SqliteKnowledgeBase


def open_kb(build_dir: Path | None = None) -> KnowledgeBase:
    """The configured knowledge base: embedded by default, PostgreSQL when BUURTWIJZER_DATABASE_URL is set.

    A search is tried before it is handed out, so a damaged index stops the start, not every search
    after it; and the build is marked in use, so no later build prunes it while this process serves it."""
    build_dir = Path(build_dir or config.current_build())
    url = config.database_url()
    if url:
        from .postgres import PostgresKnowledgeBase  # psycopg: only when PostgreSQL is configured

        kb: KnowledgeBase = PostgresKnowledgeBase(url, build_dir)
    else:
        kb = SqliteKnowledgeBase(build_dir)
    probe(kb, build_dir)
    kb.in_use = hold(build_dir)  # type: ignore[attr-defined]  # in_use is not declared on KnowledgeBase (store.py)
    return kb


def probe(kb: KnowledgeBase, build_dir: Path) -> None:
    try:
        kb.zoek("hulp", limit=1)
    except Exception as exc:  # whatever a damaged index raises, the fix is the same
        raise KnowledgeBaseMissing(
            f"De zoekindex in {build_dir} is beschadigd ({type(exc).__name__}: {exc}). "
            "Maak hem opnieuw met: buurtwijzer build"
        ) from None
