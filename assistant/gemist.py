"""Learning from misses without keeping personal data.

Questions the assistant could not answer are de-identified in a worker process of their own and
only then written to var/gemist.jsonl, with the likely intent, for editors to improve the training data.
Entries older than the retention period (BUURTWIJZER_GEMIST_DAGEN) are removed. `BUURTWIJZER_GEMIST=off`
switches it off.

There is one worker per miss file (so one per host for `buurtwijzer serve`, whatever the number of
server processes): it listens on a Unix socket beside the file (`var/gemist.sock`). Every server
process sends its misses there from a bounded queue in memory; nothing waits on disk.
"""

from __future__ import annotations

import atexit
import datetime as dt
import fcntl
import hashlib
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from contextlib import contextmanager, suppress
from pathlib import Path

from knowledge import config
from knowledge.settings import Settings

WARM_AFTER_SECONDS = 5


def enabled(settings: Settings | None = None) -> bool:
    return (settings or Settings.load()).gemist


def retention_days(settings: Settings | None = None) -> int:
    return (settings or Settings.load()).gemist_dagen


def known_words(kb) -> dict:
    """What the de-identifier may keep: this KB's own words and the gemeente's wijk and buurt names."""
    places = {w["naam"] for w in kb.wijken()} | {b for w in kb.wijken() for b in w.get("buurten", ())}
    return {"keep": frozenset(kb.lexicon.domain), "places": frozenset(places)}


def scrubber_for(kb):
    from .deidentify import Deidentifier

    return Deidentifier(**known_words(kb))


class MissFile:
    """var/gemist.jsonl: appending, retention and reading, safe across threads and processes."""

    def __init__(self, path: Path, days: int):
        self.path = Path(path)
        self.days = days
        self._thread_lock = threading.Lock()
        self._pruned_on: str | None = None  # the day retention was last enforced by this writer

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
                continue  # a line cut off by a crash is dropped, not kept forever
        keep = [r for r in rows if isinstance(r, dict) and str(r.get("datum", "")) >= cutoff]
        if len(keep) != len(lines):
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in keep), encoding="utf-8")
            os.replace(tmp, self.path)
        return keep

    def entries(self) -> list[dict]:
        with self._locked():
            return self._prune()


def socket_path(miss_file: Path) -> Path:
    """The worker's socket beside the miss file, or in the temp dir when that path is too long for one."""
    path = Path(miss_file).with_name("gemist.sock")
    if len(os.fsencode(path)) < 100:
        return path
    digest = hashlib.sha256(os.fsencode(Path(miss_file).resolve())).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"buurtwijzer-gemist-{digest}.sock"


def work(sock_path: Path, miss_file: Path, days: int, words: dict, parent: int) -> None:
    """The de-identification worker: a process of its own, so the word lists never load into a
    server (memory) and de-identifying never competes with answering for a server's GIL.
    One thread per connected server process; one message is de-identified at a time."""
    from .deidentify import Deidentifier

    old = os.umask(0o077)  # the socket is the service user's only
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    with suppress(FileNotFoundError):
        os.unlink(sock_path)
    server.bind(os.fspath(sock_path))
    os.umask(old)
    server.listen(64)
    scrubber = Deidentifier(keep=frozenset(words.get("keep", ())), places=frozenset(words.get("places", ())))
    out = MissFile(miss_file, days)
    busy = threading.Lock()
    stopping = threading.Event()

    def serve(conn: socket.socket) -> None:
        with conn, conn.makefile("r", encoding="utf-8") as lines:
            for line in lines:
                with busy:
                    if stopping.is_set():
                        return
                    try:
                        text, intent, confidence = json.loads(line)
                        out.append(
                            {
                                "datum": dt.date.today().isoformat(),
                                "intent": intent,
                                "confidence": confidence,
                                "tekst": scrubber.scrub(text),
                            }
                        )
                    except Exception:  # one bad message must not stop the worker; nothing of it is kept
                        pass
                with suppress(OSError):
                    conn.sendall(b"ok\n")

    def accept() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    # Answering comes first: the worker yields the CPU to the servers. It loads its word lists
    # (3 s of CPU) a few seconds after the start, when the servers are up, rather than when the
    # first miss arrives among busy traffic (a miss before then loads them at once).
    os.nice(10)
    threading.Thread(target=accept, daemon=True).start()

    def warm() -> None:
        with busy:
            scrubber.scrub("warm")

    threading.Timer(WARM_AFTER_SECONDS, warm).start()
    while not stopping.wait(0.5):
        if os.getppid() != parent:  # the server that started us is gone
            break
    with busy:  # let the message being written finish
        with suppress(FileNotFoundError):
            os.unlink(sock_path)
        os._exit(0)


class MissLog:
    """Misses go, as text in memory only, to the de-identification worker, which writes them
    de-identified. The first miss file user on a host starts the worker (`start`); the others
    find it on its socket. Each process sends from a bounded queue and waits for the worker to
    confirm each message, so when the worker falls behind the queue fills and further misses are
    dropped and counted (`dropped`), never kept waiting on disk."""

    QUEUE = 1000
    CONNECT_SECONDS = 30

    def __init__(
        self,
        path: Path | None = None,
        days: int | None = None,
        words: dict | None = None,
        settings: Settings | None = None,
    ):
        if path is None or days is None:
            settings = settings or Settings.load()
        self.file = MissFile(
            Path(path or config.var_dir(settings) / "gemist.jsonl"),
            days if days is not None else retention_days(settings),
        )
        self.socket = socket_path(self.file.path)
        self.words = words or {}
        self.dropped = 0
        self._worker: subprocess.Popen | None = None  # the worker this process started, if any
        self._owner = os.getpid()
        self._pid = None  # the process the sender below belongs to
        self._jobs: queue.Queue | None = None
        self._guard = threading.Lock()

    @property
    def path(self) -> Path:
        return self.file.path

    # ------------------------------------------------------------------ worker
    def start(self) -> None:
        """Start the worker unless one already listens on the socket; returns once it has bound it."""
        self.file.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.socket.with_name(self.socket.name + ".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if self._alive():
                return
            found = self._connect(wait=False)
            if found is not None:
                found.close()
                return
            with suppress(FileNotFoundError):
                os.unlink(self.socket)  # left by a worker that is gone
            self._worker = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "assistant.gemist",
                    str(self.socket),
                    str(self.file.path),
                    str(self.file.days),
                    str(os.getpid()),
                ],
                stdin=subprocess.PIPE,
                cwd=Path(__file__).resolve().parent.parent,
                close_fds=True,
            )
            self._owner = os.getpid()
            self._worker.stdin.write(json.dumps({k: sorted(v) for k, v in self.words.items()}).encode())
            self._worker.stdin.close()
            # The socket appears when the worker has bound it; until then the new file is not theirs.
            deadline = time.monotonic() + self.CONNECT_SECONDS
            while not self.socket.exists() and self._alive() and time.monotonic() < deadline:
                time.sleep(0.01)
            atexit.register(self.close)

    def _alive(self) -> bool:
        return self._worker is not None and self._owner == os.getpid() and self._worker.poll() is None

    def _connect(self, wait: bool) -> socket.socket | None:
        deadline = time.monotonic() + (self.CONNECT_SECONDS if wait else 0)
        while True:
            conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                conn.connect(os.fspath(self.socket))
                conn.settimeout(self.CONNECT_SECONDS)
                return conn
            except OSError:
                conn.close()
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.05)

    # ------------------------------------------------------------------ sending
    def _sender_queue(self) -> queue.Queue:
        """This process's queue and sender thread; a forked server process makes its own."""
        with self._guard:
            if self._pid != os.getpid():
                self._pid = os.getpid()
                self._jobs = queue.Queue(self.QUEUE)
                threading.Thread(target=self._send, args=(self._jobs,), name="buurtwijzer-gemist", daemon=True).start()
            return self._jobs

    def _send(self, jobs: queue.Queue) -> None:
        conn, replies = None, None
        while True:
            job = jobs.get()
            try:
                for _attempt in range(2):
                    if conn is None:
                        conn = self._connect(wait=False)
                        if conn is None:
                            self.start()
                            conn = self._connect(wait=True)
                        replies = conn.makefile("rb") if conn else None
                    if conn is None:
                        self.dropped += 1
                        break
                    try:
                        conn.sendall(job)
                        if replies.readline():  # written: the worker confirms each message
                            break
                        raise ConnectionError("worker gone")
                    except OSError:
                        conn.close()
                        conn = None  # the worker restarted: connect again once
                else:
                    self.dropped += 1
            finally:
                jobs.task_done()

    def record(self, text: str, intent: str, confidence: float) -> None:
        """Queue a miss for the worker; the text is held in memory only until it is de-identified."""
        line = json.dumps([text[:2000], intent, round(float(confidence), 3)], ensure_ascii=False) + "\n"
        try:
            self._sender_queue().put_nowait(line.encode("utf-8"))
        except queue.Full:
            self.dropped += 1

    def flush(self) -> None:
        """Wait until the worker has written everything this process queued so far."""
        if self._jobs is not None and self._pid == os.getpid():
            self._jobs.join()

    def close(self) -> None:
        """Stop the worker if this process started it (after what was queued here is written)."""
        if not self._alive():
            return
        self.flush()
        self._worker.terminate()
        try:
            self._worker.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._worker.kill()

    def entries(self) -> list[dict]:
        """Entries within the retention period; older ones are removed from the file."""
        return self.file.entries()

    def grouped(self) -> dict[str, list[dict]]:
        groups: dict[str, list[dict]] = defaultdict(list)
        for row in self.entries():
            groups[str(row.get("intent"))].append(row)
        return dict(sorted(groups.items(), key=lambda kv: -len(kv[1])))


if __name__ == "__main__":
    sock, miss_file, days, parent = sys.argv[1:5]
    work(Path(sock), Path(miss_file), int(days), json.loads(sys.stdin.read() or "{}"), int(parent))
