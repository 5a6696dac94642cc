"""The pictograms: every concept the data or a template uses exists, with a picture whose <title> is
its Dutch alt text; no two concepts look the same; the contact sheet and the attribution are what
`python -m web.pictogrammen` makes from web/pictogrammen.yml; every package's licence is there."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from knowledge import yamlio
from knowledge.schema import PICTOGRAMMEN
from web import pictogrammen

SVG_NS = "{http://www.w3.org/2000/svg}"
ROOT = pictogrammen.ROOT
# Licence texts: a word that the licence file of that licence must contain.
LICENCE_WORDS = {
    "Apache-2.0": "Apache License",
    "MIT": "MIT",
    "CC-BY-SA-4.0": "Attribution-ShareAlike 4.0",
    "CC-BY-4.0": "Attribution 4.0",
}


def drawing(name: str) -> str:
    """The SVG without its title and with the concept's name out of the mask ids: what one sees."""
    svg = pictogrammen.path(name).read_text(encoding="utf-8")
    return re.sub(r"<title>.*?</title>|<!--.*?-->", "", svg, flags=re.S).replace(f"-{name}", "")


def test_catalogue_and_schema_name_the_same_concepts():
    assert set(pictogrammen.concepts()) == set(PICTOGRAMMEN)


def test_every_concept_used_in_data_or_templates_exists_with_a_picture():
    used = pictogrammen.uses()
    # the test gemeente's kaart too: a second gemeente's data must also use known concepts
    for file in sorted((ROOT / "tests" / "data").glob("*/voorzieningen.yaml")):
        for v in yamlio.safe_load(file.read_text(encoding="utf-8")):
            used.setdefault(v["pictogram"], []).append(f"{file.parent.name} {v['id']}")
    for kind in ("intent ", "kiosk: ", "antwoord ", "dialoog", "voorziening ", "template "):
        assert any(p.startswith(kind) for places in used.values() for p in places), f"nothing found for {kind!r}"
    unknown = {name: places for name, places in used.items() if name not in pictogrammen.concepts()}
    assert not unknown, f"pictogram not in web/pictogrammen.yml: {unknown}"
    for name in used:
        assert pictogrammen.path(name).is_file(), name


def test_every_svg_has_one_title_equal_to_its_alt():
    for name, entry in pictogrammen.concepts().items():
        root = ET.fromstring(pictogrammen.path(name).read_text(encoding="utf-8"))
        assert root.tag == f"{SVG_NS}svg", name
        titles = root.findall(f".//{SVG_NS}title")
        assert len(titles) == 1 and root[0] is titles[0], f"{name}: one <title>, as the first child"
        assert titles[0].text == entry["alt"], name
        assert entry["alt"].strip() and entry["alt"][0].isupper(), name


def test_no_stale_svgs_beside_the_catalogue():
    on_disk = {p.stem for p in pictogrammen.PICTO_DIR.glob("*.svg")}
    assert on_disk == set(pictogrammen.concepts())


def test_no_two_concepts_share_a_picture():
    seen: dict[str, str] = {}
    for name in pictogrammen.concepts():
        picture = drawing(name)
        assert picture not in seen, f"{name} and {seen.get(picture)} show the same picture"
        seen[picture] = name
    sources = [(pictogrammen.package_of(n), e["bron"], e.get("badge")) for n, e in pictogrammen.concepts().items()]
    assert len(sources) == len(set(sources))


def test_the_contact_sheet_is_up_to_date_with_the_catalogue():
    assert pictogrammen.SHEET_MD.read_text(encoding="utf-8") == pictogrammen.sheet_markdown(), (
        "run: python -m web.pictogrammen --blad"
    )
    assert pictogrammen.SHEET_HTML.read_text(encoding="utf-8") == pictogrammen.sheet_html(), (
        "run: python -m web.pictogrammen --blad"
    )
    sheet = pictogrammen.SHEET_MD.read_text(encoding="utf-8")
    for name, entry in pictogrammen.concepts().items():
        assert f"`{name}`" in sheet and entry["alt"] in sheet, name


def test_licence_and_attribution_for_every_package_used():
    cat = pictogrammen.catalogue()
    attribution = pictogrammen.ATTRIBUTION.read_text(encoding="utf-8")
    assert attribution == pictogrammen.attribution(), "run: python -m web.pictogrammen"
    sheet = pictogrammen.SHEET_MD.read_text(encoding="utf-8")
    for key in pictogrammen.packages_used():
        pkg = cat["pakketten"][key]
        licence = pictogrammen.licence_path(key)
        assert licence.is_file(), licence
        assert LICENCE_WORDS[pkg["licentie_naam"]] in licence.read_text(encoding="utf-8"), licence
        assert pkg["npm"] in attribution and pkg["licentie_naam"] in attribution, key
        assert pkg["naam"] in sheet and pkg["licentie_naam"] in sheet, key
    for name in pictogrammen.concepts():
        assert f"| {name}.svg |" in attribution, name


def _fake_package(folder: Path) -> Path:
    """Every catalogue package unpacked in one folder, in its own layout: one small square per icon."""
    cat = pictogrammen.catalogue()
    for i, (name, entry) in enumerate(pictogrammen.concepts().items()):
        pkg = cat["pakketten"][pictogrammen.package_of(name)]
        for icon in filter(None, (entry["bron"], entry.get("badge"))):
            file = folder / pkg["bestand"].format(bron=icon)
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(
                f'<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48" '
                f'viewBox="0 -960 960 960"><title>{icon}</title><path d="M{i} -{i}h10v10z"/></svg>',
                encoding="utf-8",
            )
        (folder / pkg["licentie"]).write_text(f"{LICENCE_WORDS[pkg['licentie_naam']]}\n", encoding="utf-8")
    return folder


def test_refresh_builds_everything_from_the_catalogue(tmp_path, monkeypatch):
    """The refresh works from the yml alone: every concept's icon, badge and alt, and each licence."""
    package = _fake_package(tmp_path / "package")
    out = tmp_path / "picto"
    out.mkdir()
    (out / "weg.svg").write_text("<svg/>")
    monkeypatch.setattr(pictogrammen, "_unpack", lambda spec, tmp: package)
    monkeypatch.setattr(pictogrammen, "PICTO_DIR", out)
    monkeypatch.setattr(pictogrammen, "ATTRIBUTION", out / "BRONNEN.md")
    assert pictogrammen.refresh() == len(pictogrammen.concepts())
    assert {p.stem for p in out.glob("*.svg")} == set(pictogrammen.concepts())
    for name, entry in pictogrammen.concepts().items():
        svg = (out / f"{name}.svg").read_text(encoding="utf-8")
        assert svg.count("<title>") == 1 and f"<title>{entry['alt']}</title>" in svg, name
        assert ("mask=" in svg) == bool(entry.get("badge")), name
    for key in pictogrammen.packages_used():
        assert (out / f"LICENSE-{key}.txt").is_file(), key
    assert (out / "BRONNEN.md").read_text(encoding="utf-8") == pictogrammen.attribution()


@pytest.mark.parametrize("alt_text", ["Geen huis", "Eten & drinken"])
def test_title_is_replaced_not_added(alt_text):
    svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>old</title><path d="M0 0h1z"/></svg>'
    root = ET.fromstring(pictogrammen.with_title(pictogrammen.with_title(svg, "x"), alt_text))
    assert [t.text for t in root.iter(f"{SVG_NS}title")] == [alt_text]
