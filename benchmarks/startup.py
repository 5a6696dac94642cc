"""Start-up (the CLI, a server's first answer, a bare process's first answer), build times and memory."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from .common import ROOT

FIRST_ANSWER = """
import json, resource
from assistant.dialogue import Assistant
reply = Assistant.load().reply("ik heb schulden")
assert reply.intent
print(json.dumps({"rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def cold_start(repeats: int = 5) -> dict:
    """A new Python process that loads KB and models and answers one message."""
    env = dict(os.environ)
    times, rss = [], []
    for _ in range(repeats):
        started = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", FIRST_ANSWER], capture_output=True, text=True, env=env, cwd=ROOT, check=True
        )
        times.append(time.perf_counter() - started)
        rss.append(json.loads(out.stdout.strip().splitlines()[-1])["rss_mb"])
    return {
        "seconds": round(statistics.median(times), 3),
        "min_seconds": round(min(times), 3),
        "peak_rss_mb": round(statistics.median(rss), 1),
        "runs": repeats,
    }


BUILD = """
import json, sys, tempfile, time, tracemalloc
from pathlib import Path
from knowledge.sources import load
from knowledge.build import build_kb
from knowledge.store import SqliteKnowledgeBase
from intents.matcher import train
import resource
target = Path(tempfile.mkdtemp())
t = time.perf_counter(); src = load(); build_kb(src, target); kb_s = time.perf_counter() - t
t = time.perf_counter(); train(target, SqliteKnowledgeBase(target)); model_s = time.perf_counter() - t
print(json.dumps({"kb_seconds": kb_s, "model_seconds": model_s,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def build_times(repeats: int = 3) -> dict:
    """`buurtwijzer build`'s two parts, each in a fresh process: KB (database, lexicon, index) and model."""
    runs = []
    for _ in range(repeats):
        out = subprocess.run([sys.executable, "-c", BUILD], capture_output=True, text=True, cwd=ROOT, check=True)
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {key: round(statistics.median(r[key] for r in runs), 2) for key in runs[0]} | {"runs": repeats}


def help_time(repeats: int = 7) -> dict:
    """`buurtwijzer --help`, from process start to exit."""
    command = [str(Path(sys.executable).parent / "buurtwijzer"), "--help"]
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return {"seconds": round(statistics.median(times), 3), "min_seconds": round(min(times), 3), "runs": repeats}


def first_answer(repeats: int = 3, first: float | None = None) -> dict:
    """`buurtwijzer serve` as installed, from process start to its first chat answer over HTTP."""
    from .load import server

    times = [first] if first is not None else []
    while len(times) < repeats:
        with server() as (_port, _proc, seconds, _var):
            times.append(seconds)
    return {"seconds": round(statistics.median(times), 3), "min_seconds": round(min(times), 3), "runs": len(times)}
