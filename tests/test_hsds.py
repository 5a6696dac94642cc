"""HSDS 3.0 in and out: the export validates against the official descriptor, the official example
imports, our own export comes back exactly, and a bad package changes nothing."""

from __future__ import annotations

import csv
import json
import re
import shutil
import uuid
from pathlib import Path

import frictionless
import jsonschema
import pytest

from knowledge import hsds
from knowledge.sources import FILES, KAART, load
from web.main import main

ROOT = Path(__file__).resolve().parent.parent
OFFICIAL = ROOT.parent / "shared" / "hsds-3.0"
needs_official = pytest.mark.skipif(not OFFICIAL.is_dir(), reason="../shared/hsds-3.0 not available")


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("hsds")
    hsds.export(load(), out, "csv")
    return out


def rows(folder: Path, file: str) -> list[dict]:
    with (folder / file).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@needs_official
def test_the_vendored_descriptor_is_the_official_one():
    assert hsds.DESCRIPTOR.read_bytes() == (OFFICIAL / "datapackage.json").read_bytes()


@needs_official
def test_export_validates_against_the_official_descriptor_foreign_keys_included(exported):
    official = json.loads((OFFICIAL / "datapackage.json").read_text(encoding="utf-8"))
    report = frictionless.Package(official, basepath=str(exported)).validate()
    errors = [f"{t.name}: {e.message}" for t in report.tasks for e in t.errors] + [e.message for e in report.errors]
    assert report.valid, errors[:10]
    assert {t.name for t in report.tasks} == {r["name"] for r in official["resources"]}


def test_export_uses_the_official_file_and_field_names(exported):
    for res in hsds.official_resources():
        with (exported / res["path"]).open(encoding="utf-8") as fh:
            assert next(csv.reader(fh)) == [f["name"] for f in res["schema"]["fields"]], res["path"]


def test_ids_are_uuids_and_stable_across_exports(exported, tmp_path):
    hsds.export(load(), tmp_path, "csv")
    for file in ("organizations.csv", "services.csv", "attributes.csv", "taxonomy_terms.csv", "phones.csv"):
        first, again = rows(exported, file), rows(tmp_path, file)
        assert first == again, file
        for row in first:
            assert str(uuid.UUID(row["id"])) == row["id"]


def test_at_least_80_services_and_every_one_sourced(exported):
    services = rows(exported, "services.csv")
    assert len(services) >= 80
    terms = {t["id"]: t["code"] for t in rows(exported, "taxonomy_terms.csv")}
    sourced = {
        a["link_id"] for a in rows(exported, "attributes.csv") if terms[a["taxonomy_term_id"]].startswith("bron:")
    }
    unsourced = [s["name"] for s in services if s["id"] not in sourced]
    assert not unsourced


def test_buurtteams_travel_as_services_at_a_location_with_phone_and_hours(exported):
    teams = [s for s in rows(exported, "services.csv") if s["name"].startswith("Buurtteam Sociaal ")]
    assert teams
    sal = {r["service_id"]: r for r in rows(exported, "service_at_location.csv")}
    phones = {r["service_id"]: r for r in rows(exported, "phones.csv")}
    schedules = {r["service_at_location_id"] for r in rows(exported, "schedules.csv")}
    for team in teams:
        assert sal[team["id"]]["id"] in schedules
        assert "demo" in phones[team["id"]]["description"]  # demo numbers say so, also in HSDS


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_own_export_round_trips_exactly(tmp_path, fmt):
    original = load()
    hsds.export(original, tmp_path / "pakket", fmt)
    back, extra_bron = hsds.read(tmp_path / "pakket", replace=True)
    assert extra_bron is None
    for name in KAART:
        assert back[name] == original[name], name


def test_round_trip_through_the_editors_files(runner, tmp_path, data_copy):
    original = load()
    out = tmp_path / "pakket"
    assert runner.invoke(main, ["export", str(out)]).exit_code == 0
    (data_copy / "regels.yaml").write_text("[]\n", encoding="utf-8")  # replaced, not merged
    result = runner.invoke(main, ["import", str(out), "--naar", str(data_copy), "--vervang"])
    assert result.exit_code == 0, result.output
    again = load(data_copy)
    for name in FILES:
        assert again[name] == original[name], name


def test_json_form_services_validate_against_the_official_schema(tmp_path):
    hsds.export(load(), tmp_path, "json")
    doc = json.loads((tmp_path / "hsds.json").read_text(encoding="utf-8"))
    schema = json.loads((hsds.DESCRIPTOR.parent / "service_with_definitions.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    assert len(doc["services"]) >= 80
    for service in doc["services"]:
        errors = [e.message for e in validator.iter_errors(service)]
        assert not errors, (service["name"], errors[:3])


@needs_official
def test_the_official_example_imports(runner, data_copy):
    result = runner.invoke(main, ["import", str(OFFICIAL / "examples" / "csv"), "--naar", str(data_copy)])
    assert result.exit_code == 0, result.output
    src = load(data_copy)
    v = next(v for v in src["voorzieningen"] if v["naam"] == "Community Counselling")
    assert v["toegangsroute"] == "onbekend" and v["wijken"] == ["alle"]
    assert v["contact"]["telefoon"] == "+44 1234 234567" and v["contact"]["status"] == "bron"
    assert {"dag": "donderdag", "open": "10:00", "dicht": "18:00"} in v["contact"]["openingstijden"]
    assert src.bronnen[v["bron"][0]["bestand"]]["soort"] == "datapakket"
    assert len(src["voorzieningen"]) == len(load()["voorzieningen"]) + 1  # merged: nothing else lost


@needs_official
@pytest.mark.parametrize("example", ["service_full.json", "service_list.json"])
def test_the_official_json_examples_import(tmp_path, data_copy, example):
    shutil.copy(OFFICIAL / "examples" / example, tmp_path / example)
    src, extra = hsds.read(tmp_path / example, data_copy)
    assert any(v["naam"] == "Community Counselling" for v in src["voorzieningen"])
    assert extra and extra["soort"] == "datapakket"


def test_bad_package_writes_nothing(runner, tmp_path, data_copy):
    out = tmp_path / "pakket"
    hsds.export(load(), out, "csv")
    services = (out / "services.csv").read_text(encoding="utf-8").splitlines()
    services[1] = re.sub(r"^[^,]+,", "geen-uuid,", services[1])
    (out / "services.csv").write_text("\n".join(services) + "\n", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in data_copy.iterdir()}
    result = runner.invoke(main, ["import", str(out), "--naar", str(data_copy)])
    assert result.exit_code == 1
    assert "Niets geïmporteerd" in result.output and "HSDS 3.0" in result.output
    assert {p.name: p.read_bytes() for p in data_copy.iterdir()} == before


def test_an_unreadable_package_is_refused_with_a_message(runner, tmp_path, data_copy):
    (tmp_path / "datapackage.json").write_text("{niet json", encoding="utf-8")
    result = runner.invoke(main, ["import", str(tmp_path), "--naar", str(data_copy)])
    assert result.exit_code == 1 and "kan het pakket niet lezen" in result.output


def test_every_buurtwijzer_term_is_documented():
    doc = (ROOT / "docs" / "hsds.md").read_text(encoding="utf-8")
    for field in hsds.FIELDS:
        assert f"`{field}`" in doc, field
