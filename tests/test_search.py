"""Search (teisite/search.py, assets/search.js): what each record holds, and in the browser, that a
word in any form finds the passages, notes and entries that hold it, and only those (issue 15)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest
from conftest import FIXTURES, REPO, build_site, serve
from playwright.sync_api import expect

import teisite.search as search_module
from teisite.search import Collector

TEXT = "texts/albazin-nerchinsk/"


def test_units_are_sections_and_words_split_by_a_line_break_stay_two_words():
    page = ('<article class="teisite-text" data-doc="x"><h1 id="title">Doc</h1><div class="tei-text">'
            '<div class="passage lg" id="p1" data-n="1" data-unit="passage"><a class="passage-n" href="#p1">¶1</a>'
            '<div class="tei-lg"><div class="tei-l l" id="l1" data-unit="line">First<br>line</div>'
            '<div class="tei-l l" id="l2" data-unit="line">two</div></div></div><table><tr><td class="tei-cell" '
            'id="cell-1" data-unit="cell">Ivan</td></tr></table>'
            '<div class="tei-closer closer" id="closer-1" data-unit="closer">Yours</div>'
            '</div></article>')
    c = Collector()
    c.records.extend(c.page_records(page, "texts/x/", False))
    [text] = c.records  # one record for the page's text; its sections are the results
    got = {s.anchor: (s.label, s.content) for s in text.sections}
    assert got["l1"] == ("¶1, line 1", "First line")
    assert got["cell-1"][1] == "Ivan" and got["closer-1"][1] == "Yours"
    assert "p1" not in got  # its words are its lines': ¶1 is not a result of its own
    assert [s.anchor for s in text.sections] == ["title", "l1", "l2", "cell-1", "closer-1"]


def test_a_speech_and_a_letter_part_are_labelled_in_words_whatever_the_hash_seed():
    """A unit with two classes that name it (`sp tei-sp`, `tei-closer closer`) is labelled by
    the interface's word for it, the same in every build: the label once came from the order of
    a set of class names, which Python's hash seed changes from process to process."""
    code = ("from teisite.search import Collector\n"
            "page = ('<article class=\"teisite-text\" data-doc=\"x\"><h1>D</h1><div class=\"tei-text\">'\n"
            "        '<div class=\"sp tei-sp\" id=\"m1\" data-unit=\"sp\">Anna. Yes.</div>'\n"
            "        '<div class=\"tei-closer closer\" id=\"closer-1\" data-unit=\"closer\">Yours</div>"
            "</div></article>')\n"
            "c = Collector({'search_sp': 'speech', 'search_closer': 'closing'})\n"
            "[text] = c.page_records(page, 'texts/x/', False)\n"
            "print(*[s.label for s in text.sections if s.anchor in ('m1', 'closer-1')])\n")
    labels = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                             env={**os.environ, "PYTHONHASHSEED": str(seed), "PYTHONPATH": str(REPO)}
                             ).stdout.strip() for seed in range(8)}
    assert labels == {"speech closing"}


def test_text_resumed_after_a_unit_is_its_owners_again():
    """Words of a passage after a verse line inside it belong to the passage (a section of its
    own in reading order, with the passage's anchor), not to the line before them."""
    page = ('<article class="teisite-text" data-doc="x"><h1 id="title">Doc</h1><div class="tei-text">'
            '<div class="passage" id="p1" data-n="1" data-unit="passage">Before'
            '<div class="tei-l l" id="l1" data-unit="line">verse</div>after'
            '</div></div><ol><li class="note" id="note-1" value="1">A note</li></ol></article>')
    c = Collector()
    c.records.extend(c.page_records(page, "texts/x/", False))
    text, notes = c.records
    assert [(s.anchor, s.content) for s in text.sections] == [
        ("title", "Doc"), ("p1", "Before"), ("l1", "verse"), ("p1", "after")]
    assert (notes.kind, [(s.anchor, s.label, s.content) for s in notes.sections]) == \
        ("note", [("note-1", "note 1", "A note")])


def search(page, query: str) -> list[tuple[str, str]]:
    """(href without ?h=, the words marked in its excerpt) for each result of `query`."""
    page.keyboard.press("/")
    box = page.locator("input.md-search__input")
    box.fill(query)
    box.press("End")
    items = page.locator(".md-search-result__item")
    expect(page.locator(".md-search-result__meta")).not_to_be_empty(timeout=10000)
    expect(items.first).to_be_visible(timeout=10000)
    page.wait_for_timeout(200)
    more = page.locator(".ts-search-more")
    while more.is_visible():  # every result, not only the first page of them
        count = items.count()
        more.click()
        expect(items).not_to_have_count(count)
    out = []
    for i in range(items.count()):
        a = items.nth(i).locator("a")
        href = re.sub(r"\?h=[^#]*", "", a.get_attribute("href") or "")
        out.append((href, " ".join(m.inner_text() for m in a.locator("mark").all())))
    return out


@pytest.mark.parametrize("query, stem, must, never", [
    ("Головина", "головин", ["persons/golovin/", TEXT + "#p9"], []),
    ("Нерчинска", "нерчинск", ["places/nerchinsk/", TEXT + "#p9"], []),
    ("Албазина", "албазин", ["places/albazin/", TEXT + "#p1", TEXT + "#p2"],
     [TEXT + "#p6", TEXT + "#p7", TEXT + "#p8"]),
    ("ожесточенный", "ожесточ", [TEXT + "#p2"], []),
    ("Аргуни", "аргун", [TEXT + "#note-23"], []),  # the last note (the treaty's border)
    ("Albazin", "albazin", ["places/albazin/"], [TEXT + "#p6"]),
])
def test_a_word_in_any_form_finds_what_holds_it_and_only_that(watched, site_url, query, stem,
                                                             must, never):
    page, _ = watched
    page.goto(site_url)
    results = search(page, query)
    hrefs = [h.removeprefix(site_url) for h, _ in results]
    for h in must:
        assert h in hrefs, (query, hrefs)
    for h in never:
        assert h not in hrefs, (query, hrefs)
    for h, marked in results:  # every result holds the word itself, not only in its title
        assert stem in marked.lower().replace("ё", "е"), (query, h, marked)


def test_ozhestochennyi_finds_exactly_one_passage(watched, site_url):
    page, _ = watched
    page.goto(site_url)
    # of the edition's text (the user guide quotes the word as an example of search)
    assert [h for h, _ in search(page, "ожесточенный") if "/guide/" not in h] == [site_url + TEXT + "#p2"]


def test_a_result_leads_to_its_anchor_with_the_words_marked(watched, site_url):
    page, _ = watched
    page.goto(site_url)
    search(page, "Головина")
    page.locator(f'.md-search-result__item a[href*="{TEXT}"][href$="#p9"]').click()
    expect(page).to_have_url(re.compile(r"\?h=.*#p9$"))
    hits = page.locator("#p9 mark.ts-hit")
    expect(hits.first).to_be_visible()
    assert all(m.lower().startswith("головин") for m in hits.all_inner_texts())


def test_filters_by_kind(watched, site_url):
    page, _ = watched
    page.goto(site_url)
    search(page, "Албазина")
    page.locator(".ts-search-filters select[name=kind]").select_option("note")
    expect(page.locator(".md-search-result__item a").first).to_have_attribute("href", re.compile("#note-"))
    page.wait_for_timeout(300)
    hrefs = [a.get_attribute("href") for a in page.locator(".md-search-result__item a").all()]
    assert hrefs and all("#note-" in h for h in hrefs), hrefs


def test_several_words_find_the_passages_holding_all_of_them(watched, site_url):
    """The text is one record, but a result is a passage: «Толбузина Албазин» finds ¶1 and ¶2,
    which name both, not ¶3–5 and ¶9, which name Albazin only; and Tolbuzin's entry."""
    page, _ = watched
    page.goto(site_url)
    hrefs = [h.removeprefix(site_url) for h, _ in search(page, "Толбузина Албазин")]
    assert TEXT + "#p1" in hrefs and TEXT + "#p2" in hrefs, hrefs
    # his entry: his name is among its names, «албазинский» in its text (one place, two parts)
    assert "persons/tolbuzin/" in hrefs, hrefs
    assert not {TEXT + f"#p{n}" for n in (3, 4, 5, 9)} & set(hrefs), hrefs


def test_filters_by_year_keep_the_passages_of_that_year(watched, site_url):
    page, _ = watched
    page.goto(site_url)
    search(page, "Албазина")
    page.locator(".ts-search-filters select[name=year]").select_option("1686")
    expect(page.locator(".md-search-result__meta")).to_have_text(re.compile(r"\d"))
    page.wait_for_timeout(300)
    hrefs = [(a.get_attribute("href") or "").removeprefix(site_url)
             for a in page.locator(".md-search-result__item a").all()]
    hrefs = [re.sub(r"\?h=[^#]*", "", h) for h in hrefs]
    assert TEXT + "#p2" in hrefs, hrefs
    assert not {TEXT + "#p1", TEXT + "#p5", TEXT + "#p9"} & set(hrefs), hrefs


def test_search_works_from_a_subfolder(page, edition_site, tmp_path):
    shutil.copytree(edition_site, tmp_path / "sub")
    server, url = serve(tmp_path)
    try:
        page.goto(url + "sub/persons/")
        hrefs = [h for h, _ in search(page, "Нерчинска")]
        assert url + "sub/places/nerchinsk/" in hrefs
        assert all(h.startswith(url + "sub/") for h in hrefs)
    finally:
        server.shutdown()


def test_without_javascript_a_plain_message(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url)
    expect(page.locator(".ts-search-nojs")).to_be_visible()
    expect(page.locator("input.md-search__input")).to_be_hidden()
    context.close()


@pytest.fixture(scope="module")
def fixtures_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("search-fixtures")
    for name in ("lg", "table", "lb", "app", "note"):
        shutil.copy(FIXTURES / "phenomena" / f"{name}.xml", folder)
    shutil.copy(FIXTURES / "search-letter.xml", folder)
    site = build_site(folder, tmp_path_factory.mktemp("search-fixtures-site") / "site")
    server, url = serve(site)
    yield url
    server.shutdown()


@pytest.mark.parametrize("query, where", [
    ("second verse", "texts/lg/#l2"),         # a verse line (its anchor from the walk)
    ("Ivan", "texts/table/#cell-3"),          # a table cell
    ("humble", "texts/search-letter/#salute-2"),  # a letter's closer
    ("Golovin", "texts/search-letter/#signed-1"),
    ("continued", "texts/lb/#p1"),            # <lb break="no"/> joins the word
])
def test_verse_table_and_letter_are_searchable(page, fixtures_url, query, where):
    page.goto(fixtures_url)
    hrefs = [h for h, _ in search(page, query)]
    assert fixtures_url + where in hrefs, hrefs
    page.goto(fixtures_url + where)
    expect(page.locator("#" + where.split("#")[1])).to_be_visible()


def test_a_line_break_makes_two_words(page, fixtures_url):
    """«line<lb/>second» is indexed as two words, as the reader reads them."""
    page.goto(fixtures_url)
    hrefs = [h for h, _ in search(page, "second")]
    assert fixtures_url + "texts/lb/#p1" in hrefs
    item = page.locator('.md-search-result__item a[href*="texts/lb/"][href$="#p1"]')
    expect(item).to_contain_text("line second")


def test_the_texts_language_is_the_search_language(tmp_path):
    """A folder of German texts, built with teisite's English interface, is indexed as German
    (stemmed as German), not as English."""
    import json

    from teisite.commands import build
    from teisite.project import find_project
    folder = tmp_path / "briefe"
    folder.mkdir()
    (folder / "brief.xml").write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="de"><teiHeader><fileDesc><titleStmt>'
        '<title>Brief</title></titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/>'
        '</sourceDesc></fileDesc></teiHeader><text><body><p>Die Häuser der Stadt.</p></body></text></TEI>',
        encoding="utf-8")
    assert build(find_project(folder, tmp_path / "site")) == 0
    entry = json.loads((tmp_path / "site" / "pagefind" / "pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["de"]


def test_a_projects_own_unit_is_a_search_result(tmp_path):
    """A project that gives `ab` `anchor: unit` gets, besides the anchor, a search result at it,
    labelled by the word for its name (search_ab, or the name): units are what the table says,
    never class names. Seen to give no result before (search knew units by their classes)."""
    from conftest import build_site
    project = tmp_path / "tei"
    (project / "templates").mkdir(parents=True)
    (project / "templates" / "models.yml").write_text(
        "ab: [{behaviour: block, params: {tag: div, class: block-ab, anchor: unit}}]\n", encoding="utf-8")
    (project / "t.xml").write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>'
        "<publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc></teiHeader>"
        "<text><body><ab>Anonymous block of words.</ab><ab>Another one.</ab></body></text></TEI>",
        encoding="utf-8")
    site = build_site(project, tmp_path / "site")
    page = (site / "texts" / "t" / "index.html").read_text(encoding="utf-8")
    [text, *_] = Collector().page_records(page, "texts/t/", False)
    got = {s.anchor: (s.label, s.content) for s in text.sections}
    assert got["ab-1"] == ("ab", "Anonymous block of words.") and got["ab-2"] == ("ab", "Another one.")


# --- pre-reform spelling (issue 25) -----------------------------------------------------------------

@pytest.mark.parametrize("written, folded", [
    ("лѣта", "лета"), ("Ѳедоръ", "Федор"), ("Алексѣй", "Алексей"), ("городѣ", "городе"),
    ("великій", "великий"), ("мѵро", "миро"), ("Їоаннъ,", "Иоанн,"), ("объявилъ", "объявил"),
    ("съ ним", "с ним"), ("ъ", "ъ"), ("подъѣхалъ", "подъехал"),
])
def test_old_letters_fold_word_for_word(written, folded):
    from teisite.search import fold_old_spelling
    assert fold_old_spelling(written) == folded
    assert len(fold_old_spelling(written).split()) == len(written.split())


def test_a_russian_record_is_indexed_folded_and_keeps_its_words_as_written():
    import json

    from teisite.search import Record, _record_html
    rec = Record("texts/x/", "text", "Грамота", "text", "Грамота")
    rec.section("p1", "¶1").parts.append("Лѣта 7197 Ѳедоръ")
    rec.section("p2", "¶2").parts.append("Лето 7198")
    page = _record_html(rec, "ru")
    assert "<p>Лета 7197 Федор</p>" in page and "<p>Лето 7198</p>" in page
    units = json.loads(re.search(r'data-pagefind-filter="units">([^<]*)<', page)[1].replace("&#34;", '"'))
    assert units == {"p1": ["¶1", [], "Лѣта 7197 Ѳедоръ"], "p2": ["¶2", []]}
    assert "<p>Лѣта 7197 Ѳедоръ</p>" in _record_html(rec, "en")  # only Russian is folded


@pytest.fixture(scope="module")
def old_spelling_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("search-old")
    shutil.copy(FIXTURES / "search-old" / "gramota.xml", folder)
    site = build_site(folder, tmp_path_factory.mktemp("search-old-site") / "site")
    server, url = serve(site)
    yield url
    server.shutdown()


@pytest.mark.parametrize("query, written", [
    ("лета", "Лѣта"), ("Федор", "Ѳедоръ"), ("Алексей", "Алексѣй"), ("городе", "городѣ"),
    ("Федора", "Ѳедоръ"), ("миро", "мѵро"),
])
def test_modern_letters_find_the_old_spelling_and_show_it(page, old_spelling_url, query, written):
    page.goto(old_spelling_url)
    results = search(page, query)
    hrefs = [h.removeprefix(old_spelling_url) for h, _ in results]
    where = "texts/gramota/#p2" if query == "миро" else "texts/gramota/#p1"
    assert where in hrefs, (query, hrefs)
    item = page.locator(f'.md-search-result__item a[href*="texts/gramota/"][href$="#{where.split("#")[1]}"]')
    expect(item.locator("mark").first).to_be_visible()
    assert written in item.locator("mark").all_inner_texts(), query
    if where.endswith("p1"):
        expect(item).to_contain_text("Лѣта 7197 году великій государь Ѳедоръ")


def test_both_readings_of_a_choice_are_found(page, old_spelling_url):
    page.goto(old_spelling_url)
    for query in ("церкви", "храме"):
        hrefs = [h.removeprefix(old_spelling_url) for h, _ in search(page, query)]
        assert "texts/gramota/#p2" in hrefs, (query, hrefs)
        page.keyboard.press("Escape")


def test_a_result_in_old_spelling_marks_the_words_on_arrival(page, old_spelling_url):
    page.goto(old_spelling_url)
    search(page, "Алексей")
    page.locator('.md-search-result__item a[href*="texts/gramota/"][href$="#p1"]').click()
    hits = page.locator("#p1 mark.ts-hit")
    expect(hits.first).to_be_visible()
    assert "Алексѣй" in hits.all_inner_texts()


def test_letters_whose_language_is_only_in_langusage_are_indexed_in_it(tmp_path):
    """Schnitzler's letters (tests/fixtures/corpora/schnitzler-briefe/, real excerpts) have no
    xml:lang; their headers say `langUsage/language@ident="de-AT"`. They are indexed as German and
    their pages say so (they were indexed as English, the interface's language)."""
    import json
    import shutil

    from conftest import FIXTURES

    from teisite.commands import build
    from teisite.project import find_project
    folder = tmp_path / "briefe"
    shutil.copytree(FIXTURES / "corpora" / "schnitzler-briefe", folder,
                    ignore=shutil.ignore_patterns("*.md"))
    assert build(find_project(folder, tmp_path / "site")) == 0
    entry = json.loads((tmp_path / "site" / "pagefind" / "pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["de"]
    page = (tmp_path / "site" / "texts" / "L00001" / "index.html").read_text(encoding="utf-8")
    assert '<article class="teisite-text" data-doc="L00001" lang="de-AT">' in page


def test_an_index_in_parts_finds_what_each_part_holds(page, tmp_path, monkeypatch):
    """A large edition's records are indexed in parts (Pagefind's memory grows with what one
    process indexes); the browser merges them: a query finds the entry, the passage and the
    note, whichever part holds each, from the root as from a subfolder."""
    monkeypatch.setattr(search_module, "PART_BYTES", 40_000)
    site = build_site(None, tmp_path / "sub")
    parts = json.loads((site / "pagefind" / "teisite-filters.json").read_text("utf-8"))["parts"]
    assert len(parts) >= 3, parts
    assert all((site / "pagefind" / p / "pagefind-entry.json").exists() for p in parts)
    server, url = serve(tmp_path)
    try:
        page.goto(url + "sub/persons/")
        hrefs = [h.removeprefix(url + "sub/") for h, _ in search(page, "Головина")]
        assert {"persons/golovin/", TEXT + "#p9"} <= set(hrefs), hrefs
        hrefs = [h.removeprefix(url + "sub/") for h, _ in search(page, "Аргуни")]
        assert TEXT + "#note-23" in hrefs, hrefs
    finally:
        server.shutdown()
