"""Random requests over every route of the app, as an outsider would send them.

    python -m benchmarks.fuzz [--requests 5000] [--seed 1] [--defaults]

Starts `buurtwijzer serve` on a free port and sends the requests; prints how many, how many 5xx,
and the slowest. By default the rate limits are off, so that every request reaches its handler;
--defaults runs the server exactly as configured (most requests then end in a cheap 429).
The same generator drives the hypothesis test over every route (tests/test_fuzz.py). Its pieces are
the ones the audit found trouble with: query names that are url_for keywords, odd and huge values,
wrong methods, bodies of every kind.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

QUERY_NAMES = (
    "q",
    "wijk",
    "doelgroep",
    "thema",
    "toegangsroute",
    "lang",
    "intent",
    "niveau",
    "stil",
    "nr",
    "postcode",
    "check",
    "bericht",
    "session_id",
    "endpoint",
    "_method",
    "_external",
    "_anchor",
    "_scheme",
    "id",
    "values",
    "filename",
    "fmt",
    "scherm",
    "__proto__",
)
FORM_NAMES = ("bericht", "niveau", "intent", "wijk", "postcode", "check", "lang", "submit")
VALUES = (
    "",
    "0",
    "-1",
    "99999999999999999999",
    "overvecht",
    "3563",
    "3563 AB",
    "geldzorgen",
    "eenvoudig",
    "ja",
    "nee",
    "en",
    "ar",
    "nl",
    "xx",
    "csv",
    "json",
    "start",
    "groep",
    "wmo-loket",
    "<script>alert(1)</script>",
    "' or 1=1 --",
    "../../etc/passwd",
    "%00",
    "\x00",
    "\u202e",
    "🙂" * 50,
    "a" * 5000,
    "zorg" * 499,
    "ik wil dood",
    "{{7*7}}",
    "${jndi:ldap://x}",
    "null",
    "[]",
    "{}",
    "true",
    "\r\nSet-Cookie: x=1",
)
METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH")


@dataclass
class FuzzRequest:
    method: str
    path: str
    headers: dict = field(default_factory=dict)
    body: bytes = b""

    def describe(self) -> str:
        return f"{self.method} {self.path[:120]} ({len(self.body)} bytes)"


def route_templates(app) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """(rule, methods, arguments) for every route of the app."""
    return [
        (r.rule, tuple(sorted(r.methods - {"HEAD", "OPTIONS"})), tuple(r.arguments)) for r in app.url_map.iter_rules()
    ]


def value(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return "".join(
            chr(rng.choice((rng.randint(32, 126), rng.randint(0x80, 0x2FFF)))) for _ in range(rng.randint(0, 40))
        )
    return rng.choice(VALUES)


def path_for(rule: str, arguments: tuple[str, ...], rng: random.Random) -> str:
    path = rule
    for arg in arguments:
        for pattern in (f"<int:{arg}>", f"<path:{arg}>", f"<{arg}>"):
            if pattern in path:
                filler = str(rng.randint(-3, 12)) if pattern.startswith("<int") and rng.random() < 0.7 else value(rng)
                path = path.replace(pattern, quote(filler or "x", safe=""))
    return path


def random_request(rng: random.Random, routes) -> FuzzRequest:
    rule, methods, arguments = rng.choice(routes)
    method = rng.choice(methods) if rng.random() < 0.85 else rng.choice(METHODS)
    path = path_for(rule, arguments, rng)
    if rng.random() < 0.7:
        query = [
            (rng.choice(QUERY_NAMES) if rng.random() < 0.8 else value(rng), value(rng))
            for _ in range(rng.randint(1, 4))
        ]
        path += "?" + urlencode(query)
    headers = {}
    if rng.random() < 0.3:
        odd = "".join(ch for ch in value(rng) if " " <= ch <= "~")  # a header can carry no line breaks
        headers["Accept-Language"] = rng.choice(("en", "ar;q=0.9", "*", "xx-YY", odd or "nl"))
    body = b""
    if method != "GET":
        kind = rng.random()
        if kind < 0.45:
            body = urlencode([(rng.choice(FORM_NAMES), value(rng)) for _ in range(rng.randint(0, 5))]).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif kind < 0.8:
            body = json_body(rng).encode("utf-8", "surrogatepass")
            headers["Content-Type"] = "application/json"
        elif kind < 0.86:
            body = ("[" * rng.choice((10, 1000, 5000))).encode()
            headers["Content-Type"] = "application/json"
        elif kind < 0.9:
            body = b"x" * 70_000  # over the app's limit
            headers["Content-Type"] = rng.choice(("application/json", "application/x-www-form-urlencoded"))
        else:
            body = bytes(rng.randint(0, 255) for _ in range(rng.randint(0, 300)))
            headers["Content-Type"] = rng.choice(
                (
                    "application/json",
                    "multipart/form-data; boundary=x",
                    "text/plain",
                    "application/x-www-form-urlencoded",
                )
            )
    return FuzzRequest(method, path, headers, body)


def json_body(rng: random.Random) -> str:
    if rng.random() < 0.2:
        return value(rng)
    data = {
        rng.choice(("message", "session_id", "niveau", "wijk", "postcode", "intent", "check", "extra")): rng.choice(
            (value(rng), rng.randint(-5, 5), None, [value(rng)], {"a": value(rng)}, True)
        )
        for _ in range(rng.randint(0, 5))
    }
    if rng.random() < 0.6:
        data["message"] = value(rng)
    return json.dumps(data, ensure_ascii=rng.random() < 0.5)


def run(requests: int = 5000, seed: int = 1, defaults: bool = False) -> dict:
    import http.client
    import sys
    import time

    from web.app import create_app
    from web.security import DEFAULT_LIMIT, DEFAULT_LIMIT_OVERIG

    from .load import server

    routes = route_templates(create_app())
    env = (
        {"BUURTWIJZER_RATELIMIT": DEFAULT_LIMIT, "BUURTWIJZER_RATELIMIT_OVERIG": DEFAULT_LIMIT_OVERIG}
        if defaults
        else {"BUURTWIJZER_RATELIMIT": "off", "BUURTWIJZER_GEMIST": "off"}
    )
    rng = random.Random(seed)
    codes: dict[int, int] = {}
    slowest = (0.0, "")
    errors: list[str] = []
    with server(env=env) as (port, _proc, _ready, _var):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        started = time.perf_counter()
        for _ in range(requests):
            req = random_request(rng, routes)
            t = time.perf_counter()
            try:
                conn.request(req.method, req.path, body=req.body or None, headers=req.headers)
                resp = conn.getresponse()
                resp.read()
                status = resp.status
                if resp.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (http.client.HTTPException, OSError) as exc:
                conn.close()
                status = 0
                errors.append(f"{req.describe()}: {exc}")
            cost = time.perf_counter() - t
            codes[status] = codes.get(status, 0) + 1
            if status >= 500:
                errors.append(f"{status} {req.describe()}")
            if cost > slowest[0]:
                slowest = (cost, req.describe())
        total = time.perf_counter() - started
    result = {
        "requests": requests,
        "seed": seed,
        "rate_limits": "as configured" if defaults else "off",
        "codes": dict(sorted(codes.items())),
        "server_errors": sum(n for c, n in codes.items() if c >= 500),
        "slowest_ms": round(slowest[0] * 1000, 1),
        "slowest": slowest[1],
        "mean_ms": round(total / requests * 1000, 2),
        "problems": errors[:20],
    }
    print(json.dumps(result, ensure_ascii=False, indent=1), file=sys.stdout)
    return result


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--defaults", action="store_true")
    args = parser.parse_args()
    raise SystemExit(1 if run(args.requests, args.seed, args.defaults)["server_errors"] else 0)
