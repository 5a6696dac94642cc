"""Shared fixtures. The served build (var/current, made by `make test`) is reused when it exists."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from knowledge import config

# The miss log starts a de-identification worker process; tests that need it switch it on themselves.
os.environ.setdefault("BUURTWIJZER_GEMIST", "off")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
BEEKDAL = Path(__file__).parent / "data" / "gemeente_beekdal"
BEEKDAL_BUILD = pytest.StashKey["BeekdalBuild"]()


class BeekdalBuild:
    """The fictional gemeente Beekdal built with the real `buurtwijzer build`, in a process of its own.

    It starts when the tests are collected and its tests run last, so its minutes of training run
    beside the rest of the suite instead of in front of its own tests."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="beekdal-"))
        self.data, self.var = self.root / "data", self.root / "var"
        shutil.copytree(BEEKDAL, self.data)
        env = {**os.environ, "BUURTWIJZER_DATA": str(self.data), "BUURTWIJZER_VAR": str(self.var)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "web.main", "build"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def wait(self) -> str:
        """The build's output, once it has finished; fails the test if the build failed."""
        output, _ = self.process.communicate(timeout=1800)
        assert self.process.returncode == 0, output
        return output

    def remove(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.hookimpl(trylast=True)  # after -k and -m have deselected what will not run
def pytest_collection_modifyitems(session, config, items):
    """Tests of Beekdal go last, and its build starts now: it runs beside all the others."""
    uses = [item for item in items if "beekdal" in getattr(item, "fixturenames", ())]
    if uses:
        items[:] = [item for item in items if item not in uses] + uses
        config.stash[BEEKDAL_BUILD] = BeekdalBuild()


def pytest_unconfigure(config):
    build = config.stash.get(BEEKDAL_BUILD, None)
    if build is not None:
        build.remove()


@pytest.fixture(scope="session")
def build_dir(tmp_path_factory) -> Path:
    current = config.current_build()
    if current.exists():
        return current.resolve()
    var = tmp_path_factory.mktemp("var")
    os.environ["BUURTWIJZER_VAR"] = str(var)
    from web.main import main

    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 0, result.output
    return config.current_build().resolve()


@pytest.fixture(scope="session", autouse=True)
def drop_test_schemas():
    """Builds made by tests in scratch directories leave no schemas behind in PostgreSQL."""
    url = config.database_url()
    if not url:
        yield
        return
    import psycopg
    from psycopg import sql

    def schemas() -> set[str]:
        with psycopg.connect(url, autocommit=True) as conn:
            return {r[0] for r in conn.execute(r"select nspname from pg_namespace where nspname like 'bw\_%'")}

    before = schemas()
    yield
    with psycopg.connect(url, autocommit=True) as conn:
        for name in schemas() - before:
            conn.execute(sql.SQL("drop schema {} cascade").format(sql.Identifier(name)))


@pytest.fixture(scope="session")
def kb(build_dir):
    from knowledge.backends import open_kb

    return open_kb(build_dir)


@pytest.fixture(scope="session")
def assistant(build_dir):
    from assistant.dialogue import Assistant

    return Assistant.load(build_dir)


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A private copy of knowledge/data to break on purpose."""
    target = tmp_path / "data"
    shutil.copytree(ROOT / "knowledge" / "data", target)
    return target


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(build_dir):
    """`buurtwijzer serve` in its own process, as people run it (a worker per core), on a free port."""
    port = free_port()
    env = {**os.environ, "BUURTWIJZER_VAR": str(build_dir.parent.parent)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "web.main", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):  # a busy machine can take a while to load the models
        try:
            urllib.request.urlopen(base + "/api/openapi.json", timeout=1)
            break
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(proc.stdout.read().decode()) from None
            time.sleep(0.1)
    yield base
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="module")
def server(live_server):
    return live_server


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium under Playwright, one per browser test module (tests/chromium.py)."""
    from chromium import launch

    yield from launch()
