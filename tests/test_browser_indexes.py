"""In the browser: text → popover → entry page → occurrence → back to the same mention; search."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
TEXT = "texts/albazin-nerchinsk/"


def test_round_trip_from_a_name_to_its_entry_and_back(watched, site_url):
    page, _ = watched
    page.goto(site_url + TEXT)
    mention = page.locator("a.mention-person[data-ref='beiton']").first
    anchor = mention.get_attribute("id")
    mention.hover()
    pop = page.locator("#teisite-popover")
    expect(pop).to_be_visible()
    expect(pop).to_contain_text("Афанасий Иванович Бейтон")
    pop.locator("a[href*='persons/beiton/']").first.click()
    expect(page).to_have_url(site_url + "persons/beiton/")
    expect(page.locator("h1")).to_have_text("Афанасий Иванович Бейтон")
    hit = page.locator(f"a.kwic-hit[href$='#{anchor}']")
    expect(hit).to_have_count(1)
    hit.click()
    expect(page).to_have_url(site_url + TEXT + "#" + anchor)
    landed = page.locator(f"#{anchor}")
    expect(landed).to_be_in_viewport()
    # landing on a mention from an index highlights it
    assert page.evaluate(f"getComputedStyle(document.getElementById('{anchor}')).backgroundColor") \
        not in ("rgba(0, 0, 0, 0)", "transparent")


def test_chronology_row_leads_to_the_date_in_the_text(watched, site_url):
    page, _ = watched
    page.goto(site_url + "chronology/")
    link = page.locator("table.chronology tbody tr a").first
    href = link.get_attribute("href")
    link.click()
    anchor = href.split("#")[1]
    expect(page.locator(f"#{anchor}")).to_be_in_viewport()
    expect(page.locator(f"#{anchor}")).to_have_class(re.compile("mention-date"))


def test_index_letter_bar_and_entries(watched, site_url):
    page, _ = watched
    page.goto(site_url + "persons/")
    letters = page.locator("nav.letter-bar a")
    assert letters.count() >= 10
    page.locator("nav.letter-bar a", has_text="Т").click()
    expect(page.locator("li#tolbuzin")).to_be_in_viewport()
    expect(page.locator("li#tolbuzin")).to_contain_text("Толбузин, Алексей Ларионович")


def _hrefs(page) -> list[str]:
    """The search results' links, without the ?h= highlight parameter."""
    links = page.locator(".md-search-result a")
    return [re.sub(r"\?h=[^#]*", "", links.nth(i).get_attribute("href") or "")
            for i in range(links.count())]


@pytest.mark.parametrize("query, entry", [("Tolbuzin", "persons/tolbuzin/"),
                                           ("Жербийон", "persons/gerbillon/"),
                                           ("Нерчинск", "places/nerchinsk/")])
def test_search_finds_entries_by_any_name(watched, site_url, query, entry):
    page, _ = watched
    page.goto(site_url)
    page.keyboard.press("/")  # Material's shortcut: focus the search box
    box = page.locator("input.md-search__input")
    box.fill(query)
    box.press("End")  # fill() sends no key events; Material searches on key-up
    results = page.locator(".md-search-result__item a")
    expect(results.first).to_be_visible(timeout=10000)
    hrefs = _hrefs(page)
    assert any(h.split("#")[0].endswith(entry) for h in hrefs), hrefs


def test_search_finds_a_passage_of_the_text(watched, site_url):
    page, _ = watched
    page.goto(site_url)
    page.keyboard.press("/")
    box = page.locator("input.md-search__input")
    box.fill("пепелище")
    box.press("End")
    expect(page.locator(".md-search-result__item a").first).to_be_visible(timeout=10000)
    assert site_url + TEXT + "#p1" in _hrefs(page)


@pytest.mark.parametrize("path", ["persons/", "places/", "persons/tolbuzin/", "chronology/", ""])
@pytest.mark.parametrize("width", [1280, 390])
def test_axe_finds_nothing_on_index_pages(watched, site_url, path, width):
    from test_browser_text import run_axe
    page, _ = watched
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site_url + path)
    assert run_axe(page) == []


def test_chronology_on_a_phone_keeps_words_whole(watched, site_url):
    """Material lets a link break anywhere; in the chronology's narrow middle column on a phone
    that cut words in two («времен|и»). Each word of each link must sit on one line."""
    page, _ = watched
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_url + "chronology/")
    split = page.evaluate("""() => {
      const out = [];
      for (const a of document.querySelectorAll("table.chronology td a")) {
        const node = a.firstChild;
        if (!node || node.nodeType !== Node.TEXT_NODE) continue;
        for (const m of node.textContent.matchAll(/\\S+/g)) {
          const r = document.createRange();
          r.setStart(node, m.index);
          r.setEnd(node, m.index + m[0].length);
          const tops = new Set([...r.getClientRects()].map(x => Math.round(x.top)));
          if (tops.size > 1) out.push(m[0]);
        }
      }
      return out;
    }""")
    assert page.locator("table.chronology td a").count() > 5
    assert split == []
