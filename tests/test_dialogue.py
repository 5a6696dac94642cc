"""Each dialogue path: answer, clarify, ask_location then answer, crisis, handoff, follow-ups."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from intents import evaluate
from intents.veiligheid import Verdict


def turn(assistant, text, session=None, **kw):
    return assistant.reply(text, session_id=session, **kw).to_json()


def test_answer_has_contract_shape(assistant):
    r = turn(assistant, "ik kan mijn huis niet meer schoonhouden, wie helpt mij met poetsen")
    assert r["action"] == "answer"
    assert r["intent"] == "huishoudelijke_hulp"
    assert 0 <= r["confidence"] <= 1
    assert {
        "intent",
        "confidence",
        "alternatives",
        "action",
        "answer",
        "route",
        "voorzieningen",
        "wijk",
        "clarify",
    } <= set(r)
    assert {"niveau", "text", "steps", "sources"} <= set(r["answer"])
    assert r["route"]["type"] == "loket"
    assert "hulp-bij-het-huishouden" in r["voorzieningen"]
    assert all({"intent", "confidence"} <= set(a) for a in r["alternatives"])


def test_ask_location_then_answer(assistant):
    first = turn(assistant, "waar is het buurtteam")
    assert first["action"] == "ask_location"
    assert first["wijk"] is None
    second = turn(assistant, "3563", session=first["session"])
    assert second["action"] == "answer" and second["intent"] == "buurtteam"
    assert second["wijk"] == "overvecht"
    team = second["route"]["contact"]["buurtteam"]
    assert "Overvecht" in team["naam"] and team["demo"] is True


def test_wijk_in_the_message_is_used(assistant):
    r = turn(assistant, "ik woon in Zuilen, waar is mijn buurtteam?")
    assert r["action"] == "answer" and r["wijk"] == "noordwest"
    assert "Noordwest" in r["route"]["contact"]["buurtteam"]["naam"]


def test_follow_up_about_another_wijk(assistant):
    first = turn(assistant, "waar zit het buurtteam in Lombok")
    assert first["wijk"] == "west"
    second = turn(assistant, "en in Zuilen?", session=first["session"])
    assert second["intent"] == "buurtteam" and second["wijk"] == "noordwest"
    assert second["route"]["contact"]["buurtteam"]["naam"] != first["route"]["contact"]["buurtteam"]["naam"]


@pytest.mark.parametrize(
    "story,intent,number",
    [
        (
            "Ik heb veel schulden en mijn huur is al drie maanden niet betaald. Mijn vriend is weg. "
            "Eigenlijk wil ik niet meer leven. Kan ik hulp krijgen met mijn geld?",
            "crisis_suicide",
            "113",
        ),
        (
            "Ik zoek hulp in het huishouden voor mijn moeder. Ze woont alleen. Mijn vader slaat haar soms als hij "
            "gedronken heeft.",
            "huiselijk_geweld",
            "0800-2000",
        ),
        ("er is brand in de keuken", "noodgeval", "112"),
    ],
)
def test_crisis_inside_a_story_wins(assistant, story, intent, number):
    r = turn(assistant, story)
    assert r["action"] == "crisis" and r["intent"] == intent
    assert r["route"]["type"] == "crisis"
    assert number in [n["nummer"] for n in r["route"]["contact"]["nummers"]]
    # Numbers come first, before any question.
    assert r["clarify"] == []


def test_danger_seen_only_by_the_model_asks_one_question_and_no_is_not_a_dead_end(assistant, monkeypatch):
    # The safety model alone never shows the full crisis screen: it asks, with the numbers on screen,
    # and "Nee" answers what the message was about.
    real = assistant.matcher.predict

    def predict(text):
        pred = real(text)
        pred.safety = Verdict("check", "emergency", ["emergency"], "other", "nl", "model")
        return pred

    monkeypatch.setattr(assistant.matcher, "predict", predict)
    r = turn(assistant, "ik zoek hulp bij het huishouden voor mijn moeder")
    monkeypatch.undo()
    assert r["action"] == "crisis" and r["safety"]["level"] == "check"
    assert r["route"]["contact"]["nummers"][0]["nummer"] == "112"
    assert [o["value"] for o in r["safety"]["question"]["options"]] == ["ja", "nee"]
    no = turn(assistant, "", session=r["session"], check="nee")
    assert no["action"] == "answer" and no["intent"] == "huishoudelijke_hulp"
    assert no["safety"]["level"] == "note" and no["safety"]["nummers"][0]["nummer"] == "112"


def test_crisis_wins_over_a_pending_question(assistant):
    first = turn(assistant, "waar is het buurtteam")
    assert first["action"] == "ask_location"
    r = turn(assistant, "ik wil er een eind aan maken", session=first["session"])
    assert r["action"] == "crisis"


def test_handoff_to_a_person(assistant):
    r = turn(assistant, "ik wil gewoon een mens spreken", postcode="3563")
    assert r["action"] == "handoff" and r["intent"] == "mens_spreken"
    assert r["route"]["type"] == "buurtteam"
    assert r["route"]["contact"]["buurtteam"]["telefoon"]


def test_handoff_without_wijk_asks_for_it(assistant):
    first = turn(assistant, "kan ik iemand spreken, een echt persoon")
    assert first["action"] == "ask_location"
    second = turn(assistant, "Kanaleneiland", session=first["session"])
    assert second["action"] == "handoff" and second["wijk"] == "zuidwest"


def test_several_problems_go_to_the_buurtteam(assistant):
    r = turn(assistant, "ik heb schulden, ik drink te veel en ik word uit mijn huis gezet", wijk="Overvecht")
    assert r["action"] == "handoff"
    assert len(r["problemen"]) >= 2
    assert r["route"]["contact"]["buurtteam"]


def test_ik_snap_het_niet_gives_the_simple_version(assistant):
    first = turn(assistant, "hoe vraag ik een scootmobiel aan", niveau="standaard")
    assert first["intent"] == "hulpmiddelen" and first["answer"]["niveau"] == "standaard"
    second = turn(assistant, "ik snap het niet", session=first["session"])
    assert second["intent"] == "hulpmiddelen"
    assert second["answer"]["niveau"] == "eenvoudig"
    assert second["answer"]["text"] != first["answer"]["text"]


def test_clarify_offers_options_and_a_pick_answers(assistant):
    r = turn(assistant, "hulp")
    assert r["action"] == "clarify"
    assert 1 <= len(r["clarify"]) <= 3
    assert all({"intent", "label", "pictogram"} <= set(o) for o in r["clarify"])
    picked = turn(assistant, "1", session=r["session"])
    assert picked["intent"] == r["clarify"][0]["intent"]
    assert picked["action"] in ("answer", "ask_location", "handoff")


def test_two_misses_in_a_row_offer_the_buurtteam(assistant):
    first = turn(assistant, "blub blub")
    assert first["action"] == "clarify"
    second = turn(assistant, "flap flop", session=first["session"])
    assert second["action"] in ("handoff", "ask_location")
    assert second["route"]["type"] == "buurtteam"


def test_out_of_scope_is_honest(assistant):
    r = turn(assistant, "wanneer halen ze het grofvuil op")
    assert r["intent"] == "buiten_bereik" and r["action"] == "answer"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\x00\x01\x02",
        "😀😀😀",
        "<script>alert(1)</script>",
        "x" * 20_000,
        "Where can I get help with my rent please?",
        "Merhaba, nasil yardim alabilirim?",
        b"\xff\xfe\x00binary",
    ],
)
def test_bad_input_gets_a_sensible_reply(assistant, text):
    r = turn(assistant, text)
    turkish = isinstance(text, str) and text.startswith("Merhaba")
    assert r["action"] in (("other_language",) if turkish else ("answer", "clarify"))
    assert r["answer"]["text"]
    typed = text.strip() if isinstance(text, str) else ""
    assert len(typed) < 3 or typed not in r["answer"]["text"]  # what was typed is never echoed back


def test_overlong_input_is_refused_clearly(assistant):
    r = turn(assistant, "Ik heb een vraag over de huur. " * 1000)
    assert r.get("fout") == "te_lang"
    assert "te lang" in r["answer"]["text"]


def test_overlong_input_with_crisis_still_gets_crisis(assistant):
    r = turn(assistant, "bla " * 1000 + "ik wil niet meer leven")
    assert r["action"] == "crisis"


def test_english_is_answered_in_english(assistant):
    r = turn(assistant, "Where can I get help with my rent please?")
    assert r["language"] == "en" and r["answer"]["lang"] == "en"


def test_session_keeps_no_message_text(assistant):
    r = turn(assistant, "mijn naam is Jan Jansen en ik heb schulden")
    stored = assistant.sessions.get(r["session"]).to_dict()
    assert "Jansen" not in repr(stored) and "schulden" not in repr(stored)


def test_out_of_scope_is_recognised_on_a_held_out_set(assistant):
    # tests/data/toets/buiten_bereik/ was written apart from intents/data: 120 questions
    # outside the social domain and 60 look-alike questions inside it (both halves here).
    rows = [
        json.loads(line)
        for half in ("ontwikkel", "apart")
        for line in (Path(__file__).parent / "data" / "toets" / "buiten_bereik" / f"{half}.jsonl")
        .read_text(encoding="utf-8")
        .splitlines()
        if line.strip()
    ]
    report = evaluate.run(
        "toets", lambda t: assistant.matcher.predict(t).intent, [r["text"] for r in rows], [r["intent"] for r in rows]
    )
    assert report.oos["precision"] >= 0.95 and report.oos["recall"] >= 0.8
    # Never the full crisis screen; the safety model may ask its one question now and then
    # ("hoe laat gaat de laatste trein"), with the numbers on screen.
    levels = [(assistant.matcher.predict(r["text"]).safety or None) for r in rows]
    assert not [v for v in levels if v and v.level == "crisis"]
    assert sum(1 for v in levels if v and v.level == "check") <= len(rows) * 0.01


def test_a_postcode_after_an_answer_adds_the_contact_not_the_answer(assistant):
    first = turn(assistant, "ik heb schulden")
    assert first["action"] == "answer" and first["answer"]["steps"]
    second = turn(assistant, "3531", session=first["session"])
    assert second["action"] == "contact" and second["intent"] == "geldzorgen"
    assert second["answer"]["steps"] == [] and second["answer"]["text"].count(".") <= 2
    assert "West" in second["route"]["contact"]["buurtteam"]["naam"]
    third = turn(assistant, "", session=first["session"], postcode="3563")  # only the postcode field
    assert third["action"] == "contact" and "Overvecht" in third["route"]["contact"]["buurtteam"]["naam"]
    # waiting for a wijk (the buurtteam question) is different: then the answer comes now
    asked = turn(assistant, "waar is het buurtteam")
    assert turn(assistant, "3531", session=asked["session"])["action"] == "answer"


def test_clarify_and_handoff_say_their_text_once(assistant):
    r = turn(assistant, "hulp")
    assert r["action"] == "clarify"
    assert r["answer"]["text"] not in [s["text"] for s in r["answer"]["steps"]]
    assert [o["intent"] for o in r["uitwegen"]] == ["iets_anders", "mens_spreken"]
    again = turn(assistant, "", session=r["session"], intent="iets_anders")
    assert again["action"] == "clarify" and again["clarify"] == [] and "andere woorden" in again["answer"]["text"]
    h = turn(assistant, "ik wil een mens spreken", wijk="West")
    assert h["action"] == "handoff"
    assert h["answer"]["text"] not in [s["text"] for s in h["answer"]["steps"]]


@pytest.mark.parametrize(
    "text,plain",
    [
        ("kan nie betale de huur", True),
        ("me moeder ken nie meer lope en wil hulp", True),
        ("ik heb gein geld meer en de rekenige kome steets", True),
        ("ik heb schulden en ik weet niet wat ik moet doen", False),
        ("Cliënt heeft een bijstandsuitkering. Moet hij een eigen bijdrage betalen voor begeleiding?", False),
        ("Wat zijn de voorwaarden voor huishoudelijke ondersteuning via de Wmo?", False),
    ],
)
def test_plain_writing_gets_the_simple_answer_first(assistant, text, plain):
    r = turn(assistant, text)
    assert (r["answer"]["niveau"] == "eenvoudig") is plain
    chosen = turn(assistant, "kan nie betale de huur", session=r["session"], niveau="standaard")
    assert chosen["answer"]["niveau"] == "standaard"  # a niveau the person picked is kept
    assert turn(assistant, "kan nie betale de huur", session=r["session"])["answer"]["niveau"] == "standaard"


def test_answers_lead_with_at_most_two_short_sentences(assistant):
    from assistant.answers import LEAD_WORDS, split_lead

    for intent in assistant.intents:
        if not assistant.book.has(intent):
            continue
        for niveau in ("eenvoudig", "standaard"):
            a = assistant.book.render(intent, niveau, [], []).to_json()
            sentences = [s for s in a["lead"].replace("?", ".").replace("!", ".").split(". ") if s]
            assert len(sentences) <= 2, (intent, niveau, a["lead"])
            assert len(a["lead"].split()) <= LEAD_WORDS or len(sentences) == 1, (intent, niveau)
            assert (a["lead"] + " " + a["more"]).strip() == " ".join(a["text"].split()), (intent, niveau)
    assert split_lead("Een. Twee. Drie.") == ("Een. Twee.", "Drie.")


def test_every_voorziening_dialoog_yml_names_exists(assistant):
    named = [*assistant.contact_per_route.values(), *assistant.bij_een_mens]
    assert named and all(assistant.kb.voorziening(v) is not None for v in named), named
    r = assistant.reply("ik wil een mens spreken", postcode="3563")
    assert r.action == "handoff" and r.voorzieningen == assistant.bij_een_mens
