"""Pictograms: the concept -> picture catalogue, the script that vendors the SVGs, and the
contact sheet for editors.

    python -m web.pictogrammen           refresh web/static/picto/ from the npm registry (needs npm)
    python -m web.pictogrammen --blad    write docs/pictogrammen.md and docs/pictogrammen.html
    python -m web.pictogrammen --png     ... and render the sheet to docs/pictogrammen.png (Chromium)

Everything comes from web/pictogrammen.yml: which package, which icon, the Dutch alt text. The
SVGs, their licences and the attribution are committed, so the app never downloads anything at run
time.
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from knowledge import yamlio

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = Path(__file__).parent / "pictogrammen.yml"
PICTO_DIR = Path(__file__).parent / "static" / "picto"
ATTRIBUTION = PICTO_DIR / "BRONNEN.md"
SHEET_MD = ROOT / "docs" / "pictogrammen.md"
SHEET_HTML = ROOT / "docs" / "pictogrammen.html"
SHEET_PNG = ROOT / "docs" / "pictogrammen.png"

# Where data names a pictogram (a `pictogram:` key anywhere in these files) ...
DATA_FILES = (
    "intents/data/*.yml",
    "web/onderwerpen.yml",
    "assistant/answers/*.yml",
    "assistant/dialoog.yml",
    "knowledge/data/voorzieningen.yaml",
)
# ... and where templates name one directly: picto('huis', ...), picto(t.pictogram or 'buurtteam', ...).
TEMPLATES = "web/templates/**/*.html"
_PICTO_CALL = re.compile(r"picto\(([^,)]*)")
_QUOTED = re.compile(r"'([a-z_]+)'")
_SVG_OPEN = re.compile(r"<svg\b[^>]*>")
_TITLE = re.compile(r"<title>.*?</title>", re.S)
_VIEWBOX = re.compile(r'viewBox="([-\d.]+) ([-\d.]+) ([\d.]+) ([\d.]+)"')


@lru_cache(maxsize=1)
def catalogue() -> dict:
    return yamlio.safe_load(CATALOGUE.read_text(encoding="utf-8"))


def concepts() -> dict[str, dict]:
    return catalogue()["pictogrammen"]


def alt(name: str) -> str:
    entry = concepts().get(name)
    return entry["alt"] if entry else ""


def path(name: str) -> Path:
    return PICTO_DIR / f"{name}.svg"


def package_of(name: str) -> str:
    """The key in `pakketten` that the concept's picture comes from."""
    return concepts()[name].get("pakket") or catalogue()["standaard_pakket"]


def packages_used() -> list[str]:
    return sorted({package_of(n) for n in concepts()})


def licence_path(pakket: str) -> Path:
    return PICTO_DIR / f"LICENSE-{pakket}.txt"


# --- building one SVG ---------------------------------------------------------------------------


def _inner(svg: str) -> str:
    """What is between <svg ...> and </svg>, without a title."""
    body = _SVG_OPEN.sub("", svg, count=1)
    return _TITLE.sub("", body.rsplit("</svg>", 1)[0]).strip()


def with_title(svg: str, text: str) -> str:
    """The SVG with exactly one <title>, the Dutch alt text, as its first child."""
    svg = _TITLE.sub("", svg)
    opening = _SVG_OPEN.search(svg)
    if opening is None:
        raise ValueError("geen <svg>-element")
    return f"{svg[: opening.end()]}<title>{html.escape(text, quote=False)}</title>{svg[opening.end() :]}"


def with_badge(base: str, badge: str, name: str) -> str:
    """The base icon with a cut-out circle at the bottom right that holds the badge icon, cut out
    of a filled disc: the way Material draws add_home or person_alert. Both from the same set.
    The mask ids carry the concept's name, so several such SVGs can be inlined in one page."""
    opening = _SVG_OPEN.search(base)
    box = _VIEWBOX.search(opening.group(0)) if opening else None
    if box is None:
        raise ValueError("het basispictogram heeft geen viewBox")
    x, y, w, h = (float(v) for v in box.groups())
    cx, cy, r = x + w * 0.75, y + h * 0.75, w * 0.24
    scale = 2 * r * 0.78 / w  # the badge icon fills most of its disc
    tx, ty = cx - scale * (x + w / 2), cy - scale * (y + h / 2)
    mask_rect = f'<rect x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" fill="#fff"/>'
    return (
        f"{base[: opening.end()]}"
        f'<defs><mask id="ruimte-{name}">{mask_rect}<circle cx="{cx:g}" cy="{cy:g}" r="{r * 1.18:g}"/></mask>'
        f'<mask id="teken-{name}">{mask_rect}<g transform="translate({tx:g} {ty:g}) scale({scale:g})">'
        f"{_inner(badge)}</g></mask></defs>"
        f'<g mask="url(#ruimte-{name})">{_inner(base)}</g>'
        f'<circle cx="{cx:g}" cy="{cy:g}" r="{r:g}" mask="url(#teken-{name})"/></svg>'
    )


def build_svg(name: str, source_dir: Path) -> str:
    """The vendored SVG of one concept, from the unpacked package in source_dir."""
    entry = concepts()[name]
    pattern = catalogue()["pakketten"][package_of(name)]["bestand"]
    svg = (source_dir / pattern.format(bron=entry["bron"])).read_text(encoding="utf-8")
    changes = "titel (alt-tekst) toegevoegd"
    if entry.get("badge"):
        badge = (source_dir / pattern.format(bron=entry["badge"])).read_text(encoding="utf-8")
        svg = with_badge(svg, badge, name)
        changes += f", samengesteld met {entry['badge']}"
    pkg = catalogue()["pakketten"][package_of(name)]
    notice = (
        f"<!-- {pkg['naam']}: {entry['bron']} ({pkg['npm']}, {pkg['licentie_naam']}, "
        f"zie {licence_path(package_of(name)).name}); {changes} -->"
    )
    svg = with_title(svg.strip(), entry["alt"])
    head = _TITLE.search(svg).end()
    return f"{svg[:head]}{notice}{svg[head:]}\n"


# --- refreshing the vendored files --------------------------------------------------------------


def _unpack(spec: str, tmp: Path) -> Path:
    """`npm pack` the package into tmp and unpack it; the folder that holds package.json."""
    out = tmp / re.sub(r"[^a-z0-9]+", "-", spec.lower())
    out.mkdir()
    subprocess.run(["npm", "pack", spec, "--silent"], cwd=out, check=True, stdout=subprocess.DEVNULL)
    tgz = next(out.glob("*.tgz"))
    with tarfile.open(tgz) as tar:
        tar.extractall(out, filter="data")
    return out / "package"


def refresh() -> int:
    """Write every concept's SVG, each package's licence and the attribution into PICTO_DIR."""
    cat = catalogue()
    PICTO_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for key in packages_used():
            pkg = cat["pakketten"][key]
            source = _unpack(pkg["npm"], Path(tmp))
            for name in concepts():
                if package_of(name) == key:
                    path(name).write_text(build_svg(name, source), encoding="utf-8")
            shutil.copyfile(source / pkg["licentie"], licence_path(key))
    for old in PICTO_DIR.glob("*.svg"):
        if old.stem not in concepts():
            old.unlink()
    for old in PICTO_DIR.glob("LICENSE-*.txt"):
        if old.stem.removeprefix("LICENSE-") not in packages_used():
            old.unlink()
    ATTRIBUTION.write_text(attribution(), encoding="utf-8")
    return len(concepts())


def attribution() -> str:
    cat = catalogue()
    lines = [
        "# Bronnen van de pictogrammen",
        "",
        "Gemaakt door `python -m web.pictogrammen` uit `web/pictogrammen.yml`; niet met de hand bewerken.",
        "Elk SVG-bestand kreeg een `<title>` met de Nederlandse alt-tekst. Een pictogram met een *badge*",
        "is samengesteld uit twee pictogrammen van hetzelfde pakket.",
        "",
    ]
    for key in packages_used():
        pkg = cat["pakketten"][key]
        lines += [
            f"## {pkg['naam']}",
            "",
            f"- Pakket: `{pkg['npm']}` (npm), {pkg['url']}",
            f"- Licentie: {pkg['licentie_naam']}, zie `{licence_path(key).name}`",
            "",
            "| bestand | bron | badge |",
            "| --- | --- | --- |",
        ]
        for name, entry in concepts().items():
            if package_of(name) == key:
                lines.append(f"| {name}.svg | {entry['bron']} | {entry.get('badge') or ''} |")
        lines.append("")
    return "\n".join(lines)


# --- where concepts are used --------------------------------------------------------------------


def _pictograms_in(obj, where: str, found: list[tuple[str, str]]) -> None:
    if isinstance(obj, dict):
        if isinstance(obj.get("pictogram"), str):
            found.append((obj["pictogram"], where))
        for value in obj.values():
            _pictograms_in(value, where, found)
    elif isinstance(obj, list):
        for value in obj:
            _pictograms_in(value, where, found)


def _label(path: Path, rec) -> str:
    rel = path.relative_to(ROOT).as_posix()
    if rel.startswith("intents/data/"):
        return f"intent {path.stem} ({rec.get('label')})"
    if rel.startswith("assistant/answers/"):
        return f"antwoord {path.stem}"
    if rel == "assistant/dialoog.yml":
        return "dialoog"
    return rel


def uses(root: Path = ROOT) -> dict[str, list[str]]:
    """Per concept, where it is used: intents, kiosk groups, answer steps, dialogue texts,
    voorzieningen and templates. A concept that is not in the catalogue is listed too."""
    found: list[tuple[str, str]] = []
    for pattern in DATA_FILES:
        for file in sorted(root.glob(pattern)):
            rec = yamlio.safe_load(file.read_text(encoding="utf-8"))
            if file.name == "onderwerpen.yml":
                for group in rec.get("kiosk") or []:
                    found.append((group["pictogram"], f"kiosk: {group['label']}"))
            elif file.name == "voorzieningen.yaml":
                for v in rec or []:
                    if v.get("pictogram"):
                        found.append((v["pictogram"], f"voorziening {v['id']}"))
            else:
                _pictograms_in(rec, _label(file, rec), found)
    for file in sorted(root.glob(TEMPLATES)):
        for call in _PICTO_CALL.finditer(file.read_text(encoding="utf-8")):
            for name in _QUOTED.findall(call.group(1)):
                found.append((name, f"template {file.relative_to(root / 'web' / 'templates').as_posix()}"))
    out: dict[str, list[str]] = defaultdict(list)
    for name, where in found:
        if where not in out[name]:
            out[name].append(where)
    return dict(out)


# --- the contact sheet ----------------------------------------------------------------------------


def _groups(places: list[str]) -> list[tuple[str, str]]:
    """The uses in a few readable groups, in a fixed order."""
    order = (
        ("intents", "intent "),
        ("kiosk", "kiosk: "),
        ("antwoorden", "antwoord "),
        ("dialoog", "dialoog"),
        ("voorzieningen", "voorziening "),
        ("templates", "template "),
    )
    out = []
    for title, prefix in order:
        items = [p.removeprefix(prefix) for p in places if p.startswith(prefix)]
        if items:
            out.append((title, ", ".join(items) if title != "dialoog" else "teksten"))
    return out


def _source(name: str) -> str:
    entry = concepts()[name]
    pkg = catalogue()["pakketten"][package_of(name)]
    icon = entry["bron"] + (f" + {entry['badge']}" if entry.get("badge") else "")
    return f"{icon} ({pkg['naam']}, {pkg['licentie_naam']})"


def sheet_markdown() -> str:
    used = uses()
    lines = [
        "# Pictogrammen: contactblad voor redacteuren",
        "",
        "Gemaakt door `python -m web.pictogrammen --blad` uit `web/pictogrammen.yml`; niet met de hand bewerken.",
        "Kijk bij elk plaatje: ziet iemand die niet leest wat er staat? Plaatje en alt-tekst moeten",
        "hetzelfde zeggen. Het plaatje als één blad: [pictogrammen.html](pictogrammen.html), "
        "[pictogrammen.png](pictogrammen.png).",
        "",
        "| plaatje | concept | alt-tekst | gebruikt in | bron en licentie |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, entry in concepts().items():
        where = "<br>".join(f"**{t}**: {items}" for t, items in _groups(used.get(name, []))) or "*(niet gebruikt)*"
        lines.append(
            f"| ![{entry['alt']}](../web/static/picto/{name}.svg) | `{name}` | {entry['alt']} "
            f"| {where} | {_source(name)} |"
        )
    lines += [
        "",
        "Licenties: "
        + ", ".join(f"`web/static/picto/{licence_path(k).name}`" for k in packages_used())
        + "; per bestand: `web/static/picto/BRONNEN.md`.",
        "",
    ]
    return "\n".join(lines)


def sheet_html() -> str:
    used = uses()
    cards = []
    for name, entry in concepts().items():
        svg = path(name).read_text(encoding="utf-8")
        where = (
            "".join(
                f"<li><b>{html.escape(t)}</b>: {html.escape(items)}</li>" for t, items in _groups(used.get(name, []))
            )
            or "<li><i>niet gebruikt</i></li>"
        )
        cards.append(
            f'<figure><div class="kop">{svg}<div><strong>{html.escape(entry["alt"])}</strong>'
            f"<code>{name}</code></div></div><ul>{where}</ul>"
            f"<small>{html.escape(_source(name))}</small></figure>"
        )
    return (
        '<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8">'
        "<title>Pictogrammen: contactblad</title><style>"
        "body{font:13px/1.3 system-ui,sans-serif;margin:12px;color:#111;background:#fff}"
        "h1{font-size:20px;margin:0 0 4px}p{margin:0 0 10px}"
        ".blad{display:grid;grid-template-columns:repeat(6,1fr);gap:6px}"
        "figure{margin:0;border:1px solid #bbb;border-radius:6px;padding:6px}"
        ".kop{display:flex;gap:8px;align-items:center}"
        ".kop svg{width:64px;height:64px;flex:none}"
        ".kop strong{display:block;font-size:15px;line-height:1.2}code{color:#444;font-size:12px}"
        "ul{margin:4px 0 2px;padding-left:14px;font-size:10.5px;color:#333}"
        "small{display:block;font-size:10px;color:#666}"
        "</style></head><body><h1>Pictogrammen: contactblad</h1>"
        "<p>Gemaakt door <code>python -m web.pictogrammen --blad</code> uit <code>web/pictogrammen.yml</code>. "
        "Per plaatje: de alt-tekst (vet), het concept, waar het gebruikt wordt, de bron en licentie. "
        "Vraag bij elk plaatje: ziet iemand die niet leest wat er staat?</p>"
        f'<div class="blad">{"".join(cards)}</div></body></html>\n'
    )


def write_sheet() -> list[Path]:
    SHEET_MD.write_text(sheet_markdown(), encoding="utf-8")
    SHEET_HTML.write_text(sheet_html(), encoding="utf-8")
    return [SHEET_MD, SHEET_HTML]


def render_png(chromium: str = "/usr/bin/chromium") -> Path:
    """docs/pictogrammen.html as a PNG, with headless Chromium through Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1600, "height": 800})
        page.goto(SHEET_HTML.as_uri())
        page.screenshot(path=str(SHEET_PNG), full_page=True)
        browser.close()
    from PIL import Image  # a few grey tones are enough: keeps the committed PNG small

    with Image.open(SHEET_PNG) as shot:
        small = shot.convert("RGB").quantize(colors=32)
    small.save(SHEET_PNG, optimize=True)
    return SHEET_PNG


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m web.pictogrammen", description=__doc__.split("\n\n")[0])
    parser.add_argument("--blad", action="store_true", help="alleen het contactblad schrijven (docs/pictogrammen.*)")
    parser.add_argument("--png", action="store_true", help="het contactblad ook als PNG (Chromium)")
    parser.add_argument("--chromium", default="/usr/bin/chromium", help="pad naar Chromium voor --png")
    args = parser.parse_args(argv)
    if not (args.blad or args.png):
        n = refresh()
        print(f"{n} pictogrammen in {PICTO_DIR}", file=sys.stderr)
    for written in write_sheet():
        print(f"geschreven: {written.relative_to(ROOT)}", file=sys.stderr)
    if args.png:
        print(f"geschreven: {render_png(args.chromium).relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
