"""Register entries: the kinds TEI keeps, an entry as read from its element, and the entries of
an edition collected from every file (a register file's copy wins)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from .dates import DateValue, calendar_kinds, date_value
from .diagnostics import Diagnostics
from .parsing import TEI_NS, XML_ID, XML_LANG, localname, make_parser, origin, plain_text, span
from .walk import TS, Mention, safe_id

if TYPE_CHECKING:
    from .document import Document


@dataclass(frozen=True)
class Kind:
    """A kind of register entry: where TEI keeps it and where the site lists it."""

    key: str
    items: tuple[str, ...]     # the TEI elements of an entry: person, place, org, ...
    names: tuple[str, ...]     # the TEI elements that name it
    folder: str                # URL folder of its index and entry pages
    index: str = "index.html"  # the page template of its index (pages/)


KINDS = {k.key: k for k in (
    Kind("person", ("person", "personGrp"), ("persName",), "persons"),
    Kind("place", ("place",), ("placeName", "settlement", "geogName", "country", "region", "bloc"),
         "places"),
    Kind("org", ("org",), ("orgName",), "organisations"),
    Kind("event", ("event",), ("eventName", "label", "desc"), "events"),
    Kind("bibl", ("bibl",), ("title",), "works"),
    # a play's characters: castList roles, and the persons of a play's particDesc (see kind_of)
    Kind("role", ("role",), ("persName", "name", "roleName"), "cast", "cast.html"),
    # things a site-index file lists: objects and figures (artworks), list items (plants, terms)
    Kind("object", ("object", "figure"), ("objectName", "head", "name", "title"), "objects"),
    Kind("term", ("item",), ("term", "name", "label", "gloss"), "terms"),
)}
ITEM_KINDS = {item: k.key for k in KINDS.values() for item in k.items}
# a name element whose @ref points nowhere still has a kind, for styling and messages
ELEMENT_KINDS = {"persName": "person", "placeName": "place", "orgName": "org", "settlement": "place",
                 "country": "place", "region": "place", "geogName": "place", "date": "date"}
REGISTER_LISTS = {"listPerson", "listPlace", "listOrg", "listEvent", "listBibl", "listWit",
                  "listRelation", "listNym", "listObject"}
STANDARD_NAME_TYPES = ("standard", "reg", "main", "full", "preferred")


@dataclass(frozen=True)
class LifeEvent:
    """A person's birth, death or floruit as data: its date as written (or its value), the place
    it names (with the @ref the place or the element around it gives, if any)."""

    which: str   # birth, death, floruit
    date: str
    place: str = ""
    ref: str = ""


@dataclass
class Name:
    text: str
    lang: str = ""
    type: str = ""


@dataclass
class Entry:
    """One register entry (a person, place, organisation, event, work, role, object or term) and
    its mentions. `id` is unique in the edition: the xml:id, or for an entry scoped to its text
    whose xml:id another text uses for another entry (every play's «Слуга»), `xml:id@doc-slug`."""

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
    xml_id: str = ""           # as written in its file (`id` may be qualified by its text)
    scope: str = ""            # the text (rel) that defines it; "" for a register file's entry
    order: int = 0             # its place among its file's entries (a cast in the play's order)
    only_if_named: bool = False  # a text's list item or figure: an entry only when a @ref names it
    geo_problem: str = ""      # what is wrong with its <geo> (checks.warn_geo says it)
    # its description as (words, a cited work's pointer or ""): the citations are links on its page
    description_parts: list[tuple[str, str]] = field(default_factory=list)
    cites: list[str] = field(default_factory=list)     # the works it cites, by entry id (cite_works)
    cited_by: list[str] = field(default_factory=list)  # a work: the entries that cite it
    ids: list[tuple[str, str]] = field(default_factory=list)  # identifiers that are not URLs: (label, value)
    events: list[LifeEvent] = field(default_factory=list)     # births, deaths, floruits with places

    @property
    def speeches(self) -> int:
        """How many of its mentions are speeches (a mention through @who: sp, said, u)."""
        return sum(1 for o in self.mentions if o.mention.attr == "who")

    @property
    def span(self) -> tuple[int, int, int | None, int | None]:
        """Where its element's start tag is, as parsing.span gives it."""
        return self.line, self.col, self.end_line, self.end_col

    @property
    def url(self) -> str:
        return f"{KINDS[self.kind].folder}/{self.slug}/"

    @property
    def variant_names(self) -> list[Name]:
        """Its other names, each once, with their languages (for `lang` on each)."""
        seen, out = {self.label}, []
        for n in self.names:
            if n.text not in seen:
                seen.add(n.text)
                out.append(n)
        return out

    @cached_property  # asked for by every entry's popover data, and its names do not change
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


def _reference(el: etree._Element) -> str:
    """A bibl as a reference reads: its words without its notes."""
    words = el.xpath(".//text()[not(ancestor::tei:note)]", namespaces={"tei": TEI_NS})
    return " ".join("".join(words).split())


def read_entry(el: etree._Element, kind: Kind, path: Path, lang: str) -> Entry:
    """A register element (person, place, org, event, bibl, role, object, item) as an Entry."""
    names = [Name(plain_text(n), n.get(XML_LANG, ""), n.get("type", "")) for n in _first(el, kind.names)
             or _first(el, ("name",))]
    names = [n for n in names if n.text]
    if not names and kind.key in ("role", "term"):  # <role>Hamlet</role>, <item>Rose</item>
        own = " ".join("".join(el.xpath("text()")).split()) or plain_text(el)
        if own:
            names = [Name(own, el.get(XML_LANG, ""))]
    reference = _reference(el) if kind.key == "bibl" else ""
    if not names and reference:  # a work described in prose, with no <title>
        names = [Name(reference, el.get(XML_LANG, ""))]
    in_lang = [n for n in names if n.lang.startswith(lang)] or [n for n in names if not n.lang] or names
    preferred = [n for n in in_lang if n.type in STANDARD_NAME_TYPES] or in_lang
    label = preferred[0].text if preferred else (el.get(XML_ID) or "?")
    # the surname of the name shown (a register may mark it up in some languages and not others)
    chosen = next((n for n in _first(el, kind.names) if plain_text(n) == label), None)
    surname = chosen.find(f"{{{TEI_NS}}}surname") if chosen is not None else None
    index_label = label
    if surname is not None:
        rest = " ".join(plain_text(surname.getparent()).replace(plain_text(surname), " ", 1).split())
        index_label = f"{plain_text(surname)}, {rest}" if rest else plain_text(surname)
    if reference:  # a work is named, listed and sorted by its whole reference (author first)
        label = index_label = reference
        names = [Name(reference, el.get(XML_LANG, ""))]  # (its title is in it)
    sort = collation_key(index_label)
    desc = [c for c in el if isinstance(c.tag, str) and localname(c) in ("note", "desc", "figDesc")
            and c.get("type") not in ("cert", "source")]
    # a description written in several languages (each with an xml:lang): the interface's first
    desc.sort(key=lambda d: not (d.get(XML_LANG) or "").startswith(lang) if lang else False)
    desc += [c for c in el.itersiblings() if localname(c) == "roleDesc"][:1]  # castItem
    description = " ".join(plain_text(d) for d in desc[:1])
    parts = _cited_parts(desc[0]) if desc else []
    role = "; ".join(plain_text(c) for c in _first(el, ("occupation", "roleName", "state", "faith"))
                     if plain_text(c))
    life = _life(el)
    links, ids = _idnos(el)
    # coordinates are a place's own: a person's birth place's <geo> makes no map of the person
    g = el.find(f".//{{{TEI_NS}}}location/{{{TEI_NS}}}geo") if kind.key == "place" else None
    geo, geo_problem = read_geo(plain_text(g)) if g is not None else (None, "")
    line, col, end_line, end_col = _span_of(el, path)
    return Entry(el.get(XML_ID), kind.key, str(origin(el) or path), line, col, label, names, index_label, sort,
                 description,
                 role, life, el.get("type", "") if kind.key == "place" else "", geo, links,
                 el.get("cert", ""),
                 date_value(el.attrib, calendar_kinds(el.getroottree().getroot(), path) if el.get("datingMethod") else None)
                 if kind.key == "event" else None,
                 end_line=end_line, end_col=end_col, xml_id=el.get(XML_ID), geo_problem=geo_problem,
                 ids=ids, events=_events(el), description_parts=parts)


def _cited_parts(desc: etree._Element) -> list[tuple[str, str]]:
    """A description as (words, "") and (a citation's words, its @corresp) in order, spaces
    as plain_text makes them; [] when it cites nothing (its words are then the description)."""
    parts: list[tuple[str, str]] = []

    def add(text: str | None, ref: str = "") -> None:
        if text:
            parts.append((text, ref))

    def walk(el: etree._Element) -> None:
        add(el.text)
        for c in el:
            if isinstance(c.tag, str) and localname(c) == "bibl" and c.get("corresp"):
                add(" ".join("".join(c.itertext()).split()), c.get("corresp", ""))
            elif isinstance(c.tag, str):
                walk(c)
            add(c.tail)

    walk(desc)
    if not any(ref for _, ref in parts):
        return []
    joined, out = "", []
    for text, ref in parts:  # spaces folded as in plain_text, across the pieces
        text = " ".join(text.split()) if ref else _fold_spaces(text, joined)
        if text:
            out.append((text, ref))
            joined += text
    if out and not out[-1][1]:
        out[-1] = (out[-1][0].rstrip(), "")
    if out and not out[0][1]:
        out[0] = (out[0][0].lstrip(), "")
    return out


def _fold_spaces(text: str, before: str) -> str:
    """Runs of white space as one space, none at the start after a space already written."""
    folded = re.sub(r"\s+", " ", text)
    return folded.lstrip() if before.endswith(" ") or not before else folded


def cite_works(entries: dict[str, Entry]) -> None:
    """Each entry's citations of works (its description's bibl/@corresp), and on each work the
    entries that cite it: the works page counts them beside the texts' mentions."""
    works = {e.xml_id: e for e in entries.values() if e.kind == "bibl"}
    for e in entries.values():
        cites = []
        for _, ref in e.description_parts:
            work = works.get(ref.rpartition("#")[2]) if ref else None
            if work is not None and work.id not in cites:
                cites.append(work.id)
                work.cited_by.append(e.id)
        e.cites = cites


_GENERIC_ID_TYPES = {"url", "uri", "link"}  # an idno's @type that says it is a URL, not whose


def _idnos(el: etree._Element) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """An entry's own idno elements: (label, URL) of those that are URLs (linked), and (label,
    value) of the others. The label is the idno's @subtype, else its @type unless that only says
    "URL", else the URL's host (or "ID")."""
    links, ids = [], []
    for idno in _first(el, ("idno",)):
        value = plain_text(idno)
        if not value:
            continue
        url = re.match(r"https?://", value) is not None
        kind, sub = idno.get("type", "").strip(), idno.get("subtype", "").strip()
        label = sub or (kind if kind.casefold() not in _GENERIC_ID_TYPES else "") or \
            (value.split("/")[2] if url else "ID")
        (links if url else ids).append((label, value))
    return links, ids


_PLACE_NAMES = ("placeName", "settlement", "region", "country", "district", "bloc", "geogName")


def _events(el: etree._Element) -> list[LifeEvent]:
    """Births, deaths and floruits that name a place, and every floruit, as data: the date apart
    from the place (its nested names, addresses and coordinates are not the date's words)."""
    out = []
    for which in ("birth", "death", "floruit"):
        for e in _first(el, (which,)):
            names = [n for n in e.iter() if isinstance(n.tag, str) and localname(n) in _PLACE_NAMES
                     and plain_text(n)]
            name = next((n for n in names if localname(n) == "placeName"), names[0] if names else None)
            place, ref = "", ""
            if name is not None:  # its words, not those of its <location> (coordinates, address)
                place = " ".join("".join(name.xpath(".//text()[not(ancestor::tei:location)]",
                                                    namespaces={"tei": TEI_NS})).split())
                at = name
                while at is not None and at is not e and not ref:
                    ref = at.get("ref", "").strip()
                    at = at.getparent()
            date = _year(e, whole=True)
            v = date_value(e.attrib)
            if which == "floruit" and not _date_words(e) and v.not_before and v.not_after:
                date = f"{v.not_before[:4].lstrip('0')}–{v.not_after[:4].lstrip('0')}"
            if place or which == "floruit" and date:
                out.append(LifeEvent(which, date, place, ref))
    return out

_NUMBER = r"-?\d+(?:\.\d+)?"
_GEO = re.compile(rf"({_NUMBER})\s*[,\s]\s*({_NUMBER})(?:\s*[,\s]\s*{_NUMBER})?")  # lat long [alt]
_GEO_COMMAS = re.compile(r"(-?\d+),(\d+)\s+(-?\d+),(\d+)")  # 48,208333 16,373056


def read_geo(text: str) -> tuple[tuple[float, float] | None, str]:
    """A <geo>'s latitude and longitude (TEI's default: "lat long", decimal degrees), and what
    is wrong with it ("" for nothing). Decimal commas are read as decimal points, and said."""
    text = text.strip()
    m = _GEO.fullmatch(text)
    problem = ""
    if m:
        lat, lon = float(m.group(1)), float(m.group(2))
    else:
        c = _GEO_COMMAS.fullmatch(text)
        if c is None:
            return None, (f"<geo>{text}</geo> is not a latitude and a longitude; write two "
                          "decimal numbers, e.g. <geo>48.2083 16.3731</geo>")
        lat, lon = float(f"{c.group(1)}.{c.group(2)}"), float(f"{c.group(3)}.{c.group(4)}")
        problem = (f"<geo>{text}</geo> has decimal commas; it is read as {lat} {lon}, "
                   "write decimal points")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None, (f"<geo>{text}</geo> is out of range (latitude -90 to 90, longitude -180 "
                      "to 180), so the place is not on the map; is it latitude first?")
    return (lat, lon), problem


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


def _date_words(e: etree._Element) -> str:
    """What a birth or death says of its date: its <date>'s words, else its own (a nested place,
    with its coordinates, is not the date)."""
    date = next((c for c in e if isinstance(c.tag, str) and localname(c) == "date"), None)
    if date is not None:
        return plain_text(date)
    return " ".join("".join(e.xpath("text()")).split())


def _year(e: etree._Element | None, whole: bool = False) -> str:
    """A birth or death as a year: '1650', '1632/1633' for a span, '?1686' when uncertain; with
    `whole`, the date as the register writes it when it writes one. The value is the element's
    own (@when, @notBefore, @notAfter) or its <date>'s."""
    if e is None:
        return ""
    v = date_value(e.attrib)
    if not (v.when or v.not_before or v.not_after):
        date = next((c for c in e if isinstance(c.tag, str) and localname(c) == "date"), None)
        if date is not None:
            v = date_value(date.attrib)
    raw = v.when or v.not_before or v.not_after
    if whole and _date_words(e):
        return _date_words(e)
    if not raw:
        return _date_words(e)
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



_ENTRY_TAGS = tuple(f"{{{TEI_NS}}}{item}" for item in ITEM_KINDS)
A_PLAY = f"{{{TS}}}play"  # on a shed text's root: its <text> had speeches or a cast list
_PLAY_TAGS = (f"{{{TEI_NS}}}sp", f"{{{TEI_NS}}}castList")


def is_play(root: etree._Element) -> bool:
    """A play: its text has speeches (sp) or a cast list (also once shed, see trees.shed_text)."""
    return root.get(A_PLAY) == "1" or next(root.iter(*_PLAY_TAGS), None) is not None


def is_entry_list(el: etree._Element) -> bool:
    """A <list> of entries: every item, or figure, in it has an xml:id (plants, animals, terms,
    artworks of a site index); an empty <item/> (a placeholder) does not count."""
    entries = [c for c in el if isinstance(c.tag, str) and localname(c) in ("item", "figure")
               and (len(c) or (c.text or "").strip() or c.get(XML_ID))]
    return bool(entries) and all(c.get(XML_ID) for c in entries)


def register_elements(root: etree._Element):
    """The register entries of a tree, each with an xml:id: persons, places, ... in a list*;
    roles of a cast list; figures, and the items of a list of entries (see is_entry_list)."""
    for el in root.iter(*_ENTRY_TAGS):
        if el.get(XML_ID) is None:
            continue
        parent = el.getparent()
        name = el.tag[len(TEI_NS) + 2:]
        if parent is None:
            continue
        if name == "figure" or (name == "role" and localname(parent) == "castItem") or \
                (name == "item" and localname(parent) == "list" and is_entry_list(parent)) or \
                (name not in ("role", "item") and localname(parent) in REGISTER_LISTS):
            yield el


def kind_of(el: etree._Element, play: bool) -> str:
    """The kind of a register element: a person of a play's own particDesc is one of its cast."""
    kind = ITEM_KINDS[localname(el)]
    if kind == "person" and play and any(localname(a) == "particDesc" for a in el.iterancestors()):
        return "role"
    return kind


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


def entry_at(doc: Document, i: int, el: etree._Element, lang: str, play: bool) -> Entry:
    """A fresh Entry for the i-th register entry of a document, which is read once."""
    key = (i, lang)
    if key not in doc.read:
        entry = doc.read[key] = read_entry(el, KINDS[kind_of(el, play)], doc.path, lang)
        entry.from_register_file = not doc.is_text
        entry.order = i
        if entry.kind == "role" and not entry.description:  # a castList role that points at it
            entry.description = _role_description(el)
        if doc.is_text:
            entry.scope = doc.rel
            entry.only_if_named = entry.kind in ("object", "term")
    return replace(doc.read[key], mentions=[], cites=[], cited_by=[])


def duplicate_id(xid: str, line: int, path: str = "") -> str:
    """The one message for an xml:id used twice (here, and in checks.check_ids): the first use
    is at `line` (of `path`, when that is another file)."""
    return (f"xml:id \"{xid}\" is used twice (first at {f'{path}:' if path else 'line '}{line}); "
            "give one of them another id")


def _role_description(el: etree._Element) -> str:
    """The roleDesc of the castList role whose @corresp points at a person of the particDesc."""
    target = f"#{el.get(XML_ID)}"
    for role in el.getroottree().iter(f"{{{TEI_NS}}}role"):
        if target in role.get("corresp", "").split():
            return plain_text(next(role.itersiblings(f"{{{TEI_NS}}}roleDesc"), None))
    return ""


def collect_entries(docs: list[Document], lang: str, diags: Diagnostics) -> dict[str, Entry]:
    """Register entries from every file, by an id unique in the edition.

    A register file's entries are shared: every text's @ref finds them, and a text's own copy of
    one of them is not read. An entry a text defines itself (in its header, back or cast list)
    belongs to that text: when other texts define the same xml:id as another entry (another
    label, or a play's cast, which is never shared), each is an entry of its own, with an id
    and a slug qualified by its text; copies that agree (same kind and label) are one entry."""
    entries: dict[str, Entry] = {}
    shared: set[str] = set()
    by_xml_id: dict[str, list[Entry]] = {}   # a text's entries, by xml:id, copies merged
    # register files first: a text's copy of an entry they define is then not even read
    for doc in sorted(docs, key=lambda d: d.is_text):
        if doc.is_text and register_ids(doc) <= shared:
            continue  # (a packed text is then not even parsed)
        root = register_root(doc)
        play = root is not None and doc.is_text and is_play(root)
        for i, el in enumerate(register_elements(root) if root is not None else ()):
            if doc.is_text and el.get(XML_ID) in shared:
                continue
            # a play's characters by the names its speakers have in it (Матрос, not Sailor)
            entry = entry_at(doc, i, el, (doc.lang.split("-")[0] or lang) if play else lang, play)
            if not doc.is_text:
                old = entries.get(entry.id)
                if old is None:
                    entries[entry.id] = entry
                    shared.add(entry.id)
                elif old.path != entry.path:  # (twice in one file is checks.check_ids's to say)
                    first = os.path.relpath(old.path, Path(entry.path).parent)
                    diags.error_at(entry.path, entry.span, duplicate_id(entry.id, old.line, first),
                                   "id.duplicate", related=(old.path, old.line, old.col))
                continue
            same = by_xml_id.setdefault(entry.xml_id, [])
            if entry.kind == "role" or not any(o.kind == entry.kind and o.label == entry.label
                                               and o.kind != "role" for o in same):
                same.append(entry)
    docs_by_rel = {d.rel: d for d in docs}
    for xml_id, own in by_xml_id.items():
        for entry in own:
            if len(own) > 1 or entry.kind == "role":
                entry.id = f"{xml_id}@{docs_by_rel[entry.scope].slug}"
            entries[entry.id] = entry
    used: set[tuple[str, str]] = set()
    for entry in entries.values():
        base = safe_id(entry.xml_id)
        if entry.id != entry.xml_id:  # scoped to its text: the text's slug first
            base = f"{docs_by_rel[entry.scope].slug}--{base}"
        slug, k = base, 1
        while (entry.kind, slug.casefold()) in used:  # a/b and a-b must not share a page
            k += 1
            slug = f"{base}-{k}"
        used.add((entry.kind, slug.casefold()))
        entry.slug = slug
    return entries


class References:
    """How a text's @ref (or @who) tokens find their entries, and @ref/@target tokens the
    documents of the edition: a text's own entries first, then the register files', then one
    that a single other text defines; a document by its root's xml:id or its file name."""

    def __init__(self, entries: dict[str, Entry], texts: list[Document]):
        self.by_xml_id: dict[str, list[Entry]] = {}
        for e in entries.values():
            self.by_xml_id.setdefault(e.xml_id or e.id, []).append(e)
        self.documents: dict[str, Document] = {}
        for doc in texts:
            for name in (doc.rel, doc.rel.rpartition("/")[2], doc.meta.get("xml_id", "")):
                if name:
                    self.documents.setdefault(name, doc)
        self.key = (frozenset((e.id, e.scope) for e in entries.values()), frozenset(self.documents))

    def entry(self, doc: Document, xml_id: str) -> tuple[Entry | None, list[Entry]]:
        """The entry an xml:id names in a text, or None and the entries it might have meant."""
        found = self.by_xml_id.get(xml_id, [])
        own = [e for e in found if e.scope == doc.rel]
        shared = [e for e in found if not e.scope]
        chosen = own or shared or (found if len(found) == 1 else [])
        return (chosen[0], []) if chosen else (None, found)

    def document(self, doc: Document, token: str) -> tuple[Document, str] | None:
        """The document a reference names, and the anchor in it ("" for the page's top):
        `#D_1` (its root's xml:id), `#D_1.xml`, `D_1.xml`, `../letters/D_1.xml#p3`."""
        path, _, fragment = token.partition("#")
        if not path:
            target = self.documents.get(fragment)
            return (target, "") if target is not None else None
        folder = doc.rel.rpartition("/")[0]
        joined = _normalise(f"{folder}/{path}" if folder else path)
        target = self.documents.get(joined) or self.documents.get(path.rpartition("/")[2])
        return (target, safe_id(fragment) if fragment else "") if target is not None else None


def _normalise(path: str) -> str:
    """a/./b/../c.xml as a/c.xml (a reference's path, relative to its file's folder)."""
    parts: list[str] = []
    for part in path.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)
