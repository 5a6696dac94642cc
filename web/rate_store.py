"""A moving-window storage for the `limits` library in SQLite, so that the worker processes of one
machine count one budget per client together (its own storages are memory, Redis and the like)."""
from __future__ import annotations

import sqlite3
import time

from limits.storage import Storage
from limits.storage.base import MovingWindowSupport

from knowledge.sqlite_local import LocalConnections

SCHEMA = """create table if not exists treffers (sleutel text not null, tijd real not null);
create index if not exists treffers_sleutel on treffers (sleutel, tijd);"""
SWEEP_SECONDS = 60


class SqliteStorage(Storage, MovingWindowSupport):
    STORAGE_SCHEME = ["buurtwijzer-sqlite"]

    def __init__(self, path, **_options):
        super().__init__(str(path))
        self._db = LocalConnections(path, SCHEMA).get
        self._longest = 0
        self._next_sweep = 0.0

    @property
    def base_exceptions(self):
        return sqlite3.Error

    def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        if amount > limit:
            return False
        now = time.time()
        db = self._db()
        db.execute("begin immediate")
        try:
            db.execute("delete from treffers where sleutel = ? and tijd < ?", (key, now - expiry))
            (count,) = db.execute("select count(*) from treffers where sleutel = ?", (key,)).fetchone()
            allowed = count + amount <= limit
            if allowed:
                db.executemany("insert into treffers values (?, ?)", [(key, now)] * amount)
            self._sweep(db, now, expiry)
            db.execute("commit")
        except BaseException:
            db.execute("rollback")
            raise
        return allowed

    def _sweep(self, db, now: float, expiry: int) -> None:
        """Clients who stopped coming leave rows under keys nobody touches again: drop them now and then."""
        self._longest = max(self._longest, expiry)
        if now >= self._next_sweep:
            self._next_sweep = now + SWEEP_SECONDS
            db.execute("delete from treffers where tijd < ?", (now - self._longest,))

    def get_moving_window(self, key: str, limit: int, expiry: int) -> tuple[float, int]:
        now = time.time()
        oldest, count = self._db().execute("select min(tijd), count(*) from treffers where sleutel = ? and tijd >= ?",
                                           (key, now - expiry)).fetchone()
        return (oldest if oldest is not None else now), count

    def clear(self, key: str) -> None:
        self._db().execute("delete from treffers where sleutel = ?", (key,))

    def reset(self) -> int | None:
        return self._db().execute("delete from treffers").rowcount

    def check(self) -> bool:
        return self._db().execute("select 1").fetchone() == (1,)

    # The fixed-window calls of `Storage`; the moving window never makes them.
    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        raise NotImplementedError("buurtwijzer counts in a moving window only")

    def get(self, key: str) -> int:
        raise NotImplementedError("buurtwijzer counts in a moving window only")

    def get_expiry(self, key: str) -> float:
        raise NotImplementedError("buurtwijzer counts in a moving window only")
