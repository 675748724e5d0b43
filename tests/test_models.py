"""The element → behaviour table: every load error at its line in the YAML, and the right model chosen."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest
from lxml import etree

from teisite.diagnostics import Diagnostics
from teisite.models import ModelTable, load_table
from teisite.parsing import TEI_NS
from teisite.render import DEFAULT_TEMPLATES, behaviour_names

BEHAVIOURS = behaviour_names([DEFAULT_TEMPLATES])


def load(tmp_path: Path, yaml_text: str) -> tuple[ModelTable, Diagnostics]:
    path = tmp_path / "models.yml"
    path.write_text(dedent(yaml_text).lstrip(), encoding="utf-8")
    diags = Diagnostics()
    return load_table(path, BEHAVIOURS, diags), diags


def tei(xml: str) -> etree._Element:
    return etree.fromstring(f'<x xmlns="{TEI_NS}">{xml}</x>')[0]


# --- load errors, each at its line -----------------------------------------------------------


BROKEN = [
    ("unknown behaviour", """\
        p: [{behaviour: paragraph}]
        hi:
          - {when: "@rend", behaviour: sparkle}
        """, 3, "models.behaviour", "sparkle"),
    ("bad XPath", """\
        p: [{behaviour: paragraph}]
        hi:
          - {when: "@rend=", behaviour: inline}
          - {behaviour: inline}
        """, 3, "models.xpath", "@rend="),
    ("unknown XPath prefix", """\
        hi:
          - {when: "foo:bar", behaviour: inline}
          - {behaviour: inline}
        """, 2, "models.xpath", "foo:bar"),
    ("unknown XPath function", """\
        hi:
          - {when: "shiny(@rend)", behaviour: inline}
          - {behaviour: inline}
        """, 2, "models.xpath", "shiny"),
    ("model without when not last", """\
        p: [{behaviour: paragraph}]
        list:
          - {behaviour: block, params: {tag: ul}}
          - {when: "@type='ordered'", behaviour: block, params: {tag: ol}}
        """, 3, "models.order", "must come last"),
    ("duplicate predicate", """\
        hi:
          - {when: "@rend='i'", behaviour: inline}
          - {when: "@rend='i'", behaviour: inline, params: {tag: em}}
          - {behaviour: inline}
        """, 1, "models.ambiguous", "@rend='i'"),
    ("element twice", """\
        p: [{behaviour: paragraph}]
        hi: [{behaviour: inline}]
        p: [{behaviour: block}]
        """, 3, "models.ambiguous", "first at line 1"),
    ("model not a mapping", """\
        p: [42]
        """, 1, "models.syntax", "42"),
    ("params not a mapping", """\
        p:
          - {behaviour: paragraph, params: [a, b]}
        """, 2, "models.syntax", "params"),
    ("invalid YAML", """\
        p: [{behaviour: paragraph}
        hi: [{behaviour: inline}]
        """, 2, "models.yaml", "not valid YAML"),
    ("not a mapping", """\
        - p
        - hi
        """, 1, "models.yaml", "map TEI element names"),
]


@pytest.mark.parametrize("yaml_text,line,code,words", [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_load_error_is_located(tmp_path, yaml_text, line, code, words):
    _, diags = load(tmp_path, yaml_text)
    (error,) = diags.errors
    assert (error.code, error.line) == (code, line), str(error)
    assert words in error.message and error.path.endswith("models.yml") and error.col >= 1


def test_the_shipped_table_loads_cleanly():
    diags = Diagnostics()
    table = load_table(DEFAULT_TEMPLATES / "models.yml", BEHAVIOURS, diags)
    assert not diags.items, diags.format()
    assert {m.behaviour for ms in table.models.values() for m in ms} <= BEHAVIOURS


def test_a_bare_string_is_a_behaviour_and_default_is_inline(tmp_path):
    table, diags = load(tmp_path, "p: paragraph\n")
    assert not diags.items
    assert table.models["p"][0].behaviour == "paragraph"
    assert table.models["*"][0].behaviour == "inline"


# --- choosing ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def table() -> ModelTable:
    diags = Diagnostics()
    return load_table(DEFAULT_TEMPLATES / "models.yml", BEHAVIOURS, diags)


@pytest.mark.parametrize("xml,behaviour,params", [
    ('<hi rend="italic">a</hi>', "inline", {"tag": "em"}),
    ('<hi rend="bold">a</hi>', "inline", {"tag": "strong"}),
    ('<hi rend="sup">a</hi>', "inline", {"tag": "sup"}),
    ('<hi>a</hi>', "inline", {"class": "hi"}),
    ('<list type="ordered"/>', "block", {"tag": "ol"}),
    ('<list/>', "block", {"tag": "ul"}),
    ('<row role="label"><cell/></row>', "block", {"tag": "tr"}),
    ('<choice><sic/><corr/></choice>', "alternate", {"label": "corr"}),
    ('<choice><abbr/><expan/></choice>', "alternate", {"label": "expan"}),
    ('<choice><orig/><reg/></choice>', "alternate", {"label": "reg"}),
    ('<choice><seg/></choice>', "inline", {}),
    ('<lb break="no"/>', "omit", {}),
    ('<lb/>', "break", {}),
    ('<ref target="#a"/>', "link", {}),
    ('<ref/>', "inline", {}),
    ('<title ref="#w"/>', "mention", {}),
    ('<title/>', "inline", {"tag": "cite"}),
    ('<persName/>', "mention", {}),
    ('<note/>', "note", {}),
])
def test_predicates_choose_the_first_model_that_holds(table, xml, behaviour, params):
    model, known = table.choose(tei(xml))
    assert known and model.behaviour == behaviour
    assert params.items() <= model.params.items()


def test_label_cell_by_its_row(table):
    row = tei('<row role="label"><cell>a</cell></row>')
    assert table.choose(row[0])[0].params["tag"] == "th"


def test_unknown_element_gets_the_default_and_is_reported_unknown(table):
    model, known = table.choose(tei("<frobnicate/>"))
    assert (model.behaviour, known) == ("inline", False)


def test_element_outside_tei_namespace_gets_the_default(table):
    el = etree.fromstring('<p xmlns="urn:other"/>')
    model, known = table.choose(el)
    assert (model.behaviour, known) == ("inline", False)


# --- @rend and @rendition: whole tokens (ts:token) ------------------------------------------


@pytest.mark.parametrize("xml,params", [
    ('<hi rendition="#underline">a</hi>', {"tag": "u"}),        # not italic for its `i`
    ('<hi rendition="#sub">a</hi>', {"tag": "sub"}),            # not bold for its `b`
    ('<hi rend="italic bold">a</hi>', {"tag": "em"}),           # the first model that holds wins
    ('<hi rend="bold italic">a</hi>', {"tag": "em"}),
    ('<hi rendition="#i">a</hi>', {"tag": "em"}),
    ('<hi rendition="#italic">a</hi>', {"tag": "em"}),
    ('<hi rendition="styles.xml#b">a</hi>', {"tag": "strong"}),
    ('<hi rendition="simple:italic">a</hi>', {"tag": "em"}),
    ('<hi rend="i">a</hi>', {"tag": "em"}),
    ('<hi rend="superscript">a</hi>', {"tag": "sup"}),
    ('<hi rendition="#su">a</hi>', {"tag": "sup"}),
    ('<hi rendition="#sup">a</hi>', {"tag": "sup"}),
    ('<hi rend="subscript">a</hi>', {"tag": "sub"}),
    ('<hi rend="u">a</hi>', {"tag": "u"}),
    ('<hi rendition="#g">a</hi>', {"class": "spaced"}),
    ('<hi rend="letterspaced">a</hi>', {"class": "spaced"}),
    ('<hi rend="smallCaps">a</hi>', {"class": "smallcaps"}),
    ('<hi rendition="#k">a</hi>', {"class": "smallcaps"}),
    ('<hi rendition="Line">a</hi>', {"class": "hi"}),           # `i` inside a word is not italic
    ('<hi rend="visible">a</hi>', {"class": "hi"}),
    ('<hi rendition="#du">a</hi>', {"class": "hi"}),
])
def test_rend_and_rendition_match_whole_tokens(table, xml, params):
    model, _ = table.choose(tei(xml))
    assert model.params == params


def test_ts_token_in_a_project_predicate(tmp_path):
    table, diags = load(tmp_path, """\
        seg:
          - {when: "ts:token(@type, 'verse', 'vers')", behaviour: block}
          - {when: "ts:token(tei:hi/@rend, 'red')", behaviour: paragraph}
          - {behaviour: inline}
        """)
    assert not diags.items, diags.format()
    chosen = [table.choose(tei(x))[0].behaviour for x in (
        '<seg type="prose verse"/>', '<seg type="versed"/>', '<seg><hi rend="red big"/></seg>')]
    assert chosen == ["block", "inline", "paragraph"]


def test_ts_token_without_names_is_a_located_error(tmp_path):
    _, diags = load(tmp_path, 'hi:\n  - {when: "ts:token(@rend)", behaviour: inline}\n'
                              '  - {behaviour: inline}\n')
    (error,) = diags.errors
    assert (error.code, error.line, error.col) == ("models.xpath", 2, 5) and "names" in error.message

