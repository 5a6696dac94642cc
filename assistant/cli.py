"""The `buurtwijzer` command. Each package contributes its own commands."""
from __future__ import annotations

import click

from knowledge import cli as knowledge_cli
from knowledge.build import build_kb, discard, publish, stage
from knowledge.schema import DataError
from knowledge.sources import load


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main():
    """Buurtwijzer: de weg naar hulp en ondersteuning in Utrecht."""


@main.command()
def build():
    """Controleer alle bronbestanden en bouw kennisbank, zoekindex en modellen opnieuw.

    Bij een fout blijft de vorige kennisbank gewoon werken.
    """
    try:
        src = load()
    except DataError as exc:
        raise click.ClickException(f"Bouwen gestopt, er is niets veranderd.\n{exc}") from None
    staging = stage()
    steps = ["database", "woordenlijst", "zoekindex"]
    try:
        with click.progressbar(length=len(steps), label="Kennisbank bouwen", show_pos=True) as bar:
            counts = build_kb(src, staging, progress=lambda _step: bar.update(1))
        final = publish(staging)
    except BaseException:
        discard(staging)
        raise
    click.echo(f"Klaar: {final}")
    click.echo(", ".join(f"{n} {k}" for k, n in counts.items()))


knowledge_cli.register(main)
