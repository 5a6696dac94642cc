"""Commands for the intent data: `intents export`. (`eval` runs the whole assistant: assistant/eval_cli.py.)"""

from __future__ import annotations

import json

import click

from knowledge.schema import DataError

from . import catalogue


@click.group("intents")
def intents_group() -> None:
    """De intents en hun trainingsvoorbeelden."""


@intents_group.command("export")
def export_examples() -> None:
    """Alle trainingsvoorbeelden als JSON-regels {"text", "intent"}."""
    try:
        intents = catalogue.load()
    except DataError as exc:
        raise click.ClickException(str(exc)) from None
    for text, intent in catalogue.examples(intents):
        click.echo(json.dumps({"text": text, "intent": intent}, ensure_ascii=False))


def register(group: click.Group) -> None:
    group.add_command(intents_group)
