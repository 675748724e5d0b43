"""Indexes and entry pages: every mention once on its entry page, every occurrence link lands."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from conftest import CORPORA, FIXTURES, build_site, serve
from lxml import html

from teisite.registers import KINDS
from teisite.render import DEFAULT_TEMPLATES


def _page(site: Path, url: str) -> html.HtmlElement:
    return html.parse(str(site / url / "index.html")).getroot()


def _ids(site: Path, url: str, cache: dict) -> set[str]:
    if url not in cache:
        cache[url] = set(_page(site, url).xpath("//@id"))
    return cache[url]


def entry_hits(site: Path, url: str) -> tuple[Counter, list[str]]:
    """The occurrence links of an entry over all its pages (a long entry's go on on further pages,
    persons/x/2/..., each linked from the first page's pager), by the site path they lead to."""
    pages = [url]
    first = _page(site, url)
    pages += [urljoin("/" + url, h).lstrip("/") for h in
              first.xpath("(//nav[@class='entry-pager'])[1]/a[not(@rel)]/@href")]
    found: Counter = Counter()
    for at in pages:
        page = first if at == url else _page(site, at)
        found.update(urljoin("/" + at, h).lstrip("/")
                     for h in page.xpath("//a[contains(@class, 'kwic-hit')]/@href"))
    return found, pages


def check_entry_pages(site: Path, edition) -> int:
    """Each mention appears exactly once on each of its entries' pages, linking to its own anchor."""
    ids_cache: dict = {}
    checked = 0
    for entry in edition.entries.values():
        expected = Counter(f"{o.doc.url}#{o.mention.anchor}" for o in entry.mentions)
        found, _ = entry_hits(site, entry.url)
        assert found == expected, f"{entry.id}: occurrences differ"
        for target in found:
            path, _, anchor = target.partition("#")
            assert anchor in _ids(site, path, ids_cache), f"{entry.id}: #{anchor} not on {path}"
            checked += 1
    return checked


@pytest.fixture(scope="module")
def edition(edition_site):
    from teisite.project import find_project, mkdocs_config
    config = mkdocs_config(find_project(None))
    config.plugins["teisite"].load(config)
    return config.plugins["teisite"].edition


def test_every_mention_once_on_its_entry_page(edition_site, edition):
    assert check_entry_pages(edition_site, edition) == sum(
        len(set(m.resolved)) for d in edition.texts for m in d.mentions)


def test_index_pages_list_every_entry_in_russian_order(edition_site, edition):
    for kind in edition.kinds:
        page = _page(edition_site, f"{KINDS[kind].folder}/")
        # (cross-references, li.see-also, send a reader on from another letter: not entries)
        listed = [li.get("id") for li in page.xpath("//li[contains(@class, 'entry-item')][not(contains(@class, 'see-also'))]")]
        assert sorted(listed) == sorted(e.slug for e in edition.entries.values() if e.kind == kind)
        labels = [li.xpath("string(span[@class='see-name'])") or li.xpath("string(a)")
                  for li in page.xpath("//li[contains(@class, 'entry-item')]")]
        keys = [label.casefold().replace("ё", "е") for label in labels]
        assert keys == sorted(keys), f"{kind} index is not alphabetical"
        assert page.xpath("//nav[contains(@class, 'letter-bar')]/a")


def test_places_grouped_by_type(edition_site):
    page = _page(edition_site, "places/")
    assert "крепость" in page.xpath("string(//h2[@id='by-type']/following::h3[1])") or \
        page.xpath("//h2[@id='by-type']/following::h3[normalize-space()='крепость']")


def test_entry_page_has_facts_and_companions(edition_site):
    page = _page(edition_site, "persons/tolbuzin/")
    text = page.text_content()
    assert "Алексей Ларионович Толбузин" in text and "1686" in text
    together = page.xpath("//ul[@class='together']//a/@href")
    assert "../../places/albazin/" in together


def test_chronology_in_date_order_with_both_calendars(edition_site, edition):
    page = _page(edition_site, "chronology/")
    rows = page.xpath("//table[@class='chronology']/tbody/tr")
    assert len(rows) == len(edition.dated) > 5
    keys = [m.date.sort_key for _, m in edition.dated]
    assert keys == sorted(keys)
    assert "юлианскому" in page.text_content()
    for row in rows:
        href = row.xpath(".//a/@href")[0]
        path, anchor = href.split("#")
        assert anchor in _page(edition_site, urlparse(urljoin("/chronology/", path)).path.strip("/")
                               + "/").xpath("//@id")


@pytest.mark.skipif(not (CORPORA / "maechtekongresse").is_dir(), reason="shared corpora missing")
def test_maechtekongresse_indexes(tmp_path_factory):
    site = build_site(CORPORA / "maechtekongresse", tmp_path_factory.mktemp("mk") / "site")
    from teisite.project import find_project, mkdocs_config
    config = mkdocs_config(find_project(CORPORA / "maechtekongresse"))
    config.plugins["teisite"].load(config)
    edition = config.plugins["teisite"].edition
    assert len(edition.texts) == 113
    assert len([e for e in edition.entries.values() if e.kind == "person"]) == 196
    assert len([e for e in edition.entries.values() if e.kind == "place"]) == 89
    assert len(list((site / "texts").glob("*/index.html"))) == 113
    several = [m for d in edition.texts for m in d.mentions if len(m.resolved) > 1]
    assert several, "the corpus has mentions with several ids in one @ref"
    assert check_entry_pages(site, edition) > 5000
    assert re.search(r"not mentioned in the texts|не упоминается", (site / "persons" / "index.html")
                     .read_text(encoding="utf-8"))


def test_companions_are_counted_per_mention_in_shared_passages(edition_site, edition):
    """'Named together with': every mention of another entry in a passage that names this one."""
    for entry in edition.entries.values():
        expected: Counter = Counter()
        places = {(o.doc.slug, o.mention.passage) for o in entry.mentions if o.mention.passage}
        for d in edition.texts:
            for m in d.mentions:
                if (d.slug, m.passage) in places:
                    expected.update(i for i in m.resolved if i != entry.id)
        page = _page(edition_site, entry.url)
        found = Counter()
        for li in page.xpath("//ul[@class='together']/li"):
            other = urljoin("/" + entry.url, li.xpath("string(a/@href)")).strip("/").split("/")[-1]
            found[other] = int(li.xpath("string(span[@class='count'])").strip("()"))
        slugs = {e.id: e.slug for e in edition.entries.values()}
        assert found == Counter({slugs[i]: n for i, n in expected.items()}), entry.id


@pytest.fixture(scope="module")
def drama_site(tmp_path_factory):
    from conftest import FIXTURES
    return build_site(FIXTURES / "drama", tmp_path_factory.mktemp("drama") / "site")


@pytest.fixture(scope="module")
def letters_site(tmp_path_factory):
    from conftest import FIXTURES
    return build_site(FIXTURES / "letters", tmp_path_factory.mktemp("letters") / "site")


def test_a_play_has_a_cast_index_by_play_with_speech_counts(drama_site):
    page = _page(drama_site, "cast/")
    plays = page.xpath("//section[@class='cast-play']")
    assert [p.xpath("string(h2)") for p in plays] == ["Гамлет (отрывок)", "Король (отрывок)"]
    rows = [[(r.xpath("string(td[1]/a)"), r.xpath("string(td[1]/a/@href)"), r.xpath("string(td[3])"))
             for r in p.xpath(".//tbody/tr")] for p in plays]
    assert rows == [[("Гамлет", "gamlet--gamlet/", "2"), ("Слуга", "gamlet--sluga/", "2"),
                     ("Стража", "gamlet--strazha/", "1")],
                    [("Король", "korol--korol/", "1"), ("Слуга", "korol--sluga/", "1")]]
    assert page.xpath("string(//tr[@id='gamlet--gamlet']/td[2])") == "принц датский"


def test_a_speakers_page_lists_each_speech_with_a_link_to_it(drama_site):
    page = _page(drama_site, "cast/gamlet--sluga/")
    assert "Speeches (2) · Mentions (0)" in page.xpath("string(//h2[@id='mentions'])")
    speeches = page.xpath("//tr[contains(@class, 'kwic-speech')]")
    assert [s.xpath("string(.//mark)") for s in speeches] == ["Слуга Милорд, вас ждут.",
                                                               "Стража и слуга Принц, Гамлет!"]
    text_ids = set(_page(drama_site, "texts/gamlet/").xpath("//@id"))
    for s in speeches:
        href = s.xpath("string(.//a[@class='kwic-hit']/@href)")
        assert href.startswith("../../texts/gamlet/#") and href.split("#")[1] in text_ids
    other = _page(drama_site, "cast/korol--sluga/")
    assert [s.xpath("string(.//mark)") for s in other.xpath("//tr[contains(@class, 'kwic-speech')]")] \
        == ["Слуга Здесь, государь."], "the other play's «Слуга» has only his own speech"


def test_letters_are_listed_by_date_with_sender_and_addressee(letters_site):
    """Three letters and a site index: the index is called "Texts" (not all are letters) and a
    column says which are letters. Seen to be called "Letters" before."""
    page = _page(letters_site, "texts/")
    assert page.xpath("string(//h1)") == "Texts"
    assert page.xpath("//table//th/text()") == ["Date", "Document", "From", "To", "Place", "Genre", "TEI"]
    rows = [[c.text_content().strip() for c in r.xpath("td")][:6]
            for r in page.xpath("//table[contains(@class, 'letter-table')]/tbody/tr")]
    assert rows[:3] == [
        ["1 April 1820", "Clara to Anna, 1 April 1820", "Clara Stein", "Anna Weber", "Vienna", "Letter"],
        ["2 May 1820", "Anna to Boris, 2 May 1820", "Anna Weber", "Boris Lang", "Vienna", "Letter"],
        ["9 June 1820", "Boris to Anna, 9 June 1820", "Boris Lang", "Anna Weber", "Graz", "Letter"]]
    assert rows[3][1] == "Site index" and rows[3][5] == "Text", "a text that is not a letter comes last"
    assert page.xpath("//table[@data-sortable]//td[@data-sort]")


def test_a_corpus_of_letters_only_is_called_letters(tmp_path):
    """When every text is a letter, the index is "Letters", without the genre column."""
    project = tmp_path / "letters"
    project.mkdir()
    for name in ("brief1.xml", "brief2.xml", "brief3.xml", "persons.xml"):
        shutil.copy(FIXTURES / "letters" / name, project / name)
    site = build_site(project, tmp_path / "site")
    page = _page(site, "texts/")
    assert page.xpath("string(//h1)") == "Letters"
    assert page.xpath("//table//th/text()") == ["Date", "Document", "From", "To", "Place", "TEI"]


def test_a_letters_page_has_its_own_title_and_its_correspondence_in_its_head(letters_site):
    page = _page(letters_site, "texts/brief1/")
    assert page.xpath("string(//h1)") == "Anna to Boris, 2 May 1820"
    assert "Letters of Anna Weber" not in page.xpath("string(//title)")
    head = page.xpath("//dl[@class='corresp']")[0]
    assert [dt.text_content() for dt in head.xpath("dt")] == ["Sent", "Received"]
    links = {a.text_content(): a.get("href") for a in head.xpath(".//a")}
    assert links == {"Anna Weber": "../../persons/anna/", "Vienna": "../../places/wien/",
                     "2 May 1820": "../../chronology/#brief1--corresp-3",
                     "Boris Lang": "../../persons/boris/"}
    # the addressee's page leads back to the letter's head, and the chronology to its date
    boris = _page(letters_site, "persons/boris/")
    assert "../../texts/brief1/#corresp-4" in boris.xpath("//a[@class='kwic-hit']/@href")
    chronology = _page(letters_site, "chronology/")
    assert chronology.xpath("//tr[@id='brief1--corresp-3']")


def test_references_to_other_documents_link_to_their_pages(letters_site):
    page = _page(letters_site, "texts/brief2/")
    assert page.xpath("//a[normalize-space()='your letter']/@href") == ["../../texts/brief1/#p1"]
    assert page.xpath("//a[normalize-space()=\"Clara's letter\"]/@href") == ["../../texts/brief3/"]
    assert _page(letters_site, "texts/brief3/").xpath(
        "//a[normalize-space()='see his letter']/@href") == ["../../texts/brief2/"]
    assert "p1" in _page(letters_site, "texts/brief1/").xpath("//@id")
    rose = _page(letters_site, "terms/rose/")
    assert rose.xpath("string(//h1)") == "Rose" and rose.xpath("//a[@class='kwic-hit']")
    assert not (letters_site / "terms" / "oak").exists(), "an item no @ref names has no page"


def test_the_index_sends_a_name_from_another_letter_to_its_entry(edition_site):
    """A name an entry is also known by that the index would list under another letter gets a
    cross-reference there (the text's «Очира Саи-Хан» under О, to Чихундорж under Ч); a name
    beginning with initials does not («А.И. Бейтон» is found under Б)."""
    import lxml.html
    page = lxml.html.parse(str(edition_site / "persons" / "index.html"))
    see = {li.findtext(".//span[@class='see-name']"): li for li in page.xpath("//li[contains(@class, 'see-also')]")}
    ochira = see["Очира Саи-Хан"]
    assert ochira.xpath("string(a/@href)") == "ochira/"
    assert ochira.xpath("string(preceding::h2[1])") == "О"
    assert "А.И. Бейтон" not in see


_REGISTER = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Places</title></titleStmt>
<publicationStmt><p>Test.</p></publicationStmt><sourceDesc><p>Test.</p></sourceDesc></fileDesc></teiHeader>
<standOff><listPlace><place xml:id="moskva"><placeName>Москва</placeName></place>
<place xml:id="tver"><placeName>Тверь</placeName></place></listPlace></standOff></TEI>
"""


def _charter(i: int, paras: str) -> str:
    """A document «Грамота NN» whose body is these paragraphs."""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="ru">'
            f"<teiHeader><fileDesc><titleStmt><title>Грамота {i:02d}</title></titleStmt><publicationStmt>"
            f"<p>Test.</p></publicationStmt><sourceDesc><p>Test.</p></sourceDesc></fileDesc></teiHeader>"
            f"<text><body>{paras}</body></text></TEI>\n")


def _long_entry_text(i: int, n: int) -> str:
    words = "Гонец прибыл с вестями о делах государевых и о посольстве в дальние земли"
    paras = "\n".join(f'<p>{words}, писано {k}: в <placeName ref="#moskva">Москве</placeName> {words}.'
                      + (' И в <placeName ref="#tver">Твери</placeName>.' if k == 0 else "") + "</p>"
                      for k in range(n))
    return _charter(i, paras)


@pytest.fixture(scope="module")
def long_entry_site(tmp_path_factory):
    """30 documents naming one place 3,000 times: 620 times in the first (more than a page holds),
    80 or 90 in the others; another place once in each."""
    project = tmp_path_factory.mktemp("long") / "project"
    project.mkdir()
    (project / "places.xml").write_text(_REGISTER, encoding="utf-8")
    counts = [620] + [90] * 6 + [80] * 23
    assert sum(counts) == 3000 and len(counts) == 30
    for i, n in enumerate(counts):
        (project / f"doc{i:02d}.xml").write_text(_long_entry_text(i, n), encoding="utf-8")
    return build_site(project, project.parent / "site"), counts


def test_an_entry_named_3000_times_is_split_into_pages_that_link_each_mention_once(long_entry_site):
    from teisite.generators import EntryPages
    site, _ = long_entry_site
    found, pages = entry_hits(site, "places/moskva/")
    assert pages[1:] == [f"places/moskva/{n}/" for n in range(2, len(pages) + 1)]
    assert len(pages) >= 3000 // EntryPages.PAGE_ROWS
    assert sum(found.values()) == 3000 and set(found.values()) == {1}, "each occurrence exactly once"
    assert {h.split("#")[0] for h in found} == {f"texts/doc{i:02d}/" for i in range(30)}
    for target in found:
        path, _, anchor = target.partition("#")
        assert anchor in _ids(site, path, {}), target
    for at in pages:
        size = (site / at / "index.html").stat().st_size
        assert size < 1_500_000, f"{at}: {size} bytes"
        page = _page(site, at)
        assert len(page.xpath("//tr[contains(@class, 'kwic')]")) <= EntryPages.PAGE_ROWS
        # each page has the pager: previous/next and every page's number
        nav = page.xpath("//nav[@class='entry-pager']")[0]
        assert len(nav.xpath("a[not(@rel)]")) + 1 == len(pages)
        assert bool(nav.xpath("a[@rel='prev']")) == (at != pages[0])
        assert bool(nav.xpath("a[@rel='next']")) == (at != pages[-1])


def test_a_long_entrys_first_page_counts_mentions_by_document_first(long_entry_site):
    site, counts = long_entry_site
    page = _page(site, "places/moskva/")
    rows = page.xpath("//table[@class='mention-counts']/tbody/tr")
    assert [(r.xpath("string(td[1])"), int(r.xpath("string(td[2])"))) for r in rows] == \
        [(f"Грамота {i:02d}", n) for i, n in enumerate(counts)]
    table = page.xpath("//table[@class='mention-counts']")[0]
    assert not table.xpath("preceding::tr[contains(@class, 'kwic')]"), "the counts come first"
    # each count leads to where that document's mentions begin
    for r in rows:
        href = urljoin("/places/moskva/", r.xpath("string(td[1]/a/@href)"))
        path, _, anchor = href.partition("#")
        target = _page(site, path.strip("/") + "/")
        section = target.xpath(f"//div[@id='{anchor}']")[0]
        assert section.xpath("string(.//h3)") == r.xpath("string(td[1])")
    assert page.xpath("//ul[@class='together']//a/@href") == ["../../places/tver/"]
    assert not _page(site, "places/moskva/2/").xpath("//ul[@class='together']")
    # an entry named once per document is one page, as always
    tver = _page(site, "places/tver/")
    assert not tver.xpath("//nav[@class='entry-pager'] | //table[@class='mention-counts']")
    assert len(tver.xpath("//a[@class='kwic-hit']")) == 30
    assert not (site / "places" / "tver" / "2").exists()


def _dated_text(i: int, n: int) -> str:
    paras = "\n".join(f'<p>Гонец прибыл <date when="{1600 + k % 90}-{1 + k % 12:02d}-{1 + k % 28:02d}">'
                      f'в день {k}</date> с вестями о делах государевых.</p>' for k in range(n))
    return _charter(i, paras)


@pytest.fixture(scope="module")
def long_chronology_site(tmp_path_factory):
    """12 documents with 3,600 dates in all: more rows than one page of the chronology holds."""
    project = tmp_path_factory.mktemp("chrono") / "project"
    project.mkdir()
    for i in range(12):
        (project / f"doc{i:02d}.xml").write_text(_dated_text(i, 300), encoding="utf-8")
    return build_site(project, project.parent / "site")


def test_a_long_chronology_goes_on_over_pages_each_row_once_and_findable(long_chronology_site):
    from teisite.generators import ChronologyPages
    site = long_chronology_site
    first = _page(site, "chronology/")
    hrefs = first.xpath("(//nav[@class='entry-pager'])[1]/a[not(@rel)]/@href")
    pages = ["chronology/"] + [urljoin("/chronology/", h).lstrip("/") for h in hrefs]
    assert pages == ["chronology/", "chronology/2/"]
    rows: dict[str, str] = {}
    dates = []
    for at in pages:
        assert (site / at / "index.html").stat().st_size < 2_000_000
        page = _page(site, at)
        ids = page.xpath("//table[@class='chronology']/tbody/tr/@id")
        assert len(ids) <= ChronologyPages.PAGE_ROWS
        rows.update({i: at for i in ids})
        dates += page.xpath("//table[@class='chronology']/tbody/tr/td[1]/text()[1]")
        nav = page.xpath("//nav[@class='entry-pager']")[0]
        assert bool(nav.xpath("a[@rel='prev']")) == (at != pages[0])
    assert len(rows) == 3600, "every date once"
    # a date's link names the first page; the row's document's map names the page it is on
    text = _page(site, "texts/doc03/")
    links = text.xpath("//a[contains(@href, 'chronology/#')]/@href")
    assert len(links) == 300 and all(urlparse(h).path == "../../chronology/" for h in links), links[:3]
    for h in links:
        row = urlparse(h).fragment
        slug, _, anchor = row.partition("--")
        at = json.loads((site / "chronology" / "at" / f"{slug}.json").read_text(encoding="utf-8"))
        assert rows[row] == ("chronology/" if at[anchor] == 1 else f"chronology/{at[anchor]}/")


def test_a_dates_link_finds_its_row_on_a_later_page_of_the_chronology(page, long_chronology_site):
    site = long_chronology_site
    second = set(_page(site, "chronology/2/").xpath("//table[@class='chronology']/tbody/tr/@id"))
    text = _page(site, "texts/doc07/")
    row = next(urlparse(h).fragment for h in text.xpath("//a[contains(@href, 'chronology/#')]/@href")
               if urlparse(h).fragment in second)
    server, url = serve(site)
    try:
        page.goto(f"{url}chronology/#{row}")
        page.wait_for_url(f"{url}chronology/2/#{row}", timeout=10_000)
        assert page.locator(f"tr[id='{row}']").is_visible()
    finally:
        server.shutdown()


def test_a_long_change_log_goes_on_over_pages(tmp_path, monkeypatch):
    """No generated page grows with the corpus: the edition's change log (each text's
    revisionDesc) goes on over further pages, each text's changes on one of them, once."""
    from teisite.generators import ChangesPages
    monkeypatch.setattr(ChangesPages, "PAGE_BYTES", 2_000)
    project = tmp_path / "project"
    project.mkdir()
    for i in range(6):
        changes = "".join(f'<change when="2026-0{1 + k}-01" n="1.{k}">Правка {k} текста {i}.</change>'
                          for k in range(3))
        (project / f"doc{i}.xml").write_text(
            f'<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="ru"><teiHeader><fileDesc><titleStmt>'
            f"<title>Грамота {i}</title></titleStmt><publicationStmt><p>Test.</p></publicationStmt>"
            f"<sourceDesc><p>Test.</p></sourceDesc></fileDesc><revisionDesc>{changes}</revisionDesc>"
            f"</teiHeader><text><body><p>Текст {i}.</p></body></text></TEI>", encoding="utf-8")
    site = build_site(project, tmp_path / "site")
    first = _page(site, "changes/")
    hrefs = first.xpath("(//nav[@class='entry-pager'])[1]/a[not(@rel)]/@href")
    pages = ["changes/"] + [urljoin("/changes/", h).lstrip("/") for h in hrefs]
    assert len(pages) > 1
    titles = [t for at in pages for t in _page(site, at).xpath("//div[@class='teisite-changes']/h2/a/text()")]
    assert titles == [f"Грамота {i}" for i in range(6)], "each text's changes once, in order"
    rows = sum(len(_page(site, at).xpath("//table[@class='changes-table']/tbody/tr")) for at in pages)
    assert rows == 18


def test_a_projects_mention_template_writes_the_letter_heads_names(tmp_path):
    """The names of a letter's Sent/Received head are written by the mention behaviour: a
    project's own mention.html reaches them as it reaches the names in the text. Seen to be
    written by corresp.html's own markup before."""
    project = tmp_path / "letters"
    shutil.copytree(FIXTURES / "letters", project)
    (project / "templates" / "behaviours").mkdir(parents=True)
    shipped = (DEFAULT_TEMPLATES / "behaviours" / "mention.html").read_text(encoding="utf-8")
    (project / "templates" / "behaviours" / "mention.html").write_text(
        shipped.replace('class="mention mention-{{ kind }}', 'class="mine mention mention-{{ kind }}'),
        encoding="utf-8")
    site = build_site(project, tmp_path / "site")
    head = _page(site, "texts/brief1/").xpath("//dl[@class='corresp']")[0]
    names = {a.text_content(): a.get("class") for a in head.xpath(".//a[contains(@class, 'mention-person') "
                                                                   "or contains(@class, 'mention-place')]")}
    assert names and all(c.startswith("mine mention") for c in names.values()), names
    assert head.xpath(".//a[@id='corresp-4'][@title]")  # with its anchor, and the names' title


def test_register_entries_citations_are_links_and_count_on_the_works_pages(edition_site):
    """The review of 1.1: the entries' citations were plain text and the works page counted only
    the texts' mentions."""
    entry = html.parse(str(edition_site / "persons" / "tolbuzin" / "index.html"))
    assert [a.get("href") for a in entry.xpath("//p[@class='entry-description']/a[@class='entry-cite']")] == \
        ["../../works/alexandrov1969/", "../../works/myasnikov1980/"]
    works = html.parse(str(edition_site / "works" / "index.html"))
    (rko1,) = works.xpath("//li[@id='rko1']")   # cited by the Albazin entry only, by no text
    assert "ссылок в статьях указателей: 1" in rko1.text_content() and "unmentioned" not in rko1.get("class")
    english = html.parse(str(edition_site / "en" / "works" / "rko2" / "index.html"))
    cited = english.xpath("//ul[contains(@class, 'cited-by')]/li/a/@href")
    assert "../../persons/golovin/" in cited and "../../places/selenginsk/" in cited
