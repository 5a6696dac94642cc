"""The safety model: a small classifier (geen / suicide / violence / emergency) for wordings no pattern knows.

It is trained at build time on voorbeelden_*.yml here, plus the crisis intents' examples
as danger and every other intent's examples as `geen`, over the same features as the
intent model. It never decides a full crisis on its own: it can only ask the check question.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from knowledge import yamlio
from knowledge.schema import DataError

from ..catalogue import Intent
from .patterns import KINDS

MODEL_FILE = "veiligheid.npz"
NONE = "geen"
EXAMPLE_GLOB = "voorbeelden_*.yml"


def examples(
    intents: Mapping[str, Intent], kinds_by_intent: Mapping[str, str], folder: Path = Path(__file__).parent
) -> tuple[list[str], list[str], list[str]]:
    """Texts, labels and the language of each text (voorbeelden_en*.yml are English), so every
    example is analysed the way a message in its language is."""
    texts, labels, langs = [], [], []
    for path in sorted(folder.glob(EXAMPLE_GLOB)):
        lang = "en" if path.stem.startswith("voorbeelden_en") else "nl"
        data = yamlio.safe_load(path.read_text(encoding="utf-8")) or {}
        for label, rows in data.items():
            if label not in KINDS and label != NONE:
                raise DataError(path.name, str(label), "", f"kies uit {', '.join(KINDS)} of {NONE}")
            for row in rows or []:
                if str(row).strip():
                    texts.append(str(row).strip())
                    labels.append(label)
                    langs.append(lang)
    for iid, intent in intents.items():
        label = kinds_by_intent.get(iid, NONE)
        for lang, rows in intent.talen.items():
            texts.extend(rows)
            labels.extend([label] * len(rows))
            langs.extend([lang] * len(rows))
    return texts, labels, langs
