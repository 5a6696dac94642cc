"""A sliding-window-counter storage for the `limits` library in SQLite, so that the worker processes
of one machine count one budget per client together (its own storages are memory, Redis and the like).

Two counters per client and limit (this window and the one before), so every request costs the same
small transaction, however many requests the window holds.
"""

from __future__ import annotations

import sqlite3
import time

from limits.storage import Storage
from limits.storage.base import SlidingWindowCounterSupport

from knowledge.sqlite_local import LocalConnections

SCHEMA = """create table if not exists tellers (sleutel text not null, venster integer not null,
aantal integer not null, vervalt real not null, primary key (sleutel, venster)) without rowid;"""
SWEEP_SECONDS = 60


class SqliteStorage(Storage, SlidingWindowCounterSupport):
    STORAGE_SCHEME = ["buurtwijzer-sqlite"]

    def __init__(self, path, **_options):
        super().__init__(str(path))
        self._db = LocalConnections(path, SCHEMA).get
        self._next_sweep = 0.0

    @property
    def base_exceptions(self):
        return sqlite3.Error

    def _counts(self, db, key: str, expiry: int, now: float) -> tuple[int, float, int, float]:
        """As the `limits` memory storage: (previous count, its weight in seconds, current count, its ttl)."""
        current = int(now / expiry)
        rows = dict(
            db.execute(
                "select venster, aantal from tellers where sleutel = ? and venster in (?, ?)",
                (key, current - 1, current),
            ).fetchall()
        )
        previous_count, current_count = rows.get(current - 1, 0), rows.get(current, 0)
        previous_ttl = (1 - (((now - expiry) / expiry) % 1)) * expiry if previous_count else 0.0
        current_ttl = (1 - ((now / expiry) % 1)) * expiry + expiry
        return previous_count, previous_ttl, current_count, current_ttl

    def acquire_sliding_window_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        if amount > limit:
            return False
        now = time.time()
        db = self._db()
        db.execute("begin immediate")  # count and add in one step, across the workers
        try:
            previous, previous_ttl, current, _ = self._counts(db, key, expiry, now)
            allowed = int(previous * previous_ttl / expiry + current) + amount <= limit
            if allowed:
                window = int(now / expiry)
                db.execute(
                    "insert into tellers values (?, ?, ?, ?) on conflict (sleutel, venster) "
                    "do update set aantal = aantal + excluded.aantal",
                    (key, window, amount, (window + 2) * expiry),
                )
            if now >= self._next_sweep:  # windows of clients who stopped coming
                self._next_sweep = now + SWEEP_SECONDS
                db.execute("delete from tellers where vervalt < ?", (now,))
            db.execute("commit")
        except BaseException:
            db.execute("rollback")
            raise
        return allowed

    def get_sliding_window(self, key: str, expiry: int) -> tuple[int, float, int, float]:
        return self._counts(self._db(), key, expiry, time.time())

    def clear_sliding_window(self, key: str, expiry: int) -> None:
        self._db().execute("delete from tellers where sleutel = ?", (key,))

    def clear(self, key: str) -> None:
        self._db().execute("delete from tellers where sleutel = ?", (key,))

    def reset(self) -> int | None:
        return self._db().execute("delete from tellers").rowcount

    def check(self) -> bool:
        return self._db().execute("select 1").fetchone() == (1,)

    # The fixed-window calls of `Storage`; the sliding window counter above never makes them.
    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        raise NotImplementedError("buurtwijzer counts in a sliding window only")

    def get(self, key: str) -> int:
        raise NotImplementedError("buurtwijzer counts in a sliding window only")

    def get_expiry(self, key: str) -> float:
        raise NotImplementedError("buurtwijzer counts in a sliding window only")
