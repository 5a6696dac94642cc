"""The PostgreSQL backend. Runs when BUURTWIJZER_DATABASE_URL is set (`make test-postgres`, CI).

The rest of the suite runs unchanged against PostgreSQL in that job; these tests
check what only this backend has: the copy matches the embedded KB, sessions are
shared between workers, and a broken database gives a clear message.
"""

from __future__ import annotations

import json
import time

import pytest

from knowledge import config

pytestmark = pytest.mark.skipif(not config.database_url(), reason="BUURTWIJZER_DATABASE_URL is not set")


@pytest.fixture(scope="module")
def both(build_dir):
    from knowledge.postgres import PostgresKnowledgeBase
    from knowledge.store import SqliteKnowledgeBase

    return SqliteKnowledgeBase(build_dir), PostgresKnowledgeBase(config.database_url(), build_dir)


def test_the_configured_backend_is_postgres(kb, assistant):
    from assistant.session import PostgresSessionStore
    from knowledge.postgres import PostgresKnowledgeBase

    assert isinstance(kb, PostgresKnowledgeBase)
    assert isinstance(assistant.sessions, PostgresSessionStore)


def test_copy_holds_the_same_records(both):
    lite, pg = both
    for name in ("wijken", "buurtteams", "regels", "woordenlijst", "organisaties"):
        assert getattr(pg, name)() == getattr(lite, name)(), name
    assert pg.voorzieningen() == lite.voorzieningen()
    assert pg.voorziening("respijtzorg") == lite.voorziening("respijtzorg")
    assert pg.voorzieningen(["wmo-loket", "nergens", "respijtzorg"]) == lite.voorzieningen(["wmo-loket", "respijtzorg"])
    assert sorted(map(json.dumps, pg.synoniemen())) == sorted(map(json.dumps, lite.synoniemen()))
    assert pg.vocabulary == lite.vocabulary


@pytest.mark.parametrize(
    "filters",
    [
        {"wijk": "overvecht"},
        {"doelgroep": "mantelzorgers"},
        {"thema": "geld"},
        {"toegangsroute": "vrij_toegankelijk"},
        {"wijk": "zuid", "thema": "wonen"},
        {},
    ],
)
def test_filters_select_the_same_voorzieningen(both, filters):
    lite, pg = both
    assert [h.id for h in pg.zoek("", limit=None, **filters)] == [h.id for h in lite.zoek("", limit=None, **filters)]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("schulden", "schuldhulpverlening"),
        ("scootmobiel", "hulpmiddelen"),
        ("mantelzorger even vrij", "respijtzorg"),
        ("traplift", "woningaanpassing"),
        ("slaapplek vannacht", "24-uursopvang"),
    ],
)
def test_dutch_full_text_search_finds_the_voorziening(both, query, expected):
    # The first five: the kaart holds five mantelzorg services, and both engines rank the ones with
    # "mantelzorgers" in their name near respijtzorg.
    lite, pg = both
    top = [h.id for h in pg.zoek(query, limit=5)]
    assert expected in top, top
    assert expected in [h.id for h in lite.zoek(query, limit=5)]


def test_typos_and_compounds_work_in_postgres_too(both):
    _, pg = both
    assert "schuldhulpverlening" in [h.id for h in pg.zoek("schuldn", limit=3)]
    assert pg.zoek("!!! ???") == []


def test_sessions_are_shared_between_workers_and_expire():
    from assistant.session import PostgresSessionStore

    url = config.database_url()
    worker_a, worker_b = PostgresSessionStore(url, ttl=1), PostgresSessionStore(url, ttl=1)
    s = worker_a.get(None)
    s.topic, s.wijk, s.options = "geldzorgen", "zuilen", ["a", "b"]
    worker_a.save(s)
    seen = worker_b.get(s.id)
    assert (seen.topic, seen.wijk, seen.options) == ("geldzorgen", "zuilen", ["a", "b"])
    time.sleep(1.2)
    assert worker_b.get(s.id).topic is None
    worker_b.delete(s.id)


def test_session_rows_hold_no_message_text(assistant):
    import psycopg

    reply = assistant.reply("ik heb schulden bij de energie, mijn naam is Jan Jansen")
    with psycopg.connect(config.database_url()) as conn:
        (data,) = conn.execute("select data from buurtwijzer_sessies where id = %s", (reply.session,)).fetchone()
    assert "Jansen" not in json.dumps(data) and "energie" not in json.dumps(data)
    assert set(data) == {
        "id",
        "niveau",
        "wijk",
        "topic",
        "pending",
        "options",
        "misses",
        "updated",
        "check_kind",
        "check_topic",
        "check_lang",
        "lang",
        "lang_chosen",
        "niveau_chosen",
    }


def test_unreachable_database_names_the_setting_and_hides_the_password(build_dir, monkeypatch):
    from knowledge.backends import open_kb
    from knowledge.store import KnowledgeBaseMissing

    monkeypatch.setenv("BUURTWIJZER_DATABASE_URL", "postgresql://iemand:geheimwachtwoord@127.0.0.1:9/nergens")
    with pytest.raises(KnowledgeBaseMissing) as exc:
        open_kb(build_dir)
    assert "BUURTWIJZER_DATABASE_URL" in str(exc.value)
    assert "geheimwachtwoord" not in str(exc.value)


def test_build_without_a_postgres_copy_says_how_to_make_one(tmp_path):
    from knowledge.backends import open_kb
    from knowledge.store import KnowledgeBaseMissing

    (tmp_path / "build").mkdir()
    with pytest.raises(KnowledgeBaseMissing, match="buurtwijzer build"):
        open_kb(tmp_path / "build")


def test_a_failed_load_leaves_no_schema(build_dir, tmp_path, monkeypatch):
    import psycopg

    from knowledge import postgres
    from knowledge.store import SqliteKnowledgeBase

    target = tmp_path / "20990101-000000-abcdef"
    target.mkdir()
    (target / "lexicon.json").write_text("{niet json", encoding="utf-8")
    with pytest.raises(ValueError):
        postgres.load(target, config.database_url(), SqliteKnowledgeBase(build_dir))
    with psycopg.connect(config.database_url()) as conn:
        found = conn.execute("select 1 from pg_namespace where nspname = %s", (postgres.schema_for(target),)).fetchone()
    assert found is None
    assert not (target / postgres.POINTER).exists()


def test_the_served_schema_survives_a_dropped_copy_of_another_build(kb, tmp_path):
    from knowledge import postgres

    other = tmp_path / "elders"
    other.mkdir()
    (other / postgres.POINTER).write_text(json.dumps({"schema": "bw_bestaat_niet"}), encoding="utf-8")
    postgres.drop(other, config.database_url())
    assert kb.voorziening("respijtzorg") is not None
