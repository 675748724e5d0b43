"""The edition: all documents, register entries and mentions of a project, with its diagnostics.

No MkDocs here: `build.py check` and the tests use this module directly.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import difflib
import hashlib
import re
import time
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from functools import cached_property, partial
from pathlib import Path

from lxml import etree

from .dates import DateValue, check_iso, date_value, start_key
from .diagnostics import Diagnostics
from .models import ModelTable
from .parsing import TEI_NS, XML_ID, XML_LANG, is_tei, localname, location, make_parser, parse_bytes
from .walk import TS, Mention, Passage, safe_id, walk
from .workers import fork_map


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
SKIP_DIRS = {"site", "node_modules", "__pycache__"}


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

    slug: str = ""             # unique within its kind's folder, set by collect_entries

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


A_LINE = f"{{{TS}}}l"  # a register entry's line in its file, written on it by Document.pack
_REPARSER = make_parser()  # what compact() kept is parsed as its file was


@dataclass(eq=False)  # one document is one object: compared (and hashed) by identity
class Document:
    """One TEI text: its parsed tree, its title, and what the walk found in it."""

    path: Path
    rel: str                   # path below the project's source folder, with '/'
    tree: etree._ElementTree
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
    source: etree._ElementTree | None = field(default=None, repr=False)  # the file again: _where()
    meta: dict = field(default_factory=dict)  # what a citation needs, from the teiHeader
    head: bytes | None = field(default=None, repr=False)  # a packed shed tree (see pack)
    entry_ids: frozenset | None = None  # ids of its register entries: see register_ids
    read: dict = field(default_factory=dict, repr=False)  # its entries as read: see entry_at
    together: tuple | None = field(default=None, repr=False)  # see entries_by_passage

    @property
    def url(self) -> str:
        return f"texts/{self.slug}/"

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

    def release(self) -> None:
        """Let the tree go once the page is rendered (a one-off build of many documents would
        otherwise hold every tree to the end)."""
        self.tree = self.xml = self.text_tree = self.source = None
        for m in self.mentions:
            m.el = None

    def parsed(self) -> etree._ElementTree:
        """The walked tree of the text: as loaded, or parsed again from the bytes kept of it."""
        if self.xml is None:
            return self.tree
        if self.text_tree is None:
            self.text_tree = etree.ElementTree(etree.fromstring(zlib.decompress(self.xml), _REPARSER))
        return self.text_tree

    @property
    def body(self) -> etree._Element | None:
        root = self.parsed().getroot()
        return root if root.tag == f"{{{TEI_NS}}}text" else root.find(f"{{{TEI_NS}}}text")

    def shed_text(self) -> None:
        """For a one-off build, right after loading: keep the walked <text> as bytes and let
        its tree go, so that a large edition is not held in memory as trees while the rest is
        read. Register lists inside it move to the header (registers are read from there), each
        mention keeps its element's path in the file for error messages, and the header stays
        until the edition is complete (see compact)."""
        root = self.tree.getroot()
        text = root.find(f"{{{TEI_NS}}}text")
        if text is None or next(text.iter(etree.Entity), None) is not None:
            return  # an unresolved entity would not parse again without its DOCTYPE
        for m in self.mentions:
            m.where, m.el = self.tree.getpath(m.el), None
        header = root.find(f"{{{TEI_NS}}}teiHeader")
        if header is None:
            header = etree.SubElement(root, f"{{{TEI_NS}}}teiHeader")
        lists = [el for el in text.iter(*(f"{{{TEI_NS}}}{n}" for n in REGISTER_LISTS))
                 if not any(localname(a) in REGISTER_LISTS for a in el.iterancestors())]
        xml = etree.tostring(text)  # as walked: the lists are omitted from the page anyway
        for el in lists:
            el.tail = None
            header.append(el)  # moved, with their entries, out of the <text> about to go
        root.remove(text)
        self.xml = zlib.compress(xml, 1)  # (a quarter of the size, read back in a millisecond)

    def compact(self) -> None:
        """Once the edition is complete: a register file's tree, and a shed text's header, go
        (a text that could not be shed keeps its tree)."""
        if not self.is_text:
            self.release()
        elif self.xml is not None:
            self.tree = self.source = self.head = None

    def pack(self) -> bool:
        """For a shed text loaded by a worker process: what is left of its tree (the header,
        with the register lists moved into it) as bytes, each register entry's line written
        on it, so that the document can be sent to the build's process. False when the text
        could not be shed (its tree stays, and the build's process loads it itself)."""
        if self.xml is None:
            return False
        root = self.tree.getroot()
        for el in register_elements(root):
            el.set(A_LINE, str(el.sourceline or 0))
        self.register_ids()  # known before the tree goes
        self.head, self.tree = etree.tostring(root), None
        return True

    def register_ids(self) -> frozenset:
        """The xml:ids of the register entries in this document (which does not change: a
        changed file is a new Document)."""
        if self.entry_ids is None:
            root = self.register_root()
            self.entry_ids = frozenset(el.get(XML_ID) for el in register_elements(root)) \
                if root is not None else frozenset()
        return self.entry_ids

    def entry_at(self, i: int, el: etree._Element, lang: str) -> Entry:
        """A fresh Entry for the i-th register entry of this document, which is read once."""
        key = (i, lang)
        if key not in self.read:
            self.read[key] = read_entry(el, KINDS[localname(el)], self.path, lang)
            self.read[key].from_register_file = not self.is_text
        return replace(self.read[key], mentions=[])

    def register_root(self) -> etree._Element | None:
        """Where this document's register entries are: its tree, or its packed head."""
        if self.tree is not None:
            return self.tree.getroot()
        return etree.fromstring(self.head, _REPARSER) if self.head is not None else None


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


@dataclass(slots=True)
class Occurrence:
    """A mention seen from the entry it names."""

    doc: Document
    mention: Mention


@dataclass
class Edition:
    root: Path
    documents: list[Document]
    entries: dict[str, Entry]
    diagnostics: Diagnostics
    table: ModelTable
    lang: str = "en"

    @cached_property
    def texts(self) -> list[Document]:
        return [d for d in self.documents if d.is_text]

    def entries_of(self, kind: str) -> list[Entry]:
        return sorted((e for e in self.entries.values() if e.kind == kind), key=lambda e: e.sort)

    @property
    def kinds(self) -> list[str]:
        return [k for k in KINDS if any(e.kind == k for e in self.entries.values())]

    @cached_property
    def dated(self) -> list[tuple[Document, Mention]]:
        out = [(d, m) for d in self.texts for m in d.mentions if m.date is not None and not m.date.empty]
        return sorted(out, key=lambda dm: (dm[1].date.sort_key, dm[0].slug))

    @property
    def mention_count(self) -> int:
        return sum(len(d.mentions) for d in self.texts)

    def compact(self) -> None:
        """For a one-off build, once loaded: drop the trees no page renders (registers, the
        headers of shed texts) and hand the memory back before the page workers fork."""
        for doc in self.documents:
            doc.compact()
        _give_back_memory()


def _give_back_memory() -> None:
    """Hand the memory of freed trees back to the system (glibc keeps it otherwise), so that the
    page workers, forked next, do not start from a large heap of which they copy each page they
    touch."""
    try:
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc: nothing to hand back this way


def find_tei_files(root: Path) -> list[Path]:
    """All .xml files below root, in a stable order, leaving out hidden and output folders."""
    return sorted(p for p in root.rglob("*.xml")
                  if not any(part.startswith(".") or part in SKIP_DIRS
                             for part in p.relative_to(root).parts[:-1]))


def collation_key(text: str) -> str:
    """Russian alphabetical order: Ё with Е, case and punctuation ignored."""
    t = text.casefold().replace("ё", "е")
    return re.sub(r"[^\w ]+", "", t).strip()


def _text(el: etree._Element | None) -> str:
    if el is None:
        return ""
    return " ".join("".join(el.itertext()).split())


def _first(el: etree._Element, names: tuple[str, ...]) -> list[etree._Element]:
    return [c for c in el if isinstance(c.tag, str) and localname(c) in names]


def read_entry(el: etree._Element, kind: Kind, path: Path, lang: str) -> Entry:
    """A register element (person, place, org, event, bibl) as an Entry."""
    names = [Name(_text(n), n.get(XML_LANG, ""), n.get("type", "")) for n in _first(el, kind.names)]
    names = [n for n in names if n.text]
    in_lang = [n for n in names if n.lang.startswith(lang)] or [n for n in names if not n.lang] or names
    preferred = [n for n in in_lang if n.type in STANDARD_NAME_TYPES] or in_lang
    label = preferred[0].text if preferred else (el.get(XML_ID) or "?")
    surname = el.find(f"{{{TEI_NS}}}persName/{{{TEI_NS}}}surname")
    index_label = label
    if surname is not None:
        rest = " ".join(_text(surname.getparent()).replace(_text(surname), " ", 1).split())
        index_label = f"{_text(surname)}, {rest}" if rest else _text(surname)
    sort = collation_key(index_label)
    desc = [c for c in el if isinstance(c.tag, str) and localname(c) in ("note", "desc")
            and c.get("type") not in ("cert", "source")]
    description = " ".join(_text(d) for d in desc[:1])
    role = "; ".join(_text(c) for c in _first(el, ("occupation", "roleName", "state", "faith"))
                     if _text(c))
    life = _life(el)
    links = []
    for idno in el.iter(f"{{{TEI_NS}}}idno"):
        value = _text(idno)
        if re.match(r"https?://", value):
            links.append((idno.get("type") or value.split("/")[2], value))
    geo = None
    g = el.find(f".//{{{TEI_NS}}}location/{{{TEI_NS}}}geo")
    if g is not None:
        try:
            lat, lon = (float(x) for x in _text(g).replace(",", " ").split()[:2])
            geo = (lat, lon)
        except ValueError:
            geo = None
    line, col = (int(el.get(A_LINE)), 0) if el.get(A_LINE) else location(el, path)
    return Entry(el.get(XML_ID), kind.item, str(path), line, col, label, names, index_label, sort,
                 description,
                 role, life, el.get("type", "") if kind.item == "place" else "", geo, links,
                 el.get("cert", ""), date_value(el.attrib) if kind.item == "event" else None)


def _year(e: etree._Element | None) -> str:
    """A birth or death as a year: '1650', '1632/1633' for a span, '?1686' when uncertain."""
    if e is None:
        return ""
    v = date_value(e.attrib)
    raw = v.when or v.not_before or v.not_after
    if not raw:
        return _text(e)
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


def _is_register_file(root: etree._Element) -> bool:
    """A file whose text is nothing but lists of persons, places, ... (or that has no text)."""
    text = root.find(f"{{{TEI_NS}}}text")
    if text is None:
        return True
    for p in text.iter(f"{{{TEI_NS}}}p", f"{{{TEI_NS}}}ab", f"{{{TEI_NS}}}l"):
        if not any(localname(a) in REGISTER_LISTS for a in p.iterancestors()):
            return False
    return any(localname(e) in REGISTER_LISTS for e in text.iter() if isinstance(e.tag, str))


def title_of(root: etree._Element, fallback: str) -> str:
    t = root.find(f"{{{TEI_NS}}}teiHeader/{{{TEI_NS}}}fileDesc/{{{TEI_NS}}}titleStmt/{{{TEI_NS}}}title")
    return _text(t) or fallback


def load_document(path: Path, root_dir: Path, data: bytes, table: ModelTable,
                  diags: Diagnostics) -> Document | None:
    """Parse one file and walk it; None (with a located error) when it is not a usable TEI file."""
    tree = parse_bytes(path, data, diags)
    if tree is None:
        return None
    root = tree.getroot()
    rel = path.relative_to(root_dir).as_posix()
    if not is_tei(tree):
        if localname(root) in ("TEI", "teiCorpus"):
            diags.error(path, root.sourceline, 1, f"the root element <{root.tag}> is not in the TEI "
                        f"namespace; write <TEI xmlns=\"{TEI_NS}\">", "tei.namespace")
        else:
            diags.warning(path, root.sourceline, 1, f"not a TEI document (its root is "
                          f"<{localname(root)}>); skipped", "tei.not-tei")
        return None
    lang = root.get(XML_LANG) or (root.find(f"{{{TEI_NS}}}text") is not None and
                                  root.find(f"{{{TEI_NS}}}text").get(XML_LANG)) or ""
    doc = Document(path, rel, tree, title_of(root, path.stem), lang)
    doc.is_text = not _is_register_file(root)
    if doc.is_text:
        doc.meta = header_meta(root, doc.title)
    text = root.find(f"{{{TEI_NS}}}text")
    if doc.is_text and text is not None:
        result = walk(text, table)
        doc.mentions, doc.passages, doc.notes = result.mentions, result.passages, result.notes
        first: dict[str, tuple[int, int]] = {}
        for name, line in result.unknown:
            first.setdefault(name, (line, 0))
            first[name] = (first[name][0], first[name][1] + 1)
        for name, (line, count) in first.items():
            more = f" ({count} times in this file)" if count > 1 else ""
            diags.warning(path, line, 0, f"<{name}> has no model in the element table{more}; it is "
                          f"shown as plain inline text (add `{name}:` to templates/models.yml)",
                          "models.unknown-element")
    return doc


# @when and kin are dates wherever they stand; @from/@to only on dated elements (locus has pages)
_DATED = ("date", "birth", "death", "floruit", "event", "origDate", "docDate", "time", "state",
          "residence", "occupation", "change", "affiliation", "education")
_ANYWHERE = tuple(f"{a}{c}" for a in ("when", "notBefore", "notAfter") for c in ("", "-custom"))
_ON_DATED = ("from", "to", "from-custom", "to-custom")
_DATE_ATTRIBUTES = frozenset(_ANYWHERE + _ON_DATED)
# every attribute of the tree in one walk in C; picking the dates from them in Python is faster
# than any XPath predicate that names them
_ATTRIBUTES = etree.XPath(".//@*")


def check_dates(doc: Document, diags: Diagnostics) -> None:
    for value in _ATTRIBUTES(doc.tree.getroot()):
        name = value.attrname
        if name not in _DATE_ATTRIBUTES:
            continue
        el = value.getparent()
        if name in _ON_DATED and not (localname(el) in _DATED and el.tag.startswith(f"{{{TEI_NS}}}")):
            continue
        custom = name.endswith("-custom")
        method = el.get("datingMethod", "")
        problem = check_iso(str(value), julian=custom and method.endswith("julian"))
        # a value in a calendar teisite does not know (@datingMethod elsewhere) is not checked
        if problem and not (custom and not method.endswith(("julian", "gregorian"))):
            line, col = location(el, doc.path)
            diags.error(doc.path, line, col, f"@{name}=\"{value}\" {problem}", "date.invalid")
        elif name == "notBefore" and not problem:
            a, b = str(value), el.get("notAfter")
            if b is not None and not check_iso(b) and start_key(a) > start_key(b):
                line, col = location(el, doc.path)
                diags.error(doc.path, line, col, f"@notBefore=\"{a}\" is after @notAfter=\"{b}\"; "
                            "swap them", "date.order")


_ENTRY_TAGS = tuple(f"{{{TEI_NS}}}{kind.item}" for kind in KINDS.values())


def register_elements(root: etree._Element):
    """The register entries of a tree: persons, places, ... with an xml:id, in a list*."""
    for el in root.iter(*_ENTRY_TAGS):
        parent = el.getparent()
        if el.get(XML_ID) is not None and parent is not None and localname(parent) in REGISTER_LISTS:
            yield el


def collect_entries(docs: list[Document], lang: str, diags: Diagnostics) -> dict[str, Entry]:
    """Register entries from every file; a separate register file wins over copies in texts."""
    entries: dict[str, Entry] = {}
    # register files first: a text's copy of an entry they define is then not even read
    for doc in sorted(docs, key=lambda d: d.is_text):
        if doc.is_text and doc.register_ids() <= entries.keys():
            continue  # (a packed text is then not even parsed)
        root = doc.register_root()
        for i, el in enumerate(register_elements(root) if root is not None else ()):
            if doc.is_text and el.get(XML_ID) in entries:
                continue
            entry = doc.entry_at(i, el, lang)
            old = entries.get(entry.id)
            if old is None or (entry.from_register_file and not old.from_register_file):
                entries[entry.id] = entry
            elif old.from_register_file and entry.from_register_file:
                diags.error(entry.path, entry.line, entry.col, f"xml:id \"{entry.id}\" is also "
                            f"used by an entry in {old.path}:{old.line}; give one of them another "
                            "id", "id.duplicate")
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


_IDS = etree.XPath("//@xml:id")


def check_ids(doc: Document, diags: Diagnostics) -> None:
    seen: dict[str, etree._Element] = {}
    for xid in _IDS(doc.tree):
        el = xid.getparent()
        if xid in seen:
            line, col = location(el, doc.path)
            diags.error(doc.path, line, col, f"xml:id \"{xid}\" is used twice in this file (first at "
                        f"line {seen[xid].sourceline}); ids must be unique", "id.duplicate")
        else:
            seen[str(xid)] = el


_URI = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def resolve(docs: list[Document], entries: dict[str, Entry], diags: Diagnostics) -> None:
    """Turn each mention's @ref into entries, reporting refs that point nowhere.

    While serving, an unchanged document keeps what it resolved to as long as the registers
    hold the same ids: only its occurrences are handed to the (new) entries."""
    ids = list(entries)
    ids_key = frozenset(ids)
    close: dict[str, list[str]] = {}  # did-you-mean, once per unknown id
    for doc in docs:
        if doc.resolution is None or doc.resolution[0] != ids_key:
            problems = Diagnostics()
            _resolve_document(doc, entries, ids, close, problems)
            doc.resolution = (ids_key, problems)
        for m in doc.mentions:
            for i in m.resolved:
                entries[i].mentions.append(Occurrence(doc, m))
        diags.extend(doc.resolution[1])


def _where(doc: Document, m: Mention) -> tuple[int, int]:
    """Line and column of a mention: from its element, or (once the loaded tree has been let
    go, see Document.shed_text) from its file, parsed again to find the element by its path."""
    if m.el is not None:
        return location(m.el, doc.path)
    if doc.source is None:
        doc.source = parse_bytes(doc.path, doc.path.read_bytes(), Diagnostics())
    found = doc.source.xpath(m.where) if doc.source is not None and m.where else []
    return location(found[0], doc.path) if found else (m.line, 0)


def _resolve_document(doc: Document, entries: dict[str, Entry], ids: list[str],
                      close: dict[str, list[str]], diags: Diagnostics) -> None:
    for m in doc.mentions:
        resolved = []
        for token in m.refs:
            if ":" in token and _URI.match(token):
                continue  # an external URI: linked as it is, no register entry
            _, _, xid = token.rpartition("#")
            entry = entries.get(xid)
            if entry is None:
                line, col = _where(doc, m)
                if xid not in close:
                    close[xid] = difflib.get_close_matches(xid, ids, n=1)
                hint = f"; did you mean `#{close[xid][0]}`?" if close[xid] else \
                    "; add an entry with this xml:id to a register (listPerson, listPlace, listOrg)"
                diags.error(doc.path, line, col, f"@ref `{token}` is not in any register{hint}",
                            "ref.unresolved")
                continue
            if entry.id not in resolved:
                resolved.append(entry.id)
        m.resolved = resolved
        if not m.text.strip() and m.date is None:
            line, col = _where(doc, m)
            diags.warning(doc.path, line, col, f"<{m.element}> is empty: a mention needs the "
                          "words of the text it tags", "mention.empty")
        if m.date is not None and m.date.empty and not m.dur:
            line, col = _where(doc, m)
            diags.warning(doc.path, line, col, "<date> has no @when, @notBefore or @notAfter; "
                          "add a machine-readable value so the chronology can place it",
                          "date.no-value")


def _load_file(path: Path, root_dir: Path, table: ModelTable, table_key: str, shed: bool,
               cache: dict | None) -> tuple[str, Document | None, Diagnostics]:
    """(digest, document or None, problems) of one file: parsed, walked, checked, and shed
    when asked (or as it was, when the cache has these very bytes)."""
    hit = cache.get(str(path)) if cache is not None else None
    if cache is not None:  # while serving, a file whose size and time are unchanged is not read
        stat = path.stat()  # (before reading: a change while it is read shows next time)
        stamp = (stat.st_mtime_ns, stat.st_size, table_key)
        # (file times are coarse: a file changed just now may not show it yet, as in git)
        if hit is not None and hit[3] == stamp and time.time_ns() - stat.st_mtime_ns > 2e9:
            return hit[:3]
    data = path.read_bytes()
    digest = hashlib.sha1(data + table_key.encode()).hexdigest()
    if hit is not None and hit[0] == digest:
        cache[str(path)] = (*hit[:3], stamp)  # touched, not changed: no need to read it again
        return digest, hit[1], hit[2]
    doc_diags = Diagnostics()
    doc = load_document(path, root_dir, data, table, doc_diags)
    if doc is not None:
        check_ids(doc, doc_diags)
        check_dates(doc, doc_diags)
        if shed and doc.is_text:
            doc.shed_text()
        if cache is not None:
            cache[str(path)] = (digest, doc, doc_diags, stamp)
    elif hit is not None:
        doc = hit[1]  # while serving, the last good version stays on show beside the error
    return digest, doc, doc_diags


_LOADING: tuple | None = None  # (root_dir, table, table_key): what forked loaders inherit
LOAD_BATCH = 16                # files a loader worker reads before it sends them back


def _load_part(paths: list[Path], pack: bool = True) -> list[tuple[Path, tuple]]:
    """Load and shed each file. In a forked worker (`pack`), each text is packed to be sent
    back, and a file the build's process must load itself (a register file, or a text that
    could not be shed) is left out."""
    root_dir, table, table_key = _LOADING
    out = []
    for path in paths:
        digest, doc, doc_diags = _load_file(path, root_dir, table, table_key, True, None)
        if not pack or doc is None or (doc.is_text and doc.pack()):
            out.append((path, (digest, doc, doc_diags)))
    return out


def _load_parallel(paths: list[Path], root_dir: Path, table: ModelTable, table_key: str,
                   jobs: int) -> dict[Path, tuple]:
    """Files loaded in `jobs` processes at once: the workers, forked before anything is loaded
    (so they start small), send their texts back shed and packed."""
    global _LOADING
    _LOADING = (root_dir, table, table_key)
    try:
        return {p: r for _, part in fork_map(_load_part, paths, jobs, LOAD_BATCH,
                                             own=partial(_load_part, pack=False)) for p, r in part}
    finally:
        _LOADING = None


def load_edition(root_dir: Path, table: ModelTable, lang: str = "en",
                 files: list[Path] | None = None, cache: dict | None = None,
                 progress=None, shed: bool = False, jobs: int = 1) -> Edition:
    """Read every TEI file below root_dir into an Edition (documents, entries, mentions, problems).

    `cache` (path → (digest, document, problems, (mtime, size, table))) lets a rebuild skip
    documents whose bytes and model table are unchanged, and keeps a document's last readable
    version while its file does not parse; `progress(done, total)` is told after each file. `shed` (one-off builds) lets
    each text's tree go once it is walked and checked (Document.shed_text); then `jobs`
    processes read the files at once.
    """
    diags = Diagnostics()
    docs: list[Document] = []
    used_slugs: set[str] = set()
    # a document is walked again when the table, what its behaviours declare, or the reading
    # shown of a choice changes
    table_key = hashlib.sha1((table.key + repr((sorted(table.behaviours.items()),
                                                table.show_original))).encode()).hexdigest()
    paths = files if files is not None else find_tei_files(root_dir)
    done = _load_parallel(paths, root_dir, table, table_key, jobs) \
        if shed and cache is None and jobs > 1 and len(paths) >= 2 * jobs else {}
    for i, path in enumerate(paths, 1):
        digest, doc, doc_diags = done.pop(path, None) or \
            _load_file(path, root_dir, table, table_key, shed, cache)
        diags.extend(doc_diags)
        if progress is not None:
            progress(i, len(paths))
        if doc is None:
            continue
        base = safe_id(path.stem)
        slug, k = base, 1
        while slug in used_slugs:
            k += 1
            slug = f"{base}-{k}"
        used_slugs.add(slug)
        doc.slug = slug
        doc.digest = digest
        docs.append(doc)
    entries = collect_entries(docs, lang, diags)
    resolve([d for d in docs if d.is_text], entries, diags)
    for e in entries.values():
        if not e.mentions and e.from_register_file:
            diags.warning(e.path, e.line, e.col, f"{e.kind} entry \"{e.id}\" ({e.label}) is never "
                          "mentioned in the texts", "entry.unused")
    return Edition(root_dir, docs, entries, diags, table, lang)
