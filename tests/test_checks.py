"""The checks an editor trusts: each problem once, located from line 1 and column 1 with its end,
and a did-you-mean for a misspelt element or @ref (by edit distance and the registers' names)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import CORPORA, FIXTURES, REPO
from test_edition import HEAD, PERSONS, table, text

from teisite.checks import (
    closeness,
    edit_distance,
    name_key,
    suggest_element,
    tei_classes,
    tei_elements,
)
from teisite.loading import load_edition

PLACES = HEAD.format(t="Places", x='<standOff><listPlace>\n'
                     '<place xml:id="moscow"><placeName xml:lang="en">Moscow</placeName>'
                     '<placeName xml:lang="ru">Москва</placeName></place>\n'
                     '<place xml:id="albazin"><placeName>Албазин</placeName></place>\n'
                     '</listPlace></standOff>')


def edition(tmp_path: Path, files: dict[str, str], **kw):
    for name, content in files.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    return load_edition(tmp_path, table(), "en", **kw)


def only(ed, code: str):
    found = [d for d in ed.diagnostics.items if d.code == code]
    assert len(found) == 1, [str(d) for d in ed.diagnostics.items]
    return found[0]


def position(path: str | Path, needle: str, nth: int = 0) -> tuple[int, int]:
    """(line, col) of the nth `needle` in a file, both from 1."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    found = [(i, ln.index(needle, j) + 1) for i, ln in enumerate(lines, 1)
             for j in range(len(ln)) if ln.startswith(needle, j)]
    return found[nth]


# -- nameless entries --------------------------------------------------------------------------

def test_a_nameless_entry_is_a_warning_at_the_entry(tmp_path):
    register = HEAD.format(t="Persons", x='<standOff><listPerson>\n'
                           '  <person xml:id="anon"><persName/><note>Казак.</note></person>\n'
                           '  <person xml:id="named"><persName>Иван</persName></person>\n'
                           '</listPerson></standOff>')
    ed = edition(tmp_path, {"persons.xml": register, "t.xml": text(
        '<p><persName ref="#anon">казак</persName> <persName ref="#named">Иван</persName></p>')})
    warning = only(ed, "entry.nameless")
    assert warning.severity == "warning" and warning.path == str(tmp_path / "persons.xml")
    assert (warning.line, warning.col) == (2, 3)
    assert (warning.end_line, warning.end_col) == (2, 3 + len('<person xml:id="anon">'))
    assert warning.message == ('person entry "anon" has no name, so it is published under its id; '
                               'add a <persName> with its name to it')
    assert ed.entries["anon"].label == "anon"


def test_a_nameless_entry_in_a_texts_own_list_is_located_when_shed(tmp_path):
    back = ('<back><listPlace>\n<place xml:id="nowhere"><location><geo>1 2</geo></location></place>'
            '</listPlace></back>')
    files = {"t.xml": text('<p><placeName ref="#nowhere">там</placeName></p>', back)}
    kept = only(edition(tmp_path, files), "entry.nameless")
    for jobs in (1, 2):
        shed = only(edition(tmp_path, files, shed=True, jobs=jobs), "entry.nameless")
        assert shed.as_json() == kept.as_json()
    assert "add a <placeName>" in kept.message and kept.col == 1 and kept.end_col > 1


# -- duplicate ids -----------------------------------------------------------------------------

def test_a_duplicate_id_in_a_text_is_reported_once_with_the_first_place(tmp_path):
    ed = edition(tmp_path, {"t.xml": text('<p xml:id="a">x</p>\n<p>y <seg xml:id="a">z</seg></p>')})
    error = only(ed, "id.duplicate")
    path = tmp_path / "t.xml"
    assert error.message == 'xml:id "a" is used twice (first at line 1); give one of them another id'
    assert (error.line, error.col) == position(path, '<seg')
    assert (error.end_line, error.end_col) == (2, position(path, 'xml:id="a">z')[1] + len('xml:id="a"'))
    assert error.related is not None
    assert (error.related.path, error.related.line, error.related.col) == \
        (str(path), *position(path, '<p xml:id="a"'))


def test_a_duplicate_entry_in_one_register_file_is_reported_once(tmp_path):
    register = PERSONS.replace('<person xml:id="eliseev">', '<person xml:id="yolkin">')
    ed = edition(tmp_path, {"persons.xml": register, "t.xml": text("<p>x</p>")})
    assert "(first at line 1)" in only(ed, "id.duplicate").message


def test_a_duplicate_entry_in_two_register_files_names_the_first_file(tmp_path):
    other = HEAD.format(t="More", x='<standOff><listPerson>\n\n<person xml:id="yolkin"><persName>Ёлкин'
                        '</persName></person></listPerson></standOff>')
    ed = edition(tmp_path, {"a.xml": PERSONS, "b.xml": other, "t.xml": text("<p>x</p>")})
    error = only(ed, "id.duplicate")
    assert error.path == str(tmp_path / "b.xml") and (error.line, error.col) == (3, 1)
    assert error.message == 'xml:id "yolkin" is used twice (first at a.xml:1); give one of them another id'
    assert error.related.path == str(tmp_path / "a.xml")
    assert (error.related.line, error.related.col) == position(tmp_path / "a.xml", '<person xml:id="yolkin"')


# -- elements ----------------------------------------------------------------------------------

def test_the_tei_element_list_is_shipped_with_the_package():
    names = set(tei_elements().values())
    assert {"TEI", "persName", "placeName", "undo", "egXML"} <= names and len(names) > 500
    assert "persname" not in names


@pytest.mark.parametrize("typed, meant", [
    ("persname", "persName"), ("PLACENAME", "placeName"), ("placName", "placeName"),
    ("orgname", "orgName"), ("hii", "hi"), ("frobnicate", None), ("madeUp", None)])
def test_suggest_element(typed, meant):
    assert suggest_element(typed) == meant


def test_a_misspelt_element_gets_did_you_mean_and_not_the_table_advice(tmp_path):
    ed = edition(tmp_path, {"t.xml": text('<p>Воевода\n  <persname>Толбузин</persname> и '
                                          '<persname>Бейтон</persname></p>')})
    warning = only(ed, "models.unknown-element")
    assert warning.message == ("<persname> is not a TEI element (2 times in this file); did you mean "
                               "`persName`? It is shown as plain inline text")
    assert "models.yml" not in warning.message
    assert (warning.line, warning.col, warning.end_line, warning.end_col) == (2, 3, 2, 3 + len("<persname>"))


def test_an_element_that_is_not_tei_at_all_gets_no_table_advice(tmp_path):
    ed = edition(tmp_path, {"t.xml": text('<p><frobnicate>x</frobnicate></p>')})
    assert only(ed, "models.unknown-element").message == (
        "<frobnicate> is not a TEI element; check its spelling in the TEI Guidelines. It is shown as "
        "plain inline text")


def test_a_tei_element_without_a_model_keeps_the_table_advice(tmp_path):
    ed = edition(tmp_path, {"t.xml": text('<p>a <undo>b</undo></p>')})
    assert only(ed, "models.unknown-element").message == (
        "<undo> has no model in the element table; it is shown as plain inline text (as a member of "
        "TEI's model.phrase, its closest behaviour is `inline`: add `undo: [{behaviour: inline}]` to "
        "templates/models.yml)")


@pytest.mark.parametrize("element, cls, behaviour", [
    ("formula", "model.phrase", "inline"), ("catchwords", "model.phrase", "inline"),
    ("ab", "model.pLike", "paragraph"), ("epigraph", "model.divTop", "block"),
    ("trailer", "model.divBottom", "block"), ("floatingText", "model.inter", "block"),
    ("fw", "model.milestoneLike", "marker"), ("metamark", "model.global", "marker"),
    ("incident", "model.global.spoken", "inline"), ("lg", "model.divPart", "block"),
])
def test_the_closest_behaviour_comes_from_the_tei_class(element, cls, behaviour):
    assert tei_classes()[element] == (cls, behaviour)


def test_a_tei_element_without_a_model_is_told_its_closest_behaviour(tmp_path):
    ed = edition(tmp_path, {"t.xml": text('<p>a</p><floatingText><body><p>b</p></body></floatingText>')})
    message = only(ed, "models.unknown-element").message
    assert "as a member of TEI's model.inter, its closest behaviour is `block`" in message
    assert "`floatingText: [{behaviour: block}]`" in message


def test_an_element_in_another_namespace_is_named_so(tmp_path):
    ed = edition(tmp_path, {"t.xml": text('<p><h:b xmlns:h="http://www.w3.org/1999/xhtml">x</h:b></p>')})
    message = only(ed, "models.unknown-element").message
    assert message.startswith('<h:b> is in the namespace "http://www.w3.org/1999/xhtml", not TEI\'s;')


def test_an_element_in_a_default_namespace_is_named_by_its_uri(tmp_path):
    ed = edition(tmp_path, {"t.xml": text('<p><b xmlns="urn:other">x</b></p>')})
    assert only(ed, "models.unknown-element").message.startswith('<{urn:other}b> is in the namespace')


def test_an_xi_include_left_unresolved_is_an_error_not_an_unknown_element(tmp_path):
    ed = edition(tmp_path, {"t.xml": text('<p>a <xi:include xmlns:xi="http://www.w3.org/2001/XInclude" '
                                          'href="nowhere.xml"/></p>')})
    assert [d.code for d in ed.diagnostics.items] == ["xinclude.missing"]


# -- refs --------------------------------------------------------------------------------------

@pytest.mark.parametrize("a, b, distance", [
    ("", "", 0), ("kitten", "sitting", 3), ("moskva", "moscow", 3), ("abc", "", 3), ("ab", "ba", 2)])
def test_edit_distance(a, b, distance):
    assert edit_distance(a, b) == edit_distance(b, a) == distance


def test_closeness():
    assert closeness("tolbuzin", "tolbuzin") == 1.0
    assert closeness("tolbuzn", "tolbuzin") == 1 - 1 / 8
    assert closeness("a", "abcdefgh") == 0.0
    assert closeness("hii", "hi") == 1 - 1 / 3  # one edit: close enough, however short


@pytest.mark.parametrize("written, key", [
    ("Москва", "moskva"), ("Ёлкин", "elkin"), ("Елкин", "elkin"), ("Moscow", "moscow"),
    ("Nerchinsk (Нерчинск)", "nerchinsknerchinsk"), ("Österreich", "osterreich"),
    ("Алексей Толбузин", "alekseitolbuzin"), ("Жуков", "zhukov"), ("p_11", "p11")])
def test_name_key_leaves_out_case_marks_and_script(written, key):
    assert name_key(written) == key


def test_a_ref_is_matched_by_the_entries_other_names(tmp_path):
    body = '<p>В <placeName ref="#moskva">Москве</placeName>.</p>'
    ed = edition(tmp_path, {"places.xml": PLACES, "t.xml": text(body)})
    error = only(ed, "ref.unresolved")
    assert error.message == ("@ref `#moskva` is not in any register; did you mean `#moscow` "
                             "(Moscow, Москва)?")
    line, col = position(tmp_path / "t.xml", '<placeName ref="#moskva"')
    assert (error.line, error.col) == (line, col)
    assert (error.end_line, error.end_col) == (line, col + len('<placeName ref="#moskva"'))


@pytest.mark.parametrize("ref, meant", [
    ("#Moskwa", "#moscow"), ("#albasin", "#albazin"), ("#moskow", "#moscow"),
    ("places.xml#albazn", "places.xml#albazin")])
def test_a_ref_is_matched_by_edit_distance(tmp_path, ref, meant):
    body = f'<p><placeName ref="{ref}">x</placeName></p>'
    ed = edition(tmp_path, {"places.xml": PLACES, "t.xml": text(body)})
    assert f"did you mean `{meant}` (" in only(ed, "ref.unresolved").message


def test_a_ref_far_from_everything_gets_the_register_advice(tmp_path):
    body = '<p><placeName ref="#kyiv">x</placeName></p>'
    ed = edition(tmp_path, {"places.xml": PLACES, "t.xml": text(body)})
    assert only(ed, "ref.unresolved").message.endswith("add an entry with this xml:id to a register "
                                                       "(listPlace)")  # a placeName's: a place


def test_a_ref_prefers_an_entry_of_the_kind_its_element_names(tmp_path):
    """`#yelkin` on a placeName: the village Елкин, though the person Ёлкин is as close."""
    places = PLACES.replace('<place xml:id="albazin">', '<place xml:id="elkin-v"><placeName>Елкин'
                            '</placeName></place><place xml:id="albazin">')
    ed = edition(tmp_path, {"persons.xml": PERSONS, "places.xml": places, "t.xml": text(
        '<p><placeName ref="#yelkin">x</placeName> <persName ref="#yelkin">y</persName></p>')})
    hints = sorted(d.message.split("did you mean ")[1] for d in ed.diagnostics.errors)
    assert hints == ["`#elkin-v` (Елкин)?", "`#yolkin` (Ёлкин)?"]


# -- every message located from 1, with its end ------------------------------------------------

def _folders() -> list[Path]:
    return [FIXTURES / "phenomena", FIXTURES / "dates", FIXTURES / "hostile",
            CORPORA / "kamen", CORPORA / "maechtekongresse"]


@pytest.mark.parametrize("folder", _folders(), ids=lambda p: p.name)
def test_every_message_is_located_from_1_at_its_element(folder):
    """Every diagnostic of an edition, kept or shed: line and column from 1; one at an element
    starts at its '<' and ends just after its start tag's '>' or an attribute's closing quote."""
    if not folder.exists():
        pytest.skip(f"{folder} is not here")
    kept = load_edition(folder, table(), "en")
    shed = load_edition(folder, table(), "en", shed=True, jobs=2)
    assert [d.as_json() for d in shed.diagnostics.sorted()] == \
        [d.as_json() for d in kept.diagnostics.sorted()]
    assert kept.diagnostics.items
    for d in kept.diagnostics.items:
        assert d.line >= 1 and d.col >= 1, str(d)
        if d.code.startswith("parse."):
            continue  # a file's own problem, at its start
        lines = Path(d.path).read_text(encoding="utf-8-sig").splitlines()
        assert lines[d.line - 1][d.col - 1] == "<", str(d)
        assert d.end_line is not None and d.end_col is not None, str(d)
        assert (d.end_line, d.end_col) > (d.line, d.col)
        assert lines[d.end_line - 1][d.end_col - 2] in ">\"'", str(d)


# --- @key and <geo> (issue 14, item 12) -------------------------------------------------------------

_KEY_TEI = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>t</title>'
            '</titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc>'
            '</teiHeader><text><body><p>{}</p></body><back><listPerson><person xml:id="anna">'
            '<persName>Anna</persName></person></listPerson><listPlace>{}</listPlace></back></text></TEI>')


def _edition(tmp_path, body: str, places: str = ""):
    from test_render import load
    (tmp_path / "k.xml").write_text(_KEY_TEI.format(body, places), encoding="utf-8")
    return load(tmp_path, [tmp_path / "k.xml"])


def test_a_key_that_names_an_entry_links_like_a_ref(tmp_path):
    edition = _edition(tmp_path, '<persName key="anna">Anna</persName>')
    assert edition.entries["anna"].mentions
    assert not [d for d in edition.diagnostics.items if d.code.startswith("ref.")]


def test_a_key_that_names_nothing_is_said_to_be_unused(tmp_path):
    edition = _edition(tmp_path, 'x\n<persName key="gnd-118540238">Goethe</persName>')
    found = [d for d in edition.diagnostics.items if d.code == "ref.key"]
    assert len(found) == 1 and found[0].severity == "warning" and "gnd-118540238" in found[0].message
    assert found[0].line == 2 and found[0].col == 1
    assert not edition.diagnostics.errors


def test_a_ref_wins_over_a_key(tmp_path):
    edition = _edition(tmp_path, '<persName ref="#anna" key="other">Anna</persName>')
    assert edition.entries["anna"].mentions and not (edition.diagnostics.errors or edition.diagnostics.warnings)


@pytest.mark.parametrize("geo, read, warned", [
    ("48.208333 16.373056", (48.208333, 16.373056), False),
    ("48.2083,16.3731", (48.2083, 16.3731), False),
    ("48.2 16.3 170", (48.2, 16.3), False),
    ("48,208333 16,373056", (48.208333, 16.373056), True),
    ("208.3 16.3", None, True),
    ("48.2 -190", None, True),
    ("north of Vienna", None, True),
])
def test_geo_is_read_right_or_warned_about(tmp_path, geo, read, warned):
    place = (f'<place xml:id="wien"><placeName>Wien</placeName><location><geo>{geo}</geo>'
             '</location></place>')
    edition = _edition(tmp_path, '<placeName ref="#wien">Wien</placeName> <persName ref="#anna">A</persName>',
                       place)
    assert edition.entries["wien"].geo == read
    assert bool([d for d in edition.diagnostics.items if d.code == "entry.geo"]) == warned


# --- proposals that keep the words (issue 27 item 4) --------------------------------------------

PROPOSED = re.compile(r"add `([\w:]+): \[\{behaviour: (\w+)\}\]` to templates/models.yml")


def unmodelled_by_class() -> dict[str, str]:
    """One TEI element per class of checks' class → behaviour list that the shipped table has no
    model for (the elements a warning proposes a behaviour for)."""
    from teisite.checks import tei_classes
    from teisite.diagnostics import Diagnostics as D
    from teisite.models import load_table
    from teisite.render import DEFAULT_TEMPLATES, behaviour_names
    shipped = load_table([DEFAULT_TEMPLATES / "models.yml"], behaviour_names([DEFAULT_TEMPLATES]), D()).models
    out: dict[str, str] = {}
    for name, (cls, _) in sorted(tei_classes().items()):
        if name not in shipped and ":" not in name:
            out.setdefault(cls, name)
    return out


def worded_text(name: str) -> str:
    return HEAD.format(t="Text", x=f'<text><body><p>Before <{name}><desc>zqxone Abbildung</desc> zqxtwo '
                                    f'<ptr target="#p1"/></{name}> after.</p></body></text>')


def check_lines(folder: Path) -> list[str]:
    import subprocess
    import sys
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "check", str(folder)],
                            capture_output=True, text=True, check=False, timeout=300)
    return result.stdout.splitlines()


@pytest.mark.parametrize("cls", sorted(unmodelled_by_class()))
def test_each_proposal_keeps_the_elements_words(tmp_path, cls):
    """The warning for an element without a model proposes a behaviour; applied (the project's
    models.yml says it), the element's words are on the page, or the build says they are not
    (`text.omitted`). notatedMusic's `marker` dropped "Abbildung 34" and its <ptr>."""
    from conftest import build_site
    name = unmodelled_by_class()[cls]
    folder = tmp_path / "p"
    (folder / "templates").mkdir(parents=True)
    (folder / "text.xml").write_text(worded_text(name), encoding="utf-8")
    (found,) = [m for line in check_lines(folder) if (m := PROPOSED.search(line)) and m[1] == name]
    behaviour = found[2]
    (folder / "templates" / "models.yml").write_text(f"{name}: [{{behaviour: {behaviour}}}]\n", encoding="utf-8")
    lines = check_lines(folder)
    assert not [line for line in lines if "[models.unknown-element]" in line and f"<{name}>" in line]
    if any(f"<{name}> element" in line and "[text.omitted]" in line for line in lines):
        return  # said, not lost
    site = build_site(folder, tmp_path / "site")
    page = (site / "texts" / "text" / "index.html").read_text(encoding="utf-8")
    assert "zqxone" in page and "zqxtwo" in page, (behaviour, name)


def test_notated_music_is_proposed_inline_not_marker(tmp_path):
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "text.xml").write_text(worded_text("notatedMusic"), encoding="utf-8")
    (line,) = [line for line in check_lines(folder) if "<notatedMusic>" in line]
    assert "`notatedMusic: [{behaviour: inline}]`" in line and "model.global" in line and "`marker`" in line
    (folder / "text.xml").write_text(HEAD.format(t="Text", x='<text><body><p>a <notatedMusic/> b</p></body></text>'),
                                     encoding="utf-8")
    (line,) = [line for line in check_lines(folder) if "<notatedMusic>" in line]
    assert "`notatedMusic: [{behaviour: marker}]`" in line  # no words to lose: the marker it is


def test_a_facs_pointer_to_nothing_is_a_warning_at_its_attribute(tmp_path):
    body = ('<pb n="1" facs="#s1"/><p>a</p>\n<pb n="2" facs="#nowhere"/><p>b</p>\n'
            '<pb n="3" facs="#bare"/><p xml:id="bare">c</p><pb n="4" facs="img/p4.png"/>')
    facsimile = '<facsimile><surface xml:id="s1"><graphic url="img/p1.png"/></surface></facsimile>'
    source = text(body).replace("<text>", facsimile + "<text>")
    ed = edition(tmp_path, {"t.xml": source})
    found = [d for d in ed.diagnostics.items if d.code == "facs.unresolved"]
    assert [(d.line, d.col) for d in found] == [position(tmp_path / "t.xml", '<pb n="2"'),
                                                 position(tmp_path / "t.xml", '<pb n="3"')]
    assert '"nowhere" is no xml:id of this file' in found[0].message
    assert '"bare" holds no <graphic url>' in found[1].message
    assert all(d.severity == "warning" for d in found)


def test_a_work_that_is_in_no_register_is_told_to_go_to_a_listbibl(tmp_path):
    """A bibl's @corresp that finds no work named person, place and organisation lists only."""
    ed = edition(tmp_path, {"t.xml": text('<p>See <bibl corresp="#nowhere">Smith 1990</bibl>.</p>')})
    assert only(ed, "ref.unresolved").message.endswith("add an entry with this xml:id to a register (listBibl)")
