"""Every route, HTML and API, fuzzed with hypothesis: no 5xx, security headers on every answer.

The requests come from the generator of the fuzz run against a real server (benchmarks/fuzz.py);
hypothesis supplies the randomness and keeps the failing examples.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.fuzz import random_request, route_templates
from web.app import create_app


@pytest.fixture(scope="module")
def app(assistant):
    return create_app({"ASSISTANT": assistant, "BW_RATELIMIT": None})


def test_the_fuzzer_knows_every_route(app):
    rules = {rule for rule, _m, _a in route_templates(app)}
    assert {"/", "/beurt", "/kaart/export.<fmt>", "/kiosk/antwoord/<intent>", "/api/chat"} <= rules


def test_every_route_survives_random_requests(app):
    routes = route_templates(app)
    client = app.test_client()

    @given(st.randoms(use_true_random=False))
    @settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
    def run(rng):
        req = random_request(rng, routes)
        r = client.open(req.path, method=req.method, data=req.body, headers=req.headers)
        assert r.status_code < 500, req.describe()
        assert "Content-Security-Policy" in r.headers, req.describe()
        assert b"Traceback" not in r.get_data()

    run()
