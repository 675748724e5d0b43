"""The site's search: a Pagefind record per document's text, per document's notes, per register
entry, per document's chronology rows and per hand-written page, each read from its page's HTML as
the reader sees it; a record's sections are the places a result leads to (passages, verse lines,
cells, speeches, letter parts, notes, rows), at the anchors the walk gave them (models.yml's
`anchor: unit`). The chunked index is written at the end of the build (the browser loads only
the pieces a query needs)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html
from markupsafe import escape

# what a text page holds that is not the text a reader reads (numbers, buttons, hidden helpers,
# the readings of an apparatus, shown only on hover)
SKIP_CLASSES = {"passage-n", "noteref", "cite-button", "note-back", "note-kind", "visually-hidden",
                "app-rdgs", "ts-icons", "headerlink"}
SKIP_TAGS = {"script", "style", "template", "button", "svg", "dialog", "noscript"}
# elements whose end is a word's end (a line break, a block): their text is not joined to the next
BREAKS = {"br", "div", "p", "li", "td", "th", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section",
          "table", "ul", "ol", "dd", "dt", "figure", "figcaption", "blockquote", "hr"}
_YEAR = re.compile(r"^(-?\d{4})")
# Russian as written before 1918 (diplomatic editions keep it), as a reader types it: ѣ is е,
# і, ї and ѵ are и, ѳ is ф, and a word's final ъ goes. The index of Russian texts holds the folded
# words (Pagefind stems them), search.js folds the query alike and shows the words as written.
FOLDED_LANGS = frozenset({"ru"})
_OLD_LETTERS = str.maketrans("ѣѢіІїЇѵѴѳѲ", "еЕиИиИиИфФ")
_FINAL_HARD_SIGN = re.compile(r"(?<=[^\W\d_])[ъЪ](?![^\W\d_])")


def fold_old_spelling(text: str) -> str:
    """Pre-reform Russian letters as modern ones, word for word (no word is lost, so the k-th word
    of the folded text is the k-th of the text): «Ѳедоръ» is «Федор»."""
    return _FINAL_HARD_SIGN.sub("", text.translate(_OLD_LETTERS))


@dataclass
class Section:
    """A place a reader can be led to: a passage, line, cell, letter part, note, entry or
    chronology row; `anchor` is its id on the page ("" for the page itself)."""
    anchor: str
    label: str
    parts: list = field(default_factory=list)
    years: set = field(default_factory=set)
    owner: object = field(default=None, repr=False, compare=False)  # see _put

    @property
    def content(self) -> str:
        return " ".join("".join(self.parts).split())


@dataclass
class Record:
    """One Pagefind page: a document's text, its notes, an entry, a document's chronology rows
    or a hand-written page; its sections are the results a reader sees (Pagefind's sub-results)."""
    url: str             # the page's URL
    name: str            # the record's own file in the index: text, notes, entry, chronology, page
    title: str
    kind: str            # text, note, entry, chronology or page
    document: str = ""
    sections: list = field(default_factory=list)
    names: str = ""      # an entry's names: weighted above the rest of its text

    def section(self, anchor: str, label: str) -> Section:
        s = Section(anchor, label)
        self.sections.append(s)
        return s

    @property
    def years(self) -> set:
        return {y for s in self.sections for y in s.years}

    @property
    def content(self) -> str:
        return " ".join(s.content for s in self.sections)


def _classes(el) -> set[str]:
    return set((el.get("class") or "").split())


_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})


def _unit_kind(el, cls: frozenset | set = frozenset()) -> str | None:
    """The kind of unit a text page's element is (a result of its own), or None: what its
    template says in `data-unit` (`passage`, `line`, or, for an element whose model has
    `anchor: unit`, its TEI name: a cell when it is one, else a part such as a letter's closer or
    a speech, `sp`), or a heading. Never a class name: a project's own unit is found as ours are."""
    unit = el.get("data-unit")
    if unit:
        if unit == "passage":
            return "passage" if el.get("id") else None
        if unit == "line":
            return "line"
        return "cell" if el.tag in ("td", "th") else "part"
    if el.tag in _HEADINGS:
        return "heading"
    return None


def search_setup(config, theme_search, words: dict) -> Collector:
    """Turns the theme's search off (its box, its index) and tells the header's search box
    (overrides/main.html) and search.js their words; returns the build's collector."""
    if theme_search is not None and hasattr(getattr(theme_search, "config", None), "enabled"):
        theme_search.config.enabled = False
    config.extra["teisite_search"] = {"words": {k: v for k, v in words.items()
                                                if k.startswith("search_")}}
    config.extra_javascript.append("assets/teisite/search.js")
    config.extra_css.append("assets/teisite/search.css")
    lang = (config.theme.get("language") or "en").split("-")[0]
    return Collector(words, lang)


class Collector:
    """Every record of one build, gathered page by page (`page_records`, the plugin's
    `collect`), then written (`start`, or `write`)."""

    def __init__(self, words: dict | None = None, lang: str = "en"):
        self.records: list[Record] = []
        self.words = words or {}
        self.lang = lang
        self.folder: RecordFolder | None = None  # where this build's records are written (open)

    def w(self, key: str, default: str) -> str:
        return self.words.get(key, default)

    def _keep(self, rec: Record, out: list, always: bool = False) -> None:
        """rec into out without its empty sections, if any is left (or `always`)."""
        rec.sections = [s for s in rec.sections if s.content or always]
        for s in rec.sections:
            s.owner = None  # only for collecting (_put); a record may be kept in the build cache
        if rec.sections:
            out.append(rec)

    def page_records(self, page_html: str, url: str, hand_written: bool, title: str = "") -> list[Record]:
        """The records of one page, from its content (the HTML inside the theme's page; none
        for a page that is not searched). A hand-written page is found by its words and its
        title, which the theme shows as its heading when the content has none."""
        out: list[Record] = []
        if 'class="teisite-text' in page_html:
            self._text_page(_parsed(page_html), url, out)
        elif '<article class="entry' in page_html:
            self._entry_page(_parsed(page_html), url, out)
        elif 'class="chronology' in page_html and url.startswith("chronology"):
            self._chronology_page(_parsed(page_html), url, out)
        elif hand_written and page_html.strip():
            content = lxml_html.fragment_fromstring(page_html, create_parent="article")
            h1 = content.find(".//h1")
            if h1 is None and title:
                h1 = lxml_html.Element("h1")
                h1.text = title
                content.insert(0, h1)
            title = _text(h1) or url
            rec = Record(url, "page", title, "page")
            _collect(content, rec, Section("", title), _no_unit)
            self._keep(rec, out)
        return out

    def _text_page(self, root, url: str, out: list) -> None:
        article = root.xpath("descendant-or-self::article[@data-doc]")[0]
        h1 = article.find(".//h1")
        doc = " ".join(((h1.text or "") if h1 is not None else "").split()) or _text(h1)
        rec = Record(url, "text", doc, "text", doc)
        if h1 is not None:
            _collect(h1, rec, Section(h1.get("id") or "", doc), _no_unit)
        body = article.find(".//div[@class='tei-text']")
        counters = {"line": 0, "table": 0}
        state = {"passage": "", "row": 0, "cell": 0}

        def unit(el, cls) -> Section | None:
            kind = _unit_kind(el, cls)
            if kind is None:
                if el.tag == "table":
                    counters["table"] += 1
                    state["row"] = 0
                elif el.tag == "tr":
                    state["row"] += 1
                    state["cell"] = 0
                return None
            anchor = el.get("id")
            if kind == "passage":
                state["passage"] = el.get("data-n") or anchor
                counters["line"] = 0
                where = f"¶{state['passage']}"
            elif kind == "line":
                counters["line"] += 1
                where = (f"¶{state['passage']}, " if state["passage"] else "") + \
                    f"{self.w('search_line', 'line')} {counters['line']}"
            elif kind == "cell":
                state["cell"] += 1
                where = (f"{self.w('search_table', 'table')} {counters['table']}, "
                         f"{self.w('search_row', 'row')} {state['row']}")
            elif kind == "heading":
                where = _text(el)
            else:  # a speech (sp), a part of a letter ...: the word for its TEI name
                where = el.get("data-unit")
                where = self.w(f"search_{where}", where)
            return Section(anchor, where) if anchor else None

        if body is not None:
            _collect(body, rec, Section("", doc), unit)
        self._keep(rec, out)
        notes = Record(url, "notes", doc, "note", doc)
        for li in article.iterfind(".//li"):
            if "note" not in _classes(li) or not li.get("id"):
                continue
            n = li.get("value") or li.get("id")
            _collect(li, notes, Section(li.get("id"), f"{self.w('search_note', 'note')} {n}"),
                     _no_unit)
        self._keep(notes, out)

    def _entry_page(self, root, url: str, out: list) -> None:
        article = root.xpath("//article[contains(concat(' ', @class, ' '), ' entry ')]")[0]
        label = _text(article.find("h1"))
        rec = Record(url, "entry", label, "entry")
        facts = article.find("dl")
        dds = facts.findall("dd") if facts is not None else []
        dts = facts.findall("dt") if facts is not None else []
        variants = [dd for dt, dd in zip(dts, dds) if _text(dt) == self.w("variants", "")]
        rec.names = " ".join([label, *(_text(dd) for dd in variants)])
        entry = Section("", label)
        for part in [*(dd for dd in dds if dd not in variants),
                     article.find("p[@class='entry-description']")]:
            if part is not None:  # the facts' values, not their labels ("Type", "Life")
                _collect(part, rec, entry, _no_unit)
                _put(rec, entry, " ")
        if not rec.sections:
            rec.sections.append(entry)
        self._keep(rec, out, always=True)  # found by its names, even with nothing else to say

    def _chronology_page(self, root, url: str, out: list) -> None:
        """A row is found by its date (as normalised and as written), not by its context, which
        is the passage's, found at the passage. One record per document the rows are from."""
        by_doc: dict[str, Record] = {}
        for tr in root.iterfind(".//tr[@id]"):
            cells = tr.findall("td")
            if not cells:
                continue
            link = tr.find(".//a")
            doc = (_text(tr.find(".//span[@class='doc']")) or "").lstrip("— ").strip()
            if doc not in by_doc:
                by_doc[doc] = Record(url, f"chronology-{len(by_doc) + 1}",
                                     self.w("chronology", "chronology"), "chronology", doc)
            rec = by_doc[doc]
            date = _text(cells[0])
            row = Section(tr.get("id"), f"{self.w('chronology', 'chronology')}: {date}")
            _collect(cells[0], rec, row, _no_unit)
            _put(rec, row, " " + _text(link) if link is not None else "").years.update(_years(tr))
        for rec in by_doc.values():
            self._keep(rec, out)

    def write(self, site_dir: Path, lang: str) -> int:
        """Writes the index into site_dir/pagefind/; returns the number of places it leads to."""
        return self.start(site_dir, lang).finish()

    def open(self, lang: str) -> RecordFolder:
        """The folder the records of this build are written to, by whichever process makes them
        (RecordFolder.add), in the index's language."""
        if self.folder is None:
            self.folder = RecordFolder(tempfile.mkdtemp(prefix="teisite-search-"), lang)
            RUNNING[id(self.folder)] = self.folder
        return self.folder

    def start(self, site_dir: Path, lang: str) -> Indexing:
        """Starts writing the index into site_dir/pagefind/ (Pagefind runs in processes of its
        own, while the build goes on: its finish() waits for it), from the records written to
        the folder so far (open) and those gathered here (`records`).

        Each record is given to Pagefind as a small HTML file at a path beside its page's
        (`texts/x/ts-notes.html` holds the notes of `texts/x/`: search.js turns it back), with a
        heading per section whose id is the section's anchor on the page: Pagefind's sub-results
        are the reader's results. The headings hold no words (a zero-width space), so that a
        label such as «¶3» or «note 5» is never matched; the labels and years of the sections
        are in the filter `units`, which no search loads (Pagefind indexes metadata, not
        filters); only the fragment of a result, which carries its filters, brings them.

        Pagefind's memory grows with the words it indexes (about 30 MB for each MB of records),
        so the records are cut into parts of at most PART_BYTES, indexed one after another, each
        into an index of its own (the first in pagefind/, the others in pagefind/parts/<k>/),
        which search.js merges in the browser (Pagefind's mergeIndex)."""
        folder = self.open(lang)
        folder.facets.update(folder.add(self.records))
        self.records = []
        self.folder = None
        return Indexing(Path(site_dir) / "pagefind", folder)


PART_BYTES = 12 * 2**20  # the records one Pagefind process indexes at most (see Collector.start)


@dataclass
class Facets:
    """What the search's filters offer, summed over records written anywhere (RecordFolder.add)."""
    documents: set = field(default_factory=set)
    years: set = field(default_factory=set)
    kinds: set = field(default_factory=set)
    places: int = 0

    def update(self, other: Facets) -> None:
        self.documents |= other.documents
        self.years |= other.years
        self.kinds |= other.kinds
        self.places += other.places


class RecordFolder:
    """Pagefind's input: one small HTML file per record (_record_html), written by the process
    that made the record; what the filters need comes back as Facets."""

    def __init__(self, path: str, lang: str):
        self.path = path
        self.lang = lang
        self.facets = Facets()

    def add(self, records: list[Record]) -> Facets:
        """Writes the records; their facets (which the build's process adds to `facets`)."""
        made = Facets()
        for r in records:
            f = Path(self.path) / record_path(r.url, r.name)
            f.parent.mkdir(parents=True, exist_ok=True)
            f.write_text(_record_html(r, self.lang), encoding="utf-8")
            if r.document:
                made.documents.add(r.document)
            made.years |= r.years
            made.kinds.add(r.kind)
            made.places += len(r.sections)
        return made

    def parts(self, limit: int | None = None) -> list[Path]:
        """The records moved into parts of at most `limit` bytes (PART_BYTES; a larger record
        is a part of its own), in the order of their paths: folders part-0, part-1… in this one."""
        limit = limit or PART_BYTES
        files = sorted(p for p in Path(self.path).rglob("*.html") if p.is_file())
        parts: list[Path] = []
        size = limit
        for f in files:
            n = f.stat().st_size
            if size + n > limit or not parts:
                parts.append(Path(self.path) / f"part-{len(parts)}")
                size = 0
            size += n
            dest = parts[-1] / f.relative_to(self.path)
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(f, dest)
        return parts

    def remove(self) -> None:
        RUNNING.pop(id(self), None)
        shutil.rmtree(self.path, ignore_errors=True)


class Indexing:
    """An index being written (Collector.start): Pagefind's processes, one part after another,
    in a thread of their own."""

    def __init__(self, out: Path, folder: RecordFolder):
        self.out = out
        self.folder = folder
        facets = folder.facets
        self.facets = {"document": sorted(facets.documents), "year": sorted(facets.years, key=int),
                       "kind": [k for k in ("text", "note", "entry", "chronology", "page")
                                if k in facets.kinds],
                       # search.js folds the query as the index is folded
                       "fold": folder.lang in FOLDED_LANGS}
        self.places = facets.places
        self.process: subprocess.Popen | None = None
        self.failed = ""
        self.stopped = False
        shutil.rmtree(out, ignore_errors=True)
        RUNNING[id(self)] = self
        self._thread = threading.Thread(target=self._run, name="teisite-pagefind", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            parts = self.folder.parts()
            self.facets["parts"] = [f"parts/{k}/" for k in range(1, len(parts))]
            for k, part in enumerate(parts):
                if self.stopped:
                    return
                out = self.out if k == 0 else self.out / "parts" / str(k)
                self.process = subprocess.Popen(
                    [sys.executable, "-m", "pagefind", "--site", str(part), "--output-path", str(out),
                     "--force-language", self.folder.lang],
                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                said, _ = self.process.communicate()
                if self.process.returncode != 0 and not self.stopped:
                    self.failed = f"pagefind failed: {said}"
                    return
                shutil.rmtree(part, ignore_errors=True)  # its words are in the index now
        except Exception as exc:  # noqa: BLE001 - said by finish(), in the build's thread
            self.failed = f"pagefind failed: {exc}"

    def finish(self) -> int:
        """Waits for Pagefind; returns the number of places the index leads to."""
        try:
            self._thread.join()
            if self.failed:
                raise RuntimeError(self.failed)
        finally:
            self.stop()
        if not self.out.is_dir():  # nothing to find (a page that failed while serving, say)
            return 0
        for folder in [self.out, *self.out.glob("parts/*")]:
            for unused in ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js",
                           "pagefind-modular-ui.css", "pagefind-component-ui.js",
                           "pagefind-component-ui.css", "pagefind-highlight.js"):
                (folder / unused).unlink(missing_ok=True)
        (self.out / "teisite-filters.json").write_text(json.dumps(self.facets, ensure_ascii=False),
                                                       encoding="utf-8")
        return self.places

    def stop(self) -> None:
        """Pagefind stopped if it still runs (a build that failed), its records removed."""
        RUNNING.pop(id(self), None)
        self.stopped = True
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._thread.join()
        self.folder.remove()


RUNNING: dict[int, Indexing | RecordFolder] = {}  # indexes being written, record folders: until done


def abandon(remove: Callable[[Path], None]) -> None:
    """Stop every index being written without waiting (`serve` on SIGTERM): Pagefind killed,
    its records' folder handed to `remove` (which removes it in the background)."""
    for running in list(RUNNING.values()):
        RUNNING.pop(id(running), None)
        if isinstance(running, Indexing):
            running.stopped = True
            if running.process is not None and running.process.poll() is None:
                running.process.kill()
            running = running.folder
            RUNNING.pop(id(running), None)
        if Path(running.path).exists():
            remove(Path(running.path))


def record_path(url: str, name: str) -> str:
    """The record's file in the index: `ts-<name>.html` inside the page's folder (`texts/x/`) or
    beside a page that is a file (`about.html/ts-page.html`); search.js strips it again."""
    return (url if url.endswith("/") or not url else url + "/") + f"ts-{name}.html"


_ZWSP = "\u200b"


def _record_html(r: Record, lang: str) -> str:
    fold = fold_old_spelling if lang in FOLDED_LANGS else str
    # a section indexed in folded words keeps its words as written (the third of its unit's
    # values), for search.js to show them in the excerpt
    contents = [(s.content, fold(s.content)) for s in r.sections]
    units = {s.anchor: [s.label, sorted(s.years)] + ([written] if written != folded else [])
             for s, (written, folded) in zip(r.sections, contents)}
    filters = [("kind", r.kind), ("units", json.dumps(units, ensure_ascii=False))] + \
        ([("document", r.document)] if r.document else []) + [("year", y) for y in sorted(r.years)]
    spans = "".join(f'<span data-pagefind-filter="{k}">{escape(v)}</span>' for k, v in filters)
    body = "".join((f'<h2 id="{escape(s.anchor)}">{_ZWSP}</h2>' if s.anchor else
                    f'<h2 id="ts-page">{_ZWSP}</h2>') + f"<p>{escape(folded)}</p>"
                   for s, (_, folded) in zip(r.sections, contents))
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"></head><body>'
            f'<div>{spans}</div><main data-pagefind-body>'
            + (f"<h1>{escape(fold(r.names))}</h1>" if r.names else "")
            + body + "</main></body></html>")


def _parsed(page_html: str):
    """A page (or a page's content) as a tree of plain lxml elements (lxml.html's element
    classes, looked up for each element, cost a sixth of reading a page's records)."""
    return etree.Element("html") if not page_html or page_html.isspace() else etree.fromstring(page_html, _HTML)


_HTML = etree.HTMLParser()


def _text(el) -> str:
    if el is None:
        return ""
    rec = Record("", "", "", "")
    _collect(el, rec, Section("", ""), _no_unit)
    return rec.content


def _years(el) -> set[str]:
    years = set()
    for t in el.iterfind(".//time[@datetime]"):
        m = _YEAR.match(t.get("datetime"))
        if m:
            years.add(str(int(m.group(1))))
    return years


def _no_unit(el, cls) -> None:
    """No element is a unit of its own (an entry, a note, a hand-written page)."""


def _put(rec: Record, owner: Section, text: str = "") -> Section:
    """The section of `rec` that `owner`'s text goes to now: the last one if it is owner's, else
    a new one with owner's anchor (owner's text resumes after a unit inside it ended)."""
    last = rec.sections[-1] if rec.sections else None
    if last is None or last.owner is not owner:
        last = rec.section(owner.anchor, owner.label)
        last.owner = owner
    if text:
        last.parts.append(text)
    return last


def _collect(el, rec: Record, owner: Section, unit) -> None:
    """The text of `el` as a reader reads it, in reading order, into sections of `rec`: owner's
    text into owner's section, a unit inside it (unit(child, its classes) is a Section) into
    its own."""
    if el.tag == "time" and el.get("datetime"):
        m = _YEAR.match(el.get("datetime"))
        if m:
            _put(rec, owner).years.add(str(int(m.group(1))))
    if el.text:
        _put(rec, owner, el.text)
    for child in el:
        tag = child.tag
        if tag.__class__ is not str:  # a comment
            if child.tail:
                _put(rec, owner, child.tail)
            continue
        names = child.get("class")
        cls = frozenset(names.split()) if names else frozenset()
        if tag in SKIP_TAGS or not SKIP_CLASSES.isdisjoint(cls) or child.get("hidden") is not None \
                or child.get("aria-hidden") == "true":
            if child.tail:
                _put(rec, owner, child.tail)
            continue
        own = unit(child, cls)
        if tag in BREAKS:  # a block starts on a line of its own: a word ends before it
            _put(rec, owner, " ")
        _collect(child, rec, own if own is not None else owner, unit)
        if tag in BREAKS:
            _put(rec, owner if own is None else own, " ")
        if child.tail:
            _put(rec, owner, child.tail)
