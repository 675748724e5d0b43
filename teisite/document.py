"""A document of the edition as a record: its file, title, language, slug, what the walk found in
it, and what a citation needs from its header (its trees are kept and let go by trees.py)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .parsing import TEI_NS, plain_text
from .trees import body
from .walk import Mention, Passage


@dataclass(eq=False)  # one document is one object: compared (and hashed) by identity
class Document:
    """One TEI text: its parsed tree, its title, and what the walk found in it."""

    path: Path
    rel: str                   # path below the project's source folder, with '/'
    tree: etree._ElementTree | None  # as loaded; trees.py decides how long it is kept
    title: str
    lang: str
    slug: str = ""
    mentions: list[Mention] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    notes: int = 0
    is_text: bool = True
    digest: str = ""
    xml: bytes | None = field(default=None, repr=False)  # the walked <text> once its tree went, zlib
    text_tree: etree._ElementTree | None = field(default=None, repr=False)  # parsed from xml
    resolution: tuple | None = field(default=None, repr=False)  # (register ids, problems): resolve()
    source: etree._ElementTree | None = field(default=None, repr=False)  # the file again: trees.source
    meta: dict = field(default_factory=dict)  # what a citation needs, from the teiHeader
    head: bytes | None = field(default=None, repr=False)  # a packed shed tree (see trees.pack)
    entry_ids: frozenset | None = None  # ids of its register entries: see registers.register_ids
    read: dict = field(default_factory=dict, repr=False)  # its entries as read: registers.entry_at
    together: tuple | None = field(default=None, repr=False)  # see entries_by_passage

    @property
    def url(self) -> str:
        return f"texts/{self.slug}/"

    @property
    def body(self) -> etree._Element | None:
        """The <text> element of its walked tree (see trees.body)."""
        return body(self)

    def entries_by_passage(self) -> dict[str, Counter]:
        """For each paragraph, how many of its mentions name each entry (for entry pages' "named
        together with"); kept, while serving, as long as the references resolve the same way."""
        if self.together is None or self.together[0] is not self.resolution:
            counts: dict[str, Counter] = defaultdict(Counter)
            for m in self.mentions:
                if m.passage and m.resolved:
                    counts[m.passage].update(m.resolved)
            self.together = (self.resolution, counts)
        return self.together[1]


def header_meta(root: etree._Element, title: str) -> dict:
    """What a citation needs, from the teiHeader: titles, editors, publisher, date, licence."""
    T = f"{{{TEI_NS}}}"

    def texts(path: str) -> list[str]:
        return [" ".join("".join(e.itertext()).split()) for e in root.iterfind(path, {"t": TEI_NS})]

    fs = "t:teiHeader/t:fileDesc/"
    titles = texts(fs + "t:titleStmt/t:title")
    licence = root.find(f"{T}teiHeader/{T}fileDesc/{T}publicationStmt/{T}availability/{T}licence")
    date = root.find(f"{T}teiHeader/{T}fileDesc/{T}publicationStmt/{T}date")
    people = texts(fs + "t:titleStmt/t:editor") + texts(fs + "t:titleStmt/t:respStmt/t:name") \
        + texts(fs + "t:titleStmt/t:respStmt/t:persName")
    orgs = texts(fs + "t:titleStmt/t:respStmt/t:orgName")
    return {"title": titles[0] if titles else title, "subtitle": titles[1] if len(titles) > 1 else "",
            "editors": list(dict.fromkeys(people + orgs)),
            "editor_orgs": list(dict.fromkeys(orgs)),
            "publisher": (texts(fs + "t:publicationStmt/t:publisher") or
                          texts(fs + "t:publicationStmt/t:authority") or [""])[0],
            "date": (date.get("when") if date is not None and date.get("when") else
                     "".join(date.itertext()).strip() if date is not None else ""),
            "licence": licence.get("target", "") if licence is not None else "",
            "licence_text": " ".join("".join(licence.itertext()).split()) if licence is not None else ""}


def title_of(root: etree._Element, fallback: str) -> str:
    t = root.find(f"{{{TEI_NS}}}teiHeader/{{{TEI_NS}}}fileDesc/{{{TEI_NS}}}titleStmt/{{{TEI_NS}}}title")
    return plain_text(t) or fallback

