"""SQLite connections for state that the worker processes of one machine share (sessions, rate limits)."""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path


class LocalConnections:
    """One connection per thread and per process, in WAL mode: a forked worker never uses its parent's."""

    def __init__(self, path: str | Path, schema: str) -> None:
        self.path = str(path)
        self.schema = schema
        self._local = threading.local()

    def get(self) -> sqlite3.Connection:
        local = self._local
        if getattr(local, "pid", None) != os.getpid():
            old = os.umask(0o077)  # the service user's only: it holds session ids and client keys
            try:
                db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            finally:
                os.umask(old)
            db.execute("pragma journal_mode=wal")
            db.execute("pragma synchronous=normal")  # a power cut may cost the last turns' state, no more
            db.executescript(self.schema)
            local.db, local.pid = db, os.getpid()
        conn: sqlite3.Connection = local.db
        return conn
