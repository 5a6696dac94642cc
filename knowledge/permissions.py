"""Who may write where the server reads from.

Whoosh reads its table of contents with pickle, so whoever can write in var/builds can make the
server run code. The server therefore refuses to start when var/, var/builds or anything in the
served build is writable by anyone but the service user (or root).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class UnsafePermissions(RuntimeError):
    """var/ is writable by others than the service user."""


def unsafe_paths(var_dir: Path, build_dir: Path) -> list[Path]:
    """Paths someone other than this user (or root) could change."""
    me = os.geteuid()
    build_dir = build_dir.resolve()
    paths = [var_dir, var_dir / "builds", build_dir, *build_dir.rglob("*")]
    found = []
    for path in paths:
        try:
            st = path.lstat()
        except FileNotFoundError:
            continue
        if stat.S_ISLNK(st.st_mode):
            continue
        if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH) or st.st_uid not in (me, 0):
            found.append(path)
    return found


def check_private(var_dir: Path, build_dir: Path) -> None:
    bad = unsafe_paths(Path(var_dir), Path(build_dir))
    if bad:
        shown = ", ".join(str(p) for p in bad[:3]) + (f" en nog {len(bad) - 3}" if len(bad) > 3 else "")
        raise UnsafePermissions(
            f"Buurtwijzer start niet: anderen dan deze gebruiker kunnen schrijven in {shown}. "
            f"Wie daar kan schrijven, kan de server code laten uitvoeren. "
            f"Maak het privé, bijvoorbeeld: chmod -R go-w {var_dir}"
        )
