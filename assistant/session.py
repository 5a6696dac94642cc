"""Conversation state. Holds no message text: only topic, wijk, niveau and counters."""
from __future__ import annotations

import os
import secrets
import threading
import time
from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass, field

DEFAULT_TTL = 30 * 60


def ttl_from_env() -> int:
    """Session lifetime in seconds: BUURTWIJZER_SESSIE_MINUTEN (default 30)."""
    value = os.environ.get("BUURTWIJZER_SESSIE_MINUTEN", "")
    return int(value) * 60 if value.isdigit() and int(value) > 0 else DEFAULT_TTL


@dataclass
class Session:
    id: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    niveau: str = "standaard"
    wijk: str | None = None
    topic: str | None = None          # the intent last answered
    pending: str | None = None        # the intent waiting for a wijk/postcode
    options: list[str] = field(default_factory=list)  # intents offered in the last clarify
    misses: int = 0                   # low-confidence turns in a row
    updated: float = field(default_factory=time.time)

    def to_dict(self) -> dict:
        return asdict(self)


class SessionStore(ABC):
    @abstractmethod
    def get(self, session_id: str | None) -> Session: ...

    @abstractmethod
    def save(self, session: Session) -> None: ...

    @abstractmethod
    def delete(self, session_id: str) -> None: ...


class MemorySessionStore(SessionStore):
    """Sessions in this process's memory, forgotten after `ttl` seconds without use."""

    def __init__(self, ttl: int | None = None):
        self.ttl = ttl if ttl is not None else ttl_from_env()
        self._data: dict[str, Session] = {}
        self._lock = threading.Lock()

    def get(self, session_id: str | None) -> Session:
        now = time.time()
        with self._lock:
            self._expire(now)
            if session_id and session_id in self._data:
                return self._data[session_id]
        return Session(id=session_id) if session_id else Session()

    def save(self, session: Session) -> None:
        session.updated = time.time()
        with self._lock:
            self._data[session.id] = session

    def delete(self, session_id: str) -> None:
        with self._lock:
            self._data.pop(session_id, None)

    def _expire(self, now: float) -> None:
        old = [k for k, s in self._data.items() if now - s.updated > self.ttl]
        for k in old:
            del self._data[k]

    def __len__(self) -> int:
        return len(self._data)
