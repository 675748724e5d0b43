"""Page images beside the text in Chromium: a text whose page breaks have their images in the project
(tests/fixtures/facs/) gets a toggle that shows the image of the page the reader is at, changing as
the reader scrolls; offline, axe-clean, and without JavaScript the page breaks' links stay."""

from __future__ import annotations

import re
import shutil

import pytest
from conftest import FIXTURES, build_site, serve
from playwright.sync_api import Page, expect
from test_browser_text import run_axe

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def facs_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("facs")
    project = root / "tei"
    shutil.copytree(FIXTURES / "facs", project, ignore=shutil.ignore_patterns("README.md"))
    shutil.copy(FIXTURES / "phenomena" / "figure.xml", project / "figure.xml")
    shutil.copytree(FIXTURES / "phenomena" / "img", project / "img", dirs_exist_ok=True)
    site = build_site(project, root / "site")
    server, url = serve(site)
    yield site, url
    server.shutdown()


def recorded(page: Page) -> list[str]:
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    return requests


def to_break(page: Page, n: str) -> None:
    """Scroll so that page break `n` sits just under the top of the window (behind the header)."""
    page.evaluate("""n => {
        const pb = document.querySelector(`.tei-text .pb[data-n="${n}"]`);
        window.scrollTo(0, pb.getBoundingClientRect().top + window.scrollY - 20);
    }""", n)


def test_page_breaks_carry_their_images_in_the_project_only(facs_site):
    site, _ = facs_site
    pages = (site / "texts" / "pages" / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'data-facs="([^"]+)"', pages) == ["../../img/p1.png", "../../img/p2.png",
                                                         "../../img/p3.png"]
    figure = (site / "texts" / "figure" / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'data-facs="([^"]+)"', figure) == ["../../img/page1.png"]  # not the external one
    assert "https://example.org/page2.jpg" in figure                              # still linked


def test_the_view_follows_the_page_being_read(page: Page, facs_site, tmp_path):
    _, url = facs_site
    requests = recorded(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(url + "texts/pages/")
    toggle = page.locator(".facs-toggle")
    view = page.locator(".facs-view")
    expect(toggle).to_have_text("Page images")
    expect(view).to_be_hidden()
    toggle.click()
    page.mouse.move(1, 1)           # the pointer off the text's links (Material's hover colour is not axe's)
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(view).to_be_visible()
    image = view.locator("img.facs-image")
    expect(image).to_have_attribute("src", re.compile(r"img/p1\.png$"))
    expect(view.locator(".facs-caption")).to_have_text("Page 1")
    page.wait_for_function("() => document.querySelector('.facs-image').naturalWidth === 60")
    # a second column beside the text
    text, shown = page.locator(".tei-text").bounding_box(), view.bounding_box()
    assert shown["x"] >= text["x"] + text["width"], (text, shown)
    to_break(page, "2")
    expect(image).to_have_attribute("src", re.compile(r"img/p2\.png$"))
    expect(view.locator(".facs-caption")).to_have_text("Page 2")
    expect(view).to_be_in_viewport()                      # it stays in view as the text scrolls
    page.wait_for_function("() => document.querySelector('.facs-image').complete")
    page.screenshot(path=str(tmp_path / "facs-1280.png"))
    shutil.copy(tmp_path / "facs-1280.png", "/tmp/teisite-facs-1280.png")
    to_break(page, "3")
    expect(image).to_have_attribute("src", re.compile(r"img/p3\.png$"))
    page.evaluate("window.scrollTo(0, 0)")
    expect(image).to_have_attribute("src", re.compile(r"img/p1\.png$"))
    assert run_axe(page) == []
    toggle.click()
    expect(view).to_be_hidden()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    foreign = [u for u in requests if not re.match(r"(https?://127\.0\.0\.1[:/]|data:|blob:)", u)]
    assert not foreign, foreign


def test_the_view_is_a_strip_at_the_foot_of_a_phone(page: Page, facs_site):
    _, url = facs_site
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(url + "texts/pages/")
    page.locator(".facs-toggle").click()
    view = page.locator(".facs-view")
    expect(view).to_be_in_viewport()
    box = view.bounding_box()
    assert box["y"] + box["height"] == pytest.approx(800, abs=1) and box["width"] == pytest.approx(390, abs=1)
    to_break(page, "2")
    expect(view.locator("img.facs-image")).to_have_attribute("src", re.compile(r"img/p2\.png$"))
    assert run_axe(page) == []


def test_only_a_text_with_images_in_the_project_gets_the_toggle(page: Page, facs_site):
    _, url = facs_site
    page.goto(url + "texts/figure/")                     # page 1 in the project, page 2 elsewhere
    page.locator(".facs-toggle").click()
    expect(page.locator(".facs-view img")).to_have_attribute("src", re.compile(r"img/page1\.png$"))


def test_without_javascript_the_links_stay(browser, facs_site):
    _, url = facs_site
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(url + "texts/pages/")
    assert page.locator(".facs-toggle, .facs-view").count() == 0
    expect(page.locator(".pb-facs")).to_have_count(3)
    expect(page.locator(".pb-facs").first).to_have_attribute("href", re.compile(r"img/p1\.png$"))
    context.close()
