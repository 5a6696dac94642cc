"""The SQLite files that the worker processes of one machine share: sessions and rate limits."""

from __future__ import annotations

import os
import stat
import time

from assistant.session import Session, SqliteSessionStore
from web.security import RateLimits


def test_sessions_are_shared_through_the_file_and_expire(tmp_path):
    one, other = SqliteSessionStore(tmp_path / "s.db", ttl=60), SqliteSessionStore(tmp_path / "s.db", ttl=60)
    session = Session(topic="geldzorgen", wijk="overvecht")
    one.save(session)
    assert other.get(session.id).topic == "geldzorgen" and len(other) == 1
    short = SqliteSessionStore(tmp_path / "s.db", ttl=0)
    short.save(session)
    time.sleep(0.01)
    fresh = other.get(session.id)
    assert fresh.id != session.id and fresh.topic is None  # expired: a new session with a new id
    assert stat.S_IMODE(os.stat(tmp_path / "s.db").st_mode) & 0o077 == 0


def test_a_forked_process_opens_its_own_connection(tmp_path):
    store = SqliteSessionStore(tmp_path / "s.db")
    store.save(Session(topic="x"))
    parent = store._db()
    pid = os.fork()
    if pid == 0:  # the child must not use the parent's sqlite3 connection (SQLite's rule)
        try:
            store.save(Session(topic="kind"))
            os._exit(0 if store._db() is not parent and len(store) == 2 else 1)
        except BaseException:
            os._exit(2)
    _, status = os.waitpid(pid, 0)
    assert os.WEXITSTATUS(status) == 0 and len(store) == 2


def test_rate_limits_count_one_budget_over_processes_sharing_the_file(tmp_path):
    first = RateLimits("5/minute", "100/minute", tmp_path / "limieten.db")
    second = RateLimits("5/minute", "100/minute", tmp_path / "limieten.db")
    second._key = first._key  # the key is made before the workers fork, so they share it
    answers = [(first if n % 2 else second).hit("beurt", "10.0.0.7") for n in range(8)]
    assert answers[:5] == [None] * 5 and all(wait and 1 <= wait <= 60 for wait in answers[5:])
    assert first.hit("beurt", "10.0.0.8") is None  # another client has its own budget
    assert first.hit("overig", "10.0.0.7") is None  # and so has the other scope


def test_the_file_never_holds_a_client_address(tmp_path):
    limits = RateLimits("5/minute", "100/minute", tmp_path / "limieten.db")
    limits.hit("beurt", "192.168.77.12")
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert b"192.168.77.12" not in raw
