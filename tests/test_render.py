"""Each TEI phenomenon (tests/fixtures/phenomena/) through the real pipeline: table, edition, renderer.

Two promises are checked for every fixture: the HTML is what the behaviour promises, and mixed
content is preserved (every piece of text and tail of the reading text reaches the output, in order).
"""

from __future__ import annotations

import copy
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
# not reading text: metadata, registers, notes (which are checked in the list of notes), running
# heads and catchwords (fw, left out on purpose), a figure's description (its image's alt text,
# checked apart) and the facsimile (its images are linked from the page breaks)
NOT_READING = {"teiHeader", "standOff", "note", "listPerson", "listPlace", "listOrg", "listEvent", "fw",
               "figDesc", "facsimile"}


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


def _other_language(el: etree._Element) -> bool:
    """A note's variant in another language than the document's (its siblings each in a language)."""
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    parent = el.getparent()
    kids = [c for c in parent if isinstance(c.tag, str)] if parent is not None else []
    return localname(parent) == "note" and len({c.get(lang) for c in kids}) > 1 and \
        all(c.get(lang) for c in kids) and el.get(lang) != el.getroottree().getroot().get(lang)


def segments(el: etree._Element, skip: set[str] = NOT_READING) -> list[str]:
    """Every text and tail below el in document order, computed independently of teisite."""
    out: list[str] = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and localname(child) not in skip and not _other_language(child):
            out.extend(segments(child, skip))
        out.append(child.tail or "")
    return [s for s in map(squash, out) if s]


def reader_text(tree: lxml.html.HtmlElement) -> str:
    """What a reader gets of a rendered text: its words, and an image's alt text where it stands
    (a figure's figDesc is the alt text of its image)."""
    tree = copy.deepcopy(tree)
    for img in tree.iter("img"):
        img.tail = f" {img.get('alt', '')} {img.tail or ''}"
    return tree.text_content()


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
    assert_in_order(segments(doc.body), reader_text(tree))
    for desc in doc.body.iter(f"{{{TEI_NS}}}figDesc"):  # its image's alt text, its link or its caption
        assert squash("".join(desc.itertext())) in squash(reader_text(tree))
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
    ("persName", "//a[@id='p1-ivan-1'][@href='../../persons/ivan/']", "Ivan"),
    ("persName", "//*[not(@id)][.='someone']", "someone"),
    ("placeName", "//a[@id='p1-moscow-1'][@href='../../places/moscow/']", "Moscow"),
    ("orgName", "//a[@id='p1-guild-1'][@href='../../organisations/guild/']", "the Guild"),
    # a mention the editors' note says the source got wrong keeps its link and shows the note
    ("source-error", ("//a[@id='wrong'][@href='../../organisations/guild/'][contains(@class, 'source-error')]"
     "[@aria-describedby='n-err'][contains(@title, 'an error of the source: see note 1')]"), "the Guild"),
    # a translation: its paragraphs are no passages of their own, each points to its original
    ("translation", "//*[@id='p1']/p[@class='tei-p']", "Первый абзац."),
    ("translation", "//section[@class='translation'][@lang='en']/*[@class='tei-head']", "Translated by the editors"),
    ("translation", ("//section[@class='translation']/div[@class='passage-translation'][@id='p2-en']"
     "[@data-corresp='p2'][a[@class='passage-n'][@href='#p2-en']][a[@class='translation-of'][@href='#p2']]/p"),
     "The second paragraph."),
    ("translation", ("//section[@class='translation']/fieldset[@class='parallel-switch'][@hidden]"
     "[count(.//input[@name='parallel'])=3]"), None),
    # a note in two languages shows one: here the document's own (the table has no interface language)
    ("note-languages", "//a[@class='noteref noteref-editorial'][@href='#n1']", "1"),
    ("source-error", "//a[@id='right'][not(contains(@class, 'source-error'))][not(@aria-describedby)]",
     "the League"),
    ("rs", "//a[@id='p1-ivan-1'][@href='../../persons/ivan/']", "the old man"),
    ("rs", "//*[contains(@class, 'mention-place')]", "that town"),
    ("name", "//a[@id='p1-anna-1'][@href='../../persons/anna/']", "Anna"),
    ("date", "//*[@id='p1-1689-08-22-1'][contains(@href, 'chronology/#date--p1-1689-08-22-1')]", "12 August"),
    ("date", "//time[@datetime='1689-08-22']", "12 August"),
    ("date", "//*[@id='p1-1686-09-01-1'][contains(@href, 'chronology/')]", "in autumn 1686"),
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
    ("pb", "//span[@class='pb pb-unnumbered'][not(@data-n)]", "|"),
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
    ("lg", "//*[@id='p1']//div[@class='tei-l l']/span[@class='l-text']", "The first verse,"),
    ("foreign", "//i[@class='tei-foreign foreign'][@lang='la']", "carpe diem"),
    ("gap", "//span[@class='gap'][contains(@title, 'damage')]", "[… damaged]"),
    ("add-del", "//ins[@class='tei-add add']", "glad"),
    ("add-del", "//del[@class='tei-del del']", "sad"),
    ("unclear", "//span[@class='tei-unclear unclear']", "maybe[?]"),
    ("unknown", "//span[@class='tei-frobnicate']", "strange"),
    ("refs", "//a[@id='p1-ivan-1'][@href='../../persons/ivan/']", "Ivan"),
    ("refs", "//a[@id='p1-anna-1'][@href='../../persons/anna/']", "Anna"),
    ("refs", "//a[@id='p1-ivan-2'][@href='../../persons/ivan/'][@data-ref='ivan anna']", "both"),
    ("refs", "//a[@id='p1-12345-1'][@href='https://viaf.org/viaf/12345']", "a stranger"),
    ("registers-header", "//a[@href='../../persons/olga/']", "Olga"),
    ("registers-standoff", "//a[@href='../../places/kyiv/']", "Kyiv"),
    ("registers-back", "//a[@href='../../organisations/order/']", "Order"),
    # verse: stanzas of numbered, citable lines (@n where given, counted on otherwise; xml:id kept)
    ("verse", "//div[@id='p1']/div[@class='tei-lg']/div[@id='l1'][@data-n='1']/span[@class='l-text']",
     "One for the morning,"),
    ("verse", "//div[@id='l2'][@class='tei-l l indent']/a[@class='l-n'][@href='#l2']", "2"),
    ("verse", "//div[@id='l10'][@data-n='10']/span", "ten for the sailor"),
    ("verse", "//div[@id='homeward'][@data-n='12']/a[@href='#homeward']", "12"),
    ("verse", "//div[@id='l15'][@data-n='15']/span", "fourteen for me."),
    # drama: the cast list, speeches with their speaker, stage directions as blocks and inline
    ("drama", "//section[@class='tei-castList']/h2[@class='tei-head']", "Persons of the play"),
    ("drama", "//div[@class='tei-castItem castItem'][1]", "The Miller, an old man"),
    ("drama", "//div[@class='tei-castItem castItem'][1]/span[@class='tei-role role']", "The Miller"),
    ("drama", "//div[@class='tei-castGroup castGroup']/div[@class='tei-head castGroup-head']", "Guests"),
    ("drama", "//div[@class='tei-sp sp'][1]/div[@class='tei-speaker speaker']", "Miller."),
    ("drama", "//div[@class='tei-sp sp'][1]//p/span[@class='tei-stage stage']", "(he listens)"),
    ("drama", "//section/div[@class='tei-stage stage'][1]", "A mill by the river. Evening."),
    ("drama", "//div[@class='tei-sp sp'][2]//div[@id='l1']/span", "The water sleeps, the wheel is dumb,"),
    # a letter: opener (dateline, salutation), closer (salutation, signature), postscript, address
    ("letter", "//div[@class='tei-opener opener']/div[@class='tei-dateline dateline']", "Moscow, 3 May 1689"),
    ("letter", "//div[@class='tei-opener opener']/div[@class='tei-salute salute']", "Dear brother,"),
    ("letter", "//div[@class='tei-closer closer']/div[@class='tei-signed signed']", "Ivan"),
    ("letter", "//div[@class='tei-postscript postscript']//p", "P.S. Burn this letter."),
    ("letter", "//div[@class='tei-address address']/div[2]", "in Nerchinsk"),
    # a table: its head the caption (its first child), @rows and @cols as rowspan and colspan
    ("table-head", "//table[@class='tei-table']/*[1][self::caption]", "Garrisons in 1686"),
    ("table-head", "//td[@rowspan='2']", "Albazin"),
    ("table-head", "//td[@colspan='3']", "the second siege"),
    # figures: a project image shown (figDesc its alt), one outside only linked; page images linked
    ("figure", ("//figure/img[@src='../../img/map.png'][@width='120'][@height='80']"
                "[@alt='A drawn map of the river with the fort on its bank']"), None),
    ("figure", "//figure/figcaption", "The river and the fort"),
    ("figure", "//figure/a[@class='graphic graphic-link'][@href='https://example.org/remote.png']",
     "A picture kept elsewhere"),
    ("figure", "//span[@class='pb'][@data-n='1']/a[@class='pb-facs'][@href='../../img/page1.png']", "[1]"),
    ("figure", "//span[@data-n='2']/a[@href='https://example.org/page2.jpg'][@rel='noopener']", "[2]"),
    # the apparatus: the lemma in the text, the readings with their witnesses' sigla from listWit
    ("app-wit", "//span[@id='appref-1']/span[@class='app-lem']", "great"),
    ("app-wit", "//span[@id='appref-1']//span[@class='app-rdg']", "grand P2 Kz"),
    ("app-wit", "//span[@id='appref-1']//span[@class='app-wit'][@title='P2: Paris copy; Kz: Kz, the Kazan print']",
     "P2 Kz"),
    ("app-wit", "//a[@class='app-ref'][@href='#app-2']", "2"),
    # the kind of a reading, a witness's detail and notes, a witness's page break, an empty lemma
    ("app-kinds", "//h2/span[@class='app']/span[@class='app-lem']", "Second sermon"),
    ("app-kinds", "//span[@id='appref-2']//span[@class='app-rdg']", "om. B"),
    ("app-kinds", "//span[@id='appref-3']//span[@class='app-rdg']", "add. very A"),
    ("app-kinds", "//span[@id='appref-4']//span[@class='app-rdg']", "transp. all them B"),
    ("app-kinds", "//span[@id='appref-5']//span[@class='app-rdg']", "fa B (B: leaf torn)"),
    ("app-kinds", "//span[@class='pb pb-witness'][@title='Page break in witness B 12v']", "[B 12v]"),
    # transcription
    ("transcription", "//span[@class='gap'][1]", "[… 3 words illegible]"),
    ("transcription", "//span[@class='gap'][2]", "[… 1 line damaged]"),
    ("transcription", "//*[@id='p2']/p", "A wide space, the Waſser and æther."),
    ("transcription", "//*[@id='p3']/p", "A page ends| here; a column[b] there; a section ¤ here."),
    ("transcription", "//span[@class='marker marker-handShift'][@title='Change of hand: #h2']", "✎"),
    ("transcription", "//span[@class='tei-unclear unclear'][@title='Unclear reading: faded']", "perhaps[?]"),
    ("transcription", "//span[@class='tei-supplied supplied']", "[word]"),
    ("transcription", "//span[@class='tei-damage damage'][@title='Damaged: water']", "wet"),
    ("transcription", "//ins[@class='tei-add add'][@title='Added (above)']", "good"),
    # line breaks: inside a word none, whatever the indentation after it; between words a space
    ("lb-indent", "//p", "A broken word and a long sentence, then two words apart and a line end."),
    # quotation marks only where the source has none
    ("quote-marks", "//q[@class='tei-q']", "come in"),
    ("quote-marks", "//span[@class='tei-quote quoted']", "all is well"),
    ("quote-marks", "//span[@class='tei-said quoted'][1]", "“I am here”"),
    ("quote-marks", "//span[@class='tei-said quoted'][2]", "that he was tired"),
    ("quote-marks", "//span[@class='tei-q quoted']", "quietly"),
    # every pairing in a choice: one reading shown, the other offered
    ("choice-pairs", "//span[@class='choice choice-reg'][1]/span[@class='choice-shown']", "recieved [sic]"),
    ("choice-pairs", "//span[@class='choice choice-reg'][1]//span[@class='choice-regular']", "received"),
    ("choice-pairs", "//span[@class='choice choice-corr']/span[@class='choice-shown']", "ye"),
    ("choice-pairs", "//span[@class='choice choice-reg'][2]/span[@class='choice-shown']", "Govr"),
    ("choice-pairs", "//span[@class='choice choice-expan']//span[@class='choice-regular']", "Moscow"),
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


def test_words_either_side_of_a_break():
    """In the search text too: `lb break="no"` joins the word across a line break and its
    indentation, a plain `lb` keeps two words apart."""
    _, doc, _, _ = fixture("lb-indent")
    assert doc.passages[0].text == "A broken word and a long sentence, then two words apart and a line end."


def test_apparatus_is_listed_under_the_text_with_links_both_ways():
    _, _, tree, out = fixture("app-wit")
    assert [(e["n"], e["anchor"], str(e["lemma"]), e["lemma_wit"]) for e in out.apparatus] == [
        ("1", "app-1", '<span class="tei-lem">great</span>', "M"),
        ("2", "app-2", '<span class="tei-lem">fast</span>', "M P2")]
    assert [r["wit"] for r in out.apparatus[0]["readings"]] == ["P2 Kz"]
    assert tree.xpath("//span[@id='appref-1']") and tree.xpath("//a[@href='#app-1']")


def test_apparatus_entry_keeps_its_notes_and_the_witnesses_details():
    """A note inside an <app> is marked in its entry under the text (once: its marker is an
    anchor); a witDetail follows the reading it is about, with its witness."""
    _, _, tree, out = fixture("app-kinds")
    entry = out.apparatus[-1]
    assert [str(n) for n in entry["notes"]] and 'href="#note-1"' in str(entry["notes"][0])
    assert "leaf torn" in str(entry["readings"][0]["detail"])
    assert len(tree.xpath("//*[@id='noteref-1']")) == 0  # not in the text's popover
    assert [n["n"] for n in out.notes] == ["1"]


def test_no_block_inside_a_paragraph_or_a_heading_inside_a_table():
    for name in ("verse", "drama", "letter", "table-head", "figure", "table"):
        _, _, tree, _ = fixture(name)
        assert not tree.xpath("//p//div | //p//table | //p//figure | //table//h1 | //table//h2 | //table//h3"
                              " | //span//div | //q//div"), name


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


def test_every_interface_word_is_defined_once():
    """YAML keeps the last of two equal keys silently: a word defined twice loses one meaning
    (a column's title once came out as «упоминаний: {}»)."""
    import yaml
    node = yaml.compose((DEFAULT_TEMPLATES / "i18n.yml").read_text(encoding="utf-8"))
    keys = [k.value for k, _ in node.value]
    assert not {k for k in keys if keys.count(k) > 1}


def test_a_count_of_one_takes_its_own_word():
    edition = load_edition(PHENOMENA, table(), "en", files=[PHENOMENA / "p.xml"])
    for lang, one, two in (("en", "1 mention", "2 mentions"), ("ru", "упоминаний: 1", "упоминаний: 2")):
        r = Renderer(edition, make_env([DEFAULT_TEMPLATES]), load_words([DEFAULT_TEMPLATES], lang))
        assert (r.t("mention_count", 1), r.t("mention_count", 2)) == (one, two)


def _folders_with_notes() -> list[Path]:
    from conftest import CORPORA, REPO
    folders = [PHENOMENA, *sorted(p for p in (PHENOMENA.parent / "corpora").iterdir() if p.is_dir()),
               PHENOMENA.parent / "letters", PHENOMENA.parent / "drama", REPO / "source" / "tei"]
    return folders + [CORPORA / "kamen", CORPORA / "maechtekongresse"]


@pytest.mark.parametrize("folder", _folders_with_notes(), ids=lambda p: p.name)
def test_the_notes_alone_are_the_notes_of_the_whole_text(folder):
    """The plain-text downloads list a text's notes from render_notes, which renders only the
    notes and the elements holding them: the same notes, in the same order, with the same HTML,
    as the whole text's rendering lists."""
    if not folder.is_dir():
        pytest.skip(f"{folder} is not here")
    edition = load(folder)
    renderer = Renderer(edition, env(), load_words([DEFAULT_TEMPLATES], "en"))
    noted = 0
    for doc in edition.texts:
        whole = renderer.render_document(doc, "").notes
        assert renderer.render_notes(doc) == whole, doc.rel
        noted += bool(whole)
    if folder.name in ("phenomena", "tei", "kamen"):
        assert noted, "some text here has notes"


@pytest.mark.parametrize("lang, shown, gone", [("en", "So the source; see Work.", "Так в источнике"),
                                               ("ru", "Так в источнике; см. Труд.", "So the source"),
                                               ("", "Так в источнике; см. Труд.", "So the source")])
def test_a_note_in_several_languages_shows_the_interfaces(lang, shown, gone):
    """A note whose children are each in a language (xml:lang) shows the one in the interface's
    language, else the document's; the other neither appears nor is indexed (its citation is no
    mention: a works page would link an anchor the page lacks). A note in one language is as it is."""
    edition = load_edition(PHENOMENA, replace(table(), lang=lang, _picks={}), lang or "en",
                           files=[PHENOMENA / "note-languages.xml"])
    (doc,) = edition.texts
    _, out = render(edition, doc)
    notes = [squash(lxml.html.fragment_fromstring(str(n["html"]), create_parent="div").text_content())
             for n in out.notes]
    assert notes == [shown, "Только по-русски."]
    assert gone not in str(out.html) + "".join(str(n["html"]) for n in out.notes)
    cited = [m.anchor for m in doc.mentions if m.element == "bibl"]
    assert cited == (["n1-en-m1"] if lang == "en" else ["n1-m1"])
    assert [e.id for e in edition.entries.values() if e.kind == "bibl" and e.mentions] == ["work"]


def test_a_translations_paragraphs_are_not_passages():
    """The translation's paragraphs are not numbered again among the text's passages (¶1, ¶2 once
    each, for the search, the downloads and the citations); they are places a link can land on."""
    _, doc, _, _ = fixture("translation")
    assert [(p.anchor, p.n) for p in doc.passages] == [("p1", "1"), ("p2", "2")]
