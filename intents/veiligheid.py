"""Safety first: recognise crisis messages, even deep inside a long story."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path


from knowledge import yamlio
from knowledge.text import fold

PATTERNS_FILE = Path(__file__).parent / "veiligheid.yml"
SENTENCE_END = re.compile(r"(?<=[.!?;\n])\s+|\s+(?:maar|en toen|want|omdat|dus)\s+")


def _compile(pattern: str) -> re.Pattern:
    return re.compile(r"(?<![a-z0-9])(?:" + pattern + ")")


def plain(text: str) -> str:
    """Folded words separated by single spaces, with a leading space for word-start matching."""
    return " " + re.sub(r"[^a-z0-9']+", " ", fold(text)).strip()


@dataclass
class Signal:
    intent: str
    pattern: str


class SafetyRules:
    def __init__(self, path: Path = PATTERNS_FILE):
        data = yamlio.safe_load(path.read_text(encoding="utf-8"))
        self.exceptions = [_compile(p) for p in data.pop("uitzonderingen", [])]
        self.rules: list[tuple[str, str, list[re.Pattern]]] = []
        for intent, patterns in data.items():
            for p in patterns:
                parts = p if isinstance(p, list) else [p]
                self.rules.append((intent, " + ".join(parts), [_compile(x) for x in parts]))

    def sentences(self, text: str) -> list[str]:
        return [s for s in SENTENCE_END.split(text) if s and s.strip()]

    def strip_exceptions(self, text: str) -> str:
        """The text without ordinary phrases that only sound dangerous."""
        folded = plain(text)
        for exc in self.exceptions:
            folded = exc.sub(" ", folded)
        return folded.strip()

    def check(self, *texts: str) -> Signal | None:
        """The first crisis signal in any sentence of the given texts (raw and corrected)."""
        for text in texts:
            for sentence in self.sentences(text):
                folded = plain(sentence)
                for exc in self.exceptions:
                    folded = exc.sub(" ", folded)
                for intent, label, parts in self.rules:
                    if all(p.search(folded) for p in parts):
                        return Signal(intent, label)
        return None
