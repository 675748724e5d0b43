"""Each TEI phenomenon (tests/fixtures/phenomena/) through the real pipeline: table, edition, renderer.

Two promises are checked for every fixture: the HTML is what the behaviour promises, and mixed
content is preserved (every piece of text and tail of the reading text reaches the output, in order).
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace
from pathlib import Path

import lxml.html
import pytest
from jinja2 import Environment
from lxml import etree

from teisite.diagnostics import Diagnostics
from teisite.document import Document
from teisite.edition import Edition
from teisite.loading import load_edition
from teisite.models import ModelTable, load_table
from teisite.parsing import TEI_NS, localname
from teisite.render import DEFAULT_TEMPLATES, RenderedText, Renderer, behaviour_names, load_words, make_env

PHENOMENA = Path(__file__).resolve().parent / "fixtures" / "phenomena"
FIXTURES = sorted(p.stem for p in PHENOMENA.glob("*.xml"))
# not reading text: metadata, registers, and notes (which are checked in the list of notes)
NOT_READING = {"teiHeader", "standOff", "note", "listPerson", "listPlace", "listOrg", "listEvent"}


# --- helpers, also used by test_passes and test_hostile ---------------------------------------


@functools.lru_cache(maxsize=1)
def table() -> ModelTable:
    diags = Diagnostics()
    loaded = load_table(DEFAULT_TEMPLATES / "models.yml", behaviour_names([DEFAULT_TEMPLATES]), diags)
    assert not diags.items, diags.format()
    return loaded


@functools.lru_cache(maxsize=1)
def env() -> Environment:
    return make_env([DEFAULT_TEMPLATES])  # compiled templates are reused; a Renderer sets its globals


def load(folder: Path, files: list[Path] | None = None, lang: str = "en") -> Edition:
    return load_edition(folder, table(), lang, files=files)


def render(edition: Edition, doc: Document) -> tuple[lxml.html.HtmlElement, RenderedText]:
    renderer = Renderer(edition, env(), load_words([DEFAULT_TEMPLATES], "en"))
    out = renderer.render_document(doc, "../../")
    return lxml.html.fragment_fromstring(str(out.html) or "<span></span>", create_parent="div"), out


@functools.cache
def fixture(name: str) -> tuple[Edition, Document, lxml.html.HtmlElement, RenderedText]:
    edition = load(PHENOMENA, [PHENOMENA / f"{name}.xml"])
    (doc,) = edition.texts
    tree, out = render(edition, doc)
    return edition, doc, tree, out


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def segments(el: etree._Element, skip: set[str] = NOT_READING) -> list[str]:
    """Every text and tail below el in document order, computed independently of teisite."""
    out: list[str] = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and localname(child) not in skip:
            out.extend(segments(child, skip))
        out.append(child.tail or "")
    return [s for s in map(squash, out) if s]


def assert_in_order(pieces: list[str], text: str) -> None:
    """Each piece occurs in text after the previous one: nothing lost, nothing reordered."""
    text, pos = squash(text), 0
    for piece in pieces:
        found = text.find(piece, pos)
        assert found >= 0, f"{piece!r} missing or out of order after position {pos} in {text!r}"
        pos = found + len(piece)


def assert_no_nested_links(html: str) -> None:
    """No <a> opened inside another, as written (a parser would repair it, and so hide it)."""
    from test_behaviours import no_nested_links
    assert no_nested_links(html), f"an <a> inside an <a> in {html}"


# --- every fixture: text preserved, links not nested ---------------------------------------------


@pytest.mark.parametrize("name", FIXTURES)
def test_mixed_content_is_preserved(name):
    _, doc, tree, out = fixture(name)
    assert_in_order(segments(doc.body), tree.text_content())
    notes = doc.body.iter(f"{{{TEI_NS}}}note")
    rendered_notes = {n["n"]: lxml.html.fragment_fromstring(f"<div>{n['html']}</div>").text_content()
                      for n in out.notes}
    for i, note in enumerate(notes, 1):
        assert_in_order(segments(note, NOT_READING - {"note"}), rendered_notes[str(i)])


@pytest.mark.parametrize("name", FIXTURES)
def test_no_link_inside_a_link(name):
    _, _, _, out = fixture(name)
    assert_no_nested_links(str(out.html))
    for note in out.notes:
        assert_no_nested_links(str(note["html"]))


def test_register_in_a_separate_file():
    folder = PHENOMENA / "register-file"
    edition = load(folder)
    (doc,) = edition.texts
    assert [m.resolved for m in doc.mentions] == [["boris"], ["boris"]]
    tree, _ = render(edition, doc)
    assert len(tree.xpath("//a[@href='../../persons/boris/']")) == 2
    assert_in_order(segments(doc.body), tree.text_content())
    assert not edition.diagnostics.errors, edition.diagnostics.format()


# --- what each behaviour promises ----------------------------------------------------------------
# (fixture, XPath that must match, text the matched element contains, or None). Paragraphs, mentions,
# dates, notes, choice and app are being restyled: for those only anchors, hrefs and content are checked.

PROMISES = [
    ("p", "//*[@id='p1']/p[@class='tei-p']", "Plain text with mixed content and a tail."),
    ("p", "//*[@id='second']/p[@class='tei-p']", "A paragraph with its own id."),
    ("p", "//*[@id='p7']/p[@class='tei-p']", "A paragraph numbered by the editors."),
    ("p", "//span[@class='tei-hi hi']", "mixed"),
    ("div-head", "//section[@id='part1']/*[@class='tei-head']", "Part one"),
    ("div-head", "//section[@id='part1']/section/*[@class='tei-head']", "Chapter one"),
    ("persName", "//a[@id='p1-m1'][@href='../../persons/ivan/']", "Ivan"),
    ("persName", "//*[not(@id)][.='someone']", "someone"),
    ("placeName", "//a[@id='p1-m1'][@href='../../places/moscow/']", "Moscow"),
    ("orgName", "//a[@id='p1-m1'][@href='../../organisations/guild/']", "the Guild"),
    ("rs", "//a[@id='p1-m1'][@href='../../persons/ivan/']", "the old man"),
    ("rs", "//*[contains(@class, 'mention-place')]", "that town"),
    ("name", "//a[@id='p1-m1'][@href='../../persons/anna/']", "Anna"),
    ("date", "//*[@id='p1-m1'][contains(@href, 'chronology/#date--p1-m1')]", "12 August"),
    ("date", "//time[@datetime='1689-08-22']", "12 August"),
    ("date", "//*[@id='p1-m2'][contains(@href, 'chronology/')]", "in autumn 1686"),
    ("note", "//a[@href='#note-1']", "1"),
    ("note", "//a[@href='#note-2']", "2"),
    ("hi", "//em[@class='tei-hi']", "slanted"),
    ("hi", "//strong[@class='tei-hi']", "heavy"),
    ("hi", "//sup[@class='tei-hi']", "2"),
    ("hi", "//span[@class='tei-hi hi']", "odd"),
    ("choice", "//*[@class='tei-sic sic']", "recieved [sic]"),
    ("choice", "//*[@class='tei-corr corr']", "[received]"),
    ("choice", "//abbr[@class='tei-abbr']", "Gov."),
    ("choice", "//*[@class='tei-expan']", "Governor"),
    ("choice", "//*[@class='tei-orig']", "olde"),
    ("choice", "//*[@class='tei-reg']", "old"),
    ("lb", "//br[@class='lb']", None),
    ("pb", "//span[@class='pb'][@data-n='2']", "[2]"),
    ("pb", "//span[@class='pb'][not(@data-n)]", "[|]"),
    ("list", "//ul[@class='tei-list']/li[@class='tei-item']", "apples"),
    ("list", "//ol[@class='tei-list']/li[@class='tei-item'][2]", "second"),
    ("quote", "//q[@class='tei-quote']", "all is well"),
    ("q", "//q[@class='tei-q']", "come in"),
    ("ref", "//a[@href='https://example.org/a?b=1&c=2'][@rel='noopener']", "the site"),
    ("ref", "//a[@href='#later']", "below"),
    ("ref", "//a[@class='tei-ptr'][@href='https://example.org/p']", "https://example.org/p"),
    ("ref", "//span[@class='tei-ref']", "nothing"),
    ("table", "//table[@class='tei-table']/tr[1]/th[@class='tei-cell']", "Name"),
    ("table", "//table/tr[2]/td[@class='tei-cell'][2]", "1689"),
    ("table", "//td[@colspan='2']", "total"),
    ("app", "//span[@class='app']/span[@class='app-lem']", "great"),
    ("app", "//span[@class='app-rdgs']/span[@class='app-rdg'][1]", "grand B C"),
    ("app", "//span[@class='app-rdgs']/span[@class='app-rdg'][2]", "big D"),
    ("app-rdgGrp", "//span[@class='app']/span[@class='app-lem']", "first"),
    ("lg", "//*[@id='p1']//div[@class='tei-l l']", "The first verse,"),
    ("foreign", "//i[@class='tei-foreign foreign'][@lang='la']", "carpe diem"),
    ("gap", "//span[@class='gap'][contains(@title, 'damage')]", "[…]"),
    ("add-del", "//ins[@class='tei-add add']", "glad"),
    ("add-del", "//del[@class='tei-del del']", "sad"),
    ("unclear", "//span[@class='tei-unclear unclear']", "maybe[?]"),
    ("unknown", "//span[@class='tei-frobnicate']", "strange"),
    ("refs", "//a[@id='p1-m1'][@href='../../persons/ivan/']", "Ivan"),
    ("refs", "//a[@id='p1-m2'][@href='../../persons/anna/']", "Anna"),
    ("refs", "//a[@id='p1-m3'][@href='../../persons/ivan/'][@data-ref='ivan anna']", "both"),
    ("refs", "//a[@id='p1-m4'][@href='https://viaf.org/viaf/12345']", "a stranger"),
    ("registers-header", "//a[@href='../../persons/olga/']", "Olga"),
    ("registers-standoff", "//a[@href='../../places/kyiv/']", "Kyiv"),
    ("registers-back", "//a[@href='../../organisations/order/']", "Order"),
]


@pytest.mark.parametrize("name,xpath,text", PROMISES, ids=[f"{n}:{x}" for n, x, _ in PROMISES])
def test_behaviour_promise(name, xpath, text):
    _, _, tree, _ = fixture(name)
    found = tree.xpath(xpath)
    assert found, f"{xpath} matches nothing in {lxml.html.tostring(tree, encoding=str)}"
    if text is not None:  # what a reader sees there, exactly
        assert squash(found[0].text_content()) == text


def test_every_fixture_is_promised_something():
    assert {n for n, _, _ in PROMISES} >= set(FIXTURES)


def test_heading_levels_follow_div_nesting():
    _, _, tree, _ = fixture("div-head")
    assert [h.tag for h in tree.xpath("//*[@class='tei-head']")] == ["h2", "h3"]


def test_no_link_inside_a_link_in_the_other_reading(tmp_path):
    xml = (PHENOMENA / "persName.xml").read_text(encoding="utf-8").replace(
        '<persName ref="#ivan">Ivan</persName>', '<choice><sic>I</sic><corr><persName ref="#ivan">Ivan '
        '<placeName ref="#moscow">Moscow</placeName></persName></corr></choice>')
    (tmp_path / "doc.xml").write_text(xml, encoding="utf-8")
    edition = load(tmp_path)
    _, out = render(edition, edition.texts[0])
    assert_no_nested_links(str(out.html))


def test_continued_word_is_joined():
    _, _, tree, _ = fixture("lb")
    assert "continued word" in tree.text_content()
    assert len(tree.xpath("//br")) == 1


def test_notes_are_listed_with_their_kind():
    _, _, _, out = fixture("note")
    assert [(n["n"], n["anchor"], n["kind"]) for n in out.notes] == [
        ("1", "note-1", "authorial"), ("2", "note-2", "editorial")]
    inner = lxml.html.fragment_fromstring(f"<div>{out.notes[1]['html']}</div>")
    assert inner.xpath("//a[@href='../../places/moscow/']")


def test_unknown_element_warns_with_name_and_line():
    edition, _, _, _ = fixture("unknown")
    (warning,) = [d for d in edition.diagnostics.items if d.code == "models.unknown-element"]
    assert warning.severity == "warning"
    assert "<frobnicate>" in warning.message
    assert warning.line == 5 and warning.path.endswith("unknown.xml")


def test_register_entries_from_header_standoff_and_back():
    edition = load(PHENOMENA, [PHENOMENA / f"registers-{w}.xml" for w in ("header", "standoff", "back")])
    assert {i: e.kind for i, e in edition.entries.items()} == {
        "olga": "person", "kyiv": "place", "order": "org"}
    assert not edition.diagnostics.errors, edition.diagnostics.format()


def test_ref_forms_resolve():
    edition, doc, _, _ = fixture("refs")
    assert [m.resolved for m in doc.mentions] == [["ivan"], ["anna"], ["ivan", "anna"], []]
    assert not edition.diagnostics.errors, edition.diagnostics.format()


def test_choice_can_show_the_editors_reading_in_the_text():
    """`show_original: false`: the correction in the text, the source's reading in the tooltip,
    and in the text the walk keeps for search and KWIC lines."""
    editors = replace(table(), show_original=False, _picks={})
    edition = load_edition(PHENOMENA, editors, "en", files=[PHENOMENA / "choice.xml"])
    (doc,) = edition.texts
    out = Renderer(edition, env(), load_words([DEFAULT_TEMPLATES], "en"))
    tree = lxml.html.fragment_fromstring(str(out.render_document(doc, "../../").html),
                                         create_parent="div")
    choice = tree.xpath("//span[contains(@class, 'choice')]")[0]
    shown = choice.xpath("string(span[@class='choice-shown'])")
    sic = doc.tree.getroot().xpath("string(//*[local-name()='sic'])")
    corr = doc.tree.getroot().xpath("string(//*[local-name()='corr'])")
    assert corr.strip() in shown and sic.strip() not in shown
    assert "The source reads" in choice.text_content() and sic.strip() in choice.text_content()
    passage_text = " ".join(p.text for p in doc.passages)
    assert corr.strip() in passage_text and sic.strip() not in passage_text


def test_one_reading_shown_the_same_everywhere():
    """<app> with no lemma and a reading group first: the page, the search text and the KWIC line
    of a name beside it all show the first reading in document order ("first"), and offer the
    others in the tooltip."""
    _, doc, tree, _ = fixture("app-rdgGrp")
    lemma = tree.xpath("string(//span[@class='app-lem'])")
    offered = [squash(r.text_content()) for r in tree.xpath("//span[@class='app-rdg']")]
    assert lemma == "first" and offered == ["third C", "second B"]
    (passage,) = doc.passages
    assert passage.text == "Ivan read the first word."
    (mention,) = doc.mentions
    assert mention.after == " read the first word."


@pytest.mark.parametrize("name", ["seed", "phenomena", "dates", "hostile", "maechtekongresse", "kamen"])
def test_reused_pieces_write_what_the_templates_write(name):
    """The renderer writes each template once per key around placeholders and reuses that: the
    HTML must be, character for character, what rendering every element in full writes."""
    corpora = Path(__file__).resolve().parents[2] / "shared" / "corpora"
    folders = {"seed": Path(__file__).resolve().parents[1] / "source", "phenomena": PHENOMENA,
               "dates": PHENOMENA.parent / "dates", "hostile": PHENOMENA.parent / "hostile",
               "maechtekongresse": corpora / "maechtekongresse", "kamen": corpora / "kamen"}
    if not folders[name].exists():
        pytest.skip(f"{folders[name]} is not here")
    edition = load(folders[name])
    words = load_words([DEFAULT_TEMPLATES], "en")
    reused = Renderer(edition, make_env([DEFAULT_TEMPLATES]), words)
    full = Renderer(edition, make_env([DEFAULT_TEMPLATES]), words, reuse=False)
    assert edition.texts
    for doc in edition.texts:
        a, b = reused.render_document(doc, "../../"), full.render_document(doc, "../../")
        assert str(a.html) == str(b.html), doc.path
        assert a.notes == b.notes and a.entries == b.entries, doc.path
    assert any(p.written for p in reused._plans.values())  # it did reuse


def test_a_template_that_tests_a_value_is_not_reused_wrongly(tmp_path):
    """A project's template that compares a per-element value (here the passage number) is
    rendered right for every element, whatever the first element of its key was."""
    (tmp_path / "behaviours").mkdir()
    (tmp_path / "behaviours" / "paragraph.html").write_text(
        "{#- teisite: {numbers: passage, block: true} -#}\n"
        '<p id="{{ anchor }}">{% if n == "2" %}SECOND {% endif %}{{ n }}: {{ content }}</p>')
    edition = load_edition(PHENOMENA, replace(table(), behaviours=behaviour_names([tmp_path, DEFAULT_TEMPLATES]),
                                              _picks={}), "en", files=[PHENOMENA / "p.xml"])
    renderer = Renderer(edition, make_env([tmp_path, DEFAULT_TEMPLATES]), load_words([DEFAULT_TEMPLATES], "en"))
    html = str(renderer.render_document(edition.texts[0], "../../").html)
    assert "SECOND 2:" in html and "SECOND 1:" not in html and "SECOND 3" not in html
