"""What a build directory holds, and the lock that marks it in use. Read by every backend that
serves a build; written by knowledge.build."""

from __future__ import annotations

import fcntl
from pathlib import Path
from typing import IO

DB_NAME = "kb.sqlite"
INDEX_DIR = "index"
LEXICON = "lexicon.json"
PROFIEL = "profiel.json"  # the gemeente profile and the source documents the build was checked against
LOCK_FILE = "in-gebruik.lock"


def hold(build_dir: Path) -> IO[bytes] | None:
    """Mark a build as in use by this process (a shared lock, released when the process ends).

    Returns the open lock file, to keep for as long as the build is served; None when the
    build has no lock file (an older build) or is still being written."""
    try:
        fh = (Path(build_dir).resolve() / LOCK_FILE).open("rb")
    except OSError:
        return None
    try:
        fcntl.flock(fh, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        fh.close()
        return None
    return fh
