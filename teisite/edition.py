"""The edition: all documents, register entries and mentions of a project, with its diagnostics
(loaded by loading.py; no MkDocs here: `build.py check` and the tests use it directly)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from . import trees
from .diagnostics import Diagnostics
from .document import Document
from .models import ModelTable
from .registers import KINDS, Entry, References
from .walk import Mention


@dataclass
class Edition:
    """All documents and register entries of a project, and what was found wrong with them."""

    root: Path
    documents: list[Document]
    entries: dict[str, Entry]
    diagnostics: Diagnostics
    table: ModelTable
    lang: str = "en"
    mentioned_only: bool = False  # `entries: mentioned`: an entry no text names is not published

    @cached_property
    def texts(self) -> list[Document]:
        return [d for d in self.documents if d.is_text]

    def entries_of(self, kind: str) -> list[Entry]:
        return sorted((e for e in self.listed if e.kind == kind), key=lambda e: e.sort)

    @property
    def listed(self) -> list[Entry]:
        """The entries the site lists: not a text's list item or figure that no @ref names (nor,
        with `entries: mentioned`, any entry that no text names)."""
        return [e for e in self.entries.values() if self.published(e)]

    def published(self, e: Entry) -> bool:
        """Whether an entry has a page (is listed)."""
        return bool(e.mentions) or not (e.only_if_named or self.mentioned_only)

    @property
    def mapped(self) -> list[Entry]:
        """The places the map shows: listed places with coordinates."""
        return [e for e in self.listed if e.kind == "place" and e.geo]

    @property
    def kinds(self) -> list[str]:
        return [k for k in KINDS if any(e.kind == k for e in self.listed)]

    @cached_property
    def references(self) -> References:
        """Which entry or document a text's reference names (registers.References)."""
        return References(self.entries, self.texts)

    def cast(self) -> list[tuple[Document | None, list[Entry]]]:
        """Each play's cast (its role entries, in the play's order), plays in the texts' order."""
        by_doc: dict[str, list[Entry]] = {}
        for e in self.listed:
            if e.kind == "role":
                by_doc.setdefault(e.scope, []).append(e)
        plays = [(d, sorted(by_doc[d.rel], key=lambda e: e.order)) for d in self.documents
                 if d.rel in by_doc]
        shared = sorted(by_doc.get("", ()), key=lambda e: e.sort)  # a register file's roles
        return [*plays, (None, shared)] if shared else plays

    @property
    def letters(self) -> bool:
        """Whether some of the texts are letters (with a correspDesc): its texts index lists them
        by date, sender and addressee (and is called "Letters" when all are: see all_letters)."""
        return any(d.meta.get("corresp") for d in self.texts)

    @property
    def all_letters(self) -> bool:
        """Whether every text is a letter."""
        return bool(self.texts) and all(d.meta.get("corresp") for d in self.texts)

    @cached_property
    def dated(self) -> list[tuple[Document, Mention]]:
        out = [(d, m) for d in self.texts for m in d.dated]
        return sorted(out, key=lambda dm: (dm[1].date.sort_key, dm[0].slug))

    @property
    def mention_count(self) -> int:
        return sum(len(d.mentions) for d in self.texts)

    def compact(self) -> None:
        """For a one-off build, once loaded: drop the trees no page renders (registers, the
        headers of shed texts) and hand the memory back before the page workers fork."""
        for doc in self.documents:
            trees.compact(doc)
        trees.give_back_memory()
