"""HSDS-style data package: export and import lose nothing, and bad packages change nothing."""
from __future__ import annotations

import json

import pytest

from assistant.cli import main
from knowledge import datapackage
from knowledge.sources import FILES, load


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_round_trip(tmp_path, fmt):
    original = load()
    datapackage.export(original, tmp_path / "pakket", fmt)
    back = datapackage.read(tmp_path / "pakket")
    for name in FILES:
        assert back[name] == original[name], name
    # And through the editors' YAML files again.
    datapackage.write_sources(back, tmp_path / "yaml")
    again = load(tmp_path / "yaml")
    for name in FILES:
        assert again[name] == original[name], name


def test_descriptor_maps_to_hsds(tmp_path):
    datapackage.export(load(), tmp_path, "csv")
    desc = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    names = {r["name"]: r for r in desc["resources"]}
    assert names["voorzieningen"]["hsds"].startswith("service")
    assert (tmp_path / "voorzieningen.csv").exists()


def test_cli_export_import(runner, tmp_path):
    out = tmp_path / "pakket"
    assert runner.invoke(main, ["export", str(out), "--format", "csv"]).exit_code == 0
    result = runner.invoke(main, ["import", str(out), "--naar", str(tmp_path / "data")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "data").glob("*.yaml")) == sorted(FILES.values())


def test_bad_package_writes_nothing(runner, tmp_path):
    out = tmp_path / "pakket"
    datapackage.export(load(), out, "json")
    desc = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    desc["resources"][1]["data"][0]["postcodes"] = ["oops"]
    (out / "datapackage.json").write_text(json.dumps(desc), encoding="utf-8")
    target = tmp_path / "data"
    result = runner.invoke(main, ["import", str(out), "--naar", str(target)])
    assert result.exit_code == 1
    assert "Niets geïmporteerd" in result.output and "postcodes" in result.output
    assert not target.exists() or not list(target.iterdir())
