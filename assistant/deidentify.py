"""Remove personal data from a message before anything about it is kept.

Three passes, each taking out what the one before cannot see:
1. patterns for what has a shape: e-mail, web addresses and handles, IBAN, dates, phone numbers
   in every notation, BSN with or without separators, kentekens, and any other number of five or
   more digits (dossier-, klant-, polisnummers); full postcodes are cut back to PC4, which says
   which wijk, not who;
2. addresses: a street (by its ending, or one of the Dutch streets in deduce's BAG list) with or
   without a house number, and the house number with any suffix (215bis, 4a, 7-II, 3 hoog);
3. a pass over the words that are left. Where it is unsure, it drops the word: a miss log with
   fewer words is better than one with a name. Dropped are names from deduce's name lists (also
   in lower case, unless the word is an everyday Dutch or English word), every capitalised word
   inside a sentence that is not a word of the KB or an everyday word, words after a cue such as
   "mijn buurvrouw", "mevrouw", "ik heet", and words no word list knows at all (most names of
   people from elsewhere).
"""

from __future__ import annotations

import importlib.util
import re
import threading
from functools import cached_property
from pathlib import Path

from knowledge import yamlio
from knowledge.text import fold

LABEL_RE = re.compile(r"\[[A-Z]+(?:-\d+)?\]")
PATTERNS = [
    ("EMAIL", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    ("WEB", re.compile(r"\b(?:https?://|www\.)\S+", re.I)),
    ("WEB", re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.(?:com|nl|org|net|eu|be|de|io|info|me|tv)\b(?:/\S*)?", re.I)),
    ("ACCOUNT", re.compile(r"(?<![\w@])@[\w.]{2,}")),
    ("IBAN", re.compile(r"\b[A-Z]{2}\d{2}\s?[A-Z]{4}(?:\s?\d){7,10}\b", re.I)),
    ("DATUM", re.compile(r"\b\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)?\d{2}\b")),
    ("DATUM", re.compile(r"\b(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}\b")),
    (
        "DATUM",
        re.compile(
            r"\b\d{1,2}\s*(?:jan|feb|maa|mrt|apr|mei|jun|jul|aug|sep|okt|oct|nov|dec)[a-z]*\.?"
            r"\s*(?:19|20|')?\d{2}\b",
            re.I,
        ),
    ),
    # Phone numbers: +31 / 0031 / 0, optional (0), then nine digits in any grouping.
    (
        "TELEFOON",
        re.compile(
            r"(?<![\w+])(?:\+\s?31|0031|\(0\d{1,3}\)|0)[\s.\-]*(?:\(0\)[\s.\-]*)?"
            r"\d(?:[\s.\-]*\(?\d\)?){7,9}(?!\d)"
        ),
    ),
    # BSN: nine digits, also written 123 456 789, 123.45.6789, 12345678 9.
    ("BSN", re.compile(r"(?<![\d.\-])\d(?:[\s.\-]?\d){8}(?![\d])")),
    (
        "KENTEKEN",
        re.compile(
            r"\b(?:[A-Z]{2}-\d{2}-\d{2}|\d{2}-[A-Z]{2}-\d{2}|\d{2}-\d{2}-[A-Z]{2}|[A-Z]{2}-\d{2}-[A-Z]{2}"
            r"|[A-Z]{2}-[A-Z]{2}-\d{2}|\d{2}-[A-Z]{2}-[A-Z]{2}|\d{2}-[A-Z]{3}-\d|\d-[A-Z]{3}-\d{2}"
            r"|[A-Z]{2}-\d{3}-[A-Z]|[A-Z]-\d{3}-[A-Z]{2}|[A-Z]{3}-\d{2}-[A-Z]|\d-[A-Z]{2}-\d{3}"
            r"|[A-Z]-\d{2}-[A-Z]{3})\b",
            re.I,
        ),
    ),
    ("NUMMER", re.compile(r"(?<!\d)(?<!\d\.)\d+(?:[ .]\d+)+(?!\d|\.\d)")),  # 7700 1284 3391; _number keeps short ones
    ("NUMMER", re.compile(r"\b[\w/-]*\d[\w/-]*\b")),  # filtered in _number: five digits or more
]
# A full postcode is cut back to PC4; the place after it belongs to the address (the PC4 says which wijk).
FULL_POSTCODE = re.compile(r"\b([1-9]\d{3})\s?(?!SS|SA|SD)[A-Za-z]{2}\b(,?\s+[A-Z][\w'-]+(?:[ -][A-Z][\w'-]+)?)?")
PC4_AND_PLACE = re.compile(r"\b([1-9]\d{3}),?\s+([^\W\d_][\w'-]*)")
# A number right after a removed name or place is its house number: "[PLAATS] 14".
NUMBER_AFTER_LABEL = re.compile(
    r"(\[(?:NAAM|PLAATS|ADRES|LOCATIE)[-\d]*\]),?\s+\d{1,4}(?:\s?[a-z]{1,3}\b|-\w+)?"
    r"(?!\s*(?:jaar|jarige|euro|procent|%|uur|dagen|weken|maanden|keer))",
    re.I,
)
# A bare house number: "hij woont op 58", "op nummer 12".
BARE_HOUSE_NUMBER = re.compile(
    r"\b(op|nummer|huisnummer|nr\.?|no\.?)\s+\d{1,4}(?:\s?[a-z]{1,3}\b|-\w+)?"
    r"(?!\s*(?:jaar|jarige|euro|procent|%|uur|dagen|weken|maanden|minuten|keer|km|meter))",
    re.I,
)
HOUSE_NUMBER = re.compile(
    r"[ \t]*\d{1,5}(?:\s?-?\s?(?:bis|hoog|huis|zw|bg|bv|rd|hs|[a-z]\b|[ivx]{1,4}\b|\d{1,3}\b))*", re.I
)
WORDS = yamlio.safe_load((Path(__file__).with_suffix(".yml")).read_text(encoding="utf-8"))
STREET_END = tuple(WORDS["straat_eindes"])
CUE_WORDS = set(WORDS["aanwijzers"])
CUE_PAIRS = {tuple(p) for p in WORDS["aanwijzer_paren"]}
PARTICLES = set(WORDS["tussenvoegsels"])
WORD_RE = re.compile(r"\[[A-Z]+(?:-\d+)?\]|[^\W\d_]+(?:['’][^\W\d_]+)*|\S")
SENTENCE_END = {".", "!", "?", ":", ";", "\n"}

_default: Deidentifier | None = None
_lock = threading.Lock()


def _lookup(name: str) -> set[str]:
    # deduce's word lists only: its pipeline would cost a gigabyte for what the passes here already find.
    folder = Path(importlib.util.find_spec("deduce").origin).parent / "data" / "lookup" / "src"
    path = folder / name
    return {fold(line.strip()) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}


class Deidentifier:
    """The three passes. Word lists load once, in the miss log's worker process."""

    def __init__(self, keep: frozenset[str] = frozenset(), places: frozenset[str] = frozenset()):
        """`keep`: words of the KB, never taken for a name; `places`: the gemeente's own wijk and buurt
        names, never taken for a street or a person's place."""
        self.keep = {fold(w) for w in keep}
        self._own_places = {fold(p) for p in places}

    @cached_property
    def places(self) -> set[str]:
        """The gemeente's wijken and buurten and every Dutch municipality: a place says nobody's name."""
        return self._own_places | _lookup("locations/lst_placename/lst_municipality/items.txt")

    @cached_property
    def names(self) -> set[str]:
        found = (
            _lookup("names/lst_first_name/items.txt")
            | _lookup("names/lst_surname/items.txt")
            | _lookup("names/lst_interfix_surname/items.txt")
        )
        return {w for n in found for w in n.split() if len(w) > 1 and w not in PARTICLES}

    @cached_property
    def streets(self) -> set[str]:
        return _lookup("locations/lst_street/streets_bag.txt") | _lookup("locations/lst_street/items.txt")

    @cached_property
    def _stop_lists(self) -> set[str]:
        from spacy.lang.en.stop_words import STOP_WORDS as EN
        from spacy.lang.nl.stop_words import STOP_WORDS as NL

        return set(NL) | set(EN) | _lookup("whitelist/lst_stop_word/items.txt")

    @cached_property
    def stop_words(self) -> set[str]:
        return self._stop_lists | PARTICLES

    @cached_property
    def everyday(self) -> set[str]:
        """Everyday Dutch and English words: a capital on one of them inside a sentence says little."""
        from wordfreq import top_n_list

        return (
            _lookup("whitelist/lst_common_word/items.txt")
            | self._stop_lists
            | {fold(w) for w in top_n_list("nl", 5000)}
            | {fold(w) for w in top_n_list("en", 3000)}
        )

    @cached_property
    def ordinary(self) -> set[str]:
        """Words from the name lists that are kept in lower case: deduce's own common words, stop words,
        and the everyday words in deidentify.yml."""
        return _lookup("whitelist/lst_common_word/items.txt") | self.stop_words | set(WORDS["gewone_woorden"])

    @cached_property
    def known(self) -> set[str]:
        """Any word a Dutch or English word list knows; a word outside it is dropped."""
        from wordfreq import top_n_list

        return {fold(w) for w in top_n_list("nl", 60000)} | {fold(w) for w in top_n_list("en", 40000)}

    # ------------------------------------------------------------------ passes
    def scrub(self, text: str) -> str:
        text = patterns_only(text)
        text = self.addresses(text)
        return NUMBER_AFTER_LABEL.sub(r"\1 [ADRES]", self.words(text))

    def addresses(self, text: str) -> str:
        tokens = list(re.finditer(r"[^\W\d_]+(?:['’.-][^\W\d_]+)*|\d+|\S", text))
        spans = []
        i = 0
        while i < len(tokens):
            end = self._street_at(tokens, i)
            if end is None:
                i += 1
                continue
            stop = tokens[end - 1].end()
            number = HOUSE_NUMBER.match(text, stop)
            if number and number.group().strip():
                stop = number.end()
            spans.append((tokens[i].start(), stop))
            i = end
            while i < len(tokens) and tokens[i].start() < stop:
                i += 1
        for start, stop in reversed(spans):
            text = text[:start] + "[ADRES]" + text[stop:]
        text = PC4_AND_PLACE.sub(
            lambda m: (
                f"{m.group(1)} [PLAATS]" if m.group(2)[0].isupper() or fold(m.group(2)) in self.places else m.group()
            ),
            text,
        )
        return BARE_HOUSE_NUMBER.sub(r"\1 [ADRES]", text)

    def _street_at(self, tokens, i: int) -> int | None:
        """The end (exclusive token index) of a street name starting at token i, or None."""
        best = None
        for n in range(1, 5):
            if i + n > len(tokens):
                break
            group = tokens[i : i + n]
            if not all(t.group()[0].isalpha() or t.group() in ("'", "-") for t in group):
                break
            name = fold(" ".join(t.group() for t in group))
            last = fold(group[-1].group())
            numbered = i + n < len(tokens) and tokens[i + n].group().isdigit()
            if name in self.places and not numbered:  # "Lauwerecht" is a buurt, "Lauwerecht 54" an address
                continue
            if n > 1 and not all(t.group()[0].isupper() or fold(t.group()) in PARTICLES for t in group[:-1]):
                break
            looks_like = last.endswith(STREET_END) and len(last) > 5 and last not in self.everyday
            listed = name in self.streets and (
                numbered or (group[-1].group()[0].isupper() and last not in self.everyday)
            )
            if looks_like or listed:
                best = i + n
        return best

    def words(self, text: str) -> str:
        tokens = [m for m in WORD_RE.finditer(text)]
        drop = [False] * len(tokens)
        sentence_start = True
        for i, m in enumerate(tokens):
            word = m.group()
            if LABEL_RE.fullmatch(word) or not word[0].isalpha():
                sentence_start = word in SENTENCE_END or (sentence_start and not word[0].isalnum())
                continue
            key = fold(word)
            drop[i] = self._unsafe(word, key, sentence_start, self._after_cue(tokens, i))
            sentence_start = False
        # A name-list word right after a particle or a name is a surname, also in lower case:
        # "van dijk", "de boer", "Kees kok".
        for i in range(1, len(tokens)):
            key = fold(tokens[i].group())
            if drop[i] or key not in self.names or key in self.stop_words:
                continue
            if self._names_before(tokens, drop, i - 1) and key not in self.places:
                drop[i] = True
                continue
            j = i - 1  # back over the particles: "van 't hof", "fam. de bruin"
            while j >= 0 and (fold(tokens[j].group()) in PARTICLES or tokens[j].group() in ("'", "’", "t", ".")):
                j -= 1
            if j < i - 1 and (
                key not in self.everyday
                or self._names_before(tokens, drop, j)
                or (j >= 0 and fold(tokens[j].group()) in CUE_WORDS)
            ):
                drop[i] = True
        # Particles go with the name they belong to: "Fatima el Amrani", "mevrouw van Dijk".
        for i in range(len(tokens) - 1, -1, -1):
            if drop[i] or fold(tokens[i].group()) not in PARTICLES:
                continue
            nxt = next((j for j in range(i + 1, len(tokens)) if tokens[j].group()[0].isalpha()), None)
            prev = next((j for j in range(i - 1, -1, -1) if tokens[j].group()[0].isalpha()), None)
            if (
                nxt is not None
                and drop[nxt]
                and tokens[nxt].group()[0].isupper()
                or (nxt is not None and drop[nxt] and prev is not None and drop[prev])
            ):
                drop[i] = True
        out, last = [], 0
        for i, m in enumerate(tokens):
            if drop[i]:
                out += [text[last : m.start()], "[NAAM]"]
                last = m.end()
        out.append(text[last:])
        return re.sub(r"\[NAAM\](?:\s+\[NAAM\])+", "[NAAM]", "".join(out))

    @staticmethod
    def _names_before(tokens, drop, j: int) -> bool:
        """Whether token j is a name: dropped already, or a name label."""
        if j < 0:
            return False
        word = tokens[j].group()
        return drop[j] or word == "[NAAM]"

    def _after_cue(self, tokens, i: int) -> bool:
        prev = [fold(t.group()) for t in tokens[max(0, i - 3) : i] if t.group()[0].isalpha() or t.group() == "."]
        prev = [p for p in prev if p != "."]
        if not prev:
            return False
        return prev[-1] in CUE_WORDS or (len(prev) >= 2 and (prev[-2], prev[-1]) in CUE_PAIRS)

    def _unsafe(self, word: str, key: str, sentence_start: bool, after_cue: bool) -> bool:
        """Whether a word might point at a person: when unsure, yes."""
        capital = word[0].isupper() and len(word) > 1  # a single capital ("I") says nothing
        inside = capital and not sentence_start  # a capital the sentence does not explain
        everyday = key in self.everyday
        if after_cue and key in self.names and key not in self.stop_words:
            return True
        if key in self.places:
            return False
        if key in self.names:
            return inside or (key not in self.ordinary and key not in self.keep)
        if key in self.keep:
            return False
        if after_cue:
            return inside or not everyday
        if inside:
            return not everyday
        return key not in self.known and len(key) > 2


def _number(match: re.Match) -> str:
    digits = sum(ch.isdigit() for ch in match.group())
    return "[NUMMER]" if digits >= 5 else match.group()


def patterns_only(text: str) -> str:
    text = FULL_POSTCODE.sub(lambda m: m.group(1) + (" [PLAATS]" if m.group(2) else ""), text)
    for label, pattern in PATTERNS:
        text = pattern.sub(_number if label == "NUMMER" else f"[{label}]", text)
    return text


def scrub(text: str) -> str:
    """The message with names, addresses, numbers and dates replaced by [LABELS] (no KB words to keep)."""
    global _default
    with _lock:
        if _default is None:
            _default = Deidentifier()
    return _default.scrub(text)
