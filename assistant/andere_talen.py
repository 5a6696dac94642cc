"""What the assistant says to a message in a language it does not answer in.

It greets, thanks and says goodbye in kind, and says in that language that it answers in Dutch and
English, pointing to the pictures and to the buurtteam. The texts live in the Babel catalogues
(locales/<code>/LC_MESSAGES/messages.po), so translators work where they translate everything else.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

LOCALES = Path(__file__).resolve().parent.parent / "locales"


def N_(text: str) -> str:
    """Marks a text for pybabel extract (keyword N_) without translating it here."""
    return text


GROET = N_("Hallo! Welkom bij Buurtwijzer.")
BEDANKT = N_("Graag gedaan!")
AFSCHEID = N_("Tot ziens!")
WIE = N_("Ik ben Buurtwijzer. Ik help met vragen over zorg, geld, wonen en hulp in de buurt.")
TALEN = N_("Ik antwoord in het Nederlands en in het Engels.")
VERDER = N_("Kies hieronder een plaatje. Of ga naar het buurtteam: daar helpt een mens je verder.")
KIES_TAAL = N_("Kies een taal")
GEVAAR = N_("Bij direct gevaar: bel 112.")  # we cannot read danger in this language: the number is always there
IN_KIND = {"groet": GROET, "bedankt": BEDANKT, "afscheid": AFSCHEID, "wat_kun_je": WIE}


@lru_cache(maxsize=64)
def _catalogue(lang: str, folder: Path = LOCALES) -> dict[str, str]:
    from babel.messages.pofile import read_po

    path = folder / lang / "LC_MESSAGES" / "messages.po"
    if not path.is_file():
        return {}
    with path.open("rb") as fh:
        return {m.id: m.string for m in read_po(fh) if m.id and m.string}


def has(lang: str) -> bool:
    return bool(_catalogue(lang))


def text(lang: str, msgid: str) -> str:
    """The text in `lang`; English when that catalogue lacks it (more people read it than Dutch)."""
    return _catalogue(lang).get(msgid) or _catalogue("en").get(msgid) or msgid


def lines(lang: str, intent: str) -> tuple[str, list[tuple[str, str]]]:
    """The opening line (in kind for small talk), and the lines that say how to go on, each with
    its pictogram: the languages we answer in, the pictures and the buurtteam, and 112."""
    opening = text(lang, IN_KIND[intent]) if intent in IN_KIND else text(lang, TALEN)
    rest = [(text(lang, TALEN), "praten")] if intent in IN_KIND else []
    return opening, rest + [(text(lang, VERDER), "buurtteam"), (text(lang, GEVAAR), "alarm")]
