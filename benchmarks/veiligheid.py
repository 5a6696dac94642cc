"""What the safety check costs per turn, and that it stays linear in the length of a message.

The check is the patterns (one RE2 set per sentence, then scope) plus the safety model over the
inputs the intent matcher already computed. Timed per dev-set message, and on messages of 250 to
2 000 characters built to make a backtracking regex engine struggle.
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

    def check(text: str) -> None:
        sentences = safety.sentences(text)
        parts = [text] + (sentences if len(sentences) > 1 else [])
        inputs, docs = matcher._inputs(parts)
        corrected = [" ".join(d._.woorden or []) for d in docs[1:]] or [" ".join(docs[0]._.woorden or [])]
        safety.verdict(text, corrected, matcher._danger_scores(inputs[0]))

    def inputs_only(text: str) -> None:     # shared with the intent matcher, so not the safety check's cost
        sentences = safety.sentences(text)
        matcher._inputs([text] + (sentences if len(sentences) > 1 else []))

    msgs = devset_messages()
    for t in msgs[:20]:
        check(t)
    best = min((percentiles(timed_ms(check, msgs)) for _ in range(rounds)), key=lambda p: p["p95_ms"])
    base = min((percentiles(timed_ms(inputs_only, msgs)) for _ in range(rounds)), key=lambda p: p["p95_ms"])
    out: dict = {"devset": {"check_with_inputs": best, "inputs_alone": base,
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
