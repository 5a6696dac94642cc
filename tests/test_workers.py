"""`buurtwijzer serve` as it runs by default on a machine with several cores: gunicorn workers that
share sessions and rate limits through SQLite, and one de-identification worker for all of them."""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import free_port

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def workers_server(build_dir, tmp_path_factory):
    var = tmp_path_factory.mktemp("var-workers")
    os.chmod(var, 0o700)
    (var / "current").symlink_to(build_dir)
    port = free_port()
    # 40 per hour, not per minute: the sliding window weighs the previous window less as the current one
    # goes on, so across a minute boundary the earlier turns of this module faded and the count was off.
    env = {
        **os.environ,
        "BUURTWIJZER_VAR": str(var),
        "BUURTWIJZER_GEMIST": "aan",
        "BUURTWIJZER_RATELIMIT": "40/hour",
        "BUURTWIJZER_DATABASE_URL": "",
    }
    log = (var / "serve.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "web.main", "serve", "--workers", "2", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/openapi.json")
            if conn.getresponse().status == 200:
                break
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError((var / "serve.log").read_text()) from None
            time.sleep(0.1)
    yield port, proc, var
    proc.terminate()
    proc.wait(20)
    log.close()


TURNS = []  # every chat turn sent in this module, for the rate limit's count


def chat(port: int, body: dict) -> tuple[int, dict]:
    TURNS.append(body)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)  # a new connection: any worker
    conn.request("POST", "/api/chat", json.dumps(body), {"Content-Type": "application/json"})
    resp = conn.getresponse()
    return resp.status, json.loads(resp.read())


def children(pid: int) -> list[int]:
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def command(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def test_two_server_processes_and_one_deidentification_worker(workers_server):
    port, proc, _var = workers_server
    deadline = time.monotonic() + 30  # gunicorn forks its workers one after the other
    while True:
        kinds = sorted("assistant.gemist" in command(c) for c in children(proc.pid))
        if kinds == [False, False, True] or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert kinds == [False, False, True]


def test_a_conversation_continues_on_whichever_worker_answers(workers_server):
    port, _proc, _var = workers_server
    for _ in range(6):
        status, first = chat(port, {"message": "ik heb schulden"})
        assert status == 200
        status, second = chat(port, {"message": "3531", "session_id": first["session"]})
        assert status == 200 and second["session"] == first["session"]
        assert second["intent"] == first["intent"], "the second worker did not know the session"


def test_misses_from_every_worker_are_written_once_and_deidentified(workers_server):
    port, _proc, var = workers_server
    for n in range(8):
        assert chat(port, {"message": f"flurp glorp snerp {n} van Jan Jansen"})[0] == 200
    path = var / "gemist.jsonl"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not path.exists() or len(path.read_text().splitlines()) < 8):
        time.sleep(0.2)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 8
    assert all("Jansen" not in line and "flurp" not in line for line in lines)


def test_the_rate_limit_is_one_budget_over_all_workers(workers_server):
    port, _proc, _var = workers_server
    before = len(TURNS)
    statuses = [chat(port, {"message": "hallo"})[0] for _ in range(60)]
    assert statuses.count(200) == 40 - before and set(statuses) == {200, 429}
