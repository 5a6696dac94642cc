"""Learning from misses without keeping personal data.

Questions the assistant could not answer are de-identified in a background thread and only then
written to var/gemist.jsonl, with the likely intent, for editors to improve the training data.
Entries older than the retention period are removed. `BUURTWIJZER_GEMIST=off` switches it off.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import queue
import threading
from collections import defaultdict
from pathlib import Path

from knowledge import config

from .deidentify import Deidentifier

DEFAULT_DAYS = 30


def enabled() -> bool:
    return os.environ.get("BUURTWIJZER_GEMIST", "aan").lower() not in ("off", "uit", "0")


def retention_days() -> int:
    value = os.environ.get("BUURTWIJZER_GEMIST_DAGEN", str(DEFAULT_DAYS))
    return int(value) if value.isdigit() else DEFAULT_DAYS


def scrubber_for(kb) -> Deidentifier:
    """A de-identifier that knows this KB's words and the gemeente's wijk and buurt names."""
    places = {w["naam"] for w in kb.wijken()} | {b for w in kb.wijken() for b in w.get("buurten", ())}
    return Deidentifier(keep=frozenset(kb.lexicon.domain), places=frozenset(places))


class MissLog:
    def __init__(self, path: Path | None = None, days: int | None = None, scrubber: Deidentifier | None = None):
        """`scrubber`: the de-identifier, told the KB's own words and place names (see Deidentifier)."""
        self.path = Path(path or config.var_dir() / "gemist.jsonl")
        self.days = days if days is not None else retention_days()
        self._queue: queue.Queue = queue.Queue(maxsize=1000)
        self._worker: threading.Thread | None = None
        self._write = threading.Lock()
        self._scrubber = scrubber or Deidentifier()
        self._pruned_on: str | None = None   # the day retention was last enforced

    def record(self, text: str, intent: str, confidence: float) -> None:
        """Queue a miss; the text is held in memory only until it is de-identified."""
        try:
            self._queue.put_nowait((text[:2000], intent, round(float(confidence), 3)))
        except queue.Full:
            return
        if self._worker is None or not self._worker.is_alive():
            self._worker = threading.Thread(target=self._run, name="gemist", daemon=True)
            self._worker.start()

    def _run(self) -> None:
        while True:
            try:
                text, intent, confidence = self._queue.get(timeout=5)
            except queue.Empty:
                return
            try:
                self._append({"datum": dt.date.today().isoformat(), "intent": intent,
                              "confidence": confidence, "tekst": self._scrubber.scrub(text)})
            finally:
                self._queue.task_done()

    def flush(self) -> None:
        self._queue.join()

    def _append(self, row: dict) -> None:
        with self._write:
            # Retention is enforced by the writer itself, once a day, not only when someone reads.
            if self._pruned_on != row["datum"]:
                self._prune()
                self._pruned_on = row["datum"]
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")

    def _prune(self) -> list[dict]:
        """Remove entries older than the retention period; the caller holds the write lock."""
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
        """Entries within the retention period; older ones are removed from the file."""
        with self._write:
            return self._prune()

    def grouped(self) -> dict[str, list[dict]]:
        groups: dict[str, list[dict]] = defaultdict(list)
        for row in self.entries():
            groups[str(row.get("intent"))].append(row)
        return dict(sorted(groups.items(), key=lambda kv: -len(kv[1])))
