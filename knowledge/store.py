"""Read access to a built knowledge base, behind one interface.

The assistant and the web app only use `KnowledgeBase`; which engine holds
the data (embedded SQLite + Whoosh by default) is decided in `open_kb`.
"""

from __future__ import annotations

import json
import os
import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import IO, Any

from .layout import DB_NAME, INDEX_DIR, LEXICON, PROFIEL
from .locaties import Locatie, Locator
from .records import TYPES, Buurtteam, Regel, Voorziening, Wijk, structured, typed
from .schema import bron_label
from .search import Hit, QueryAnalyser, Searcher, Synonyms
from .text import Lexicon

# Lists and mappings are JSON in a SQLite column: the record types' structured fields, and the sources
# of the tables without a type (organisaties, woordenlijst).
JSON_COLUMNS = set().union(*(structured(t) for t in TYPES.values())) | {"bron"}


class KnowledgeBaseMissing(RuntimeError):
    """No usable KB: tells the operator how to fix it."""


@dataclass
class BuurtteamAntwoord:
    locatie: Locatie
    wijk: Wijk
    teams: list[Buurtteam]


class KnowledgeBase(ABC):
    # The open lock file that marks this KB's build in use (layout.hold), so no later build prunes it.
    in_use: IO[bytes] | None = None

    @abstractmethod
    def voorziening(self, id: str) -> Voorziening | None: ...

    @abstractmethod
    def voorzieningen(self, ids: list[str] | None = None) -> list[Voorziening]: ...

    @abstractmethod
    def small_table(self, name: str) -> list[Any]:
        """A small table, read once at start: wijken, buurtteams and regels as their record types,
        woordenlijst and organisaties as mappings."""

    @abstractmethod
    def synoniemen(self) -> list[dict[str, Any]]: ...

    @abstractmethod
    def zoek(
        self,
        text: str = "",
        *,
        wijk: str | None = None,
        doelgroep: str | None = None,
        thema: str | None = None,
        toegangsroute: str | None = None,
        limit: int | None = 20,
    ) -> list[Hit]: ...

    # Every backend serves the profile its build was checked against (gemeente.yaml, bronnen.yaml).
    def _use_profiel(self, build_dir: Path) -> None:
        data = json.loads((Path(build_dir) / PROFIEL).read_text(encoding="utf-8"))
        self._gemeente: dict[str, Any] = data["gemeente"]
        self._bronnen: dict[str, dict[str, Any]] = data["bronnen"]

    def gemeente(self) -> dict[str, Any]:
        """The gemeente profile: naam, officiele_naam, buurtteam_soorten, verouderd_na_jaren, ..."""
        return self._gemeente

    def bronnen(self) -> dict[str, dict[str, Any]]:
        """The source documents by file name: {titel, jaar}."""
        return self._bronnen

    def bron_label(self, bron: Mapping[str, Any]) -> str:
        return bron_label(bron, self._bronnen)

    # Every backend serves the lexicon file its build wrote (words, frequencies, indexed vocabulary).
    def _use_lexicon(self, lex: dict[str, Any]) -> None:
        self._lexicon = Lexicon.from_dict(lex)
        self._vocabulary = set(lex["vocabulary"])
        self._common_terms = frozenset(lex.get("common_terms", ()))

    @property
    def lexicon(self) -> Lexicon:
        return self._lexicon

    @property
    def vocabulary(self) -> set[str]:
        """Every word the search index holds: typos are corrected towards these."""
        return self._vocabulary

    # Shared behaviour on top of the primitives.
    def regels(self) -> list[Regel]:
        return list(self.small_table("regels"))

    @cached_property
    def _regels_by_id(self) -> dict[str, Regel]:
        return {r["id"]: r for r in self.small_table("regels")}

    def regel(self, id: str) -> Regel | None:
        return self._regels_by_id.get(id)

    def wijken(self) -> list[Wijk]:
        return self.small_table("wijken")

    def buurtteams(self) -> list[Buurtteam]:
        return self.small_table("buurtteams")

    def woordenlijst(self) -> list[dict[str, Any]]:
        return self.small_table("woordenlijst")

    def organisaties(self) -> list[dict[str, Any]]:
        return self.small_table("organisaties")

    @cached_property
    def analyser(self) -> QueryAnalyser:
        return QueryAnalyser(self.lexicon, Synonyms(self.synoniemen()), self.vocabulary, self._common_terms)

    @cached_property
    def locator(self) -> Locator:
        return Locator(self.wijken(), self.lexicon.known)

    def wijk(self, id: str) -> Wijk | None:
        return next((w for w in self.wijken() if w["id"] == id), None)

    def teams_voor_wijk(self, wijk: str) -> list[Buurtteam]:
        order = {soort: i for i, soort in enumerate(self.gemeente()["buurtteam_soorten"])}
        teams = [t for t in self.buurtteams() if wijk in t["wijken"]]
        return sorted(teams, key=lambda t: order.get(t["soort"], len(order)))

    def buurtteam(self, query: str) -> BuurtteamAntwoord | None:
        """The buurtteams for a postcode, wijk or buurt name ('3563', 'Lombok', 'Zuilen')."""
        loc = self.locator.find(query)
        if loc is None:
            return None
        wijk = self.wijk(loc.wijk)
        return BuurtteamAntwoord(loc, wijk, self.teams_voor_wijk(loc.wijk)) if wijk else None


BOOL_COLUMNS = {"mogelijk_verouderd"}


def _decode(row: dict[str, Any]) -> dict[str, Any]:
    return {
        k: (
            json.loads(v)
            if k in JSON_COLUMNS and isinstance(v, str)
            else bool(v)
            if k in BOOL_COLUMNS and v is not None
            else v
        )
        for k, v in row.items()
    }


class SqliteKnowledgeBase(KnowledgeBase):
    """The embedded default: one SQLite file, one Whoosh index, one lexicon file."""

    def __init__(self, build_dir: Path):
        self.dir = Path(build_dir)
        db_path = self.dir / DB_NAME
        if not db_path.is_file() or not (self.dir / INDEX_DIR).is_dir():
            raise KnowledgeBaseMissing(f"Geen kennisbank gevonden in {self.dir}. Maak hem met: buurtwijzer build")
        try:
            self._db_uri = f"file:{db_path}?mode=ro"
            self._db_pid: int | None = None
            self._small = {
                t: typed(t, [_decode(dict(r)) for r in self.db.execute(f"select * from {t}")])
                for t in ("wijken", "buurtteams", "regels", "woordenlijst", "organisaties")
            }
            lex = json.loads((self.dir / LEXICON).read_text(encoding="utf-8"))
            self._use_profiel(self.dir)
        except (sqlite3.DatabaseError, OSError, ValueError, KeyError) as exc:
            raise KnowledgeBaseMissing(
                f"De kennisbank in {self.dir} is beschadigd ({exc}). Maak hem opnieuw met: buurtwijzer build"
            ) from None
        self._use_lexicon(lex)

    @property
    def db(self) -> sqlite3.Connection:
        """This process's connection: a forked server worker must not use its parent's (SQLite's rule)."""
        if self._db_pid != os.getpid():
            self._db = sqlite3.connect(self._db_uri, uri=True, check_same_thread=False)
            self._db.row_factory = sqlite3.Row
            self._db_pid = os.getpid()
        return self._db

    @cached_property
    def searcher(self) -> Searcher:
        return Searcher(self.dir / INDEX_DIR, self.analyser)

    def _rows(self, sql: str, args: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return [_decode(dict(r)) for r in self.db.execute(sql, args)]

    def voorziening(self, id: str) -> Voorziening | None:
        rows = self._rows("select * from voorzieningen where id = ?", (id,))
        return Voorziening.from_dict(rows[0]) if rows else None

    def voorzieningen(self, ids: list[str] | None = None) -> list[Voorziening]:
        if ids is None:
            return typed("voorzieningen", self._rows("select * from voorzieningen order by naam"))
        found = {
            r["id"]: r for r in self._rows(f"select * from voorzieningen where id in ({','.join('?' * len(ids))})", ids)
        }
        return [Voorziening.from_dict(found[i]) for i in ids if i in found]

    def small_table(self, name: str) -> list[Any]:
        return self._small[name]

    @cached_property
    def _synoniemen(self) -> list[dict[str, Any]]:
        grouped: dict[str, list[str]] = {}
        for r in self.db.execute("select woord, term from synoniemen"):
            grouped.setdefault(r["term"], []).append(r["woord"])
        return [{"term": t, "woorden": w} for t, w in grouped.items()]

    def synoniemen(self) -> list[dict[str, Any]]:
        return self._synoniemen

    def zoek(
        self,
        text: str = "",
        *,
        wijk: str | None = None,
        doelgroep: str | None = None,
        thema: str | None = None,
        toegangsroute: str | None = None,
        limit: int | None = 20,
    ) -> list[Hit]:
        return self.searcher.search(
            text, wijk=wijk, doelgroep=doelgroep, thema=thema, toegangsroute=toegangsroute, limit=limit
        )

    def meta(self) -> dict[str, str]:
        return {r["key"]: r["value"] for r in self.db.execute("select key, value from meta")}
