"""The edition's English interface (plugin option `languages: [ru, en]`): the same site under en/,
the registers in their English forms, the text as it is, and a switch to each page's counterpart."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_english_interface_names_the_registers_in_english(watched, site_url):
    page, _ = watched
    page.goto(site_url + "en/texts/albazin-nerchinsk/")
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.locator(".md-nav").first).to_contain_text("Persons")
    expect(page.locator("#p1")).to_contain_text("Толбузин")  # the text stays Russian
    page.locator("#p1 a.mention-person", has_text="Толбузин").hover()
    expect(page.locator("#teisite-popover")).to_contain_text("Aleksei Larionovich Tolbuzin")
    page.goto(site_url + "en/persons/")
    expect(page.locator("article h1")).to_have_text("Persons")
    expect(page.locator("ul.entry-list li", has_text="Tolbuzin").first).to_be_visible()


def test_the_language_switch_leads_to_the_same_page(watched, site_url):
    page, _ = watched
    page.goto(site_url + "persons/tolbuzin/")
    english = page.locator("a.md-select__link[hreflang='en']")
    page.goto(english.evaluate("a => a.href"))
    assert page.url == site_url + "en/persons/tolbuzin/"
    expect(page.locator("article h1")).to_have_text("Aleksei Larionovich Tolbuzin")
    russian = page.locator("a.md-select__link[hreflang='ru']")
    page.goto(russian.evaluate("a => a.href"))
    assert page.url == site_url + "persons/tolbuzin/"
    expect(page.locator("article h1")).to_contain_text("Толбузин")


def test_every_page_has_its_counterpart(edition_site):
    """Each page of the Russian site has its English counterpart, and back (the published
    versions, v/<n>/, are in the edition's language only)."""
    russian = {p.relative_to(edition_site) for p in edition_site.rglob("*.html")
               if p.relative_to(edition_site).parts[0] not in ("en", "pagefind", "v")}
    english = {p.relative_to(edition_site / "en") for p in (edition_site / "en").rglob("*.html")
               if p.relative_to(edition_site / "en").parts[0] != "pagefind"}
    assert russian == english and len(russian) > 40


def _nav(page: Path) -> list[str]:
    """The pages the primary navigation of a built page links to, by their addresses."""
    tree = lxml.html.parse(str(page))
    return sorted(a.get("href") for a in tree.xpath(
        "//nav[contains(@class, 'md-nav--primary')]//a[contains(@class, 'md-nav__link')][@href]"))


def test_both_interfaces_have_the_same_navigation(edition_site):
    """Every item of one interface's navigation is in the other's (the Russian one had no map)."""
    russian, english = _nav(edition_site / "index.html"), _nav(edition_site / "en" / "index.html")
    assert "map/" in russian and "works/" in russian
    assert russian == english


def test_the_places_index_links_the_map(edition_site):
    for root in (edition_site, edition_site / "en"):
        tree = lxml.html.parse(str(root / "places" / "index.html"))
        assert tree.xpath("//p[@class='index-map']/a[@href='../map/']"), root


def _latin_share(page: Path) -> float:
    tree = lxml.html.parse(str(page))
    words = " ".join(tree.xpath("//article//text()"))
    latin = len(re.findall(r"[A-Za-z]", words))
    cyrillic = len(re.findall(r"[А-Яа-яЁё]", words))
    return latin / (latin + cyrillic)


@pytest.mark.parametrize("page", ["index.html", "about/index.html", "cite/index.html", "guide/index.html"])
def test_the_english_interface_pages_are_in_english(edition_site, page):
    """The hand-written pages of en/ come from their English variants (about.en.md...), and the
    Russian site's from the Russian pages; a variant is no page of its own in either."""
    assert _latin_share(edition_site / "en" / page) > 0.8
    assert _latin_share(edition_site / page) < 0.5  # (the Russian cite page quotes BibTeX and URLs)
    assert not (edition_site / "about.en").exists() and not (edition_site / "en" / "about.en").exists()


@pytest.mark.parametrize("interface", ["", "en/"])
def test_the_translation_stands_beside_its_original(browser, site_url, interface, tmp_path):
    """On a wide screen each paragraph of the editors' translation stands beside its original, on
    a phone under it; the switch shows one alone; each translated paragraph has its own address."""
    wide = browser.new_page(viewport={"width": 1400, "height": 1000})
    wide.goto(site_url + interface + "texts/albazin-nerchinsk/")
    expect(wide.locator(".parallel-row")).to_have_count(9)
    expect(wide.locator(".parallel-top .tei-head")).to_have_text("English translation by the editors (the teisite project)")
    original, translated = wide.locator("#p4").bounding_box(), wide.locator("#p4-en").bounding_box()
    assert translated["x"] >= original["x"] + original["width"] and abs(translated["y"] - original["y"]) < 4
    assert wide.locator("#p4-en").get_attribute("lang") is None  # (the section says it: lang="en")
    assert wide.locator("section.translation").get_attribute("lang") == "en"
    wide.screenshot(path=str(tmp_path / "parallel-desktop.png"))
    wide.locator(".parallel-switch input[value='translation']").check()
    expect(wide.locator("#p4")).to_be_hidden()
    expect(wide.locator("#p4-en")).to_be_visible()
    wide.locator(".parallel-switch input[value='both']").check()
    wide.close()

    phone = browser.new_page(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    phone.goto(site_url + interface + "texts/albazin-nerchinsk/#p4-en")
    expect(phone.locator("#p4-en")).to_be_visible()
    original, translated = phone.locator("#p4").bounding_box(), phone.locator("#p4-en").bounding_box()
    assert translated["y"] >= original["y"] + original["height"] - 1
    assert translated["x"] + translated["width"] <= 390
    phone.screenshot(path=str(tmp_path / "parallel-phone.png"))
    phone.locator(".parallel-switch input[value='original']").check()
    expect(phone.locator("#p4-en")).to_be_hidden()
    phone.locator(".parallel-switch input[value='both']").check()
    phone.close()


@pytest.mark.parametrize(("interface", "what", "locator"), [
    ("", "Перевод абзаца 4", "Абз. 4."), ("en/", "Translation of paragraph 4", "Para. 4.")])
def test_a_translated_paragraph_has_its_own_cite_button(browser, site_url, interface, what, locator):
    """Each paragraph of the translation is citable as the text's paragraphs are: its button,
    beside it in its column, cites it at its own address (#p4-en) and says it is the translation."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(site_url + interface + "texts/albazin-nerchinsk/")
    expect(page.locator(".parallel-row")).to_have_count(9)
    button = page.locator("#p4-en > button.cite-passage")
    expect(button).to_have_count(1)
    page.locator("#p4-en").hover()
    expect(button).to_be_visible()
    box, paragraph = button.bounding_box(), page.locator("#p4").bounding_box()
    assert box["x"] >= paragraph["x"] + paragraph["width"] - 4  # in the translation's column's margin
    button.click()
    dialog = page.locator("dialog.cite-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator(".cite-what")).to_have_text(what)
    plain = dialog.locator("#cite-plain").input_value()
    assert "texts/albazin-nerchinsk/#p4-en" in plain and locator in plain
    assert "#p4-en" in dialog.locator("#cite-bibtex").input_value()
    dialog.locator(".cite-close").click()
    expect(dialog).to_be_hidden()
    page.close()


def test_without_script_the_translation_follows_the_text(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "en/texts/albazin-nerchinsk/")
    expect(page.locator(".parallel-switch")).to_be_hidden()
    expect(page.locator("section.translation .passage-translation")).to_have_count(9)
    expect(page.locator("#p9-en .translation-of")).to_have_attribute("href", "#p9")
    context.close()
