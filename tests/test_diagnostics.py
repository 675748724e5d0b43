"""Diagnostics: `path:line:col: severity: message [code]`, sorted, counted, as text or JSON."""

from __future__ import annotations

import json

import pytest

from teisite.diagnostics import (
    BuildError,
    CodeFilter,
    Diagnostic,
    Diagnostics,
    code_matches,
    known_codes,
    split_codes,
    unknown_codes,
)


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
        "by code: date.invalid 1 error; parse.syntax 1 error; ref.unresolved 1 error; mention.empty 1 warning",
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


# --- selecting and ignoring codes (issue 27 item 3) --------------------------------------------


def test_a_code_is_matched_by_itself_and_its_family():
    assert code_matches("entry.unused", "entry.unused")
    assert code_matches("entry.unused", "entry.") and code_matches("entry.unused", "entry")
    assert not code_matches("entry.unused", "entry.un") and not code_matches("entry.unused", "ent")
    assert not code_matches("entry.geo", "entry.unused")


def test_codes_are_given_with_commas_or_again():
    assert split_codes(["entry.geo,entry.unused", " ref. "]) == ["entry.geo", "entry.unused", "ref."]
    assert split_codes("a.b") == ["a.b"] and split_codes(None) == []


def test_known_codes_are_read_from_teisite_and_unknown_ones_named():
    codes = known_codes()
    assert {"entry.unused", "entry.geo", "id.duplicate", "config.yaml", "models.yaml", "schema.invalid"} <= codes
    assert not {c for c in codes if c.endswith((".yml", ".html", ".xml"))}
    assert unknown_codes(["entry.", "ref.unresolved", "refs.", "entry.unusd"]) == ["refs.", "entry.unusd"]


def many() -> Diagnostics:
    d = Diagnostics()
    for i in range(5):
        d.warning("p.xml", i + 1, 1, "no geo", "entry.geo")
    for i in range(3):
        d.warning("p.xml", i + 10, 1, "unused", "entry.unused")
    d.error("t.xml", 2, 1, "bad ref", "ref.unresolved")
    d.error("t.xml", 1, 1, "cannot parse", "parse.syntax")
    return d


def test_select_and_ignore_keep_what_they_say_but_never_a_fatal_error():
    assert [d.code for d in many().keep_only(CodeFilter(ignore=("entry.",))).sorted()] == \
        ["parse.syntax", "ref.unresolved"]
    assert [d.code for d in many().keep_only(CodeFilter(select=("entry.unused",))).sorted()] == \
        ["entry.unused"] * 3 + ["parse.syntax"]  # the file that cannot be read is always said
    kept = many().keep_only(CodeFilter(select=("entry.",), ignore=("entry.geo",)))
    assert {d.code for d in kept.items} == {"entry.unused", "parse.syntax"}
    assert many().keep_only(CodeFilter()).items == many().items


def test_the_summary_by_code_comes_before_the_count():
    lines = many().format().splitlines()
    assert lines[-2] == ("by code: parse.syntax 1 error; ref.unresolved 1 error; entry.geo 5 warnings; "
                         "entry.unused 3 warnings")
    assert lines[-1] == "2 errors, 8 warnings"
    assert json.loads(many().format("json"))["by_code"] == {"parse.syntax": 1, "ref.unresolved": 1,
                                                             "entry.geo": 5, "entry.unused": 3}
    one = Diagnostics()
    one.warning("x.xml", 1, 1, "w", "entry.geo")
    assert one.format().splitlines() == ["x.xml:1:1: warning: w [entry.geo]", "0 errors, 1 warning"]
