"""The one Dutch text module: its word lists come from woorden.yml, and search, matcher, locator and
dialogue use those same lists and the same corrector."""

from __future__ import annotations

import pytest

from knowledge import text
from knowledge.schema import DataError


def test_the_word_lists_are_checked(tmp_path):
    good = text.WORDS_FILE.read_text(encoding="utf-8")
    bad = tmp_path / "woorden.yml"
    bad.write_text(good.replace("voegwoorden: [en,", "voegwoorden: [En,"), encoding="utf-8")
    with pytest.raises(DataError, match="voegwoorden.*kleine letters"):
        text._word_lists(bad)
    bad.write_text(good + "\nextra: [x]\n", encoding="utf-8")
    with pytest.raises(DataError, match="moet precies deze lijsten hebben"):
        text._word_lists(bad)


def test_a_message_splits_at_the_conjunctions_of_the_list():
    parts = [p.strip() for p in text.CLAUSE_SPLIT.split("ik heb schulden en mijn moeder is ziek") if p.strip()]
    assert parts == ["ik heb schulden", "mijn moeder is ziek"]


def test_one_corrector_prefers_the_index_then_the_language(kb):
    lexicon, vocabulary = kb.lexicon, sorted(kb.vocabulary)
    # the index holds "huishoudelijke", the language "huishoudelijk": a search goes to the index's word
    assert "huishoudelik" not in kb.vocabulary and "huishoudelijke" in kb.vocabulary
    assert lexicon.correct_towards("huishoudelik", vocabulary, kb.vocabulary) == "huishoudelijke"
    assert kb.analyser.correct("huishoudelik") == "huishoudelijke"  # search uses this very corrector
    assert lexicon.correct_towards("huishoudelik", [], set()) == lexicon.correct("huishoudelik") == "huishoudelijk"


def test_a_stopword_is_never_read_as_a_misspelled_place(kb):
    # "zonder" is one edit from no wijk, but the pair "wonen zonder" must not be fuzzily matched either
    assert {"zonder", "onder", "zullen"} <= text.NOT_A_PLACE
    assert kb.locator.find("ik wil wonen zonder zorgen") is None


def test_only_a_place_means_only_a_place(assistant):
    first = assistant.reply("ik heb schulden")
    follow = assistant.reply("en in Zuilen?", session_id=first.session)
    assert follow.action == "contact"
    other = assistant.reply("ik wil niet in Zuilen wonen", session_id=first.session)
    assert other.action != "contact"  # "niet" and "wil" say more than a place


@pytest.mark.parametrize(
    "message",
    [
        "Ik heb schulden en mijn moeder woont in Zuilen, wat nu?",
        "ik wil niet meer leven",
        "Can I get help with my rent in Overvecht?",
        "mijn buurvrouw is erg alleen. Ze woont in Lombok. Wat kan ik doen?",
        "Ik heb schulden. En mijn moeder is ziek. Ze woont in Zuilen, ik weet niet wat ik moet doen! Help",
    ],
)
def test_a_turn_folds_and_normalises_the_message_once(assistant, message):
    """One analysis per message: no step folds or normalises the same text again (the caches count)."""
    assistant.reply("hallo")  # models and lists loaded
    text.fold.cache_clear()
    text.normalise.cache_clear()
    assistant.reply(message)
    assert text.fold.cache_info().hits == 0
    assert text.normalise.cache_info().hits == 0


def test_the_steps_of_a_turn_share_the_analysis(assistant):
    bericht = assistant.matcher.analyse("Kan ik in Zuilen hulp krijgen met mijn schulden?")
    pred = assistant.matcher.predict(bericht)
    assert pred.locatie == bericht.locatie and pred.locatie.wijk == "noordwest"
    assert pred.taal == bericht.taal == "nl"
    assert bericht.words[:3] == ["kan", "ik", "in"]
