"""Where the time goes, for a target the benchmark missed (pyinstrument, text output)."""

from __future__ import annotations

import os
import subprocess
import sys

from .common import ROOT

PROFILE_DIR = ROOT / "docs" / "profiles"


def clear() -> None:
    """Profiles of an earlier run would explain targets that this run may meet."""
    for old in PROFILE_DIR.glob("*.txt"):
        old.unlink()


def _save(name: str, text: str) -> str:
    PROFILE_DIR.mkdir(parents=True, exist_ok=True)
    path = PROFILE_DIR / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    return str(path.relative_to(ROOT))


def profile_calls(name: str, fn, items) -> str:
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    profiler.start()
    for item in items:
        fn(item)
    profiler.stop()
    return _save(name, profiler.output_text(unicode=False, show_all=False))


def profile_http(messages: list[str]) -> str:
    """The server side of POST /api/chat, in-process through Flask's test client."""
    os.environ["BUURTWIJZER_RATELIMIT"] = "off"
    from web.app import create_app

    client = create_app().test_client()
    return profile_calls("http", lambda m: client.post("/api/chat", json={"message": m}), messages)


COLD = """
from pyinstrument import Profiler
p = Profiler(interval=0.001); p.start()
from assistant.dialogue import Assistant
Assistant.load().reply("ik heb schulden")
p.stop(); print(p.output_text(unicode=False, show_all=False))
"""


def profile_cold_start() -> str:
    out = subprocess.run(
        [sys.executable, "-c", COLD],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "BUURTWIJZER_GEMIST": "off"},
        check=True,
    )
    return _save("cold-start", out.stdout)
