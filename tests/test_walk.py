"""The one walk: anchors (stable, unique, one per nested mention), note numbers, and KWIC context."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from teisite.diagnostics import Diagnostics
from teisite.models import ModelTable, load_table
from teisite.parsing import TEI_NS, localname, make_parser
from teisite.render import DEFAULT_TEMPLATES, behaviour_names
from teisite.walk import A_ANCHOR, A_NUM, WalkResult, safe_id, walk


@pytest.fixture(scope="module")
def table() -> ModelTable:
    return load_table(DEFAULT_TEMPLATES / "models.yml", behaviour_names([DEFAULT_TEMPLATES]), Diagnostics())


def run(table: ModelTable, body: str) -> tuple[etree._Element, WalkResult]:
    text = etree.fromstring(f'<text xmlns="{TEI_NS}" xmlns:xml="http://www.w3.org/XML/1998/namespace">'
                            f"<body>{body}</body></text>", make_parser())
    return text, walk(text, table)


def anchors(root: etree._Element) -> list[str]:
    return [e.get(A_ANCHOR) for e in root.iter() if e.get(A_ANCHOR)]


# --- anchors -------------------------------------------------------------------------------


def test_passage_anchors_from_xml_id_or_number(table):
    _, result = run(table, '<p>a</p><p xml:id="intro">b</p><p n="7">c</p><p>d</p>')
    assert [(p.anchor, p.n) for p in result.passages] == [("p1", "1"), ("intro", "2"), ("p7", "7"),
                                                          ("p4", "4")]


def test_a_made_up_anchor_never_takes_another_elements_id(table):
    root, result = run(table, '<p>a</p><p xml:id="p1">b</p>')
    assert [p.anchor for p in result.passages] == ["p1-2", "p1"]
    assert len(set(anchors(root))) == len(anchors(root))


def test_anchors_are_stable_between_walks(table):
    body = '<p>a <persName ref="#x">X</persName> <date when="1689">1689</date></p><p>b<note>n</note></p>'
    first, second = run(table, body)[0], run(table, body)[0]
    assert anchors(first) == anchors(second) == ["p1", "p1-x-1", "p1-1689-1", "p2", "note-1"]


def test_cells_speeches_and_letter_parts_are_places_to_lead_to(table):
    """Each gets an anchor (search results lead to it): its xml:id, else its name and number; a
    speech with @who is anchored as the mention of its speakers; a salute inside a paragraph is
    inline, and no place of its own."""
    root, _ = run(table, '<div><opener><salute>Dear</salute></opener><p><salute>Sir</salute>, hi</p>'
                         '<table><row><cell>a</cell><cell xml:id="c-own">b</cell><cell>c</cell></row></table>'
                         '<sp><p>Line</p></sp><sp who="#x"><p>Other</p></sp>'
                         '<closer><signed>F.</signed></closer></div>')
    got = {e.get(A_ANCHOR): localname(e) for e in root.iter() if e.get(A_ANCHOR)}
    for anchor, name in {"opener-1": "opener", "salute-1": "salute", "cell-1": "cell",
                         "c-own": "cell", "cell-3": "cell", "sp-1": "sp", "closer-1": "closer",
                         "signed-1": "signed"}.items():
        assert got.get(anchor) == name, got
    assert "salute-2" not in got and sum(1 for n in got.values() if n == "sp") == 2


def test_mention_anchors_count_per_passage(table):
    _, result = run(table, '<p><persName ref="#a">A</persName> <placeName ref="#b">B</placeName></p>'
                           '<p xml:id="two"><orgName ref="#c">C</orgName></p>')
    assert [m.anchor for m in result.mentions] == ["p1-a-1", "p1-b-1", "two-c-1"]
    assert [m.passage for m in result.mentions] == ["p1", "p1", "two"]


def test_mention_with_its_own_id_and_outside_passages(table):
    _, result = run(table, '<head><persName ref="#a">A</persName></head>'
                           '<p><persName xml:id="here" ref="#a">A</persName></p>')
    assert [m.anchor for m in result.mentions] == ["m-a-1", "here"]


def test_names_without_ref_are_not_mentions(table):
    _, result = run(table, "<p><persName>A</persName></p>")
    assert result.mentions == []


def test_nested_mentions_each_get_their_own_anchor(table):
    root, result = run(table, '<p>In <placeName ref="#town">the town of '
                              '<persName ref="#saint">St Peter</persName></placeName>.</p>')
    assert [(m.anchor, m.element, m.text) for m in result.mentions] == [
        ("p1-town-1", "placeName", "the town of St Peter"), ("p1-saint-1", "persName", "St Peter")]
    assert len(set(anchors(root))) == len(anchors(root))


@pytest.mark.parametrize("unsafe", ["../../x", "a/b", "a b", "x?y#z", "/etc/passwd"])
def test_unsafe_ids_become_safe_anchors(table, unsafe):
    _, result = run(table, f'<p xml:id="{unsafe}">a</p>')
    anchor = result.passages[0].anchor
    assert anchor == safe_id(unsafe) and "/" not in anchor and " " not in anchor and ".." not in anchor


# --- notes -----------------------------------------------------------------------------------


def test_notes_are_numbered_in_document_order_also_inside_names(table):
    root, result = run(table, '<p>a<note>one</note> <persName ref="#x">X<note>two</note></persName>'
                              '<placeName ref="#y">Y <persName ref="#z">Z<note>three</note></persName>'
                              '</placeName></p><p>b<note>four</note></p>')
    notes = [(n.get(A_NUM), n.get(A_ANCHOR), n.text) for n in root.iter(f"{{{TEI_NS}}}note")]
    assert notes == [("1", "note-1", "one"), ("2", "note-2", "two"), ("3", "note-3", "three"),
                     ("4", "note-4", "four")]
    assert result.notes == 4


def test_paragraphs_inside_notes_are_not_passages(table):
    _, result = run(table, "<p>a<note><p>inner</p></note></p><p>b</p>")
    assert [p.anchor for p in result.passages] == ["p1", "p2"]


def test_note_anchor_does_not_take_an_xml_id(table):
    root, _ = run(table, '<p xml:id="note-1">a<note>n</note></p>')
    assert len(set(anchors(root))) == len(anchors(root)) == 2


def test_a_note_is_anchored_by_its_xml_id_and_numbered_in_order(table):
    root, _ = run(table, '<p>a<note xml:id="n-verst">one</note> b<note>two</note></p>')
    notes = [(n.get(A_NUM), n.get(A_ANCHOR)) for n in root.iter(f"{{{TEI_NS}}}note")]
    assert notes == [("1", "n-verst"), ("2", "note-2")]


def words_at(root: etree._Element) -> dict[str, str]:
    """Each anchor with the words of the element it is on."""
    return {e.get(A_ANCHOR): " ".join("".join(e.itertext()).split()) for e in root.iter() if e.get(A_ANCHOR)}


def test_a_mention_is_named_by_its_unit_entry_and_occurrence(table):
    """p1-ivan-2 is the second mention of ivan in ¶1, note-1-anna-1 the first of anna in note 1; a
    name of another entry, or a date, tagged before it moves no other mention's anchor."""
    body = ('<p xml:id="a"><persName ref="#ivan">Ivan</persName>, <persName ref="#anna">Anna</persName>'
            '<note xml:id="n1">see <persName ref="#anna">her</persName></note> and '
            '<persName ref="#ivan">he</persName> <date when="1689">then</date></p>')
    root, _ = run(table, body)
    assert list(words_at(root)) == ["a", "a-ivan-1", "a-anna-1", "n1", "n1-anna-1", "a-ivan-2",
                                    "a-1689-1"]
    edited = body.replace('<p xml:id="a">', '<p xml:id="a"><placeName ref="#moscow">Moscow</placeName>'
                          '<note>new</note> <date when="1688">before</date> ')
    before, after = words_at(root), words_at(run(table, edited)[0])
    assert {k: after[k] for k in before if k != "a"} == {k: v for k, v in before.items() if k != "a"}


def test_a_mention_in_a_note_without_id_follows_its_note(table):
    root, _ = run(table, '<p>x<note>a <persName ref="persons.xml#ivan">I</persName></note></p>')
    assert "note-1-ivan-1" in anchors(root)


# --- keyword in context --------------------------------------------------------------------


def test_kwic_before_and_after(table):
    _, result = run(table, '<p>Then   <persName ref="#i">Ivan\n the <hi>Great</hi></persName> rode '
                           'to <placeName ref="#m">Moscow</placeName>.</p>')
    ivan, moscow = result.mentions
    assert (ivan.before, ivan.text, ivan.after) == ("Then ", "Ivan the Great", " rode to Moscow.")
    assert (moscow.before, moscow.text, moscow.after) == ("Then Ivan the Great rode to ", "Moscow", ".")


def test_kwic_leaves_out_notes_and_hidden_readings(table):
    _, result = run(table, '<p>First<note>a note</note> <choice><sic>teh</sic><corr>the</corr></choice> '
                           '<persName ref="#i">Ivan</persName><note>more</note> went.</p>')
    (ivan,) = result.mentions
    assert (ivan.before, ivan.after) == ("First teh ", " went.")


def test_kwic_of_a_mention_in_a_note_is_the_note(table):
    _, result = run(table, '<p>Outside text<note>See <persName ref="#i">Ivan</persName> here.</note></p>')
    (ivan,) = result.mentions
    assert (ivan.before, ivan.after, ivan.passage) == ("See ", " here.", "p1")


def test_kwic_is_clipped_at_a_word_with_an_ellipsis(table):
    words = " ".join(f"word{i}" for i in range(30))
    _, result = run(table, f'<p>{words} <persName ref="#i">Ivan</persName> {words}</p>')
    (ivan,) = result.mentions
    assert ivan.before.startswith("…word") and ivan.before.endswith("word29 ")
    assert ivan.after.endswith("…") and ivan.after.startswith(" word0")
    assert len(ivan.before) <= 61 and len(ivan.after) <= 61


def test_date_mentions_carry_their_value(table):
    _, result = run(table, '<p><date when="1689-08-22" cert="low">then</date></p>')
    (date,) = result.mentions
    assert (date.anchor, date.date.when, date.cert) == ("p1-1689-08-22-1", "1689-08-22", "low")


# --- other results ---------------------------------------------------------------------------


def test_unknown_elements_and_counts(table):
    _, result = run(table, "<p>a <frob>b</frob> <!-- c --> <?pi d?></p>")
    assert [localname(el) for el in result.unknown] == ["frob"]
    assert result.elements == 4  # text, body, p, frob


def test_passage_text_is_the_reading_text(table):
    _, result = run(table, '<p>He <choice><sic>recieved</sic><corr>received</corr></choice> it'
                         '<note>n</note> on <pb n="2"/>Monday, con<lb break="no"/>tinued.</p>')
    assert result.passages[0].text == "He recieved it on Monday, continued."


def test_models_chosen_are_remembered_for_rendering(tmp_path):
    from teisite.walk import model_of
    yml = tmp_path / "models.yml"
    yml.write_text('"*": [{behaviour: inline}]\np: [{behaviour: paragraph}]\n'
                   'hi:\n  - {when: "@rend=\'b\'", behaviour: block}\n  - {behaviour: inline}\n'
                   'seg: [{when: "@type=\'x\'", behaviour: block}]\n')
    table = load_table(yml, behaviour_names([DEFAULT_TEMPLATES]), Diagnostics())
    root, _ = run(table, '<p><hi rend="b">1</hi><hi>2</hi><seg type="x">3</seg><seg>4</seg>'
                         '<madeUp>5</madeUp></p>')
    chosen = {e.text: model_of(e, table).behaviour for e in root.iter() if e.text}
    # an element whose models all have predicates, none of which holds, falls back to the default
    assert chosen == {"1": "block", "2": "inline", "3": "block", "4": "inline", "5": "inline"}


def test_a_speech_in_verse_has_its_words(table):
    """A speech with no speaker whose words are all in lg/l (RusDraCor's verse plays): its words
    are its text, two blocks down (it was empty: a false `mention.empty`, "…" on the cast page)."""
    _, result = run(table, '<sp who="#a"><lg><l>Первый стих,</l><l>второй стих.</l></lg></sp>'
                           '<sp who="#b"><l>Один стих.</l></sp>')
    assert [m.text for m in result.mentions] == ["Первый стих, второй стих.", "Один стих."]


# --- the edition's anchors -------------------------------------------------------------------


def test_the_editions_anchors_stay_on_their_words_when_a_name_and_a_note_open_paragraph_1(table):
    """Issue 24's measure: a name and a note tagged at the start of ¶1 (here of an entry named
    later in ¶1 too) move no other paragraph's, note's or mention's anchor to other words."""
    source = Path(__file__).resolve().parents[1] / "source" / "tei" / "albazin-nerchinsk.xml"
    data = source.read_bytes()
    start = b'<p xml:id="p1" n="1">'
    assert data.count(start) == 1
    edited = data.replace(start, start + '<persName ref="persons.xml#tolbuzin">Толбузин</persName>'
                          '<note type="editorial" place="foot">Новое примечание.</note> '.encode())

    def anchored(xml: bytes) -> dict[str, str]:
        text = etree.fromstring(xml, make_parser()).find(f"{{{TEI_NS}}}text")
        walk(text, table)
        return words_at(text)

    before, after = anchored(data), anchored(edited)
    assert len(before) > 130
    moved = {k: (v, after.get(k)) for k, v in before.items() if k != "p1" and after.get(k) != v}
    assert not moved


def test_a_translations_paragraphs_are_numbered_apart_from_the_passages(table):
    """A paragraph of a translation keeps its xml:id and the number of the passage it translates,
    and its words, for the plain-text download; it is no passage of the text."""
    root, result = run(table, '<div><p xml:id="p1" n="1">Первый <note>не текст</note>абзац.</p></div>'
                              '<div type="translation" xml:lang="en"><head>By the editors</head>'
                              '<p xml:id="p1-en" n="1" corresp="#p1">The <hi>first</hi>  paragraph.</p></div>')
    assert [(p.anchor, p.n) for p in result.passages] == [("p1", "1")]
    assert [(p.anchor, p.n, p.lang, p.text) for p in result.translated] == [
        ("p1-en", "1", "en", "The first paragraph.")]
    (translated,) = root.iterfind(".//{*}p[@corresp]")
    assert (translated.get(A_ANCHOR), translated.get(A_NUM)) == ("p1-en", "1")
