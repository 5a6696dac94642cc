"""Truthful content: every fact points at seed lines that really say it; demo data is marked."""

from __future__ import annotations

import re

import pytest

from knowledge import config
from knowledge.schema import PHONE_RE
from knowledge.sources import load
from knowledge.text import fold

SRC = load()


def seed_text(bron: dict, margin: int = 2) -> str:
    lines = (config.seeds_dir() / bron["bestand"]).read_text(encoding="utf-8").splitlines()
    start, _, end = str(bron["regels"]).partition("-")
    start, end = int(start), int(end or start)
    return " ".join(lines[max(0, start - 1 - margin) : end + margin])


def squash(text: str) -> str:
    text = fold(text).replace("\u00ad", "")
    text = re.sub(r"-\s+", "", text)  # words broken over a line end
    return re.sub(r"[^a-z0-9€]+", " ", text).strip()


@pytest.mark.skipif(not config.seeds_dir().is_dir(), reason="seeds not available")
@pytest.mark.parametrize("regel", SRC["regels"], ids=lambda r: r["id"])
def test_bronzin_is_in_the_cited_lines(regel):
    haystack = " ".join(squash(seed_text(b)) for b in regel["bron"])
    for part in regel["bronzin"].split("..."):
        part = squash(part.replace("…", " "))
        if len(part) > 3:
            assert part in haystack, f"{regel['id']}: {part!r} staat niet in {regel['bron']}"


NATIONAL = {"112", "113", "0800-0113", "0800-2000"}


DEMO_PHONE = re.compile(r"0[0-9]{2,3} 000 [0-9]{4}")  # an area code, then 000: no real subscriber


def contacts() -> list[tuple[str, dict, dict]]:
    """(id, contact details, the record they belong to) for every team and every place's contact block."""
    teams = [(t["id"], t, t) for t in SRC["buurtteams"]]
    places = [(v["id"], v["contact"], v) for v in SRC["voorzieningen"] if v.get("contact")]
    return teams + places


def test_contact_details_are_sourced_or_plainly_made_up():
    """A gemeente's own data may hold real numbers, with their source; made-up ones never look real."""
    assert contacts()
    for rid, c, rec in contacts():
        if c.get("status") == "voorbeeld":
            assert not c.get("telefoon") or DEMO_PHONE.fullmatch(c["telefoon"]), (rid, c["telefoon"])
            assert not c.get("email") or c["email"].endswith(".invalid"), rid
            assert not c.get("adres") or c["adres"]["straat"].startswith("Voorbeeld"), rid
        else:
            assert rec.get("bron"), f"{rid}: echte contactgegevens zonder bron"


def test_the_demo_rule_catches_a_real_looking_number():
    assert DEMO_PHONE.fullmatch("030 000 0100") and DEMO_PHONE.fullmatch("0343 000 0001")
    assert not DEMO_PHONE.fullmatch("030 286 0000") and not DEMO_PHONE.fullmatch("030 0001234")


def test_phone_pattern_accepts_national_numbers():
    for n in NATIONAL:
        assert PHONE_RE.match(n)


def test_every_wijk_carries_the_status_of_the_postcode_table(kb):
    # Whether the gemeente's postcode table is real or an approximation, every wijk page says which.
    assert SRC.gemeente["postcodes_status"] in ("voorbeeld", "bron")
    assert {w["postcodes_status"] for w in kb.wijken()} == {SRC.gemeente["postcodes_status"]}


@pytest.mark.parametrize("v", SRC["voorzieningen"], ids=lambda v: v["id"])
def test_voorziening_complete(v):
    for field in (
        "naam",
        "korte_uitleg",
        "uitleg",
        "voor_wie",
        "toegangsroute",
        "hoe_krijg_je_het",
        "kosten",
        "organisatie",
        "doelgroepen",
        "themas",
        "pictogram",
        "bron",
    ):
        assert v.get(field), field


def test_every_cited_source_file_has_a_title_and_a_year(kb):
    cited = {b["bestand"] for v in kb.voorzieningen() for b in v["bron"]} | {
        b["bestand"] for r in kb.regels() for b in r["bron"]
    }
    assert cited <= set(kb.bronnen()) == set(SRC.bronnen)
    for meta in kb.bronnen().values():
        assert meta["titel"] and 1990 <= meta["jaar"] <= 2100
    assert (
        kb.bron_label({"bestand": "002_3e3720c9e1c4b730.txt", "regels": "1-2"})
        == "Wmo-beleidskader Met elkaar, voor elkaar (2009), r. 1-2"
    )


def test_a_source_file_not_in_the_list_of_sources_is_refused(data_copy):
    from knowledge.schema import DataError

    path = data_copy / "regels.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("001_c1d20d681c973607.txt", "999_onbekend.txt", 1), encoding="utf-8"
    )
    with pytest.raises(DataError, match="onbekend bronbestand"):
        load(data_copy)
