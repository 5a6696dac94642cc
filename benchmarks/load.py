"""HTTP load on loopback: simulated users chatting against `buurtwijzer serve`.

Bounded in time and requests; only 127.0.0.1. `python -m benchmarks.load` runs the
soak test (50 users, 60 s) and writes docs/load-test.md; `benchmarks.report` uses
`server` and `drive` for the throughput figures.
"""
from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from web.cli import THREADS

from .common import ROOT, percentiles

MESSAGES = ["ik heb schulden", "waar is het buurtteam", "3563", "ik voel me alleen", "hoe krijg ik een scootmobiel",
            "ik zorg voor mijn moeder en ben moe", "ik snap het niet", "wat kost de opvang", "hallo",
            "ik kan mijn huis niet meer schoonmaken", "mijn zoon luistert niet", "ik wil een mens spreken"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _chat(conn: http.client.HTTPConnection, body: dict) -> tuple[int, bytes]:
    conn.request("POST", "/api/chat", json.dumps(body), {"Content-Type": "application/json"})
    resp = conn.getresponse()
    return resp.status, resp.read()


@contextlib.contextmanager
def server(workers: int = 1, env: dict | None = None, timeout: float = 60):
    """`buurtwijzer serve` on a free loopback port, rate limiting off; yields (port, process, seconds to first answer)."""
    port = free_port()
    env = {**os.environ, "BUURTWIJZER_RATELIMIT": "off", "BUURTWIJZER_GEMIST": "off", **(env or {})}
    started = time.perf_counter()
    # The server's log goes to a file: an unread pipe fills up and then blocks the server.
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "serve", "--port", str(port),
                             "--workers", str(workers)], env=env, stdout=log, stderr=log)
    try:
        while True:
            if proc.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"serve stopped: {log.read().decode(errors='replace')[-500:]}")
            try:
                status, _ = _chat(http.client.HTTPConnection("127.0.0.1", port, timeout=5), {"message": "hallo"})
                if status == 200:
                    break
            except OSError:
                pass
            if time.perf_counter() - started > timeout:
                raise RuntimeError("serve did not answer in time")
            time.sleep(0.02)
        yield port, proc, time.perf_counter() - started
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def peak_memory_mb(pid: int) -> float:
    """Peak resident memory of a process and its children (gunicorn workers), from /proc."""
    total = 0
    pids = [pid]
    with contextlib.suppress(OSError):
        pids += [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    for p in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
    return round(total / 1024, 1)


def _user(port: int, stop: float, out: list, errors: list, cap: int) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    session = None
    n = 0
    while time.perf_counter() < stop and n < cap:
        body = {"message": random.choice(MESSAGES)}
        if session:
            body["session_id"] = session
        t = time.perf_counter()
        try:
            status, data = _chat(conn, body)
            if status != 200:
                errors.append(status)
            else:
                session = json.loads(data)["session"]
        except (OSError, http.client.HTTPException) as exc:
            errors.append(type(exc).__name__)
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        out.append((time.perf_counter() - t) * 1000)
        n += 1


def drive(port: int, users: int, seconds: float, cap: int = 100_000) -> dict:
    """`users` concurrent clients, each with its own session, for `seconds`."""
    latencies: list[float] = []
    errors: list = []
    stop = time.perf_counter() + seconds
    threads = [threading.Thread(target=_user, args=(port, stop, latencies, errors, cap)) for _ in range(users)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return {"users": users, "seconds": round(elapsed, 1), "requests": len(latencies),
            "throughput_rps": round(len(latencies) / elapsed, 1), **percentiles(latencies),
            "errors": len(errors), "error_rate": round(len(errors) / max(1, len(latencies)), 4)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    with server() as (port, _proc, _cold):
        result = drive(port, args.users, args.seconds)
    print(json.dumps(result, indent=1))
    doc = ROOT / "docs" / "load-test.md"
    doc.write_text(
        "# Load test\n\n"
        f"`python -m benchmarks.load --users {args.users} --seconds {args.seconds}` (part of `make bench`): "
        "simulated users on loopback post chat messages to `POST /api/chat` under `buurtwijzer serve` "
        f"(waitress, {THREADS} threads, rate limiting off), each keeping its session.\n\n"
        f"Measured {time.strftime('%Y-%m-%d')} on the 2-core development machine:\n\n"
        "| users | duration | requests | throughput | p50 | p95 | p99 | errors |\n|---|---|---|---|---|---|---|---|\n"
        f"| {result['users']} | {result['seconds']} s | {result['requests']} | {result['throughput_rps']} req/s | "
        f"{result['p50_ms']} ms | {result['p95_ms']} ms | {result['p99_ms']} ms | {result['errors']} "
        f"({result['error_rate']:.2%}) |\n", encoding="utf-8")


if __name__ == "__main__":
    main()
