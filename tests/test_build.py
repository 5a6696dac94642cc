"""`buurtwijzer build`: validation errors name file, record and field; a failed build changes nothing."""

from __future__ import annotations

import errno
import json
import os
import re
import sqlite3

import pytest
import yaml

from knowledge import build as kb_build
from knowledge import config, permissions
from knowledge.sources import load
from web.main import main


def edit(folder, file, change):
    path = folder / file
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(records)
    path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture
def isolated(data_copy, tmp_path, monkeypatch):
    """BUURTWIJZER_DATA/VAR pointing at private copies, with a 'previous build' being served."""
    var = tmp_path / "var"
    old = var / "builds" / "20200101-000000-oldold"
    old.mkdir(parents=True)
    (old / "kb.sqlite").write_bytes(b"previous build")
    os.symlink(old.relative_to(var), var / "current")
    monkeypatch.setenv("BUURTWIJZER_DATA", str(data_copy))
    monkeypatch.setenv("BUURTWIJZER_VAR", str(var))
    return data_copy, var, old


def assert_untouched(var, old):
    assert (var / "current").resolve() == old.resolve()
    assert (old / "kb.sqlite").read_bytes() == b"previous build"
    assert not list((var / "builds").glob("*.tmp"))


def test_real_data_is_complete():
    src = load()
    assert len(src["voorzieningen"]) >= 30
    assert len(src["regels"]) >= 25
    assert {w["id"] for w in src["wijken"]} == {
        "binnenstad",
        "noordwest",
        "noordoost",
        "oost",
        "overvecht",
        "west",
        "zuid",
        "zuidwest",
        "leidsche-rijn",
        "vleuten-de-meern",
    }
    for name in ("voorzieningen", "regels"):
        for rec in src[name]:
            assert rec["bron"], f"{rec['id']} heeft geen bron"
    assert len(src["buurtteams"]) == 18


BAD_RECORDS = [
    ("voorzieningen.yaml", lambda r: r[2].pop("kosten"), "voorzieningen.yaml", "kosten", "ontbreekt"),
    ("buurtteams.yaml", lambda r: r[0]["wijken"].append("atlantis"), "buurtteams.yaml", "wijken", "atlantis"),
    (
        "voorzieningen.yaml",
        lambda r: r[3].__setitem__("wijken", ["atlantis"]),
        "voorzieningen.yaml",
        "wijken",
        "atlantis",
    ),
    ("regels.yaml", lambda r: r.append(dict(r[0])), "regels.yaml", "id", "dubbel"),
    ("voorzieningen.yaml", lambda r: r[5].__setitem__("id", r[4]["id"]), "voorzieningen.yaml", "id", "dubbel"),
    ("wijken.yaml", lambda r: r[1].__setitem__("postcodes", ["3551"]), "wijken.yaml", "postcodes", "postcodes.csv"),
    (
        "buurtteams.yaml",
        lambda r: r[1]["adres"].__setitem__("postcode", "35631AB"),
        "buurtteams.yaml",
        "adres",
        "35631AB",
    ),
    ("buurtteams.yaml", lambda r: r[2].__setitem__("telefoon", "bel maar"), "buurtteams.yaml", "telefoon", "bel maar"),
    (
        "voorzieningen.yaml",
        lambda r: r[0].__setitem__("toegangsroute", "via_de_achterdeur"),
        "voorzieningen.yaml",
        "toegangsroute",
        "via_de_achterdeur",
    ),
    (
        "regels.yaml",
        lambda r: r[0].__setitem__("bron", [{"bestand": "999.txt", "regels": "1-2"}]),
        "regels.yaml",
        "bron",
        "999.txt",
    ),
]


@pytest.mark.parametrize("file,change,named_file,field,detail", BAD_RECORDS)
def test_bad_record_stops_build_and_names_it(isolated, runner, file, change, named_file, field, detail):
    data, var, old = isolated
    edit(data, file, change)
    result = runner.invoke(main, ["build"])
    assert result.exit_code == 1
    assert named_file in result.output
    assert f"veld '{field}'" in result.output
    assert detail in result.output
    assert "record" in result.output
    assert "niets veranderd" in result.output
    assert_untouched(var, old)


def test_broken_yaml_is_reported(isolated, runner):
    data, var, old = isolated
    (data / "wijken.yaml").write_text("- id: [oeps\n", encoding="utf-8")
    result = runner.invoke(main, ["build"])
    assert result.exit_code == 1 and "wijken.yaml" in result.output and "YAML" in result.output
    assert_untouched(var, old)


@pytest.mark.parametrize(
    "error", [OSError(errno.ENOSPC, "No space left on device"), sqlite3.OperationalError("database or disk is full")]
)
def test_full_disk_halfway_is_one_sentence_and_leaves_previous_build(isolated, runner, monkeypatch, error):
    data, var, old = isolated

    def boom(*args, **kwargs):
        raise error

    monkeypatch.setattr(kb_build, "write_index", boom)
    result = runner.invoke(main, ["build"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "de schijf is vol" in result.output and "Traceback" not in result.output
    assert_untouched(var, old)


def test_a_killed_build_leaves_nothing_the_next_build_keeps(isolated):
    data, var, old = isolated
    killed = var / "builds" / "20240101-000000-dood00.tmp"
    killed.mkdir()
    (killed / kb_build.LOCK_FILE).touch()  # its builder is gone, so nobody holds the lock
    (killed / "kb.sqlite").write_bytes(b"half")
    fresh = var / "builds" / "20240101-000001-nieuw0.tmp"  # just made, lock file not there yet
    fresh.mkdir()
    staging = kb_build.stage()
    try:
        assert not killed.exists() and fresh.exists()
        assert kb_build.stage() != staging and staging.exists()  # a build in progress is left alone
    finally:
        kb_build.discard(staging)


def test_prune_keeps_the_served_build_and_builds_a_server_holds(isolated):
    data, var, old = isolated
    builds = var / "builds"
    for n in range(5):
        (builds / f"2021010{n}-000000-oud{n:03d}").mkdir()
        (builds / f"2021010{n}-000000-oud{n:03d}" / kb_build.LOCK_FILE).touch()
    held = kb_build.hold(builds / "20210101-000000-oud001")  # a running server started on this one
    assert held is not None
    staging = kb_build.stage()
    (staging / "kb.sqlite").write_bytes(b"nieuw")
    os.symlink(builds / "20210100-000000-oud000", var / "current.tmp")
    os.replace(var / "current.tmp", var / "current")  # current points at the oldest on purpose
    kb_build._prune(builds, keep=staging)
    left = {p.name for p in builds.iterdir()}
    assert "20210101-000000-oud001" in left and "20210100-000000-oud000" in left
    assert old.name not in left  # neither among the newest, served nor held: pruned
    held.close()
    kb_build.discard(staging)


def test_published_build_is_writable_only_by_its_owner(isolated):
    data, var, old = isolated
    old_umask = os.umask(0o002)
    try:
        staging = kb_build.stage()
        kb_build.build_kb(load(), staging)
        final = kb_build.publish(staging)
    finally:
        os.umask(old_umask)
    assert permissions.unsafe_paths(var, final) == []


def test_server_refuses_var_that_others_can_write(isolated, runner):
    data, var, old = isolated
    (old / "index").mkdir()
    (old / "index" / "_MAIN_1.toc").write_bytes(b"x")
    (old / "index" / "_MAIN_1.toc").chmod(0o666)
    result = runner.invoke(main, ["serve", "--port", "9"])
    assert result.exit_code == 1 and "chmod -R go-w" in result.output and "_MAIN_1.toc" in result.output


def test_damaged_index_stops_the_start_with_the_fix(build_dir, tmp_path, monkeypatch):
    """The embedded index (with PostgreSQL, search does not read it)."""
    import shutil

    monkeypatch.delenv("BUURTWIJZER_DATABASE_URL", raising=False)
    from knowledge.backends import open_kb
    from knowledge.store import KnowledgeBaseMissing

    copy = tmp_path / "build"
    shutil.copytree(build_dir, copy)
    for segment in (copy / kb_build.INDEX_DIR).glob("*.seg"):
        segment.unlink()
    with pytest.raises(KnowledgeBaseMissing, match="buurtwijzer build"):
        open_kb(copy)


def test_publish_swaps_atomically(isolated):
    data, var, old = isolated
    staging = kb_build.stage()
    kb_build.build_kb(load(), staging)
    final = kb_build.publish(staging)
    assert config.current_build().resolve() == final.resolve()
    assert (final / "kb.sqlite").stat().st_size > 10_000


def test_common_terms_are_the_terms_in_more_than_a_share_of_the_voorzieningen(tmp_path):
    from knowledge.search import common_terms, write_index

    texts = ["hulp buurt", "hulp buurt", "hulp", "hulp", "hulp scootmobiel"]
    write_index(tmp_path, ({"id": f"v{i}", "naam": f"v{i}", "tekst": t} for i, t in enumerate(texts)))
    assert common_terms(tmp_path, 0.5) == ["hulp"]  # in 5 of 5
    assert common_terms(tmp_path, 0.3) == ["buurt", "hulp"]  # buurt: in 2 of 5
    assert common_terms(tmp_path, 1.0) == []


def test_the_build_keeps_the_common_terms_of_the_real_kaart(build_dir):
    common = set(json.loads((build_dir / kb_build.LEXICON).read_text(encoding="utf-8"))["common_terms"])
    assert "buurt" in common and "scootmobiel" not in common


def test_each_build_records_the_tuned_numbers_it_used(build_dir):
    from knowledge.tuning import RECORD, TUNING_FILE, tuning

    assert json.loads((build_dir / RECORD).read_text(encoding="utf-8")) == tuning()
    # every number in the file has its reason beside it
    bare = [
        line
        for line in TUNING_FILE.read_text(encoding="utf-8").splitlines()
        if re.match(r"\s+\w+:\s*[0-9.]+\s*$", line)
    ]
    assert not bare, bare


def test_the_dialogue_uses_the_tuned_numbers():
    from assistant import dialogue
    from knowledge.tuning import tuning

    tuned = tuning()["dialogue"]
    assert (dialogue.LOW, dialogue.CLOSE, dialogue.SURE) == (tuned["low"], tuned["close"], tuned["sure"])
