"""The intent files: each intent's kind (soort) is data, checked at load and against the contract."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from intents import catalogue
from intents.veiligheid import SafetyCheck
from knowledge import yamlio
from knowledge.schema import DataError

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
GROET = "intent: groet\nnaam: G\nlabel: Hallo\nroute: geen\n{soort}pictogram: zwaai\nvoorbeelden: [hallo]\n"


@pytest.mark.parametrize(
    "soort,message",
    [("soort: kletsen\n", "onbekende soort 'kletsen'"), ("", "ontbreekt"), ("soort: ''\n", "ontbreekt")],
)
def test_an_intent_without_a_known_kind_is_refused_naming_file_and_intent(tmp_path, soort, message):
    (tmp_path / "groet.yml").write_text(GROET.format(soort=soort), encoding="utf-8")
    for read in (catalogue.load, catalogue.kinds):
        with pytest.raises(DataError) as err:
            read(tmp_path)
        text = str(err.value)
        assert text.startswith("groet.yml: record groet, veld 'soort'") and message in text, text
        assert all(s in text for s in catalogue.SOORTEN)  # and what to choose instead


def test_every_intent_file_declares_its_kind():
    for path in sorted(catalogue.DATA_DIR.glob("*.yml")):
        assert yamlio.safe_load(path.read_text(encoding="utf-8")).get("soort") in catalogue.SOORTEN, path.name


def test_the_kinds_alone_are_the_kinds_of_the_loaded_intents(tmp_path):
    intents = catalogue.load()
    assert dict(catalogue.kinds()) == {iid: intent.soort for iid, intent in intents.items()}
    assert catalogue.of_kind(intents, *catalogue.TOPICS) == {i for i, intent in intents.items() if intent.is_topic}
    # a kind changed in a copy of the data is the copy's kind
    folder = tmp_path / "data"
    shutil.copytree(catalogue.DATA_DIR, folder)
    path = folder / "maaltijden.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("soort: probleem", "soort: onderwerp"), encoding="utf-8")
    assert catalogue.kinds(folder)["maaltijden"] == "onderwerp" == catalogue.load(folder)["maaltijden"].soort


def test_the_crisis_intents_are_the_ones_the_safety_check_answers_with():
    crisis = catalogue.of_kind(catalogue.load(), "crisis")
    assert set(SafetyCheck.load().intents.values()) == crisis
    assert all(catalogue.load()[i].route == "crisis" for i in crisis)


def _taxonomy() -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """The taxonomy's intents, and the heading each one stands under ("veiligheid", "gesprek", ...)."""
    path = SHARED / "taxonomy.yaml"
    if not path.exists():
        pytest.skip("../shared/taxonomy.yaml is not beside this clone")
    text = path.read_text(encoding="utf-8")
    heading, under = "", {}
    for line in text.splitlines():
        if m := re.match(r"\s*# -+ (.+?)\s*$", line):
            heading = m.group(1)
        elif m := re.match(r"\s*- id:\s*([a-z_]+)", line):
            under[m.group(1)] = heading
    return {r["id"]: r for r in yamlio.safe_load(text)["intents"]}, under


def test_the_kinds_follow_the_taxonomy_contract():
    """The contract has no kind field; it says it by route (crisis: safety first) and by heading:
    the crisis intents stand under "veiligheid", small talk and dialogue control under "gesprek"."""
    contract, heading = _taxonomy()
    kinds = catalogue.kinds()
    assert {"veiligheid", "gesprek"} <= set(heading.values())
    for iid, rec in contract.items():
        assert (kinds[iid] == "crisis") == (rec["route"] == "crisis") == (heading[iid] == "veiligheid"), iid
        assert (kinds[iid] == "gesprek") == (heading[iid] == "gesprek"), iid
