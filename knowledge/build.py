"""Build the served knowledge base: SQLite (sqlite-utils) + Whoosh index + lexicon.

A build is written to a fresh staging directory and only published when every
step succeeded: `var/current` is a symlink that is swapped atomically, so a
failed build leaves the previous KB serving untouched.

Each build directory has a lock file. The build that writes it holds the lock
exclusively; every process that serves it holds it shared. So a staging
directory nobody holds is a leftover of a killed build (removed by the next
build), and an old build is only pruned when no running server still uses it.
A running server keeps the build it started with; it serves a new build after
a restart.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import shutil
import stat
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from . import config
from .actualiteit import stamp
from .layout import DB_NAME, INDEX_DIR, LEXICON, LOCK_FILE, PROFIEL, hold  # noqa: F401 (hold: the build's API)
from .search import common_terms, document, indexed_text, synonyms_per_voorziening, write_index
from .sources import Sources
from .text import Lexicon, fold, words
from .tuning import RECORD as TUNING_RECORD
from .tuning import tuning

KEEP_BUILDS = 3
STALE_SECONDS = 60  # a staging directory without a lock file yet is only a leftover after this long
_building: dict[Path, IO[bytes]] = {}  # staging directory -> its exclusively held lock file
# Index terms in more than this share of the voorzieningen: a compound's part that common
# (huis, zorg, buurt) is left out of a search for the compound.
COMMON_SHARE = 0.2

Progress = Callable[[str], None]
EMPTY_TABLES = [
    ("organisaties", {"id": str, "naam": str}, "id"),
    ("regels", {"id": str, "titel": str}, "id"),
    ("buurten", {"naam": str, "sleutel": str, "wijk": str}, "sleutel"),
    ("voorziening_doelgroepen", {"voorziening": str, "doelgroep": str}, None),
    ("voorziening_themas", {"voorziening": str, "thema": str}, None),
    ("voorziening_wijken", {"voorziening": str, "wijk": str}, None),
    ("synoniemen", {"woord": str, "term": str}, None),
    ("woordenlijst", {"term": str, "uitleg": str}, "term"),
]


def stage() -> Path:
    """A new, empty build directory next to the published ones; leftovers of killed builds are removed."""
    builds = config.var_dir() / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    for folder in (builds.parent, builds):
        _not_writable_by_others(folder)
    _remove_leftovers(builds)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = builds / f"{stamp}-{uuid.uuid4().hex[:6]}.tmp"
    path.mkdir()
    lock = (path / LOCK_FILE).open("a+b")
    fcntl.flock(lock, fcntl.LOCK_EX)
    _building[path] = lock
    return path


@contextmanager
def _if_unused(build_dir: Path, grace: float = 0.0) -> Iterator[bool]:
    """Yields True while holding the build's lock exclusively, False when a build or server holds it.

    A directory without a lock file counts as unused once it is older than `grace` seconds."""
    try:
        fh = (build_dir / LOCK_FILE).open("rb")
    except FileNotFoundError:
        yield time.time() - build_dir.stat().st_mtime >= grace
        return
    with fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        yield True


def _remove_leftovers(builds: Path) -> None:
    for path in builds.glob("*.tmp"):
        if path.is_dir() and path not in _building:
            with _if_unused(path, grace=STALE_SECONDS) as unused:
                if unused:
                    discard(path)


def _not_writable_by_others(path: Path) -> None:
    mode = path.lstat().st_mode
    if not stat.S_ISLNK(mode) and mode & (stat.S_IWGRP | stat.S_IWOTH):
        path.chmod(stat.S_IMODE(mode) & ~(stat.S_IWGRP | stat.S_IWOTH))


def make_private(folder: Path) -> None:
    """Nobody but the owner may write in a build: the server refuses to start otherwise."""
    for path in (folder, *folder.rglob("*")):
        _not_writable_by_others(path)


def publish(staging: Path) -> Path:
    """Make a finished staging directory the served build, atomically."""
    make_private(staging)
    final = staging.with_suffix("")
    os.rename(staging, final)
    link = config.current_build()
    tmp_link = link.with_name(f".current-{uuid.uuid4().hex[:6]}")
    os.symlink(final.relative_to(link.parent), tmp_link)
    os.replace(tmp_link, link)
    lock = _building.pop(staging, None)
    if lock is not None:
        lock.close()
    _prune(final.parent, keep=final)
    return final


def discard(staging: Path) -> None:
    _drop_database_copy(staging)
    shutil.rmtree(staging, ignore_errors=True)
    lock = _building.pop(staging, None)
    if lock is not None:
        lock.close()


def _prune(builds: Path, keep: Path) -> None:
    """Remove all but the newest builds, never the served one and never one a running server holds."""
    current = config.current_build()
    served = current.resolve() if current.exists() else None
    done = sorted((p for p in builds.iterdir() if p.is_dir() and p.suffix != ".tmp"), reverse=True)
    for old in done[KEEP_BUILDS:]:
        if old in (keep, served):
            continue
        with _if_unused(old) as unused:
            if unused:
                _drop_database_copy(old)
                shutil.rmtree(old, ignore_errors=True)


def _drop_database_copy(build_dir: Path) -> None:
    """A build's PostgreSQL schema goes with its directory (best effort: a leftover schema is harmless)."""
    url = config.database_url()
    if not url:
        return
    import psycopg

    from . import postgres

    try:
        postgres.drop(build_dir, url)
    except psycopg.Error:
        pass


def domain_words(src: Sources) -> set[str]:
    """Every word the KB itself uses: never 'corrected', always a valid compound part."""
    found: set[str] = set()
    for name in ("voorzieningen", "regels", "woordenlijst", "synoniemen", "wijken", "organisaties"):
        for rec in src[name]:
            found.update(w for w in words(json.dumps(rec, default=str, ensure_ascii=False)) if w.isalpha())
    return found


def served_records(src: Sources, vandaag: dt.date | None = None) -> dict[str, list[dict[str, Any]]]:
    """The records as the KB serves them: each wijk with its postcodes, each sourced record with the
    year of its newest source and whether it may be out of date."""
    vandaag = vandaag or dt.date.today()
    jaren, status = src.gemeente["verouderd_na_jaren"], src.gemeente["postcodes_status"]
    out = dict(src.records)
    out["wijken"] = [
        {
            **w,
            "postcodes": sorted(pc for pc, wijk in src.postcodes.items() if wijk == w["id"]),
            "postcodes_status": status,
        }
        for w in src["wijken"]
    ]
    for name in ("organisaties", "voorzieningen", "regels"):
        out[name] = [stamp(r, src.bronnen, jaren, vandaag) for r in src[name]]
    return out


def write_database(src: Sources, path: Path) -> None:
    import sqlite_utils  # only a build writes; a server reads with sqlite3 and never imports it

    records = served_records(src)
    db = sqlite_utils.Database(path)
    db.table("organisaties").insert_all(records["organisaties"], pk="id", alter=True)
    db.table("wijken").insert_all(records["wijken"], pk="id", alter=True)
    db.table("postcodes").insert_all(
        ({"postcode": pc, "wijk": wijk} for pc, wijk in src.postcodes.items()), pk="postcode"
    )
    db.table("buurten").insert_all(
        ({"naam": b, "sleutel": fold(b), "wijk": w["id"]} for w in src["wijken"] for b in w["buurten"]),
        pk="sleutel",
        replace=True,
    )
    db.table("buurtteams").insert_all(src["buurtteams"], pk="id", alter=True)
    db.table("buurtteam_wijken").insert_all(
        ({"buurtteam": t["id"], "wijk": w} for t in src["buurtteams"] for w in t["wijken"]), pk=("buurtteam", "wijk")
    )
    db.table("regels").insert_all(records["regels"], pk="id", alter=True)
    db.table("voorzieningen").insert_all(
        records["voorzieningen"], pk="id", alter=True, foreign_keys=[("organisatie", "organisaties", "id")]
    )
    for table, field, column in (
        ("voorziening_doelgroepen", "doelgroepen", "doelgroep"),
        ("voorziening_themas", "themas", "thema"),
        ("voorziening_wijken", "wijken", "wijk"),
    ):
        db.table(table).insert_all(
            ({"voorziening": v["id"], column: x} for v in src["voorzieningen"] for x in v[field]), alter=True
        )
    db.table("synoniemen").insert_all(
        ({"woord": w, "term": s["term"]} for s in src["synoniemen"] for w in s["woorden"]), alter=True
    )
    db.table("woordenlijst").insert_all(src["woordenlijst"], pk="term", alter=True)
    # A gemeente may have no woordenlijst, synonyms or regels yet: the tables exist all the same.
    for table, columns, pk in EMPTY_TABLES:
        if not db.table(table).exists():
            db.table(table).create(columns, pk=pk)
    for table in ("voorziening_doelgroepen", "voorziening_themas", "voorziening_wijken"):
        db.table(table).create_index(["voorziening"])
    db.table("meta").insert_all(
        [
            {"key": "gebouwd", "value": dt.datetime.now().isoformat(timespec="seconds")},
            *({"key": f"aantal_{name}", "value": str(len(recs))} for name, recs in src.records.items()),
        ],
        pk="key",
    )
    db.close()


def build_kb(src: Sources, target: Path, progress: Progress = lambda _: None) -> dict[str, int]:
    """Write database, lexicon and index for validated sources into `target`."""
    progress("database")
    write_database(src, target / DB_NAME)
    (target / PROFIEL).write_text(
        json.dumps({"gemeente": src.gemeente, "bronnen": src.bronnen}, ensure_ascii=False), encoding="utf-8"
    )
    progress("woordenlijst")
    lexicon = Lexicon.build(domain_words(src))
    syn = synonyms_per_voorziening(src["voorzieningen"], src["synoniemen"])
    indexed = set()
    for v in src["voorzieningen"]:
        indexed.update(words(indexed_text(v, syn)))
    progress("zoekindex")
    n = write_index(target / INDEX_DIR, (document(v, lexicon, syn) for v in src["voorzieningen"]))
    (target / LEXICON).write_text(
        json.dumps(
            {
                **lexicon.to_dict(),
                "vocabulary": sorted(indexed),
                "common_terms": common_terms(target / INDEX_DIR, COMMON_SHARE),
            }
        ),
        encoding="utf-8",
    )
    (target / TUNING_RECORD).write_text(json.dumps(tuning(), indent=1), encoding="utf-8")  # what this build used
    return {name: len(recs) for name, recs in src.records.items()} | {"geindexeerd": n}
