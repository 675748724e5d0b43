"""Diagnostics: `path:line:col: severity: message [code]`, sorted, counted, as text or JSON."""

from __future__ import annotations

import json

import pytest

from teisite.diagnostics import BuildError, Diagnostic, Diagnostics


def sample() -> Diagnostics:
    d = Diagnostics()
    d.warning("b.xml", 3, 7, "a warning", "mention.empty")
    d.error("b.xml", 10, 2, "late", "ref.unresolved")
    d.error("b.xml", 9, 5, "early", "date.invalid")
    d.error("a.xml", 1, 1, "first file", "parse.syntax")
    return d


def test_one_diagnostic_prints_like_a_compiler():
    d = Diagnostic("source/tei/x.xml", 12, 5, "error", "@ref `#nobody` is not in any register",
                   "ref.unresolved")
    assert str(d) == "source/tei/x.xml:12:5: error: @ref `#nobody` is not in any register [ref.unresolved]"


def test_missing_line_and_column_are_the_files_start():
    """Lines and columns count from 1: one not known is the file's start, never 0."""
    d = Diagnostics()
    d.warning("x.xml", None, None, "somewhere", "x.y")
    d.warning("y.xml", 0, 0, "somewhere", "x.y")
    assert [str(x) for x in d.items] == ["x.xml:1:1: warning: somewhere [x.y]",
                                         "y.xml:1:1: warning: somewhere [x.y]"]


def test_sorted_by_path_then_line_numerically():
    lines = sample().format().splitlines()
    assert lines == [
        "a.xml:1:1: error: first file [parse.syntax]",
        "b.xml:3:7: warning: a warning [mention.empty]",
        "b.xml:9:5: error: early [date.invalid]",
        "b.xml:10:2: error: late [ref.unresolved]",
        "3 errors, 1 warning",
    ]


@pytest.mark.parametrize("errors,warnings,summary", [
    (0, 0, "0 errors, 0 warnings"), (1, 1, "1 error, 1 warning"), (2, 3, "2 errors, 3 warnings")])
def test_summary(errors, warnings, summary):
    d = Diagnostics()
    for i in range(1, errors + 1):
        d.error("x.xml", i, 1, "e", "x.e")
    for i in range(1, warnings + 1):
        d.warning("x.xml", i, 1, "w", "x.w")
    assert d.summary() == summary
    assert d.format().splitlines()[-1] == summary


def test_json_has_every_field_and_the_counts():
    data = json.loads(sample().format("json"))
    assert (data["errors"], data["warnings"]) == (3, 1)
    assert data["diagnostics"][0] == {"path": "a.xml", "line": 1, "col": 1, "end_line": None,
                                      "end_col": None, "severity": "error", "message": "first file",
                                      "code": "parse.syntax", "related": None}
    assert [d["line"] for d in data["diagnostics"]] == [1, 3, 9, 10]


def test_json_has_the_end_and_the_related_place():
    d = Diagnostics()
    d.error_at("b.xml", (7, 3, 7, 20), 'xml:id "a" is used twice (first at a.xml:2)', "id.duplicate",
               related=("a.xml", 2, 5))
    d.warning_at("b.xml", (9, 1, None, None), "no end found", "x.y")
    (dup, other) = json.loads(d.format("json"))["diagnostics"]
    assert (dup["line"], dup["col"], dup["end_line"], dup["end_col"]) == (7, 3, 7, 20)
    assert dup["related"] == {"path": "a.xml", "line": 2, "col": 5}
    assert (other["end_line"], other["end_col"], other["related"]) == (None, None, None)
    assert d.format().splitlines()[0] == \
        'b.xml:7:3: error: xml:id "a" is used twice (first at a.xml:2) [id.duplicate]'


def test_the_end_and_related_place_do_not_make_another_problem():
    d = Diagnostics()
    d.error_at("b.xml", (7, 3, 7, 20), "m", "x.y", related=("a.xml", 2, 5))
    d.error("b.xml", 7, 3, "m", "x.y")
    assert len(d.items) == 1 and d.items[0].end_col == 20


def test_json_keeps_non_ascii_readable():
    d = Diagnostics()
    d.error("текст.xml", 1, 1, "«Албазин»", "x.y")
    assert "«Албазин»" in d.format("json")


def test_blocking_strict_and_not_strict():
    d = sample()
    assert len(d.blocking(strict=True)) == 3
    assert [x.code for x in d.blocking(strict=False)] == ["parse.syntax"]


def test_extend_and_build_error_carry_everything():
    d = Diagnostics()
    d.extend(sample())
    exc = BuildError(d)
    assert exc.diagnostics is d and "a.xml:1:1: error: first file [parse.syntax]" in str(exc)
    assert str(exc).endswith("3 errors, 1 warning")


def test_summary_counts_what_is_listed():
    d = Diagnostics()
    d.warning("x.xml", 4, 0, "<frob> has no model", "models.unknown-element")
    d.warning("x.xml", 4, 0, "<frob> has no model", "models.unknown-element")
    lines = d.format().splitlines()
    assert lines[-1] == f"0 errors, {len(lines) - 1} warning"


def test_a_build_shows_every_error_and_ten_warnings_or_notices_of_a_kind_counting_the_rest():
    diags = Diagnostics()
    for i in range(1, 13):
        diags.error(f"t{i:02}.xml", 1, 1, "a @ref that points nowhere", "ref.unresolved")
        diags.warning(f"t{i:02}.xml", 2, 1, "an empty mention", "mention.empty")
        diags.info(f"t{i:02}.xml", 3, 1, "a list of persons is not shown", "text.omitted")
    diags.warning("t01.xml", 4, 1, "an entry never mentioned", "entry.unused")
    lines = diags.lines(most=10)
    assert len([x for x in lines if "[ref.unresolved]" in x]) == 12
    assert len([x for x in lines if x.endswith("[mention.empty]")]) == 10
    assert len([x for x in lines if x.endswith("[text.omitted]")]) == 10
    assert lines[-2:] == ["… and 2 more warnings [mention.empty] like those above: `check` lists every one",
                          "… and 2 more notices [text.omitted] like those above: `check` lists every one"]
    assert "t01.xml:4:1: warning: an entry never mentioned [entry.unused]" in lines
    assert diags.lines() == list(map(str, diags.sorted())), "check lists every one"
    assert diags.format(most=10).splitlines()[-1] == "12 errors, 13 warnings, 12 info"
