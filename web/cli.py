"""`buurtwijzer serve`: the web app under a production WSGI server.

Answering is CPU work under one GIL, so by default there is one worker process per core: gunicorn
loads the app once and forks the workers, which share sessions and rate limits through SQLite files
in var/ (WAL mode), or through PostgreSQL when BUURTWIJZER_DATABASE_URL is set (for several
machines). With --workers 1 the app runs in this process under waitress. Either way one
de-identification worker per host takes the misses (assistant/gemist.py).
"""

from __future__ import annotations

import gc
import os

import click

from knowledge import config
from knowledge.permissions import UnsafePermissions, check_private
from knowledge.settings import Settings

# Threads per worker process take turns on its GIL, but they keep it busy while another waits on
# the network. Measured on 2 cores, 2 workers, 10 clients with a new connection per request
# (2026-12-02): 1 thread 313 req/s (p95 69 ms), 2 threads 326 (60 ms), 4 threads 390 (51 ms).
THREADS = 4


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)))


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=int)
@click.option("--threads", default=THREADS, show_default=True, type=int, help="Threads per worker.")
@click.option(
    "--workers",
    default=None,
    type=click.IntRange(1, 64),
    help="Worker processes (standaard: een per processorkern; 1: waitress in dit proces).",
)
@click.pass_obj
def serve(settings: Settings | None, host, port, threads, workers):
    """Start de web-app met de productieserver (gunicorn met een worker per kern, of waitress)."""
    settings = settings or Settings.load()
    workers = workers or default_workers()
    try:
        check_private(config.var_dir(settings), config.current_build(settings))
    except UnsafePermissions as exc:
        raise click.ClickException(str(exc)) from None
    from knowledge.store import KnowledgeBaseMissing

    from .app import create_app

    try:
        app = create_app({"SHARED_STATE": str(config.var_dir(settings))} if workers > 1 else None, settings=settings)
    except KnowledgeBaseMissing as exc:
        raise click.ClickException(str(exc)) from None
    assistant = app.extensions["assistant"]
    assistant.matcher.predict("ik heb schulden")  # warm the caches once, before the workers share them
    if assistant.misses is not None:
        assistant.misses.start()  # here, before any fork: one de-identification worker for all server processes
    click.echo(f"Buurtwijzer draait op http://{host}:{port}/ met {workers} worker(s)  (stop met Ctrl-C)")
    if workers > 1:
        _gunicorn(app, host, port, threads, workers)
    else:
        from waitress import serve as waitress_serve

        # Waitress refuses a body over the app's limit before reading it.
        waitress_serve(
            app,
            host=host,
            port=port,
            threads=threads,
            ident="buurtwijzer",
            max_request_body_size=app.config["MAX_CONTENT_LENGTH"],
        )


def _gunicorn(app, host: str, port: int, threads: int, workers: int) -> None:
    from gunicorn.app.base import BaseApplication

    # What was loaded so far is shared with the workers, page for page, as long as nobody writes
    # to it; keeping it out of the garbage collector's sight keeps it unwritten. (No collect first:
    # it costs 0.1 s of start-up for a few kilobytes.)
    gc.freeze()

    class Server(BaseApplication):
        def load_config(self):
            for key, value in {
                "bind": f"{host}:{port}",
                "workers": workers,
                "threads": threads,
                "worker_class": "gthread",
                "accesslog": None,
                "loglevel": "warning",
                "proc_name": "buurtwijzer",
                "preload_app": True,
            }.items():
                self.cfg.set(key, value)

        def load(self):
            return app

    Server().run()


def register(group: click.Group) -> None:
    group.add_command(serve)
