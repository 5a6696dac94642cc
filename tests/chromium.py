"""What the browser tests share: Debian's Chromium under Playwright, and where screenshots go.

CI installs chromium (.ci/run) and sets BUURTWIJZER_BROWSER_TESTS=required, so a missing browser
fails there instead of skipping. Screenshots go to test-artifacts/ (not committed).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def playwright_or_skip():
    """playwright.sync_api; skips the calling test module when there is no browser (fails in CI)."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("BUURTWIJZER_BROWSER_TESTS") == "required":
            raise RuntimeError("Chromium ontbreekt; installeer chromium (zie .ci/system-deps browser)")
        pytest.skip("Chromium is niet geïnstalleerd", allow_module_level=True)
    return pytest.importorskip("playwright.sync_api")


def launch():
    """One headless Chromium (the `browser` fixture in conftest.py)."""
    with playwright_or_skip().sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


def shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
