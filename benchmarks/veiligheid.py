"""What the safety check costs per turn, and that it stays linear in the length of a message.

The check is the patterns (one RE2 set per sentence, then scope) plus the safety model over the
inputs the intent matcher already computed. Its cost per turn is the matcher's time per dev-set
message with the check minus without it; linearity is timed on messages of 250 to 2 000
characters built to make a backtracking regex engine struggle.
"""
from __future__ import annotations

from assistant.dialogue import Assistant
from assistant.session import MemorySessionStore

from .common import percentiles, ratio, timed_ms
from .turns import devset_messages

LENGTHS = (250, 500, 1000, 2000)
FILLERS = {
    "herhaling": "ik wil ik wil niet niet meer ",          # repeated pattern prefixes
    "een woord": "a",                                      # one long run without spaces
    "zinnen": "Ik heb schulden en mijn huur is laat, maar niemand helpt. ",
    "gevaarwoorden": "dood brand mes pillen keel slaat niet nooit vroeger ",
}


def measure(rounds: int = 3) -> dict:
    assistant = Assistant.load(sessions=MemorySessionStore())
    matcher = assistant.matcher
    safety = matcher.safety

    msgs = devset_messages()

    def turn_times() -> dict:
        for t in msgs[:20]:
            matcher.predict(t)
        return min((percentiles(timed_ms(matcher.predict, msgs)) for _ in range(rounds)), key=lambda p: p["p95_ms"])

    best = turn_times()
    # The same turns without the safety check: no patterns, no safety model.
    verdict, scores = safety.verdict, matcher.safety_scores
    safety.verdict, matcher.safety_scores = (lambda *a, **k: None), None
    try:
        base = turn_times()
    finally:
        safety.verdict, matcher.safety_scores = verdict, scores
    out: dict = {"devset": {"matcher_with_safety": best, "matcher_without_safety": base,
                            "added_p50_ms": round(best["p50_ms"] - base["p50_ms"], 3),
                            "added_p95_ms": round(best["p95_ms"] - base["p95_ms"], 3)},
                 "length": {}}
    for name, filler in FILLERS.items():
        row = {}
        for n in LENGTHS:
            text = (filler * (n // len(filler) + 1))[:n]
            row[str(n)] = min(timed_ms(lambda t: safety.verdict(t), [text] * 5))
        row["ratio_2000_250"] = ratio(row["2000"], row["250"])
        out["length"][name] = {k: round(v, 3) if isinstance(v, float) else v for k, v in row.items()}
    return out
