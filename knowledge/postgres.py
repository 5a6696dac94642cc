"""The knowledge base in PostgreSQL, for several workers behind a load balancer.

`buurtwijzer build` with BUURTWIJZER_DATABASE_URL set copies the finished
embedded KB into a schema of its own (bw_<build>) in one transaction, and
writes that schema's name into the build directory. Models and data of one
build therefore always belong together, and a failed build changes nothing.

Search uses PostgreSQL full-text search with the Dutch configuration (its
Snowball stemmer and stop words). What PostgreSQL does not do, compound
splitting, synonyms and typo correction, is the same `QueryAnalyser` the
embedded search uses.
"""

from __future__ import annotations

import json
import os
import re
import threading
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from psycopg.abc import Params
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

from .layout import LEXICON
from .records import Voorziening, to_json, typed
from .search import Hit, expand, indexed_text, synonyms_per_voorziening
from .store import KnowledgeBase, KnowledgeBaseMissing

POINTER = "postgres.json"
SMALL_TABLES = ("organisaties", "wijken", "buurtteams", "regels", "woordenlijst", "synoniemen")
CONNECT_TIMEOUT = 5
_TSWORD = re.compile(r"^[a-z0-9]+$")

_pools: dict[str, ConnectionPool] = {}
_pools_lock = threading.Lock()
# A forked worker must not use its parent's connections or pool threads.
os.register_at_fork(after_in_child=_pools.clear)


def pool(url: str) -> ConnectionPool:
    """One connection pool per database per process, shared by the KB and the session store."""
    with _pools_lock:
        if url not in _pools:
            p = ConnectionPool(
                url,
                min_size=1,
                max_size=8,
                timeout=CONNECT_TIMEOUT,
                open=False,
                kwargs={"connect_timeout": CONNECT_TIMEOUT, "autocommit": True},
                name="buurtwijzer",
            )
            try:
                p.open(wait=True, timeout=CONNECT_TIMEOUT)
            except psycopg.Error:
                p.close()
                raise
            _pools[url] = p
        return _pools[url]


def _first_line(exc: Exception) -> str:
    # psycopg's messages name host and port, never the password.
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def unreachable(exc: Exception) -> KnowledgeBaseMissing:
    return KnowledgeBaseMissing(
        f"De PostgreSQL-database is niet bereikbaar ({_first_line(exc)}). Controleer BUURTWIJZER_DATABASE_URL."
    )


def schema_for(build_dir: Path) -> str:
    return "bw_" + re.sub(r"[^a-z0-9]+", "_", Path(build_dir).name.removesuffix(".tmp").lower())


def _table(schema: str, name: str) -> sql.Identifier:
    return sql.Identifier(schema, name)


DDL = """
create table {voorzieningen} (
    pos integer not null,
    id text primary key,
    naam text not null,
    wijken text[] not null,
    doelgroepen text[] not null,
    themas text[] not null,
    toegangsroute text not null,
    data jsonb not null,
    zoek_naam text not null,
    zoek_tekst text not null,
    zoek tsvector generated always as (
        setweight(to_tsvector('dutch'::regconfig, zoek_naam), 'A') ||
        setweight(to_tsvector('dutch'::regconfig, zoek_tekst), 'B')) stored
);
create index on {voorzieningen} using gin (zoek);
create index on {voorzieningen} using gin (wijken);
create index on {voorzieningen} using gin (doelgroepen);
create index on {voorzieningen} using gin (themas);
create table {meta} (key text primary key, value text not null);
"""


def load(build_dir: Path, url: str, kb: KnowledgeBase) -> str:
    """Copy a built KB into a new schema, in one transaction; returns the schema name."""
    schema = schema_for(build_dir)
    voorzieningen = kb.voorzieningen()
    syn = synonyms_per_voorziening(voorzieningen, kb.synoniemen())
    lexicon = kb.lexicon
    try:
        with psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT) as conn, conn.transaction():
            conn.execute(sql.SQL("create schema {}").format(sql.Identifier(schema)))
            conn.execute(
                sql.SQL(DDL).format(voorzieningen=_table(schema, "voorzieningen"), meta=_table(schema, "meta"))
            )
            for name in SMALL_TABLES:
                conn.execute(
                    sql.SQL("create table {} (pos integer primary key, data jsonb not null)").format(
                        _table(schema, name)
                    )
                )
                records = getattr(kb, name)()
                with conn.cursor().copy(sql.SQL("copy {} (pos, data) from stdin").format(_table(schema, name))) as copy:
                    for pos, rec in enumerate(records):
                        copy.write_row((pos, Jsonb(to_json(rec))))
            columns = (
                "pos",
                "id",
                "naam",
                "wijken",
                "doelgroepen",
                "themas",
                "toegangsroute",
                "data",
                "zoek_naam",
                "zoek_tekst",
            )
            with conn.cursor().copy(
                sql.SQL("copy {} ({}) from stdin").format(
                    _table(schema, "voorzieningen"), sql.SQL(", ").join(map(sql.Identifier, columns))
                )
            ) as copy:
                for pos, v in enumerate(voorzieningen):
                    copy.write_row(
                        (
                            pos,
                            v["id"],
                            v["naam"],
                            v["wijken"],
                            v["doelgroepen"],
                            v["themas"],
                            v["toegangsroute"],
                            Jsonb(to_json(v)),
                            " ".join(expand(v["naam"], lexicon)),
                            " ".join(expand(indexed_text(v, syn), lexicon)),
                        )
                    )
            lex = json.loads((Path(build_dir) / LEXICON).read_text(encoding="utf-8"))
            conn.execute(
                sql.SQL("insert into {} (key, value) values (%s, %s)").format(_table(schema, "meta")),
                ("lexicon", json.dumps(lex)),
            )
    except psycopg.OperationalError as exc:
        raise unreachable(exc) from None
    except psycopg.Error as exc:  # e.g. no right to create a schema
        raise KnowledgeBaseMissing(f"PostgreSQL weigerde de kennisbank: {_first_line(exc)}") from None
    (Path(build_dir) / POINTER).write_text(json.dumps({"schema": schema}), encoding="utf-8")
    return schema


def drop(build_dir: Path, url: str) -> None:
    """Remove the schema of a build that is no longer kept."""
    pointer = Path(build_dir) / POINTER
    if not pointer.is_file():
        return
    schema = json.loads(pointer.read_text(encoding="utf-8"))["schema"]
    with psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT, autocommit=True) as conn:
        conn.execute(sql.SQL("drop schema if exists {} cascade").format(sql.Identifier(schema)))


class PostgresKnowledgeBase(KnowledgeBase):
    """Same answers as the embedded KB, from the schema the build directory points at."""

    def __init__(self, url: str, build_dir: Path):
        pointer = Path(build_dir) / POINTER
        if not Path(build_dir).is_dir():
            raise KnowledgeBaseMissing(f"Geen kennisbank gevonden in {build_dir}. Maak hem met: buurtwijzer build")
        if not pointer.is_file():
            raise KnowledgeBaseMissing(
                f"De build in {build_dir} heeft geen kennisbank in PostgreSQL. "
                "Maak hem met BUURTWIJZER_DATABASE_URL gezet: buurtwijzer build"
            )
        try:
            self.schema = json.loads(pointer.read_text(encoding="utf-8"))["schema"]
        except (OSError, ValueError, KeyError, TypeError):
            raise KnowledgeBaseMissing(
                f"{pointer} is beschadigd. Maak de kennisbank opnieuw met: buurtwijzer build"
            ) from None
        self.url = url
        try:
            self._small = {
                t: typed(t, self._rows(sql.SQL("select data from {} order by pos").format(_table(self.schema, t))))
                for t in SMALL_TABLES
            }
            lex = json.loads(
                self._scalar(sql.SQL("select value from {} where key = 'lexicon'").format(_table(self.schema, "meta")))
            )
        except psycopg.errors.UndefinedTable:
            raise KnowledgeBaseMissing(
                f"De kennisbank {self.schema} ontbreekt in PostgreSQL. Maak hem opnieuw met: buurtwijzer build"
            ) from None
        except psycopg.OperationalError as exc:
            raise unreachable(exc) from None
        self._use_lexicon(lex)
        try:
            self._use_profiel(build_dir)
        except (OSError, ValueError, KeyError) as exc:
            raise KnowledgeBaseMissing(
                f"De build in {build_dir} is beschadigd ({exc}). Maak hem opnieuw met: buurtwijzer build"
            ) from None

    @property
    def pool(self) -> ConnectionPool:
        return pool(self.url)  # this process's pool: a forked worker gets its own

    def _rows(self, query: sql.Composed, args: Params = ()) -> list[dict[str, Any]]:
        with self.pool.connection() as conn:
            return [r[0] for r in conn.execute(query, args)]

    def _scalar(self, query: sql.Composed, args: Params = ()) -> Any:  # the first column of the first row
        with self.pool.connection() as conn:
            row = conn.execute(query, args).fetchone()
        return row[0] if row else None

    def voorziening(self, id: str) -> Voorziening | None:
        row = self._scalar(
            sql.SQL("select data from {} where id = %s").format(_table(self.schema, "voorzieningen")), (id,)
        )
        return Voorziening.from_dict(row) if row else None

    def voorzieningen(self, ids: list[str] | None = None) -> list[Voorziening]:
        table = _table(self.schema, "voorzieningen")
        if ids is None:
            rows = self._rows(sql.SQL('select data from {} order by naam collate "C"').format(table))
            return typed("voorzieningen", rows)
        found = {
            r["id"]: r
            for r in self._rows(sql.SQL("select data from {} where id = any(%s)").format(table), (list(ids),))
        }
        return [Voorziening.from_dict(found[i]) for i in ids if i in found]

    def small_table(self, name: str) -> list[Any]:
        return self._small[name]

    def synoniemen(self) -> list[dict[str, Any]]:
        return self._small["synoniemen"]

    def zoek(
        self,
        text: str = "",
        *,
        wijk: str | None = None,
        doelgroep: str | None = None,
        thema: str | None = None,
        toegangsroute: str | None = None,
        limit: int | None = 20,
    ) -> list[Hit]:
        where: list[str] = []
        args: list[str | list[str]] = []
        if wijk:
            where.append("wijken && %s")
            args.append([wijk, "alle"])
        for column, value in (("doelgroepen", doelgroep), ("themas", thema)):
            if value:
                where.append(f"%s = any({column})")
                args.append(value)
        if toegangsroute:
            where.append("toegangsroute = %s")
            args.append(toegangsroute)
        terms = sorted({w for g in self.analyser.word_groups(text) for w in g if _TSWORD.match(w)}) if text else []
        table = _table(self.schema, "voorzieningen")
        if not terms:
            if text:  # only stop words or symbols: nothing to look for
                return []
            cond = sql.SQL(" and ".join(where) or "true")
            query = sql.SQL('select id, 0.0 from {} where {} order by id collate "C" limit %s').format(table, cond)
            rows = self._tuples(query, (*args, limit))
        else:
            # A voorziening that matches more of the question's words ranks first (as BM25 does in the
            # embedded index): one point per word group it holds, then ts_rank within a tie.
            groups = [" | ".join(sorted(w for w in g if _TSWORD.match(w))) for g in self.analyser.word_groups(text)]
            groups = [g for g in dict.fromkeys(groups) if g]
            coverage = sql.SQL(" + ").join(sql.SQL("(zoek @@ to_tsquery('dutch', %s))::int") for _ in groups)
            cond = sql.SQL(" and ".join(["zoek @@ q", *where]))
            query = sql.SQL(
                "select id, {} + ts_rank(zoek, q, 1) as score from {}, to_tsquery('dutch', %s) q "
                'where {} order by score desc, id collate "C" limit %s'
            ).format(coverage, table, cond)
            rows = self._tuples(query, (*groups, " | ".join(terms), *args, limit))
        return [Hit(id, round(float(score), 4)) for id, score in rows]

    def _tuples(self, query: sql.Composed, args: Params) -> list[tuple[Any, ...]]:
        with self.pool.connection() as conn:
            return conn.execute(query, args).fetchall()
