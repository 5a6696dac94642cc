"""Command-line commands for the knowledge base: zoek, buurtteam, export, import."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import config, records
from .schema import DOELGROEPEN, THEMAS, TOEGANGSROUTES, DataError
from .settings import Settings

if TYPE_CHECKING:
    from .store import KnowledgeBase

DEMO = "LET OP: voorbeeldgegevens (demo). Adres, telefoon en tijden zijn niet echt."


def load_kb(settings: Settings | None = None) -> KnowledgeBase:
    from .backends import open_kb  # here, so `buurtwijzer --help` starts at once
    from .store import KnowledgeBaseMissing

    try:
        return open_kb(settings=settings)
    except KnowledgeBaseMissing as exc:
        raise click.ClickException(str(exc)) from None


def resolve_wijk(kb: KnowledgeBase, value: str | None) -> str | None:
    if not value:
        return None
    loc = kb.locator.find(value)
    if loc is None:
        names = ", ".join(w["naam"] for w in kb.wijken())
        raise click.BadParameter(f"onbekende wijk, buurt of postcode {value!r}. Wijken: {names}")
    return loc.wijk


def team_lines(team: Mapping[str, Any]) -> list[str]:
    """A buurtteam or another place to go, as lines for the terminal (fields it lacks are left out)."""
    lines = [team["naam"]]
    if team.get("adres"):
        adres = team["adres"]
        lines.append(f"  Adres:    {adres['straat']}, {adres['postcode']} {adres['plaats']}")
    for label, key in (("Telefoon", "telefoon"), ("E-mail", "email"), ("Inloop", "inloop")):
        if team.get(key):
            lines.append(f"  {label + ':':<9} {team[key]}")
    if team.get("openingstijden"):
        tijden = ", ".join(f"{t['dag']} {t['open']}-{t['dicht']}" for t in team["openingstijden"])
        lines.append(f"  Open:     {tijden}")
    if team.get("status") == "voorbeeld":
        lines.append(f"  {DEMO}")
    return lines


@click.command()
@click.argument("tekst", required=False, default="")
@click.option("--wijk", help="Wijk, buurt of postcode (Overvecht, Lombok, 3563).")
@click.option("--doelgroep", type=click.Choice(DOELGROEPEN))
@click.option("--thema", type=click.Choice(THEMAS))
@click.option("--toegangsroute", type=click.Choice(TOEGANGSROUTES))
@click.option("--limit", default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
@click.pass_obj
def zoek(
    settings: Settings,
    tekst: str,
    wijk: str | None,
    doelgroep: str | None,
    thema: str | None,
    toegangsroute: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """Zoek voorzieningen (met stemming, samenstellingen, synoniemen en typfouten)."""
    kb = load_kb(settings)
    hits = kb.zoek(
        tekst, wijk=resolve_wijk(kb, wijk), doelgroep=doelgroep, thema=thema, toegangsroute=toegangsroute, limit=limit
    )
    found = {v["id"]: v for v in kb.voorzieningen([h.id for h in hits])}
    if as_json:
        click.echo(
            json.dumps(
                [{"id": h.id, "score": h.score, **records.api_json(found[h.id])} for h in hits],
                ensure_ascii=False,
                indent=1,
            )
        )
        return
    if not hits:
        click.echo("Niets gevonden. Probeer een ander woord, of vraag het buurtteam.")
        return
    for h in hits:
        v = found[h.id]
        click.echo(f"{v['naam']}  [{v['id']}]")
        click.echo(f"  {v['korte_uitleg']}")
        click.echo(f"  Hoe: {v['toegangsroute'].replace('_', ' ')}")


@click.command()
@click.argument("plaats")
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
@click.pass_obj
def buurtteam(settings: Settings, plaats: str, as_json: bool) -> None:
    """Het buurtteam voor een postcode, wijk of buurt (3563, Lombok, Zuilen)."""
    kb = load_kb(settings)
    found = kb.buurtteam(plaats)
    if found is None:
        raise click.ClickException(
            f"Geen wijk gevonden voor {plaats!r} in {kb.gemeente()['naam']}. Geef een postcode, "
            f"wijk of buurt ({', '.join(w['naam'] for w in kb.wijken()[:3])}, ...)."
        )
    if as_json:
        click.echo(
            json.dumps(
                {
                    "wijk": found.wijk["id"],
                    "wijknaam": found.wijk["naam"],
                    "gevonden": found.locatie.gevonden,
                    "soort": found.locatie.soort,
                    "teams": [records.team_card(t) for t in found.teams],
                    "demo": any(t.demo for t in found.teams),
                },
                ensure_ascii=False,
                indent=1,
            )
        )
        return
    click.echo(f"Wijk {found.wijk['naam']} (gevonden via {found.locatie.soort} '{found.locatie.gevonden}')")
    for team in found.teams:
        click.echo("\n".join(team_lines(team)))


@click.command("export")
@click.argument("doelmap", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json"]),
    default="csv",
    show_default=True,
    help="csv: HSDS 3.0 tabular package (datapackage.json + CSV per table); json: HSDS JSON form.",
)
@click.pass_obj
def export_cmd(settings: Settings, doelmap: Path, fmt: str) -> None:
    """Exporteer de sociale kaart als HSDS 3.0-pakket (Open Referral)."""
    from . import hsds
    from .sources import load

    try:
        files = hsds.export(load(config.data_dir(settings)), doelmap, fmt)
    except DataError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"Kan niet schrijven in {doelmap}: {exc.strerror or exc}") from None
    click.echo(f"{len(files)} bestanden geschreven in {doelmap}")


@click.command("import")
@click.argument("pakket", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--naar",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Map met de bronbestanden en het gemeenteprofiel (standaard knowledge/data).",
)
@click.option(
    "--vervang",
    is_flag=True,
    help="Het pakket is de hele kaart; zonder deze optie vervangt het alleen records met dezelfde id.",
)
@click.pass_obj
def import_cmd(settings: Settings, pakket: Path, naar: Path | None, vervang: bool) -> None:
    """Importeer een HSDS 3.0-pakket (tabellen of JSON) in de bronbestanden. Daarna: buurtwijzer build."""
    from . import hsds

    try:
        files = hsds.import_package(pakket, naar or config.data_dir(settings), replace=vervang)
    except DataError as exc:
        raise click.ClickException(f"Niets geïmporteerd. {exc}") from None
    for f in files:
        click.echo(f"geschreven: {f}")
    click.echo("Maak de kennisbank opnieuw met: buurtwijzer build")


def register(group: click.Group) -> None:
    for cmd in (zoek, buurtteam, export_cmd, import_cmd):
        group.add_command(cmd)
