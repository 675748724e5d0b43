"""The MkDocs plugin across rebuilds (as under `serve`): what a rebuild shows, and that it reads and
renders again only what changed; pages made by workers in a one-off build."""

from __future__ import annotations

import json
import logging
import os
import re
import time
from pathlib import Path
from typing import Self

import jinja2
import pytest
from mkdocs.commands.build import build as mkdocs_build

from teisite import workers
from teisite.commands import build
from teisite.generators import EntryPages
from teisite.project import find_project, mkdocs_config
from teisite.render import DEFAULT_TEMPLATES
from teisite.search import Collector, RecordFolder

HEAD = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>{t}</title>'
        '</titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc>'
        '</teiHeader><text><body>{b}</body></text></TEI>')
REGISTER = HEAD.format(t="Persons", b='<listPerson><person xml:id="anna"><persName>Anna</persName>'
                       '</person><person xml:id="boris"><persName>Boris</persName></person></listPerson>')
LOG = "mkdocs.plugins.teisite"


def project(tmp_path: Path) -> Path:
    """A project folder: its TEI in source/tei/, its templates (if any) in templates/."""
    (tmp_path / "project" / "source" / "tei").mkdir(parents=True, exist_ok=True)
    return tmp_path / "project"


def write(root: Path, name: str, body: str) -> None:
    (root / "source" / "tei" / name).write_text(HEAD.format(t=name, b=body), encoding="utf-8")


def write_register(root: Path, xml: str = REGISTER) -> None:
    (root / "source" / "tei" / "persons.xml").write_text(xml, encoding="utf-8")


def age(root: Path) -> None:
    """Date every TEI file a minute back, as files edited before `serve` started are (a file
    changed in the last two seconds is read again whatever its time, as git does)."""
    past = time.time() - 60
    for f in (root / "source" / "tei").iterdir():
        os.utime(f, (past, past))


def site_files(site: Path) -> dict[str, bytes]:
    """Every file a build wrote (but the sitemap, which carries the day, and Pagefind's index, whose
    file names vary from build to build; test_search.py tests what it finds), by its path."""
    return {str(f.relative_to(site)): f.read_bytes() for f in sorted(site.rglob("*"))
            if f.is_file() and not f.name.startswith("sitemap.xml")
            and f.relative_to(site).parts[0] != "pagefind"}


def page(files: dict[str, bytes], path: str) -> str:
    return files[path].decode("utf-8")


def without(files: dict[str, bytes], paths: list[str], words: str) -> list[str]:
    """Those of the pages that do not show the words."""
    return [p for p in paths if words not in page(files, p)]


def differing(site: dict[str, bytes], other: dict[str, bytes]) -> list[str]:
    """The files two builds wrote differently, or only one of them wrote."""
    return sorted(p for p in site.keys() | other.keys() if site.get(p) != other.get(p))


def fresh_build(root: Path, site: Path) -> dict[str, bytes]:
    """A one-off build as build.py makes it."""
    assert build(find_project(root, site)) == 0
    return site_files(site)


class Serving:
    """`build.py serve` without its server: MkDocs tells the plugins "serve" once, then builds the
    site again on every change, each time from a configuration loaded anew (the plugin object is
    the same: MkDocs keeps it because it has on_startup). No livereload script is added to the
    pages, so they can be compared with a one-off build's."""

    def __init__(self, root: Path, site: Path):
        self.root, self.site = root, site

    def __enter__(self) -> Self:
        config = mkdocs_config(find_project(self.root, self.site))
        config.plugins.on_startup(command="serve", dirty=True)
        self.plugin = config.plugins["teisite"]
        return self

    def rebuild(self, **options) -> dict[str, bytes]:
        """Build as a change makes `serve` do (a dirty build, over the last one's output); `options`
        as if mkdocs.yml gave them to teisite. Returns the site once its search index is written."""
        config = mkdocs_config(find_project(self.root, self.site))
        for name, value in options.items():
            setattr(config.plugins["teisite"].config, name, value)
        mkdocs_build(config, dirty=True)
        self.plugin.later.wait()
        return site_files(self.site)

    def __exit__(self, *exc) -> None:
        # the plugin object outlives the session in this process, as in MkDocs': a one-off build
        # tells it so, and it lets go of what it kept for rebuilds
        mkdocs_config(find_project(self.root, self.site)).plugins.on_startup(command="build", dirty=False)


class Spy:
    """What a build reads and renders, seen from outside: the project's TEI files read
    (Path.read_bytes), and teisite's page templates (templates/pages/) rendered, with their output
    (and, in `log`, their process)."""

    def __init__(self, monkeypatch, sources: Path, log: Path | None = None, slow_here: float = 0):
        self.read: list[str] = []
        self.rendered: list[tuple[str, str]] = []
        self.log, self.parent = log, os.getpid()
        read_bytes, render = Path.read_bytes, jinja2.Template.render
        spy = self

        def reading(path: Path) -> bytes:
            if sources in path.parents:
                spy.read.append(path.name)
            return read_bytes(path)

        def rendering(template, *args, **kwargs) -> str:
            if not (template.name or "").startswith("pages/"):
                return render(template, *args, **kwargs)  # MkDocs' theme renders every page
            if slow_here and os.getpid() == spy.parent and template.name == "pages/text.html":
                time.sleep(slow_here)  # so that a worker surely takes a batch of pages
            html = render(template, *args, **kwargs)
            spy.rendered.append((template.name, html))
            if spy.log is not None:  # a forked worker's renders are seen through a file
                with open(spy.log, "a", encoding="utf-8") as f:
                    f.write(f"{os.getpid()} {template.name}\n")
            return html

        monkeypatch.setattr(Path, "read_bytes", reading)
        monkeypatch.setattr(jinja2.Template, "render", rendering)

    def clear(self) -> None:
        self.read.clear()
        self.rendered.clear()

    def rendered_with(self, words: str) -> list[str]:
        return [name for name, html in self.rendered if words in html]


def test_rebuild_after_one_change_reuses_everything_else(tmp_path, monkeypatch):
    root = project(tmp_path)
    write_register(root)
    write(root, "a.xml", '<p><persName ref="#anna">Anna</persName> wrote.</p>')
    write(root, "b.xml", '<p><persName ref="#boris">Boris</persName> read it twice.</p>')
    age(root)
    spy = Spy(monkeypatch, root / "source")
    with Serving(root, tmp_path / "served") as serving:
        first = serving.rebuild()
        assert set(spy.read) == {"a.xml", "b.xml", "persons.xml"}
        assert spy.rendered_with("read it twice"), "(the spy sees teisite's pages being made)"
        write(root, "a.xml", '<p><persName ref="#anna">Anna</persName> wrote again.</p>')
        spy.clear()
        second = serving.rebuild()
    monkeypatch.undo()

    assert set(spy.read) == {"a.xml"}, "an unchanged file is not read again"
    assert spy.rendered_with("wrote again"), "the changed document's pages are made again"
    assert spy.rendered_with("read it twice") == [], "nor is a page of an unchanged document made again"
    assert "wrote again" in page(second, "texts/a/index.html")
    assert "wrote again" in page(second, "persons/anna/index.html"), "the entry's context line follows"
    for path in ("texts/b/index.html", "persons/boris/index.html"):
        assert second[path] == first[path]
    assert differing(second, fresh_build(root, tmp_path / "fresh")) == []


def test_serving_writes_a_texts_dts_files_again_only_when_it_changed(tmp_path):
    """A text's own files (the DTS endpoint's: too many to be MkDocs' files) are written straight
    into the served site; a rebuild writes those of the changed text only, and the site equals a
    one-off build's."""
    root = project(tmp_path)
    write(root, "a.xml", "<p>First words.</p>")
    write(root, "b.xml", "<p>Other words.</p>")
    site = tmp_path / "served"
    with Serving(root, site) as serving:
        first = serving.rebuild()
        b_part = site / "dts" / "document" / "b" / "p1.xml"
        b_time = b_part.stat().st_mtime_ns
        write(root, "a.xml", "<p>Second words.</p>")
        second = serving.rebuild()
        assert b_part.stat().st_mtime_ns == b_time, "an unchanged text's files are not written again"
    assert b"First words." in first["dts/document/a/p1.xml"]
    assert b"Second words." in second["dts/document/a/p1.xml"]
    alone = fresh_build(root, tmp_path / "alone")
    dts = sorted(p for p in alone if p.startswith("dts/"))
    assert dts == sorted(p for p in second if p.startswith("dts/"))
    assert [p for p in dts if alone[p] != second[p]] == []


def test_an_edit_away_from_an_entrys_mentions_leaves_its_page_alone(tmp_path, monkeypatch):
    """While serving, an entry's page is made again only when what it shows of a document changes,
    not on any change to a document that names it."""
    root = project(tmp_path)
    write_register(root)
    write(root, "a.xml", '<p><persName ref="#anna">Anna</persName> wrote.</p><p>Rain fell.</p>')
    age(root)
    spy = Spy(monkeypatch, root / "source")
    with Serving(root, tmp_path / "served") as serving:
        serving.rebuild()
        write(root, "a.xml", '<p><persName ref="#anna">Anna</persName> wrote.</p><p>Snow fell.</p>')
        spy.clear()
        served = serving.rebuild()
        assert spy.rendered_with("Snow fell"), "the text's page is made again"
        assert not [name for name, _ in spy.rendered if name == "pages/entry.html"]
        write(root, "a.xml", '<p><persName ref="#anna">Anna</persName> wrote twice.</p><p>Snow fell.</p>')
        spy.clear()
        again = serving.rebuild()
        assert [name for name, _ in spy.rendered if name == "pages/entry.html"]
    monkeypatch.undo()
    assert "wrote twice" in page(again, "persons/anna/index.html")
    assert served["persons/anna/index.html"] != again["persons/anna/index.html"]
    assert differing(again, fresh_build(root, tmp_path / "fresh")) == []


def test_an_entry_split_over_pages_is_made_again_only_when_what_it_shows_changes(tmp_path, monkeypatch):
    """The same for an entry named too often for one page: an edit away from its mentions leaves
    its pages alone (its split is not measured again either), an edit to a mention's context makes
    them again, and they equal a fresh build's."""
    monkeypatch.setattr(EntryPages, "PAGE_ROWS", 2)
    anna = '<persName ref="#anna">Anna</persName>'
    root = project(tmp_path)
    write_register(root)
    write(root, "a.xml", f"<p>{anna} wrote, {anna} read.</p><p>Rain fell.</p>")
    write(root, "b.xml", f"<p>{anna} sang, {anna} slept, {anna} woke.</p>")
    age(root)
    spy = Spy(monkeypatch, root / "source")
    with Serving(root, tmp_path / "served") as serving:
        first = serving.rebuild()
        assert "persons/anna/2/index.html" in first and "persons/anna/3/index.html" in first
        write(root, "a.xml", f"<p>{anna} wrote, {anna} read.</p><p>Snow fell.</p>")
        spy.clear()
        served = serving.rebuild()
        assert spy.rendered_with("Snow fell"), "the text's page is made again"
        assert not [name for name, _ in spy.rendered if name == "pages/entry.html"]
        write(root, "a.xml", f"<p>{anna} wrote twice, {anna} read.</p><p>Snow fell.</p>")
        spy.clear()
        again = serving.rebuild()
        assert [name for name, _ in spy.rendered if name == "pages/entry.html"]
    monkeypatch.undo()
    monkeypatch.setattr(EntryPages, "PAGE_ROWS", 2)
    assert not [p for p in first if p.startswith("persons/anna") and first[p] != served[p]]
    assert "wrote twice" in page(again, "persons/anna/index.html")
    assert differing(again, fresh_build(root, tmp_path / "fresh")) == []


def test_changed_template_renders_everything_again(tmp_path):
    """Pages kept while serving are made again when a template they use changes, or is added to
    the project's templates over teisite's own: a behaviour's change shows on every text page, a
    page template's on every entry page (made of parts kept per document)."""
    root = project(tmp_path)
    write_register(root)
    write(root, "a.xml", '<p><persName ref="#anna">Anna</persName> wrote.</p>')
    write(root, "b.xml", '<p><persName ref="#boris">Boris</persName> read.</p>')
    age(root)
    paragraph = root / "templates" / "behaviours" / "paragraph.html"
    paragraph.parent.mkdir(parents=True)
    paragraph.write_text("<p class='mine'>{{ content }}</p>", encoding="utf-8")
    texts = ["texts/a/index.html", "texts/b/index.html"]
    entries = ["persons/anna/index.html", "persons/boris/index.html"]
    with Serving(root, tmp_path / "served") as serving:
        first = serving.rebuild()
        assert without(first, texts, "class='mine'") == []
        assert without(first, entries, '<section class="occurrences">') == []
        paragraph.write_text("<p class='theirs'>{{ content }}</p>", encoding="utf-8")
        shipped = (DEFAULT_TEMPLATES / "pages" / "occurrences.html").read_text(encoding="utf-8")
        (root / "templates" / "pages").mkdir()
        (root / "templates" / "pages" / "occurrences.html").write_text(
            shipped.replace('class="occurrences"', 'class="occurrences theirs"'), encoding="utf-8")
        second = serving.rebuild()
    assert without(second, texts, "class='theirs'") == []
    assert without(second, entries, '<section class="occurrences theirs">') == []
    assert not [p for p in second if p.endswith(".html") and "mine" in page(second, p)]
    assert differing(second, fresh_build(root, tmp_path / "fresh")) == []


def test_pages_kept_while_serving_equal_a_fresh_build(tmp_path):
    """Entry pages and the chronology are put together from parts kept per document while
    serving; after a change they must be what a one-off build makes."""
    root = project(tmp_path)
    write_register(root)
    write(root, "a.xml", '<p>On <date when="1689-08-22">22 August</date> <persName ref="#anna">Anna'
          '</persName> met <persName ref="#boris">Boris</persName>.</p>')
    write(root, "b.xml", '<p><persName ref="#boris">Boris</persName> left on <date '
          'when="1690-01-02">2 January</date>.</p><p><persName ref="#anna">Anna</persName> stayed.</p>')
    age(root)
    with Serving(root, tmp_path / "served") as serving:
        first = serving.rebuild()
        assert 'id="together"' in page(first, "persons/anna/index.html")
        assert "22 August" in page(first, "chronology/index.html")
        # the same mentions in the same places (a kept part is found by its place), other words
        write(root, "a.xml", '<p>On <date when="1691-03-04">4 March</date> <persName ref="#anna">Anna'
              '</persName> was alone.</p><p><persName ref="#boris">Boris</persName> was away.</p>')
        served = serving.rebuild()
    assert differing(served, fresh_build(root, tmp_path / "fresh")) == []
    chronology = page(served, "chronology/index.html")
    assert "4 March" in chronology and "2 January" in chronology and "22 August" not in chronology
    anna = page(served, "persons/anna/index.html")
    assert "was alone" in anna and 'id="together"' not in anna, "Anna and Boris no longer meet"
    assert 'id="together"' not in page(served, "persons/anna/index.html"), "Anna and Boris no longer meet"


def rewritten(site: Path, since: float) -> set[str]:
    """The files of the site written after `since` (by their times), but for those site_files
    leaves out and the theme's 404 page, which MkDocs writes on every build."""
    return {str(f.relative_to(site)) for f in site.rglob("*") if f.is_file() and f.stat().st_mtime > since
            and str(f.relative_to(site)) in site_files(site) and f.name != "404.html"}


def test_a_rebuild_writes_exactly_the_files_whose_output_changed(tmp_path):
    """While serving, a change rewrites every file whose content a one-off build changes, and no
    other: a register's entry renamed under unchanged texts (its page, the index, the texts that
    name it, the entry named together with it, the downloads), then one text's words and date."""
    root = project(tmp_path)

    def start() -> None:
        write_register(root)
        write(root, "a.xml", '<p><persName ref="#anna">Anna</persName> wrote.</p>')
        write(root, "b.xml", '<p><persName ref="#boris">Boris</persName> read.</p>')
        write(root, "c.xml", '<p><persName ref="#boris">Boris</persName> met <persName ref="#anna">'
              'Anna</persName> on <date when="1689-08-22">22 August</date>.</p>')
        write(root, "d.xml", "<p>Nobody came.</p>")
        age(root)

    changes = [
        lambda: write_register(root, REGISTER.replace("<persName>Anna</persName>",
                                                      "<persName>Anna Petrovna</persName>")),
        lambda: write(root, "c.xml", '<p><persName ref="#boris">Boris</persName> met <persName '
                      'ref="#anna">Anna</persName> again on <date when="1690-01-02">2 January'
                      '</date>.</p>')]
    # what one-off builds make of each state (not while serving: the plugin object is MkDocs' one)
    start()
    fresh = [fresh_build(root, tmp_path / "fresh-0")]
    for n, change in enumerate(changes, 1):
        change()
        fresh.append(fresh_build(root, tmp_path / f"fresh-{n}"))
    start()
    site = tmp_path / "served"
    seen = []
    with Serving(root, site) as serving:
        serving.rebuild()
        for change in changes:
            age(root)  # the sources older than the site's files, as MkDocs' copies of them judge
            since = time.time() - 30  # after the sources' times, before the change
            for f in site.rglob("*"):
                os.utime(f, (since - 1, since - 1))
            change()
            served = serving.rebuild()
            seen.append((served, rewritten(site, since), serving.plugin.pages_written))
    for n, (served, written, count) in enumerate(seen, 1):
        changed = set(differing(fresh[n - 1], fresh[n]))
        assert written == changed
        assert differing(served, fresh[n]) == []
        pages = {p for p in changed if p.endswith(".html")}
        assert count == len(pages)
        if n == 1:
            assert {"texts/a/index.html", "texts/c/index.html", "persons/anna/index.html",
                    "persons/boris/index.html", "persons/index.html"} <= changed
            assert not {"texts/b/index.html", "texts/d/index.html", "chronology/index.html"} & changed
        else:
            assert pages == {"texts/c/index.html", "persons/anna/index.html",
                             "persons/boris/index.html", "chronology/index.html"}, pages


def test_with_the_themes_search_a_rebuild_indexes_every_page(tmp_path):
    """The theme's search (teisite's `search: false`) indexes the pages a build makes: while
    serving, a rebuild after one text changed makes every page, and its index lists them all."""
    root = project(tmp_path)
    (root / "mkdocs.yml").write_text("site_name: T\nplugins:\n  - search\n  - teisite:\n"
                                     "      search: false\n", encoding="utf-8")
    write_register(root)
    write(root, "a.xml", '<p><persName ref="#anna">Anna</persName> wrote.</p>')
    write(root, "b.xml", '<p><persName ref="#boris">Boris</persName> read.</p>')
    age(root)
    with Serving(root, tmp_path / "served") as serving:
        serving.rebuild()
        write(root, "a.xml", '<p><persName ref="#anna">Anna</persName> wrote again.</p>')
        served = serving.rebuild()
    index = json.loads(served["search/search_index.json"])
    locations = {d["location"].partition("#")[0] for d in index["docs"]}
    assert {"texts/a/", "texts/b/", "persons/anna/", "persons/boris/"} <= locations, locations
    assert any("wrote again" in d["text"] for d in index["docs"])


def test_unchanged_texts_resolve_again_when_the_registers_change(tmp_path):
    """While serving, a mention of an entry not (yet) in a register is an error shown on every
    page; once the entry is added, the texts, unchanged, link to it, and its page lists them."""
    root = project(tmp_path)
    write_register(root)
    write(root, "a.xml", '<p><persName ref="#carl">Carl</persName> came.</p>')
    write(root, "b.xml", '<p><persName ref="#carl">Carl</persName> went.</p>')
    age(root)
    with Serving(root, tmp_path / "served") as serving:
        first = serving.rebuild()
        write_register(root, REGISTER.replace(
            "</listPerson>", '<person xml:id="carl"><persName>Carl</persName></person></listPerson>'))
        served = serving.rebuild()
    home = page(first, "index.html")
    assert 'class="teisite-errors"' in home, "the errors show on every page while serving"
    banner = home.split('class="teisite-errors"')[1].split("</div>")[0]
    for name in ("a", "b"):
        assert re.search(rf"/{name}\.xml:1:\d+: error: @ref `#carl` is not in any register.*"
                         r"\[ref\.unresolved\]", banner), banner
        assert "persons/carl/" not in page(first, f"texts/{name}/index.html")
        text = page(served, f"texts/{name}/index.html")
        assert 'href="../../persons/carl/"' in text
    assert not [p for p in served if p.endswith(".html") and "teisite-errors" in page(served, p)]
    carl = page(served, "persons/carl/index.html")
    assert "Mentions (2)" in carl and "came" in carl and "went" in carl
    assert differing(served, fresh_build(root, tmp_path / "fresh")) == []


def one_off(root: Path, site: Path, **options) -> dict[str, bytes]:
    """A one-off build (as build.py's), `options` as if mkdocs.yml gave them to teisite."""
    config = mkdocs_config(find_project(root, site))
    config.plugins.on_startup(command="build", dirty=False)
    for name, value in options.items():
        setattr(config.plugins["teisite"].config, name, value)
    mkdocs_build(config)
    return site_files(site)


def _texts(root: Path, n: int = 40) -> None:
    """Enough texts for the pages to come in several batches (of 16)."""
    write_register(root)
    for i in range(n):
        write(root, f"t{i}.xml", f'<p><persName ref="#anna">Anna</persName> wrote {i}.</p>'
              f'<p><persName ref="#boris">Boris</persName> and <persName ref="#anna">Anna</persName>.</p>')


def test_pages_made_by_workers_equal_pages_made_in_the_build(tmp_path, monkeypatch):
    root = project(tmp_path)
    _texts(root)
    alone = one_off(root, tmp_path / "alone", jobs=1)
    Spy(monkeypatch, root / "source", log=tmp_path / "renders.log", slow_here=0.02)
    shared = one_off(root, tmp_path / "shared", jobs=2)
    monkeypatch.undo()
    by_worker = [line for line in (tmp_path / "renders.log").read_text().splitlines()
                 if line.split()[0] != str(os.getpid())]
    assert "pages/text.html" in {line.split()[1] for line in by_worker}, "a worker made text pages"
    assert differing(shared, alone) == []


def test_search_records_made_by_workers_equal_those_made_in_the_build(tmp_path, monkeypatch):
    """Workers make a text's and an entry's records from the page's content as they make it, the
    build's process from the content MkDocs holds: the same records either way, and never read
    back from a whole page (the theme's navigation and all)."""
    root = project(tmp_path)
    _texts(root)
    write(root, "t0.xml", '<p><persName ref="#anna">Anna</persName> wrote<note>On <date when="1689">a '
          'day</date>.</note>.</p><lg><l>A line</l><l>of <placeName>verse</placeName></l></lg>')
    (root / "source" / "about.md").write_text("# About\n\nA page of our own.\n", encoding="utf-8")
    given: dict[str, dict] = {}  # each build's records, as written for Pagefind, by path
    cut = RecordFolder.parts

    def parts(folder, *args):
        files = sorted(p for p in Path(folder.path).rglob("*.html"))
        given[f"{len(given)}"] = {p.relative_to(folder.path).as_posix(): p.read_text("utf-8") for p in files}
        return cut(folder, *args)
    monkeypatch.setattr(RecordFolder, "parts", parts)
    whole_pages: list[str] = []
    page_records = Collector.page_records

    def reading(collector, page_html, url, *args, **kwargs):
        if "<html" in page_html:
            whole_pages.append(url)
        return page_records(collector, page_html, url, *args, **kwargs)
    monkeypatch.setattr(Collector, "page_records", reading)
    one_off(root, tmp_path / "alone", jobs=1)
    one_off(root, tmp_path / "shared", jobs=2)
    assert whole_pages == []
    alone, shared = given["0"], given["1"]
    kinds = {re.search(r'data-pagefind-filter="kind">(\w+)<', html)[1] for html in shared.values()}
    assert kinds == {"text", "note", "entry", "chronology", "page"}
    assert shared == alone
    assert "About A page of our own." in shared["about/ts-page.html"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_entry_split_over_pages_is_one_search_result(tmp_path, monkeypatch, jobs):
    """Its further pages (persons/anna/2/, ...) are not results of their own: the entry is found
    once, on its first page (made by a worker or by the build's process alike)."""
    monkeypatch.setattr(EntryPages, "PAGE_ROWS", 2)
    root = project(tmp_path)
    _texts(root, n=4)
    urls: list[str] = []  # the entries' records, as written for Pagefind
    cut = RecordFolder.parts

    def parts(folder, *args):
        urls.extend(p.parent.relative_to(folder.path).as_posix() + "/"
                     for p in Path(folder.path).rglob("*.html")
                     if 'data-pagefind-filter="kind">entry<' in p.read_text("utf-8"))
        return cut(folder, *args)
    monkeypatch.setattr(RecordFolder, "parts", parts)
    site = one_off(root, tmp_path / "site", jobs=jobs)
    assert "persons/anna/2/index.html" in site
    assert sorted(urls) == ["persons/anna/", "persons/boris/"]


def test_a_stuck_worker_does_not_stop_the_build(tmp_path, monkeypatch, caplog):
    root = project(tmp_path)
    _texts(root)
    alone = one_off(root, tmp_path / "alone", jobs=1)
    parent = os.getpid()
    render, stuck = jinja2.Template.render, []

    def stuck_in_workers(template, *args, **kwargs):
        if os.getpid() == parent:
            if template.name == "pages/text.html":
                time.sleep(0.02)  # so that a worker surely takes a batch of pages
        elif not stuck:  # (the worker's own copy of the list) a worker hangs, once, for 30 s
            stuck.append(os.getpid())
            time.sleep(30)
        return render(template, *args, **kwargs)

    monkeypatch.setattr(jinja2.Template, "render", stuck_in_workers)
    monkeypatch.setattr(workers, "WORKER_TIMEOUT", 1)
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, LOG):
        shared = one_off(root, tmp_path / "shared", jobs=2)
    assert time.monotonic() - started < 20
    assert "a worker said nothing for 1 s; its work is done in the build's own process" in caplog.text
    monkeypatch.undo()
    assert differing(shared, alone) == [], "the pages the worker never sent are made by the build"


def test_kept_templates_take_each_builds_language(tmp_path):
    """The compiled templates outlive a build; the words in their macros must not."""
    root = project(tmp_path)
    write(root, "a.xml", '<p><persName ref="#anna">Anna</persName> on <date when="1689-08-22">'
          'that day</date>.</p>')
    write_register(root)
    with Serving(root, tmp_path / "served") as serving:
        ru = serving.rebuild(lang="ru")
        en = serving.rebuild(lang="en")
    assert "22 августа 1689" in page(ru, "chronology/index.html")
    assert 'aria-label="Абзац 1"' in page(ru, "persons/anna/index.html")
    assert "22 August 1689" in page(en, "chronology/index.html")
    assert 'aria-label="Paragraph 1"' in page(en, "persons/anna/index.html")
    assert differing(en, fresh_build(root, tmp_path / "fresh")) == []


def test_a_broken_template_while_serving_is_shown_not_raised(tmp_path, caplog, capsys):
    """While serving, an editor's half-written template must not stop the server: the page says
    where the template fails (file:line), and so does the terminal; a one-off build fails,
    saying the same, and writes nothing."""
    root = project(tmp_path)
    write(root, "a.xml", "<p><hi>Anna</hi> wrote.</p>")
    (root / "templates" / "behaviours").mkdir(parents=True)
    (root / "templates" / "behaviours" / "inline.html").write_text("ok\n{{ no_such_name.attr }}")
    where = "inline.html:2:1: error: the template failed"
    with Serving(root, tmp_path / "served") as serving, caplog.at_level(logging.ERROR, LOG):
        served = serving.rebuild()
    text = page(served, "texts/a/index.html")
    assert "teisite-errors" in text and where in text
    assert where in caplog.text
    capsys.readouterr()
    assert build(find_project(root, tmp_path / "built")) == 1
    assert where in capsys.readouterr().err
    assert not (tmp_path / "built").exists()
