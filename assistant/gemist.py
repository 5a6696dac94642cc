"""Learning from misses without keeping personal data.

Questions the assistant could not answer are de-identified in a worker process of their own and
only then written to var/gemist.jsonl, with the likely intent, for editors to improve the training data.
Entries older than the retention period are removed. `BUURTWIJZER_GEMIST=off` switches it off.
"""
from __future__ import annotations

import atexit
import datetime as dt
import fcntl
import json
import multiprocessing
import os
import queue
import threading
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

from knowledge import config

from .deidentify import Deidentifier

DEFAULT_DAYS = 30


def enabled() -> bool:
    return os.environ.get("BUURTWIJZER_GEMIST", "aan").lower() not in ("off", "uit", "0")


def retention_days() -> int:
    value = os.environ.get("BUURTWIJZER_GEMIST_DAGEN", str(DEFAULT_DAYS))
    return int(value) if value.isdigit() else DEFAULT_DAYS


def known_words(kb) -> dict:
    """What the de-identifier may keep: this KB's own words and the gemeente's wijk and buurt names."""
    places = {w["naam"] for w in kb.wijken()} | {b for w in kb.wijken() for b in w.get("buurten", ())}
    return {"keep": frozenset(kb.lexicon.domain), "places": frozenset(places)}


def scrubber_for(kb) -> Deidentifier:
    return Deidentifier(**known_words(kb))


class MissFile:
    """var/gemist.jsonl: appending, retention and reading, safe across threads and processes."""

    def __init__(self, path: Path, days: int):
        self.path = Path(path)
        self.days = days
        self._thread_lock = threading.Lock()
        self._pruned_on: str | None = None   # the day retention was last enforced by this writer

    @contextmanager
    def _locked(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._thread_lock, open(self.path.with_name(self.path.name + ".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield

    def append(self, row: dict) -> None:
        with self._locked():
            # Retention is enforced by the writer itself, once a day, not only when someone reads.
            if self._pruned_on != row["datum"]:
                self._prune()
                self._pruned_on = row["datum"]
            with self.path.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")

    def _prune(self) -> list[dict]:
        """Remove entries older than the retention period; the caller holds the lock."""
        if not self.path.exists():
            return []
        cutoff = (dt.date.today() - dt.timedelta(days=self.days)).isoformat()
        lines = [line for line in self.path.read_text(encoding="utf-8").splitlines() if line.strip()]
        rows = []
        for line in lines:
            try:
                rows.append(json.loads(line))
            except ValueError:
                continue   # a line cut off by a crash is dropped, not kept forever
        keep = [r for r in rows if isinstance(r, dict) and str(r.get("datum", "")) >= cutoff]
        if len(keep) != len(lines):
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in keep), encoding="utf-8")
            os.replace(tmp, self.path)
        return keep

    def entries(self) -> list[dict]:
        with self._locked():
            return self._prune()


def _work(jobs, path: str, days: int, words: dict) -> None:
    """The de-identification worker: its own process, so deduce and the word lists never load
    into the server (memory) and never compete with answering for the server's GIL."""
    scrubber = Deidentifier(**words)
    out = MissFile(Path(path), days)
    while True:
        job = jobs.get()
        try:
            if job is None:
                return
            text, intent, confidence = job
            out.append({"datum": dt.date.today().isoformat(), "intent": intent, "confidence": confidence,
                        "tekst": scrubber.scrub(text)})
        except Exception:  # one bad message must not stop the worker; nothing of it is kept
            pass
        finally:
            jobs.task_done()


class MissLog:
    """Misses go, as text in memory only, to one de-identification worker process per server
    process, which writes them de-identified. The queue is bounded: when the worker falls
    behind, misses are dropped and counted (`dropped`), never kept waiting on disk."""

    QUEUE = 1000

    def __init__(self, path: Path | None = None, days: int | None = None, words: dict | None = None):
        self.file = MissFile(Path(path or config.var_dir() / "gemist.jsonl"),
                             days if days is not None else retention_days())
        self.words = words or {}
        self.dropped = 0
        self._context = multiprocessing.get_context("spawn")   # a fresh interpreter, not a copy of the server
        self._jobs = None
        self._worker = None
        self._start = threading.Lock()

    @property
    def path(self) -> Path:
        return self.file.path

    def _ensure_worker(self) -> None:
        with self._start:
            if self._worker is not None and self._worker.is_alive():
                return
            self._jobs = self._context.JoinableQueue(self.QUEUE)
            self._worker = self._context.Process(target=_work, name="buurtwijzer-gemist", daemon=True,
                                                 args=(self._jobs, str(self.file.path), self.file.days, self.words))
            self._worker.start()
            atexit.register(self.close)

    def record(self, text: str, intent: str, confidence: float) -> None:
        """Queue a miss for the worker; the text is held in memory only until it is de-identified."""
        self._ensure_worker()
        try:
            self._jobs.put_nowait((text[:2000], intent, round(float(confidence), 3)))
        except queue.Full:
            self.dropped += 1

    def flush(self) -> None:
        """Wait until the worker has written everything queued so far."""
        if self._jobs is not None:
            self._jobs.join()

    def close(self) -> None:
        if self._worker is not None and self._worker.is_alive():
            try:
                self._jobs.put(None, timeout=1)
                self._worker.join(timeout=5)
            except (queue.Full, OSError, ValueError):
                pass
            if self._worker.is_alive():
                self._worker.terminate()

    def entries(self) -> list[dict]:
        """Entries within the retention period; older ones are removed from the file."""
        return self.file.entries()

    def grouped(self) -> dict[str, list[dict]]:
        groups: dict[str, list[dict]] = defaultdict(list)
        for row in self.entries():
            groups[str(row.get("intent"))].append(row)
        return dict(sorted(groups.items(), key=lambda kv: -len(kv[1])))
