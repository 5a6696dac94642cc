"""Finding the buurtteam by postcode, wijk or buurt name."""

from __future__ import annotations

import json

import pytest

from knowledge.locaties import parse_postcode
from web.main import main


@pytest.mark.parametrize(
    "query,wijk",
    [
        ("3563", "overvecht"),
        ("3563 AB", "overvecht"),
        ("3563ab", "overvecht"),
        ("Zuilen", "noordwest"),
        ("Kanaleneiland", "zuidwest"),
        ("Lombok", "west"),
        ("overvecht", "overvecht"),
        ("Leidsche Rijn", "leidsche-rijn"),
        ("Vleuten", "vleuten-de-meern"),
        ("ik woon in kanaleneilant", "zuidwest"),
    ],
)
def test_lookup(kb, query, wijk):
    found = kb.buurtteam(query)
    assert found is not None and found.wijk["id"] == wijk
    assert {t["soort"] for t in found.teams} == {"sociaal", "jeugd_gezin"}


@pytest.mark.parametrize("query", ["9999", "Amsterdam", "", "1234 AB"])
def test_unknown_places(kb, query):
    assert kb.buurtteam(query) is None


@pytest.mark.parametrize(
    "text,pc4", [("3563 AB", "3563"), ("postcode 3511AA graag", "3511"), ("35631", None), ("geen", None)]
)
def test_parse_postcode(text, pc4):
    assert parse_postcode(text) == pc4


def test_every_wijk_has_both_teams(kb):
    for w in kb.wijken():
        assert [t["soort"] for t in kb.teams_voor_wijk(w["id"])] == ["sociaal", "jeugd_gezin"]


def test_cli_shows_demo_label(runner):
    result = runner.invoke(main, ["buurtteam", "3563"])
    assert result.exit_code == 0
    assert "Overvecht" in result.output
    assert "voorbeeldgegevens" in result.output


def test_cli_json(runner):
    result = runner.invoke(main, ["buurtteam", "Lombok", "--json"])
    data = json.loads(result.output)
    assert data["wijk"] == "west" and data["demo"] is True and len(data["teams"]) == 2


def test_cli_unknown_is_clear(runner):
    result = runner.invoke(main, ["buurtteam", "Atlantis"])
    assert result.exit_code == 1
    assert "Geen wijk gevonden" in result.output


@pytest.mark.parametrize(
    "text",
    [
        "terwijl de buren schreeuwen",
        "ik help wie vrouwen zoekt",
        "hij wenst hulp",
        "ik wil verhuizen",
        "mijn moeder moet huilen",
        "ik zit in het zuiden van het land",
    ],
)
def test_ordinary_words_are_not_places(kb, text):
    assert kb.locator.find(text) is None


@pytest.mark.parametrize(
    "text,wijk", [("ik woon in overvegt", "overvecht"), ("lunettn", "zuid"), ("leidse rijn", "leidsche-rijn")]
)
def test_misspelled_places(kb, text, wijk):
    assert kb.locator.find(text).wijk == wijk
