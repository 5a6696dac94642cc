"""One typed Settings, read at the roots and passed in (knowledge/settings.py); the README lists them."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from knowledge.settings import DEFAULT_LIMIT, LOCAL_HOSTS, PROJECT_ROOT, Settings, SettingsError
from web.main import main

ROOT = Path(__file__).resolve().parent.parent


def test_defaults():
    s = Settings.load({})
    assert s == Settings()
    assert s.file is None and s.database_url is None and s.public_url is None
    assert s.data == PROJECT_ROOT / "knowledge" / "data" and s.var == PROJECT_ROOT / "var"
    assert s.seeds == PROJECT_ROOT.parent / "shared" / "seeds"
    assert (s.sessie_minuten, s.gemist, s.gemist_dagen, s.proxies, s.kiosk_stil) == (30, True, 30, 0, 90)
    assert (s.stem, s.espeak, s.opusenc, s.kiosk_taal) == ("nl", "espeak-ng", "opusenc", "nl")
    assert s.ratelimit == DEFAULT_LIMIT and s.ratelimit_overig == "300/minute;3000/hour"
    assert s.hosts == LOCAL_HOSTS


def test_the_environment_overrides_the_defaults(tmp_path):
    s = Settings.load(
        {
            "BUURTWIJZER_VAR": str(tmp_path),
            "BUURTWIJZER_DATABASE_URL": "postgresql://bw@db/bw",
            "BUURTWIJZER_SESSIE_MINUTEN": " 5 ",
            "BUURTWIJZER_GEMIST": "uit",
            "BUURTWIJZER_GEMIST_DAGEN": "0",
            "BUURTWIJZER_RATELIMIT": "off",
            "BUURTWIJZER_PROXIES": "2",
            "BUURTWIJZER_HOSTS": "Buurtwijzer.Utrecht.nl, ,localhost",
            "BUURTWIJZER_PUBLIC_URL": " https://buurtwijzer.utrecht.nl/ ",
            "BUURTWIJZER_KIOSK_STIL": "120",
            "BUURTWIJZER_STEM": "nl+f3",
            "OTHER": "ignored",
        }
    )
    assert s.var == tmp_path and s.database_url == "postgresql://bw@db/bw"
    assert (s.sessie_minuten, s.gemist, s.gemist_dagen, s.proxies, s.kiosk_stil) == (5, False, 0, 2, 120)
    assert s.ratelimit is None and s.stem == "nl+f3"
    assert s.hosts == ("buurtwijzer.utrecht.nl", "localhost")
    assert s.public_url == "https://buurtwijzer.utrecht.nl"


def test_an_empty_variable_is_the_default_but_an_empty_rate_limit_is_off():
    s = Settings.load({"BUURTWIJZER_SESSIE_MINUTEN": "", "BUURTWIJZER_VAR": " ", "BUURTWIJZER_RATELIMIT": ""})
    assert s.sessie_minuten == 30 and s.var == PROJECT_ROOT / "var" and s.ratelimit is None


def test_the_environment_wins_over_the_file(tmp_path):
    path = tmp_path / "buurtwijzer.toml"
    path.write_text(
        'var = "/srv/var"\nproxies = 1\ngemist = false\nhosts = ["a.example", "B.example"]\nkiosk_stil = "60"\n',
        encoding="utf-8",
    )
    s = Settings.load({"BUURTWIJZER_SETTINGS": str(path), "BUURTWIJZER_PROXIES": "3"})
    assert s.file == path and s.var == Path("/srv/var") and s.gemist is False and s.kiosk_stil == 60
    assert s.proxies == 3  # the environment wins
    assert s.hosts == ("a.example", "b.example")
    assert Settings.load({}, file=path).proxies == 1  # a file passed in, without BUURTWIJZER_SETTINGS


@pytest.mark.parametrize(
    "name,value,allowed",
    [
        ("BUURTWIJZER_GEMIST_DAGEN", "veertig", "heel getal van 0 of meer"),
        ("BUURTWIJZER_SESSIE_MINUTEN", "0", "heel getal van 1 of meer"),
        ("BUURTWIJZER_PROXIES", "-1", "heel getal van 0 of meer"),
        ("BUURTWIJZER_KIOSK_STIL", "1.5", "heel getal van 1 of meer"),
        ("BUURTWIJZER_GEMIST", "misschien", "aan of uit"),
    ],
)
def test_a_bad_value_is_one_clear_error(name, value, allowed):
    with pytest.raises(SettingsError) as caught:
        Settings.load({name: value})
    message = str(caught.value)
    assert name in message and repr(value) in message and allowed in message and "\n" not in message


def test_an_unknown_key_in_the_file_is_a_clear_error(tmp_path):
    path = tmp_path / "buurtwijzer.toml"
    path.write_text('var = "/srv/var"\nratelimiet = "off"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match=r"Onbekende instelling 'ratelimiet' in .*buurtwijzer\.toml.*ratelimit"):
        Settings.load({"BUURTWIJZER_SETTINGS": str(path)})


@pytest.mark.parametrize(
    "text,says",
    [
        ("proxies = 1.5\n", "proxies in .* klopt niet: verwacht tekst of een getal"),
        ("proxies = true\n", "proxies in .* klopt niet"),
        ("gemist_dagen = -3\n", r"gemist_dagen in .* = '-3' klopt niet: verwacht een heel getal"),
        ("hosts = [1, 2]\n", "hosts in .* verwacht een lijst met tekst"),
        ("settings = 'x.toml'\n", "Onbekende instelling 'settings'"),
        ("var = \n", "geen geldige TOML"),
    ],
)
def test_a_bad_file_is_a_clear_error(tmp_path, text, says):
    path = tmp_path / "buurtwijzer.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError, match=says):
        Settings.load({}, file=path)


def test_a_file_that_cannot_be_read_is_a_clear_error(tmp_path):
    with pytest.raises(SettingsError, match=r"instellingenbestand .*weg\.toml is niet te lezen"):
        Settings.load({"BUURTWIJZER_SETTINGS": str(tmp_path / "weg.toml")})


def test_the_cli_prints_a_bad_setting_in_one_line_and_exits_1(runner, tmp_path):
    env = {**os.environ, "BUURTWIJZER_GEMIST_DAGEN": "veertig"}
    done = subprocess.run(
        [sys.executable, "-m", "web.main", "gemist"], capture_output=True, text=True, timeout=120, cwd=ROOT, env=env
    )
    assert done.returncode == 1 and done.stdout == ""
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert "BUURTWIJZER_GEMIST_DAGEN" in done.stderr and "heel getal" in done.stderr
    result = runner.invoke(main, ["gemist"], env={"BUURTWIJZER_SETTINGS": str(tmp_path / "weg.toml")})
    assert result.exit_code == 1 and "niet te lezen" in result.output and "Traceback" not in result.output


def test_commands_use_the_settings_they_are_given(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("BUURTWIJZER_VAR", str(tmp_path / "elders"))
    row = {"datum": "2999-01-01", "intent": "vervoer", "confidence": 0.2, "tekst": "met de bus"}
    (tmp_path / "gemist.jsonl").write_text(json.dumps(row) + "\n", encoding="utf-8")
    result = runner.invoke(main, ["gemist"], obj=Settings(var=tmp_path, gemist=False))
    assert result.exit_code == 0 and "vervoer (1)" in result.output and "staat uit" in result.output


def test_the_app_uses_the_settings_it_is_given(assistant, monkeypatch):
    from web.app import create_app

    monkeypatch.setenv("BUURTWIJZER_KIOSK_STIL", "7")
    given = Settings(kiosk_stil=42, kiosk_taal="en", ratelimit=None, proxies=1, public_url="https://bw.example")
    app = create_app({"ASSISTANT": assistant, "TESTING": True}, settings=given)
    assert app.extensions["settings"] is given
    assert app.config["KIOSK_STIL_SECONDEN"] == 42 and app.config["KIOSK_TAAL"] == "en"
    assert app.config["BW_RATELIMIT"] is None and app.config["BW_RATELIMIT_OVERIG"] is None
    assert app.config["PROXIES"] == 1 and app.config["PUBLIC_URL"] == "https://bw.example"
    assert create_app({"ASSISTANT": assistant, "TESTING": True}).config["KIOSK_STIL_SECONDEN"] == 7


def test_only_the_settings_module_reads_the_environment():
    """benchmarks/ starts processes with an environment of its own and tests/ sets one up; neither is read here."""
    reads = re.compile(r"os\.environ|getenv|from os import [^\n]*environ")
    skip = {"benchmarks", "tests", "node_modules", "var"}
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if parts[0] in skip or any(p.startswith(".") for p in parts) or "site-packages" in parts:
            continue
        if path == ROOT / "knowledge" / "settings.py":
            continue
        found += [
            f"{path.relative_to(ROOT)}:{n}"
            for n, line in enumerate(path.open(encoding="utf-8"), 1)
            if reads.search(line)
        ]
    assert found == []


def shown(value) -> str:
    """A default as the README shows it."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        value = "aan" if value else "uit"
    elif isinstance(value, Path):
        value = os.path.relpath(value, PROJECT_ROOT)
    elif isinstance(value, tuple):
        value = ",".join(value)
    return f"`{value}`"


def test_the_readme_table_lists_every_setting():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in section.splitlines()
        if line.startswith("| `BUURTWIJZER_")
    ]
    expected = [
        [f"`{f.metadata['env']}`", f"`{f.name}`" if f.metadata["in_file"] else "—", shown(f.default), f.metadata["doc"]]
        for f in fields(Settings)
    ]
    assert rows == expected
    for f in fields(Settings):  # a key in the file is the variable's name without BUURTWIJZER_, in lower case
        assert f.metadata["env"] == "BUURTWIJZER_" + ("SETTINGS" if f.name == "file" else f.name.upper())
    elsewhere = set(re.findall(r"BUURTWIJZER_[A-Z_]+", readme.replace(section, "")))
    assert elsewhere <= {f.metadata["env"] for f in fields(Settings)} | {"BUURTWIJZER_AUDIT"}  # .ci/audit's own
