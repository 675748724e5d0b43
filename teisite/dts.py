"""A static Distributed Text Services (DTS 1.0, Level 0) endpoint in the site, under dts/.

Level 0 allows an endpoint made of static files (no `start`/`end` ranges). Its URI templates
use RFC 6570 path expansion, as the specification's section on static sites suggests:

    dts/index.json                                   the entry point
    dts/collection{/id}.json                         the edition (no id), or one text
    dts/navigation/{resource}{;tree}{;down}{/ref}.json  a text's citable units (down 1, 2 and
                                                     -1 from the root; none, 1 and -1 from a
                                                     unit with units below it)
    dts/document/{resource}{;tree}{/ref}.xml         a text, or one unit as TEI

A text (a Resource) is identified by its slug; its citable units by their anchors, the same
stable ids a reader cites (walk.py): paragraphs (and other passages) at level 1, the numbered
lines inside them at level 2. Anchors outside both (notes, names) are no citable units here.
A text with page breaks (a model with `params: {cite: page}`, pb in teisite's table) has a
second citation tree, `pages` (one more a witness: `pages-Pt` for pb edRef="#Pt"), whose units
are its pages, by their numbers (@n).
"""

from __future__ import annotations

import json
from copy import deepcopy

from lxml import etree

from . import trees
from .generators import Generator
from .models import EXAMPLES_NS
from .parsing import TEI_NS, TS_NS, XML_ID, XML_LANG, localname
from .walk import A_ANCHOR, model_of, safe_id

FOLDER = "dts"
CONTEXT = "https://dtsapi.org/context/v1.0.json"
DTS_NS = "https://w3id.org/api/dts#"
VERSION = "1.0"
COLLECTION_ID = "edition"  # the root collection's id: a text's slug never has it (texts/… pages)
PAGES = "pages"  # the page tree's identifier (a witness's: pages-<siglum>)


class Unit:
    """One citable unit of a text: its anchor, level, parent's anchor, type and number."""

    __slots__ = ("anchor", "children", "el", "level", "n", "parent", "type")

    def __init__(self, anchor: str, level: int, parent: str | None, type_: str, n: str, el):
        self.anchor, self.level, self.parent, self.type, self.n, self.el = anchor, level, parent, type_, n, el
        self.children: list[Unit] = []

    def json(self) -> dict:
        return {"identifier": self.anchor, "@type": "CitableUnit", "level": self.level,
                "parent": self.parent, "citeType": self.type}


class Tree:
    """One citation tree of a resource: its identifier (None: the default tree), what it is, its units."""

    __slots__ = ("description", "identifier", "units")

    def __init__(self, identifier: str | None, units: list[Unit], description: str = ""):
        self.identifier, self.units, self.description = identifier, units, description

    def json(self) -> dict:
        return {"@type": "CitationTree", **({"identifier": self.identifier} if self.identifier else {}),
                "citeStructure": cite_structure(self.units),
                **({"description": self.description} if self.description else {})}


def units(body: etree._Element | None, table) -> list[Unit]:
    """A walked text's citable units in document order: passages, and the lines in them."""
    found: list[Unit] = []
    if body is None:
        return found
    passage: list[Unit | None] = [None]

    def visit(el: etree._Element) -> None:
        anchor = el.get(A_ANCHOR)
        numbers = table.behaviour(model_of(el, table).behaviour).numbers if anchor else ""
        unit = None
        if numbers == "passage" or (numbers == "line" and passage[-1] is None):
            unit = Unit(anchor, 1, None, localname(el), el.get(f"{{{TS_NS}}}n", ""), el)
        elif numbers == "line":
            parent = passage[-1]
            unit = Unit(anchor, 2, parent.anchor, localname(el), el.get(f"{{{TS_NS}}}n", ""), el)
            parent.children.append(unit)
        if numbers == "note":
            return  # a paragraph in a note is no passage of the text
        if unit is not None:
            found.append(unit)
        if unit is not None and unit.level == 1:
            passage.append(unit)
        for child in el:
            if isinstance(child.tag, str):
                visit(child)
        if unit is not None and unit.level == 1:
            passage.pop()

    visit(body)
    return found


def cite_structure(found: list[Unit]) -> list[dict]:
    """The CitationTree's citeStructure: each type of level-1 unit with the types found under it."""
    tops: dict[str, dict[str, None]] = {}
    for u in found:
        if u.level == 1:
            below = tops.setdefault(u.type, {})
            for c in u.children:
                below.setdefault(c.type, None)
    return [{"@type": "CiteStructure", "citeType": t,
             **({"citeStructure": [{"@type": "CiteStructure", "citeType": c} for c in below]} if below else {})}
            for t, below in tops.items()]


def _cited(body: etree._Element, table, what: str) -> list[etree._Element]:
    """The elements of a walked text whose model has `cite: what`, in document order, but for
    those inside a note (a note's page is its text's) or inside another of them. Only the
    elements of a name some model gives it are looked at."""
    tags = [f"{{{TEI_NS}}}{name}" if ":" not in name else f"{{{EXAMPLES_NS}}}{name.partition(':')[2]}"
            for name, models in table.models.items()
            if name != "*" and any(m.params.get("cite") == what for m in models)]
    found = []
    for el in body.iter(*tags) if tags else ():
        if model_of(el, table).params.get("cite") != what:
            continue
        around = [model_of(a, table) for a in el.iterancestors()]
        if any(table.behaviour(m.behaviour).numbers == "note" or m.params.get("cite") == what for m in around):
            continue
        found.append(el)
    return found


def page_trees(body: etree._Element | None, table) -> list[Tree]:
    """A walked text's pages: a tree of the page breaks of its own source (those without @ed or
    @edRef), and one of each witness's. A page is named by its @n (made unique within its tree:
    `12-2`), else by its xml:id, else by its count (`page-3`). Breaks inside notes are skipped:
    a note's page is its text's."""
    found: dict[str, list[Unit]] = {}
    for el in _cited(body, table, "page") if body is not None else ():
        for wit in (el.get("edRef") or el.get("ed") or "").split() or [""]:
            pages = found.setdefault(f"{PAGES}-{safe_id(wit.rsplit('#', 1)[-1])}" if wit else PAGES, [])
            n = el.get("n", "").strip()
            base = safe_id(n) if n else safe_id(el.get(XML_ID)) if el.get(XML_ID) else f"page-{len(pages) + 1}"
            name, k, taken = base, 1, {u.anchor for u in pages}
            while name in taken:
                k += 1
                name = f"{base}-{k}"
            pages.append(Unit(name, 1, None, "page", n, el))
    return [Tree(name, pages, "Pages, by the page breaks of the text (pb)" if name == PAGES else
                 f"Pages of the witness {name.removeprefix(PAGES + '-')}, by its page breaks (pb)")
            for name, pages in sorted(found.items(), key=lambda kv: (kv[0] != PAGES, kv[0]))]


def translated(body: etree._Element | None, table, slug: str) -> list[tuple[str, etree._Element, list[Unit]]]:
    """A walked text's translations (a model with `params: {cite: translation}`, div
    type="translation" in teisite's table), each a resource of its own: its id (`text@en`, by
    its language; `@` is in no text's slug), its element, and its citable units, the blocks in
    it that have an anchor (its paragraphs with an xml:id), at level 1."""
    out: list[tuple[str, etree._Element, list[Unit]]] = []

    def blocks(el: etree._Element, found: list[Unit]) -> None:
        for child in el:
            if not isinstance(child.tag, str):
                continue
            b = table.behaviour(model_of(child, table).behaviour)
            if b.numbers == "note":
                continue
            if b.block and child.get(A_ANCHOR):
                found.append(Unit(child.get(A_ANCHOR), 1, None, localname(child), child.get("n", ""), child))
            else:
                blocks(child, found)

    for el in _cited(body, table, "translation") if body is not None else ():
        base = f"{slug}@{safe_id(el.get(XML_LANG) or 'translation')}"
        ident, k = base, 1
        while any(ident == t[0] for t in out):
            k += 1
            ident = f"{base}-{k}"
        found: list[Unit] = []
        blocks(el, found)
        out.append((ident, el, found))
    return out


def _alone(root: etree._Element, el: etree._Element | None) -> bytes | None:
    """The whole TEI document of one part of its text (a translation): its header, and of its
    text only that part, inside the elements that hold it."""
    if el is None:
        return None
    top = deepcopy(root)
    node = _follow(top, _chain(el, root))
    while node.getparent() is not top:  # (the header, beside <text>, stays)
        parent = node.getparent()
        for sib in [*node.itersiblings(), *node.itersiblings(preceding=True)]:
            parent.remove(sib)
        parent.text = node.tail = None
        node = parent
    return etree.tostring(top, xml_declaration=True, encoding="UTF-8") + b"\n"


def _chain(el: etree._Element, top: etree._Element) -> list[int]:
    """Where el is below top: its position among its parent's elements, at each level."""
    chain = []
    while el is not top and el.getparent() is not None:
        parent = el.getparent()
        chain.append([c for c in parent if isinstance(c.tag, str)].index(el))
        el = parent
    return chain[::-1]


def _follow(top: etree._Element, chain: list[int]) -> etree._Element | None:
    el = top
    for i in chain:
        kids = [c for c in el if isinstance(c.tag, str)]
        if i >= len(kids):
            return None
        el = kids[i]
    return el


def _span(text: etree._Element, start: etree._Element, end: etree._Element | None) -> tuple[etree._Element, str]:
    """What lies from start up to end (not included; None: to the end of the text): a copy of the
    element that holds both, cut before start and from end on (a page: from its break to the next),
    and the language it stands in."""
    ends = [] if end is None else [end, *end.iterancestors()]
    top = next((a for a in (start, *start.iterancestors()) if a in ends), text)
    copy = deepcopy(top)
    s = _follow(copy, _chain(start, top))
    e = _follow(copy, _chain(end, top)) if end is not None else None
    node = e
    while node is not None and node is not copy:
        parent = node.getparent()
        for sib in list(node.itersiblings()):
            parent.remove(sib)
        if node is e:
            parent.remove(node)  # (with its tail: the next page's words)
        else:
            node.tail = None
        node = parent
    node = s
    while node is not copy:
        parent = node.getparent()
        for sib in list(node.itersiblings(preceding=True)):
            parent.remove(sib)
        parent.text = None
        node = parent
    return copy, _lang(top.getparent())


def _lang(el: etree._Element | None) -> str:
    """The language el is written in: its own xml:lang, else the nearest of its ancestors'."""
    while el is not None:
        if el.get(XML_LANG):
            return el.get(XML_LANG)
        el = el.getparent()
    return ""


def part_as_tei(el: etree._Element, lang: str = "") -> bytes:
    """One unit of the TEI source, in the Document endpoint's wrapper; `lang`, the language it
    stood in, is the TEI element's."""
    copy = deepcopy(el)
    copy.tail = None
    for e in copy.iter():
        if isinstance(e.tag, str):
            for name in [a for a in e.attrib if a.startswith(f"{{{TS_NS}}}")]:
                del e.attrib[name]
    root = etree.Element(f"{{{TEI_NS}}}TEI", nsmap={None: TEI_NS})
    if lang:
        root.set(XML_LANG, lang)
    wrapper = etree.SubElement(root, f"{{{DTS_NS}}}wrapper", nsmap={"dts": DTS_NS})
    wrapper.text = "\n"
    wrapper.append(copy)
    copy.tail = "\n"
    etree.cleanup_namespaces(root, top_nsmap={None: TEI_NS, "dts": DTS_NS})
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"


# the endpoint's own files, made of every text's collection (DtsFiles.endpoint)
ENDPOINT = (f"{FOLDER}/index.json", f"{FOLDER}/collection.json", f"{FOLDER}/collection/{COLLECTION_ID}.json")


class DtsFiles(Generator):
    """The DTS endpoint's files: entry point, collections, navigation, documents."""

    def base(self) -> str:
        """The endpoint's address: absolute with a site_url, else from the site's root."""
        site_url = (self.site.config.site_url or "").rstrip("/")
        return f"{site_url}/{FOLDER}/" if site_url else f"/{FOLDER}/"

    def templates(self, slug: str | None = None) -> dict[str, str]:
        base = self.base()
        if slug is None:
            return {"collection": f"{base}collection{{/id}}.json",
                    "navigation": f"{base}navigation/{{resource}}{{;tree}}{{;down}}{{/ref}}.json",
                    "document": f"{base}document/{{resource}}{{;tree}}{{/ref}}.xml"}
        return {"collection": f"{base}collection/{slug}.json",
                "navigation": f"{base}navigation/{slug}{{;tree}}{{;down}}{{/ref}}.json",
                "document": f"{base}document/{slug}{{;tree}}{{/ref}}.xml"}

    def resource(self, doc, cited: list[Tree], versions: list[str] = ()) -> dict:
        meta = doc.meta or {}
        lang = doc.lang or "und"
        dublin: dict = {"title": [{"lang": lang, "value": doc.title}]}
        if doc.lang:
            dublin["language"] = [doc.lang]
        if meta.get("editors"):
            dublin["contributor"] = list(dict.fromkeys(meta["editors"]))
        if meta.get("publisher"):
            dublin["publisher"] = [meta["publisher"]]
        if meta.get("licence"):
            dublin["license"] = meta["licence"]
        if versions:
            dublin["hasVersion"] = list(versions)  # its translations, each a resource
        return {"@id": doc.slug, "@type": "Resource", "title": doc.title, "totalParents": 1,
                "totalChildren": 0, "dublinCore": dublin, **self.templates(doc.slug),
                "download": self.download(doc), "mediaTypes": ["application/tei+xml"],
                "citationTrees": [tree.json() for tree in cited]}

    def download(self, doc) -> str:
        site_url = (self.site.config.site_url or "").rstrip("/")
        return f"{site_url}/{doc.rel.partition('#')[0]}" if site_url else f"/{doc.rel.partition('#')[0]}"

    def translation(self, doc, ident: str, el: etree._Element, cited: list[Tree]) -> dict:
        """A translation of a text as a resource of its own: titled by its head, in its language."""
        lang = el.get(XML_LANG) or doc.lang or "und"
        head = el.find(f"{{{TEI_NS}}}head")
        title = " ".join("".join(head.xpath("string()")).split()) if head is not None else ""
        title = title or f"{doc.title} ({lang})"
        dublin: dict = {"title": [{"lang": lang, "value": title}], "language": [lang],
                        "isVersionOf": [doc.slug]}
        if (doc.meta or {}).get("licence"):
            dublin["license"] = doc.meta["licence"]
        return {"@id": ident, "@type": "Resource", "title": title, "totalParents": 1, "totalChildren": 0,
                "description": f"A translation of the text {doc.slug}: each of its passages points to the "
                               "one it translates (@corresp)",
                "dublinCore": dublin, **self.templates(ident), "download": self.download(doc),
                "mediaTypes": ["application/tei+xml"], "citationTrees": [tree.json() for tree in cited]}

    def navigation(self, ident: str, resource: dict, tree: Tree, down: str | None,
                   ref: Unit | None) -> tuple[str, dict]:
        """The file answering ?resource=…[&tree=…][&ref=…][&down=…], and its content."""
        found = tree.units
        name = f"navigation/{ident}" + (f";tree={tree.identifier}" if tree.identifier else "") + \
            (f";down={down}" if down is not None else "") + (f"/{ref.anchor}" if ref is not None else "") + ".json"
        out = {"@context": CONTEXT, "dtsVersion": VERSION, "@type": "Navigation",
               "@id": self.base() + name, "resource": resource}
        if ref is not None:
            out["ref"] = ref.json()
        if down is None:
            return name, out
        deepest = 99 if down == "-1" else int(down)
        if ref is None:
            out["member"] = [u.json() for u in found if u.level <= deepest]
        else:
            below = [ref] + [u for u in found if u.parent == ref.anchor and u.level - ref.level <= deepest]
            out["member"] = [u.json() for u in below]
        return name, out

    def text_files(self, doc) -> dict[str, bytes]:
        table = self.edition.table
        body = trees.body(doc)
        cited = [Tree(None, units(body, table)), *page_trees(body, table)]
        translations = translated(body, table, doc.slug)
        resource = self.resource(doc, cited, [t[0] for t in translations])
        source = trees.source(doc)
        whole = doc.path.read_bytes() if not doc.part and not doc.includes else \
            etree.tostring(source, xml_declaration=True, encoding="UTF-8")
        text = source.getroot().find(f"{{{TEI_NS}}}text") if source is not None else None
        out: dict[str, bytes] = {}
        self.resource_files(doc.slug, resource, cited, body, text, whole, out)
        for ident, el, found in translations:
            alone = None
            if text is not None:
                alone = _alone(source.getroot(), _follow(text, _chain(el, body)))
            one = [Tree(None, found)]
            self.resource_files(ident, self.translation(doc, ident, el, one), one, body, text,
                                alone if alone is not None else whole, out)
        trees.unparse(doc)
        doc.source = None  # (parsed again if a message needs it)
        return out

    def resource_files(self, ident: str, resource: dict, cited: list[Tree], body, text, whole: bytes,
                       out: dict[str, bytes]) -> None:
        """One resource's files: its collection, navigation of each tree, and each unit's TEI."""
        def put(name: str, data: dict, indent: int | None = None) -> None:
            out[f"{FOLDER}/{name}"] = (json.dumps(data, ensure_ascii=False, indent=indent,
                                                  separators=None if indent else (",", ":")) + "\n").encode()

        put(f"collection/{ident}.json", {"@context": CONTEXT, "dtsVersion": VERSION, **resource}, 2)
        for tree in cited:
            depth = max((u.level for u in tree.units), default=0)
            for down in ["1", "-1"] + (["2"] if depth > 1 else []):
                put(*self.navigation(ident, resource, tree, down, None))
            parents = {u.parent for u in tree.units}
            for unit in tree.units:
                # only a unit with units below it: a leaf's own entry is in its parent's down=1
                # (the root's, for a paragraph), its siblings (down=0) too; a file each would
                # repeat the list once per unit (N² members for a text of N paragraphs), and a
                # file costs more to write than its bytes (0.3 ms here: 95,000 files, 30 s)
                if unit.anchor in parents:
                    for down in (None, "1", "-1"):
                        put(*self.navigation(ident, resource, tree, down, unit))
        for tree in cited:
            # (the tree changes nothing without a ref: the whole text again)
            folder = f"{FOLDER}/document/{ident}" + (f";tree={tree.identifier}" if tree.identifier else "")
            out[f"{folder}.xml"] = whole
            if text is None:
                continue
            for i, unit in enumerate(tree.units):
                el = _follow(text, _chain(unit.el, body))
                if el is None:
                    continue
                if tree.identifier is None:
                    out[f"{folder}/{unit.anchor}.xml"] = part_as_tei(el, _lang(el.getparent()))
                else:  # a page: from its break to the next one
                    nxt = tree.units[i + 1].el if i + 1 < len(tree.units) else None
                    end = _follow(text, _chain(nxt, body)) if nxt is not None else None
                    out[f"{folder}/{unit.anchor}.xml"] = part_as_tei(*_span(text, el, end))

    def document_files(self, doc) -> dict[str, bytes]:
        # made again only when the text changed (while serving, kept in memory; else in the
        # build cache)
        name, key = f"{FOLDER}/{doc.slug}", (self.site.key, doc.digest, "dts")
        return self.site.cached(name, key, lambda: self.site.on_disk(name, key, lambda: self.text_files(doc)))

    def after_stream(self) -> list[str]:
        return list(ENDPOINT)

    def made_after(self, read) -> dict[str, bytes]:
        return self.endpoint(read)

    def endpoint(self, read) -> dict[str, bytes]:
        """The entry point and the edition's collection, of every text's collection (`read(name)`
        gives a text's file: made here, or written with its page)."""
        out: dict[str, bytes] = {}
        members = []
        for doc in self.edition.texts:
            members.append(json.loads(read(f"{FOLDER}/collection/{doc.slug}.json")))
            members += [json.loads(read(f"{FOLDER}/collection/{v}.json"))
                        for v in members[-1]["dublinCore"].get("hasVersion", [])]
        for m in members:
            del m["@context"], m["dtsVersion"]
        entry = {"@context": CONTEXT, "dtsVersion": VERSION, "@id": self.base(), "@type": "EntryPoint",
                 **self.templates()}
        root = {"@context": CONTEXT, "dtsVersion": VERSION, "@id": COLLECTION_ID, "@type": "Collection",
                "title": self.site.site_name, "totalParents": 0, "totalChildren": len(members),
                "collection": self.templates()["collection"], "member": members}
        for name, data in zip(ENDPOINT, (entry, root, root)):
            out[name] = (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode()
        return out
