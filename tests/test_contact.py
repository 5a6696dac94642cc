"""A contact for every route: an answer that says "staat hieronder" shows what it promises."""

from __future__ import annotations

import re

import pytest
import yaml

from assistant.answers import ANSWERS_DIR
from assistant.dialogue import DIALOOG_FILE
from knowledge.sources import load

PROMISE = re.compile(yaml.safe_load(DIALOOG_FILE.read_text(encoding="utf-8"))["belofte"], re.IGNORECASE)
INTERNAL = re.compile(r"bronnen noemen|seeds?\b|staat niet in de bron", re.IGNORECASE)


def promising_answers() -> list[tuple[str, str, str]]:
    """(intent, niveau, lang) of every answer text with a step that promises contact details."""
    out = []
    for path in sorted(ANSWERS_DIR.glob("*.yml")):
        rec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for lang, levels in (("nl", rec), ("en", rec.get("en") or {})):
            for niveau in ("eenvoudig", "standaard", "professional"):
                steps = (levels.get(niveau) or {}).get("stappen") or []
                if any(PROMISE.search(s["tekst"]) for s in steps):
                    out.append((path.stem, niveau, lang))
    return out


def shown_phone(reply) -> bool:
    contact = reply.route.get("contact") or {}
    return bool(contact.get("nummers")) or any(
        (contact.get(k) or {}).get("telefoon") for k in ("buurtteam", "voorziening")
    )


def test_there_are_answers_that_promise_contact_details():
    assert len(promising_answers()) >= 20


@pytest.mark.parametrize("intent,niveau,lang", promising_answers())
@pytest.mark.parametrize("postcode", [None, "3563"])
def test_every_promise_of_contact_details_is_kept(assistant, intent, niveau, lang, postcode):
    reply = assistant.reply("", intent=intent, niveau=niveau, postcode=postcode, lang=lang)
    promises = [s.text for s in reply.answer.steps if PROMISE.search(s.text)]
    if promises:
        assert shown_phone(reply), (intent, promises, reply.route)
    if postcode and reply.action == "answer" and reply.route["type"] in ("buurtteam", "loket", "opvang"):
        assert reply.route["contact"]["buurtteam"]["telefoon"]


def test_without_a_postcode_the_buurtteam_answer_asks_for_it_instead_of_promising(assistant):
    reply = assistant.reply("ik heb schulden")
    assert reply.route["type"] == "buurtteam" and not reply.route["contact"]
    texts = [s.text for s in reply.answer.steps]
    assert not any(PROMISE.search(t) for t in texts)
    assert any("postcode" in t for t in texts)


@pytest.mark.parametrize("text", ["ik heb geen slaapplek vannacht", "ik slaap op straat", "I have nowhere to sleep"])
def test_no_place_to_sleep_leads_to_the_opvang_with_its_contact(assistant, text):
    reply = assistant.reply(text)
    assert reply.intent == "dakloosheid" and reply.route["type"] == "opvang"
    card = reply.route["contact"]["voorziening"]
    assert card["id"] == "stadsteam-back-up" and card["telefoon"] and card["demo"] is True
    assert reply.extra.get("demo") is True


def test_the_wmo_loket_route_shows_the_loket_with_a_phone(assistant):
    reply = assistant.reply("ik heb een rolstoel nodig")
    assert reply.route["type"] == "loket"
    assert reply.route["contact"]["voorziening"]["id"] == "wmo-loket"
    assert reply.route["contact"]["voorziening"]["telefoon"]


def test_talking_to_a_person_shows_contact_without_internal_wording(assistant):
    reply = assistant.reply("ik wil een mens spreken", postcode="3563")
    contact = reply.route["contact"]
    assert contact["buurtteam"]["telefoon"] and contact["voorziening"]["telefoon"]
    assert not INTERNAL.search(contact["voorziening"]["hoe"])


def test_demo_contact_details_look_like_demo_data():
    for v in load()["voorzieningen"]:
        c = v.get("contact")
        if c and c["status"] == "voorbeeld":
            assert re.fullmatch(r"030 000 0[0-9]{3}", c["telefoon"]), v["id"]
            assert c.get("email", "x@voorbeeld.invalid").endswith(".invalid")


def test_no_internal_wording_in_what_people_read():
    for v in load()["voorzieningen"]:
        for field in ("korte_uitleg", "uitleg", "voor_wie", "hoe_krijg_je_het", "kosten"):
            assert not INTERNAL.search(v[field]), (v["id"], field)
    for path in sorted(ANSWERS_DIR.glob("*.yml")):
        rec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for niveau in ("eenvoudig", "standaard"):
            assert not INTERNAL.search(str(rec[niveau])), (path.stem, niveau)
            assert not INTERNAL.search(str((rec.get("en") or {}).get(niveau))), (path.stem, "en", niveau)


def test_professional_answers_say_which_parts_rest_only_on_old_sources(assistant):
    from web.app import create_app

    client = create_app({"ASSISTANT": assistant, "TESTING": True, "BW_RATELIMIT": None}).test_client()
    reply = assistant.reply("", intent="eenzaamheid", niveau="professional")
    old = reply.extra.get("mogelijk_verouderd") or []
    assert old and all(r["bron_jaar"] < 2024 for r in old)
    assert "mogelijk_verouderd" not in assistant.reply("", intent="eenzaamheid", niveau="eenvoudig").extra
    page = client.post("/beurt", data={"intent": "eenzaamheid", "niveau": "professional"}).get_data(as_text=True)
    assert "Mogelijk verouderd" in page and old[0]["naam"] in page
