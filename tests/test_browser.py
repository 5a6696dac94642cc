"""Real-browser tests: Debian's Chromium driven by Playwright against `buurtwijzer serve`.

CI installs chromium (.ci/run) and sets BUURTWIJZER_BROWSER_TESTS=required, so a missing
browser fails there instead of skipping. Screenshots go to test-artifacts/ (not committed).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

if not os.path.exists(CHROMIUM):
    if os.environ.get("BUURTWIJZER_BROWSER_TESTS") == "required":
        raise RuntimeError("Chromium ontbreekt; installeer chromium (zie .ci/system-deps browser)")
    pytest.skip("Chromium is niet geïnstalleerd", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def server(live_server):
    return live_server


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    pg = ctx.new_page()
    yield pg
    ctx.close()


def shoot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_resident_asks_and_gets_an_answer_card(page, server):
    page.goto(server + "/")
    page.fill("#vraag", "ik heb schulden en ik weet niet wat ik moet doen")
    page.press("#vraag", "Enter")
    card = page.locator("#berichten .antwoord").last
    card.wait_for()
    assert card.get_attribute("data-intent") == "geldzorgen"
    assert card.locator(".stappen li img.picto").count() >= 2
    assert page.locator("#berichten .vraag").last.inner_text().startswith("ik heb schulden")
    assert page.locator("#berichten").get_attribute("aria-live") == "polite"
    shoot(page, "chat-desktop")


def test_quick_start_button_and_buurtteam_card(page, server):
    page.goto(server + "/")
    page.fill("#postcode", "3563")
    page.click("button.knop--onderwerp[value=buurtteam]")
    card = page.locator("#berichten .antwoord").last
    card.wait_for()
    contact = card.locator(".contact")
    assert "Overvecht" in contact.inner_text()
    assert contact.locator("a[href^='tel:']").count() == 1
    assert "voorbeeld" in contact.inner_text().lower()


def test_clarify_buttons_work(page, server):
    page.goto(server + "/")
    page.fill("#vraag", "hulp")
    page.press("#vraag", "Enter")
    page.locator(".keuzes button").first.wait_for()
    chosen = page.locator(".keuzes button").first.get_attribute("value")
    page.locator(".keuzes button").first.click()
    page.locator("#berichten .antwoord").nth(1).wait_for()
    assert page.locator("#berichten .antwoord").last.get_attribute("data-intent") in (chosen, "mens_spreken")


def test_simpler_and_not_clear(page, server):
    page.goto(server + "/")
    page.fill("#vraag", "hoe krijg ik een scootmobiel")
    page.press("#vraag", "Enter")
    page.locator("#berichten .antwoord").first.wait_for()
    page.locator("#berichten .antwoord").last.locator(".duidelijk button[value=eenvoudiger]").click()
    page.locator("#berichten .antwoord").nth(1).wait_for()
    last = page.locator("#berichten .antwoord").last
    assert last.get_attribute("data-niveau") == "eenvoudig"
    assert last.get_attribute("data-intent") == "hulpmiddelen"


def test_kiosk_idle_reset_wipes_the_conversation(browser, server):
    ctx = browser.new_context(viewport={"width": 1080, "height": 1920}, has_touch=True, locale="nl-NL")
    page = ctx.new_page()
    page.goto(server + "/kiosk/?wijk=Overvecht&stil=5")
    page.locator(".tegel").first.click()
    if "/groep/" in page.url:
        page.locator(".tegel").first.click()
    assert "/kiosk/antwoord/" in page.url
    assert "Overvecht" in page.inner_text("main")
    shoot(page, "kiosk-antwoord")
    assert "seconden" in page.inner_text(".aftellen")
    page.wait_for_url("**/kiosk/?wijk=Overvecht&stil=5", timeout=12_000)
    assert page.locator(".antwoord").count() == 0
    assert ctx.cookies() == []
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0
    ctx.close()


def test_kiosk_is_big_enough_to_touch(browser, server):
    ctx = browser.new_context(viewport={"width": 1080, "height": 1920}, locale="nl-NL")
    page = ctx.new_page()
    page.goto(server + "/kiosk/?wijk=West&stil=600")
    sizes = page.eval_on_selector_all(".tegel, .knop", "els => els.filter(e => e.offsetParent).map(e => "
                                      "[e.getBoundingClientRect().width, e.getBoundingClientRect().height])")
    assert sizes and all(w >= 48 and h >= 48 for w, h in sizes)
    font = page.eval_on_selector("body", "e => parseFloat(getComputedStyle(e).fontSize)")
    assert font >= 24
    shoot(page, "kiosk-start")
    ctx.close()


def test_kaart_filters(page, server):
    page.goto(server + "/kaart/")
    total = page.locator(".resultaat").count()
    page.select_option("#f-doelgroep", "mantelzorgers")
    page.click(".zoekformulier button[type=submit]")
    page.wait_for_url("**doelgroep=mantelzorgers**")
    filtered = page.locator(".resultaat").count()
    assert 0 < filtered < total
    page.locator(".resultaat a").first.click()
    assert "/kaart/voorziening/" in page.url
    assert "Laatst gecontroleerd" in page.inner_text("main")
    shoot(page, "kaart-detail")


def test_english_end_to_end(page, server):
    page.goto(server + "/")
    page.click("nav.talen a[lang=en]")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.inner_text("h1") == "What can I help you with?"
    page.fill("#vraag", "ik voel me alleen")
    page.press("#vraag", "Enter")
    card = page.locator("#berichten .antwoord").last
    card.wait_for()
    assert card.get_attribute("lang") == "en"   # English chosen: the answer is English too
    assert "Is this clear?" in card.inner_text()


@pytest.mark.parametrize("path", ["/", "/kiosk/?stil=600", "/kaart/", "/kaart/voorziening/buurtteam-sociaal"])
def test_no_serious_accessibility_violations(page, server, path):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(server + path)
    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, "\n".join(f"{v['id']}: {v['help']} ({len(v['nodes'])}x)" for v in bad)


@pytest.mark.parametrize("path", ["/", "/kiosk/?stil=600", "/kaart/"])
def test_small_screen_and_zoom(browser, server, path):
    # 360 px wide phone; and 1280 px at 200% zoom is a 640 px wide viewport.
    for width, name in ((360, "telefoon"), (640, "zoom200")):
        ctx = browser.new_context(viewport={"width": width, "height": 800})
        page = ctx.new_page()
        page.goto(server + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"{path} schuift horizontaal bij {width}px"
        shoot(page, f"{path.strip('/').split('?')[0].replace('/', '-') or 'chat'}-{name}")
        ctx.close()
