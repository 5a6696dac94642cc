"""Any gemeente: its profile is data. The fictional gemeente Beekdal builds, answers and shows its own kaart."""

from __future__ import annotations

import json

import frictionless
import pytest
from conftest import BEEKDAL_BUILD

from knowledge import hsds
from knowledge.profiel import read_postcodes
from knowledge.schema import DataError
from knowledge.sources import load
from web.main import main

WIJKEN = [{"id": "centrum", "naam": "Centrum"}, {"id": "beekkant", "naam": "Beekkant"}]


def table(tmp_path, text: str, bom: bool = False) -> dict:
    path = tmp_path / "postcodes.csv"
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return read_postcodes(path, WIJKEN)


def test_postcode_table_reads_pc4_pc6_ranges_names_and_any_separator(tmp_path):
    assert table(tmp_path, "postcode;wijk\n9901-9903;Centrum\n9910 ab;beekkant\n", bom=True) == {
        "9901": "centrum",
        "9902": "centrum",
        "9903": "centrum",
        "9910AB": "beekkant",
    }
    assert table(tmp_path, "wijk,postcode\nbeekkant,9911\n") == {"9911": "beekkant"}
    assert table(tmp_path, "Postcode\tWijk\n9912\tCENTRUM\n") == {"9912": "centrum"}


@pytest.mark.parametrize(
    "text,detail",
    [
        ("postcode;wijk\n99X1;centrum\n", "ongeldige postcode '99X1'"),
        ("postcode;wijk\n9901;atlantis\n", "onbekende wijk 'atlantis'"),
        ("postcode;wijk\n9901;centrum\n9901;beekkant\n", "9901 hoort al bij wijk centrum"),
        ("postcode;wijk\n9999-9901;centrum\n", "ongeldige reeks"),
        ("code;buurt\n9901;centrum\n", "'postcode' en 'wijk'"),
    ],
)
def test_a_bad_postcode_table_names_the_line(tmp_path, text, detail):
    with pytest.raises(DataError, match=detail):
        table(tmp_path, text)


def test_a_wijk_without_postcodes_is_refused(data_copy):
    (data_copy / "postcodes.csv").write_text("postcode;wijk\n3511;binnenstad\n", encoding="utf-8")
    with pytest.raises(DataError, match="geen postcode voor wijk"):
        load(data_copy)


def test_the_locator_knows_pc6_and_a_pc4_whose_pc6_lie_in_one_wijk():
    from knowledge.locaties import Locator

    loc = Locator(
        [
            {"id": "centrum", "naam": "Centrum", "buurten": [], "postcodes": ["9901", "9910AB"]},
            {"id": "beekkant", "naam": "Beekkant", "buurten": [], "postcodes": ["9910AC", "9911AA"]},
        ],
        lambda w: True,
    )
    assert loc.find("ik woon op 9910 ab").wijk == "centrum"
    assert loc.find("9910AC").wijk == "beekkant"
    assert loc.find("9911").wijk == "beekkant"  # all of 9911's PC6's lie in Beekkant
    assert loc.find("9910") is None  # 9910 is split: the letters are needed


@pytest.fixture(scope="module")
def beekdal(request):
    """Beekdal's data built into its own var folder with the real `buurtwijzer build` (conftest starts
    it early, in a process of its own); the module's tests then run with Beekdal's folders."""
    build = request.config.stash.get(BEEKDAL_BUILD, None)
    assert build is not None, "conftest starts Beekdal's build for every test that uses this fixture"
    build.wait()
    mp = pytest.MonkeyPatch()
    mp.setenv("BUURTWIJZER_DATA", str(build.data))
    mp.setenv("BUURTWIJZER_VAR", str(build.var))
    from assistant.dialogue import Assistant
    from assistant.session import MemorySessionStore

    yield build.data, build.var, Assistant.load(build.var / "current", sessions=MemorySessionStore())
    mp.undo()


def test_beekdal_answers_with_its_own_name_teams_and_wijken(beekdal):
    _, _, a = beekdal
    assert "Beekdal" in a.reply("hallo").answer.text
    reply = a.reply("ik heb schulden en ik woon op 9910 AB")
    assert reply.wijk == "beekkant"
    assert reply.route["contact"]["buurtteam"]["naam"] == "Buurtteam Beekkant"
    assert "schuldhulp-beekdal" in reply.voorzieningen
    assert a.kb.buurtteam("9902").wijk["naam"] == "Centrum"
    assert a.kb.buurtteam("Molenveld").teams[0]["id"] == "buurtteam-beekkant"


def test_beekdal_shows_its_kaart_with_freshness_and_a_wijk_filter_that_narrows(beekdal):
    from web.app import create_app

    _, var, a = beekdal
    client = create_app({"TESTING": True, "ASSISTANT": a}).test_client()
    page = client.get("/kaart/").get_data(as_text=True)
    assert "Sociale kaart Beekdal" in page
    centrum = client.get("/kaart/?wijk=centrum").get_data(as_text=True)
    assert "Ontmoetingsplek Molenveld" not in centrum and "Schuldhulp Beekdal" in centrum
    detail = client.get("/kaart/voorziening/ontmoeting-molenveld").get_data(as_text=True)
    assert "Mogelijk verouderd" in detail and "2015" in detail  # older than Beekdal's 3 years
    fresh = client.get("/kaart/voorziening/schuldhulp-beekdal").get_data(as_text=True)
    assert "Mogelijk verouderd" not in fresh and "Hele stad" in fresh


def test_beekdal_controle_lists_the_old_record_and_the_topics_it_has_no_voorziening_for(beekdal, runner):
    result = runner.invoke(main, ["controle", "--json"])
    found = json.loads(result.output)
    assert [r["id"] for r in found["mogelijk_verouderd"]] == ["ontmoeting-molenveld"]
    assert any("'buurtteam-sociaal'" in line for line in found["ontbrekende_koppelingen"])


def test_beekdal_exports_valid_hsds(beekdal, tmp_path):
    data, _, _ = beekdal
    hsds.export(load(data), tmp_path, "csv")
    report = frictionless.Package(json.loads(hsds.DESCRIPTOR.read_text()), basepath=str(tmp_path)).validate()
    assert report.valid
    areas = (tmp_path / "service_areas.csv").read_text(encoding="utf-8")
    assert "Beekkant" in areas and "Beekdal" in areas


def test_utrecht_topics_and_answers_link_only_to_what_the_kaart_holds(runner, monkeypatch):
    monkeypatch.delenv("BUURTWIJZER_DATA", raising=False)  # Utrecht's own data, not Beekdal's
    result = runner.invoke(main, ["controle", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.output)["ontbrekende_koppelingen"] == []
