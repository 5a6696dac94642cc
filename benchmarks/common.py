"""Small helpers shared by the benchmarks: percentiles, medians over runs, timing."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(p * len(values)))]


def percentiles(ms: list[float]) -> dict:
    return {
        "n": len(ms),
        "p50_ms": round(pct(ms, 0.50), 3),
        "p95_ms": round(pct(ms, 0.95), 3),
        "p99_ms": round(pct(ms, 0.99), 3),
    }


def median_runs(runs: list[dict]) -> dict:
    """Per key, the median over repeated runs (non-numbers are taken from the first run)."""
    out = dict(runs[0])
    for key, value in runs[0].items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            out[key] = round(statistics.median(r[key] for r in runs), 3)
    out["runs"] = len(runs)
    return out


def timed_ms(fn, items) -> list[float]:
    out = []
    for item in items:
        t = time.perf_counter()
        fn(item)
        out.append((time.perf_counter() - t) * 1000)
    return out


def ratio(a: float, b: float) -> float | None:
    return round(a / b, 2) if b else None


def scratch_var() -> tempfile.TemporaryDirectory:
    """A private var/ whose `current` is the real build: what a benchmark logs as misses, and its
    sessions and rate-limit counts, stay out of the real var/."""
    from knowledge import config

    build = config.current_build().resolve()
    scratch = tempfile.TemporaryDirectory(prefix="bench-var-")
    os.chmod(scratch.name, 0o700)
    (Path(scratch.name) / "current").symlink_to(build)
    return scratch
