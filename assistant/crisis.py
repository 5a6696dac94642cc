"""What a crisis reply shows: the card with the numbers, the check question, the calm note line.

All texts come from the `crisis` section of dialoog.yml, in Dutch and English.
"""

from __future__ import annotations

from .answers import Step

CHECK_ANSWERS = ("ja", "nee")
YES = {"ja", "jawel", "jazeker", "ja hoor", "yes", "yeah", "yep", "ja klopt", "klopt"}
NO = {"nee", "neen", "nee hoor", "nope", "no", "niet", "nee niet", "no not really"}


class CrisisTexts:
    def __init__(self, data: dict):
        self.data = data
        self.numbers = data["nummers"]
        self.kinds = data["soorten"]

    def _t(self, entry: dict, lang: str) -> str:
        return entry.get(lang) or entry["nl"]

    def card(self, kinds: list[str], lang: str) -> dict:
        """Every number the kinds need, each once, in the order of the kinds; chat where there is one."""
        order: list[str] = []
        for kind in kinds:
            order += [n for n in self.kinds[kind]["nummers"] if n not in order]
        first = self.kinds[kinds[0]]
        card = {
            "kop": self._t(self.data["kop"], lang),
            "nummers": [
                {"nummer": n, "tel": self.numbers[n]["tel"], "label": self._t(self.numbers[n]["label"], lang)}
                for n in order
            ],
        }
        if first.get("chat"):
            card["chat"] = self._t(first["chat"], lang)
            if first.get("chat_url"):
                card["chat_url"] = first["chat_url"]
        return card

    def question(self, kind: str, about: str, lang: str) -> dict:
        asked = self.data["vraag"][kind]
        return {
            "text": self._t(asked["other" if about == "other" else "self"], lang),
            "intro": self._t(self.data["vraag_tekst"], lang),
            "options": [{"value": v, "label": self._t(self.data[v], lang)} for v in CHECK_ANSWERS],
        }

    def note(self, kind: str, lang: str) -> str:
        return self._t(self.data["notitie"][kind], lang)

    def no_topic(self, lang: str) -> str:
        return self._t(self.data["nee_zonder_onderwerp"], lang)

    def after_no(self, lang: str) -> str:
        return self._t(self.data["na_nee"], lang)

    def professional(self, kind: str) -> tuple[list[Step], list[dict]]:
        """The professional route for this kind: steps, and the source of each."""
        rows = self.data["professional"].get(kind) or []
        return [Step(r["tekst"], r["pictogram"]) for r in rows], [dict(r["bron"]) for r in rows]

    def dutch_texts(self) -> list[tuple[str, str]]:
        """Every Dutch text a person reads on a crisis, check or note screen (for the readability check)."""
        d = self.data
        out = [
            ("kop", d["kop"]["nl"]),
            ("vraag_tekst", d["vraag_tekst"]["nl"]),
            ("nee_zonder_onderwerp", d["nee_zonder_onderwerp"]["nl"]),
            ("na_nee", d["na_nee"]["nl"]),
        ]
        out += [(f"nummer.{n}", v["label"]["nl"]) for n, v in self.numbers.items()]
        out += [(f"{kind}.chat", v["chat"]["nl"]) for kind, v in self.kinds.items() if v.get("chat")]
        out += [(f"vraag.{kind}.{who}", t["nl"]) for kind, q in d["vraag"].items() for who, t in q.items()]
        out += [(f"notitie.{kind}", t["nl"]) for kind, t in d["notitie"].items()]
        return out

    @staticmethod
    def typed_answer(text: str) -> str | None:
        """'ja' or 'nee' when someone types the answer to the check question instead of tapping it."""
        t = " ".join(text.lower().strip(" .!?,").split())
        return "ja" if t in YES else "nee" if t in NO else None
