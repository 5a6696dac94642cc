"""Commands for the intent data and the matcher: `intents export`, `eval`."""
from __future__ import annotations

import json
from pathlib import Path

import click

from knowledge.schema import DataError
from knowledge.search import Synonyms
from knowledge.text import normalise

from . import catalogue, classifier, evaluate
from .pipeline import analyse, make_nlp


@click.group("intents")
def intents_group():
    """De intents en hun trainingsvoorbeelden."""


@intents_group.command("export")
def export_examples():
    """Alle trainingsvoorbeelden als JSON-regels {"text", "intent"}."""
    try:
        intents = catalogue.load()
    except DataError as exc:
        raise click.ClickException(str(exc)) from None
    for text, intent in catalogue.examples(intents):
        click.echo(json.dumps({"text": text, "intent": intent}, ensure_ascii=False))


def read_labelled(path: Path) -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            texts.append(str(row["text"]))
            labels.append(str(row["intent"]))
        except (ValueError, KeyError, TypeError):
            raise click.ClickException(f"{path}: regel {n} is geen JSON met 'text' en 'intent'") from None
    return texts, labels


@click.command("eval")
@click.argument("bestand", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=False)
@click.option("--cross-validation", "folds", type=int, default=0,
              help="Ook k-voudige kruisvalidatie op de trainingsvoorbeelden (bijv. 5).")
@click.option("--json", "as_json", is_flag=True, help="Samenvatting als JSON.")
@click.option("--kort", is_flag=True, help="Geen tabel per intent.")
def eval_cmd(bestand, folds, as_json, kort):
    """Meet de herkenning op een gelabeld bestand, naast de TF-IDF + LR-basislijn."""
    from assistant.cli import load_assistant

    assistant = load_assistant()
    matcher = assistant.matcher
    train_texts, train_labels = zip(*catalogue.examples(matcher.intents))
    reports = []
    if bestand:
        texts, gold = read_labelled(bestand)
        unknown = sorted(set(gold) - set(matcher.intents))
        if unknown:
            raise click.ClickException(f"onbekende intents in {bestand}: {', '.join(unknown)}")
        matcher.predict("hallo")  # warm caches so the timing is per message, not per process
        reports.append(evaluate.run("buurtwijzer", lambda t: matcher.predict(t).intent, texts, gold))
        base = evaluate.baseline_predictor(list(train_texts), list(train_labels))
        reports.append(evaluate.run("basislijn tf-idf + lr", base, texts, gold))
    if folds:
        nlp = make_nlp(assistant.kb.lexicon, Synonyms(assistant.kb.synoniemen()))

        def ours(tr_texts, tr_labels):
            feats = lambda t: (analyse(nlp, t)._.kenmerken, normalise(t))  # noqa: E731
            model = classifier.make_model().fit([feats(t) for t in tr_texts], tr_labels)
            return lambda t: model.predict([feats(t)])[0]

        cv = evaluate.cross_validate(list(train_texts), list(train_labels), ours, folds)
        cv.name = f"kruisvalidatie {folds}-voudig (buurtwijzer-classifier)"
        reports.append(cv)
        cvb = evaluate.cross_validate(list(train_texts), list(train_labels), evaluate.baseline_predictor, folds)
        cvb.name = f"kruisvalidatie {folds}-voudig (basislijn)"
        reports.append(cvb)
    if not reports:
        raise click.ClickException("Geef een bestand of --cross-validation K.")
    if as_json:
        click.echo(json.dumps([r.summary() for r in reports], indent=1))
        return
    for i, r in enumerate(reports):
        click.echo(evaluate.format_report(r, detail=not kort and i == 0))
        click.echo()


def register(group: click.Group) -> None:
    group.add_command(intents_group)
    group.add_command(eval_cmd)
