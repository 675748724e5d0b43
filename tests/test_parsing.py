"""The safe parser: TEI read as written (mixed content, comments), located errors, source positions."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from lxml import etree

from teisite.diagnostics import Diagnostics
from teisite.parsing import (
    TEI_NS,
    XML_ID,
    is_tei,
    localname,
    location,
    make_parser,
    parse_bytes,
    parse_file,
    span,
)

TEI = f'<TEI xmlns="{TEI_NS}"><text><body>{{}}</body></text></TEI>'


def parse(data: bytes | str, name: str = "x.xml") -> tuple[etree._ElementTree | None, Diagnostics]:
    diags = Diagnostics()
    data = data.encode() if isinstance(data, str) else data
    return parse_bytes(Path(name), data, diags), diags


def test_mixed_content_and_blank_text_are_kept():
    tree, diags = parse(TEI.format("<p>a <hi>b</hi> c\n  <!-- why --> d</p>"))
    p = tree.getroot()[0][0][0]
    assert (p.text, p[0].tail, p[1].tail) == ("a ", " c\n  ", " d") and not diags.items


def test_parser_options():
    parser = make_parser()
    tree = etree.fromstring("<a>x<!-- c --></a>", parser)
    assert len(tree) == 1 and isinstance(tree[0], etree._Comment)


def test_is_tei_and_localname():
    tree, _ = parse(TEI.format("<p/>"))
    assert is_tei(tree) and localname(tree.getroot()) == "TEI"
    other, _ = parse("<TEI><p/></TEI>")
    assert not is_tei(other)
    assert localname(etree.Comment("c")) == ""


@pytest.mark.parametrize("xml,line", [
    ("<TEI>\n  <p>open\n</TEI>", 3),
    ("<TEI>\n<p>a & b</p></TEI>", 2),
    ("<TEI>\n\n<p>&nbsp;</p></TEI>", 3),
])
def test_syntax_errors_are_located(xml, line):
    tree, diags = parse(xml)
    (error,) = diags.errors
    assert tree is None and error.code == "parse.syntax"
    assert error.line == line and error.col > 1 and error.path == "x.xml"
    assert "line" not in error.message.split(";")[0][-12:]  # lxml's own position is not repeated


def test_location_finds_the_column_of_each_start_tag(tmp_path):
    path = tmp_path / "loc.xml"
    path.write_text(TEI.format('\n<p>One <persName>A</persName> and <persName>B</persName>,'
                               ' <tei:persName xmlns:tei="' + TEI_NS + '">C</tei:persName></p>'),
                    encoding="utf-8")
    tree = parse_file(path, Diagnostics())
    names = list(tree.getroot().iter(f"{{{TEI_NS}}}persName"))
    assert [location(n, path) for n in names] == [(2, 8), (2, 35), (2, 59)]
    assert location(tree.getroot(), path) == (1, 1)


def test_a_start_tag_over_several_lines_is_located_at_its_start(tmp_path):
    """lxml's line is the line of a start tag's '>'; the location is its '<'."""
    path = tmp_path / "x.xml"
    path.write_text('<r>\n  <a x="1>" y=\'2\'\n     z="3">t</a><b/><a\nref="#q">u</a><a xml:id="k"/>\n</r>\n',
                    encoding="utf-8")
    first, b, second, third = etree.parse(str(path)).getroot()
    assert [location(e, path) for e in (first, b, second, third)] == [(2, 3), (3, 17), (3, 21), (4, 15)]


def test_span_ends_after_the_start_tag_or_the_attributes_value(tmp_path):
    path = tmp_path / "x.xml"
    path.write_text('<r>\n  <a x="1>" y=\'2\'\n     z="3">t</a><b/><a\nref="#q">u</a><a xml:id="k"/>\n</r>\n',
                    encoding="utf-8")
    root = etree.parse(str(path)).getroot()
    first, b, second, third = root
    assert span(root, path) == (1, 1, 1, 4)
    assert span(first, path) == (2, 3, 3, 12)            # a '>' in a value does not end the tag
    assert span(first, path, "z") == (2, 3, 3, 11)       # just after "3"
    assert span(first, path, "ref") == (2, 3, 3, 12)     # not there: the tag's end
    assert span(b, path) == (3, 17, 3, 21)
    assert span(second, path, "ref") == (3, 21, 4, 9)
    assert span(third, path, XML_ID) == (4, 15, 4, 28)


def test_span_without_a_file_has_no_end(tmp_path):
    el = etree.fromstring(b"<r>\n<a/></r>")[0]
    assert span(el, tmp_path / "gone.xml") == (2, 1, None, None)


def test_location_reads_the_file_again_when_it_changes(tmp_path):
    path = tmp_path / "loc.xml"
    path.write_text(TEI.format("\n<p>x</p>"), encoding="utf-8")
    p = next(parse_file(path, Diagnostics()).getroot().iter(f"{{{TEI_NS}}}p"))
    assert location(p, path) == (2, 1)
    path.write_text(TEI.format("\n    <p>x</p>"), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    p = next(parse_file(path, Diagnostics()).getroot().iter(f"{{{TEI_NS}}}p"))
    assert location(p, path) == (2, 5)


@pytest.mark.parametrize("encode", [
    lambda s: b"\xef\xbb\xbf" + s.encode("utf-8"),
    lambda s: "\ufeff".encode("utf-16-le") + s.encode("utf-16-le"),
    lambda s: b'<?xml version="1.0" encoding="ISO-8859-1"?>\n' + s.replace("Ива", "Iva").encode("latin-1"),
], ids=["utf-8 BOM", "utf-16 BOM", "latin-1 declared"])
def test_location_in_other_encodings(tmp_path, encode):
    path = tmp_path / "enc.xml"
    path.write_bytes(encode(f'<TEI xmlns="{TEI_NS}">\n<p>café <persName>Ива</persName></p></TEI>'))
    tree = parse_file(path, Diagnostics())
    (name,) = tree.getroot().iter(f"{{{TEI_NS}}}persName")
    assert location(name, path)[1] == 9


def test_entity_declarations_are_warned_about_not_expanded():
    tree, diags = parse('<!DOCTYPE TEI [<!ENTITY ouml "ö">]>\n' + TEI.format("<p>sch&ouml;n</p>"))
    assert [d.code for d in diags.items] == ["parse.entities"]
    assert "ö" not in "".join(tree.getroot().itertext())


def test_a_doctype_without_entities_is_fine():
    tree, diags = parse('<!DOCTYPE TEI SYSTEM "tei_all.dtd">\n' + TEI.format("<p>a</p>"))
    assert tree is not None and not diags.items


def test_a_doctype_pointing_to_the_web_is_not_fetched_and_not_an_error():
    start = time.monotonic()
    tree, diags = parse('<!DOCTYPE TEI PUBLIC "-//TEI//DTD TEI P5//EN" '
                        '"http://127.0.0.1:9/tei_all.dtd">\n' + TEI.format("<p>a</p>"))
    assert tree is not None and not diags.items and time.monotonic() - start < 2


def test_too_deep_is_a_located_error():
    body = "<p>" + "<hi>" * 120 + "x" + "</hi>" * 120 + "</p>"
    tree, diags = parse(TEI.format(body))
    (error,) = diags.errors
    assert tree is None and error.code == "parse.too-deep" and error.line == 1


def test_deep_but_not_too_deep_is_read():
    body = "<p>" + "<hi>" * 90 + "x" + "</hi>" * 90 + "</p>"
    tree, diags = parse(TEI.format(body))
    assert tree is not None and not diags.items
