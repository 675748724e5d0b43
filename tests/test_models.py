"""The element → behaviour table: every load error at its line in the YAML, and the right model chosen."""

from __future__ import annotations

import shutil
from pathlib import Path
from textwrap import dedent

import lxml.html
import pytest
from conftest import REPO, build_site
from lxml import etree

from teisite.diagnostics import Diagnostics
from teisite.models import Model, ModelTable, load_table
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
    assert {m.behaviour for ms in table.models.values() for m in ms} <= set(BEHAVIOURS)


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
    ('<lb break="no"/>', "break", {}),
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


# --- a project's table, merged on top of the shipped one ----------------------------------------


SHIPPED = DEFAULT_TEMPLATES / "models.yml"


def extend(tmp_path: Path, *yaml_texts: str) -> tuple[ModelTable, Diagnostics]:
    """The shipped table with each of `yaml_texts` merged on top, as a project's tables are."""
    paths = [SHIPPED]
    for i, text in enumerate(yaml_texts):
        paths.append(tmp_path / f"project{i}" / "models.yml")
        paths[-1].parent.mkdir(parents=True)
        paths[-1].write_text(dedent(text).lstrip(), encoding="utf-8")
    diags = Diagnostics()
    return load_table(paths, BEHAVIOURS, diags), diags


def test_a_one_line_project_table_changes_that_element_only(table, tmp_path):
    merged, diags = extend(tmp_path, "roleName: [{behaviour: inline, params: {tag: em}}]\n")
    assert not diags.items, diags.format()
    assert merged.models == {**table.models, "roleName": [Model("inline", {"tag": "em"})]}


def test_replace_is_also_written_out(table, tmp_path):
    merged, diags = extend(tmp_path, "note: {mode: replace, models: [{behaviour: omit}]}\n")
    assert not diags.items, diags.format()
    assert [m.behaviour for m in merged.models["note"]] == ["omit"]


def test_before_puts_the_projects_models_first_and_marks_follow(table, tmp_path):
    from teisite.walk import A_MODEL, model_of
    merged, diags = extend(tmp_path, """\
        hi: {mode: before, models: [{when: "ts:token(@rend, 'red')", behaviour: inline,
                                     params: {class: red}}]}
        """)
    assert not diags.items, diags.format()
    assert merged.models["hi"][1:] == table.models["hi"]
    for xml, params in [('<hi rend="red italic"/>', {"class": "red"}), ('<hi rend="italic"/>', {"tag": "em"}),
                        ('<hi/>', {"class": "hi"})]:
        el = tei(xml)
        model, _, mark, _ = merged.pick(el)
        assert model.params == params
        if mark:
            el.set(A_MODEL, mark)  # as the walk writes it down; the renderer reads it back
        assert model_of(el, merged) is model


def test_delete_makes_the_element_unknown(tmp_path):
    merged, diags = extend(tmp_path, "fw: {mode: delete}\n")
    assert not diags.items, diags.format()
    assert "fw" not in merged.models
    model, known = merged.choose(tei("<fw/>"))
    assert (model.behaviour, known) == ("inline", False)


def test_project_tables_merge_in_turn(tmp_path):
    merged, diags = extend(tmp_path, "seg: [{behaviour: block}]\nfw: [{behaviour: inline}]\n",
                           "seg: {mode: before, models: [{when: '@type', behaviour: omit}]}\n"
                           "fw: {mode: delete}\n")
    assert not diags.items, diags.format()
    assert [m.behaviour for m in merged.models["seg"]] == ["omit", "block"]
    assert "fw" not in merged.models and merged.models["persName"][0].behaviour == "mention"


def test_the_key_names_every_file(tmp_path):
    shipped = load_table([SHIPPED], BEHAVIOURS, Diagnostics())
    one, _ = extend(tmp_path / "a", "seg: [{behaviour: block}]\n")
    other, _ = extend(tmp_path / "b", "seg: [{behaviour: omit}]\n")
    again, _ = extend(tmp_path / "c", "seg: [{behaviour: block}]\n")
    assert len({shipped.key, one.key, other.key}) == 3 and again.key == one.key
    assert one.paths == (SHIPPED, tmp_path / "a" / "project0" / "models.yml")


PROJECT_BROKEN = [
    ("core element deleted", "seg: [{behaviour: block}]\npersName: {mode: delete}\n",
     2, 1, "models.core", "cannot be deleted"),
    ("core element left without models", "p: []\n", 1, 1, "models.core", "without a model"),
    ("core element with only a predicate", "seg: [omit]\n\nnote: [{when: '@place', behaviour: note}]\n",
     3, 1, "models.core", "last model has a `when`"),
    ("default deleted", '"*": {mode: delete}\n', 1, 1, "models.core", "cannot be deleted"),
    ("unknown mode", "hi: {mode: change, models: [{behaviour: inline}]}\n", 1, 12, "models.mode",
     "unknown mode `change`"),
    ("after", "hi:\n  mode: after\n  models: [{behaviour: inline}]\n", 2, 9, "models.mode",
     "`before`"),
    ("delete with models", "fw: {mode: delete, models: [{behaviour: omit}]}\n", 1, 20, "models.mode",
     "takes no models"),
    ("before without models", "fw: {mode: before}\n", 1, 1, "models.mode", "needs its models"),
    ("delete what is not there", "persname: {mode: delete}\n", 1, 1, "models.mode",
     "did you mean `persName`?"),
    ("a change with other keys", "fw: {mode: before, model: [{behaviour: omit}]}\n", 1, 1,
     "models.syntax", "`model`"),
    ("before with a model without when", "hi: {mode: before, models: [{behaviour: inline}]}\n", 1, 29,
     "models.order", "mode: before"),
    ("before with a predicate already there",
     "list: {mode: before, models: [{when: \"@type='ordered' or @rend='numbered'\", behaviour: block}]}\n", 1, 1,
     "models.ambiguous",
     "there already"),
    ("unknown behaviour", "seg: [{behaviour: block}]\nhi: [{behaviour: sparkle}]\n", 2, 6,
     "models.behaviour", "sparkle"),
    ("bad XPath", "hi:\n  - {when: \"ts:token(@rend,\", behaviour: inline}\n", 2, 5, "models.xpath",
     "ts:token"),
    ("element twice", "seg: [{behaviour: block}]\nseg: [{behaviour: omit}]\n", 2, 1,
     "models.ambiguous", "twice"),
    ("invalid YAML", "seg: [{behaviour: block}\nfw: [{behaviour: omit}]\n", 2, 1, "models.yaml",
     "not valid YAML"),
    ("not UTF-8", "seg: [{behaviour: block, params: {class: \xe9}}]\n", 1, 42, "models.yaml", "UTF-8"),
]


@pytest.mark.parametrize("yaml_text,line,col,code,words", [b[1:] for b in PROJECT_BROKEN],
                         ids=[b[0] for b in PROJECT_BROKEN])
def test_a_projects_error_is_located_in_its_table(tmp_path, yaml_text, line, col, code, words):
    path = tmp_path / "project" / "models.yml"
    path.parent.mkdir()
    path.write_bytes(yaml_text.encode("latin-1" if "UTF-8" in words else "utf-8"))
    diags = Diagnostics()
    merged = load_table([SHIPPED, path], BEHAVIOURS, diags)
    (error,) = diags.errors
    assert (error.path, error.line, error.col, error.code) == (str(path), line, col, code), str(error)
    assert words in error.message, error.message
    assert merged.models["*"] and merged.models["div"], "the shipped table is still there"


# --- a project's table in a build ---------------------------------------------------------------


def edition_copy(tmp_path: Path) -> Path:
    """A project folder with the repository's TEI and no configuration of its own."""
    project = tmp_path / "project"
    (project / "source" / "tei").mkdir(parents=True)
    for path in (REPO / "source" / "tei").glob("*.xml"):
        shutil.copy(path, project / "source" / "tei")
    return project


def mentions(site: Path) -> list[tuple[str, str, str]]:
    page = lxml.html.parse(str(site / "texts" / "albazin-nerchinsk" / "index.html"))
    return [(el.get("class"), el.get("href", ""), el.text_content())
            for el in page.xpath("//*[contains(concat(' ', @class, ' '), ' mention ')]")]


def test_a_project_with_a_one_line_table_keeps_the_shipped_one(tmp_path, capsys):
    project = edition_copy(tmp_path)
    plain = mentions(build_site(project, tmp_path / "plain"))
    (project / "templates").mkdir()
    (project / "templates" / "models.yml").write_text("roleName: [{behaviour: inline, params: {tag: em}}]\n",
                                                      encoding="utf-8")
    capsys.readouterr()
    site = build_site(project, tmp_path / "changed")
    assert "warning" not in capsys.readouterr().err
    assert len(plain) > 70 and mentions(site) == plain  # the seed's names, dates and citations
    page = lxml.html.parse(str(site / "texts" / "albazin-nerchinsk" / "index.html"))
    assert [el.text_content() for el in page.xpath("//em[contains(@class, 'roleName')]")] == ["Император"]


def test_a_project_table_that_deletes_a_core_element_stops_the_build(tmp_path, capsys):
    from teisite.commands import build
    from teisite.project import find_project
    project = edition_copy(tmp_path)
    table = project / "templates" / "models.yml"
    table.parent.mkdir()
    table.write_text("roleName: [{behaviour: inline}]\npersName: {mode: delete}\n", encoding="utf-8")
    assert build(find_project(project, tmp_path / "site")) == 1
    err = capsys.readouterr().err
    assert f"{table}:2:1: error: `persName` cannot be deleted" in err and "[models.core]" in err
    assert not (tmp_path / "site").exists()


def test_a_parameter_no_behaviour_takes_is_a_located_warning(tmp_path):
    """`params: {class: bold}` on a name (mention) changes nothing: a warning at the key, naming
    the parameters mention takes; a misspelt one gets a suggestion; a known one none. Seen to be
    accepted silently before."""
    merged, diags = extend(tmp_path, """\
        persName: [{behaviour: mention, params: {class: bold}}]
        roleName:
          - {behaviour: inline,
             params: {tag: em, clas: role}}
        """)
    found = [(d.line, d.col, d.code, d.severity) for d in diags.items]
    assert found == [(1, 42, "models.params", "warning"), (4, 24, "models.params", "warning")], diags.format()
    first, second = (d.message for d in diags.items)
    assert "`persName`: behaviour `mention` takes no parameter `class`" in first
    assert "(it takes: anchor, refs, refs_from)" in first
    assert "did you mean `class`?" in second and "(it takes: after, anchor, before, class, tag)" in second
    assert merged.models["persName"][0].params == {"class": "bold"}  # a warning: the build goes on


def test_an_xpath_parameter_that_is_wrong_is_a_located_warning(tmp_path):
    """The apparatus's and the image's parameters are XPath (readings, groups, lemma, siglum,
    alt): one that is not XPath, uses an unknown prefix, or selects no elements where elements
    are wanted, is a warning at its key and is left out; an apparatus without `readings`, which
    would show no reading, is a warning at its model; a misspelt one is told the keys it takes."""
    merged, diags = extend(tmp_path, """\
        app:
          - {when: "@type = 'a'", behaviour: apparatus, params: {readings: "tei:rdg |",
             lemma: "x:lem", siglum: "tei:abbr"}}
          - {when: "@type = 'b'", behaviour: apparatus, params: {readings: "'tei:rdg'", sigla: "@n"}}
          - {behaviour: apparatus}
        graphic: [{behaviour: graphic, params: {alt: "count(..)"}}]
        """)
    found = [(d.line, d.col, d.code, d.severity) for d in diags.items]
    assert found == [(2, 58, "models.params", "warning"), (3, 6, "models.params", "warning"),
                     (4, 58, "models.params", "warning"), (4, 81, "models.params", "warning"),
                     (5, 5, "models.params", "warning")], diags.format()
    messages = [d.message for d in diags.items]
    assert "`app`: the parameter `readings` of behaviour `apparatus` is XPath, and `tei:rdg |` is not valid XPath" \
        in messages[0] and "It is left out" in messages[0]
    assert "`x:lem` is not valid XPath" in messages[1]
    assert "`'tei:rdg'` selects no elements (it gives text)" in messages[2]
    assert "takes no parameter `sigla`" in messages[3] and "did you mean `siglum`?" in messages[3]
    assert "without `readings` it shows none" in messages[4]
    first, second, last = merged.models["app"]
    assert first.params == {"siglum": "tei:abbr"} and second.params == {"sigla": "@n"} and not last.params
    # a count is words too: an alt text may be any XPath that gives words
    assert merged.models["graphic"][0].params == {"alt": "count(..)"}


def test_a_template_that_reads_params_whole_takes_any(tmp_path):
    """A project's behaviour that loops over its `params` (or passes them on) takes any key."""
    from teisite.behaviours import params_read
    assert params_read("{{ params.tag }}{{ params['class'] }}{{ params.get('x', 1) }}") == {"tag", "class", "x"}
    assert params_read("{% for k, v in params | dictsort %}{{ k }}{% endfor %}") is None
    assert params_read("{{ params.items() | list }}") is None
