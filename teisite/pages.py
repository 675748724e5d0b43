"""The site's generated pages: which exist, their Markdown stubs for MkDocs, and their HTML."""

from __future__ import annotations

import hashlib
import json
import logging
import tempfile
from collections import Counter, defaultdict
from itertools import groupby

from markupsafe import Markup, escape

from . import trees
from .document import Document
from .edition import Edition
from .registers import KINDS, Entry, collation_key
from .render import Renderer, located, render_template
from .workers import Spooled, fork_map

log = logging.getLogger("mkdocs.plugins.teisite")
_FORKED: PageSet | None = None  # the PageSet a forked worker renders from


def _render_part(srcs: list[str]) -> dict:
    assert _FORKED is not None
    return {src: _FORKED.render(src) for src in srcs}


class PageSet:
    """Every generated page of one edition, by its source path inside docs_dir."""

    def __init__(self, edition: Edition, renderer: Renderer, config, cache: dict | None = None,
                 inputs_key: str = ""):
        """`cache` (page → (key, html)) may outlive this object: while serving, a page whose
        inputs are unchanged is not rendered again. `inputs_key` names the templates and options."""
        self.edition, self.renderer, self.config = edition, renderer, config
        self.env = renderer.env
        self.site_name = config.site_name
        # without a cache that outlives the build, each page is made once: trees can go after use
        self.release_trees = cache is None
        self.cache = cache
        registers = [(e.id, e.kind, e.url, self.renderer.entry_data(e, "")) for e in
                     sorted(edition.entries.values(), key=lambda e: e.id)]
        self.key = _digest(inputs_key, config.site_name, config.site_url, registers)
        self._render = {}
        self._ready: dict[str, object] = {}   # pages made ahead by prerender()
        self._spool = None  # where the workers' pages wait for MkDocs (prerender)
        self._modules: dict[str, object] = {}
        self._titles: dict[str, str] = {}
        self._docs = {f"texts/{d.slug}.md": d for d in edition.texts}
        self._entries = {f"{KINDS[e.kind].folder}/{e.slug}.md": e for e in edition.entries.values()}

    def folders(self) -> list[str]:
        return ["texts", "chronology", *(KINDS[k].folder for k in self.edition.kinds)]

    def nav(self) -> list:
        t = self.renderer.t
        texts = self.edition.texts
        nav: list = [{t("home"): "index.md"}]
        if len(texts) == 1:
            nav.append({t("text"): f"texts/{texts[0].slug}.md"})
        elif texts:
            nav.append({t("texts"): "texts/index.md"})
        for kind in self.edition.kinds:
            nav.append({t(KINDS[kind].folder): f"{KINDS[kind].folder}/index.md"})
        if self.edition.dated:
            nav.append({t("chronology"): "chronology/index.md"})
        return nav

    def sources(self, has_index: bool, own_search: bool = False):
        """(src_uri, markdown stub) for each page; the stub carries only the title (and, when
        teisite writes the search entries itself, tells the theme's search to leave it alone)."""
        t, ed = self.renderer.t, self.edition
        pages: list[tuple[str, str, object]] = []
        if not has_index:
            pages.append(("index.md", self.site_name, self.home))
        if len(ed.texts) > 1:
            pages.append(("texts/index.md", t("texts"), self.texts_index))
        for doc in ed.texts:
            pages.append((f"texts/{doc.slug}.md", doc.title, lambda url, d=doc: self.text(d, url)))
        for kind in ed.kinds:
            folder = KINDS[kind].folder
            pages.append((f"{folder}/index.md", t(folder), lambda url, k=kind: self.index(k, url)))
            for e in ed.entries_of(kind):
                pages.append((f"{folder}/{e.slug}.md", e.label, lambda url, e=e: self.entry(e, url)))
        if ed.dated:
            pages.append(("chronology/index.md", t("chronology"), self.chronology))
        exclude = "search:\n  exclude: true\n" if own_search else ""
        for src, title, fn in pages:
            self._render[src] = fn
            self._titles[src] = title
            # the theme prints titles unescaped: escape TEI's text here
            yield src, f"---\ntitle: {json.dumps(str(escape(title)), ensure_ascii=False)}\n{exclude}---\n"

    def search_entries(self, src_uri: str, url: str) -> list[dict]:
        """Search entries for a generated page: one per passage of a text, names for an entry."""
        if src_uri not in self._titles:
            return []
        title = self._titles[src_uri]
        entries = [{"location": url, "title": title, "text": ""}]
        doc = self._docs.get(src_uri)
        if doc is not None:
            entries += [{"location": f"{url}#{p.anchor}", "title": f"¶{p.n} · {title}",
                         "text": p.text} for p in doc.passages]
        entry = self._entries.get(src_uri)
        if entry is not None:
            entries[0]["text"] = " · ".join(
                [*(n.text for n in entry.names), entry.life, entry.role, entry.description])
        return entries

    def prerender(self, jobs: int) -> None:
        """Make the text and entry pages (most of the work) in `jobs` processes at once, ready
        for render(). The workers are forked after loading, so they share the parsed edition
        instead of parsing it again; each page comes back as its HTML."""
        srcs = [s for s in self._render if s in self._docs or s in self._entries]
        if jobs < 2 or len(srcs) < 2 * jobs:
            return
        global _FORKED
        _FORKED = self
        for doc in self.edition.texts:
            doc.entries_by_passage()  # made once here, inherited by the workers
        # the workers' pages wait in files until MkDocs asks for them: held here while the workers
        # still run, they would add to the peak of the build's memory
        self._spool = tempfile.TemporaryDirectory(prefix="teisite-pages-")
        try:
            for batch, part in fork_map(_render_part, srcs, jobs, 16, keep=self._spool.name):
                self._ready.update(dict.fromkeys(batch, part) if isinstance(part, Spooled) else part)
        finally:
            _FORKED = None
        if self.release_trees:
            for doc in self.edition.texts:
                if f"texts/{doc.slug}.md" in self._ready:
                    trees.release(doc)

    def render(self, src_uri: str, url: str | None = None) -> tuple[str, str] | None:
        ready = self._ready.pop(src_uri, None)
        if isinstance(ready, Spooled):  # a worker's batch of pages, read when the first is needed
            batch = ready.load()
            self._ready.update((s, page) for s, page in batch.items() if s in self._ready)
            ready = batch[src_uri]
        if ready is not None and url in (None, _url(src_uri)):
            return ready if isinstance(ready, tuple) else (ready, "")
        fn = self._render.get(src_uri)
        if fn is None:
            return None
        url = url if url is not None else _url(src_uri)
        result = fn(url)
        return result if isinstance(result, tuple) else (result, "")

    def _cached(self, src: str, key, make):
        """make() unless this page was made from the same inputs before."""
        if self.cache is None:
            return make()
        hit = self.cache.get(src)
        if hit is not None and hit[0] == key:
            return hit[1]
        result = make()
        self.cache[src] = (key, result)
        return result

    def _page(self, template: str, url: str, **ctx) -> str:
        return render_template(
            self.env.get_template(f"pages/{template}"), root="../" * url.count("/"), url=url, site_name=self.site_name, edition=self.edition,
            **ctx)

    def errors_banner(self, diags) -> str:
        """While serving: the build's errors, at the top of every page until they are fixed."""
        return render_template(self.env.get_template("pages/errors.html"), errors=diags.sorted())

    # --- pages ----------------------------------------------------------------------------------

    def home(self, url: str) -> str:
        return self._page("home.html", url, texts=self.edition.texts)

    def texts_index(self, url: str) -> str:
        return self._page("texts.html", url, texts=self.edition.texts)

    def text(self, doc: Document, url: str) -> tuple[str, str]:
        # a text page shows its document and, in popovers, register entries: both are in the key
        return self._cached(f"texts/{doc.slug}", _digest(self.key, url, doc.digest, doc.rel),
                            lambda: self._text(doc, url))

    def _text(self, doc: Document, url: str) -> tuple[str, str]:
        root = "../" * url.count("/")
        rendered = self.renderer.render_document(doc, root)
        meta = doc.meta
        site_url = (self.config.site_url or "").rstrip("/")
        data = {"entries": rendered.entries, "citation": {
            **meta, "site": self.site_name, "url": f"{site_url}/{url}" if site_url else "",
            "lang": doc.lang, "tei": root + doc.rel}}
        body = self._page("text.html", url, doc=doc, text=rendered.html, notes=rendered.notes,
                          meta=meta, data=Markup(json.dumps(data, ensure_ascii=False)
                                                 .replace("</", "<\\/")),
                          kinds_present=sorted({m_kind for m_kind in _kinds(doc, self.edition)}))
        head = self._page("text_head.html", url, doc=doc, meta=meta, site_url=site_url,
                          jsonld=Markup(json.dumps(_jsonld(meta, doc, site_url, url),
                                                   ensure_ascii=False).replace("</", "<\\/")))
        if self.release_trees:
            trees.release(doc)
        return body, head

    def index(self, kind: str, url: str) -> str:
        entries = self.edition.entries_of(kind)
        letters = [(letter, list(group)) for letter, group in
                   groupby(entries, key=lambda e: (e.sort[:1] or "#").upper())]
        by_type = defaultdict(list)
        if kind == "place":
            for e in entries:
                by_type[e.place_type].append(e)
        return self._page("index.html", url, kind=kind, entries=entries, letters=letters,
                          by_type=sorted(((self.renderer.words.get(f"place_{k}", k), v)
                                          for k, v in by_type.items()), key=lambda kv: collation_key(kv[0])))

    def entry(self, e: Entry, url: str) -> str:
        root = "../" * url.count("/")
        data = self.renderer.entry_data(e, root)
        # what the page shows (mentions, companions) follows from the documents its mentions
        # stand in, and from the registers (in self.key)
        docs = [(d.slug, d.digest) for d in dict.fromkeys(o.doc for o in e.mentions)]
        return self._cached(e.url, _digest(self.key, url, data, docs),
                            lambda: self._entry(e, url, root, data))

    def _entry(self, e: Entry, url: str, root: str, data: dict) -> str:
        parts = []  # each document's mentions; while serving, kept until the document changes
        macro = self._macro("pages/occurrences.html", "occurrences")
        for doc, occs in groupby(e.mentions, key=lambda o: o.doc):
            occs = list(occs)
            parts.append(self._cached(f"{e.url}#{doc.slug}", (self.key, root, doc.digest),
                                      lambda doc=doc, occs=occs: macro(doc, _by_paragraph(occs), root)))
        together: Counter = Counter()
        for doc, passage in {(o.doc, o.mention.passage) for o in e.mentions if o.mention.passage}:
            together.update(doc.entries_by_passage()[passage])
        together.pop(e.id, None)
        others = [(self.edition.entries[i], n) for i, n in
                  sorted(together.items(), key=lambda kv: (-kv[1], self.edition.entries[kv[0]].sort, kv[0]))]
        return self._page("entry.html", url, e=e, parts=parts, together=others,
                          data=data)

    def _macro(self, template: str, name: str):
        """A macro of a page template, with this build's words and language (a template's own
        `.module` keeps the globals of the first build that asked for it)."""
        if template not in self._modules:
            self._modules[template] = self.env.get_template(template).make_module()
        macro = getattr(self._modules[template], name)

        def call(*args):
            try:
                return macro(*args)
            except Exception as exc:  # noqa: BLE001 - a project's template may raise anything
                raise located(exc) from None
        return call

    def chronology(self, url: str) -> str:
        rows = self.edition.dated
        parts = {}
        if self.cache is not None:  # serving: each document's rows are kept until it changes
            root, several = "../" * url.count("/"), len(self.edition.texts) > 1
            macro = self._macro("pages/chronology_row.html", "row")
            for doc, m in rows:
                parts[(doc.slug, m.anchor)] = self._cached(
                    f"chronology#{doc.slug}--{m.anchor}",
                    (self.key, root, several, doc.digest),
                    lambda doc=doc, m=m: macro(doc, m, root, several))
        return self._page("chronology.html", url, rows=rows, parts=parts)


def _by_paragraph(occs: list) -> list:
    """One document's occurrences of an entry, grouped by the paragraph they stand in."""
    return [(n, list(g)) for n, g in groupby(occs, key=lambda o: o.mention.passage)]


def _digest(*parts) -> str:
    return hashlib.sha1(repr(parts).encode("utf-8")).hexdigest()


def _kinds(doc: Document, edition: Edition):
    for m in doc.mentions:
        if m.date is not None:
            yield "date"
        for i in m.resolved:
            yield edition.entries[i].kind


def _url(src_uri: str) -> str:
    stem = src_uri[:-3]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[:-5]
    return stem + "/"


def _jsonld(meta: dict, doc: Document, site_url: str, url: str) -> dict:
    data = {"@context": "https://schema.org", "@type": "CreativeWork", "name": meta["title"],
            "inLanguage": doc.lang or None, "isPartOf": {"@type": "WebSite"},
            "encodingFormat": "text/html", "genre": "digital scholarly edition"}
    if meta["subtitle"]:
        data["alternativeHeadline"] = meta["subtitle"]
    if meta["editors"]:
        data["editor"] = [{"@type": "Organization" if n in meta["editor_orgs"] else "Person",
                           "name": n} for n in meta["editors"]]
    if meta["publisher"]:
        data["publisher"] = {"@type": "Organization", "name": meta["publisher"]}
    if meta["licence"]:
        data["license"] = meta["licence"]
    if meta["date"]:
        data["datePublished"] = meta["date"]
    if site_url:
        data["url"] = f"{site_url}/{url}"
    return {k: v for k, v in data.items() if v is not None}

