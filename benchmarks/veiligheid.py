"""What the safety check costs per turn, and that it stays linear in the length of a message.

The check is the patterns (one RE2 set per sentence, then scope) plus the safety model over the
inputs the intent matcher already computed. Its cost per turn is timed around the check itself,
after the intent model has run as it does in a turn; linearity is timed on messages of 250 to
2 000 characters built to make a backtracking regex engine struggle.
"""

from __future__ import annotations

import time

from assistant.dialogue import Assistant
from assistant.session import MemorySessionStore

from .common import percentiles, ratio, timed_ms
from .turns import devset_messages

LENGTHS = (250, 500, 1000, 2000)
FILLERS = {
    "herhaling": "ik wil ik wil niet niet meer ",  # repeated pattern prefixes
    "een woord": "a",  # one long run without spaces
    "zinnen": "Ik heb schulden en mijn huur is laat, maar niemand helpt. ",
    "gevaarwoorden": "dood brand mes pillen keel slaat niet nooit vroeger ",
}


def measure(rounds: int = 3) -> dict:
    assistant = Assistant.load(sessions=MemorySessionStore())
    matcher = assistant.matcher
    safety = matcher.safety

    msgs = devset_messages()

    def safety_part(text: str, timings: list[float]) -> None:
        sentences = safety.sentences(text)
        inputs, docs = matcher._inputs([text] + (sentences if len(sentences) > 1 else []))
        matcher._ranked(inputs)  # the intent model first, as in a turn (it fills the term cache)
        corrected = [" ".join(d._.woorden or []) for d in docs[1:]] or [" ".join(docs[0]._.woorden or [])]
        started = time.perf_counter()
        safety.verdict(text, corrected, matcher._danger_scores(inputs[0]), sentences)
        timings.append((time.perf_counter() - started) * 1000)

    for t in msgs[:20]:
        safety_part(t, [])
    runs = []
    for _ in range(rounds):
        timings: list[float] = []
        for t in msgs:
            safety_part(t, timings)
        runs.append(percentiles(timings))
    best = min(runs, key=lambda p: p["p95_ms"])
    out: dict = {
        "devset": {"safety_per_turn": best, "added_p50_ms": best["p50_ms"], "added_p95_ms": best["p95_ms"]},
        "length": {},
    }
    for name, filler in FILLERS.items():
        row = {}
        for n in LENGTHS:
            text = (filler * (n // len(filler) + 1))[:n]
            row[str(n)] = min(timed_ms(lambda t: safety.verdict(t), [text] * 5))
        row["ratio_2000_250"] = ratio(row["2000"], row["250"])
        out["length"][name] = {k: round(v, 3) if isinstance(v, float) else v for k, v in row.items()}
    return out
