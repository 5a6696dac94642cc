"""Languages: English in and out, the other languages of Utrecht in kind, and the data behind them."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from assistant import andere_talen, answers, leesbaarheid, toetsen
from intents import catalogue
from intents.taal import TALEN_FILE, Taalherkenner, load_talen
from web.app import create_app


@pytest.fixture(scope="module")
def herkenner(assistant):
    return assistant.matcher.talen


@pytest.fixture(scope="module")
def client(assistant):
    return create_app({"ASSISTANT": assistant, "TESTING": True, "BW_RATELIMIT": None}).test_client()


@pytest.mark.parametrize(
    "text,lang",
    [
        ("I can't pay my bills anymore and the letters keep coming", "en"),
        ("ik kan mijn rekeningen niet meer betalen", "nl"),
        ("where can I find the buurtteam in overvecht", "en"),  # names are not language
        ("waar is het buurtteam", "nl"),
        ("Borçlarımı ödeyemiyorum, ne yapmalıyım", "tr"),
        ("Nie mam pieniędzy na czynsz", "pl"),
        ("Мені потрібна допомога з боргами", "uk"),
        ("أحتاج مساعدة في الديون", "ar"),
        ("ⴰⵣⵓⵍ ⴼⵍⴰⵡⵏ", "zgh"),  # Tifinagh: the script tells
        ("3andi mochkil m3a lflous", "ar"),  # Arabizi: digits inside words
        ("someone is at my door, it is 3am and I am alone", "en"),  # a time is not Arabizi
    ],
)
def test_language_is_recognised(herkenner, text, lang):
    assert herkenner.detect(text) == lang


def test_a_word_or_two_without_a_known_phrase_tells_no_language(herkenner):
    assert herkenner.detect("ok") is None
    assert herkenner.detect("hmm zzz") is None


def test_a_known_phrase_tells_the_language_of_a_short_message():
    h = Taalherkenner(load_talen(), {"merhaba": "tr"})
    assert h.detect("Merhaba!") == "tr"
    assert h.detect("merhaba arkadas") is None  # two words, and not a phrase the intents know


def test_every_recognised_language_has_its_texts():
    talen = load_talen()["talen"]
    for code, opts in talen.items():
        if opts.get("antwoorden"):
            continue
        path = TALEN_FILE.parent / code / "LC_MESSAGES" / "messages.po"
        assert path.is_file(), code
        with path.open("rb") as fh:
            done = {m.id for m in read_po(fh) if m.id and m.string and not m.fuzzy}
        needed = {
            andere_talen.GROET,
            andere_talen.BEDANKT,
            andere_talen.AFSCHEID,
            andere_talen.WIE,
            andere_talen.TALEN,
            andere_talen.VERDER,
            andere_talen.KIES_TAAL,
            andere_talen.GEVAAR,
        }
        assert needed <= done, (code, needed - done)


def test_every_intent_has_english_examples_and_a_translated_answer():
    intents = catalogue.load()
    data = answers.load()
    for iid, intent in intents.items():
        assert len(intent.talen.get("en", [])) >= 20, iid
        en = data[iid].get("en")
        assert en and en.get("vertaling_gecontroleerd") in (True, False), iid
        for niveau in ("eenvoudig", "standaard"):
            dutch = [s["pictogram"] for s in data[iid][niveau].get("stappen") or []]
            english = [s["pictogram"] for s in en[niveau].get("stappen") or []]
            assert english == dutch, (iid, niveau)  # the same steps with the same pictures
            assert "{{" not in str(en[niveau]).replace("{{gemeente}}", "")  # no Dutch rule text in English


def test_extra_example_files_must_name_an_existing_intent(tmp_path):
    (tmp_path / "groet.yml").write_text(
        "intent: groet\nnaam: G\nlabel: Hallo\nroute: geen\nsoort: gesprek\npictogram: zwaai\nvoorbeelden: [hallo]\n",
        encoding="utf-8",
    )
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "groet.yml").write_text(
        "intent: groet\ntaal: en\nlabel: Hello\nvoorbeelden: [hi]\n", encoding="utf-8"
    )
    loaded = catalogue.load(tmp_path)
    assert loaded["groet"].talen == {"nl": ["hallo"], "en": ["hi"]}
    assert loaded["groet"].label_in("en") == "Hello" and loaded["groet"].label_in("tr") == "Hallo"
    (tmp_path / "en" / "afscheid.yml").write_text("intent: afscheid\ntaal: en\nvoorbeelden: [bye]\n", encoding="utf-8")
    with pytest.raises(Exception, match="intent"):
        catalogue.load(tmp_path)


# ------------------------------------------------------------------ the conversation
def test_an_english_question_gets_an_english_answer_and_stays_english(assistant):
    first = assistant.reply("I have a lot of debt and I can't pay my rent")
    assert (first.intent, first.language, first.answer.lang) == ("geldzorgen", "en", "en")
    assert "buurtteam" in first.answer.text.lower() or any("buurtteam" in s.text for s in first.answer.steps)
    follow = assistant.reply("3563", session_id=first.session)
    assert follow.answer.lang == "en" and follow.wijk == "overvecht"


def test_a_chosen_language_wins_over_the_message(assistant):
    reply = assistant.reply("I feel lonely", lang="nl")
    assert reply.answer.lang == "nl"
    reply = assistant.reply("ik voel me eenzaam", lang="en")
    assert reply.answer.lang == "en" and reply.intent == "eenzaamheid"


def test_professional_answers_stay_dutch(assistant):
    reply = assistant.reply("how does a personal budget work", niveau="professional")
    assert reply.answer.lang == "nl" and reply.language == "en"


def test_english_crisis_gets_english_numbers_first(assistant):
    reply = assistant.reply("my husband hits me and I am scared to go home")
    assert reply.action == "crisis" and reply.answer.lang == "en"
    assert "0800-2000" in reply.extra["nummers"]


@pytest.mark.parametrize(
    "text,lang",
    [("Borçlarım var, yardım lazım", "tr"), ("Potrzebuję pomocy z długami", "pl"), ("أحتاج مساعدة في الديون", "ar")],
)
def test_another_language_is_told_in_it_where_to_go(assistant, text, lang):
    reply = assistant.reply(text)
    assert reply.action == "other_language" and reply.language == lang and reply.answer.lang == lang
    said = [reply.answer.text] + [s.text for s in reply.answer.steps]
    assert andere_talen.text(lang, andere_talen.TALEN) in said
    assert andere_talen.text(lang, andere_talen.VERDER) in said
    assert andere_talen.text(lang, andere_talen.GEVAAR) in said and "112" in said[-1]  # danger we cannot read
    assert reply.clarify and reply.extra["answer_languages"] == ["nl", "en"]


@pytest.mark.parametrize(
    "text",
    [
        "Kendimi öldürmek istiyorum",
        "Chcę się zabić",
        "أريد أن أقتل نفسي",
        "Хочу покінчити з життям",
        "Mein Mann schlägt mich jeden Tag",
    ],
)
def test_danger_in_a_language_we_cannot_read_gets_112_and_no_small_talk(assistant, text):
    reply = assistant.reply(text)
    said = [reply.answer.text] + [s.text for s in reply.answer.steps]
    assert reply.action in ("crisis", "other_language")
    if reply.action == "other_language":
        assert "112" in said[-1]
        assert reply.answer.text == andere_talen.text(reply.language, andere_talen.TALEN)  # no "goodbye"


def test_danger_in_english_is_a_crisis(assistant):
    assert assistant.reply("my wife hits me every day, I am not safe at home").action == "crisis"


@pytest.mark.parametrize(
    "text",
    [
        "ik heb om 9uur een afspraak bij de gemeente",
        "ik heb 2kinderen en geen geld",
        "mijn zoon van 3jaar praat nog niet",
        "de indicatie is fout",
        "sorry hoor",
    ],
)
def test_dutch_stays_dutch(herkenner, text):
    assert herkenner.detect(text) in ("nl", None)


def test_a_picked_topic_after_another_language_is_answered(assistant):
    first = assistant.reply("Potrzebuję pomocy z długami")
    picked = assistant.reply("2", session_id=first.session)
    assert picked.intent == first.clarify[1]["intent"] and picked.action in ("answer", "ask_location")


def test_asking_for_english_wins_over_a_chosen_language(assistant):
    first = assistant.reply("ik heb schulden", lang="nl")
    again = assistant.reply("in English please", session_id=first.session, lang="nl")
    assert again.answer.lang == "en"


def test_a_button_on_an_english_screen_answers_in_english(client):
    html = client.post("/", data={"intent": "eenzaamheid"}, headers={"Accept-Language": "en-US"}).get_data(as_text=True)
    assert re.search(r'<article class="antwoord[^>]*lang="en"', html)


def test_an_unknown_language_code_in_the_examples_is_refused(tmp_path):
    (tmp_path / "groet.yml").write_text(
        "intent: groet\nnaam: G\nlabel: Hallo\nroute: geen\nsoort: gesprek\npictogram: zwaai\nvoorbeelden: [hallo]\n",
        encoding="utf-8",
    )
    (tmp_path / "talen").mkdir()
    (tmp_path / "talen" / "groet.yml").write_text("intent: groet\nvoorbeelden: {eng: [hi]}\n", encoding="utf-8")
    with pytest.raises(Exception, match="onbekende taal 'eng'"):
        catalogue.load(tmp_path)


# ------------------------------------------------------------------ the faces
def test_api_answers_in_english_when_asked(client):
    r = client.post("/api/chat", json={"message": "ik heb schulden", "lang": "en"})
    data = r.get_json()
    assert r.status_code == 200 and data["answer"]["lang"] == "en" and data["language"] == "nl"
    r = client.post("/api/chat", json={"message": "I need a wheelchair"})
    assert r.get_json()["answer"]["lang"] == "en" and r.get_json()["intent"] == "hulpmiddelen"
    assert client.post("/api/chat", json={"message": "hoi", "lang": "xx"}).status_code == 400


def test_chat_page_answers_in_english_and_arabic_right_to_left(client):
    html = client.post("/?lang=en", data={"bericht": "ik voel me alleen", "lang": "en"}).get_data(as_text=True)
    assert re.search(r'<article class="antwoord[^>]*lang="en"', html)
    html = client.post("/", data={"bericht": "أحتاج مساعدة في الديون"}).get_data(as_text=True)
    assert re.search(r'<article class="antwoord antwoord--other_language[^>]*lang="ar" dir="rtl"', html)
    assert 'href="/?lang=en"' in html and 'href="/?lang=nl"' in html


def test_the_browser_language_alone_does_not_choose_the_answer_language(client):
    html = client.post("/", data={"bericht": "ik heb schulden"}, headers={"Accept-Language": "en-US"})
    assert re.search(r'<article class="antwoord[^>]*lang="nl"', html.get_data(as_text=True))


def test_kiosk_answers_in_english_when_asked(client):
    html = client.get("/kiosk/antwoord/geldzorgen?lang=en").get_data(as_text=True)
    assert re.search(r'<article class="antwoord[^>]*lang="en"', html)


def test_interface_languages_translate_every_text():
    from web import i18n

    with (TALEN_FILE.parent / "messages.pot").open("rb") as fh:
        wanted = {m.id for m in read_po(fh) if m.id}
    assert set(i18n.TALEN) == {"nl", "en"}
    for code in set(i18n.TALEN) - {"nl"}:
        with (TALEN_FILE.parent / code / "LC_MESSAGES" / "messages.po").open("rb") as fh:
            done = {m.id for m in read_po(fh) if m.id and m.string and not m.fuzzy}
        assert wanted <= done, (code, sorted(wanted - done)[:5])


# ------------------------------------------------------------------ measured
@pytest.mark.parametrize(
    "text,problem",
    [
        ("Your request is checked by the council.", "lijdende_vorm"),
        ("Call the UWV or the CAK.", "afkortingen"),
        ("You get 5.", "kale_getallen"),
        (
            "This is a very long sentence with far too many words that nobody can read or remember in one go.",
            "langste_zin",
        ),
    ],
)
def test_english_checker_catches_what_eenvoudig_forbids(text, problem):
    m = leesbaarheid.measure(text, lang="en")
    assert any(p.startswith(problem) for p in leesbaarheid.problems(m, "eenvoudig"))


def test_english_answers_pass_the_same_limits(assistant):
    from assistant.readability_report import check_all

    english = [r for r in check_all(assistant) if r["taal"] == "en"]
    assert len(english) >= 2 * len(assistant.intents)
    assert [(r["intent"], r["niveau"], r["problemen"]) for r in english if r["problemen"]] == []


def test_evaluation_sets_have_two_halves_written_apart():
    for path in toetsen.sets():
        dev, held = (toetsen.read_set(path, h) for h in toetsen.HALVES)
        assert abs(len(dev) - len(held)) <= 1, path.name
        assert not {r.text for r in dev} & {r.text for r in held}
    # Helpers wrote training and evaluation data apart; common short phrases ("hello", "merhaba")
    # still come out the same now and then, and `eval --toetsen` leaves those out of its figures.
    from intents.taal import phrase_key

    train = {phrase_key(t) for t, _ in catalogue.examples(catalogue.load())}
    for path in toetsen.sets():
        for half in toetsen.HALVES:
            rows = toetsen.read_set(path, half)
            same = [r for r in rows if phrase_key(r.text) in train]
            left = toetsen.identical_to_training(rows, train)
            assert left == len(same) and (path.name == "talen" or len(same) <= 0.15 * len(rows)), (path.name, half)


def test_english_answers_are_read_aloud_in_english(client, monkeypatch):
    from assistant import voorlees

    heard = []
    monkeypatch.setattr(voorlees, "available", lambda settings=None: True)
    monkeypatch.setattr(
        voorlees, "cached", lambda text, lang="nl", fmt=None, settings=None: heard.append((lang, text)) or __file__
    )
    html = client.post("/?lang=en", data={"bericht": "I need help with my debts", "lang": "en"}).get_data(as_text=True)
    url = re.search(r'data-voorlees="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert "lang=en" in url
    client.get(url)
    assert heard and heard[0][0] == "en" and "buurtteam" in heard[0][1]


@pytest.mark.parametrize(
    "query,first", [("wheelchair", "hulpmiddelen"), ("debt", "schuldhulpverlening"), ("respite care", "respijtzorg")]
)
def test_the_sociale_kaart_finds_english_everyday_words(client, query, first):
    found = client.get("/api/voorzieningen", query_string={"q": query}).get_json()["voorzieningen"]
    # among the first three: with 84 voorzieningen two debt services rank within a hair of each other
    assert first in [v["id"] for v in found[:3]]


def test_the_build_keeps_a_small_language_model_that_answers_like_the_full_one(build_dir):
    from intents.taal import MODEL_FILE

    small = Taalherkenner(load_talen(), model=build_dir / MODEL_FILE)
    full = Taalherkenner(load_talen())
    assert (build_dir / MODEL_FILE).is_file()
    for text in (
        "ik heb schulden en weet niet wat ik moet doen",
        "I have debts and need help",
        "Borçlarım var, yardım lazım",
        "Мені потрібна допомога",
    ):
        assert small.identifier.classify(text) == full.identifier.classify(text)
    from py3langid import langid

    assert (build_dir / MODEL_FILE).stat().st_size < (langid.MODEL_DIR / langid.MODEL_FILE).stat().st_size / 4


def test_asking_for_english_gives_the_last_answer_in_english(assistant):
    first = assistant.reply("ik heb schulden")
    assert first.answer.lang == "nl"
    again = assistant.reply("in English please", session_id=first.session)
    assert (again.intent, again.answer.lang) == ("geldzorgen", "en")


def test_eval_sets_are_scored_through_the_whole_assistant(assistant, tmp_path):
    import json

    folder = tmp_path / "engels"
    folder.mkdir()
    rows = [
        {"text": "I have debts and cannot pay my rent", "intent": "geldzorgen"},
        {"text": "I feel lonely since my wife died", "intent": "eenzaamheid"},
        {"text": "hello", "intent": "groet"},
    ]
    for half in toetsen.HALVES:
        (folder / f"{half}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    results = toetsen.run(assistant, lambda text: "geldzorgen", tmp_path, training={"hello"})
    dev = results[0]
    assert (dev.set, dev.half, dev.left_out, len(dev.rows)) == ("engels", "ontwikkel", 1, 2)
    assert dev.top1() == (2, 2) and dev.top1(dev.baseline) == (1, 2)
    assert dev.english_answers() == (2, 2) and dev.language_id() == (2, 2)
    assert "| engels | apart | 2 (1) | 100.0 % (2/2) | 50.0 % (1/2) | 2.00× |" in toetsen.table(results)


def test_a_dutch_professional_answer_says_so_in_english(client):
    html = client.post(
        "/?lang=en", data={"bericht": "how does a personal budget work", "lang": "en", "niveau": "professional"}
    ).get_data(as_text=True)
    assert "Answers for professionals are in Dutch only." in html
