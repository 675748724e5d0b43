"""Genres in Chromium: verse lines cited as a range, and the pages of verse, drama, a letter, a table
and an apparatus laid out without overflow (tests/fixtures/phenomena/ built as one project)."""

from __future__ import annotations

import shutil

import pytest
from conftest import FIXTURES, build_site, serve
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

GENRES = ["verse", "drama", "letter", "table-head", "app-wit", "figure"]


@pytest.fixture(scope="module")
def genres_url(tmp_path_factory):
    root = tmp_path_factory.mktemp("genres")
    project = root / "tei"
    project.mkdir()
    for name in GENRES:
        shutil.copy(FIXTURES / "phenomena" / f"{name}.xml", project / f"{name}.xml")
    shutil.copytree(FIXTURES / "phenomena" / "img", project / "img")
    server, url = serve(build_site(project, root / "site"))
    yield url
    server.shutdown()


def test_a_range_of_verse_lines_is_cited(page: Page, genres_url: str):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(genres_url + "texts/verse/")
    fifth = page.locator("#l5 .l-n")
    expect(fifth).to_have_css("opacity", "1")               # every fifth number is shown
    expect(page.locator("#l4 .l-n")).to_have_css("opacity", "0")
    page.locator("#l2").hover()
    page.locator("#l2 .l-n").click()
    assert page.url.endswith("#l2")                          # a line's number is its permalink
    page.locator("#l4").hover()
    page.locator("#l4 .l-n").click(modifiers=["Shift"])
    button = page.locator("#l4 .cite-range")                 # the button stands at the range's end
    expect(button).to_have_text("Cite lines 2–4")
    assert page.locator(".l.l-selected").count() == 3
    button.click()
    dialog = page.locator(".cite-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator(".cite-what")).to_have_text("Lines 2–4")
    plain = dialog.locator("#cite-plain").input_value()
    assert "ll. 2–4." in plain and "/texts/verse/#l2" in plain, plain
    assert "ll. 2–4" in dialog.locator("#cite-ris").input_value()


def test_one_line_is_cited_as_a_line(page: Page, genres_url: str):
    page.goto(genres_url + "texts/verse/#homeward")
    page.locator("#homeward").hover()
    page.locator("#homeward .l-n").click()
    page.locator("#homeward .cite-range").click()
    expect(page.locator(".cite-dialog .cite-what")).to_have_text("Line 12")
    assert "l. 12." in page.locator("#cite-plain").input_value()


@pytest.mark.parametrize("name", GENRES)
def test_a_genre_page_does_not_overflow(page: Page, genres_url: str, name: str):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(genres_url + f"texts/{name}/")
    width = page.evaluate("document.querySelector('.tei-text').scrollWidth - "
                          "document.querySelector('.tei-text').clientWidth")
    assert width <= 1, f"{name}: the text is {width}px wider than its column"


def test_a_speaker_label_opens_its_cast_entry(page: Page, genres_url: str):
    """A speaker's label is a name like the others: reached by Tab, focus opens the popover of its
    cast entry, and following it leads to the entry's page."""
    page.goto(genres_url + "texts/drama/")
    label = page.locator(".sp .speaker a.mention[data-ref='miller@drama']")
    expect(label).to_have_count(1)
    label.focus()
    pop = page.locator("#teisite-popover")
    expect(pop).to_be_visible()
    expect(pop).to_contain_text("The Miller")
    expect(label).to_have_attribute("aria-describedby", "teisite-popover")
    page.keyboard.press("Escape")
    expect(pop).to_be_hidden()
    label.press("Enter")
    expect(page).to_have_url(genres_url + "cast/drama--miller/")
