"""`buurtwijzer zoek`: Dutch stemming, compounds, synonyms, typos and filters."""

from __future__ import annotations

import json

import pytest

from web.main import main


def ids(kb, text, **filters):
    return [h.id for h in kb.zoek(text, **filters)]


def top(kb, text, n=3, **filters):
    return ids(kb, text, **filters)[:n]


def test_plain_word(kb):
    assert "hulp-bij-het-huishouden" in top(kb, "huishouden")


def test_stemming_finds_inflected_forms(kb):
    # 'rolstoelen' (plural) and 'huishoudelijke' (adjective) reach the base forms.
    assert "hulpmiddelen" in top(kb, "rolstoelen", n=5)
    assert "hulp-bij-het-huishouden" in top(kb, "huishoudelijke hulp")


def test_compound_is_split(kb):
    # The compound is not in any text, its parts are.
    found = top(kb, "mantelzorgondersteuningsaanbod", n=5)
    assert "mantelzorgondersteuning" in found
    # And a part finds the compound.
    assert "mantelzorgondersteuning" in top(kb, "mantelzorg", n=5)


def test_affixes_are_not_compound_parts(kb):
    # verslaving is not ver + sla + ving, huiselijk not huis + lijk: such fragments matched
    # unrelated voorzieningen (vervoer, huishouden) and made every search at scale slower.
    assert kb.lexicon.split("begeleiding", strict=True) == ()
    assert kb.lexicon.split("mantelzorgondersteuning", strict=True) == ("mantelzorg", "ondersteuning")
    assert "wmo-vervoer" not in ids(kb, "verslaving")
    assert "hulp-bij-het-huishouden" not in ids(kb, "huiselijk geweld")


def test_a_known_compound_is_not_searched_by_its_everyday_parts(kb):
    # Much of the kaart says 'huis': hulp bij het huishouden must not bring up what only shares
    # that part, while a telling part still counts (vrijwilligers -> vrijwilligerscentrale).
    assert "voorkom-huisuitzetting" not in ids(kb, "hulp bij het huishouden")
    assert "vrijwilligerscentrale" in top(kb, "vrijwilligerswerk", n=3)


@pytest.mark.parametrize(
    "everyday,expected",
    [
        ("poetshulp", "hulp-bij-het-huishouden"),
        ("regiotaxi", "wmo-vervoer"),
        ("scootmobiel", "hulpmiddelen"),
    ],
)
def test_synonyms(kb, everyday, expected):
    assert expected in top(kb, everyday, n=3)


# What a professional types into the kaart: a condition, a symptom, a wish, a problem. Each reaches its
# voorziening through the trefwoorden, the synonyms (synoniemen.yaml) or the parts of a compound, in
# whichever engine serves the KB (make test-postgres runs these against PostgreSQL).
@pytest.mark.parametrize(
    "query,expected,n",
    [
        ("dementie", "casemanager-dementie", 1),
        ("geheugenproblemen", "casemanager-dementie", 1),  # a trefwoord
        ("geheugenverlies", "casemanager-dementie", 1),  # a compound: geheugen + verlies
        ("dementerend", "casemanager-dementie", 1),  # a synonym of dementie
        ("mantelzorger even vrij", "respijtzorg", 5),  # synonyms: mantelzorger, even vrij van zorg
        ("schulden", "schuldhulpverlening", 2),
        ("deurwaarder", "schuldhulpverlening", 3),  # a synonym of schulden
        ("schuldenlast", "schuldhulpverlening", 3),
        ("armoede", "schuldhulpverlening", 5),
        ("eenzaam", "eenzaamheid-contactberoepen", 3),
        ("vereenzaming", "utrecht-omarmt", 3),  # a synonym of eenzaamheid
    ],
)
def test_the_words_professionals_search_with(kb, query, expected, n):
    assert expected in top(kb, query, n=n, limit=None)


@pytest.mark.parametrize(
    "typo,expected",
    [
        ("huishoudelyke hulp", "hulp-bij-het-huishouden"),
        ("mantelzrog", "mantelzorgondersteuning"),
        ("dagbesteeding", "dagbegeleiding"),
    ],
)
def test_typos(kb, typo, expected):
    assert expected in top(kb, typo, n=5)


def test_filter_doelgroep(kb):
    hits = ids(kb, "hulp", doelgroep="mantelzorgers")
    assert hits
    for v in kb.voorzieningen(hits):
        assert "mantelzorgers" in v["doelgroepen"]


def test_filter_wijk_keeps_citywide_and_local(kb):
    for v in kb.voorzieningen(ids(kb, "", wijk="overvecht", limit=None)):
        assert "alle" in v["wijken"] or "overvecht" in v["wijken"]


def test_no_hits_for_nonsense(kb):
    assert ids(kb, "xqzvbnm") == []


def test_cli_json(runner):
    result = runner.invoke(main, ["zoek", "huishouden", "--wijk", "Overvecht", "--doelgroep", "ouderen", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows and all({"id", "naam", "bron"} <= set(r) for r in rows)


def test_cli_unknown_wijk_is_clear(runner):
    result = runner.invoke(main, ["zoek", "huishouden", "--wijk", "Atlantis"])
    assert result.exit_code == 2
    assert "onbekende wijk" in result.output


def test_threads_searching_at_once_get_the_same_results(kb):
    from concurrent.futures import ThreadPoolExecutor

    queries = ["schulden", "mantelzorg", "hulp bij het huishouden", "eenzaam", "scootmobiel", "opvang"] * 5
    expected = {q: kb.zoek(q) for q in set(queries)}
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(kb.zoek, queries))
    assert results == [expected[q] for q in queries]
    assert all(expected.values())
