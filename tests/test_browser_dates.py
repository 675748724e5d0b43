"""Dates written from the Creation, in Chromium: the popover and the chronology show them as
written with their Julian and Gregorian dates, and the chronology puts them in order (issue 25)."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, build_site, serve, small_project
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def dates_url(tmp_path_factory):
    root = small_project(tmp_path_factory.mktemp("byzantine"),
                         {"byzantine.xml": FIXTURES / "dates" / "byzantine.xml"}, "ru", "Даты")
    server, url = serve(build_site(root, root / "site"))
    yield url
    server.shutdown()


def test_the_popover_shows_the_date_as_written_julian_and_gregorian(page: Page, dates_url):
    page.goto(dates_url + "texts/byzantine/")
    expect(page.locator(".highlight-toggles")).to_be_visible()  # teisite.js has run
    page.locator("a.mention-date:has-text('лета 7197 августа 27')").hover()
    pop = page.locator("#teisite-popover")
    expect(pop).to_be_visible()
    expect(pop.locator(".pop-title")).to_have_text("6 сентября 1689 (по григорианскому календарю)")
    expect(pop.locator(".pop-facts")).to_have_text([
        "27 августа 1689 (по юлианскому календарю)",
        "27 августа 7197 (от сотворения мира, сентябрьский год)"])
    page.mouse.move(0, 0)
    page.keyboard.press("Escape")
    page.locator("a.mention-date:has-text('лета 7195 сентября 5')").hover()
    expect(pop.locator(".pop-title")).to_have_text("15 сентября 1686 (по григорианскому календарю)")
    expect(pop.locator(".pop-facts").first).to_have_text("5 сентября 1686 (по юлианскому календарю)")


def test_the_chronology_shows_them_in_gregorian_order(page: Page, dates_url):
    page.goto(dates_url + "chronology/")
    rows = page.locator("table.chronology tbody tr td:first-child")
    expect(rows).to_have_count(4)
    texts = [" ".join(t.split()) for t in rows.all_inner_texts()]
    assert texts == [
        ("19 января 1493 10 января 1493 (по юлианскому календарю) 10 января 7000 (от сотворения мира, "
        "мартовский год)"),
        ("15 сентября 1686 5 сентября 1686 (по юлианскому календарю) 5 сентября 7195 (от сотворения мира, "
        "сентябрьский год)"),
        ("11 июня – 10 сентября 1689 июнь – август 1689 (по юлианскому календарю) июнь – август 7197 "
        "(от сотворения мира, сентябрьский год)"),
        ("6 сентября 1689 27 августа 1689 (по юлианскому календарю) 27 августа 7197 (от сотворения мира, "
        "сентябрьский год)")], texts
