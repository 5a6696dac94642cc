"""The record types: what they check, and that every field reaches each place that writes records out."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io

import pytest

from knowledge import records
from knowledge.records import Buurtteam, Voorziening
from knowledge.schema import DataError
from knowledge.sources import load
from web import openapi
from web.app import create_app


@pytest.fixture(scope="module")
def client(assistant):
    return create_app({"ASSISTANT": assistant, "TESTING": True, "BW_RATELIMIT": None}).test_client()


def test_an_unknown_field_is_refused_by_name(data_copy):
    path = data_copy / "voorzieningen.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  naam: Wmo-loket\n", "  naam: Wmo-loket\n  wachtijd: twee weken\n", 1), "utf-8")
    with pytest.raises(DataError, match=r"wmo-loket.*veld 'wachtijd': onbekend veld; de velden zijn: id, naam"):
        load(data_copy)


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("voorzieningen.yaml", "toegangsroute: via_wmo_loket", "toegangsroute: via_de_buren", "onbekende waarde"),
        ("voorzieningen.yaml", "pictogram: loket", "pictogram: 12", "onbekende waarde 12"),
        ("regels.yaml", "themas: [", "themas: [katten, ", "onbekende waarde 'katten'"),
        ("wijken.yaml", "naam: West", "naam: [West]", "moet tekst zijn"),
    ],
)
def test_each_field_is_checked_by_its_type(data_copy, file, old, new, message):
    path = data_copy / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError, match=message):
        load(data_copy)


def test_a_record_reads_as_the_mapping_of_its_filled_in_fields(kb):
    v = dataclasses.replace(kb.voorziening("buurtteam-sociaal"), laatst_gecontroleerd=dt.date(2026, 3, 1))
    assert v["naam"] == v.naam == "Buurtteam Sociaal"
    assert v.contact is None and "contact" not in v and v.get("contact") is None
    with pytest.raises(KeyError):
        v["contact"]
    assert records.to_json(v)["laatst_gecontroleerd"] == "2026-03-01"
    assert records.to_json(v, only=("naam", "id")) == {"id": "buurtteam-sociaal", "naam": "Buurtteam Sociaal"}
    assert Voorziening.from_dict({**v, "pos": 3}) == v  # a storage column is not a field


def test_a_record_without_a_required_field_cannot_be_made(kb):
    data = dict(kb.voorziening("buurtteam-sociaal"))
    del data["kosten"]
    with pytest.raises(TypeError, match="kosten"):
        Voorziening.from_dict(data)


def test_every_api_field_in_the_data_reaches_the_api(kb, client):
    served = {v.id: records.to_json(v) for v in kb.voorzieningen()}
    api = {v["id"]: v for v in client.get("/api/voorzieningen").get_json()["voorzieningen"]}
    assert api.keys() == served.keys()
    unfilled = []
    for name in records.fields(Voorziening, api=True):
        filled = [i for i, v in served.items() if name in v]
        assert all(api[i][name] == served[i][name] for i in filled), name
        unfilled += [] if filled else [name]
    for name in records.fields(Voorziening, api=False):
        assert not any(name in v for v in api.values()), name
    # A field no record fills yet (nobody has checked a record with its organisation) travels too.
    assert unfilled == ["laatst_gecontroleerd"]
    checked = dataclasses.replace(kb.voorziening("wmo-loket"), laatst_gecontroleerd=dt.date(2026, 3, 1))
    assert openapi.voorziening_json(checked)["laatst_gecontroleerd"] == "2026-03-01"


def test_every_export_field_is_a_column_of_the_download(kb, client):
    rows = list(csv.DictReader(io.StringIO(client.get("/kaart/export.csv").get_data(as_text=True))))
    assert tuple(rows[0]) == records.fields(Voorziening, export=True)
    by_id = {r["id"]: r for r in rows}
    for v in kb.voorzieningen():
        assert by_id[v.id]["kosten"] == v.kosten


def test_the_chat_and_the_api_show_a_team_the_same_way(kb, client, assistant):
    api = client.get("/api/buurtteam?postcode=3563").get_json()["teams"][0]
    team = next(t for t in kb.buurtteams() if t.id == api["id"])
    assert api == records.team_card(team)
    assert set(api) == {*records.fields(Buurtteam, api=True), "tel", "demo"}
    reply = assistant.reply("ik wil een mens spreken", postcode="3563")
    assert reply.route["contact"]["buurtteam"] == api


def test_a_place_card_has_the_shape_of_a_team_card(kb):
    loket = kb.voorziening("wmo-loket")
    assert loket is not None and loket.contact
    team = records.team_card(kb.buurtteams()[0])
    place = records.place_card(loket)
    shared = {"id", "naam", "adres", "telefoon", "tel", "email", "inloop", "openingstijden", "demo"}
    assert shared <= set(team) and shared <= set(place)
