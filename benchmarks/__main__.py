"""`make bench`: every speed and memory figure in one run, written to docs/benchmark.{md,json,png}.

    python -m benchmarks [--quick] [--database-url URL]

Never part of the pass/fail tests. --quick runs small sizes and short durations to try the report.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import time

from assistant.dialogue import Assistant
from knowledge import config

from . import load, profiles, scale, startup, turns, veiligheid, voorlees, zwaar
from .common import ROOT, median_runs, ratio, scratch_var
from .targets import TARGETS

DOCS = ROOT / "docs"
CLIENTS = (1, 10, 50)
MODES = (("new", False), ("keepalive", True))  # a new connection per request, or one kept alive
MEMORY_AFTER_TURNS = 10_000


def log(msg: str) -> None:
    print(msg, flush=True)


def served(seconds: float, rounds: int, soak_seconds: float) -> dict:
    """`buurtwijzer serve` as installed (a worker per core, miss log on) and the trivial Flask +
    waitress handler, both running, measured cell by cell with the same client."""
    out: dict = {"ours": {m: {} for m, _ in MODES}, "trivial": {m: {} for m, _ in MODES}, "ratio": {}}
    with load.trivial() as trivial_port, load.server() as (port, proc, cold, var):
        # Warm up; long enough that the de-identification worker has loaded its word lists (it
        # does that a few seconds after the start), so the cells measure the steady state.
        load.drive(port, 10, 10)
        load.drive(trivial_port, 10, 3)
        out["workers"] = len(load.process_tree(proc.pid)) - 2  # minus the master and the de-identification worker
        turns = 0
        for mode, keepalive in MODES:
            out["ratio"][mode] = {}
            for clients in CLIENTS:
                ours, base = [], []
                for _ in range(rounds):
                    ours.append(load.drive(port, clients, seconds, keepalive))
                    base.append(load.drive(trivial_port, clients, seconds, keepalive))
                turns += sum(run["requests"] for run in ours)
                o = out["ours"][mode][str(clients)] = median_runs(ours)
                t = out["trivial"][mode][str(clients)] = median_runs(base)
                out["ratio"][mode][str(clients)] = ratio(o["throughput_rps"], t["throughput_rps"])
                times = out["ratio"][mode][str(clients)]
                log(
                    f"  {mode:>9} {clients:>2} clients: {o['throughput_rps']} req/s ({times}× trivial "
                    f"{t['throughput_rps']}), p95 {o['p95_ms']} ms (trivial {t['p95_ms']}), errors {o['errors']}"
                )
        if turns < MEMORY_AFTER_TURNS:
            turns += load.drive(port, 10, 3600, cap=(MEMORY_AFTER_TURNS - turns) // 10 + 1)["requests"]
        misses = var / "gemist.jsonl"
        out["memory"] = {
            **load.memory_mb(proc.pid),
            "after_turns": turns,
            "misses_logged": len(misses.read_text(encoding="utf-8").splitlines()) if misses.exists() else 0,
        }
        log(f"  memory after {turns} turns: {out['memory']}")
        out["soak"] = load.drive(port, 50, soak_seconds, keepalive=False)
        out["soak"]["trivial"] = load.drive(trivial_port, 50, min(soak_seconds, 10), keepalive=False)
        log(
            f"  soak 50 clients {soak_seconds} s: {out['soak']['throughput_rps']} req/s, "
            f"p95 {out['soak']['p95_ms']} ms, "
            f"errors {out['soak']['errors']}"
        )
        out["memory_after_soak"] = load.memory_mb(proc.pid)
    out["first_answer"] = startup.first_answer(repeats=rounds + 2, first=cold)
    return out


def workers(url: str, seconds: float, rounds: int) -> dict:
    """The same load against PostgreSQL (KB and sessions) with 1 and 4 worker processes."""
    from knowledge import postgres
    from knowledge.store import SqliteKnowledgeBase

    build = config.current_build().resolve()
    if not (build / postgres.POINTER).exists():
        postgres.load(build, url, SqliteKnowledgeBase(build))
    out: dict = {}
    for n in (1, 4):
        with load.server(workers=n, env={"BUURTWIJZER_DATABASE_URL": url}) as (port, proc, _cold, _var):
            load.drive(port, 10, min(seconds, 3))
            out[str(n)] = {str(c): median_runs([load.drive(port, c, seconds) for _ in range(rounds)]) for c in (10, 50)}
            out[str(n)]["memory"] = load.memory_mb(proc.pid)
        log(
            f"  {n} worker(s): {out[str(n)]['10']['throughput_rps']} req/s at 10 clients, "
            f"{out[str(n)]['50']['throughput_rps']} req/s at 50"
        )
    return out


def start_postgres() -> str | None:
    try:
        done = subprocess.run(["bash", str(ROOT / ".ci" / "postgres")], capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.strip() or None


def check_targets(r: dict) -> dict:
    turn_p95 = r["turns"]["devset"]["assistant"]["p95_ms"]  # the target is on dev-set messages
    h = r["served"]
    ten = h["ours"]["new"]["10"]
    largest = r["scale"][-1]
    length = max(v["ratio_2000_250"] or 0 for v in r["veiligheid"]["length"].values())
    checks = {
        "turn_p95_ms": (turn_p95, turn_p95 <= TARGETS["turn_p95_ms"]),
        "http_10_clients": (
            (h["ratio"]["new"]["10"], ten["p95_ms"], ten["errors"]),
            (h["ratio"]["new"]["10"] or 0) >= TARGETS["ratio_10_new"]
            and ten["p95_ms"] <= TARGETS["http_p95_ms_10"]
            and ten["errors"] == 0,
        ),
        "soak_50_clients": (
            (h["soak"]["p95_ms"], h["soak"]["errors"]),
            h["soak"]["p95_ms"] <= TARGETS["soak_p95_ms"] and h["soak"]["errors"] == 0,
        ),
        "memory_mb": (
            h["memory"]["pss_mb"],
            h["memory"]["pss_mb"] <= TARGETS["memory_mb"] and h["memory"]["after_turns"] >= MEMORY_AFTER_TURNS,
        ),
        "help_s": (r["help"]["seconds"], r["help"]["seconds"] <= TARGETS["help_s"]),
        "first_answer_s": (h["first_answer"]["seconds"], h["first_answer"]["seconds"] <= TARGETS["first_answer_s"]),
        "search_p95_ms_100k": (
            largest["search"]["p95_ms"],
            largest["voorzieningen"] >= 100_000 and largest["search"]["p95_ms"] <= TARGETS["search_p95_ms_100k"],
        ),
        "safety_added_p95_ms": (
            r["veiligheid"]["devset"]["added_p95_ms"],
            r["veiligheid"]["devset"]["added_p95_ms"] <= TARGETS["safety_added_p95_ms"],
        ),
        "safety_linear_ratio": (length, length <= TARGETS["safety_linear_ratio"]),
    }
    return {k: {"value": v, "met": ok} for k, (v, ok) in checks.items()}


def plot(rows: list[dict], path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [r["voorzieningen"] for r in rows]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    left.plot(sizes, [r["build_seconds"] for r in rows], "o-", label="SQLite + Whoosh")
    if all("postgres_load_seconds" in r for r in rows):
        left.plot(sizes, [r["postgres_load_seconds"] for r in rows], "s--", label="copy to PostgreSQL")
    left.set(xscale="log", yscale="log", xlabel="voorzieningen", ylabel="seconds", title="KB build")
    for key, label, style in (
        ("search", "Buurtwijzer search (Whoosh)", "o-"),
        ("bm25", "plain Whoosh BM25", "^:"),
        ("postgres", "PostgreSQL full-text (dutch)", "s--"),
    ):
        if all(key in r for r in rows):
            right.plot(sizes, [r[key]["p95_ms"] for r in rows], style, label=label)
    right.axhline(TARGETS["search_p95_ms_100k"], color="grey", lw=0.8, ls="--", label="target p95 50 ms")
    right.set(xscale="log", yscale="log", xlabel="voorzieningen", ylabel="p95 ms per search", title="Search latency")
    for ax in (left, right):
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes, short runs (to try the report)")
    parser.add_argument(
        "--database-url",
        default=config.database_url(),
        help="PostgreSQL for the worker and search comparisons (default: start Debian's, if root)",
    )
    args = parser.parse_args()
    os.environ.pop("BUURTWIJZER_GEMIST", None)  # the default: misses are logged
    os.environ.pop("BUURTWIJZER_DATABASE_URL", None)  # the embedded default is what most figures measure
    scratch = scratch_var()  # the benchmark's misses never mix with the real log
    os.environ["BUURTWIJZER_VAR"] = scratch.name
    rounds, seconds = (1, 3) if args.quick else (3, 10)
    url = args.database_url or start_postgres()
    profiles.clear()
    started = time.perf_counter()
    r: dict = {
        "date": dt.date.today().isoformat(),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "quick": args.quick,
        "postgres": bool(url),
    }
    log("per-turn latency in-process ...")
    r["turns"] = turns.measure(rounds=rounds, generated=1_000 if args.quick else 10_000)
    log("safety check ...")
    r["veiligheid"] = veiligheid.measure(rounds=rounds)
    log("heaviest accepted messages ...")
    r["zwaar"] = zwaar.measure(repeats=5 if args.quick else 20)
    log("read-aloud, WAV and Opus ...")
    r["voorlees"] = voorlees.measure(log=log)
    log("cold start and build ...")
    r["cold_start"] = startup.cold_start(repeats=2 if args.quick else 5)
    r["build"] = startup.build_times(repeats=1 if args.quick else 3)
    r["help"] = startup.help_time(repeats=3 if args.quick else 7)
    log("HTTP, default configuration, against a trivial handler ...")
    r["served"] = served(seconds, rounds, 15 if args.quick else 60)
    if url:
        log("PostgreSQL, 1 vs 4 workers ...")
        r["workers_postgres"] = workers(url, seconds, rounds)
    log("scale ...")
    r["scale"] = scale.measure(
        (100, 1_000) if args.quick else scale.SIZES,
        rounds=rounds,
        database_url=url,
        log=log,
        profile_over_ms=TARGETS["search_p95_ms_100k"],
    )
    r["targets"] = check_targets(r)
    missed = {k for k, v in r["targets"].items() if not v["met"]}
    r["profiles"] = {}
    if "turn_p95_ms" in missed:
        r["profiles"]["turn"] = profiles.profile_calls("turn", Assistant.load().reply, turns.devset_messages())
    if "http_10_clients" in missed:
        r["profiles"]["http"] = profiles.profile_http(turns.devset_messages() * 3)
    if "first_answer_s" in missed:
        r["profiles"]["cold_start"] = profiles.profile_cold_start()
    if "profile" in r["scale"][-1]:
        r["profiles"]["search"] = r["scale"][-1].pop("profile")
    r["seconds"] = round(time.perf_counter() - started, 1)
    DOCS.mkdir(exist_ok=True)
    (DOCS / "benchmark.json").write_text(json.dumps(r, indent=1), encoding="utf-8")
    plot(r["scale"], DOCS / "benchmark-schaal.png")
    from .report import markdown

    (DOCS / "benchmark.md").write_text(markdown(r, TARGETS), encoding="utf-8")
    scratch.cleanup()
    log(f"report: docs/benchmark.md (+ .json, benchmark-schaal.png) in {r['seconds']} s")


if __name__ == "__main__":
    main()
