"""Load test on loopback: N simulated users chatting against `buurtwijzer serve` for a fixed time.

Bounded in time and requests; only 127.0.0.1. Writes docs/load-test.md.
Usage: python -m benchmarks.load [--users 50] [--seconds 60]
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MESSAGES = ["ik heb schulden", "waar is het buurtteam", "3563", "ik voel me alleen", "hoe krijg ik een scootmobiel",
            "ik zorg voor mijn moeder en ben moe", "ik snap het niet", "wat kost de opvang", "hallo",
            "ik kan mijn huis niet meer schoonmaken", "mijn zoon luistert niet", "ik wil een mens spreken"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def user(port: int, stop: float, out: list, errors: list, cap: int) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    session = None
    n = 0
    while time.perf_counter() < stop and n < cap:
        body = {"message": random.choice(MESSAGES)}
        if session:
            body["session_id"] = session
        t = time.perf_counter()
        try:
            conn.request("POST", "/api/chat", json.dumps(body), {"Content-Type": "application/json"})
            resp = conn.getresponse()
            data = resp.read()
            if resp.status != 200:
                errors.append(resp.status)
            else:
                session = json.loads(data)["session"]
        except (OSError, http.client.HTTPException) as exc:
            errors.append(type(exc).__name__)
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        out.append((time.perf_counter() - t) * 1000)
        n += 1


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(p * len(values)))]


def run(users: int, seconds: int) -> dict:
    port = free_port()
    env = {**os.environ, "BUURTWIJZER_RATELIMIT": "off", "BUURTWIJZER_GEMIST": "off"}
    server = subprocess.Popen([sys.executable, "-m", "assistant.cli", "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/api/openapi.json")
                break
            except OSError:
                time.sleep(0.1)
        latencies: list[float] = []
        errors: list = []
        stop = time.perf_counter() + seconds
        threads = [threading.Thread(target=user, args=(port, stop, latencies, errors, 100_000)) for _ in range(users)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(10)
    return {"users": users, "seconds": round(elapsed, 1), "requests": len(latencies),
            "throughput_rps": round(len(latencies) / elapsed, 1), "p50_ms": round(pct(latencies, 0.5), 1),
            "p95_ms": round(pct(latencies, 0.95), 1), "p99_ms": round(pct(latencies, 0.99), 1),
            "mean_ms": round(statistics.mean(latencies), 1), "errors": len(errors),
            "error_rate": round(len(errors) / max(1, len(latencies)), 4)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--seconds", type=int, default=60)
    args = ap.parse_args()
    result = run(args.users, args.seconds)
    print(json.dumps(result, indent=1))
    doc = ROOT / "docs" / "load-test.md"
    doc.write_text(
        "# Load test\n\n"
        f"`python -m benchmarks.load --users {args.users} --seconds {args.seconds}` (part of `make bench`): "
        "simulated users on loopback post chat messages to `POST /api/chat` under `buurtwijzer serve` "
        "(waitress, 8 threads, rate limiting off), each keeping its session.\n\n"
        f"Measured {time.strftime('%Y-%m-%d')} on the 2-core development machine:\n\n"
        "| users | duration | requests | throughput | p50 | p95 | p99 | errors |\n|---|---|---|---|---|---|---|---|\n"
        f"| {result['users']} | {result['seconds']} s | {result['requests']} | {result['throughput_rps']} req/s | "
        f"{result['p50_ms']} ms | {result['p95_ms']} ms | {result['p99_ms']} ms | {result['errors']} "
        f"({result['error_rate']:.2%}) |\n", encoding="utf-8")


if __name__ == "__main__":
    main()
