"""One small generator per kind of page (home, texts index, text, register index, entry,
chronology): which pages it makes, the cache key of a page, and how to render it."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import partial
from itertools import groupby

from markupsafe import Markup

from . import trees
from .cache import digest, text_digest
from .document import Document, letter
from .edition import Edition
from .registers import KINDS, collation_key
from .render import Renderer, located, render_template


@dataclass
class Page:
    """A page a generator makes: its source path inside docs_dir, its title, and what it shows."""

    src: str
    title: str
    item: object = None
    part: int = 1  # the page's number, when what it shows is split over several pages


class Site:
    """What every generator of one build shares: the edition, the renderer, the site's settings,
    the registers' digest (in every key) and, while serving, the cache of pages and their parts."""

    def __init__(self, edition: Edition, renderer: Renderer, config, cache: dict | None,
                 inputs_key: str):
        self.edition, self.renderer, self.config = edition, renderer, config
        self.env = renderer.env
        self.site_name = config.site_name
        # without a cache that outlives the build, each page is made once: trees can go after use
        self.release_trees = cache is None
        self.cache = cache
        self.disk = None  # a one-off build's pages in the build cache (cache.PageStore), if on
        # the site folder, into which a text's own files (document_files) are written straight,
        # not handed to MkDocs as files (the plugin sets it)
        self.streaming_to: str | None = None
        registers = [(e.id, e.kind, e.url, renderer.entry_data(e, "")) for e in
                     sorted(edition.entries.values(), key=lambda e: e.id)]
        self.key = digest(inputs_key, config.site_name, config.site_url, registers)
        self._modules: dict[str, object] = {}
        from .maps import view_of
        self.map_view = view_of([e.geo for e in edition.mapped])

    def map_labels(self) -> list[dict]:
        """The base map's names of rivers and lakes inside the map, in the interface's language."""
        from .maps import labels
        view, lang = self.map_view, self.edition.lang or "en"
        out = []
        for label in labels():
            lat, lon = label["at"]
            if view and view.west < lon < view.east and view.south < lat < view.north:
                x, y = view.xy(lat, lon)
                out.append({"x": x, "y": y, "kind": label.get("kind", "river"),
                            "name": label.get(lang) or label.get("en", ""),
                            "lang": lang if label.get(lang) else "en"})
        return out

    def cached(self, name: str, key, make):
        """make() unless what is called `name` was made from the same inputs before."""
        if self.cache is None:
            return make()
        hit = self.cache.get(name)
        if hit is not None and hit[0] == key:
            return hit[1]
        result = make()
        self.cache[name] = (key, result)
        return result

    def on_disk(self, name: str, key, make):
        """make() unless the build cache on disk holds what is called `name`, made from the same
        inputs (`key`, and what every page depends on: cache.PageStore) by an earlier build (a
        one-off build's; while serving, `cached` keeps pages in memory)."""
        if self.disk is None or self.cache is not None:
            return make()
        return self.disk.made_or_kept(name, key, make)

    def page(self, template: str, url: str, **ctx) -> str:
        return render_template(
            self.env.get_template(f"pages/{template}"), root="../" * url.count("/"), url=url,
            site_name=self.site_name, edition=self.edition, **ctx)

    def macro(self, template: str, name: str):
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


class Generator:
    """A kind of page. `parallel`: its pages are worth making in forked workers ahead of time."""

    parallel = False

    def __init__(self, site: Site):
        self.site, self.edition, self.t = site, site.edition, site.renderer.t

    def pages(self) -> list[Page]:
        return []

    def nav(self) -> list:
        return []

    def folders(self) -> list[str]:
        return []

    def cache_name(self, page: Page) -> str | None:
        """Under which name the page is cached while serving (None: it is made each time)."""
        return None

    def key(self, page: Page, url: str):
        """What the page is made from: the same key, the same page."""
        return

    def render(self, page: Page, url: str) -> str | tuple[str, str]:
        raise NotImplementedError

    def searched(self, page: Page) -> bool:
        """Whether the page is a search result (with either search: the theme's, or teisite's)."""
        return True

    def paged(self, folder: str, title: str, n: int) -> list[Page]:
        """The n pages of a list that goes on over several: `folder/`, then `folder/2/`, ..."""
        return [Page(f"{folder}/index.md", title)] + [
            Page(f"{folder}/{k}.md", f"{title} · {self.t('page_of', k, n)}", part=k) for k in range(2, n + 1)]

    def search(self, page: Page, url: str) -> list[dict]:
        return [{"location": url, "title": page.title, "text": ""}]

    def files(self) -> list[tuple[str, str | bytes]]:
        """Files other than pages, by their path in the site (a map's base, downloads)."""
        return []

    def document(self, page: Page):
        """The text a page shows, whose own files (document_files) are written with it."""
        return

    def document_files(self, doc) -> dict[str, bytes]:
        """One text's files besides its page (its DTS parts), written straight into the site
        (site.streaming_to): with the text's page in a one-off build, by the plugin while serving."""
        return {}

    def after_stream(self) -> list[str]:
        """Files made once every streamed page and text's own files are written (site paths;
        MkDocs is told of them beforehand, so that a page may link them): made by `made_after`."""
        return []

    def made_after(self, read) -> dict[str, bytes]:
        """The files after_stream names, `read(path)` giving a file already written."""
        return {}

    def before_fork(self) -> None:
        """Work the forked workers should inherit instead of each doing it."""

    def made_elsewhere(self, page: Page) -> None:
        """The page was made by a worker."""


class HomePages(Generator):
    def pages(self) -> list[Page]:
        return [Page("index.md", self.site.site_name)]

    def nav(self) -> list:
        return [{self.t("home"): "index.md"}]

    def render(self, page: Page, url: str) -> str:
        return self.site.page("home.html", url, texts=self.edition.texts)


class TextsIndexPages(Generator):
    """The list of texts; with letters (texts with a correspDesc) among them, by date, sender and
    addressee. Called "Letters" only when every text is one; otherwise "Texts", with a column
    saying which are letters."""

    @property
    def title(self) -> str:
        return self.t("letters_list") if self.edition.all_letters else self.t("texts")

    def pages(self) -> list[Page]:
        return [Page("texts/index.md", self.title)] if len(self.edition.texts) > 1 else []

    def nav(self) -> list:
        return [{self.title: "texts/index.md"}] if len(self.edition.texts) > 1 else []

    def folders(self) -> list[str]:
        return ["texts"]

    def render(self, page: Page, url: str) -> str:
        letters = []
        if self.edition.letters:
            rows = [(d, letter(d.meta)) for d in self.edition.texts]
            # by date; undated letters, and texts that are not letters, after them
            letters = sorted(rows, key=lambda r: (not (r[1] and r[1]["sort"]),
                                                  r[1]["sort"] if r[1] else "", r[0].title))
        return self.site.page("texts.html", url, texts=self.edition.texts, letters=letters,
                              title=self.title, mixed=bool(letters) and not self.edition.all_letters)


class TextPages(Generator):
    parallel = True

    def pages(self) -> list[Page]:
        return [Page(f"texts/{doc.slug}.md", doc.title, doc) for doc in self.edition.texts]

    def nav(self) -> list:
        texts = self.edition.texts
        return [{self.t("text"): f"texts/{texts[0].slug}.md"}] if len(texts) == 1 else []

    def cache_name(self, page: Page) -> str:
        return f"texts/{page.item.slug}"

    def document(self, page: Page):
        return page.item

    def key(self, page: Page, url: str):
        # a text page shows its document and, in popovers, register entries: both are in the key
        return digest(self.site.key, url, page.item.digest, page.item.rel)

    def render(self, page: Page, url: str) -> tuple[str, str]:
        made = self.site.on_disk(self.cache_name(page), self.key(page, url),
                                 lambda: self._render(page, url))
        if self.site.release_trees:
            trees.release(page.item)
        return made

    def _render(self, page: Page, url: str) -> tuple[str, str]:
        doc, site = page.item, self.site
        root = "../" * url.count("/")
        versions = site.config.extra.get("teisite_versions")
        rendered = site.renderer.render_document(doc, root, versions)
        meta = doc.meta
        for action in meta.get("corresp", ()):  # the page head's names get popovers too
            for m in action["parts"]:
                for i in m.resolved:
                    if i not in rendered.entries:
                        rendered.entries[i] = site.renderer.entry_data(self.edition.entries[i], root)
        site_url = (site.config.site_url or "").rstrip("/")
        citation = {k: v for k, v in meta.items() if k not in ("corresp", "xml_id", "changes", "version_line")}
        data = {"entries": rendered.entries, "citation": {
            **citation, "site": site.site_name, "url": f"{site_url}/{url}" if site_url else "",
            "lang": doc.lang, "tei": root + doc.rel}}
        if versions is not None:  # cited at its version's address, which lasts; the current besides
            base = site_url.removesuffix(f"/v/{versions.this}") if versions.old else site_url
            if site_url:
                data["citation"].update(url=f"{base}/v/{versions.this}/{url}", current=f"{base}/{url}")
            if versions.old:
                data["version"] = {"old": True, "this": versions.this, "gone": versions.gone.get(doc.rel, []),
                                   "missing": doc.rel in versions.missing}
        body = site.page("text.html", url, doc=doc, text=rendered.html, notes=rendered.notes,
                         page_url=f"{site_url}/{url}" if site_url else "",
                         apparatus=rendered.apparatus,
                         meta=meta, data=Markup(json.dumps(data, ensure_ascii=False)
                                                .replace("</", "<\\/")),
                         kinds_present=sorted({m_kind for m_kind in _kinds(doc, self.edition)}))
        head = site.page("text_head.html", url, doc=doc, meta=meta, site_url=site_url,
                         jsonld=Markup(json.dumps(_jsonld(meta, doc, site_url, url, site.site_name),
                                                  ensure_ascii=False).replace("</", "<\\/")))
        return body, head

    def search(self, page: Page, url: str) -> list[dict]:
        """One entry for the page, one per passage."""
        return super().search(page, url) + [
            {"location": f"{url}#{p.anchor}", "title": f"¶{p.n} · {page.title}", "text": p.text}
            for p in page.item.passages]

    def made_elsewhere(self, page: Page) -> None:
        if self.site.release_trees:
            trees.release(page.item)


class RegisterIndexPages(Generator):
    """The alphabetical index of one kind of register entry."""

    def __init__(self, site: Site, kind: str):
        super().__init__(site)
        self.kind, self.folder = kind, KINDS[kind].folder

    def pages(self) -> list[Page]:
        return [Page(f"{self.folder}/index.md", self.t(self.folder))]

    def nav(self) -> list:
        return [{self.t(self.folder): f"{self.folder}/index.md"}]

    def folders(self) -> list[str]:
        return [self.folder]

    def render(self, page: Page, url: str) -> str:
        kind = self.kind
        if KINDS[kind].index != "index.html":  # a cast: by play, in the play's order
            return self.site.page(KINDS[kind].index, url, kind=kind, plays=self.edition.cast())
        entries = self.edition.entries_of(kind)
        listed = sorted([*entries, *self.see_also(entries)], key=lambda e: e.sort)
        letters = [(letter, list(group)) for letter, group in
                   groupby(listed, key=lambda e: (e.sort[:1] or "#").upper())]
        by_type = defaultdict(list)
        if kind == "place":
            for e in entries:
                by_type[e.place_type].append(e)
        words = self.site.renderer.words
        return self.site.page("index.html", url, kind=kind, entries=entries, letters=letters,
                              on_map=kind == "place" and bool(self.site.map_view) and
                              any(e.geo for e in entries),
                              by_type=sorted(((words.get(f"place_{k}", k), v)
                                              for k, v in by_type.items()),
                                             key=lambda kv: collation_key(kv[0])))


    def see_also(self, entries: list) -> list[SeeAlso]:
        """Cross-references for the names an entry is also known by (in the interface's language)
        that the index would list under another letter: «Очира Саи-Хан → Чихундорж»."""
        lang, out, seen = self.edition.lang, [], {e.label for e in entries}
        for e in entries:
            initial = (e.sort[:1] or "#").upper()
            for n in e.names:
                key = collation_key(n.text)
                if n.text in seen or (n.lang and not n.lang.startswith(lang)) or \
                        (key[:1] or "#").upper() == initial or _INITIALS.match(n.text):
                    continue
                seen.add(n.text)
                out.append(SeeAlso(n.text, key, e))
        return out


_INITIALS = re.compile(r"^\w\.")  # «А.И. Бейтон»: the surname's entry is where one looks


@dataclass
class SeeAlso:
    """A name under which the index sends the reader to the entry that bears another."""

    see: str
    sort: str
    entry: object


class EntryPages(Generator):
    """A page for each register entry of one kind: its mentions, and who is named with it.

    An entry named more often than one page can hold (PAGE_ROWS rows of mentions, or about
    PAGE_BYTES of them) shows how often each document names it first, then the mentions, split
    over further pages (persons/x/2/, persons/x/3/...) with a pager: every mention stays reachable
    and no page grows with the corpus."""

    parallel = True
    PAGE_ROWS = 500
    PAGE_BYTES = 1_000_000

    def __init__(self, site: Site, kind: str):
        super().__init__(site)
        self.kind, self.folder = kind, KINDS[kind].folder
        self._splits: dict[str, list | None] = {}
        self._together: dict[str, list] = {}
        self._by_doc: dict[str, tuple] = {}

    def pages(self) -> list[Page]:
        out = []
        for e in self.edition.entries_of(self.kind):
            out.append(Page(f"{self.folder}/{e.slug}.md", e.label, e))
            split = self.split(e)
            for n in range(2, len(split or ()) + 1):
                out.append(Page(f"{self.folder}/{e.slug}/{n}.md",
                                f"{e.label} · {self.t('page_of', n, len(split))}", e, n))
        return out

    def by_doc(self, e) -> tuple[list, tuple]:
        """e's mentions as (document, its occurrences) in text order, and each document's (slug,
        digest): what the entry's page is made from (once a build)."""
        if e.id not in self._by_doc:
            docs = [(doc, list(occs)) for doc, occs in groupby(e.mentions, key=lambda o: o.doc)]
            self._by_doc[e.id] = docs, tuple((d.slug, d.digest) for d, _ in docs)
        return self._by_doc[e.id]

    def split(self, e) -> list | None:
        """The mentions of each page of an entry, as (document, occurrences) in text order, or
        None when they fit on one page (the usual case; while serving, the split is measured
        again only when one of its documents changed, from the other documents' kept costs)."""
        if e.id not in self._splits:
            docs, names = self.by_doc(e)
            site = self.site

            def costs(doc, occs) -> list:
                return [_row_bytes(doc, o) for o in occs]

            def measure():
                return _split(docs, [costs(doc, occs) if site.cache is None else site.cached(
                    f"{e.url}#{doc.slug}#costs", doc.digest, partial(costs, doc, occs))
                    for doc, occs in docs], self.PAGE_ROWS, self.PAGE_BYTES)
            shape = measure() if site.cache is None else site.cached(f"{e.url}#split", names, measure)
            self._splits[e.id] = None if shape is None else [
                [(docs[i][0], docs[i][1][a:b]) for i, a, b in page] for page in shape]
        return self._splits[e.id]

    def cache_name(self, page: Page) -> str:
        return page.item.url if page.part == 1 else f"{page.item.url}{page.part}/"

    def key(self, page: Page, url: str):
        # what the page shows (mentions, companions) follows from the documents its mentions
        # stand in, and from the registers (in site.key); while serving, from what it shows of
        # each document (so that a change elsewhere in a document that names the entry does not
        # make its page again)
        e, site = page.item, self.site
        root = "../" * url.count("/")
        data = site.renderer.entry_data(e, root)
        if site.cache is None:
            return digest(site.key, url, page.part, data, self.by_doc(e)[1], site.map_view, e.geo,
                          self.facts(e, root))
        split = self.split(e)
        if split is None:
            shown = [(doc.slug, h) for doc, (_, h) in self.parts(e, root)]
        else:  # this page's segments, and on the first the table of counts (the split's shape)
            shown = [(doc.slug, occs[0].mention.anchor, self.segment(e, doc, occs, root)[1])
                     for doc, occs in split[page.part - 1]]
            shown.append([[(doc.slug, len(occs)) for doc, occs in p] for p in split]
                         if page.part == 1 else len(split))
        together = [(x.id, n) for x, n in self.together(e)] if page.part == 1 else []
        return digest(site.key, url, page.part, data, shown, together, site.map_view, e.geo,
                      self.facts(e, root))

    def facts(self, e, root: str) -> tuple:
        """An entry's births, deaths and floruits with places (each place linked when it names a
        published place entry) and its identifiers that are not URLs."""
        events = []
        for ev in e.events:
            target = self.edition.entries.get(ev.ref.rsplit("#", 1)[-1]) if ev.ref else None
            href = root + target.url if target is not None and target.kind == "place" and \
                self.edition.published(target) else ""
            events.append((ev.which, ev.date, ev.place, href))
        return tuple(events), tuple(e.ids)

    def parts(self, e, root: str) -> list:
        """(document, (its mentions' HTML, a digest of it)) for an entry of one page, in text
        order; while serving, each kept until its document changes."""
        return [(doc, self.site.cached(f"{e.url}#{doc.slug}", (self.site.key, root, doc.digest),
                                       partial(self._occurrences, doc, occs, root)))
                for doc, occs in self.by_doc(e)[0]]

    def segment(self, e, doc, occs: list, root: str) -> tuple:
        """(HTML, a digest of it) of one document's mentions on a page of a split entry; while
        serving, kept until the document changes."""
        return self.site.cached(f"{e.url}#{doc.slug}@{occs[0].mention.anchor}",
                                (self.site.key, root, doc.digest, len(occs)),
                                partial(self._occurrences, doc, occs, root))

    def _occurrences(self, doc, occs: list, root: str) -> tuple:
        html = self.site.macro("pages/occurrences.html", "occurrences")(doc, _by_paragraph(occs), root)
        return html, text_digest(str(html))

    def together(self, e) -> list:
        """The entries named in the same passages as e, with how often, most often first (while
        serving, counted again only in the documents that changed)."""
        if e.id not in self._together:
            docs, names = self.by_doc(e)
            entries, site = self.edition.entries, self.site
            parts: dict = {}
            total: Counter = Counter()
            order = None
            if site.cache is not None:  # each document's counts, their sum and its order, kept
                kept = site.cache.get(f"{e.url}#together")
                if kept is not None and kept[0] == (site.key, names):
                    _, parts, total, order = kept
                elif kept is not None and kept[0][0] == site.key:  # mended where documents changed
                    parts, total = dict(kept[1]), Counter(kept[2])
                    for gone in parts.keys() - set(names):
                        total.subtract(parts.pop(gone))
            if order is None:
                for (doc, occs), k in zip(docs, names):
                    if k not in parts:
                        parts[k] = _named_with(doc, occs)
                        total.update(parts[k])
                order = sorted(((i, n) for i, n in total.items() if n > 0 and i != e.id),
                               key=lambda kv: (-kv[1], entries[kv[0]].sort, kv[0]))
                if site.cache is not None:
                    site.cache[f"{e.url}#together"] = ((site.key, names), parts, total, order)
            self._together[e.id] = [(entries[i], n) for i, n in order]
        return self._together[e.id]

    def render(self, page: Page, url: str) -> str:
        return self.site.on_disk(self.cache_name(page), self.key(page, url),
                                 lambda: self._render(page, url))

    def _render(self, page: Page, url: str) -> str:
        e, site = page.item, self.site
        root = "../" * url.count("/")
        data = site.renderer.entry_data(e, root)
        parts = []  # each document's mentions; while serving, kept until the document changes
        split = self.split(e)
        counts = pager = None
        if split is None:
            parts = [html for _, (html, _) in self.parts(e, root)]
        else:
            pager = _pager(f"{root}{e.url}", page.part, len(split))
            href = dict(pager["pages"])
            for doc, occs in split[page.part - 1]:
                html = self.segment(e, doc, occs, root)[0]
                parts.append(Markup('<div class="occurrences-part" id="in-{}">').format(doc.slug)
                             + html + Markup("</div>"))
            if page.part == 1:
                first: dict = {}  # a document's first page, and how often the entry is named in it
                for n, segments in enumerate(split, 1):
                    for doc, occs in segments:
                        at, count = first.get(doc, (n, 0))
                        first[doc] = (at, count + len(occs))
                counts = [(doc, count, ("" if at == 1 else href[at]) + f"#in-{doc.slug}")
                          for doc, (at, count) in first.items()]
        others = self.together(e) if page.part == 1 else []
        events, ids = self.facts(e, root)
        # its description with its citations as links to the works, and a work's citing entries
        works = {w.xml_id: w for w in (self.edition.entries[i] for i in e.cites)}
        described = [(text, works[ref.rpartition("#")[2]].url if ref and ref.rpartition("#")[2] in works
                      else "") for text, ref in e.description_parts]
        cited_by = sorted((self.edition.entries[i] for i in e.cited_by), key=lambda x: x.sort)
        return site.page("entry.html", url, e=e, parts=parts, together=others, data=data,
                         map_view=site.map_view, counts=counts, pager=pager, events=events, ids=ids,
                         described=described, cited_by=cited_by)

    def searched(self, page: Page) -> bool:
        return page.part == 1  # the entry is found on its first page, not on each of its parts

    def search(self, page: Page, url: str) -> list[dict]:
        """One entry, with the entry's names, life, role and description as its text."""
        if not self.searched(page):
            return []
        e = page.item
        (entry,) = super().search(page, url)
        entry["text"] = " · ".join([*(n.text for n in e.names), e.life, e.role, e.description])
        return [entry]

    def before_fork(self) -> None:
        for doc in self.edition.texts:
            doc.entries_by_passage()  # made once here, inherited by the workers


class ChronologyPages(Generator):
    """Every dated mention in date order; a chronology longer than one page holds (PAGE_ROWS
    rows, or about PAGE_BYTES) goes on over further pages (`chronology/2/`, ...) with a pager. A
    date's link names the first page (`chronology/#doc--anchor`: it does not change when rows move
    between pages); there a script finds the row's page in its document's map of them
    (`chronology/at/<doc>.json`)."""

    PAGE_ROWS = 2500
    PAGE_BYTES = 1_000_000

    def __init__(self, site: Site):
        super().__init__(site)
        self._split: list[tuple[int, int]] | None = None

    def split(self) -> list[tuple[int, int]]:
        """(first, end) of each page's rows in edition.dated."""
        if self._split is None:
            self._split = _ranges([len(f"{m.before}{m.text}{m.after}{doc.title}".encode())
                                   + 2 * len(doc.url) + 400 for doc, m in self.edition.dated],
                                  self.PAGE_ROWS, self.PAGE_BYTES)
        return self._split

    def pages(self) -> list[Page]:
        if not self.edition.dated:
            return []
        return self.paged("chronology", self.t("chronology"), len(self.split()))

    def nav(self) -> list:
        return [{self.t("chronology"): "chronology/index.md"}] if self.edition.dated else []

    def folders(self) -> list[str]:
        return ["chronology"]

    def files(self) -> list[tuple[str, str]]:
        """For a chronology over several pages: each document's rows' pages, by anchor."""
        if not self.edition.dated or len(self.split()) < 2:
            return []
        at: dict[str, dict[str, int]] = defaultdict(dict)
        for k, (a, b) in enumerate(self.split(), 1):
            for doc, m in self.edition.dated[a:b]:
                at[doc.slug][m.anchor] = k
        return [(f"chronology/at/{slug}.json", json.dumps(rows, ensure_ascii=False))
                for slug, rows in at.items()]

    def render(self, page: Page, url: str) -> str:
        site = self.site
        split = self.split()
        a, b = split[page.part - 1]
        rows = self.edition.dated[a:b]
        root = "../" * url.count("/")
        pager = _pager(f"{root}chronology/", page.part, len(split)) if len(split) > 1 else None
        parts = {}
        if site.cache is not None:  # serving: each document's rows are kept until it changes
            several = len(self.edition.texts) > 1
            macro = site.macro("pages/chronology_row.html", "row")
            for doc, m in rows:
                parts[(doc.slug, m.anchor)] = site.cached(
                    f"chronology#{doc.slug}--{m.anchor}",
                    (site.key, root, several, doc.digest),
                    lambda doc=doc, m=m: macro(doc, m, root, several))
        return site.page("chronology.html", url, rows=rows, parts=parts, pager=pager)


class ChangesPages(Generator):
    """The changes of each text's versions, from its revisionDesc (the edition's change log); a
    long log goes on over further pages (`changes/2/`, ...), about PAGE_BYTES each."""

    PAGE_BYTES = 1_000_000

    def _texts(self) -> list[Document]:
        return [d for d in self.edition.texts if d.meta.get("changes")]

    def split(self) -> list[tuple[int, int]]:
        """(first, end) of each page's texts in _texts()."""
        return _ranges([len(d.title.encode()) + 2 * len(d.url) + 400 + sum(
            len(str(c.get("text", "")).encode()) + 150 for c in d.meta["changes"]) for d in self._texts()],
            None, self.PAGE_BYTES)

    def pages(self) -> list[Page]:
        if not self._texts():
            return []
        return self.paged("changes", self.t("changes"), len(self.split()))

    def nav(self) -> list:
        return [{self.t("changes"): "changes/index.md"}] if self._texts() else []

    def folders(self) -> list[str]:
        return ["changes"]

    def render(self, page: Page, url: str) -> str:
        texts, split = self._texts(), self.split()
        a, b = split[page.part - 1]
        pager = _pager("../" * url.count("/") + "changes/", page.part, len(split)) if len(split) > 1 else None
        versions = self.site.config.extra.get("teisite_versions")
        return self.site.page("changes.html", url, texts=texts[a:b], several=len(texts) > 1, pager=pager,
                              versions=versions, published=[v.n for v in versions.published] if versions else [],
                              site_root=self.site.config.extra.get("teisite_site_root", ""))


def _pager(home: str, current: int, n: int) -> dict:
    """What pages/pager.html shows: the current page's number, and each page's number and link
    (the first is `home`, the others `home` + `k/`)."""
    return {"current": current, "pages": [(k, home if k == 1 else f"{home}{k}/") for k in range(1, n + 1)]}


def _ranges(costs: list[int], rows: int | None, size: int) -> list[tuple[int, int]]:
    """Consecutive (first, end) ranges of items of these costs, each of at most `rows` items
    (None: any number) and about `size` in all (an item bigger than that on a page of its own)."""
    out, start, used = [], 0, 0
    for i, cost in enumerate(costs):
        if i > start and ((rows is not None and i - start >= rows) or used + cost > size):
            out.append((start, i))
            start, used = i, 0
        used += cost
    out.append((start, len(costs)))
    return out


def generators(site: Site) -> list[Generator]:
    """The generators of an edition's pages, in the order their pages are listed."""
    from .diffs import DiffPages
    from .downloads import DownloadPages
    from .dts import DtsFiles
    kinds = site.edition.kinds
    return [HomePages(site), TextsIndexPages(site), TextPages(site),
            *(g for k in kinds for g in (RegisterIndexPages(site, k), EntryPages(site, k))),
            MapPages(site), ChronologyPages(site), ChangesPages(site), DiffPages(site), DownloadPages(site),
            DtsFiles(site)]


class MapPages(Generator):
    """The map of places (when places have coordinates): the base map as SVG files cut from the
    shipped data, a page with every place and the list of them beside it."""

    def places(self) -> list:
        return self.edition.mapped

    def pages(self) -> list[Page]:
        return [Page("map/index.md", self.t("map"))] if self.site.map_view else []

    def nav(self) -> list:
        return [{self.t("map"): "map/index.md"}] if self.site.map_view else []

    def folders(self) -> list[str]:
        return ["map"]

    def files(self) -> list[tuple[str, str | bytes]]:
        view = self.site.map_view
        if not view:
            return []
        from .maps import base_svg
        # while serving, drawn again only when the view changes (in a one-off build, when the
        # build cache does not have it)
        return [(name, self.site.cached(name, repr(view), lambda name=name, b=borders: self.site.on_disk(
            name, repr(view), lambda: base_svg(view, borders=b))))
                for name, borders in (("map/base.svg", False), ("map/borders.svg", True))]

    def render(self, page: Page, url: str) -> str:
        places = sorted(self.places(), key=lambda e: e.sort)
        by_size = sorted(places, key=lambda e: -len(e.mentions))  # the small drawn over the large
        from .maps import focus_box
        start = " ".join(f"{v:g}" for v in focus_box(self.site.map_view, [e.geo for e in places]))
        return self.site.page("map.html", url, places=places, by_size=by_size, view=self.site.map_view,
                              start=start,
                              labels=self.site.map_labels())


def _named_with(doc: Document, occs: list) -> Counter:
    """How often each entry is named in the passages of doc where the occurrences stand."""
    counts: Counter = Counter()
    for passage in {o.mention.passage for o in occs if o.mention.passage}:
        counts.update(doc.entries_by_passage()[passage])
    return counts


def _by_paragraph(occs: list) -> list:
    """One document's occurrences of an entry, grouped by the paragraph they stand in."""
    return [(n, list(g)) for n, g in groupby(occs, key=lambda o: o.mention.passage)]


def _row_bytes(doc, o) -> int:
    """About how much HTML one mention's KWIC row makes."""
    m = o.mention
    words = f"{m.before}{m.text}{m.after}".encode()
    return len(words) + 2 * (len(doc.url) + len(m.anchor or "")) + 420


def _split(docs: list, costs: list, rows: int, size: int) -> list | None:
    """An entry's mentions, (document, occurrences) in text order, each row costing what `costs`
    says (_row_bytes), over pages of at most `rows` rows and about `size` bytes each, a document
    kept on one page when it fits on one; the first page also holds the table of counts by
    document. Each page is a list of (the document's place in `docs`, first occurrence, end);
    None when one page holds them all."""
    if sum(map(len, costs)) <= rows and sum(map(sum, costs)) <= size:
        return None
    table = sum(200 + len(doc.title.encode()) + len(doc.url) for doc, _ in docs)
    pages: list[list] = [[]]
    used, bytes_ = 0, min(table, size)
    for n, ((doc, occs), cost) in enumerate(zip(docs, costs)):
        whole = sum(cost)
        if (used + len(occs) > rows or bytes_ + whole > size) and len(occs) <= rows and whole <= size \
                and (pages[-1] or bytes_):
            pages.append([])
            used, bytes_ = 0, 0
        start = 0
        for i, c in enumerate(cost):
            if used + 1 > rows or (bytes_ + c > size and (used or bytes_)):
                if i > start:
                    pages[-1].append((n, start, i))
                pages.append([])
                used, bytes_, start = 0, 0, i
            used += 1
            bytes_ += c
        pages[-1].append((n, start, len(occs)))
    return pages[:1] + [p for p in pages[1:] if p]  # the first page, with the counts, always


def _kinds(doc: Document, edition: Edition):
    for m in doc.mentions:
        if m.date is not None:
            yield "date"
        for i in m.resolved:
            yield edition.entries[i].kind


def _jsonld(meta: dict, doc: Document, site_url: str, url: str, site_name: str = "") -> dict:
    edition = {"@type": "WebSite", "name": site_name}
    if site_url:
        edition["url"] = f"{site_url}/"
    data = {"@context": "https://schema.org", "@type": "CreativeWork", "name": meta["title"],
            "inLanguage": doc.lang or None, "isPartOf": edition, "version": meta.get("version") or None,
            "encodingFormat": "text/html", "genre": "digital scholarly edition"}
    if meta["subtitle"]:
        data["alternativeHeadline"] = meta["subtitle"]
    if meta.get("version"):
        data["version"] = meta["version"]
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
    if meta.get("doi"):
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": meta["doi"]}
        data["sameAs"] = f"https://doi.org/{meta['doi']}"
    return {k: v for k, v in data.items() if v is not None}

