"""A document of the edition as a record: its file, title, language, slug, what the walk found in
it, and what a citation needs from its header (its trees are kept and let go by trees.py)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from lxml import etree

from .dates import calendar_kinds, date_value
from .parsing import TEI_NS, XML_ID, XML_LANG, plain_text
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
    translated: list[Passage] = field(default_factory=list)  # its translations' paragraphs (walk)
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
    includes: tuple = ()       # the files its xi:includes read (xinclude.py)
    part: str = ""             # in a teiCorpus: its TEI's xml:id or number ("" for a TEI file)
    media: tuple = ()          # (image file, whether it is there) its images name: cache.py
    targets: tuple = ()        # (token, its parsing.span) of each link's @target that leaves its
                               # page: checks.link_targets, resolved with the edition (resolve)

    @property
    def url(self) -> str:
        return f"texts/{self.slug}/"

    @property
    def body(self) -> etree._Element | None:
        """The <text> element of its walked tree (see trees.body)."""
        return body(self)

    @cached_property  # while serving, kept with the document until it changes
    def dated(self) -> list[Mention]:
        """Its mentions that carry a date (the chronology's rows)."""
        return [m for m in self.mentions if m.date is not None and not m.date.empty]

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
    main = title_of(root, "")
    other_titles = [t for t in _TITLES(root) if t.get("level") != "s" and plain_text(t) != main]
    others = [plain_text(t) for t in other_titles]
    titles = [main, *others] if main else others
    licence = root.find(f"{T}teiHeader/{T}fileDesc/{T}publicationStmt/{T}availability/{T}licence")
    date = root.find(f"{T}teiHeader/{T}fileDesc/{T}publicationStmt/{T}date")
    people = texts(fs + "t:titleStmt/t:editor") + texts(fs + "t:titleStmt/t:respStmt/t:name") \
        + texts(fs + "t:titleStmt/t:respStmt/t:persName")
    orgs = texts(fs + "t:titleStmt/t:respStmt/t:orgName")
    subtitle_lang = (other_titles[0].get(XML_LANG) or "") if main and other_titles else ""
    return {"title": titles[0] if titles else title, "subtitle": titles[1] if len(titles) > 1 else "",
            "subtitle_lang": subtitle_lang,
            "editors": list(dict.fromkeys(people + orgs)),
            "editor_orgs": list(dict.fromkeys(orgs)),
            "publisher": (texts(fs + "t:publicationStmt/t:publisher") or
                          texts(fs + "t:publicationStmt/t:authority") or [""])[0],
            "date": (date.get("when") if date is not None and date.get("when") else
                     "".join(date.itertext()).strip() if date is not None else ""),
            "licence": licence.get("target", "") if licence is not None else "",
            "licence_text": " ".join("".join(licence.itertext()).split()) if licence is not None else "",
            # a DOI, once minted (publicationStmt/idno[@type='DOI']): only when there is one
            **({"doi": doi} if (doi := _doi(texts(fs + "t:publicationStmt/t:idno[@type='DOI']"))) else {}),
            "xml_id": root.get(XML_ID, ""), "corresp": correspondence(root),
            **version_of(root)}


def _doi(found: list[str]) -> str:
    """A DOI as its bare name (10.5281/zenodo.123), also when written as a doi.org link."""
    doi = found[0].strip() if found else ""
    return re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", "", doi, flags=re.IGNORECASE)


def version_of(root: etree._Element) -> dict:
    """The version of a document (teiHeader's editionStmt/edition: @n, its date) and the changes
    its revisionDesc lists, newest first as TEI writes them: what citations, the footer and the
    changes page show."""
    T = f"{{{TEI_NS}}}"
    edition = root.find(f"{T}teiHeader/{T}fileDesc/{T}editionStmt/{T}edition")
    when = edition.find(f".//{T}date") if edition is not None else None
    changes = [{"when": c.get("when", ""), "n": c.get("n", ""), "text": plain_text(c), "line": c.sourceline}
               for c in root.iterfind(f"{T}teiHeader/{T}revisionDesc//{T}change")]
    return {"version": (edition.get("n") or plain_text(edition)) if edition is not None else "",
            "version_date": (when.get("when") or plain_text(when)) if when is not None else "",
            "changes": changes, "version_line": edition.sourceline if edition is not None else 1}


_TITLES = etree.XPath("t:teiHeader/t:fileDesc/t:titleStmt/t:title", namespaces={"t": TEI_NS})


def title_of(root: etree._Element, fallback: str) -> str:
    """The document's own title: titleStmt's title of the article (`@level='a'`), or its main
    title, or its first title that is not the series' (`@level='s'`, shared by every letter of a
    collection); `fallback` when there is none."""
    titles = [t for t in _TITLES(root) if plain_text(t)]
    for chosen in ([t for t in titles if t.get("level") == "a"],
                   [t for t in titles if t.get("type") == "main" and t.get("level") != "s"],
                   [t for t in titles if t.get("level") != "s" and t.get("type") != "sub"],
                   [t for t in titles if t.get("level") != "s"]):
        if chosen:
            return plain_text(chosen[0])
    return fallback


_CORRESP_NAMES = ("persName", "orgName", "name", "placeName", "settlement", "date")
_ACTIONS = etree.XPath("t:teiHeader/t:profileDesc/t:correspDesc/t:correspAction",
                       namespaces={"t": TEI_NS})


def correspondence(root: etree._Element) -> list[dict]:
    """A letter's correspDesc: each correspAction (its @type: sent, received, ...) with its
    names, places and date as mentions, anchored `corresp-n` in the page head. Those with @ref,
    and the dates, are mentions of the document too (see header_mentions)."""
    actions, n = [], 0
    calendars = None
    for action in _ACTIONS(root):
        calendars = calendar_kinds(root) if calendars is None else calendars
        parts = [c for c in action if isinstance(c.tag, str) and c.tag.startswith(f"{{{TEI_NS}}}")
                 and c.tag.rpartition("}")[2] in _CORRESP_NAMES and plain_text(c)]
        texts = [plain_text(c) for c in parts]
        mentions = []
        for i, el in enumerate(parts):
            n += 1
            name = el.tag.rpartition("}")[2]
            m = Mention(f"corresp-{n}", name, (el.get("ref") or "").split(), texts[i],
                        el.sourceline or 0, "", "", date_value(el.attrib, calendars) if name == "date" else None,
                        el.get("cert", ""), " · ".join(texts[:i]) + (" · " if i else ""),
                        (" · " if i + 1 < len(texts) else "") + " · ".join(texts[i + 1:]), el=el)
            mentions.append(m)
        if mentions:
            actions.append({"type": action.get("type", ""), "parts": mentions})
    return actions


def header_mentions(meta: dict) -> list[Mention]:
    """The mentions a document's header makes (a letter's sender, addressee and date), before
    those of its text; the header's other names are shown, not collected."""
    out = []
    for action in meta.get("corresp", ()):
        for m in action["parts"]:
            if m.refs or (m.date is not None and not m.date.empty):
                out.append(m)
            else:
                m.el = None  # (only a mention's element is kept, for its messages' location)
    return out


def letter(meta: dict) -> dict | None:
    """A letter's row in the list of letters: its date (as written, and ISO for sorting), its
    senders, addressees and the place it was sent from; None when it has no correspDesc."""
    actions = meta.get("corresp") or []
    if not actions:
        return None
    sent = [a for a in actions if a["type"] == "sent"] or actions[:1]
    received = [a for a in actions if a["type"] == "received"]

    def parts(group: list[dict], names: tuple[str, ...]) -> list[Mention]:
        return [m for a in group for m in a["parts"] if m.element in names]

    who = ("persName", "orgName", "name")
    dates = parts(sent, ("date",)) or parts(actions, ("date",))
    date = dates[0] if dates else None
    dated = date is not None and date.date is not None and not date.date.empty
    return {"date": date, "sort": date.date.sort_key if dated else "", "senders": parts(sent, who),
            "addressees": parts(received, who), "places": parts(sent, ("placeName", "settlement"))}
