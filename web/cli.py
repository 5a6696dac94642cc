"""`buurtwijzer serve`: the web app under the production WSGI server (waitress)."""
from __future__ import annotations

import click

from knowledge.store import KnowledgeBaseMissing


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int)
def serve(host, port, threads):
    """Start de web-app met de productieserver (waitress)."""
    from waitress import serve as waitress_serve

    from .app import create_app
    try:
        app = create_app()
    except KnowledgeBaseMissing as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Buurtwijzer draait op http://{host}:{port}/  (stop met Ctrl-C)")
    waitress_serve(app, host=host, port=port, threads=threads, ident="buurtwijzer")


def register(group: click.Group) -> None:
    group.add_command(serve)
