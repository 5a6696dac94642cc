"""How cost grows with the size of the sociale kaart: build and search at 100 ... 100 000 voorzieningen."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from knowledge.build import build_kb
from knowledge.sources import load
from knowledge.store import SqliteKnowledgeBase

from . import synthetic
from .common import median_runs, percentiles, ratio, timed_ms

SIZES = (100, 1_000, 10_000, 100_000)
# What residents and professionals type into the search box, typos and compounds included.
QUERIES = [
    "schulden",
    "hulp bij het huishouden",
    "scootmobiel",
    "mantelzorg",
    "respijtzorg",
    "eenzaam",
    "traplift",
    "slaapplek",
    "buurtteam",
    "dagbesteding",
    "schuldn",
    "mantelzorgondersteuning",
    "ik kan mijn rekeningen niet betalen",
    "vervoer naar het ziekenhuis",
    "maaltijd aan huis",
    "beschermd wonen",
    "huiselijk geweld",
    "vrijwilligerswerk",
    "ouderenadviseur",
    "logeren",
    "rolstoel",
    "opvang",
    "begeleiding thuis",
    "jonge mantelzorger",
    "geldzorgen",
    "huisuitzetting",
    "verslaving",
    "buurthuis",
    "klacht",
    "clientondersteuning",
]
FILTERS = [{}, {"wijk": "overvecht"}, {"thema": "geld"}]


def _search_runs(search, rounds: int) -> dict:
    calls = [(q, f) for q in QUERIES for f in FILTERS]
    for q, f in calls[:10]:
        search(q, f)
    return median_runs([percentiles(timed_ms(lambda c: search(*c), calls)) for _ in range(rounds)])


def measure(
    sizes=SIZES, rounds: int = 3, database_url: str | None = None, log=print, profile_over_ms: float | None = None
) -> list[dict]:
    """Per size: build time, search percentiles (ours, plain BM25, PostgreSQL). With `profile_over_ms`,
    the largest size's search is profiled when its p95 is over that."""
    real = load()
    out = []
    for n in sizes:
        src = synthetic.voorzieningen(real, n)
        target = Path(tempfile.mkdtemp(prefix=f"bench-{n}-"))
        try:
            started = time.perf_counter()
            build_kb(src, target)
            row = {"voorzieningen": n, "build_seconds": round(time.perf_counter() - started, 2)}
            kb = SqliteKnowledgeBase(target)
            row["search"] = _search_runs(lambda q, f, kb=kb: kb.zoek(q, limit=20, **f), rounds)
            row["bm25"] = _search_runs(lambda q, f, kb=kb: kb.searcher.search(q, limit=20, analysed=False, **f), rounds)
            row["search_vs_bm25_p95"] = ratio(row["search"]["p95_ms"], row["bm25"]["p95_ms"])
            row["reach"] = _reach(kb)
            if database_url:
                row.update(_postgres(target, database_url, kb, rounds))
            if profile_over_ms and n == max(sizes) and row["search"]["p95_ms"] > profile_over_ms:
                from .profiles import profile_calls

                row["profile"] = profile_calls(
                    "search",
                    lambda c, kb=kb: kb.zoek(c[0], limit=20, **c[1]),
                    [(q, f) for q in QUERIES for f in FILTERS],
                )
            log(
                f"  {n:>7} voorzieningen: build {row['build_seconds']} s, search p95 {row['search']['p95_ms']} ms"
                + (f", postgres p95 {row['postgres']['p95_ms']} ms" if "postgres" in row else "")
            )
            out.append(row)
        finally:
            shutil.rmtree(target, ignore_errors=True)
    return out


def _reach(kb) -> dict:
    """How much of the kaart the queries match (exact ranking scores every match), and the
    search time per matched voorziening."""
    counted = sorted((kb.searcher.matches(q), q) for q in QUERIES)
    per_match = sorted(min(timed_ms(lambda _, q=q: kb.zoek(q, limit=20), range(3))) * 1000 / n for n, q in counted if n)
    return {
        "median_matched": counted[len(counted) // 2][0],
        "max_matched": counted[-1][0],
        "max_query": counted[-1][1],
        "us_per_match": round(per_match[len(per_match) // 2], 2),
    }


def _postgres(target: Path, url: str, kb, rounds: int) -> dict:
    from knowledge import postgres

    started = time.perf_counter()
    postgres.load(target, url, kb)
    load_s = round(time.perf_counter() - started, 2)
    try:
        pg = postgres.PostgresKnowledgeBase(url, target)
        return {
            "postgres_load_seconds": load_s,
            "postgres": _search_runs(lambda q, f: pg.zoek(q, limit=20, **f), rounds),
        }
    finally:
        postgres.drop(target, url)
