"""The assistant's commands: ask, chat, answers, leesbaarheid, voorlees, gemist, controle (and eval)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from knowledge import cli as knowledge_cli
from knowledge.schema import NIVEAUS, DataError

from . import eval_cli
from .loader import load_assistant

# Everything else is imported inside the command that needs it, so `buurtwijzer --help` starts at once.


@click.group()
def commands():
    """The assistant's own commands; web/main.py puts them under `buurtwijzer`."""


def print_reply(reply) -> None:
    data = reply.to_json()
    route = data["route"]
    safety = data.get("safety") or {}
    if route["type"] == "crisis":
        for n in route["contact"]["nummers"]:
            click.secho(f"BEL {n['nummer']}  ({n['label']})", bold=True)
        if route["contact"].get("chat"):
            click.echo(route["contact"]["chat"])
    click.echo(data["answer"]["text"])
    if safety.get("question"):
        q = safety["question"]
        click.secho(f"{q['text']}  [" + " / ".join(o["label"] for o in q["options"]) + "]", bold=True)
    for i, step in enumerate(data["answer"]["steps"], 1):
        click.echo(f"  {i}. [{step['pictogram']}] {step['text']}")
    for i, opt in enumerate(data["clarify"], 1):
        click.echo(f"  ({i}) {opt['label']}")
    if safety.get("level") == "note":
        click.echo(safety["text"])
    contact = route.get("contact") or {}
    team = contact.get("buurtteam")
    if team:
        click.echo("\n".join(knowledge_cli.team_lines({**team, "status": "voorbeeld" if team["demo"] else "bron"})))
    place = contact.get("voorziening")
    if place:
        click.echo("\n".join(knowledge_cli.team_lines({**place, "status": "voorbeeld" if place["demo"] else "bron"})))
    if data["answer"]["sources"] and data["answer"]["niveau"] == "professional":
        click.echo("Bronnen: " + "; ".join(f"{s['bestand']} r. {s['regels']}" for s in data["answer"]["sources"]))


@commands.command()
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
@click.pass_obj
def controle(settings, as_json):
    """Wat een redacteur moet nagaan: records met alleen oude bronnen, voorbeeldgegevens, en
    onderwerpen of antwoorden die naar iets verwijzen dat niet in de kaart staat."""
    from intents import catalogue
    from knowledge import config
    from knowledge.controle import controle as check
    from knowledge.sources import load

    from . import answers

    try:
        src = load(config.data_dir(settings))
        links = {i.id: {"voorzieningen": i.voorzieningen, "regels": i.regels} for i in catalogue.load().values()}
        found = check(src, links, answers.load())
    except DataError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=1))
        return
    click.echo(
        f"Mogelijk verouderd (alleen bronnen ouder dan {found['verouderd_na_jaren']} jaar), "
        f"{len(found['mogelijk_verouderd'])}:"
    )
    for r in found["mogelijk_verouderd"]:
        click.echo(f"  {r['soort']}: {r['id']} ({r['naam']}), nieuwste bron {r['nieuwste_bron']}")
    click.echo(f"Voorbeeldgegevens (demo), {len(found['voorbeeldgegevens'])}:")
    for r in found["voorbeeldgegevens"]:
        click.echo(f"  {r['soort']}: {r['id']} ({r['naam']})")
    click.echo(f"Verwijzingen die de kaart niet kan vullen, {len(found['ontbrekende_koppelingen'])}:")
    for line in found["ontbrekende_koppelingen"]:
        click.echo(f"  {line}")
    click.echo(
        f"Door een mens nagegaan (laatst_gecontroleerd): {found['nagegaan']} van {found['totaal']} "
        "voorzieningen en regels."
    )


@commands.command()
@click.argument("tekst", required=False)
@click.option("--niveau", type=click.Choice(NIVEAUS), default=None, help="Taalniveau van het antwoord.")
@click.option("--wijk", help="Wijk of buurt van de inwoner.")
@click.option("--postcode", help="Postcode van de inwoner (3563 of 3563 AB).")
@click.option("--json", "as_json", is_flag=True, help="Antwoord als JSON.")
@click.option("--jsonl", is_flag=True, help="Lees JSON-regels van stdin, schrijf één antwoord per regel.")
@click.option(
    "--taal", type=click.Choice(["nl", "en"]), default=None, help="Antwoordtaal. Zonder: de taal van het bericht."
)
@click.pass_obj
def ask(settings, tekst, niveau, wijk, postcode, as_json, jsonl, taal):
    """Beantwoord één bericht (of veel, met --jsonl)."""
    if wijk and postcode:
        raise click.UsageError("Geef --wijk of --postcode, niet allebei.")
    assistant = load_assistant(settings)
    if jsonl:
        _ask_jsonl(assistant, niveau, taal)
        return
    if tekst is None:
        raise click.UsageError("Geef een tekst, of gebruik --jsonl.")
    reply = assistant.reply(tekst, niveau=niveau, wijk=wijk, postcode=postcode, lang=taal)
    if as_json:
        click.echo(json.dumps(reply.to_json(), ensure_ascii=False, indent=1))
    else:
        print_reply(reply)


def _ask_jsonl(assistant, niveau: str | None, taal: str | None = None) -> None:
    sessions: dict[str, str] = {}
    out = sys.stdout
    for n, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if not isinstance(row, dict):
                raise ValueError
        except ValueError:
            out.write(json.dumps({"error": f"regel {n}: geen JSON-object"}, ensure_ascii=False) + "\n")
            continue
        label = row.get("session")
        sid = sessions.get(str(label)) if label is not None else None
        reply = assistant.reply(
            row.get("text", ""),
            session_id=sid,
            niveau=row.get("niveau") or niveau,
            wijk=row.get("wijk"),
            postcode=row.get("postcode"),
            intent=row.get("intent"),
            lang=row.get("lang") or taal,
        )
        if label is not None:
            sessions[str(label)] = reply.session
        data = reply.to_json()
        if label is not None:
            data["session"] = label
        out.write(json.dumps(data, ensure_ascii=False) + "\n")
    out.flush()


@commands.command()
@click.option("--niveau", type=click.Choice(NIVEAUS), default="standaard")
@click.pass_obj
def chat(settings, niveau):
    """Een gesprek in de terminal. Stop met Ctrl-D of 'stop'."""
    assistant = load_assistant(settings)
    click.echo("Buurtwijzer. Stel je vraag. (stop met 'stop')")
    session = None
    while True:
        try:
            text = click.prompt("jij", prompt_suffix="> ", default="", show_default=False)
        except (EOFError, click.Abort):
            break
        if text.strip().lower() in ("stop", "exit", "quit"):
            break
        reply = assistant.reply(text, session_id=session, niveau=niveau)
        session = reply.session
        print_reply(reply)
    click.echo("Tot ziens.")


@commands.command()
@click.option("--niveau", type=click.Choice(NIVEAUS), default=None)
@click.pass_obj
def answers(settings, niveau):
    """Alle antwoordteksten per intent en niveau als JSON-regels {"intent", "niveau", "text"}."""
    from .answers import all_answers, full_text

    assistant = load_assistant(settings)
    for iid, niv, answer in all_answers(assistant.book, assistant.intents, [niveau] if niveau else NIVEAUS):
        click.echo(
            json.dumps(
                {"intent": iid, "niveau": niv, "text": full_text(answer), "steps": [s.to_json() for s in answer.steps]},
                ensure_ascii=False,
            )
        )


@commands.command()
@click.option("--json", "as_json", is_flag=True, help="Alle metingen als JSON.")
@click.option("--alles", is_flag=True, help="Ook de teksten die goed zijn.")
@click.pass_obj
def leesbaarheid(settings, as_json, alles):
    """Meet de leesbaarheid van alle antwoorden; faalt als een niveau zijn grenzen overschrijdt."""
    from .readability_report import check_all

    assistant = load_assistant(settings)
    results = check_all(assistant)
    failures = [r for r in results if r["problemen"]]
    if as_json:
        click.echo(json.dumps(results, ensure_ascii=False, indent=1))
    else:
        for r in results:
            if r["problemen"] or r["waarschuwingen"] or alles:
                m = r["metingen"]
                click.echo(
                    f"{r['intent']:28} {r['niveau']:12} zin gem {m['gem_woorden_per_zin']:5.1f} "
                    f"max {m['langste_zin']:3d}  moeilijk {m['moeilijke_woorden']:.0%}  "
                    f"lettergr {m['lettergrepen_per_woord']:.2f}  LiNT~{m['lint_niveau']}"
                )
                for p in r["problemen"]:
                    click.echo(f"    FOUT: {p}")
                for w in r["waarschuwingen"]:
                    click.echo(f"    let op: {w}")
        click.echo(f"{len(results)} teksten gecontroleerd, {len(failures)} fout.")
    if failures:
        sys.exit(1)


@commands.command()
@click.argument("tekst")
@click.option(
    "-o",
    "--uit",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("voorlees.wav"),
    show_default=True,
    help="WAV-bestand om te schrijven.",
)
@click.pass_obj
def voorlees(settings, tekst, uit):
    """Lees een tekst voor in het Nederlands (espeak-ng) en schrijf een WAV-bestand."""
    from . import voorlees as voorlees_mod

    try:
        audio = voorlees_mod.synthesise(tekst, settings=settings)
    except voorlees_mod.VoorleesFout as exc:
        raise click.ClickException(str(exc)) from None
    uit.write_bytes(audio)
    click.echo(f"geschreven: {uit} ({len(audio)} bytes)")


@commands.command()
@click.option("--json", "as_json", is_flag=True, help="Als JSON.")
@click.pass_obj
def gemist(settings, as_json):
    """Vragen die de assistent niet begreep, zonder persoonsgegevens, per waarschijnlijke intent."""
    from .gemist import MissLog, enabled

    groups = MissLog(settings=settings).grouped()
    if as_json:
        click.echo(json.dumps(groups, ensure_ascii=False, indent=1))
        return
    if not enabled(settings):
        click.echo("Let op: bijhouden staat uit (BUURTWIJZER_GEMIST=off).")
    if not groups:
        click.echo("Geen gemiste vragen bewaard.")
    for intent, rows in groups.items():
        click.echo(f"{intent} ({len(rows)})")
        for r in rows:
            click.echo(f"  {r['datum']}  {r['confidence']:.2f}  {r['tekst']}")


def register(group: click.Group) -> None:
    for command in commands.commands.values():
        group.add_command(command)
    eval_cli.register(group)
