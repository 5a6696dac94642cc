"""The composition root: the `buurtwijzer` command. Every package contributes its own commands
(knowledge, intents, assistant, web); only this module knows them all.

The settings are read here once (knowledge/settings.py: the environment over an optional TOML file)
and handed to every command as its context object; a bad one stops the command with one sentence.

Everything else is imported inside the command that needs it, so `buurtwijzer --help` starts at once.
"""

from __future__ import annotations

import errno
import sqlite3
import sys

import click

from assistant import cli as assistant_cli
from intents import cli as intents_cli
from knowledge import cli as knowledge_cli
from knowledge import config
from knowledge.schema import DataError
from knowledge.settings import Settings, SettingsError

from . import cli as web_cli


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.pass_context
def main(ctx: click.Context):
    """Buurtwijzer: de weg naar hulp en ondersteuning in de gemeente."""
    if not isinstance(ctx.obj, Settings):
        try:
            ctx.obj = Settings.load()
        except SettingsError as exc:
            raise click.ClickException(str(exc)) from None


@main.command()
@click.pass_obj
def build(settings: Settings):
    """Controleer alle bronbestanden en bouw kennisbank, zoekindex en modellen opnieuw.

    Bij een fout blijft de vorige kennisbank gewoon werken.
    """
    from knowledge.store import KnowledgeBaseMissing

    from . import build as bouw

    url = config.database_url(settings)
    try:
        with click.progressbar(length=len(bouw.steps(url)), label="Bouwen", show_pos=True, file=sys.stderr) as bar:
            final, counts, model = bouw.build(url, progress=lambda _step: bar.update(1))
    except (DataError, KnowledgeBaseMissing) as exc:
        raise click.ClickException(f"Bouwen gestopt, er is niets veranderd.\n{exc}") from None
    except (OSError, sqlite3.OperationalError) as exc:
        raise click.ClickException(f"Bouwen gestopt, er is niets veranderd: {write_problem(exc)}") from None
    click.echo(f"Klaar: {final}")
    click.echo(", ".join(f"{n} {k}" for k, n in counts.items()))
    click.echo(
        f"intents: {model['intents']} met {model['voorbeelden']} voorbeelden, veiligheidsmodel met "
        f"{model['veiligheid_voorbeelden']}, getraind in {model['seconden']} s "
        f"(temperatuur {model['temperatuur']})"
    )


def write_problem(exc: Exception) -> str:
    """One sentence for a failed write: a full disk is the usual reason."""
    if getattr(exc, "errno", None) == errno.ENOSPC or "full" in str(exc).lower():
        return "de schijf is vol. Maak ruimte vrij en bouw opnieuw; de vorige kennisbank blijft werken."
    where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
    return f"schrijven lukte niet{where}: {getattr(exc, 'strerror', None) or exc}."


assistant_cli.register(main)
knowledge_cli.register(main)
intents_cli.register(main)
web_cli.register(main)


if __name__ == "__main__":
    main()
