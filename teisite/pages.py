"""The scheduler of the site's generated pages: it asks each generator (generators.py) which pages
it makes, hands MkDocs their Markdown stubs, makes a page when MkDocs asks for it (from the cache
while serving), or makes and writes the pages itself in forked workers (a one-off build's
`stream`), and knows no page kinds."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from concurrent.futures import as_completed
from functools import partial

from markupsafe import escape

from .cache import digest, text_digest
from .edition import Edition
from .generators import Generator, Page, Site, generators
from .render import Renderer, render_template
from .search import Facets, RecordFolder
from .workers import fork_map

log = logging.getLogger("mkdocs.plugins.teisite")


class PageSet:
    """Every generated page of one edition, by its source path inside docs_dir."""

    def __init__(self, edition: Edition, renderer: Renderer, config, cache: dict | None = None,
                 inputs_key: str = ""):
        """`cache` (page → (key, html)) may outlive this object: while serving, a page whose
        inputs are unchanged is not rendered again. `inputs_key` names the templates and options."""
        self.site = Site(edition, renderer, config, cache, inputs_key)
        self.generators = generators(self.site)
        self._pages: dict[str, tuple[Generator, Page]] = {}  # by src, as sources() listed them
        # the search records of a page's content (body HTML, URL), made with the page when it
        # is streamed (stream)
        self.records_of: Callable[[str, str], list] | None = None
        self._folders: set[str] = set()  # folders of the new site made so far (_write_new)
        self.made = 0       # pages rendered by this process (not taken from the serving cache)

    def folders(self) -> list[str]:
        return list(dict.fromkeys(f for g in self.generators for f in g.folders()))

    def nav(self) -> list:
        return [item for g in self.generators for item in g.nav()]

    def files(self) -> list[tuple[str, str | bytes]]:
        """Files the generators write besides pages (a map's base, downloads), by site path."""
        return [f for g in self.generators for f in g.files()]

    def sources(self, has_index: bool, own_search: bool = False):
        """(src_uri, markdown stub) for each page; the stub carries only the title (and, when
        teisite writes the search entries itself, tells the theme's search to leave it alone).
        With `has_index`, the project's own index.md is the home page."""
        exclude = "search:\n  exclude: true\n" if own_search else ""
        for g in self.generators:
            for page in g.pages():
                if has_index and page.src == "index.md":
                    continue
                self._pages[page.src] = (g, page)
                # the theme prints titles unescaped: escape TEI's text here
                yield page.src, (f"---\ntitle: {json.dumps(str(escape(page.title)), ensure_ascii=False)}"
                                 f"\n{exclude}---\n")

    def searched(self, src_uri: str) -> bool:
        """Whether a page is a search result (a generated page as its generator says; any
        other page is)."""
        if src_uri not in self._pages:
            return True
        g, page = self._pages[src_uri]
        return g.searched(page)

    def search_entries(self, src_uri: str, url: str) -> list[dict]:
        """Search entries for a generated page (its generator's: one per passage of a text, names
        for an entry)."""
        if src_uri not in self._pages:
            return []
        g, page = self._pages[src_uri]
        return g.search(page, url)

    def key(self, src_uri: str) -> str | None:
        """What a generated page is made from (the same key, the same page), or None for a page
        that is made every time (an index, the chronology) or is not generated."""
        if src_uri not in self._pages:
            return None
        g, page = self._pages[src_uri]
        if g.cache_name(page) is None:
            return None
        return digest(g.key(page, _url(src_uri)))

    def streamed(self) -> list[str]:
        """The pages a one-off build makes and writes in workers (stream): the generators' that
        ask for it, which are most of the work."""
        return [s for s, (g, _) in self._pages.items() if g.parallel]

    def stream(self, batch: Callable[[list[str]], Facets] | None, jobs: int, progress=None,
               submit: Callable | None = None) -> Facets:
        """Every streamed page made and written, as soon as it is made, by `batch(srcs)`
        (make_and_write, with the plugin's writer) in `jobs` processes at once: nothing of a page
        stays in memory. The workers are forked when all that pages show is known (the plugin's
        on_env), so they share the edition instead of loading it again, and send back only what
        the search's filters need. Or each batch is handed to `submit` (a concurrent.futures
        executor's, whose workers make the site ready themselves: remote.py)."""
        srcs = self.streamed()
        for g in self.generators:
            g.before_fork()
        facets = Facets()
        done = 0
        if submit is not None:
            size = 64
            futures = {submit(srcs[i:i + size]): srcs[i:i + size] for i in range(0, len(srcs), size)}
            made = ((futures[f], f.result()) for f in as_completed(futures))
        else:
            made = fork_map(batch, srcs, jobs if len(srcs) >= 2 * jobs else 1, 16)
        for part, found in made:
            facets.update(found)
            done += len(part)
            if progress is not None:  # `teisite: making pages n/N` on the terminal
                progress(done, len(srcs))
        for src in srcs:
            g, page = self._pages[src]
            g.made_elsewhere(page)
        return facets

    def make_and_write(self, srcs: list[str], write, folder: RecordFolder | None) -> Facets:
        """A batch of streamed pages made and handed to `write(src, html, head)`, their records
        written to `folder`; what the search's filters need of them."""
        facets = Facets()
        for src in srcs:
            g, page = self._pages[src]
            doc = g.document(page)
            if doc is not None and self.site.streaming_to is not None:  # the text's own files too
                for path, data in self.document_files(doc).items():  # (first: the page lets
                    self._write_new(path, data)                       # the text's tree go)
            made = self.render_with_records(src)
            if made is None:
                continue
            write(src, made[0], made[1])
            if folder is not None and len(made) == 3:
                facets.update(folder.add(made[2]))
        return facets

    def document_files(self, doc) -> dict[str, bytes]:
        """A text's own files besides its page, of every generator (Generator.document_files):
        while serving, the very object the last build had when the text is unchanged."""
        found = [g.document_files(doc) for g in self.generators]
        found = [f for f in found if f]
        return found[0] if len(found) == 1 else {k: v for f in found for k, v in f.items()}

    def _write_new(self, path: str, data: bytes) -> None:
        """A file of a one-off build's new site folder (build.py puts the whole folder in place
        at once: no file of it needs writing atomically, which costs two more system calls)."""
        dest = os.path.join(self.site.streaming_to, path)
        folder = os.path.dirname(dest)
        if folder not in self._folders:
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        with open(dest, "wb") as f:
            f.write(data)

    def after_stream(self) -> list[str]:
        """The files made once every streamed page is written (Generator.after_stream)."""
        return [name for g in self.generators for name in g.after_stream()]

    def made_after(self, read) -> dict[str, bytes]:
        return {name: data for g in self.generators for name, data in g.made_after(read).items()}

    def render_with_records(self, src_uri: str) -> tuple | None:
        """A page (render) and its search records, made from its content, for a page made ahead
        of time (the build's cache keeps them by the content's digest)."""
        made = self.render(src_uri)
        if made is None or self.records_of is None:
            return made
        if not self.searched(src_uri):
            return (*made, [])
        url = _url(src_uri)
        return (*made, self.site.on_disk(f"search/{url or 'index'}", ("content", text_digest(made[0]), ""),
                                         partial(self.records_of, made[0], url)))

    def render(self, src_uri: str, url: str | None = None) -> tuple[str, str] | None:
        if src_uri not in self._pages:
            return None
        g, page = self._pages[src_uri]
        url = url if url is not None else _url(src_uri)
        name = g.cache_name(page) if self.site.cache is not None else None
        if name is None:
            result = self._make(g, page, url)
        else:
            result = self.site.cached(name, g.key(page, url), lambda: self._make(g, page, url))
        return result if isinstance(result, tuple) else (result, "")

    def _make(self, g: Generator, page: Page, url: str):
        self.made += 1
        return g.render(page, url)

    def errors_banner(self, diags) -> str:
        """While serving: the build's errors, at the top of every page until they are fixed."""
        return render_template(self.site.env.get_template("pages/errors.html"),
                               errors=diags.sorted())


def _url(src_uri: str) -> str:
    stem = src_uri[:-3]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[:-5]
    return stem + "/"
