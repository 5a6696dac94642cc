"""Defects found by a black-box audit of `buurtwijzer serve`, each reproduced here first."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import http.client
import io
import json
import threading
import time
import wave
from urllib.parse import urlsplit

import pytest

from assistant import voorlees
from assistant.gemist import MissFile
from web.app import create_app

JOINED = "geldzorgenhulphuisbuurtteamzorgwoning"


def make_app(assistant, **config):
    return create_app({"ASSISTANT": assistant, "TESTING": True, "BW_RATELIMIT": None, **config})


@pytest.fixture(scope="module")
def client(assistant):
    return make_app(assistant).test_client()


# ---------------------------------------------------------------- denial of service and server errors


@pytest.mark.parametrize("word", ["zorg" * 499, (JOINED * 60)[:1995], "a" * 2000])
def test_one_long_word_is_answered_like_any_message(client, word):
    r = client.post("/api/chat", json={"message": word})
    assert r.status_code == 200 and r.get_json()["answer"]["text"]


def test_compound_splitting_is_bounded(kb):
    lexicon = kb.lexicon
    assert lexicon.split("mantelzorgondersteuning") == ("mantelzorg", "ondersteuning")
    # Counting the work instead of timing it: each position looks at no more heads than the
    # longest known word, and a run longer than any compound is not split at all.
    looked: list[str] = []
    original = type(lexicon)._good_part
    type(lexicon)._good_part = lambda self, part, strict=False: looked.append(part) or original(self, part, strict)
    try:
        word = (JOINED * 3)[: lexicon.MAX_COMPOUND]
        lexicon.split.__wrapped__(lexicon, word)
        assert 0 < len(looked) <= len(word) * (lexicon._longest + 2)
        looked.clear()
        lexicon.split.__wrapped__(lexicon, "zorg" * 499)
        assert looked == []
    finally:
        type(lexicon)._good_part = original


@pytest.mark.parametrize(
    "url",
    [
        "/?endpoint=x",
        "/?_method=x",
        "/?_external=1&_scheme=ftp",
        "/?_anchor=x",
        "/kaart/wijk/overvecht?id=x",
        "/kaart/voorziening/wmo-loket?id=y",
        "/kiosk/groep/0?nr=5",
        "/kaart/?values=1",
    ],
)
def test_query_names_that_are_url_for_keywords(client, url):
    r = client.get(url)
    assert r.status_code == 200 and "Content-Security-Policy" in r.headers
    html = r.get_data(as_text=True)
    assert url.startswith("/kiosk") or "lang=en" in html  # the language links still work


def test_error_page_that_fails_itself_still_has_headers(assistant, monkeypatch):
    app = make_app(assistant)
    app.testing = False

    @app.get("/kapot")
    def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr("web.errors.render_template", lambda *a, **k: 1 / 0)
    r = app.test_client().get("/kapot")
    assert r.status_code == 500 and "Content-Security-Policy" in r.headers
    assert "Er ging iets mis" in r.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/", "/beurt", "/api/chat"])
def test_a_form_over_the_limit_is_413(client, path):
    r = client.post(path, data={"bericht": "x" * 70_000})
    assert r.status_code == 413
    assert "Content-Security-Policy" in r.headers and "Traceback" not in r.get_data(as_text=True)


def test_deeply_nested_json_is_400(client):
    for body in ("[" * 5000, '{"a":' * 5000, "[" * 900 + "]" * 900):
        r = client.post("/api/chat", data=body, content_type="application/json")
        assert r.status_code == 400 and "error" in r.get_json()


def test_api_errors_are_json(client):
    for method, url, code in (
        ("get", "/api/chat", 405),
        ("delete", "/api/voorzieningen", 405),
        ("get", "/api/bestaat-niet", 404),
    ):
        r = getattr(client, method)(url)
        assert r.status_code == code and r.is_json and r.get_json()["error"]
    assert "POST" in client.get("/api/chat").headers["Allow"]


def test_html_405_is_a_page(client):
    r = client.delete("/kaart/")
    assert r.status_code == 405 and r.mimetype == "text/html"


def test_waitress_refuses_a_big_body_before_reading_it(live_server):
    host = urlsplit(live_server)
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=10)
    conn.putrequest("POST", "/api/chat")
    conn.putheader("Content-Type", "application/json")
    conn.putheader("Content-Length", str(50 * 1024 * 1024))
    conn.endheaders()
    conn.send(b"{" * 1024)  # far less than announced: waitress must not wait for it
    response = conn.getresponse()
    assert response.status == 413
    conn.close()


# ---------------------------------------------------------------- sessions and rate limits


def test_a_client_cannot_choose_or_borrow_a_session(client):
    first = client.post("/api/chat", json={"message": "ik heb schulden", "postcode": "3563"}).get_json()
    victim = first["session"]
    assert len(victim) >= 30
    chosen = client.post("/api/chat", json={"message": "hallo", "session_id": "aaaaaaaaaaaa"}).get_json()
    assert chosen["session"] != "aaaaaaaaaaaa"  # an unknown id starts a new session with the server's id
    other = make_app(client.application.extensions["assistant"]).test_client()
    other.set_cookie("bw_sessie", "mijn-eigen-gekozen-id-123456")
    r = other.post("/beurt", data={"bericht": "hallo"})
    assert "mijn-eigen-gekozen-id-123456" not in r.headers["Set-Cookie"]


def test_a_session_continues_with_the_id_the_server_gave(client):
    first = client.post("/api/chat", json={"message": "ik heb schulden", "postcode": "3563"}).get_json()
    again = client.post("/api/chat", json={"message": "en nog iets", "session_id": first["session"]}).get_json()
    assert again["session"] == first["session"] and again["wijk"] == "overvecht"


def test_one_turn_budget_over_every_chat_endpoint(assistant):
    c = make_app(assistant, BW_RATELIMIT="4/minute", BW_RATELIMIT_OVERIG="100/minute").test_client()
    codes = [
        c.post("/api/chat", json={"message": "hallo"}).status_code,
        c.post("/", data={"bericht": "hallo"}).status_code,
        c.post("/beurt", data={"bericht": "hallo"}).status_code,
        c.post("/api/chat", json={"message": "hallo"}).status_code,
    ]
    assert codes == [200, 200, 200, 200]
    for send in (
        lambda: c.post("/api/chat", json={"message": "hallo"}),
        lambda: c.post("/", data={"bericht": "hallo"}),
        lambda: c.post("/beurt", data={"bericht": "hallo"}),
    ):
        r = send()
        assert r.status_code == 429 and 1 <= int(r.headers["Retry-After"]) <= 60
    beurt = c.post("/beurt", data={"bericht": "hallo"})
    assert beurt.mimetype == "text/html" and "Wacht even" in beurt.get_data(as_text=True)
    assert "{" not in beurt.get_data(as_text=True)  # the chat shows a sentence, not JSON
    assert c.get("/kaart/").status_code == 200  # pages have their own budget


def test_pages_share_the_other_budget(assistant):
    c = make_app(assistant, BW_RATELIMIT="100/minute", BW_RATELIMIT_OVERIG="3/minute").test_client()
    codes = [
        c.get(u).status_code
        for u in (
            "/kaart/?q=schulden",
            "/kaart/export.csv",
            "/kiosk/antwoord/geldzorgen",
            "/neem-mee?intent=geldzorgen",
            "/voorlees?intent=geldzorgen",
        )
    ]
    assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
    assert c.get("/static/buurtwijzer.css").status_code == 200  # static files cost nothing
    assert c.post("/api/chat", json={"message": "hallo"}).status_code == 200


def test_clients_have_their_own_budget(assistant):
    c = make_app(assistant, BW_RATELIMIT="2/minute").test_client()
    for _ in range(2):
        assert (
            c.post("/api/chat", json={"message": "hallo"}, environ_base={"REMOTE_ADDR": "10.0.0.1"}).status_code == 200
        )
    assert c.post("/api/chat", json={"message": "hallo"}, environ_base={"REMOTE_ADDR": "10.0.0.1"}).status_code == 429
    assert c.post("/api/chat", json={"message": "hallo"}, environ_base={"REMOTE_ADDR": "10.0.0.2"}).status_code == 200


def test_behind_a_trusted_proxy(assistant):
    app = make_app(assistant, BW_RATELIMIT="1/minute", PROXIES=1)
    c = app.test_client()
    for client_ip in ("203.0.113.1", "203.0.113.2"):
        r = c.post(
            "/api/chat", json={"message": "hallo"}, headers={"X-Forwarded-For": client_ip, "X-Forwarded-Proto": "https"}
        )
        assert r.status_code == 200  # each user behind the proxy has their own bucket
        assert "Strict-Transport-Security" in r.headers
    r = c.post(
        "/beurt", data={"bericht": "hallo"}, headers={"X-Forwarded-For": "203.0.113.3", "X-Forwarded-Proto": "https"}
    )
    assert "Secure" in r.headers["Set-Cookie"]


def test_forwarded_headers_are_ignored_without_proxies(assistant):
    c = make_app(assistant, BW_RATELIMIT="2/minute").test_client()
    for ip in ("1.1.1.1", "2.2.2.2"):
        assert c.post("/api/chat", json={"message": "hallo"}, headers={"X-Forwarded-For": ip}).status_code == 200
    assert c.post("/api/chat", json={"message": "hallo"}, headers={"X-Forwarded-For": "3.3.3.3"}).status_code == 429
    r = (
        make_app(assistant)
        .test_client()
        .post("/beurt", data={"bericht": "hallo"}, headers={"X-Forwarded-Proto": "https"})
    )
    assert "Secure" not in r.headers["Set-Cookie"]


def qr_target(html: str) -> str | None:
    """The URL a QR code on the page encodes, read back from segno's SVG title-free data."""
    import re

    found = re.search(r'data-qr-url="([^"]+)"', html)
    return found.group(1) if found else None


@pytest.mark.parametrize("path", ["/neem-mee?intent=geldzorgen", "/kiosk/antwoord/geldzorgen"])
def test_host_header_never_reaches_a_qr_code(assistant, path):
    plain = make_app(assistant).test_client()
    html = plain.get(path, headers={"Host": "evil.example"}).get_data(as_text=True)
    assert "evil.example" not in html and "<svg" not in html
    local = plain.get(path, headers={"Host": "localhost:8080"}).get_data(as_text=True)
    assert qr_target(local).startswith("http://localhost:8080/neem-mee?")
    public = make_app(assistant, PUBLIC_URL="https://buurtwijzer.example.nl").test_client()
    html = public.get(path, headers={"Host": "evil.example"}).get_data(as_text=True)
    assert qr_target(html).startswith("https://buurtwijzer.example.nl/neem-mee?intent=geldzorgen")
    assert "evil.example" not in html


# ---------------------------------------------------------------- data and files


def test_csv_export_cannot_start_a_formula(client, monkeypatch):
    kb = client.application.extensions["kb"]
    original = kb.voorzieningen
    evil = ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]

    def poisoned(self, ids=None):
        rows = original(ids)
        return [
            dataclasses.replace(r, naam=evil[i % len(evil)], kosten=evil[(i + 1) % len(evil)])
            for i, r in enumerate(rows)
        ]

    monkeypatch.setattr(type(kb), "voorzieningen", poisoned)
    body = client.get("/kaart/export.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    assert any(r["naam"] == '\'=HYPERLINK("http://x")' for r in rows)


def test_retention_is_enforced_while_the_server_writes(tmp_path):
    path = tmp_path / "gemist.jsonl"
    old = (dt.date.today() - dt.timedelta(days=400)).isoformat()
    path.write_text(
        json.dumps({"datum": "2020-01-01", "intent": "x", "confidence": 0.1, "tekst": "oud"})
        + "\n"
        + json.dumps({"datum": old, "intent": "x", "confidence": 0.1, "tekst": "ook oud"})
        + "\n"
        + "{kapotte regel\n",
        encoding="utf-8",
    )
    MissFile(path, days=30).append(
        {"datum": dt.date.today().isoformat(), "intent": "y", "confidence": 0.2, "tekst": "nieuw"}
    )
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["tekst"] == "nieuw"


@pytest.fixture
def fake_voice(tmp_path, monkeypatch):
    """A slow stand-in for espeak-ng, so first requests really overlap. It gives a real (silent) WAV,
    so the Opus encoder, when installed, has something it can encode."""
    monkeypatch.setenv("BUURTWIJZER_VAR", str(tmp_path))
    monkeypatch.setattr(voorlees, "available", lambda settings=None: True)
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(22050)
        w.writeframes(b"\0\0" * 2205)  # 0.1 s

    def synthesise(text, lang="nl", settings=None):
        time.sleep(0.05)
        return buf.getvalue()

    monkeypatch.setattr(voorlees, "synthesise", synthesise)
    return tmp_path


def test_concurrent_first_read_aloud_requests(assistant, fake_voice):
    app = make_app(assistant)
    codes: list[int] = []

    def ask():
        codes.append(app.test_client().get("/voorlees?intent=geldzorgen&niveau=eenvoudig").status_code)

    threads = [threading.Thread(target=ask) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert codes == [200] * 6
    assert not list((fake_voice / "voorlees").glob("*.tmp"))


def test_full_disk_for_read_aloud_is_503_without_leftovers(assistant, fake_voice, monkeypatch):
    import errno
    import os

    def full(fd, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fdopen", full)
    r = make_app(assistant).test_client().get("/voorlees?intent=geldzorgen&niveau=standaard")
    assert r.status_code == 503 and "Voorlezen kan nu niet" in r.get_json()["error"]
    assert not list((fake_voice / "voorlees").glob("*.tmp"))


def test_errors_speak_the_interface_language(client):
    r = client.delete("/kaart/?lang=en")
    assert r.status_code == 405 and "This page does not work this way." in r.get_data(as_text=True)
