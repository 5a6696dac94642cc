"""Pictograms: the concept -> picture catalogue, and the script that vendors the SVGs.

Run `python -m web.pictogrammen` to refresh web/static/picto/ from the npm
registry (needs npm). The SVGs and the licence are committed, so the app
never downloads anything at run time.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import tempfile
from functools import lru_cache
from pathlib import Path

from knowledge import yamlio

CATALOGUE = Path(__file__).parent / "pictogrammen.yml"
PICTO_DIR = Path(__file__).parent / "static" / "picto"


@lru_cache(maxsize=1)
def catalogue() -> dict:
    return yamlio.safe_load(CATALOGUE.read_text(encoding="utf-8"))


def alt(name: str) -> str:
    entry = catalogue()["pictogrammen"].get(name)
    return entry["alt"] if entry else ""


def path(name: str) -> Path:
    return PICTO_DIR / f"{name}.svg"


def refresh() -> int:
    cat = catalogue()
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", cat["pakket"], "--silent"], cwd=tmp, check=True,
                       stdout=subprocess.DEVNULL)
        tgz = next(Path(tmp).glob("*.tgz"))
        with tarfile.open(tgz) as tar:
            tar.extractall(tmp, filter="data")
        icons = Path(tmp) / "package" / "public" / "icons" / "svg" / cat["stijl"]
        PICTO_DIR.mkdir(parents=True, exist_ok=True)
        for name, entry in cat["pictogrammen"].items():
            shutil.copyfile(icons / entry["bron"], path(name))
        shutil.copyfile(Path(tmp) / "package" / "LICENSE", PICTO_DIR / "LICENSE-healthicons.txt")
    return len(cat["pictogrammen"])


if __name__ == "__main__":
    n = refresh()
    print(f"{n} pictogrammen in {PICTO_DIR}", file=sys.stderr)
