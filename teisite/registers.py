"""Register entries: the kinds TEI keeps, an entry as read from its element, and the entries of
an edition collected from every file (a register file's copy wins)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from .dates import DateValue, date_value
from .diagnostics import Diagnostics
from .parsing import TEI_NS, XML_ID, XML_LANG, localname, make_parser, plain_text, span
from .walk import TS, Mention, safe_id

if TYPE_CHECKING:
    from .document import Document


@dataclass(frozen=True)
class Kind:
    """A kind of register entry: where TEI keeps it and where the site lists it."""

    key: str
    item: str                  # the TEI element of an entry: person, place, org, ...
    names: tuple[str, ...]     # the TEI elements that name it
    folder: str                # URL folder of its index and entry pages


KINDS = {k.item: k for k in (
    Kind("person", "person", ("persName",), "persons"),
    Kind("place", "place", ("placeName", "settlement", "geogName", "country", "region", "bloc"),
         "places"),
    Kind("org", "org", ("orgName",), "organisations"),
    Kind("event", "event", ("eventName", "label", "desc"), "events"),
    Kind("bibl", "bibl", ("title",), "works"),
)}
# a name element whose @ref points nowhere still has a kind, for styling and messages
ELEMENT_KINDS = {"persName": "person", "placeName": "place", "orgName": "org", "settlement": "place",
                 "country": "place", "region": "place", "geogName": "place", "date": "date"}
REGISTER_LISTS = {"listPerson", "listPlace", "listOrg", "listEvent", "listBibl", "listWit",
                  "listRelation", "listNym", "listObject"}
STANDARD_NAME_TYPES = ("standard", "reg", "main", "full", "preferred")


@dataclass
class Name:
    text: str
    lang: str = ""
    type: str = ""


@dataclass
class Entry:
    """One register entry (a person, place, organisation, event or work) and its mentions."""

    id: str
    kind: str
    path: str
    line: int
    col: int
    label: str
    names: list[Name]
    index_label: str = ""      # as the alphabetical index lists it: "Surname, Forename"
    sort: str = ""
    description: str = ""
    role: str = ""
    life: str = ""
    place_type: str = ""
    geo: tuple[float, float] | None = None
    links: list[tuple[str, str]] = field(default_factory=list)
    cert: str = ""
    date: DateValue | None = None
    from_register_file: bool = False
    mentions: list[Occurrence] = field(default_factory=list)
    end_line: int | None = None  # where its start tag ends (parsing.span)
    end_col: int | None = None

    slug: str = ""             # unique within its kind's folder, set by collect_entries

    @property
    def span(self) -> tuple[int, int, int | None, int | None]:
        """Where its element's start tag is, as parsing.span gives it."""
        return self.line, self.col, self.end_line, self.end_col

    @property
    def url(self) -> str:
        return f"{KINDS[self.kind].folder}/{self.slug}/"

    @property
    def variants(self) -> list[str]:
        seen, out = {self.label}, []
        for n in self.names:
            if n.text not in seen:
                seen.add(n.text)
                out.append(n.text)
        return out


A_LINE = f"{{{TS}}}l"  # where a register entry is in its file, written on it by trees.pack
_REPARSER = make_parser()  # a packed head is parsed as its file was


@dataclass(slots=True)
class Occurrence:
    """A mention seen from the entry it names."""

    doc: Document
    mention: Mention


def collation_key(text: str) -> str:
    """Russian alphabetical order: Ё with Е, case and punctuation ignored."""
    t = text.casefold().replace("ё", "е")
    return re.sub(r"[^\w ]+", "", t).strip()



def _first(el: etree._Element, names: tuple[str, ...]) -> list[etree._Element]:
    return [c for c in el if isinstance(c.tag, str) and localname(c) in names]


def read_entry(el: etree._Element, kind: Kind, path: Path, lang: str) -> Entry:
    """A register element (person, place, org, event, bibl) as an Entry."""
    names = [Name(plain_text(n), n.get(XML_LANG, ""), n.get("type", "")) for n in _first(el, kind.names)]
    names = [n for n in names if n.text]
    in_lang = [n for n in names if n.lang.startswith(lang)] or [n for n in names if not n.lang] or names
    preferred = [n for n in in_lang if n.type in STANDARD_NAME_TYPES] or in_lang
    label = preferred[0].text if preferred else (el.get(XML_ID) or "?")
    surname = el.find(f"{{{TEI_NS}}}persName/{{{TEI_NS}}}surname")
    index_label = label
    if surname is not None:
        rest = " ".join(plain_text(surname.getparent()).replace(plain_text(surname), " ", 1).split())
        index_label = f"{plain_text(surname)}, {rest}" if rest else plain_text(surname)
    sort = collation_key(index_label)
    desc = [c for c in el if isinstance(c.tag, str) and localname(c) in ("note", "desc")
            and c.get("type") not in ("cert", "source")]
    description = " ".join(plain_text(d) for d in desc[:1])
    role = "; ".join(plain_text(c) for c in _first(el, ("occupation", "roleName", "state", "faith"))
                     if plain_text(c))
    life = _life(el)
    links = []
    for idno in el.iter(f"{{{TEI_NS}}}idno"):
        value = plain_text(idno)
        if re.match(r"https?://", value):
            links.append((idno.get("type") or value.split("/")[2], value))
    geo = None
    g = el.find(f".//{{{TEI_NS}}}location/{{{TEI_NS}}}geo")
    if g is not None:
        try:
            lat, lon = (float(x) for x in plain_text(g).replace(",", " ").split()[:2])
            geo = (lat, lon)
        except ValueError:
            geo = None
    line, col, end_line, end_col = _span_of(el, path)
    return Entry(el.get(XML_ID), kind.item, str(path), line, col, label, names, index_label, sort,
                 description,
                 role, life, el.get("type", "") if kind.item == "place" else "", geo, links,
                 el.get("cert", ""), date_value(el.attrib) if kind.item == "event" else None,
                 end_line=end_line, end_col=end_col)


def write_span(el: etree._Element, path: Path) -> None:
    """Write where an entry's element is in its file on it (A_LINE), for a packed head (see
    trees.pack), which is parsed again with other lines."""
    el.set(A_LINE, " ".join(str(n or 0) for n in span(el, path)))


def _span_of(el: etree._Element, path: Path) -> tuple[int, int, int | None, int | None]:
    written = el.get(A_LINE)
    if written is None:
        return span(el, path)
    line, col, end_line, end_col = (int(n) for n in written.split())
    return line, col, end_line or None, end_col or None


def _year(e: etree._Element | None) -> str:
    """A birth or death as a year: '1650', '1632/1633' for a span, '?1686' when uncertain."""
    if e is None:
        return ""
    v = date_value(e.attrib)
    raw = v.when or v.not_before or v.not_after
    if not raw:
        return plain_text(e)
    start, end = v.not_before[:4], v.not_after[:4]
    y = f"{start}/{end}" if start and end and start != end else raw[:4].lstrip("0")
    uncertain = e.get("cert") in ("low", "medium") or (not v.when and start != end)
    return "?" + y if uncertain else y


def _life(el: etree._Element) -> str:
    birth = _year(el.find(f"{{{TEI_NS}}}birth"))
    death = _year(el.find(f"{{{TEI_NS}}}death"))
    if not birth and not death:
        return ""
    return f"{birth or '?'}–{death or '?'}"



_ENTRY_TAGS = tuple(f"{{{TEI_NS}}}{kind.item}" for kind in KINDS.values())


def register_elements(root: etree._Element):
    """The register entries of a tree: persons, places, ... with an xml:id, in a list*."""
    for el in root.iter(*_ENTRY_TAGS):
        parent = el.getparent()
        if el.get(XML_ID) is not None and parent is not None and localname(parent) in REGISTER_LISTS:
            yield el


def register_root(doc: Document) -> etree._Element | None:
    """Where a document's register entries are: its tree, or its packed head (trees.pack)."""
    if doc.tree is not None:
        return doc.tree.getroot()
    return etree.fromstring(doc.head, _REPARSER) if doc.head is not None else None


def register_ids(doc: Document) -> frozenset:
    """The xml:ids of the register entries in a document (which does not change: a changed
    file is a new Document)."""
    if doc.entry_ids is None:
        root = register_root(doc)
        doc.entry_ids = frozenset(el.get(XML_ID) for el in register_elements(root)) \
            if root is not None else frozenset()
    return doc.entry_ids


def entry_at(doc: Document, i: int, el: etree._Element, lang: str) -> Entry:
    """A fresh Entry for the i-th register entry of a document, which is read once."""
    key = (i, lang)
    if key not in doc.read:
        doc.read[key] = read_entry(el, KINDS[localname(el)], doc.path, lang)
        doc.read[key].from_register_file = not doc.is_text
    return replace(doc.read[key], mentions=[])


def duplicate_id(xid: str, line: int, path: str = "") -> str:
    """The one message for an xml:id used twice (here, and in checks.check_ids): the first use
    is at `line` (of `path`, when that is another file)."""
    return (f"xml:id \"{xid}\" is used twice (first at {f'{path}:' if path else 'line '}{line}); "
            "give one of them another id")


def collect_entries(docs: list[Document], lang: str, diags: Diagnostics) -> dict[str, Entry]:
    """Register entries from every file; a separate register file wins over copies in texts."""
    entries: dict[str, Entry] = {}
    # register files first: a text's copy of an entry they define is then not even read
    for doc in sorted(docs, key=lambda d: d.is_text):
        if doc.is_text and register_ids(doc) <= entries.keys():
            continue  # (a packed text is then not even parsed)
        root = register_root(doc)
        for i, el in enumerate(register_elements(root) if root is not None else ()):
            if doc.is_text and el.get(XML_ID) in entries:
                continue
            entry = entry_at(doc, i, el, lang)
            old = entries.get(entry.id)
            if old is None or (entry.from_register_file and not old.from_register_file):
                entries[entry.id] = entry
            elif old.from_register_file and entry.from_register_file and old.path != entry.path:
                # (twice in one file is checks.check_ids's to say)
                first = os.path.relpath(old.path, Path(entry.path).parent)
                diags.error_at(entry.path, entry.span, duplicate_id(entry.id, old.line, first),
                               "id.duplicate", related=(old.path, old.line, old.col))
    used: set[tuple[str, str]] = set()
    for entry in entries.values():
        base = safe_id(entry.id)
        slug, k = base, 1
        while (entry.kind, slug.casefold()) in used:  # a/b and a-b must not share a page
            k += 1
            slug = f"{base}-{k}"
        used.add((entry.kind, slug.casefold()))
        entry.slug = slug
    return entries

