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
               "figDesc", "facsimile", "egXML"}  # (a code example: its source, checked apart)


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
    # an empty link shows what it points to; one that points nowhere is plain text
    ("ref-empty", "//a[@class='tei-ref'][@href='../../name.xml']", "name.xml"),  # alone: a file
    ("ref-empty", "//a[@class='tei-ptr'][@href='../../persons/vera/']", "Vera Ivanova"),
    ("ref-empty", "//a[@class='tei-ref'][@href='#note-1' or @href='#n-a']", "1"),
    ("ref-empty", "//a[@class='tei-ref'][@href='#second']", "¶2"),
    ("ref-empty", "//*[@id='second']//span[@class='tei-ref'][1]", "1890-08-29"),
    ("ref-empty", "//*[@id='second']//span[@class='tei-ref'][2]", "the letter"),
    ("ref-empty", "//a[@class='tei-ptr'][@href='https://example.org/p']", "https://example.org/p"),
    # a code example is shown as its source, escaped, and not read as the edition's text
    ("egxml", "//pre[@class='tei-egXML code-example']/code",
     '<p>Letter to <persName ref="#anna">Anna</persName> &amp; her sister.</p> <note>not a note of this text</note>'),
    ("egxml", "//div[@class='passage'][2]//p", "That is all."),
    # an anchor is a place to link to; words inside it (against the Guidelines, in real letters) stay
    ("anchor", "//p/span[@id='a1']", ""),
    ("anchor", "//p/span[@id='a2']", "Ochsennatur"),
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


_FIXTURE_FOLDERS = ["phenomena", "dates", "hostile", "drama", "letters", "facs", "render", "corpora/gerdracor",
                    "corpora/mitford", "corpora/pta", "corpora/schnitzler-briefe"]


@pytest.mark.parametrize("name", ["seed", *_FIXTURE_FOLDERS, "maechtekongresse", "kamen"])
def test_reused_pieces_write_what_the_templates_write(name):
    """The renderer writes each template once per key around placeholders and reuses that: the
    HTML must be, character for character, what rendering every element in full writes, over the
    seed, every fixture folder and the shared corpora."""
    corpora = Path(__file__).resolve().parents[2] / "shared" / "corpora"
    folders = {"seed": Path(__file__).resolve().parents[1] / "source",
               **{f: PHENOMENA.parent / f for f in _FIXTURE_FOLDERS},
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


RENDER = PHENOMENA.parent / "render"


def _with_templates(tmp_path: Path, templates: dict[str, str], file: Path) -> tuple[str, str]:
    """A fixture rendered with a project's behaviour templates: reusing what each template writes
    per key, and rendering every element in full (what Jinja2 renders for its values)."""
    (tmp_path / "behaviours").mkdir(exist_ok=True)
    for name, text in templates.items():
        (tmp_path / "behaviours" / f"{name}.html").write_text(text, encoding="utf-8")
    dirs = [tmp_path, DEFAULT_TEMPLATES]
    edition = load_edition(file.parent, replace(table(), behaviours=behaviour_names(dirs), _picks={}), "en",
                           files=[file])
    words = load_words(dirs, "en")
    (doc,) = edition.texts
    reused = Renderer(edition, make_env(dirs), words).render_document(doc, "../../")
    full = Renderer(edition, make_env(dirs), words, reuse=False).render_document(doc, "../../")
    return str(reused.html), str(full.html)


def test_a_blank_link_shows_its_target_after_one_with_words():
    """`<ref target="https://..."> </ref>` (only whitespace) and `<ref .../>` show their target as
    the link's text, whatever a sibling of the same address before them held (reuse once wrote
    `<a ...> </a>` for the blank one after one with words). Seen to fail before."""
    edition = load(RENDER, [RENDER / "blank-ref.xml"])
    (doc,) = edition.texts
    tree, _ = render(edition, doc)
    texts = [squash(a.text_content()) for a in tree.xpath("//a[@href='https://example.org/a']")]
    assert texts == ["the page", "https://example.org/a", "https://example.org/a",
                     "https://example.org/a", "words"]


def test_a_value_given_to_t_is_written_as_jinja2_writes_it(tmp_path):
    """A project template that puts `content` into an interface word: t() gives a str, which
    Jinja2 escapes; the paragraph with markup must come out as Jinja2 renders it, even after a
    paragraph of plain words (reuse once wrote its HTML as it is). Seen to fail before."""
    reused, full = _with_templates(tmp_path, {"paragraph": "{#- teisite: {numbers: passage, block: true} -#}\n"
                                              '<p>{{ t("said: {}", content) }}</p>'}, RENDER / "markup.xml")
    assert reused == full
    assert "said: Words with &lt;em" in full


@pytest.mark.parametrize("expression, expected", [
    ("content | length", ["12", "61", "1"]),
    ("content | striptags | upper", ["PLAIN WORDS.", "WORDS WITH MARKUP &amp; AN AMPERSAND.", ""]),
    ("content | replace('Words', 'W')", ["Plain words.", "W with <", " "]),
    ("'yes' if content else 'blank'", ["yes", "yes", "blank"]),
    ("content[:5] ~ '|'", ["Plain|", "Words|", " |"]),
    ("content.split() | length", ["2", "7", "0"]),
])
def test_content_is_a_string_to_every_filter(tmp_path, expression, expected):
    """`content` is HTML as a Markup string: every string operation and filter takes it (`length`
    once failed: "object of type '_Lazy' has no len()"), and it is false when it holds only
    whitespace. Seen to fail before."""
    reused, full = _with_templates(tmp_path, {"paragraph": "{#- teisite: {numbers: passage, block: true} -#}\n"
                                              f"<p>{{{{ {expression} }}}}</p>"}, RENDER / "markup.xml")
    assert reused == full
    found = re.findall(r"<p>(.*?)</p>", full, re.DOTALL)
    assert len(found) == 3
    for got, want in zip(found, expected):
        assert got.startswith(want), (got, want)


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
    r = Renderer(edition, make_env([DEFAULT_TEMPLATES]), load_words([DEFAULT_TEMPLATES], "en"))
    assert (r.t("speech_count", 1), r.t("speech_count", 2)) == ("1 speech", "2 speeches")  # not "1 speeches"


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


def test_an_included_template_gets_the_content(tmp_path):
    """A template that includes another: the included one reads what it likes, `content` too."""
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "body.html").write_text("[{{ content }}]", encoding="utf-8")
    reused, full = _with_templates(tmp_path, {"paragraph": "{#- teisite: {numbers: passage, block: true} -#}\n"
                                              '<p>{% include "parts/body.html" %}</p>'}, RENDER / "markup.xml")
    assert reused == full
    assert "<p>[Plain words.]</p>" in full


def test_a_template_failing_for_one_element_says_which(tmp_path):
    """A template that raises for one element only: the error names the template's line and the
    element with its line in the TEI file (here the `<hi>` of markup.xml, line 6)."""
    from teisite.render import TemplateRenderError, template_problem

    with pytest.raises(TemplateRenderError) as raised:
        _with_templates(tmp_path, {"inline": '<i>{{ content }}</i>\n{{ 1 / (attrs.rend | length - 6) }}'},
                        RENDER / "markup.xml")
    assert raised.value.element == ("hi", str(RENDER / "markup.xml"), 6)
    (problem,) = template_problem(raised.value).items
    assert (problem.line, problem.related.path, problem.related.line) == (2, str(RENDER / "markup.xml"), 6)
    assert problem.path.endswith("inline.html") and "<hi> of " in problem.message


def _note_kinds(edition) -> list[str]:
    (doc,) = edition.texts
    _, out = render(edition, doc)
    return [n["kind"] for n in out.notes]


def test_a_notes_kind_is_decided_in_the_table(tmp_path):
    """Whether a note is the editors' or the author's is the table's decision (models.yml, the
    note models' `params: {kind: ...}`): a commentary is the editors' (it was labelled "auth."),
    and a project's table can give any type a kind of its own, with a word for its label."""
    file = RENDER / "note-kinds.xml"
    assert _note_kinds(load(RENDER, [file])) == ["authorial", "editorial", "editorial", "editorial", "authorial"]
    (tmp_path / "models.yml").write_text(
        "note: {mode: before, models: [{when: \"@type = 'translation'\", behaviour: note,"
        " params: {kind: translation}}]}\n", encoding="utf-8")
    diags = Diagnostics()
    merged = load_table([DEFAULT_TEMPLATES / "models.yml", tmp_path / "models.yml"],
                        behaviour_names([DEFAULT_TEMPLATES]), diags)
    assert not diags.items, diags.format()
    edition = load_edition(RENDER, merged, "en", files=[file])
    assert _note_kinds(edition) == ["authorial", "editorial", "editorial", "editorial", "translation"]
    (doc,) = edition.texts
    tree, _ = render(edition, doc)
    assert tree.xpath("//a[contains(@class, 'noteref-translation')]")


def _apparatus_and_image(table_yaml: str, tmp_path: Path) -> tuple[str, str, str, str]:
    """What table-params.xml shows with the shipped table and a project's on top: the reading in
    the text, the other reading with its siglum (and the witness's name), the image's alt text."""
    merged = table()
    if table_yaml:
        (tmp_path / "models.yml").write_text(table_yaml, encoding="utf-8")
        diags = Diagnostics()
        merged = load_table([DEFAULT_TEMPLATES / "models.yml", tmp_path / "models.yml"],
                            behaviour_names([DEFAULT_TEMPLATES]), diags)
        assert not diags.items, diags.format()
    edition = load_edition(RENDER, merged, "en", files=[RENDER / "table-params.xml"])
    (doc,) = edition.texts
    tree, _ = render(edition, doc)
    wit = tree.xpath("//span[@class='app-rdg']//span[@class='app-wit']")[0]
    return (tree.xpath("string(//span[@class='app-lem'])"), squash(tree.xpath("string(//span[@class='app-rdg'])")),
            wit.get("title"), tree.xpath("string(//a[contains(@class, 'graphic-link')])"))


def test_apparatus_parts_sigla_and_alt_text_are_decided_in_the_table(tmp_path):
    """Which readings an apparatus shows, a witness's siglum and an image's alt text are the
    table's params (XPath, models.yml), so a project's table changes them: here the lemma is the
    reading of @type="base", the sigla are the witnesses' labels and the alt text a figure's head.
    With the shipped table: the first reading, the witnesses' ids and the word for an image."""
    shipped = _apparatus_and_image("", tmp_path)
    assert shipped == ("fast", "swift w2", "w2: Pr the printed text", "Image")
    project = _apparatus_and_image(
        'app: [{behaviour: apparatus, params: {readings: "tei:rdg", lemma: "@type = \'base\'",\n'
        '       siglum: "tei:label"}}]\n'
        'graphic: [{behaviour: graphic, params: {alt: "../tei:head"}}]\n', tmp_path)
    assert project == ("swift", "fast Ar", "Ar: Ar the archive's copy", "The fort on the river")


def test_sigla_come_from_the_file_once_the_header_is_let_go():
    """A shed text (trees.shed_text, compact: a one-off build) keeps no header, where listWit
    is: a reading's @wit is followed into the file, and the sigla and names are those of the
    text as loaded."""
    from teisite.trees import compact, shed_text
    kept = fixture("app-wit")[2]
    edition = load(PHENOMENA, [PHENOMENA / "app-wit.xml"])
    (doc,) = edition.texts
    shed_text(doc)
    compact(doc)
    assert doc.xml is not None and doc.tree is None
    shed = render(edition, doc)[0]
    sigla = [(w.get("title"), w.text) for w in kept.xpath("//span[@class='app-wit']")]
    assert sigla and ("P2: Paris copy; Kz: Kz, the Kazan print", "P2 Kz") in sigla
    assert [(w.get("title"), w.text) for w in shed.xpath("//span[@class='app-wit']")] == sigla


def test_an_image_not_in_the_project_is_neither_shown_nor_offered():
    """Page breaks whose images are all missing (loading warns of each, [media.missing]) carry no
    `data-facs` and no link, so the text gets no page-images button (teisite.js offers one only
    for a break with `data-facs`); a missing graphic is no broken <img>. Seen to fail before."""
    edition = load(RENDER, [RENDER / "missing-images.xml"])
    (doc,) = edition.texts
    assert [there for _, there in doc.media] == [False, False, False]
    tree, _ = render(edition, doc)
    breaks = tree.xpath("//span[contains(@class, 'pb')]")
    assert [b.get("data-n") for b in breaks] == ["1", "2"]
    assert not tree.xpath("//*[@data-facs]") and not tree.xpath("//a[@class='pb-facs']")
    assert not tree.xpath("//img")
    present = load(PHENOMENA, [PHENOMENA / "figure.xml"])  # beside one that is there
    (figure,) = present.texts
    assert render(present, figure)[0].xpath("//*[@data-facs]")


def test_each_speaker_links_to_its_cast_entry():
    """A speech's speaker label is a name: a link to the cast entries its speech names (@who),
    with the data the popover reads; a speech with several speakers names them all. Seen to be
    plain labels before."""
    _, _, tree, out = fixture("drama")
    speakers = tree.xpath("//div[contains(@class, 'sp')]/div[contains(@class, 'speaker')]")
    links = [(s.xpath("string(a[contains(@class, 'mention')]/@href)"),
              s.xpath("string(a[contains(@class, 'mention')]/@data-ref)"), s.text_content()) for s in speakers]
    assert links == [("../../cast/drama--miller/", "miller@drama", "Miller."),
                     ("../../cast/drama--daughter/", "daughter@drama", "Anna."),
                     ("../../cast/drama--first/", "first@drama second@drama", "Both guests.")]
    assert {"miller@drama", "daughter@drama", "first@drama", "second@drama"} <= set(out.entries)
    corpus = PHENOMENA.parent / "corpora" / "gerdracor"
    edition = load(corpus)
    for doc in edition.texts:
        page, _ = render(edition, doc)
        labels = page.xpath("//div[contains(@class, 'sp')][@data-ref]/*[contains(@class, 'speaker')]")
        assert labels and all(label.xpath("a[contains(@class, 'mention')][@href][@data-ref]") for label in labels)


# --- reuse against rendering in full, on templates and elements made up by Hypothesis ----------

_VALUES = {"link": ["content"] * 6 + ["href", "href", "external", "nested", "anchor", "n", "name", "root"],
           "inline": ["content"] * 5 + ["anchor", "n", "name", "root"]}
_CONTENTS = ["", " ", "\n   ", "words", "a &lt; b &amp; c", "<hi>x</hi>", " <hi rend='i'>y</hi> ",
             "w <seg type='q'>in</seg> z", "1"]
_ATTRS = {"target": ["https://a.org/x", "https://a.org/x", "#D", "javascript:alert(1)"],
          "rend": ["i", "b", ""], "type": ["q", "ex"], "n": ["1", "2"], "xml:lang": ["ru", "en"]}


def _template_strategy(behaviour: str):
    """Templates made of what the shipped and documented templates do with their values: write
    them, test them, put them through filters, tests, operators, loops, `{% set %}`, t(), filter
    and autoescape blocks, and read attributes."""
    from hypothesis import strategies as st

    value = st.sampled_from(_VALUES[behaviour])
    attr = st.sampled_from(["rend", "type", "n", "lang", "target"])
    text = st.sampled_from(["", " ", "x", "<b>", "&"])
    condition = st.one_of(
        value, value, value, value.map(lambda v: f"not {v}"),
        st.tuples(value, value).map(lambda p: f"{p[0]} and not {p[1]}"),
        st.tuples(value, st.sampled_from(["'1'", "''", "'words'", "'https://a.org/x'"])).map(
            lambda p: f"{p[0]} == {p[1]}"),
        attr.map(lambda a: f"attrs.{a} is defined"), attr.map(lambda a: f"attrs.get('{a}')"),
        value.map(lambda v: f"{v} | string | length > 2"), value.map(lambda v: f"{v} is string"))
    expression = st.one_of(
        value, value,
        st.tuples(value, st.sampled_from(["length", "upper", "trim", "striptags", "e", "string",
                                          "default('d')", "replace('a', '<i>')", "tojson_attr"])).map(
            lambda p: f"{p[0]} | {p[1]}"),
        value.map(lambda v: f"t('w {{}}', {v})"), value.map(lambda v: f"t({v} | string)"),
        st.sampled_from(["t('readings')", "params.class | default('')", "attrs | length", "lang"]),
        value.map(lambda v: f"{v} ~ '!'"), value.map(lambda v: f"{v} | string | truncate(5, True, '')"),
        st.tuples(value, text).map(lambda p: f"'a' if {p[0]} else {p[1]!r}"),
        attr.map(lambda a: f"attrs.get('{a}', '')"), attr.map(lambda a: f"attrs['{a}'] | default('none')"),
        value.map(lambda v: f"content[:3] if {v} else ''"))
    written = value.map(lambda v: f"{{{{ {v} }}}}")
    leaf = st.one_of(text, written, written, expression.map(lambda e: f"{{{{ {e} }}}}"),
                     st.tuples(value, written, text).map(
                         lambda p: f"{{% if {p[0]} %}}{p[1]}{{% else %}}{p[2]}{{% endif %}}"))

    def around(pieces):
        return st.one_of(
            st.lists(pieces, min_size=2, max_size=3).map("".join),
            st.tuples(condition, pieces, pieces).map(
                lambda p: f"{{% if {p[0]} %}}{p[1]}{{% else %}}{p[2]}{{% endif %}}"),
            st.tuples(condition, pieces).map(lambda p: f"{{% if {p[0]} %}}{p[1]}{{% endif %}}"),
            st.tuples(value, pieces).map(lambda p: f"{{% set s = {p[0]} %}}{p[1]}{{{{ s }}}}"),
            pieces.map(lambda p: f"{{% for k, v in attrs | dictsort %}}{{{{ k }}}}={{{{ v }}}};{p}{{% endfor %}}"),
            pieces.map(lambda p: f"{{% set c %}}{p}{{% endset %}}{{{{ c | length }}}}{{{{ c }}}}"),
            pieces.map(lambda p: f"{{% filter upper %}}{p}{{% endfilter %}}"),
            pieces.map(lambda p: f"{{% autoescape false %}}{p}{{% endautoescape %}}"))

    return st.recursive(leaf, around, max_leaves=6)


def _elements_strategy(tag: str):
    from hypothesis import strategies as st

    attrs = st.dictionaries(st.sampled_from(sorted(_ATTRS)), st.just(None), max_size=3).flatmap(
        lambda keys: st.tuples(*[st.sampled_from(_ATTRS[k]).map(lambda v, k=k: (k, v)) for k in keys]))
    element = st.tuples(attrs, st.sampled_from(_CONTENTS)).map(
        lambda p: f"<{tag}{''.join(f' {k}={v!r}' for k, v in p[0])}>{p[1]}</{tag}>")
    return st.lists(element, min_size=2, max_size=8)


@pytest.mark.parametrize("behaviour, tag", [("link", "ref"), ("inline", "seg")])
def test_reuse_writes_what_jinja2_renders_for_any_template(behaviour, tag):
    """A property (Hypothesis, seeded and bounded): for a project template made of the constructs
    templates use, and elements with any of a set of attributes and contents, rendering each
    template once per key around placeholders writes, for every element, what Jinja2 renders for
    that element's values in full - or fails the same way."""
    import tempfile

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    @settings(max_examples=80, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(st.tuples(_template_strategy(behaviour), _elements_strategy(tag)))
    def check(case):
        template, elements = case
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            (folder / "tei").mkdir()
            file = folder / "tei" / "t.xml"
            file.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt>'
                            "<title>t</title></titleStmt><publicationStmt><p>p</p></publicationStmt>"
                            "<sourceDesc><p>s</p></sourceDesc></fileDesc></teiHeader><text><body>"
                            f"<p>{' '.join(elements)}</p><p>{''.join(reversed(elements))}</p>"
                            "</body></text></TEI>", encoding="utf-8")
            head = "{#- teisite: {links: true, context: target} -#}\n" if behaviour == "link" else ""
            (folder / "templates" / "behaviours").mkdir(parents=True)
            (folder / "templates" / "behaviours" / f"{behaviour}.html").write_text(head + template,
                                                                                  encoding="utf-8")
            dirs = [folder / "templates", DEFAULT_TEMPLATES]
            edition = load_edition(file.parent, replace(table(), behaviours=behaviour_names(dirs), _picks={}),
                                   "en", files=[file])
            (doc,) = edition.texts
            words = load_words(dirs, "en")
            out = []
            for reuse in (True, False):
                try:
                    out.append(str(Renderer(edition, make_env(dirs), words, reuse=reuse)
                                   .render_document(doc, "../../").html))
                except Exception as exc:  # noqa: BLE001 - either way, the same
                    out.append(f"{type(exc).__name__}: {exc}")
            assert out[0] == out[1], template

    check()


def test_page_images_are_looked_up_in_an_index_made_once_per_text(tmp_path, monkeypatch):
    """882 page breaks pointing into the facsimile took 13.5x the time of the same text without
    them: each searched the whole tree, and the file parsed again. Now the text's ids are indexed
    once (and the file's once more, for pointers the walked tree does not hold)."""
    import teisite.render as render_module
    made = []
    real = render_module.graphic_urls
    monkeypatch.setattr(render_module, "graphic_urls", lambda root: made.append(root) or real(root))
    pages = "".join(f'<pb n="{i}" facs="#s{i}"/><p>page {i}</p>' for i in range(200))
    surfaces = "".join(f'<surface xml:id="s{i}"><graphic url="img/{i}.png"/></surface>' for i in range(199))
    (tmp_path / "img").mkdir()
    for i in range(199):
        (tmp_path / "img" / f"{i}.png").write_bytes(b"")
    (tmp_path / "t.xml").write_text(
        f'<TEI xmlns="{TEI_NS}"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>'
        '<publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc></teiHeader>'
        f'<facsimile>{surfaces}</facsimile><text><body>{pages}</body></text></TEI>', encoding="utf-8")
    edition = load(tmp_path)
    html, _ = render(edition, edition.documents[0])
    shown = [pb.get("data-facs") for pb in html.iter() if "pb" in (pb.get("class") or "").split()]
    assert shown[:2] == ["../../img/0.png", "../../img/1.png"] and shown[198] == "../../img/198.png"
    assert shown[199] in (None, "")  # s199 does not exist: no image
    assert len(made) <= 2


def test_an_empty_link_to_another_text_shows_its_title_and_one_to_nothing_is_reported():
    edition = load(PHENOMENA, [PHENOMENA / "ref-empty.xml", PHENOMENA / "name.xml"])
    doc = next(d for d in edition.texts if d.rel == "ref-empty.xml")
    html, _ = render(edition, doc)
    assert [a.text_content() for a in html.xpath("//a[@href='../../texts/name/']")] == ["name"]
    unresolved = [d for d in edition.diagnostics.items if d.code == "ref.unresolved"]
    assert [(d.line, d.severity) for d in unresolved] == [(9, "warning"), (9, "warning")]
    assert "@target `1890-08-29` names no place of this page" in unresolved[0].message
    assert "@target `L03430`" in unresolved[1].message


def test_an_old_versions_places_lead_to_the_current_version_or_are_marked_gone():
    """render_document(..., old): each anchored place of an old version's text gets the same
    place in the current version (two folders up from v/<n>/), or `gone`; a text the current
    version lacks has every place gone; the current version's pages get neither."""
    from teisite.versions import Versions
    edition = load(PHENOMENA, [PHENOMENA / "note.xml"])
    (doc,) = edition.texts
    renderer = Renderer(edition, env(), load_words([DEFAULT_TEMPLATES], "en"))

    def marks(old) -> tuple[list, list]:
        out = renderer.render_document(doc, "../../", old)
        html = lxml.html.fragment_fromstring(str(out.html), create_parent="div")
        return ([a.get("href") for a in html.xpath("//a[@class='ts-in-current']")],
                [(n["anchor"], n["in_current"], n["gone"]) for n in out.notes])

    links, notes = marks(Versions("1.0", "1.1", [], {doc.rel: ["note-2"]}))
    assert links == [f"../../../../texts/{doc.slug}/#p1"]
    assert notes == [("note-1", f"../../../../texts/{doc.slug}/#note-1", False), ("note-2", "", True)]
    assert marks(Versions("1.0", "1.1", [], {}, [doc.rel])) == ([], [("note-1", "", True), ("note-2", "", True)])
    assert marks(Versions("1.1", "1.1", [])) == marks(None) == ([], [("note-1", "", False), ("note-2", "", False)])
