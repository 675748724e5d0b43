"""The MkDocs plugin: loads the edition once per build and injects its pages (nothing on disk)."""

from __future__ import annotations

import gc
import json
import logging
import os
import re
import sys
import sysconfig
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from fnmatch import fnmatch
from functools import partial
from pathlib import Path

import jinja2
import jinja2.bccache
from jinja2 import TemplateError
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from pathspec.gitignore import GitIgnoreSpec

from . import trees
from .cache import open_for, page_store, text_digest, write_atomic
from .citation import stale
from .contract import check_contract
from .diagnostics import BuildError, CodeFilter, Diagnostics, split_codes
from .edition import Edition
from .loading import find_tei_files, load_edition
from .models import load_table
from .pages import PageSet
from .project import offline_problems
from .render import (
    DEFAULT_TEMPLATES,
    Renderer,
    behaviour_names,
    load_words,
    make_env,
    missing_words,
    template_problem,
)
from .search import Collector, Facets, Indexing, RecordFolder, search_setup
from .versions import Lost, Published, Versions, current_anchors, lost
from .versions import find as find_versions

log = logging.getLogger("mkdocs.plugins.teisite")
WRITTEN = "teisite-written.html"  # the template of a page teisite wrote itself (on_env): empty


def _files_key(dirs: list[Path]) -> str:
    """Names every template, word and asset file by size and time: a changed one renders anew."""
    stats = [(str(p), p.stat().st_mtime_ns, p.stat().st_size) for d in dirs for p in sorted(d.rglob("*"))
             if p.is_file()]
    return repr(stats)


def _own_dirs(dirs: list[str]) -> list[Path]:
    """The theme's folders that are not an installed package's (a project's custom_dir)."""
    installed = Path(sysconfig.get_paths()["purelib"]).resolve()
    return [Path(d) for d in dirs if not Path(d).resolve().is_relative_to(installed)]


def _utf8_search_index(index, generate, prev) -> str:
    """Material's search index as JSON, written as UTF-8 rather than with \\uXXXX escapes (Cyrillic
    text takes a third of the bytes); what Material writes, but for the escapes. A rebuild with
    --dirty keeps Material's own merging of the previous index."""
    if prev:
        data = json.loads(generate(prev))
    else:
        data = {"config": {k: index.config[k] for k in ("lang", "separator", "pipeline", "fields")},
                "docs": index.entries}
    return json.dumps(data, separators=(",", ":"), default=str, ensure_ascii=False)


class Progress:
    """What a build is doing, on the terminal's one line (`teisite: making pages 120/1,456`),
    rewritten at most every tenth of a second and wiped when the build ends: only on a terminal,
    and not with -q (`quiet`)."""

    def __init__(self):
        self.on = False
        self._shown = 0.0
        self._width = 0

    def __call__(self, what: str, done: int, total: int) -> None:
        if not self.on:
            return
        now = time.monotonic()
        if done < total and now - self._shown < 0.1:
            return
        self._shown = now
        line = f"teisite: {what} {done:,}/{total:,}"
        print("\r" + line.ljust(self._width), end="", file=sys.stderr, flush=True)
        self._width = len(line)

    def done(self) -> None:
        if self.on and self._width:
            print("\r" + " " * self._width + "\r", end="", file=sys.stderr, flush=True)
        self._width = 0


def _unchanged() -> bool:
    return False


def _changed() -> bool:
    return True


def _generated_records(collector: Collector, content: str, url: str) -> list:
    """A generated page's records, from its content (what teisite made; the theme adds nothing
    that is searched around a text, an entry or the chronology)."""
    return collector.page_records(content, url, hand_written=False)


@dataclass
class Written:
    """What the last build while serving wrote into the site folder, kept for the next one (a
    dirty build, which writes over the folder instead of emptying it first): the site's shape
    (what every page shows around its own content), each generated page's key (what it was made
    from), each file's hash (of what it holds) and each page's search records."""

    shape: str = ""
    keys: dict = field(default_factory=dict)      # src_uri -> key of a generated page
    hashes: dict = field(default_factory=dict)    # abs_dest_path -> hash of what the file holds
    records: dict = field(default_factory=dict)   # page url -> its search records
    dests: set = field(default_factory=set)       # every file written, by abs_dest_path


class Later:
    """Work done in a thread of its own while serving, so that the browser reloads without waiting
    for it (the search index, the edition's zip); of the jobs of one name asked for while another
    runs, only the newest is done."""

    def __init__(self):
        self._lock = threading.Lock()
        self._jobs: dict[str, Callable[[], None]] = {}
        self._thread: threading.Thread | None = None
        self.idle = threading.Event()  # no build is running
        self.idle.set()

    def submit(self, name: str, job: Callable[[], None]) -> None:
        with self._lock:
            self._jobs[name] = job
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="teisite-later", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            # a job waits while a build runs (both would wait for Python's lock in turn); a
            # lower priority for this thread would be worse: the build waits for the lock it holds
            self.idle.wait()
            with self._lock:
                if not self._jobs:
                    self._thread = None
                    return
                name = next(iter(self._jobs))
                job = self._jobs.pop(name)
            try:
                job()
            except Exception as exc:  # noqa: BLE001 - the server goes on; the next save tries again
                log.error("teisite: %s was not written: %s", name, exc)

    def wait(self) -> None:
        """Until every job asked for is done (no build may run meanwhile)."""
        self.idle.set()  # (a build stopped by Ctrl+C did not say it ended)
        while True:
            with self._lock:
                thread = self._thread
            if thread is None:
                return
            thread.join()


class CompiledTemplates(jinja2.BytecodeCache):
    """The theme's templates compiled once while serving (MkDocs makes a new environment for each
    build, which would compile them again); Jinja2 checks each one's source against its code."""

    def __init__(self):
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


LANGUAGE_NAMES = {"ru": "Русский", "en": "English", "de": "Deutsch", "fr": "Français", "it": "Italiano",
                  "es": "Español", "pl": "Polski", "uk": "Українська", "zh": "中文"}


class TeisiteConfig(Config):
    lang = c.Optional(c.Type(str))            # interface language; default: the theme's
    strict = c.Type(bool, default=True)       # stop the build on any error, not only fatal ones
    templates = c.Optional(c.Type(str))       # the project's templates folder (overrides)
    show_original = c.Type(bool, default=True)  # choice: source reading in the text, or the editors'
    nav = c.Type(bool, default=True)          # make the short navigation when mkdocs.yml has none
    jobs = c.Type(int, default=0)             # processes that render pages at once; 0: one per core
    search = c.Type(bool, default=True)       # teisite's search (Pagefind); false: the theme's
    # the site's interface languages, its own first: each other one is built under <lang>/ (by
    # build.py/teisite build), and every page links to its counterparts
    languages = c.Type(list, default=[])
    cache = c.Type(bool, default=True)        # the build cache in .teisite-cache/ (cache.py)
    # words `check` is not to propose as untagged names, in any of their forms (names.py)
    not_names = c.Type(list, default=[])
    # which problems are reported: codes or families (`entry.`), as with --select/--ignore
    select = c.Type((list, str), default=[])
    ignore = c.Type((list, str), default=[])
    # `mentioned`: only the entries the texts name are published (the others counted once)
    entries = c.Choice(("all", "mentioned"), default="all")
    # files read as TEI but left out of the edition (not TEI, not readable) are not published,
    # but for those these patterns (fnmatch, below docs_dir: `tei/*.xsl`) name
    copy = c.Type(list, default=[])
    # a Dask scheduler's address (`tcp://host:8786`): its workers make the text and entry pages
    # (`pip install teisite[dask]`; the project and the build's folders at the same paths there)
    executor = c.Type(str, default="")


# a hand-written page in another interface language: about.en.md beside about.md
_VARIANT = re.compile(r"(.+)\.([a-z]{2,3})\.md")


def variant_of(src_uri: str, languages: list[str] | None, has) -> tuple[str, str] | None:
    """(the page, the language) when src_uri is a variant in one of the interface's languages of
    a page that exists (`has(path)`): `about.en.md` of `about.md`."""
    m = _VARIANT.fullmatch(src_uri)
    return (m.group(1) + ".md", m.group(2)) if m and (languages is None or m.group(2) in languages) and \
        has(m.group(1) + ".md") else None


def own_pages(docs: Path, generated: list[str], languages: list[str] = ()) -> list[str]:
    """The project's own Markdown pages (about.md...) for the nav, after teisite's: each by its path,
    so that MkDocs titles it by its heading; a page's language variants (about.en.md) are not
    pages of their own."""
    pages = []
    for p in sorted(docs.rglob("*.md")):
        rel = p.relative_to(docs)
        if variant_of(rel.as_posix(), list(languages), lambda path: (docs / path).is_file()):
            continue
        if rel.as_posix() != "index.md" and rel.parts[0] not in generated and \
                not any(part.startswith((".", "_")) or part == "site" for part in rel.parts):
            pages.append(rel.as_posix())
    return pages


class TeisitePlugin(BasePlugin[TeisiteConfig]):
    """Reads every TEI file below docs_dir, then adds text, index, entry and chronology pages."""

    def __init__(self):
        self.edition: Edition | None = None
        self.renderer: Renderer | None = None  # the last build's: its interface words
        self.pages: PageSet | None = None
        self.diagnostics = Diagnostics()
        self.serving = False
        self.dirs: list[Path] = [DEFAULT_TEMPLATES]  # template folders, the project's first
        self.banner = ""        # while serving: the build's errors, shown on every page
        self.search = None      # the theme's search plugin, when teisite writes its entries
        self.cache: dict = {}   # parsed documents by path, kept across rebuilds while serving
        self.env = None         # the Jinja2 environment, and the template files it was made for
        self.env_key = ""
        self.forms: dict = {}       # what each template reads and writes (render.analyse), for env
        self.tables: dict = {}      # while serving: the model table, words and their findings
        self.page_cache: dict = {}  # rendered pages by their inputs, likewise
        self.frozen = False         # while serving: the first build's documents are frozen (gc)
        self.config_diagnostics = Diagnostics()  # what teisite found in mkdocs.yml before the build
        self.report = True  # while serving, log the build's problems (build.py serve says them itself)
        self.quiet = False  # -q: no progress line on the terminal
        self.progress = Progress()
        self.files: list[Path] = []  # the TEI files read (those left out are not in the edition)
        self.collector: Collector | None = None  # teisite's search records (search.py), if on
        self.indexing: Indexing | None = None  # the index Pagefind is writing (one-off builds)
        self.theme_search = False    # the theme's search plugin is on (teisite's `search: false`)
        # while serving with dirty builds (`teisite serve`, `mkdocs serve --dirty`): a page whose
        # output did not change is neither made nor written again (see on_nav and on_post_page)
        self.dirty = False
        self.written = Written()     # what the last build wrote
        self._next = Written()       # what this build writes, kept by on_post_build
        self._ours: dict[str, str | None] = {}  # src_uri -> None (a page) or its content's hash
        self._streamed: set[str] = set()  # pages a one-off build makes and writes itself (stream)
        self._streamed_n = 0         # of them, made by this process
        self._writing = False        # a streamed page is being put into the theme's page
        self._nav = None             # MkDocs' navigation, for the streamed pages
        self._documents_written: dict = {}  # while serving: each text's own files last written
        self._writer: tuple | None = None  # what write_page needs of MkDocs (ready_to_write)
        self.plan = None             # how `teisite build` configured this build (commands.Plan)
        self.remote = False          # this is a Dask worker's copy of the build (remote.py)
        self._files_dir: tempfile.TemporaryDirectory | None = None  # a one-off build's made files
        self._urls: list[str] = []   # the pages of this build, by url, in order
        self.pages_written = 0       # pages this build wrote
        self.later = Later()         # while serving: the search index and the zip, after the reload
        self.compiled = CompiledTemplates()
        self._later: list[tuple[str, Callable[[], None]]] = []  # this build's jobs for `later`
        self._deferred: set[str] = set()  # the files they write, by abs_dest_path
        logging.getLogger("mkdocs.commands.build").addFilter(self._quiet_skips)
        self.cache_dir: Path | None = None  # the build cache's folder, when the command knows it
        self.disk = None  # the build cache of a one-off build (cache.py)
        # the published versions (versions.py): set by build.py for a build of one version at
        # v/<n>/; found by this plugin in a build of the current sources
        self.versions: Versions | None = None
        self.published: list[Published] = []
        self.lost: dict[str, Lost] = {}  # what the current sources lack of each old version

    def on_startup(self, command, dirty):
        # defining on_startup keeps this plugin object alive across `serve` rebuilds
        self.serving = command == "serve"
        self.dirty = self.serving and dirty
        self.written = Written()
        self._documents_written = {}
        self.progress.on = sys.stderr.isatty() and not self.quiet and not self.serving
        self.pages_total = 0
        if self.serving:
            # Python's collector would look through everything kept for rebuilds (~0.4 s for
            # 1,000 documents) at some point of every rebuild: while serving, it runs after each
            # build instead, once the browser has been told to reload (on_post_build)
            gc.disable()
        else:
            gc.enable()
            self.cache.clear()
            self.page_cache.clear()
            self.tables.clear()

    @property
    def jobs(self) -> int:
        """Processes that load files and render pages at once in a one-off build."""
        return self.config.jobs or len(os.sched_getaffinity(0))

    def codes(self) -> CodeFilter:
        """Which problems this build reports (the plugin's `select` and `ignore`)."""
        return CodeFilter(tuple(split_codes(self.config.select)), tuple(split_codes(self.config.ignore)))

    def template_dirs(self, config) -> list[Path]:
        dirs = []
        if self.config.templates:
            dirs.append(Path(config.config_file_path or ".").parent / self.config.templates)
        return list(dict.fromkeys([d.resolve() for d in dirs if d.is_dir()] + [DEFAULT_TEMPLATES]))

    @staticmethod
    def tei_files(config) -> list[Path]:
        """The TEI files below docs_dir, but for those mkdocs.yml's `exclude_docs` leaves out."""
        docs = Path(config.docs_dir)
        files = find_tei_files(docs)
        if config.exclude_docs:
            files = [p for p in files if not config.exclude_docs.match_file(p.relative_to(docs).as_posix())]
        return files

    def left_out(self) -> list[Path]:
        """The files read that are not in the edition (not TEI, or not readable)."""
        kept = {d.path for d in self.edition.documents} if self.edition is not None else set()
        return [p for p in self.files if p not in kept]

    def load(self, config) -> Diagnostics:
        """Read the model table and every TEI file; keep the edition when nothing is fatal."""
        lang = self.config.lang or config.theme.get("language") or "en"
        self.dirs = dirs = self.template_dirs(config)
        diags = Diagnostics()
        diags.extend(self.config_diagnostics)
        files_key = _files_key(dirs)
        # while serving, the table and the words are read again only when a template file changed
        tables_key = (files_key, lang, self.config.show_original)
        made = self.tables.get(tables_key)
        if made is None:
            found = Diagnostics()
            check_contract(dirs, DEFAULT_TEMPLATES, found)
            # the shipped table first, the project's merged on top (dirs has the project's first)
            table_paths = [d / "models.yml" for d in reversed(dirs) if (d / "models.yml").exists()]
            table = load_table(table_paths, behaviour_names(dirs, found), found)
            table.show_original = self.config.show_original  # the walk decides which reading is shown
            table.lang = lang  # and which language of a note written in several
            missing = missing_words(dirs, lang) if lang != "en" else []
            if missing:
                where = config.config_file_path or config.docs_dir
                found.warning(where, 1, 1, f"the interface's language `{lang}` has no words for {len(missing)} "
                              f"of teisite's keys, which are shown in English: {', '.join(missing)}; give them "
                              f"in the project's templates/i18n.yml (`key: {{{lang}: …}}`; `teisite eject "
                              "i18n.yml` copies teisite's)", "config.lang")
            made = (table, load_words(dirs, lang), found)
            self.tables = {tables_key: made} if self.serving else {}
        table, words, found = made
        diags.extend(found)
        # loading makes many objects and little cyclic garbage: the collector, which would
        # look through all of them again and again as they grow, waits until it is done
        if not self.serving:
            gc.unfreeze()  # what an earlier build in this process froze may be garbage now
        collecting = gc.isenabled()
        gc.disable()
        try:
            # MkDocs keeps this object for the whole process: caches only serve `serve`'s rebuilds
            self.files = files = self.tei_files(config)
            self.disk = open_for(self, config)
            edition = load_edition(Path(config.docs_dir), table, lang, files=files,
                                   cache=self.cache if self.serving else None,
                                   shed=not self.serving, jobs=self.jobs, disk=self.disk,
                                   progress=partial(self.progress, "reading documents")
                                   if self.progress.on else None,
                                   mentioned_only=self.config.entries == "mentioned")
        finally:
            if collecting:
                gc.enable()
        diags.extend(edition.diagnostics)
        if not self.serving:
            edition.compact()  # a rebuild while serving reads the registers in the trees again
            # the edition lives until the build ends: the collector need not look at it again,
            # nor page workers copy the memory it would touch in doing so
            gc.freeze()
        elif not self.frozen:
            # the documents the first build reads stay while serving (most never change), and a
            # full collection looking through them took half a second of a rebuild now and then;
            # nothing else is alive yet, so nothing frozen here becomes cyclic garbage later
            gc.freeze()
            self.frozen = True
        self.diagnostics = diags
        self.edition = edition
        # the compiled templates are kept across rebuilds until a template file is added,
        # changed or removed (an added one may override a shipped one)
        if self.env is None or self.env_key != files_key:
            self.env, self.env_key = make_env(dirs), files_key
            self.forms = {}
        env = self.env
        renderer = self.renderer = Renderer(edition, env, words, forms=self.forms)
        self.published, self.lost = [], {}
        if self.versions is None and config.config_file_path:
            # the current sources: their versions, and the anchors a published one would lose
            self.published = find_versions(Path(config.config_file_path).parent, Path(config.docs_dir),
                                           edition, diags)
            now = current_anchors(edition) if len(self.published) > 1 else {}
            self.lost = {v.n: lost(v, table, now, diags) for v in self.published[1:]}
            # CITATION.cff and .zenodo.json beside mkdocs.yml, when there, say what the header says
            stale(Path(config.config_file_path).parent, edition, config.site_url or "", diags)
        # rendered pages are kept only while serving: a one-off build would just hold them in memory
        # (a page of one version is not that of another)
        self.pages = PageSet(edition, renderer, config, self.page_cache if self.serving else None,
                             files_key + repr(sorted(self.config.items()))
                             + repr(self.versions or self.published))
        self.pages.site.disk = page_store(self.disk, edition, dirs)
        return diags

    def on_config(self, config):
        self.later.idle.clear()  # set again when the build ends (on_post_build, on_build_error)
        # build.py says this located in mkdocs.yml before the build; `mkdocs build` learns it here
        for keys, message in offline_problems(config.theme.name, config.theme.get("font"),
                                              config.extra_css, config.extra_javascript, config.extra):
            raise PluginError(f"teisite: {'.'.join(map(str, keys))}: {message}")
        diags = self.load(config)
        self.add_language_switch(config)
        # the edition's version (its first text's editionStmt) in every page's footer
        versioned = next((d.meta for d in self.edition.texts if d.meta.get("version")), None) \
            if self.edition is not None else None
        t = self.renderer.t if self.renderer is not None else (lambda key: key)
        config.extra["teisite_version"] = {
            "version": versioned["version"], "date": versioned["version_date"], "word": t("version"),
            "changes": t("changes")} if versioned else None
        versions = self.versions or (Versions(self.published[0].n, self.published[0].n, self.published)
                                     if self.published else None)
        config.extra["teisite_versions"] = versions
        # from this build's root to the whole site's, where v/ is: a version's (v/<n>/), another
        # language's (<lang>/), or this one
        own = str(self.config.languages[0]) if self.config.languages else ""
        config.extra["teisite_site_root"] = "../../" if self.versions is not None else \
            "../" if own and (self.config.lang or own) != own else ""
        if config.extra["teisite_version"] and versions is not None:
            config.extra["teisite_version"]["old"] = versions.old
            config.extra["teisite_version"]["current"] = versions.current
            config.extra["teisite_version"]["banner"] = t("version_old").format(this=versions.this,
                                                                                current=versions.current)
            config.extra["teisite_version"]["to_current"] = t("version_to_current")
        if not config.site_url and config.config_file_path and not self.serving:
            diags.warning(config.config_file_path, 1, 1, "no site_url: the sitemap, canonical links and "
                          "the citations' URLs need the address the site will have; add `site_url: "
                          "https://…/`", "config.site-url")
        diags.keep_only(self.codes())  # --select/--ignore, or the plugin's select/ignore
        if diags.blocking(self.config.strict):
            if not self.serving:
                raise BuildError(diags)
            # while serving, a markup error must not stop the server: say it, and show it on pages
            for d in diags.sorted() if self.report else ():
                {"error": log.error, "info": log.info}.get(d.severity, log.warning)(str(d))
        self.banner = self.pages.errors_banner(diags) if self.serving and diags.errors else ""
        # theme overrides and assets come with teisite, so a bare folder of TEI gets them too
        for d in reversed(self.dirs):
            if (d / "overrides").is_dir():
                config.theme.dirs.insert(0, str(d / "overrides"))
        config.extra_css.insert(0, "assets/teisite/teisite.css")
        config.extra_javascript.insert(0, "assets/teisite/teisite.js")
        # Material's search would parse every generated page's HTML again (half of a build's time);
        # teisite knows each page's text already and gives the index one entry per passage
        search = config.plugins.get("material/search") or config.plugins.get("search")
        if self.config.search:  # Pagefind instead of the theme's search (search.py)
            self.collector = search_setup(config, search, self.pages.site.renderer.words)
            # pages made ahead of time (a one-off build's workers) come with their records
            self.pages.records_of = partial(_generated_records, self.collector)
            search = None
        # the theme's search indexes the pages it is shown: a dirty build must make them all
        self.theme_search = search is not None
        self.search = search if hasattr(getattr(search, "search_index", None), "entries") else None
        if self.search is not None and isinstance(getattr(search.search_index, "config", None), dict):
            index = search.search_index
            index.generate_search_index = partial(_utf8_search_index, index, index.generate_search_index)
        if config.nav is None and self.config.nav:
            config.nav = self.pages.nav() + own_pages(Path(config.docs_dir), self.pages.folders(),
                                                 [str(x) for x in self.config.languages])
        # generated pages are reached from the indexes, not the sidebar: say so, or MkDocs lists them
        user = [p.pattern for p in config.not_in_nav.patterns if p.pattern] if config.not_in_nav else []
        config.not_in_nav = GitIgnoreSpec.from_lines(user + [f"/{f}/" for f in self.pages.folders()])
        return config

    def add_language_switch(self, config) -> None:
        """With several interface languages, Material's language switch, each language's link
        leading to the same page in that language (partials/alternate.html)."""
        languages = [str(x) for x in self.config.languages]
        if len(languages) < 2 or config.extra.get("alternate"):
            return
        here = self.config.lang or config.theme.get("language") or languages[0]
        own = languages[0]
        def root(lang: str) -> str:  # another language's root, from this build's
            if lang == here:
                return ""
            return ("../" if here != own else "") + ("" if lang == own else f"{lang}/")
        config.extra["alternate"] = [{"name": LANGUAGE_NAMES.get(x, x), "link": root(x), "lang": x}
                                     for x in languages]

    def language_variants(self, files: Files, config) -> None:
        """`about.en.md` beside `about.md` is the page about/ of the English interface (built under
        en/), in no build a page of its own: the interface's pages in its language."""
        here = self.config.lang or config.theme.get("language") or ""
        for f in list(files):
            # any language's (a published version is built in the edition's language only)
            found = variant_of(f.src_uri, None, lambda path: files.get_file_from_path(path) is not None)
            if found is None:
                continue
            files.remove(f)
            if found[1] == here:
                files.get_file_from_path(found[0]).content_string = f.content_string

    def on_files(self, files: Files, config) -> Files:
        assert self.pages is not None
        docs = Path(config.docs_dir)
        for path in self.left_out():  # not in the edition: not copied as if it were one of its files
            rel = path.relative_to(docs).as_posix()
            left = files.get_file_from_path(rel)
            if left is not None and not any(fnmatch(rel, p) for p in self.config.copy):
                files.remove(left)
        self.language_variants(files, config)
        self._ours = {}
        self._later = []
        self._deferred = set()
        for src_uri, markdown in self.pages.sources(has_index=files.get_file_from_path("index.md")
                                                     is not None, own_search=self.search is not None):
            files.append(File.generated(config, src_uri, content=markdown))
            self._ours[src_uri] = None
        # a text's own files (DTS: tens of thousands in a large edition, too many to be MkDocs'
        # files) are written straight into the site: a one-off build's with the text's page, in
        # the workers (stream); while serving, here, those of the texts that changed
        self.pages.site.streaming_to = config.site_dir
        if self.serving:
            self.write_document_files()
        try:  # (a Dask worker's copy of the build makes pages only)
            extra = [] if self.remote else self.pages.files()
        except TemplateError as exc:
            if not self.serving:
                raise  # build.py reports it, located, and writes nothing
            extra = []  # while serving, the pages say where the template fails
            for d in template_problem(exc).sorted():
                log.error(str(d))
        for src_uri, content in extra:
            if callable(content):  # made when it is written (the zip, while serving)
                if self.dirty:  # after the build (keep_written)
                    path = Path(config.site_dir) / src_uri
                    self._later.append((src_uri, partial(self.write_later, path, content)))
                    self._deferred.add(str(path))
                    continue
                content = content()
                if content is None:
                    continue
            if self.serving:
                files.append(File.generated(config, src_uri, content=content))
            else:  # it waits in a file until MkDocs copies it, not in memory to the end of the build
                files.append(File.generated(config, src_uri, abs_src_path=self.spool_file(src_uri, content)))
            self._ours[src_uri] = text_digest(content) if self.dirty else ""
        if self.serving:  # made of the texts' own files, written above
            site_dir = Path(config.site_dir)
            for src_uri, content in self.pages.made_after(lambda name: (site_dir / name).read_bytes()).items():
                files.append(File.generated(config, src_uri, content=content))
                self._ours[src_uri] = text_digest(content) if self.dirty else ""
        elif not self.remote:  # made after the streamed pages (on_env)
            for src_uri in self.pages.after_stream():
                files.append(File.generated(config, src_uri, abs_src_path=self.spool_file(src_uri, b"")))
        for asset in ("teisite.css", "teisite.js") + (("search.js", "search.css") if self.collector else ()):
            path = next(d / "assets" / asset for d in self.dirs
                        if (d / "assets" / asset).exists())
            files.append(File.generated(config, f"assets/teisite/{asset}", abs_src_path=str(path)))
        extra = content = None  # (in their files by now, in a one-off build)
        # a one-off build makes and writes these pages itself, in workers, once MkDocs knows the
        # whole site (on_env); while serving, MkDocs asks for each, and most come from the cache
        self._streamed = set() if self.serving else set(self.pages.streamed())
        return files

    def write_document_files(self) -> None:
        """While serving: each text's own files (PageSet.document_files) written into the site
        when their content changed since the last build (a dirty build writes over the last
        site), those the text no longer has removed."""
        if not self.dirty:  # (the site folder was emptied)
            self._documents_written = {}
        written, self._documents_written = self._documents_written, {}
        for doc in self.edition.texts:
            made = self.pages.document_files(doc)
            self._documents_written[doc.slug] = made
            old = written.pop(doc.slug, None)
            if old is made:  # (the cache's own object when unchanged)
                continue
            for path, data in made.items():  # those whose content changed (a register's edit
                if old is None or old.get(path) != data:  # remakes every text's)
                    write_atomic(Path(self.pages.site.streaming_to) / path, data)
            for path in set(old or ()) - set(made):  # a unit gone
                (Path(self.pages.site.streaming_to) / path).unlink(missing_ok=True)
        for old in written.values():  # a text gone
            for path in old:
                (Path(self.pages.site.streaming_to) / path).unlink(missing_ok=True)

    def shape(self, nav, config) -> str:
        """What every page shows around its own content: mkdocs.yml, the templates and theme, the
        navigation (with the hand-written pages it titles by their headings), the interface's
        words and options, the errors' banner. When it changes, every page is made again."""
        def items(xs):
            return [(type(x).__name__, x.title, getattr(x, "url", None), items(x.children or [])
                     if getattr(x, "children", None) else None) for x in xs]
        own = [(p.file.src_uri, text_digest(p.file.content_bytes)) for p in nav.pages
               if p.file.src_uri not in self._ours and p.file.abs_src_path]
        yml = Path(config.config_file_path) if config.config_file_path else None
        return text_digest(repr((
            yml.read_bytes() if yml and yml.is_file() else b"", self.env_key,
            _files_key(_own_dirs(config.theme.dirs)), dict(config.theme),
            json.dumps(config.extra, sort_keys=True, default=str, ensure_ascii=False),
            [str(x) for x in config.extra_css], [str(x) for x in config.extra_javascript],
            config.site_url, config.site_name, self.banner, items(nav.items), own)))

    def on_nav(self, nav, config, files):
        self.pages_total = len(files.documentation_pages())
        self._nav = nav
        return self._on_nav(nav, config, files)

    def _on_nav(self, nav, config, files):
        """In a dirty build: which files are unchanged (MkDocs neither makes nor writes those).
        A generated page is unchanged when its key is the one it was last written with and the
        site's shape is the same; a generated file, when its content's hash is; a hand-written
        page is always made again (it is cheap, and its heading may title it in the nav), and
        written only when its output changed (on_post_page). MkDocs' own files (the TEI copied,
        the theme's assets) it judges itself, by their times."""
        self._next = Written()
        if not self.dirty or self.pages is None:
            return nav
        self._next.shape = shape = self.shape(nav, config)
        same_shape = shape == self.written.shape and not self.theme_search
        for f in files:
            if f.src_uri not in self._ours:
                if f.is_documentation_page():
                    f.is_modified = _changed
                continue
            dest = f.abs_dest_path
            content_hash = self._ours[f.src_uri]
            if content_hash is None:  # a page
                key = self.pages.key(f.src_uri)
                if key is not None:
                    self._next.keys[f.src_uri] = key
                same = same_shape and key is not None and self.written.keys.get(f.src_uri) == key
            else:  # a file (a download, the map's base...)
                self._next.hashes[dest] = content_hash
                same = self.written.hashes.get(dest) == content_hash
            if same and os.path.exists(dest):
                f.is_modified = _unchanged
                self._next.hashes.setdefault(dest, self.written.hashes.get(dest))
        return nav

    def write_later(self, path: Path, make: Callable[[], bytes]) -> None:
        """A file made and written after the reload, unless it holds that already."""
        content = make()
        if content is None:
            return
        h = text_digest(content)
        if self.written.hashes.get(str(path)) != h or not path.exists():
            write_atomic(path, content.encode("utf-8") if isinstance(content, str) else content)
            self.written.hashes[str(path)] = h

    def on_env(self, env, config, files):
        if self.serving:
            env.bytecode_cache = self.compiled
        self.pages_written = 0
        self._urls = [f.page.url for f in files.documentation_pages() if f.page is not None
                      and f.src_uri != "404.md"]
        if self.dirty:
            self._next.dests = {f.abs_dest_path for f in files if f.inclusion.is_in_serve()}
            self._next.dests |= self._deferred
            for dest in self._deferred:
                self._next.hashes.setdefault(dest, self.written.hashes.get(dest))
        if self.remote:  # a Dask worker's copy of the build: it makes the pages it is given
            self.ready_to_write(env, config, files)
            return env
        if self.collector is not None:
            self.collect(files)
        if self._streamed:
            self.stream(env, config, files)
        if self.collector is not None and not self.dirty:
            # Pagefind indexes while MkDocs writes the other pages (on_post_build waits)
            self.indexing = self.collector.start(Path(config.site_dir), self.search_lang())
        return env

    def stream(self, env, config, files) -> None:
        """A one-off build's text and entry pages (PageSet.stream), each made, put into the
        theme's page by MkDocs' own `_build_page` (the page MkDocs would write, byte for byte)
        and written by the process that made it, its search records beside: forked workers of
        this process, or the workers of a Dask cluster (the `executor` option, remote.py). MkDocs
        then writes nothing for them (their template, teisite-written.html, is empty)."""
        self.ready_to_write(env, config, files)
        folder = self.collector.open(self.search_lang()) if self.collector is not None else None
        trees.give_back_memory()  # what loading and the downloads freed, before the workers fork
        progress = partial(self.progress, "making pages") if self.progress.on else None
        if self.config.executor:
            facets = self.stream_remote(folder, progress)
        else:
            facets = self.pages.stream(partial(self.stream_batch, folder=folder), self.jobs, progress)
        if folder is not None:
            folder.facets.update(facets)
        for src in self._streamed:
            files.get_file_from_path(src).page.meta["template"] = WRITTEN
        site_dir = Path(config.site_dir)
        for name, data in self.pages.made_after(lambda name: (site_dir / name).read_bytes()).items():
            # into the files MkDocs was told of (on_files), which it copies into the site next
            Path(files.get_file_from_path(name).abs_src_path).write_bytes(data)
        trees.give_back_memory()  # what this process's own share of the pages freed

    def stream_remote(self, folder, progress) -> Facets:
        """The streamed pages made on the Dask cluster at `executor` (`pip install teisite[dask]`),
        whose workers see the project and the build's folders at the same paths."""
        try:
            from distributed import Client
        except ImportError:
            raise PluginError("teisite: `executor` needs Dask's distributed: pip install "
                              "'teisite[dask]' (or leave the option out to build on this machine)")
        from .remote import make_batch
        if self.plan is None:
            raise PluginError("teisite: `executor` works with `teisite build` (build.py build), "
                              "which tells the cluster's workers how the site is configured")
        try:
            client = Client(self.config.executor)
        except (OSError, TimeoutError) as exc:
            raise PluginError(f"teisite: the Dask scheduler at {self.config.executor} did not answer "
                              f"({exc}); start it (`dask scheduler`, and workers), or build on this "
                              "machine without `executor`") from exc
        with client:
            executor = client.get_executor()
            submit = partial(executor.submit, make_batch, self.plan, records=folder.path if folder else None,
                             lang=folder.lang if folder else "")
            return self.pages.stream(None, 0, progress, submit=submit)

    def ready_to_write(self, env, config, files) -> None:
        """What write_page needs of MkDocs: the configuration, the pages, the navigation and the
        theme's environment, as they are when MkDocs writes pages (on_env)."""
        from mkdocs.structure.files import InclusionLevel
        self._writer = (config, files.documentation_pages(inclusion=InclusionLevel.is_included),
                        self._nav, env, files)

    def write_page(self, src: str, html: str, head: str) -> None:
        """A streamed page, made here, put into the theme's page and written (MkDocs' _build_page,
        with every plugin's on_page_context and on_post_page)."""
        from mkdocs.commands.build import _build_page
        config, doc_files, nav, env, files = self._writer
        page = files.get_file_from_path(src).page
        page.content, page.meta["teisite_head"] = self.banner + html, head
        self._writing = True  # (on_page_context, on_post_page: a page written here)
        try:
            _build_page(page, config, doc_files, nav, env)
        finally:
            self._writing = False
            page.content = None
            del page.meta["teisite_head"]
        # nothing of the page stays: glibc would keep what it freed, and a worker grow
        self._streamed_n += 1
        if self._streamed_n % 64 == 0:
            trees.give_back_memory()

    def stream_batch(self, srcs: list[str], folder: RecordFolder | None) -> Facets:
        """Streamed pages made and written by this process, their search records into folder."""
        return self.pages.make_and_write(srcs, self.write_page, folder)

    def collect(self, files) -> None:
        """Every page's search records, once MkDocs has every page's content (and before it
        renders them through the theme): made with the page by a worker, or read from its
        content (kept while serving, and in the build cache, by the content's digest). A page
        MkDocs did not make again (a dirty build's) keeps its last records (keep_written)."""
        site = self.pages.site
        for f in files.documentation_pages():
            page = f.page
            if page is None or page.content is None or f.src_uri == "404.md" \
                    or f.src_uri in self._streamed:  # (their records come with them: stream)
                continue
            records = None
            if not self.pages.searched(f.src_uri):
                records = []  # a further page of an entry: the entry is found on its first
            if records is None:
                content = page.content.removeprefix(self.banner)
                hand_written = f.generated_by is None
                title = (page.title or "") if hand_written else ""
                name, key = f"search/{page.url or 'index'}", ("content", text_digest(content), title)
                make = partial(self.collector.page_records, content, page.url, hand_written, title)
                records = site.cached(name, key, partial(site.on_disk, name, key, make))
            self.collector.records.extend(records)
            self._next.records[page.url] = records

    def on_serve(self, server, config, builder):
        for d in self.dirs:
            server.watch(str(d))
        return server

    def on_page_content(self, html: str, page, config, files):
        assert self.pages is not None
        if page.file.src_uri in self._streamed:
            return ""  # made and written later, by whichever process makes it (on_env)
        problem = None
        try:
            made = self.pages.render(page.file.src_uri)
        except TemplateError as exc:
            if not self.serving:
                raise  # build.py reports it, located, and writes nothing
            # while serving, a template being edited must not stop the server: say where it fails
            problem = template_problem(exc)
            for d in problem.sorted():
                log.error(str(d))
            made = (self.pages.errors_banner(problem), "")
        if made is not None:
            html, page.meta["teisite_head"] = made
            if problem is not None:
                self._next.keys.pop(page.file.src_uri, None)  # made again next time
        return self.banner + html

    def on_page_context(self, context, page, config, nav):
        # (a page written by a worker: its search entries go in when MkDocs passes it by)
        if self.search is not None and self.pages is not None and not self._writing:
            self.search.search_index.entries.extend(self.pages.search_entries(page.file.src_uri,
                                                                               page.url))
        return context

    @event_priority(-100)  # last: what it returns is what MkDocs writes
    def on_post_page(self, output: str, page, config):
        if self._writing:  # a streamed page, written by the process that made it (stream)
            return output
        if self.dirty:
            dest = page.file.abs_dest_path
            self._next.hashes[dest] = h = text_digest(output)
            if self.written.hashes.get(dest) == h and os.path.exists(dest):
                # the file holds this page already: MkDocs writes no page whose output is empty
                return ""
        self.pages_written += 1
        self.progress("writing pages", self.pages_written, self.pages_total)
        if not self.serving:  # written: its HTML need not wait for the end of the build
            page.content = None
            page.meta.pop("teisite_head", None)
            if self.pages_written % 64 == 0:  # glibc keeps what the pages freed, else
                trees.give_back_memory()
        return output

    def _quiet_skips(self, record: logging.LogRecord) -> bool:
        """MkDocs says at INFO that it skipped a page whose output was empty: on_post_page's
        unchanged pages are not news."""
        return not ((self.dirty or self._streamed) and record.getMessage().startswith("Page skipped: "))

    def on_post_build(self, config):
        self.progress.done()
        self.later.idle.set()
        self.drop_spooled()  # copied into the site by now
        if self.dirty:
            self.keep_written(config)
        elif self.indexing is not None:
            self.let_go()
            indexing, self.indexing = self.indexing, None
            log.info("teisite: search index of %d records", indexing.finish())
        if not self.serving:
            gc.unfreeze()  # the edition frozen by load() may go with the build
        else:  # the last build's garbage (after the search index and the zip: see on_startup)
            self.later.submit("garbage", gc.collect)
        if self.edition is not None:
            log.info("teisite: %d documents, %d entries, %d mentions",
                     len(self.edition.texts), len(self.edition.entries), self.edition.mention_count)

    def spool_file(self, src_uri: str, content: str | bytes) -> str:
        """A one-off build's file (a download, the zip...) written to a temporary folder, whence
        MkDocs copies it into the site (the folder goes with the build)."""
        if self._files_dir is None:
            self._files_dir = tempfile.TemporaryDirectory(prefix="teisite-files-")
        path = Path(self._files_dir.name) / src_uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return str(path)

    def drop_spooled(self) -> None:
        if self._files_dir is not None:
            self._files_dir.cleanup()
            self._files_dir = None

    def let_go(self) -> None:
        """After the pages of a one-off build, while the search index is being written (its
        indexer runs beside this process): the decoded base map need not stay in memory, and the
        memory freed while making the pages goes back to the system (glibc keeps it: most of this
        process's size)."""
        from .maps import _topology
        _topology.cache_clear()
        trees.give_back_memory()

    def search_lang(self) -> str:
        """Words are stemmed in the texts' language when they share one (a German corpus is
        searched as German whatever the interface's language), else the interface's."""
        langs = {d.lang.split("-")[0] for d in self.edition.texts if d.lang} if self.edition else set()
        return langs.pop() if len(langs) == 1 else self.collector.lang

    def keep_written(self, config) -> None:
        """After a dirty build: files of the last build this one no longer has are removed; the
        search index is written again (in a thread) when a page's records changed; what was
        written is kept for the next build."""
        old, new = self.written, self._next
        for dest in old.dests - new.dests:
            Path(dest).unlink(missing_ok=True)
        new.hashes = {d: h for d, h in new.hashes.items() if d in new.dests and h is not None}
        self.written = new
        for name, job in self._later:  # after: they keep what they write in self.written
            self.later.submit(name, job)
        if self.collector is not None:
            records = {url: new.records.get(url, old.records.get(url, [])) for url in self._urls}
            new.records = records
            if records != old.records or not (Path(config.site_dir) / "pagefind").is_dir():
                self.collector.records = [r for rs in records.values() for r in rs]
                self.later.submit("the search index", partial(  # last: the longest
                    self.write_index, self.collector, Path(config.site_dir), self.search_lang()))
            self.collector = None  # the thread's now; on_config makes the next build's

    def on_build_error(self, error):
        self.progress.done()
        # a build that failed half-way wrote some files and not others: the next makes them all
        self.written = Written()
        self._documents_written = {}
        self.later.idle.set()
        self.drop_spooled()
        if self.indexing is not None:
            self.indexing.stop()
            self.indexing = None
        if self.serving:
            self.later.submit("garbage", gc.collect)

    @staticmethod
    def write_index(collector: Collector, site_dir: Path, lang: str) -> None:
        n = collector.write(site_dir, lang)
        log.info("teisite: search index of %d records", n)

    def on_shutdown(self):
        self.later.wait()
        self.versions = None  # (MkDocs keeps one plugin object for every build of the process)
