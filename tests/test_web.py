"""The web faces and the JSON API through Flask's test client."""

from __future__ import annotations

import json
import re

import pytest
from jsonschema import Draft202012Validator

from web import openapi
from web.app import create_app


@pytest.fixture(scope="module")
def app(assistant):
    return create_app({"ASSISTANT": assistant, "TESTING": True, "BW_RATELIMIT": None})


@pytest.fixture
def client(app):
    return app.test_client()


def test_api_chat_returns_the_cli_reply_shape(client):
    r = client.post("/api/chat", json={"message": "ik heb schulden", "postcode": "3563"})
    assert r.status_code == 200
    data = r.get_json()
    Draft202012Validator(openapi.CHAT_REPLY).validate(data)
    assert data["wijk"] == "overvecht"


def test_api_chat_session_continues(client):
    first = client.post("/api/chat", json={"message": "waar is het buurtteam"}).get_json()
    assert first["action"] == "ask_location"
    second = client.post("/api/chat", json={"message": "Lombok", "session_id": first["session"]}).get_json()
    assert second["action"] == "answer" and second["wijk"] == "west"


@pytest.mark.parametrize(
    "body,needle",
    [
        ({}, "message"),
        ({"message": 5}, "string"),
        ({"message": "x", "niveau": "moeilijk"}, "kies uit"),
        ({"message": "x", "extra": 1}, "onbekend veld"),
        ({"message": "x", "wijk": "West", "postcode": "3563"}, "niet allebei"),
    ],
)
def test_api_chat_rejects_bad_input_clearly(client, body, needle):
    r = client.post("/api/chat", json=body)
    assert r.status_code == 400
    assert needle in r.get_json()["error"]


def test_api_chat_malformed_json(client):
    r = client.post("/api/chat", data="{niet json", content_type="application/json")
    assert r.status_code == 400 and "JSON" in r.get_json()["error"]


def test_api_voorzieningen_filters(client):
    data = client.get("/api/voorzieningen?q=mantelzorg&doelgroep=mantelzorgers").get_json()
    assert data["aantal"] >= 1
    assert all("mantelzorgers" in v["doelgroepen"] for v in data["voorzieningen"])
    assert client.get("/api/voorzieningen?doelgroep=katten").status_code == 400


def test_api_buurtteam(client):
    data = client.get("/api/buurtteam?postcode=3563").get_json()
    assert data["wijk"] == "overvecht" and data["demo"] is True and len(data["teams"]) == 2
    assert client.get("/api/buurtteam?wijk=Atlantis").status_code == 404
    assert client.get("/api/buurtteam").status_code == 400


def test_openapi_lists_every_api_route(app, client):
    spec = client.get("/api/openapi.json").get_json()
    routes = {r.rule for r in app.url_map.iter_rules() if r.rule.startswith("/api/")}
    assert routes == set(spec["paths"])


def test_chat_page_works_without_javascript(client):
    page = client.get("/")
    assert page.status_code == 200 and "Set-Cookie" not in page.headers  # the first reply brings the session
    r = client.post("/", data={"bericht": "ik kan niet meer poetsen"})
    assert "bw_sessie" in r.headers.get("Set-Cookie", "")
    assert "HttpOnly" in r.headers["Set-Cookie"] and "SameSite=Lax" in r.headers["Set-Cookie"]
    html = r.get_data(as_text=True)
    assert "ik kan niet meer poetsen" in html and 'class="stappen"' in html


def test_user_text_is_escaped(client):
    html = client.post("/", data={"bericht": "<script>alert(1)</script>"}).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_kiosk_two_taps_to_an_answer(client):
    start = client.get("/kiosk/?wijk=Overvecht").get_data(as_text=True)
    assert "Buurtteam" in start
    group = client.get("/kiosk/groep/0?wijk=Overvecht").get_data(as_text=True)
    assert "/kiosk/antwoord/" in group
    r = client.get("/kiosk/antwoord/geldzorgen?wijk=Overvecht")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "<svg" in html and "Overvecht" in html
    assert "Set-Cookie" not in r.headers


def test_kaart_search_detail_wijk_and_downloads(client):
    html = client.get("/kaart/?q=huishouden&wijk=overvecht").get_data(as_text=True)
    assert "/kaart/voorziening/hulp-bij-het-huishouden" in html
    detail = client.get("/kaart/voorziening/hulp-bij-het-huishouden").get_data(as_text=True)
    assert "Laatst gecontroleerd" in detail and "Wmo-beleidsnota (2024), r. " in detail  # a title, not a file
    assert "001_c1d20d681c973607.txt" not in detail
    assert client.get("/kaart/wijk/overvecht").status_code == 200
    csv = client.get("/kaart/export.csv?q=huishouden").get_data(as_text=True)
    assert csv.splitlines()[0].startswith("id,naam")
    rows = json.loads(client.get("/kaart/export.json?q=huishouden").get_data(as_text=True))
    assert any(r["id"] == "hulp-bij-het-huishouden" for r in rows)


def test_neem_mee_has_qr(client):
    html = client.get("/neem-mee?intent=geldzorgen&wijk=west").get_data(as_text=True)
    assert "<svg" in html and "Wat gebeurt er dan?" in html


def test_english_interface(client):
    html = client.get("/?lang=en").get_data(as_text=True)
    assert 'lang="en"' in html
    assert "What can I help you with?" in html
    assert "in Dutch only" not in html  # said only beside an answer that is Dutch (test_talen)


def test_privacy_page_tells_about_the_miss_log_only_when_it_is_on(assistant, monkeypatch):
    monkeypatch.setenv("BUURTWIJZER_GEMIST", "aan")
    monkeypatch.setenv("BUURTWIJZER_GEMIST_DAGEN", "12")
    client = create_app({"ASSISTANT": assistant, "TESTING": True}).test_client()  # settings: read by the app
    html = client.get("/privacy").get_data(as_text=True)
    assert "Begrijpen we je vraag niet?" in html and "Na 12 dagen" in html
    first = re.search(r'<p class="kern">(.*?)</p>', html, re.S).group(1)
    assert "12 dagen" in first  # the first sentence says it is kept, not only a later one
    assert "After 12 days" in client.get("/privacy?lang=en").get_data(as_text=True)
    monkeypatch.setenv("BUURTWIJZER_GEMIST", "off")
    client = create_app({"ASSISTANT": assistant, "TESTING": True}).test_client()
    html = client.get("/privacy").get_data(as_text=True)
    assert "Begrijpen we je vraag niet?" not in html and "dagen" not in html


def test_unknown_page_is_friendly(client):
    r = client.get("/bestaat-niet")
    assert r.status_code == 404 and "bestaat niet" in r.get_data(as_text=True)


def test_read_aloud_endpoint(assistant, client, monkeypatch):
    from assistant import voorlees

    if voorlees.available():
        r = client.get("/voorlees?intent=eenzaamheid&niveau=eenvoudig")
        ogg = voorlees.encoder() is not None  # Opus when opusenc is installed, WAV without it
        assert r.status_code == 200 and r.mimetype == ("audio/ogg" if ogg else "audio/wav")
        assert r.data[:4] == (b"OggS" if ogg else b"RIFF")
        wav = client.get("/voorlees?intent=eenzaamheid&niveau=eenvoudig&formaat=wav")  # Opus-less browsers
        assert wav.status_code == 200 and wav.mimetype == "audio/wav" and wav.data[:4] == b"RIFF"
        kiosk = client.get("/kiosk/voorlees/start?formaat=wav")
        assert kiosk.mimetype == "audio/wav" and kiosk.data[:4] == b"RIFF"
    monkeypatch.setenv("BUURTWIJZER_ESPEAK", "bestaat-niet-espeak")
    client = create_app({"ASSISTANT": assistant, "TESTING": True, "BW_RATELIMIT": None}).test_client()
    r = client.get("/voorlees?intent=eenzaamheid&niveau=eenvoudig")
    assert r.status_code == 503 and "Voorlezen kan nu niet" in r.get_json()["error"]
    assert client.get("/voorlees?intent=onzin").status_code == 404


def test_security_headers(client):
    r = client.get("/")
    csp = r.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "no-referrer"
    assert r.headers["X-Frame-Options"] == "DENY"


def test_kb_html_is_escaped(app, client, monkeypatch):
    kb = app.extensions["kb"]
    original = kb.voorziening("wmo-loket")
    monkeypatch.setattr(
        type(kb), "voorziening", lambda self, id: {**original, "uitleg": "<b onmouseover=alert(1)>x</b>"}
    )
    html = client.get("/kaart/voorziening/wmo-loket").get_data(as_text=True)
    assert "<b onmouseover" not in html and "&lt;b onmouseover" in html


def test_rate_limit_gives_a_clear_dutch_429(assistant):
    limited_app = create_app({"ASSISTANT": assistant, "TESTING": True, "BW_RATELIMIT": "3/minute"})
    c = limited_app.test_client()
    codes = [c.post("/api/chat", json={"message": "hallo"}).status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[-1] == 429
    r = c.post("/api/chat", json={"message": "hallo"})
    assert "Wacht even" in r.get_json()["error"]


def test_rate_limit_setting(monkeypatch):
    from web import security

    monkeypatch.setenv("BUURTWIJZER_RATELIMIT", "off")
    assert security.rate_limit() is None
    monkeypatch.delenv("BUURTWIJZER_RATELIMIT")
    assert security.rate_limit() == security.DEFAULT_LIMIT


def test_kiosk_screens_can_be_read_aloud(client):
    from assistant import voorlees

    if not voorlees.available():
        pytest.skip("espeak-ng is not installed")
    for url in ("/kiosk/voorlees/start", "/kiosk/voorlees/groep?nr=0"):
        r = client.get(url)
        assert r.status_code == 200 and r.data[:4] == (b"OggS" if voorlees.encoder() else b"RIFF"), url
    assert client.get("/kiosk/voorlees/groep?nr=99").status_code == 404


def test_the_crisis_card_has_the_numbers_once_and_no_simpler_or_more_buttons(client):
    html = client.post("/", data={"bericht": "ik wil niet meer leven"}).get_data(as_text=True)
    card = html[html.index('class="crisis"') :]
    assert card.count('href="tel:113"') == 1 and card.count('href="tel:08000113"') == 1
    assert card.count('href="tel:112"') == 1
    assert "113.nl" in card
    assert "Makkelijker" not in card and "Meer uitleg" not in card and "Neem mee" not in card


def test_the_check_question_has_yes_and_no_buttons_and_no_answers_the_topic(client):
    html = client.post("/", data={"bericht": "ik zie het niet meer zitten met mijn schulden"}).get_data(as_text=True)
    assert 'data-veiligheid="check"' in html
    assert 'name="check" value="ja"' in html and 'name="check" value="nee"' in html
    after = client.post("/beurt", data={"check": "nee"}).get_data(as_text=True)
    assert 'data-intent="geldzorgen"' in after and "veiligheid-notitie" in after and 'href="tel:113"' in after


def test_api_chat_reply_carries_the_safety_level(client):
    data = client.post("/api/chat", json={"message": "there is a fire in my kitchen"}).get_json()
    Draft202012Validator(openapi.CHAT_REPLY).validate(data)
    assert data["safety"]["level"] == "crisis" and data["safety"]["kind"] == "emergency"
    calm = client.post("/api/chat", json={"message": "ik heb schulden"}).get_json()
    assert calm["safety"] is None
    bad = client.post("/api/chat", json={"message": "x", "check": "misschien"})
    assert bad.status_code == 400 and "kies uit" in bad.get_json()["error"]


def test_spreadsheet_download_opens_in_dutch_spreadsheet_programs(client):
    import csv
    import io

    r = client.get("/kaart/sociale-kaart-spreadsheet.csv?q=huishouden")
    raw = r.get_data()
    assert r.status_code == 200 and raw.startswith("\ufeff".encode("utf-8"))  # UTF-8 with BOM
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["id", "naam", "korte_uitleg"] and len(rows) > 1
    row = dict(zip(rows[0], rows[1]))
    assert "[" not in row["wijken"] and "{" not in row["bron"]  # no JSON in a cell
    assert ", r. " in row["bron"] and ".txt" not in row["bron"] and ("; " in row["doelgroepen"] or row["doelgroepen"])
    assert all(len(r) == len(rows[0]) for r in rows)
    cells = {c for r in rows[1:] for c in (dict(zip(rows[0], r))["wijken"],)}
    assert "hele stad" in cells and "alle" not in cells  # wijken by name, city-wide said so
    assert {dict(zip(rows[0], r))["mogelijk_verouderd"] for r in rows[1:]} <= {"ja", "nee"}


def test_spreadsheet_cells_never_start_a_formula():
    from web.kaart import readable_cell

    assert readable_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert readable_cell(["ouderen", "=1+1"]) == "ouderen; '=1+1"


def _options(html: str, select_id: str) -> dict[str, str]:
    """A select's options on the page: value -> the text people see."""
    import re

    block = html[html.index(f'id="{select_id}"') :]
    block = block[: block.index("</select>")]
    return {v: t.strip() for v, t in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', block) if v}


def test_kaart_filters_show_names_and_keep_the_codes_as_values(client):
    from knowledge.schema import DOELGROEPEN, THEMAS, TOEGANGSROUTES

    html = client.get("/kaart/").get_data(as_text=True)
    doelgroepen, routes = _options(html, "f-doelgroep"), _options(html, "f-route")
    assert list(doelgroepen) == list(DOELGROEPEN) and list(routes) == list(TOEGANGSROUTES)
    assert list(_options(html, "f-thema")) == list(THEMAS)
    assert doelgroepen["lvb"] == "Mensen met een licht verstandelijke beperking (LVB)"
    assert routes["via_wmo_loket"] == "Via het Wmo-loket" and routes["via_buurtteam"] == "Via het buurtteam"
    for select in ("f-doelgroep", "f-thema", "f-route"):
        for code, text in _options(html, select).items():
            assert text not in (code, code.replace("_", " ")), (select, code, text)  # a name, not the code
    assert _options(html, "f-wijk")["overvecht"] == "Overvecht"
    english = _options(client.get("/kaart/?lang=en").get_data(as_text=True), "f-route")
    assert english["via_wmo_loket"] != routes["via_wmo_loket"]  # labels.yaml gives each interface language its own


def test_kaart_results_and_detail_show_names_not_codes(client):
    html = client.get("/kaart/?toegangsroute=via_wmo_loket").get_data(as_text=True)
    assert "Toegang: Via het Wmo-loket" in " ".join(html.split()) and "via wmo loket" not in html
    detail = client.get("/kaart/voorziening/hulp-bij-het-huishouden").get_data(as_text=True)
    facts = " ".join(detail[detail.index('class="feiten"') : detail.index("</dl>")].split())
    assert "Via het Wmo-loket" in facts and "via wmo loket" not in facts
    assert "Mensen met een beperking" in facts and "mensen met beperking" not in facts
    lvb = client.get("/kaart/voorziening/steunpunt-lvb-in-de-wijk").get_data(as_text=True)
    assert "Mensen met een licht verstandelijke beperking (LVB)" in lvb


def test_every_code_has_a_name_in_every_interface_language():
    from knowledge.labels import CODE_LISTS, labels
    from web.i18n import TALEN

    for soort, codes in CODE_LISTS.items():
        for code in codes:
            names = labels()[soort][code]
            assert set(TALEN) <= set(names), (soort, code)
            assert names["nl"] != code.replace("_", " "), (soort, code)  # a name, not the code


def test_a_code_without_a_name_shows_as_itself(tmp_path, monkeypatch):
    from knowledge import labels as names
    from knowledge.schema import DataError

    assert names.label("toegangsroute", "via_iets_nieuws") == "via iets nieuws"
    broken = tmp_path / "labels.yaml"
    broken.write_text("toegangsroute: {}\n", encoding="utf-8")
    monkeypatch.setattr(names, "LABELS_FILE", broken)
    names.labels.cache_clear()
    try:
        with pytest.raises(DataError, match="labels.yaml"):
            names.labels()
    finally:
        monkeypatch.undo()
        names.labels.cache_clear()


@pytest.mark.parametrize(
    "query,expected",
    [
        ("dementie", "casemanager-dementie"),
        ("geheugenproblemen", "casemanager-dementie"),
        ("mantelzorger even vrij", "respijtzorg"),
        ("schulden", "schuldhulpverlening"),
        ("eenzaam", "eenzaamheid-contactberoepen"),
    ],
)
def test_kaart_search_knows_the_words_the_chat_knows(client, query, expected):
    form = {"q": query, "wijk": "", "doelgroep": "", "lang": "nl"}  # as the search form sends it
    html = client.get("/kaart/", query_string=form).get_data(as_text=True)
    assert f"/kaart/voorziening/{expected}" in html
    assert "0 voorzieningen gevonden" not in html


def test_detail_page_shows_only_the_buurtteams_that_matter(client, kb):
    import re

    def team_rows(html):
        return re.findall(r"<tr(?: class=\"demo\")?><td><a href=\"/kaart/wijk/([a-z-]+)", html)

    # A service of one wijk, reached through the buurtteam: that wijk's teams, marked as demo data.
    local = client.get("/kaart/voorziening/dagbesteding-ghanadreef").get_data(as_text=True)
    assert team_rows(local) == ["overvecht"] * len(kb.teams_voor_wijk("overvecht")) and team_rows(local)
    assert "voorbeeldgegevens (demo)" in local and '<tr class="demo">' in local
    # City-wide, through the buurtteam: the way to one wijk's team, not a table of all of them.
    citywide = client.get("/kaart/voorziening/casemanager-dementie").get_data(as_text=True)
    assert team_rows(citywide) == [] and "<table" not in citywide
    assert 'href="/kaart/buurtteam?lang=nl"' in citywide and "Vind het buurtteam van een wijk" in citywide
    # Another way in (the Wmo-loket): no buurtteams at all.
    loket = client.get("/kaart/voorziening/wmo-loket").get_data(as_text=True)
    assert "<table" not in loket and "/kaart/buurtteam" not in loket
    assert "Buurtteam per wijk" not in loket


def test_find_the_buurtteam_of_a_wijk_by_postcode_or_name(client):
    r = client.get("/kaart/buurtteam?postcode=3563&lang=nl")
    assert r.status_code == 303 and r.headers["Location"].endswith("/kaart/wijk/overvecht?lang=nl#buurtteams")
    assert client.get("/kaart/buurtteam?postcode=Lombok").headers["Location"].split("?")[0].endswith("/kaart/wijk/west")
    wijk = client.get("/kaart/wijk/overvecht").get_data(as_text=True)
    assert 'id="buurtteams"' in wijk
    page = client.get("/kaart/buurtteam").get_data(as_text=True)
    assert 'name="postcode"' in page and 'href="/kaart/wijk/overvecht?lang=nl#buurtteams"' in page
    for junk in ("Atlantis", "<script>alert(1)</script>", "\x00\x07", "9999", "x" * 5000, "%ff"):
        r = client.get("/kaart/buurtteam", query_string={"postcode": junk})
        html = r.get_data(as_text=True)
        assert r.status_code == 200 and "<script>alert" not in html and "\x00" not in html, junk
    assert "Geen wijk gevonden bij Atlantis" in client.get("/kaart/buurtteam?postcode=Atlantis").get_data(as_text=True)
