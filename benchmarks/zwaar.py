"""What the heaviest accepted messages cost a turn, next to ordinary messages in the same run.

The audit's slow paths: one long compound, a run of joined domain words, long messages of many
words or sentences, emoji, digits. Each is at most MAX_CHARS long (longer ones are refused before
any work). Reported per kind: p50 and max over repeats, and the extra ms over the dev set's p50.
"""

from __future__ import annotations

from assistant.dialogue import MAX_CHARS, Assistant
from assistant.session import MemorySessionStore

from .common import percentiles, timed_ms
from .turns import devset_messages

JOINED = "geldzorgenhulphuisbuurtteamzorgwoningmantelzorgondersteuning"
KINDS = {
    "one compound (zorg × 499)": "zorg" * 499,
    "joined domain words": (JOINED * 40)[: MAX_CHARS - 5],
    "one letter repeated": "a" * MAX_CHARS,
    "many words": ("ik heb schulden en zoek hulp bij de huur " * 60)[:MAX_CHARS],
    "many sentences": ("Help. Ik wil niet meer. Of toch wel? " * 60)[:MAX_CHARS],
    "emoji": "🙂" * MAX_CHARS,
    "digits": ("0612345678 " * 200)[:MAX_CHARS],
    "typos": ("shculdn huurachterstnd mantelzrog begeleideing " * 50)[:MAX_CHARS],
}


def measure(repeats: int = 20) -> dict:
    assistant = Assistant.load(sessions=MemorySessionStore())
    normal = devset_messages()
    for text in normal[:30]:
        assistant.reply(text)
    base = percentiles(timed_ms(assistant.reply, normal))
    out = {"normal_p50_ms": base["p50_ms"], "normal_p95_ms": base["p95_ms"], "kinds": {}}
    for name, text in KINDS.items():
        ms = timed_ms(assistant.reply, [text] * repeats)
        p = percentiles(ms)
        out["kinds"][name] = {
            "chars": len(text),
            "p50_ms": p["p50_ms"],
            "max_ms": round(max(ms), 2),
            "extra_p50_ms": round(p["p50_ms"] - base["p50_ms"], 2),
        }
    out["worst_extra_p50_ms"] = max(k["extra_p50_ms"] for k in out["kinds"].values())
    return out


if __name__ == "__main__":
    import json

    print(json.dumps(measure(), indent=1, ensure_ascii=False))
