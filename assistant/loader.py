"""The assistant as the commands load it: a missing knowledge base is a message, not a traceback."""

from __future__ import annotations

import click

from knowledge.settings import Settings


def load_assistant(settings: Settings | None = None):
    from knowledge.store import KnowledgeBaseMissing

    from .dialogue import Assistant

    try:
        return Assistant.load(settings=settings)
    except (KnowledgeBaseMissing, FileNotFoundError) as exc:
        raise click.ClickException(f"{exc}\nMaak de kennisbank en modellen met: buurtwijzer build") from None
