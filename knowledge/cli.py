"""Command-line commands for the knowledge base: zoek, buurtteam, export, import."""
from __future__ import annotations

import json
from pathlib import Path

import click

from . import config, datapackage
from .schema import DOELGROEPEN, THEMAS, TOEGANGSROUTES, DataError

DEMO = "LET OP: voorbeeldgegevens (demo). Adres, telefoon en tijden zijn niet echt."


def load_kb():
    from .store import KnowledgeBaseMissing, open_kb   # here, so `buurtwijzer --help` starts at once

    try:
        return open_kb()
    except KnowledgeBaseMissing as exc:
        raise click.ClickException(str(exc)) from None


def resolve_wijk(kb, value: str | None) -> str | None:
    if not value:
        return None
    loc = kb.locator.find(value)
    if loc is None:
        names = ", ".join(w["naam"] for w in kb.wijken())
        raise click.BadParameter(f"onbekende wijk, buurt of postcode {value!r}. Wijken: {names}")
    return loc.wijk


def team_lines(team: dict) -> list[str]:
    adres = team["adres"]
    lines = [team["naam"],
             f"  Adres:    {adres['straat']}, {adres['postcode']} {adres['plaats']}",
             f"  Telefoon: {team['telefoon']}",
             f"  E-mail:   {team['email']}",
             f"  Inloop:   {team['inloop']}"]
    tijden = ", ".join(f"{t['dag']} {t['open']}-{t['dicht']}" for t in team["openingstijden"])
    lines.append(f"  Open:     {tijden}")
    if team["status"] == "voorbeeld":
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
def zoek(tekst, wijk, doelgroep, thema, toegangsroute, limit, as_json):
    """Zoek voorzieningen (met stemming, samenstellingen, synoniemen en typfouten)."""
    kb = load_kb()
    hits = kb.zoek(tekst, wijk=resolve_wijk(kb, wijk), doelgroep=doelgroep, thema=thema,
                   toegangsroute=toegangsroute, limit=limit)
    found = {v["id"]: v for v in kb.voorzieningen([h.id for h in hits])}
    if as_json:
        click.echo(json.dumps([{"id": h.id, "score": h.score, "naam": found[h.id]["naam"],
                                "korte_uitleg": found[h.id]["korte_uitleg"],
                                "toegangsroute": found[h.id]["toegangsroute"],
                                "bron": found[h.id]["bron"]} for h in hits], ensure_ascii=False, indent=1))
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
def buurtteam(plaats, as_json):
    """Het buurtteam voor een postcode, wijk of buurt (3563, Lombok, Zuilen)."""
    kb = load_kb()
    found = kb.buurtteam(plaats)
    if found is None:
        raise click.ClickException(
            f"Geen wijk gevonden voor {plaats!r}. Geef een Utrechtse postcode (bijv. 3563) of een wijk of buurt.")
    if as_json:
        click.echo(json.dumps({"wijk": found.wijk["id"], "wijknaam": found.wijk["naam"],
                               "gevonden": found.locatie.gevonden, "soort": found.locatie.soort,
                               "teams": found.teams,
                               "demo": any(t["status"] == "voorbeeld" for t in found.teams)},
                              ensure_ascii=False, indent=1))
        return
    click.echo(f"Wijk {found.wijk['naam']} (gevonden via {found.locatie.soort} '{found.locatie.gevonden}')")
    for team in found.teams:
        click.echo("\n".join(team_lines(team)))


@click.command("export")
@click.argument("doelmap", type=click.Path(file_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True)
def export_cmd(doelmap, fmt):
    """Exporteer de kennisbank als HSDS-datapakket (JSON of CSV)."""
    from .sources import load
    try:
        files = datapackage.export(load(), doelmap, fmt)
    except DataError as exc:
        raise click.ClickException(str(exc)) from None
    for f in files:
        click.echo(f"geschreven: {f}")


@click.command("import")
@click.argument("pakket", type=click.Path(exists=True, path_type=Path))
@click.option("--naar", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Map voor de YAML-bronbestanden (standaard knowledge/data).")
def import_cmd(pakket, naar):
    """Importeer een HSDS-datapakket (JSON of CSV) als bronbestanden. Daarna: buurtwijzer build."""
    try:
        src = datapackage.read(pakket)
    except DataError as exc:
        raise click.ClickException(f"Niets geïmporteerd. {exc}") from None
    for f in datapackage.write_sources(src, naar or config.data_dir()):
        click.echo(f"geschreven: {f}")
    click.echo("Maak de kennisbank opnieuw met: buurtwijzer build")


def register(group: click.Group) -> None:
    for cmd in (zoek, buurtteam, export_cmd, import_cmd):
        group.add_command(cmd)

