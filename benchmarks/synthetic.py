"""Synthetic voorzieningen and messages for the benchmarks, seeded so every run measures the same data."""

from __future__ import annotations

import random
import re

from knowledge.sources import Sources

WIJKEN = [
    "binnenstad",
    "noordwest",
    "noordoost",
    "oost",
    "overvecht",
    "west",
    "zuid",
    "zuidwest",
    "leidsche-rijn",
    "vleuten-de-meern",
]


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text or "") if s]


def voorzieningen(real: Sources, n: int, seed: int = 1) -> Sources:
    """`n` voorzieningen made from the real ones: the same fields and vocabulary, reshuffled."""
    rng = random.Random(seed)
    base = real["voorzieningen"]
    pool = [s for v in base for s in _sentences(v["uitleg"]) + _sentences(v["korte_uitleg"])]
    names = [w for v in base for w in v["naam"].split() if len(w) > 3]
    out = []
    for i in range(n):
        v = dict(base[i % len(base)])
        v["id"] = f"{v['id']}-{i}"
        v["naam"] = f"{v['naam']} {rng.choice(names)} {i}"
        v["korte_uitleg"] = rng.choice(pool)
        v["uitleg"] = " ".join(rng.sample(pool, 4))
        v["wijken"] = ["alle"] if rng.random() < 0.3 else rng.sample(WIJKEN, rng.randint(1, 3))
        out.append(v)
    return Sources(records={**real.records, "voorzieningen": out})


def messages(examples: list[str], n: int, seed: int = 2) -> list[str]:
    """`n` chat messages: training-style phrases with typos, casing, postcodes and long stories mixed in."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        text = rng.choice(examples)
        roll = rng.random()
        if roll < 0.2 and len(text) > 4:  # a typo
            i = rng.randrange(len(text) - 1)
            text = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
        elif roll < 0.3:
            text = text.upper()
        elif roll < 0.4:
            text = f"{text} ik woon in {rng.choice(['3563', '3531 AB', 'Zuilen', 'Kanaleneiland', 'Overvecht'])}"
        elif roll < 0.5:  # a long story of several topics
            text = ". ".join(rng.sample(examples, 5))
        out.append(text)
    return out
