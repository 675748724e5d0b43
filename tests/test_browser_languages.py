"""The edition's English interface (plugin option `languages: [ru, en]`): the same site under en/,
the registers in their English forms, the text as it is, and a switch to each page's counterpart."""

from __future__ import annotations

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
