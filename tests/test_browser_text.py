"""The reader's view of a text page, in Chromium: popovers, notes, permalinks, citing, toggles, a11y.

Two sites: the repository's own edition (Russian), and a tiny English project built here that has the
phenomena the edition lacks (a name inside a name, choice, an author's note, authority links).
"""

from __future__ import annotations

import json
import re
from datetime import date

import bibtexparser
import pytest
import rispy
from conftest import REPO, build_site, serve, small_project
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

TEXT = "texts/albazin-nerchinsk/"
# the address the edition is published at (mkdocs.yml's site_url): citations name it, wherever it is read
PUBLISHED = re.search(r'^site_url: "?([^"\n]+)"?', (REPO / "mkdocs.yml").read_text(encoding="utf-8"), re.MULTILINE)[1]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MOBILE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True,
          "device_scale_factor": 2}

MINI_TEI = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="en">
  <teiHeader><fileDesc>
    <titleStmt><title>A letter from Nerchinsk</title><editor>Jane Roe</editor></titleStmt>
    <publicationStmt><publisher>Test Press</publisher><date when="2026-01-02">2026</date></publicationStmt>
    <sourceDesc><p>Written for the tests.</p></sourceDesc>
  </fileDesc></teiHeader>
  <standOff>
    <listPerson>
      <person xml:id="ivan"><persName type="standard">Ivan Petrov</persName><birth when="1650"/>
        <death when="1700"/><occupation>voivode</occupation><note>Governor of the town.</note>
        <idno type="VIAF">https://viaf.org/viaf/12345</idno></person>
    </listPerson>
    <listPlace>
      <place xml:id="church" type="settlement"><placeName>St Ivan's church</placeName>
        <note>A wooden church.</note></place>
    </listPlace>
  </standOff>
  <text><body>
    <p xml:id="p1" n="1">The <choice><abbr>Gov.</abbr><expan>Governor</expan></choice> <persName ref="#ivan">Ivan</persName>
      <choice><sic>recieved</sic><corr>received</corr></choice> us at <placeName ref="#church">the church
      of <persName ref="#ivan">St Ivan</persName></placeName> on <date when="1689-08-22"
      when-custom="1689-08-12" datingMethod="#julian">12 August 1689</date>.<note>The author's own
      note.</note></p>
    <p xml:id="p2" n="2">Second paragraph.<note type="editorial">The editors' note.</note></p>
  </body></text>
</TEI>
"""


@pytest.fixture(scope="module")
def mini_url(tmp_path_factory):
    """A tiny English project: nested names, choice, both kinds of note, an authority link."""
    root = small_project(tmp_path_factory.mktemp("mini"), {"letter.xml": MINI_TEI}, "en", "Mini edition")
    server, url = serve(build_site(root, root / "site"))
    yield url
    server.shutdown()


def open_text(page: Page, site_url: str, anchor: str = "") -> Page:
    page.goto(site_url + TEXT + anchor)
    expect(page.locator(".highlight-toggles")).to_be_visible()  # teisite.js has run
    return page


def popover(page: Page):
    return page.locator("#teisite-popover")


def run_axe(page: Page) -> list[dict]:
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `npm ci`")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
    return [{"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]]


# --- popovers ------------------------------------------------------------------------------------

def test_hover_opens_register_popover(watched, site_url):
    page, _ = watched
    open_text(page, site_url)
    mention = page.locator("a.mention-person[data-ref='tolbuzin']").first
    mention.hover()
    pop = popover(page)
    expect(pop).to_be_visible()
    expect(pop.locator(".pop-kind")).to_have_text("Лицо")
    expect(pop.locator(".pop-title")).to_contain_text("Алексей Ларионович Толбузин")
    expect(pop.locator(".pop-title")).to_contain_text("?–1686")
    expect(pop.locator(".pop-facts")).to_have_text("албазинский воевода")
    expect(pop.locator(".pop-desc")).to_contain_text("воевода Албазина")
    expect(pop.locator("a.pop-more")).to_have_attribute("href", "../../persons/tolbuzin/")
    # readable: inside the viewport, over the text, not clipped
    box, view = pop.bounding_box(), page.viewport_size
    assert box["x"] >= 0 and box["x"] + box["width"] <= view["width"]
    assert page.evaluate("""() => { const r = document.querySelector('#teisite-popover')
        .getBoundingClientRect(); const el = document.elementFromPoint(r.left + r.width / 2, r.top + 20);
        return !!el.closest('#teisite-popover'); }""")
    # the pointer may move into the popover (WCAG 1.4.13), and leaving both closes it
    pop.hover()
    page.wait_for_timeout(500)
    expect(pop).to_be_visible()
    page.mouse.move(5, 600)
    expect(pop).to_be_hidden()


def test_place_popover_shows_type(watched, site_url):
    page, _ = watched
    open_text(page, site_url)
    page.locator("a.mention-place[data-ref='albazin']").first.hover()
    expect(popover(page).locator(".pop-facts")).to_have_text("крепость")
    expect(popover(page)).to_have_class(re.compile(r"\bpopover-place\b"))


def test_focus_opens_popover_and_tab_enters_it(watched, site_url):
    page, _ = watched
    open_text(page, site_url)
    mention = page.locator("a.mention-place[data-ref='beijing']").first
    mention.focus()
    pop = popover(page)
    expect(pop).to_be_visible()
    expect(pop).to_contain_text("Пекин")
    expect(mention).to_have_attribute("aria-describedby", "teisite-popover")
    # the focus ring is visible
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.classList.contains('pop-more')")
    expect(pop).to_be_visible()
    page.keyboard.press("Escape")
    expect(pop).to_be_hidden()
    expect(mention).to_be_focused()


def test_date_popover_gives_both_calendars(watched, site_url):
    page, _ = watched
    open_text(page, site_url)
    page.locator("a.mention-date:has-text('12 августа 1689 года')").hover()
    pop = popover(page)
    expect(pop.locator(".pop-title")).to_have_text("22 августа 1689 (по григорианскому календарю)")
    expect(pop.locator(".pop-facts")).to_have_text("12 августа 1689 (по юлианскому календарю)")
    expect(pop.locator("a.pop-more")).to_have_attribute("href", re.compile(r"chronology/#"))
    # an uncertain date says so; a duration is no link but still explains itself
    page.locator("#p1-m1").hover()
    expect(pop.locator(".pop-uncertain")).to_have_text("датировка неточна")
    duration = page.locator(".mention-duration").first
    assert duration.evaluate("e => e.tagName") == "SPAN"
    page.mouse.move(0, 0)  # a keyboard reader's pointer is elsewhere (leaving ¶1's date may close the popover late)
    expect(pop).to_be_hidden()
    duration.focus()
    expect(pop.locator(".pop-title")).to_have_text("1 год")


def test_tap_opens_popover_on_a_phone(browser, site_url):
    context = browser.new_context(**MOBILE)
    page = context.new_page()
    open_text(page, site_url)
    mention = page.locator("a.mention-person[data-ref='beiton']").first
    mention.tap()
    pop = popover(page)
    expect(pop).to_be_visible()
    assert page.url.endswith(TEXT)  # the first tap did not follow the link
    box = pop.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    page.locator("p").first.tap()  # a tap elsewhere closes it
    expect(pop).to_be_hidden()
    mention.tap()
    expect(pop).to_be_visible()
    mention.tap()  # a second tap on the same name follows the link
    page.wait_for_url(re.compile(r"/persons/beiton/$"))
    context.close()


def test_tap_on_a_note_marker_shows_the_note(browser, site_url):
    context = browser.new_context(**MOBILE)
    page = context.new_page()
    open_text(page, site_url)
    page.locator("#noteref-5").tap()  # (1.3 added a note before it: visible numbers may change)
    expect(popover(page)).to_contain_text("Десятина — русская мера площади")
    popover(page).locator("a.pop-more").tap()
    page.wait_for_url(re.compile(r"#note-4$"))
    context.close()


def test_nested_mentions_have_no_link_in_a_link(page: Page, mini_url):
    page.goto(mini_url + "texts/letter/")
    assert page.locator("a a").count() == 0
    outer = page.locator("span.mention-place[data-ref='church']")
    expect(outer).to_contain_text("the church of St Ivan")
    inner = outer.locator("a.mention-person[data-ref='ivan']")  # the inner name is a plain link
    inner.hover()
    expect(popover(page)).to_contain_text("Ivan Petrov")
    expect(popover(page)).to_contain_text("1650–1700")
    expect(popover(page).locator(".pop-links a")).to_have_attribute("href", "https://viaf.org/viaf/12345")
    page.mouse.move(5, 700)
    expect(popover(page)).to_be_hidden()
    outer.locator(":scope > a.mention-link").focus()
    expect(popover(page)).to_contain_text("St Ivan's church")
    expect(popover(page).locator("a.pop-more")).to_have_attribute("href", "../../places/church/")


# --- notes -----------------------------------------------------------------------------------------

def test_note_shows_on_hover_and_back_link_returns(watched, site_url):
    page, _ = watched
    open_text(page, site_url)
    ref = page.locator("#noteref-3")
    ref.hover()
    expect(popover(page)).to_contain_text("Служилые люди")
    expect(popover(page).locator(".pop-kind")).to_have_text("Примечание редактора 3")
    ref.click()
    page.wait_for_url(re.compile(r"#note-3$"))
    note = page.locator("li#note-3")
    expect(note).to_be_in_viewport()
    assert note.evaluate("e => e.matches(':target')")
    note.locator("a.note-back").click()
    page.wait_for_url(re.compile(r"#noteref-3$"))
    expect(ref).to_be_in_viewport()


def test_editorial_and_authorial_notes_look_different(page: Page, mini_url):
    page.goto(mini_url + "texts/letter/")
    authorial, editorial = page.locator("li.note-authorial"), page.locator("li.note-editorial")
    expect(authorial).to_contain_text("The author's own note.")
    expect(editorial).to_contain_text("The editors' note.")
    expect(authorial.locator(".note-kind")).to_contain_text("Author's note")
    expect(editorial.locator(".note-kind")).to_contain_text("Editorial note")

    def look(selector: str) -> list[str]:
        return page.eval_on_selector(selector, "e => { const s = getComputedStyle(e); "
                                     "return [s.color, s.backgroundColor, s.fontFamily]; }")
    assert look("li.note-authorial .note-kind > span") != look("li.note-editorial .note-kind > span")
    assert look(".noteref-authorial sup") != look(".noteref-editorial sup")
    page.locator(".noteref-authorial").focus()
    expect(popover(page)).to_contain_text("Author's note 1")


# --- choice ----------------------------------------------------------------------------------------

def test_choice_shows_editors_reading_on_hover_and_focus(page: Page, mini_url):
    page.goto(mini_url + "texts/letter/")
    sic = page.locator(".choice-corr")
    alt = sic.locator(".choice-alt")
    assert alt.bounding_box()["width"] <= 1  # only for screen readers until asked for
    sic.hover()
    expect(alt).to_contain_text("Corrected by the editors: [received]")
    assert alt.bounding_box()["width"] > 20
    page.mouse.move(5, 700)
    sic.focus()
    assert alt.bounding_box()["width"] > 20
    # an abbreviation expands in place
    abbr = page.locator(".choice-expan")
    expect(abbr).to_have_attribute("aria-expanded", "false")
    abbr.focus()
    page.keyboard.press("Enter")
    expect(abbr).to_have_attribute("aria-expanded", "true")
    expect(abbr.locator(".choice-regular")).to_be_visible()
    expect(abbr.locator(".choice-shown")).to_be_hidden()
    abbr.click()
    expect(abbr.locator(".choice-shown")).to_have_text("Gov.")


def test_choice_tooltip_works_without_javascript(browser, mini_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(mini_url + "texts/letter/")
    page.locator(".choice-corr").focus()
    assert page.locator(".choice-corr .choice-alt").bounding_box()["width"] > 20
    context.close()


# --- permalinks --------------------------------------------------------------------------------------

def test_permalink_lands_on_the_highlighted_paragraph(watched, site_url):
    page, _ = watched
    open_text(page, site_url)
    number = page.locator("#p3 > a.passage-n")
    expect(number).to_have_text(re.compile(r"^¶3"))
    expect(number).to_have_attribute("href", "#p3")
    number.click()
    page.wait_for_url(re.compile(r"#p3$"))
    open_text(page, site_url, "#p7")
    passage = page.locator("#p7")
    assert passage.evaluate("e => e.matches(':target')")
    expect(passage).to_be_in_viewport()
    style = passage.evaluate("e => { const s = getComputedStyle(e); return [s.boxShadow, s.backgroundImage]; }")
    assert style != page.locator("#p6").evaluate(
        "e => { const s = getComputedStyle(e); return [s.boxShadow, s.backgroundImage]; }")
    top = passage.bounding_box()["y"]
    header = page.locator(".md-header").bounding_box()
    assert top >= header["y"] + header["height"] - 1  # not hidden under the sticky header
    # every mention has its own anchor, and landing on it works too
    ids = page.eval_on_selector_all(".tei-text .mention", "els => els.map(e => e.id)")
    assert all(ids) and len(set(ids)) == len(ids)
    open_text(page, site_url, "#p4-m2")
    assert page.locator("#p4-m2").evaluate("e => e.matches(':target')")


def test_numbers_sit_in_a_clean_margin(page: Page, site_url):
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        open_text(page, site_url)
        for n in ("p1", "p5", "p9"):
            number = page.locator(f"#{n} > .passage-n").bounding_box()
            text = page.locator(f"#{n} > p").bounding_box()
            assert number["x"] >= 0
            assert number["x"] + number["width"] <= text["x"], (width, n, number, text)


# --- citing ------------------------------------------------------------------------------------------

def open_cite(page: Page, selector: str):
    page.locator(selector).click()
    dialog = page.locator("dialog.cite-dialog")
    expect(dialog).to_be_visible()
    return dialog


@pytest.mark.parametrize("anchor", ["p3", ""])
def test_citation_formats_parse(watched, site_url, anchor):
    page, _ = watched
    open_text(page, site_url)
    if anchor:
        page.locator(f"#{anchor}").hover()
        dialog = open_cite(page, f"button.cite-passage[data-cite='{anchor}']")
        expect(dialog.locator(".cite-what")).to_have_text("Абзац 3")
    else:
        dialog = open_cite(page, "button.cite-text")
    # cited at the version's own address; the plain styles give the current one besides
    url = PUBLISHED + "v/1.3/" + TEXT + (f"#{anchor}" if anchor else "")
    current = PUBLISHED + TEXT + (f"#{anchor}" if anchor else "")
    today = date.today()

    plain = dialog.locator("#cite-plain").input_value()
    assert plain.startswith("Вторая осада Албазина и Нерчинские переговоры (1685–1689) / Проект teisite. "
                            "— Текст : электронный // Албазин и Нерчинск (1685–1689) : [сайт]. — ")
    assert f"URL: {url} (дата обращения: {today:%d.%m.%Y})." in plain
    assert ("Абз. 3." in plain) == bool(anchor) and "— Версия 1.3." in plain
    # Chicago too, in English; the editor, an organisation, is the author and not "ed."
    chicago = dialog.locator("#cite-other").input_value()
    assert chicago.startswith("Проект teisite. “Вторая осада Албазина и Нерчинские переговоры (1685–1689).”")
    assert "ed." not in chicago and "ред." not in chicago
    assert f"Accessed {today:%B} {today.day}, {today.year}. {url}. Current version: {current}." in chicago
    assert ("Para. 3." in chicago) == bool(anchor)
    assert plain.endswith(f" — Текущая версия: {current}.")

    library = bibtexparser.parse_string(dialog.locator("#cite-bibtex").input_value())
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry.entry_type == "online"
    assert entry.key == "albazin-nerchinsk" + (f"-{anchor}" if anchor else "")
    assert entry["url"] == url
    assert entry["urldate"] == today.isoformat()
    assert "Вторая осада Албазина" in entry["title"]
    assert entry["year"] == "2026" and entry["version"] == "1.3"

    (ris,) = rispy.loads(dialog.locator("#cite-ris").input_value())
    assert ris["type_of_reference"] == "ELEC"
    assert ris["urls"] == [url]
    assert ris["title"].startswith("Вторая осада Албазина")
    assert ris["access_date"] == today.strftime("%Y/%m/%d")
    assert ris["secondary_authors"] == ["Проект teisite"]

    (csl,) = json.loads(dialog.locator("#cite-csl").input_value())
    assert csl["type"] == "webpage" and csl["URL"] == url
    assert csl["accessed"] == {"date-parts": [[today.year, today.month, today.day]]}
    assert csl["issued"] == {"date-parts": [[2026, 12, 1]]} and csl["version"] == "1.3"
    assert csl["language"] == "ru"

    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


def test_copy_buttons_copy_each_format(watched, site_url):
    page, _ = watched
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    open_text(page, site_url)
    button = page.locator("button.cite-passage[data-cite='p2']")
    page.locator("#p2").hover()
    dialog = open_cite(page, "button.cite-passage[data-cite='p2']")
    for fmt in ("plain", "bibtex", "ris", "csl"):
        if fmt != "plain":
            dialog.locator(f"details.cite-format-{fmt} > summary").click()
        dialog.locator(f"button[data-copy='cite-{fmt}']").click()
        expect(dialog.locator(".cite-status")).to_have_text("Скопировано")
        copied = page.evaluate("() => navigator.clipboard.readText()")
        assert copied == dialog.locator(f"#cite-{fmt}").input_value()
        page.evaluate("() => { document.querySelector('.cite-status').textContent = ''; }")
    dialog.locator("button.cite-close").click()
    expect(dialog).to_be_hidden()
    expect(button).to_be_focused()  # focus goes back where it was


def test_page_carries_citation_metadata(page: Page, site_url):
    page.goto(site_url + TEXT)
    meta = [tuple(m) for m in page.eval_on_selector_all("meta[name^='citation_']",
                                                        "els => els.map(e => [e.name, e.content])")]
    names = [n for n, _ in meta]
    assert ("citation_title", "Вторая осада Албазина и Нерчинские переговоры (1685–1689)") in meta
    assert {"citation_publisher", "citation_publication_date", "citation_language"} <= set(names)
    assert names.count("citation_editor") == len({c for n, c in meta if n == "citation_editor"})
    ld = json.loads(page.locator("script[type='application/ld+json']").text_content())
    assert ld["@context"] == "https://schema.org" and ld["name"].startswith("Вторая осада")


def test_tei_source_can_be_downloaded(page: Page, site_url):
    page.goto(site_url + TEXT)
    link = page.locator("a.download-tei")
    expect(link).to_have_attribute("download", "")
    response = page.request.get(page.evaluate("() => document.querySelector('a.download-tei').href"))
    assert response.ok and b"<TEI" in response.body()


# --- highlight toggles -------------------------------------------------------------------------------

def test_toggles_hide_and_show_each_kind(watched, site_url):
    page, _ = watched
    open_text(page, site_url)
    toggles = page.locator("fieldset.highlight-toggles input[data-kind]")
    assert toggles.evaluate_all("els => els.map(e => e.dataset.kind)") == ["person", "place", "org", "bibl", "date"]

    def decoration(selector: str) -> str:
        return page.eval_on_selector(selector, "e => getComputedStyle(e).textDecorationLine")

    # kinds differ by underline style, not by colour alone
    styles = {k: page.eval_on_selector(f".tei-text .mention-{k}", "e => getComputedStyle(e).textDecorationStyle")
              for k in ("person", "place", "org", "date")}
    assert len(set(styles.values())) == 4, styles

    person = page.locator("fieldset.highlight-toggles input[data-kind='person']")
    person.uncheck()
    assert decoration(".tei-text a.mention-person") == "none"
    assert decoration(".tei-text a.mention-place") == "underline"
    text_colour = page.eval_on_selector(".tei-text p", "e => getComputedStyle(e).color")
    expect(page.locator(".tei-text a.mention-person").first).to_have_css("color", text_colour)
    page.reload()  # the choice is remembered
    expect(page.locator(".highlight-toggles")).to_be_visible()
    expect(person).not_to_be_checked()
    assert decoration(".tei-text a.mention-person") == "none"
    person.check()
    assert decoration(".tei-text a.mention-person") == "underline"
    page.locator("fieldset.highlight-toggles input[data-kind='date']").uncheck()
    assert decoration(".tei-text a.mention-date") == "none"
    page.locator("fieldset.highlight-toggles input[data-kind='date']").check()


# --- accessibility, requests, no JavaScript, print ---------------------------------------------------

@pytest.mark.parametrize("width", [1280, 390])
def test_axe_finds_nothing(page: Page, site_url, width):
    page.set_viewport_size({"width": width, "height": 900})
    open_text(page, site_url)
    assert run_axe(page) == []
    page.locator("a.mention-person").first.focus()  # with a popover open
    expect(popover(page)).to_be_visible()
    assert run_axe(page) == []


def test_axe_finds_nothing_in_the_cite_dialog(page: Page, site_url):
    open_text(page, site_url)
    dialog = open_cite(page, "button.cite-text")
    dialog.locator("details.cite-format-bibtex > summary").click()
    assert run_axe(page) == []


def test_axe_finds_nothing_on_the_english_mini_site(page: Page, mini_url):
    page.goto(mini_url + "texts/letter/")
    assert run_axe(page) == []


def test_keyboard_reaches_every_control(page: Page, site_url):
    open_text(page, site_url)
    seen = set()
    for _ in range(400):
        page.keyboard.press("Tab")
        cls = page.evaluate("() => { const e = document.activeElement; return e === document.body ? '' :"
                            " e.tagName + '.' + [...e.classList].join('.'); }")
        seen.add(re.sub(r"\.(uncertain|popover-open|focus-visible)", "", cls))
        if "note-back" in cls:
            break
    wanted = {"A.download-tei", "BUTTON.cite-button.cite-text", "INPUT", "A.passage-n", "BUTTON.cite-button.cite-passage",
              "A.mention.mention-person", "A.mention.mention-place", "A.mention.mention-org",
              "A.mention.mention-date", "A.noteref.noteref-editorial", "A.pop-more", "A.note-back"}
    assert wanted <= {re.sub(r"^(A|BUTTON)\.md-button\.", r"\1.", s) for s in seen}, seen


def test_no_console_errors_and_no_foreign_requests(watched, site_url):
    page, log = watched
    open_text(page, site_url)
    page.locator("a.mention-org").first.hover()
    page.locator("#noteref-1").focus()
    page.locator("fieldset.highlight-toggles input[data-kind='place']").uncheck()
    page.locator("fieldset.highlight-toggles input[data-kind='place']").check()
    open_cite(page, "button.cite-text")
    page.keyboard.press("Escape")
    page.goto(site_url + "persons/")
    assert any(u.startswith(site_url) for u in log["requests"])
    # the fixture asserts no console errors and no host but 127.0.0.1


def test_page_reads_without_javascript(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + TEXT)
    expect(page.locator("#p1")).to_contain_text("командование маньчжурской армии получило из")
    expect(page.locator("#p9")).to_contain_text("старались тормозить и осложнять переговоры")
    expect(page.locator("#p1-m4")).to_have_attribute("href", "../../persons/tolbuzin/")
    expect(page.locator("#p1 > a.passage-n")).to_be_visible()
    expect(page.locator("li#note-1")).to_be_visible()
    expect(page.locator("li#note-1")).to_contain_text("Отрывок начинается с середины изложения")
    expect(page.locator("a.download-tei")).to_be_visible()
    # controls that need JavaScript stay out of the way
    expect(page.locator("button.cite-button").first).to_be_hidden()
    expect(page.locator("fieldset.highlight-toggles")).to_be_hidden()
    expect(page.locator("dialog.cite-dialog")).to_be_hidden()
    # a native tooltip names the entry
    expect(page.locator("#p1-m4")).to_have_attribute("title", "Лицо: Алексей Ларионович Толбузин")
    page.locator("#noteref-2").click()
    expect(page.locator("li#note-2")).to_be_in_viewport()
    context.close()


def test_print_shows_text_numbers_and_notes_only(page: Page, site_url):
    open_text(page, site_url)
    page.emulate_media(media="print")
    for hidden in (".md-header", ".md-sidebar--primary", ".text-tools", "button.cite-passage >> nth=0",
                   ".md-footer", ".note-back >> nth=0"):
        expect(page.locator(hidden)).to_be_hidden()
    expect(page.locator("#p1 > .passage-n")).to_be_visible()
    expect(page.locator("li#note-20")).to_be_visible()
    assert page.eval_on_selector(".tei-text a.mention-person", "e => getComputedStyle(e).textDecorationLine") \
        == "none"
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF")


def test_interface_switches_to_english(page: Page, mini_url):
    page.goto(mini_url + "texts/letter/")
    expect(page.locator("a.download-tei")).to_have_text("Download the TEI source (XML)")
    expect(page.locator(".highlight-toggles legend")).to_have_text("Highlight:")
    expect(page.locator("h2#notes-heading")).to_have_text("Notes")
    page.locator("button.cite-text").click()
    dialog = page.locator("dialog.cite-dialog")
    expect(dialog.locator("h2")).to_have_text("How to cite")
    plain = dialog.locator("#cite-plain").input_value()
    today = date.today()
    assert plain.startswith("Jane Roe, ed. “A letter from Nerchinsk.” Mini edition. Test Press, 2026.")
    assert f"Accessed {today:%B} {today.day}, {today.year}." in plain
    gost = dialog.locator("#cite-other").input_value()  # GOST in the English interface too
    assert "— Текст : электронный // Mini edition : [сайт]." in gost and "(дата обращения: " in gost
    entry = bibtexparser.parse_string(dialog.locator("#cite-bibtex").input_value()).entries[0]
    assert entry["langid"] == "english"


def test_how_to_cite_gives_what_the_cite_dialog_gives(page: Page, site_url):
    """source/cite.md shows the edition's and a passage's citations as the dialog makes them (the
    day of access aside): a version bump or a change of the formats that leaves it behind fails."""
    blocks = re.findall(r"^```(\w+)\n(.*?)^```", (REPO / "source" / "cite.md").read_text(encoding="utf-8"),
                        re.DOTALL | re.MULTILINE)
    shown = [b for b in blocks if b[0] in ("text", "bibtex", "ris")]

    def undated(s: str) -> str:
        s = re.sub(r"\d\d\.\d\d\.\d{4}", "ДД.ММ.ГГГГ", s)
        s = re.sub(r"urldate = \{[\d-]+\}", "urldate = {ГГГГ-ММ-ДД}", s)
        return re.sub(r"Y2  - [\d/]+", "Y2  - ГГГГ/ММ/ДД", s).strip()

    page.goto(site_url + TEXT)
    dialog = open_cite(page, "button.cite-text")
    assert undated(dialog.locator("#cite-plain").input_value()) == shown[0][1].strip()
    assert undated(dialog.locator("#cite-bibtex").input_value()) == shown[1][1].strip()
    page.keyboard.press("Escape")
    page.locator("#p4").hover()
    dialog = open_cite(page, "button.cite-passage[data-cite='p4']")
    assert undated(dialog.locator("#cite-plain").input_value()) == shown[2][1].strip()
    assert undated(dialog.locator("#cite-ris").input_value()) == shown[3][1].strip()
