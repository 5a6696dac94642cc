"""`buurtwijzer serve`: the web app under a production WSGI server.

One worker process runs under waitress (threads). With --workers N > 1 the app
runs under gunicorn with N worker processes; give them a shared session store
(BUURTWIJZER_DATABASE_URL) so a conversation may land on any worker.
"""
from __future__ import annotations

import click

from knowledge import config
from knowledge.permissions import UnsafePermissions, check_private
from knowledge.store import KnowledgeBaseMissing

# Answering is CPU work under one GIL: more threads only take turns on it. Measured on
# 2 cores at 10 clients: 4 threads 450 req/s, p95 32 ms; 8 threads 400 req/s, p95 48 ms
# (also with PostgreSQL: 350 vs 320 req/s). Waitress's own default is 4 as well.
THREADS = 4


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=int)
@click.option("--threads", default=THREADS, show_default=True, type=int, help="Threads per worker.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes (meer dan 1: gunicorn).")
def serve(host, port, threads, workers):
    """Start de web-app met de productieserver (waitress, of gunicorn bij meer workers)."""
    if workers > 1 and not config.database_url():
        raise click.UsageError("Meer workers delen gesprekken via PostgreSQL: zet BUURTWIJZER_DATABASE_URL.")
    try:
        check_private(config.var_dir(), config.current_build())
    except UnsafePermissions as exc:
        raise click.ClickException(str(exc)) from None
    try:
        if workers > 1:
            from knowledge.store import open_kb
            open_kb()  # fail here, with the fix in the message, before any worker starts
        else:
            from .app import create_app
            app = create_app()
    except KnowledgeBaseMissing as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Buurtwijzer draait op http://{host}:{port}/ met {workers} worker(s)  (stop met Ctrl-C)")
    if workers > 1:
        _gunicorn(host, port, threads, workers)
    else:
        from waitress import serve as waitress_serve
        # Waitress refuses a body over the app's limit before reading it.
        waitress_serve(app, host=host, port=port, threads=threads, ident="buurtwijzer",
                       max_request_body_size=app.config["MAX_CONTENT_LENGTH"])


def _gunicorn(host: str, port: int, threads: int, workers: int) -> None:
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self):
            for key, value in {"bind": f"{host}:{port}", "workers": workers, "threads": threads,
                               "worker_class": "gthread", "accesslog": None, "loglevel": "warning",
                               "proc_name": "buurtwijzer"}.items():
                self.cfg.set(key, value)

        def load(self):
            from .app import create_app
            return create_app()

    Server().run()


def register(group: click.Group) -> None:
    group.add_command(serve)
