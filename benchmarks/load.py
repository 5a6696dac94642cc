"""HTTP load on loopback: simulated users chatting against `buurtwijzer serve`.

Bounded in time and requests; only 127.0.0.1. `server()` starts `buurtwijzer serve` in the
configuration people run (a worker per core, miss log on); `trivial()` starts the yardstick handler;
`drive()` is the client for both: each user keeps its session and sends messages in the styles and
lengths of the dev set, over one kept-alive connection or a new connection per request.
`python -m benchmarks.load` runs the soak test (50 users, 60 s) and prints its figures.
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

from .common import ROOT, SHARED, percentiles, scratch_var

# Every client shares one address here, so the default budget (60 turns a minute) would refuse
# almost everything. The limit is set out of reach instead of off: the counting still runs.
UNREACHABLE_LIMIT = "100000000/minute"


def messages() -> list[str]:
    """The dev set's messages, with a follow-up postcode now and then, as people answer "waar woon je?"."""
    texts = [
        json.loads(line)["text"]
        for line in (SHARED / "devset.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return texts + ["3563", "3531 AB", "ik woon in Overvecht", "ja", "nee"]


MESSAGES = messages()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _chat(conn: http.client.HTTPConnection, body: dict) -> tuple[int, bytes]:
    conn.request("POST", "/api/chat", json.dumps(body), {"Content-Type": "application/json"})
    resp = conn.getresponse()
    return resp.status, resp.read()


@contextlib.contextmanager
def _process(args: list[str], port: int, env: dict, timeout: float = 120):
    """A server process on `port`; yields (process, seconds from start to its first chat answer)."""
    started = time.perf_counter()
    # The server's log goes to a file: an unread pipe fills up and then blocks the server.
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(args, env=env, stdout=log, stderr=log, cwd=ROOT)
    try:
        while True:
            if proc.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"server stopped: {log.read().decode(errors='replace')[-500:]}")
            try:
                status, _ = _chat(
                    http.client.HTTPConnection("127.0.0.1", port, timeout=5), {"message": "ik heb schulden"}
                )
                if status == 200:
                    break
            except OSError:
                pass
            if time.perf_counter() - started > timeout:
                raise RuntimeError("server did not answer in time")
            time.sleep(0.01)
        yield proc, time.perf_counter() - started
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@contextlib.contextmanager
def server(workers: int | None = None, env: dict | None = None, extra: tuple[str, ...] = ()):
    """`buurtwijzer serve` as installed, on a free port, with a scratch var/ that points at the current
    build (so the miss log of a benchmark never mixes with the real one).
    Yields (port, process, seconds to first answer, var dir)."""
    with scratch_var() as var:
        port = free_port()
        inherited = {k: v for k, v in os.environ.items() if k != "BUURTWIJZER_GEMIST"}  # the default: on
        env = {
            **inherited,
            "BUURTWIJZER_VAR": var,
            "BUURTWIJZER_RATELIMIT": UNREACHABLE_LIMIT,
            "BUURTWIJZER_RATELIMIT_OVERIG": UNREACHABLE_LIMIT,
            **(env or {}),
        }
        args = [str(Path(sys.executable).parent / "buurtwijzer"), "serve", "--port", str(port)]
        args += (["--workers", str(workers)] if workers else []) + list(extra)
        with _process(args, port, env) as (proc, cold):
            yield port, proc, cold, Path(var)


@contextlib.contextmanager
def trivial():
    """The trivial Flask + waitress handler; yields its port."""
    port = free_port()
    with _process([sys.executable, "-m", "benchmarks.trivial", "--port", str(port)], port, dict(os.environ)):
        yield port


def process_tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        with contextlib.suppress(OSError):
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
    return out


def memory_mb(pid: int) -> dict:
    """Resident memory of a process and all its descendants (server workers, de-identification
    worker): the sum of RSS (shared pages counted in every process), of PSS (shared pages divided
    among the processes that share them: what the tree really costs), and of peak RSS."""
    totals = {"rss_mb": 0, "pss_mb": 0, "peak_rss_mb": 0}
    pids = process_tree(pid)
    for p in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    totals["rss_mb"] += int(line.split()[1])
                elif line.startswith("Pss:"):
                    totals["pss_mb"] += int(line.split()[1])
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    totals["peak_rss_mb"] += int(line.split()[1])
    return {k: round(v / 1024, 1) for k, v in totals.items()} | {"processes": len(pids)}


def _user(port: int, stop: float, keepalive: bool, out: list, errors: list, cap: int, seed: int) -> None:
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    session = None
    n = 0
    while time.perf_counter() < stop and n < cap:
        body = {"message": rng.choice(MESSAGES)}
        if session:
            body["session_id"] = session
        t = time.perf_counter()
        try:
            if not keepalive:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            status, data = _chat(conn, body)
            if status != 200:
                errors.append(status)
            else:
                session = json.loads(data).get("session")
        except (OSError, http.client.HTTPException) as exc:
            errors.append(type(exc).__name__)
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        finally:
            if not keepalive:
                conn.close()
        out.append((time.perf_counter() - t) * 1000)
        n += 1


def drive(port: int, users: int, seconds: float, keepalive: bool = False, cap: int = 1_000_000) -> dict:
    """`users` concurrent clients, each with its own session, for `seconds`."""
    latencies: list[float] = []
    errors: list = []
    stop = time.perf_counter() + seconds
    threads = [
        threading.Thread(target=_user, args=(port, stop, keepalive, latencies, errors, cap, i)) for i in range(users)
    ]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return {
        "users": users,
        "keepalive": keepalive,
        "seconds": round(elapsed, 1),
        "requests": len(latencies),
        "throughput_rps": round(len(latencies) / elapsed, 1),
        **percentiles(latencies),
        "errors": len(errors),
        "error_rate": round(len(errors) / max(1, len(latencies)), 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--keepalive", action="store_true", help="one connection per user (default: new per request)")
    args = parser.parse_args()
    with server() as (port, proc, _cold, _var):
        result = drive(port, args.users, args.seconds, keepalive=args.keepalive)
        result["memory"] = memory_mb(proc.pid)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
