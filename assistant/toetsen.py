"""The evaluation sets written apart, per language and register, each in two halves.

tests/data/toets/<set>/ontwikkel.jsonl may be looked at while improving the matcher;
tests/data/toets/<set>/apart.jsonl is held out: nobody tunes on it. Both are reported.
Every figure is measured through the whole assistant in its default configuration: the intent
is the one the reply carries, the answer language the one the reply was written in.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from intents.taal import WORD, base_code, phrase_key

TOETS_DIR = Path(__file__).resolve().parent.parent / "tests" / "data" / "toets"
HALVES = ("ontwikkel", "apart")
# The language every message of a set is written in; sets not named here carry "lang" per message.
SET_LANGUAGE = {"engels": "en", "professioneel": "nl", "alledaags": "nl", "buiten_bereik": "nl"}
OOS = "buiten_bereik"
SMALL_TALK = ("groet", "bedankt", "afscheid", "wat_kun_je")


@dataclass
class Row:
    text: str
    intent: str
    lang: str | None


@dataclass
class Result:
    set: str
    half: str
    rows: list[Row]
    intents: list[str] = field(default_factory=list)  # what the assistant took each message for
    baseline: list[str] = field(default_factory=list)  # what TF-IDF + LR took it for
    languages: list[str | None] = field(default_factory=list)  # the language detected
    answer_langs: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    left_out: int = 0  # identical to a training example

    def _share(self, pairs) -> tuple[int, int]:
        pairs = list(pairs)
        return sum(pairs), len(pairs)

    def top1(self, predicted=None) -> tuple[int, int]:
        predicted = predicted if predicted is not None else self.intents
        return self._share(r.intent == p for r, p in zip(self.rows, predicted) if _answered(r))

    def language_id(self, min_words: int = 3, max_words: int = 10_000) -> tuple[int, int]:
        """Messages whose language was told right (not told counts as Dutch, as the assistant takes it)."""
        return self._share(
            _same(d or "nl", r.lang)
            for r, d in zip(self.rows, self.languages)
            if r.lang and min_words <= len(WORD.findall(r.text)) <= max_words
        )

    def language_id_short(self) -> tuple[int, int]:
        """The same on messages of one or two words, where most identifiers guess."""
        return self.language_id(1, 2)

    def english_answers(self) -> tuple[int, int]:
        """In-scope English questions answered in English."""
        return self._share(
            a == "en" for r, a in zip(self.rows, self.answer_langs) if r.lang == "en" and r.intent != OOS
        )

    def in_kind(self) -> tuple[int, int]:
        """Other languages: small talk answered in kind (the right intent, in the message's language)."""
        return self._share(
            i == r.intent and _same(a, r.lang)
            for r, i, a in zip(self.rows, self.intents, self.answer_langs)
            if not _answered(r) and r.intent in SMALL_TALK
        )

    def oos_counts(self) -> tuple[int, int, int]:
        tp = sum(r.intent == OOS and p == OOS for r, p in zip(self.rows, self.intents) if _answered(r))
        fp = sum(r.intent != OOS and p == OOS for r, p in zip(self.rows, self.intents) if _answered(r))
        fn = sum(r.intent == OOS and p != OOS for r, p in zip(self.rows, self.intents) if _answered(r))
        return tp, fp, fn


def _same(detected: str | None, gold: str | None) -> bool:
    """The same language, whatever the script: Arabic in Latin letters is answered as Arabic."""
    return detected is not None and gold is not None and base_code(detected) == base_code(gold)


def _answered(row: Row) -> bool:
    """Messages the assistant answers itself (Dutch and English); other languages are led on."""
    return row.lang in ("nl", "en", None)


def read_set(folder: Path, half: str) -> list[Row]:
    lang = SET_LANGUAGE.get(folder.name)
    rows = []
    for line in (folder / f"{half}.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            rows.append(Row(rec["text"], rec["intent"], rec.get("lang") or lang))
    return rows


def sets(folder: Path = TOETS_DIR) -> list[Path]:
    return sorted(p for p in folder.iterdir() if all((p / f"{h}.jsonl").is_file() for h in HALVES))


def run(assistant, baseline, folder: Path = TOETS_DIR, training: set[str] = frozenset()) -> list[Result]:
    """Every set and half, each message as the first message of a new conversation. Messages that
    happen to be identical to a training example (short greetings: "hello", "merhaba") are left out
    and counted in `left_out`, so the figures say what the assistant does with messages it never saw."""
    results = []
    for path in sets(folder):
        for half in HALVES:
            rows = read_set(path, half)
            kept = [r for r in rows if phrase_key(r.text) not in training]
            res = Result(path.name, half, kept, left_out=identical_to_training(rows, training))
            for row in res.rows:
                reply = assistant.reply(row.text)
                assistant.sessions.delete(reply.session)
                res.intents.append(reply.intent)
                res.languages.append(reply.language)
                res.answer_langs.append(reply.answer.lang)
                res.actions.append(reply.action)
                res.baseline.append(baseline(row.text))
            results.append(res)
    return results


def identical_to_training(rows: list[Row], training: set[str]) -> int:
    """How many messages of a half are identical to a training example (left out of the figures)."""
    return sum(phrase_key(r.text) in training for r in rows)


def _pct(pair: tuple[int, int]) -> str:
    k, n = pair
    return f"{100 * k / n:.1f} % ({k}/{n})" if n else "-"


def _ratio(ours: tuple[int, int], base: tuple[int, int]) -> str:
    return f"{ours[0] / base[0]:.2f}×" if base[0] else "-"


def pooled(results: list[Result], half: str, lang: str | None = None) -> dict:
    """One half over all sets (optionally: only messages in `lang`)."""
    keep = [r for r in results if r.half == half]

    def collect(metric):
        k = n = 0
        for r in keep:
            sub = _only(r, lang) if lang else r
            a, b = metric(sub)
            k, n = k + a, n + b
        return k, n

    tp = fp = fn = 0
    for r in keep:
        a, b, c = _only(r, lang).oos_counts() if lang else r.oos_counts()
        tp, fp, fn = tp + a, fp + b, fn + c
    return {
        "top1": collect(lambda r: r.top1()),
        "basislijn": collect(lambda r: r.top1(r.baseline)),
        "taal": collect(lambda r: r.language_id()),
        "taal_kort": collect(Result.language_id_short),
        "engels_antwoord": collect(Result.english_answers),
        "in_kind": collect(Result.in_kind),
        "oos_precision": (tp, tp + fp),
        "oos_recall": (tp, tp + fn),
    }


def _only(res: Result, lang: str) -> Result:
    idx = [i for i, r in enumerate(res.rows) if r.lang == lang]
    pick = lambda xs: [xs[i] for i in idx]  # noqa: E731
    return Result(
        res.set,
        res.half,
        pick(res.rows),
        pick(res.intents),
        pick(res.baseline),
        pick(res.languages),
        pick(res.answer_langs),
        pick(res.actions),
    )


def table(results: list[Result]) -> str:
    """A Markdown table: per set and half, then pooled per language."""
    head = (
        "| set | helft | n (weggelaten) | top-1 | basislijn TF-IDF + LR | verhouding | taal herkend (≥ 3 woorden) "
        "| taal herkend (1-2 woorden) | Engels antwoord | in eigen taal |\n|---|---|---|---|---|---|---|---|---|---|"
    )
    lines = [head]
    for r in results:
        top, base = r.top1(), r.top1(r.baseline)
        lines.append(
            f"| {r.set} | {r.half} | {len(r.rows)} ({r.left_out}) | {_pct(top)} | {_pct(base)} | {_ratio(top, base)} "
            f"| {_pct(r.language_id())} | {_pct(r.language_id_short())} | {_pct(r.english_answers())} "
            f"| {_pct(r.in_kind())} |"
        )
    lines.append("")
    lines.append(
        "| samen | helft | top-1 | verhouding tot basislijn | buiten bereik precisie | buiten bereik recall "
        "| taal herkend | Engels antwoord |\n|---|---|---|---|---|---|---|---|"
    )
    for lang, label in ((None, "alle sets"), ("nl", "Nederlands"), ("en", "Engels")):
        for half in HALVES:
            p = pooled(results, half, lang)
            lines.append(
                f"| {label} | {half} | {_pct(p['top1'])} | {_ratio(p['top1'], p['basislijn'])} "
                f"| {_pct(p['oos_precision'])} | {_pct(p['oos_recall'])} | {_pct(p['taal'])} "
                f"| {_pct(p['engels_antwoord'])} |"
            )
    return "\n".join(lines)


def summary(results: list[Result]) -> dict:
    out = {}
    for half in HALVES:
        for lang in (None, "nl", "en"):
            p = pooled(results, half, lang)
            out[f"{lang or 'alle'}/{half}"] = {k: (round(v[0] / v[1], 4) if v[1] else None) for k, v in p.items()}
            out[f"{lang or 'alle'}/{half}"]["verhouding"] = (
                round(p["top1"][0] / p["basislijn"][0], 3) if p["basislijn"][0] else None
            )
    return out
