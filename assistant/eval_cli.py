"""`buurtwijzer eval`: how well the whole assistant understands, beside the TF-IDF + LR baseline."""

from __future__ import annotations

import json
from pathlib import Path

import click

from intents import catalogue

from .loader import load_assistant


def read_labelled(path: Path) -> tuple[list[str], list[str]]:
    rows = read_jsonl(path)
    if not all(isinstance(r, dict) and "text" in r and "intent" in r for r in rows):
        n = next(i for i, r in enumerate(rows, 1) if not (isinstance(r, dict) and "text" in r and "intent" in r))
        raise click.ClickException(f"{path}: regel {n} is geen JSON met 'text' en 'intent'")
    return [str(r["text"]) for r in rows], [str(r["intent"]) for r in rows]


SAFETY_SETS = Path(__file__).resolve().parent.parent / "tests" / "data" / "veiligheid"
SAFETY_HALVES = (("ontwikkel", "ontwikkelhelft"), ("apart", "apart gehouden helft"))


def read_jsonl(path: Path) -> list[dict]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except ValueError:
                raise click.ClickException(f"{path}: regel {n} is geen JSON") from None
    return rows


def safety_reports(matcher, files: list[tuple[Path, str]]) -> list:
    from intents import evaluate  # scikit-learn and scipy: only for evaluation, never in a server

    matcher.predict("hallo")  # warm caches so the timing is per message, not per process
    reports = []
    for path, name in files:
        rows = read_jsonl(path)
        if not rows or any("crisis" not in r or "text" not in r for r in rows):
            raise click.ClickException(f"{path}: elke regel moet 'text' en 'crisis' hebben")
        reports.append(evaluate.run_safety(name, lambda t: matcher.predict(t).safety, evaluate.read_safety_cases(rows)))
    return reports


def default_safety_files() -> list[tuple[Path, str]]:
    files = [(SAFETY_SETS / f"{stem}.jsonl", name) for stem, name in SAFETY_HALVES]
    missing = [str(p) for p, _ in files if not p.is_file()]
    if missing:
        raise click.ClickException(
            "De veiligheidstoetsen ontbreken (alleen in een checkout van de broncode): " + ", ".join(missing)
        )
    return files


@click.command("eval")
@click.argument("bestand", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=False)
@click.option(
    "--cross-validation",
    "folds",
    type=int,
    default=0,
    help="Ook k-voudige kruisvalidatie op de trainingsvoorbeelden (bijv. 5).",
)
@click.option(
    "--veiligheid",
    is_flag=True,
    help="Meet de crisisherkenning op de veiligheidstoetsen (beide helften), of op BESTAND.",
)
@click.option("--details", is_flag=True, help="Bij --veiligheid: toon ook de gemiste en onterechte berichten.")
@click.option(
    "--toetsen",
    is_flag=True,
    help="Meet op de apart geschreven toetsen (tests/data/toets/), beide helften, per taal en register.",
)
@click.option("--json", "as_json", is_flag=True, help="Samenvatting als JSON.")
@click.option("--kort", is_flag=True, help="Geen tabel per intent.")
@click.pass_obj
def eval_cmd(settings, bestand, folds, veiligheid, details, toetsen, as_json, kort):
    """Meet de herkenning op een gelabeld bestand, naast de TF-IDF + LR-basislijn.

    Een bestand met "crisis" per regel (zoals tests/data/veiligheid/*.jsonl) geeft het veiligheidsrapport:
    herkenning per soort en per categorie, onterechte crisisschermen en controlevragen.
    """
    from intents import classifier, evaluate  # scikit-learn and scipy: only for evaluation, never in a server

    assistant = load_assistant(settings)
    assistant.misses = None  # evaluation messages are not misses for the editors to read
    matcher = assistant.matcher
    if veiligheid or (bestand and _is_safety_file(bestand)):
        reports = safety_reports(matcher, [(bestand, bestand.stem)] if bestand else default_safety_files())
        if as_json:
            click.echo(json.dumps([r.summary() for r in reports], indent=1, ensure_ascii=False))
        else:
            click.echo("\n\n".join(evaluate.format_safety(r, detail=details) for r in reports))
        return
    train_texts, train_labels = zip(*catalogue.examples(matcher.intents))
    if toetsen:
        from intents.taal import phrase_key

        from . import toetsen as sets

        if not sets.TOETS_DIR.is_dir():
            raise click.ClickException(
                f"De toetsen staan in {sets.TOETS_DIR}: die map is er niet (alleen in een checkout)."
            )
        results = sets.run(
            assistant,
            evaluate.baseline_predictor(list(train_texts), list(train_labels)),
            training={phrase_key(t) for t in train_texts},
        )
        click.echo(json.dumps(sets.summary(results), indent=1) if as_json else sets.table(results))
        return
    reports = []
    if bestand:
        texts, gold = read_labelled(bestand)
        unknown = sorted(set(gold) - set(matcher.intents))
        if unknown:
            raise click.ClickException(f"onbekende intents in {bestand}: {', '.join(unknown)}")
        matcher.predict("hallo")  # warm caches so the timing is per message, not per process
        predictions = {}

        def predict(text: str) -> str:
            predictions[text] = matcher.predict(text)
            return predictions[text].intent

        reports.append(evaluate.run("buurtwijzer", predict, texts, gold))
        base = evaluate.baseline_predictor(list(train_texts), list(train_labels))
        reports.append(evaluate.run("basislijn tf-idf + lr", base, texts, gold))
        kinds = matcher.safety.kinds
        cases = [evaluate.SafetyCase(t, g in kinds, kinds.get(g), "") for t, g in zip(texts, gold)]
        safety = evaluate.SafetyReport(
            f"{bestand.name}",
            cases,
            [_level(predictions[t]) for t in texts],
            [_kind(predictions[t]) for t in texts],
            reports[0].ms_per_message,
        )
    if folds:
        from intents.matcher import features
        from intents.pipeline import make_nlp
        from knowledge.search import Synonyms

        nlp = make_nlp(assistant.kb.lexicon, Synonyms(assistant.kb.synoniemen()))
        languages = {t: lang for t, _, lang in catalogue.examples_with_language(matcher.intents)}

        def ours(tr_texts, tr_labels):  # the shipped features: each text read in its own language
            feats = lambda t: features(nlp, t, languages.get(t) or matcher.talen.detect(t) or "nl")  # noqa: E731
            model = classifier.make_model().fit([feats(t) for t in tr_texts], tr_labels)
            return lambda t: model.predict([feats(t)])[0]

        cv = evaluate.cross_validate(list(train_texts), list(train_labels), ours, folds)
        cv.name = f"kruisvalidatie {folds}-voudig (buurtwijzer-classifier)"
        reports.append(cv)
        cvb = evaluate.cross_validate(list(train_texts), list(train_labels), evaluate.baseline_predictor, folds)
        cvb.name = f"kruisvalidatie {folds}-voudig (basislijn)"
        reports.append(cvb)
    if not reports:
        raise click.ClickException("Geef een bestand, --veiligheid of --cross-validation K.")
    if as_json:
        click.echo(json.dumps([r.summary() for r in reports] + ([safety.summary()] if bestand else []), indent=1))
        return
    for i, r in enumerate(reports):
        click.echo(evaluate.format_report(r, detail=not kort and i == 0))
        click.echo()
    if bestand:
        click.echo(evaluate.format_safety(safety))


def _is_safety_file(path: Path) -> bool:
    first = next((line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()), "")
    try:
        return "crisis" in json.loads(first)
    except (ValueError, TypeError):
        return False


def _level(pred) -> str | None:
    return pred.safety.level if pred.safety else None


def _kind(pred) -> str | None:
    return pred.safety.kind if pred.safety else None


def register(group: click.Group) -> None:
    group.add_command(eval_cmd)
