"""The reader's map, copying and landing, in Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from test_browser_text import MOBILE, PUBLISHED, TEXT, open_text, popover, run_axe

pytestmark = pytest.mark.browser


def test_the_map_draws_offline_and_zooms(watched, site_url):
    page, log = watched
    page.goto(site_url + "map/")
    frame = page.locator(".map-frame")
    expect(page.locator(".map-controls")).to_be_visible()
    page.wait_for_load_state("networkidle")
    local = [u for u in log["requests"] if not u.startswith("data:")]
    assert site_url + "map/base.svg" in local
    assert all(u.startswith(site_url) for u in local), local  # (the fixture checks hosts too)
    expect(page.locator(".map-place a[href='../places/albazin/']")).to_have_count(1)
    view = lambda: page.locator(".map-svg").get_attribute("viewBox")
    start = view()
    frame.focus()
    page.keyboard.press("+")
    zoomed = view()
    assert float(zoomed.split()[2]) < float(start.split()[2])
    page.keyboard.press("ArrowRight")
    assert float(view().split()[0]) > float(zoomed.split()[0])
    page.keyboard.press("0")
    assert view() == start
    box = frame.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -200)
    assert float(view().split()[2]) < float(start.split()[2])
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 - 80, box["y"] + box["height"] / 2, steps=4)
    page.mouse.up()
    # borders are off until switched on
    borders = page.locator(".map-borders").first
    expect(borders).to_be_hidden()
    page.locator("[data-borders]").check()
    expect(borders).to_be_visible()


def test_the_map_page_without_javascript_lists_the_places(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "map/")
    expect(page.locator(".map-places-list a[href='../places/albazin/']")).to_be_visible()
    expect(page.locator(".map-controls")).to_be_hidden()
    context.close()


@pytest.mark.parametrize("path", ["map/", "places/albazin/", "downloads/"])
@pytest.mark.parametrize("width", [1280, 390])
def test_axe_finds_nothing_on_reader_pages(watched, site_url, path, width):
    page, _ = watched
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site_url + path)
    assert run_axe(page) == []


def test_copying_a_passage_gives_its_words(browser, site_url):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    open_text(page, site_url)
    page.locator("#p4 a.mention-person").first.hover()  # a popover open inside the passage
    expect(popover(page)).to_be_visible()
    page.evaluate("""() => { const r = document.createRange();
        r.selectNodeContents(document.querySelector('#p4')); const s = getSelection();
        s.removeAllRanges(); s.addRange(r); }""")
    page.keyboard.press("Control+C")
    text = page.evaluate("navigator.clipboard.readText()")
    assert text.startswith("Героическая оборона Албазина")
    for junk in ("¶", "Постоянная ссылка", "Цитировать", "Лицо", "Страница"):
        assert junk not in text, junk
    assert "Китая [10]" in text and "Китая10" not in text  # a note marker, spaced and bracketed
    # two passages: a blank line between them, no numbers
    page.evaluate("""() => { const r = document.createRange();
        r.setStart(document.querySelector('#p1 > p'), 0); r.setEnd(document.querySelector('#p2 > p'), 1);
        const s = getSelection(); s.removeAllRanges(); s.addRange(r); }""")
    page.keyboard.press("Control+C")
    text = page.evaluate("navigator.clipboard.readText()")
    assert text.startswith("В это время [1] командование") and text.endswith("житьё.\n\nМаньчжуры")
    context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_landing_on_a_name_highlights_its_passage_and_opens_nothing(browser, site_url, width):
    context = browser.new_context(**(MOBILE if width == 390 else {"viewport": {"width": 1280, "height": 800}}))
    page = context.new_page()
    page.goto(site_url + "persons/kangxi/")
    page.locator("a.kwic-hit").first.click()
    page.wait_for_url("**#p4-m*")
    passage = page.locator("#p4")
    expect(passage).to_have_class("passage landed")
    target = page.locator(".tei-text .mention:target")
    expect(target).to_have_class(re.compile(r"\bmention-person\b.*\blanded\b"))
    page.wait_for_timeout(400)
    expect(popover(page)).to_have_count(0)
    header = page.locator(".md-header").bounding_box()
    top = passage.bounding_box()["y"]
    assert top >= header["y"] + header["height"] - 1  # the passage's start is not under the header
    expect(target).to_be_in_viewport()
    # and within the page: a link to #p7 lands likewise
    page.goto(site_url + TEXT + "#p7")
    expect(page.locator("#p7")).to_have_class("passage landed")
    expect(page.locator("#p7")).to_be_in_viewport()
    context.close()


def test_print_ends_with_url_citation_and_licence(page, site_url):
    open_text(page, site_url)
    colophon = page.locator("footer.print-colophon")
    expect(colophon).to_be_hidden()
    page.emulate_media(media="print")
    expect(colophon).to_be_visible()
    expect(colophon).to_contain_text(PUBLISHED + TEXT)  # the address it is published at (site_url)
    expect(colophon).to_contain_text("CC BY 4.0")
