"""Conversation state. Holds no message text: only topic, wijk, niveau and counters.

Only the server makes session ids (long and random). An id the store does not know, or no
longer knows, starts a new session with a new id, so no client can choose or borrow one.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from abc import ABC, abstractmethod
from collections import OrderedDict
from dataclasses import asdict, dataclass, field

from knowledge.settings import Settings
from knowledge.sqlite_local import LocalConnections

ID_BYTES = 24


def ttl_seconds(settings: Settings | None = None) -> int:
    """Session lifetime in seconds (the setting BUURTWIJZER_SESSIE_MINUTEN)."""
    return (settings or Settings.load()).sessie_minuten * 60


@dataclass
class Session:
    id: str = field(default_factory=lambda: secrets.token_urlsafe(ID_BYTES))
    niveau: str = "standaard"
    niveau_chosen: bool = False  # the person picked a niveau (a button): no longer guessed
    wijk: str | None = None
    topic: str | None = None  # the intent last answered
    pending: str | None = None  # the intent waiting for a wijk/postcode
    options: list[str] = field(default_factory=list)  # intents offered in the last clarify
    misses: int = 0  # low-confidence turns in a row
    check_kind: str | None = None  # the crisis kind of a safety question waiting for Ja or Nee
    check_topic: str | None = None  # the topic to answer when that answer is Nee
    check_lang: str | None = None  # the language the question was asked in
    lang: str | None = None  # the answer language: chosen, or that of the messages so far
    lang_chosen: bool = False  # chosen by the person (?lang=, a language button) this turn
    updated: float = field(default_factory=time.time)

    def to_dict(self) -> dict:
        return asdict(self)


class SessionStore(ABC):
    @abstractmethod
    def get(self, session_id: str | None) -> Session:
        """The session with this id, or a new session with a new id."""

    @abstractmethod
    def save(self, session: Session) -> None: ...

    @abstractmethod
    def delete(self, session_id: str) -> None: ...


class MemorySessionStore(SessionStore):
    """Sessions in this process's memory, forgotten after `ttl` seconds without use."""

    def __init__(self, ttl: int | None = None):
        self.ttl = ttl if ttl is not None else ttl_seconds()
        self._data: OrderedDict[str, Session] = OrderedDict()  # least recently saved first
        self._lock = threading.Lock()

    def get(self, session_id: str | None) -> Session:
        now = time.time()
        with self._lock:
            self._expire(now)
            if session_id and session_id in self._data:
                return self._data[session_id]
        return Session()

    def save(self, session: Session) -> None:
        session.updated = time.time()
        with self._lock:
            self._data[session.id] = session
            self._data.move_to_end(session.id)

    def delete(self, session_id: str) -> None:
        with self._lock:
            self._data.pop(session_id, None)

    def _expire(self, now: float) -> None:
        while self._data:
            oldest = next(iter(self._data.values()))
            if now - oldest.updated <= self.ttl:
                break
            self._data.popitem(last=False)

    def __len__(self) -> int:
        return len(self._data)


class PostgresSessionStore(SessionStore):
    """Sessions in PostgreSQL, shared by every worker; expired rows are deleted as they are met."""

    TABLE = "buurtwijzer_sessies"

    def __init__(self, url: str, ttl: int | None = None):
        self.ttl = ttl if ttl is not None else ttl_seconds()
        self.url = url
        self._next_sweep = 0.0
        with self.pool.connection() as conn:
            conn.execute(
                f"create table if not exists {self.TABLE} "
                "(id text primary key, data jsonb not null, verloopt timestamptz not null)"
            )

    @property
    def pool(self):
        from knowledge.postgres import pool

        return pool(self.url)  # this process's pool: a forked worker gets its own

    def get(self, session_id: str | None) -> Session:
        if session_id:
            with self.pool.connection() as conn:
                row = conn.execute(
                    f"select data from {self.TABLE} where id = %s and verloopt > now()", (session_id,)
                ).fetchone()
            if row:
                return Session(**row[0])
        return Session()

    def save(self, session: Session) -> None:
        from psycopg.types.json import Jsonb

        session.updated = time.time()
        with self.pool.connection() as conn:
            conn.execute(
                f"insert into {self.TABLE} (id, data, verloopt) "
                "values (%s, %s, now() + make_interval(secs => %s)) "
                "on conflict (id) do update set data = excluded.data, verloopt = excluded.verloopt",
                (session.id, Jsonb(session.to_dict()), self.ttl),
            )
            if session.updated >= self._next_sweep:
                self._next_sweep = session.updated + 60
                conn.execute(f"delete from {self.TABLE} where verloopt <= now()")

    def delete(self, session_id: str) -> None:
        with self.pool.connection() as conn:
            conn.execute(f"delete from {self.TABLE} where id = %s", (session_id,))

    def __len__(self) -> int:
        with self.pool.connection() as conn:
            return conn.execute(f"select count(*) from {self.TABLE} where verloopt > now()").fetchone()[0]


class SqliteSessionStore(SessionStore):
    """Sessions in an SQLite file in WAL mode, shared by the worker processes of one machine."""

    def __init__(self, path, ttl: int | None = None):
        self.ttl = ttl if ttl is not None else ttl_seconds()
        self._db = LocalConnections(
            path,
            "create table if not exists sessies (id text primary key, data text not null, verloopt real not null);",
        ).get
        self._next_sweep = 0.0
        self._db()

    def get(self, session_id: str | None) -> Session:
        if session_id:
            row = (
                self._db()
                .execute("select data from sessies where id = ? and verloopt > ?", (session_id, time.time()))
                .fetchone()
            )
            if row:
                return Session(**json.loads(row[0]))
        return Session()

    def save(self, session: Session) -> None:
        session.updated = time.time()
        db = self._db()
        db.execute(
            "insert or replace into sessies (id, data, verloopt) values (?, ?, ?)",
            (session.id, json.dumps(session.to_dict()), session.updated + self.ttl),
        )
        if session.updated >= self._next_sweep:
            self._next_sweep = session.updated + 60
            db.execute("delete from sessies where verloopt <= ?", (session.updated,))

    def delete(self, session_id: str) -> None:
        self._db().execute("delete from sessies where id = ?", (session_id,))

    def __len__(self) -> int:
        return self._db().execute("select count(*) from sessies where verloopt > ?", (time.time(),)).fetchone()[0]


def open_sessions(settings: Settings | None = None) -> SessionStore:
    """In memory by default; in PostgreSQL when BUURTWIJZER_DATABASE_URL is set, so workers share them."""
    settings = settings or Settings.load()
    url = settings.database_url
    return PostgresSessionStore(url, ttl_seconds(settings)) if url else MemorySessionStore(ttl_seconds(settings))
