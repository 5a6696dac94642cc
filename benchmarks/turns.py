"""Per-turn latency in-process: the whole assistant, our matcher alone and the baseline matcher."""

from __future__ import annotations

import json

from assistant.dialogue import Assistant
from assistant.session import MemorySessionStore
from intents import catalogue, classifier

from . import synthetic
from .common import SHARED, median_runs, percentiles, ratio, timed_ms


def devset_messages() -> list[str]:
    lines = (SHARED / "devset.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["text"] for line in lines if line.strip()]


def measure(rounds: int = 3, generated: int = 10_000) -> dict:
    assistant = Assistant.load(sessions=MemorySessionStore())
    examples = catalogue.examples(catalogue.load())
    texts, labels = zip(*examples)
    baseline = classifier.make_baseline().fit(list(texts), list(labels))
    sets = {"devset": devset_messages(), "generated": synthetic.messages(list(texts), generated)}
    engines = {
        "assistant": assistant.reply,  # everything a chat turn does
        "matcher": assistant.matcher.predict,  # our intent matcher alone
        "baseline": lambda t: baseline.decision_function([t]),  # TF-IDF + logistic regression
    }
    for fn in engines.values():  # warm caches once
        for t in sets["devset"][:30]:
            fn(t)
    out: dict = {}
    for set_name, msgs in sets.items():
        out[set_name] = {
            name: median_runs([percentiles(timed_ms(fn, msgs)) for _ in range(rounds)]) for name, fn in engines.items()
        }
        out[set_name]["matcher_vs_baseline_p95"] = ratio(
            out[set_name]["matcher"]["p95_ms"], out[set_name]["baseline"]["p95_ms"]
        )
    return out
