"""The sociale kaart in a real browser, as a professional meets it on a phone (320 px wide).

Debian's Chromium driven by Playwright against `buurtwijzer serve`, as in test_browser.py:
CI installs chromium (.ci/run) and sets BUURTWIJZER_BROWSER_TESTS=required, so a missing
browser fails there instead of skipping. Screenshots go to test-artifacts/ (not committed).
"""

from __future__ import annotations

import pytest
from chromium import playwright_or_skip, shoot

playwright_or_skip()  # the whole module skips (or fails in CI) without a browser

PHONE = {"width": 320, "height": 800}
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
OPTIONS = "os => os.map(o => [o.value, o.textContent.trim()])"


@pytest.fixture
def phone(browser):
    ctx = browser.new_context(viewport=PHONE, locale="nl-NL")
    pg = ctx.new_page()
    yield pg
    ctx.close()


def sideways(page) -> int:
    return page.evaluate(OVERFLOW)


def citywide_via_buurtteam(kb) -> dict:
    return next(v for v in kb.voorzieningen() if v["toegangsroute"] == "via_buurtteam" and "alle" in v["wijken"])


def test_kaart_does_not_scroll_sideways_on_a_phone(phone, server):
    for path in ("/kaart/", "/kaart/?q=dementie", "/kaart/buurtteam", "/kaart/buurtteam?postcode=Atlantis"):
        phone.goto(server + path)
        assert sideways(phone) <= 1, f"{path} schuift {sideways(phone)} px opzij bij 320 px"
    phone.goto(server + "/kaart/")
    shoot(phone, "kaart-320")


def test_every_detail_page_fits_a_phone_and_lists_only_its_own_buurtteams(phone, server, kb):
    bad, wrong_teams = [], []
    for v in kb.voorzieningen():
        phone.goto(f"{server}/kaart/voorziening/{v['id']}")
        if sideways(phone) > 1:
            bad.append(f"{v['id']} ({sideways(phone)} px)")
        own = (
            sum(len(kb.teams_voor_wijk(w)) for w in v["wijken"])
            if v["toegangsroute"] == "via_buurtteam" and "alle" not in v["wijken"]
            else 0
        )
        if phone.locator("table.teams tbody tr").count() != own:
            wrong_teams.append(v["id"])
    assert not bad, "schuift opzij bij 320 px: " + ", ".join(bad)
    assert not wrong_teams, "andere buurtteams dan die van de eigen wijken: " + ", ".join(wrong_teams)


def test_every_wijk_page_fits_a_phone(phone, server, kb):
    bad = []
    for w in kb.wijken():
        phone.goto(f"{server}/kaart/wijk/{w['id']}")
        if sideways(phone) > 1:
            bad.append(f"{w['id']} ({sideways(phone)} px)")
    assert not bad, "schuift opzij bij 320 px: " + ", ".join(bad)


def test_the_facts_of_a_voorziening_do_not_overlap(phone, server):
    phone.goto(server + "/kaart/voorziening/huisarts-en-wijkverpleegkundige")
    boxes = phone.eval_on_selector_all(
        "dl.feiten > *",
        "els => els.map(e => { const r = e.getBoundingClientRect(); "
        "return [e.tagName, r.left, r.right, r.top, r.bottom]; })",
    )
    for (_, l1, r1, t1, b1), (_, l2, r2, t2, b2) in zip(boxes, boxes[1:]):
        overlap_x = min(r1, r2) - max(l1, l2) > 1
        overlap_y = min(b1, b2) - max(t1, t2) > 1
        assert not (overlap_x and overlap_y), "een naam en zijn waarde overlappen"
    assert all(right <= PHONE["width"] for _, _, right, _, _ in boxes)


def test_filter_options_are_names_not_codes(phone, server):
    phone.goto(server + "/kaart/")
    for select in ("#f-doelgroep", "#f-thema", "#f-route"):
        options = phone.eval_on_selector_all(f"{select} option", OPTIONS)
        for value, text in options:
            if value:
                assert text not in (value, value.replace("_", " ")), f"{select}: {text!r} is de code"
    labels = dict(phone.eval_on_selector_all("#f-doelgroep option", OPTIONS))
    assert labels["lvb"] == "Mensen met een licht verstandelijke beperking (LVB)"
    phone.select_option("#f-route", label="Via het Wmo-loket")
    phone.click(".zoekformulier button[type=submit]")
    phone.wait_for_url("**toegangsroute=via_wmo_loket**")  # the code stays in the address
    assert "Toegang: Via het Wmo-loket" in phone.inner_text(".resultaten")


def test_dementie_finds_the_voorziening(phone, server, kb):
    phone.goto(server + "/kaart/")
    phone.fill("#q", "dementie")
    phone.click(".zoekformulier button[type=submit]")
    phone.wait_for_url("**q=dementie**")
    found = phone.locator(".resultaat h2 a")
    assert 1 <= found.count() < len(kb.voorzieningen())  # found, and not simply everything
    assert found.first.get_attribute("href").startswith("/kaart/voorziening/casemanager-dementie")


def test_a_citywide_service_via_the_buurtteam_links_to_the_team_of_a_wijk(phone, server, kb):
    v = citywide_via_buurtteam(kb)
    phone.goto(f"{server}/kaart/voorziening/{v['id']}")
    assert phone.locator("table").count() == 0  # not the table of every team in the city
    shoot(phone, "kaart-detail-320")
    phone.click("text=Vind het buurtteam van een wijk")
    phone.fill("#postcode", kb.wijken()[0]["postcodes"][0])
    phone.click(".zoekformulier button[type=submit]")
    phone.wait_for_url(f"**/kaart/wijk/{kb.wijken()[0]['id']}**")
    assert phone.locator(".contact").count() == len(kb.teams_voor_wijk(kb.wijken()[0]["id"]))
    assert "voorbeeld" in phone.inner_text("main").lower()  # demo teams say so


@pytest.mark.parametrize(
    "path",
    [
        "/kaart/",
        "/kaart/voorziening/dagbesteding-ghanadreef",
        "/kaart/voorziening/casemanager-dementie",
        "/kaart/buurtteam",
    ],
)
def test_no_accessibility_violations(browser, server, path):
    from axe_playwright_python.sync_playwright import Axe

    for viewport in (PHONE, {"width": 1280, "height": 900}):
        ctx = browser.new_context(viewport=viewport, locale="nl-NL")
        page = ctx.new_page()
        page.goto(server + path)
        results = Axe().run(page)
        ctx.close()
        bad = results.response["violations"]  # any impact: minor ones are barriers too
        assert not bad, f"{path} @ {viewport['width']} px:\n" + "\n".join(
            f"{v['id']}: {v['help']} ({len(v['nodes'])}x)" for v in bad
        )
