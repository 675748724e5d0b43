"""`teisite ids`: every anchored element given its anchor as xml:id, nothing else in the file changed."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from lxml import etree

from teisite.commands import main
from teisite.diagnostics import Diagnostics
from teisite.ids import project_ids, start_tags
from teisite.parsing import XML_ID, make_parser
from teisite.render import DEFAULT_TEMPLATES

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ids"
ADDED = re.compile(r' xml:id="[^"]*"')


@pytest.fixture
def letter(tmp_path: Path) -> Path:
    folder = tmp_path / "letter"
    folder.mkdir()
    shutil.copy(FIXTURES / "letter.xml", folder)
    return folder


def without_ids(tree: etree._ElementTree) -> bytes:
    for el in tree.iter():
        if isinstance(el.tag, str):
            el.attrib.pop(XML_ID, None)
    return etree.tostring(tree)


def test_only_xml_ids_are_added_and_every_other_byte_stays(letter, capsys):
    path = letter / "letter.xml"
    before = path.read_bytes()
    assert main(["ids", str(letter), "--write"]) == 0
    after = path.read_bytes()
    assert len(ADDED.findall(after.decode())) - len(ADDED.findall(before.decode())) == 10
    # the new ids taken out again, the file is what it was, byte for byte
    new = set(ADDED.findall(after.decode())) - set(ADDED.findall(before.decode()))
    stripped = after.decode()
    for attribute in new:
        stripped = stripped.replace(attribute, "", 1)
    assert stripped.encode() == before
    old_tree = etree.ElementTree(etree.fromstring(before, make_parser()))
    new_tree = etree.ElementTree(etree.fromstring(after, make_parser()))
    ids = new_tree.xpath("//@xml:id")
    assert without_ids(old_tree) == without_ids(new_tree)
    assert len(ids) == len(set(ids)) and {"p1", "p1-anna-1", "note-1", "note-1-kyiv-1", "p1-kyiv-1",
                                          "second-1689-08-22-1", "note-2", "l1", "l7"} <= set(ids)
    assert "wrote 10 xml:ids in 1 file" in capsys.readouterr().out


def test_the_diff_is_shown_and_nothing_written_without_write(letter, capsys):
    before = (letter / "letter.xml").read_bytes()
    assert main(["ids", str(letter)]) == 0
    out = capsys.readouterr().out
    assert '+      <p xml:id="p1" n="1">Dear <persName xml:id="p1-anna-1"' in out
    assert "not written; run again with --write" in out
    assert (letter / "letter.xml").read_bytes() == before


def test_a_second_run_has_nothing_to_do_and_the_anchors_are_the_same(letter, capsys):
    diags = Diagnostics()
    (first,) = project_ids(letter, [DEFAULT_TEMPLATES], diags)
    main(["ids", str(letter), "--write"])
    assert project_ids(letter, [DEFAULT_TEMPLATES], diags) == [] and not diags.items
    # the anchors the walk gives the file with its new ids are the ids it was given
    assert [a for a, _ in first.added] == [m.group(0)[9:-1] for m in ADDED.finditer(first.after)
                                           if m.group(0)[9:-1] not in ("ed", "second")]


def test_an_id_collision_is_a_located_error_and_nothing_is_written(tmp_path, capsys):
    folder = tmp_path / "two"
    folder.mkdir()
    for name in ("letter.xml", "collision.xml"):
        shutil.copy(FIXTURES / name, folder)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert main(["ids", str(folder), "--write"]) == 1
    err = capsys.readouterr().err
    assert re.search(r"collision\.xml:12:7: error: «p1» would be given to this element, but is already "
                     r"the xml:id of another \(<title> at line 5\).*\[ids\.collision\]", err)
    assert "no file was changed" in err
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_two_elements_with_one_id_are_a_located_error(tmp_path, capsys):
    folder = tmp_path / "dup"
    folder.mkdir()
    text = (FIXTURES / "letter.xml").read_text(encoding="utf-8").replace('<lg>', '<lg xml:id="second">')
    (folder / "dup.xml").write_text(text, encoding="utf-8")
    assert main(["ids", str(folder), "--write"]) == 1
    assert re.search(r"dup\.xml:18:7: error: «second» is the xml:id of two elements \(<p> at line 17\)",
                     capsys.readouterr().err)


def test_start_tags_skip_comments_cdata_and_quoted_brackets():
    text = ('<?xml version="1.0"?>\n<!DOCTYPE TEI [<!ENTITY x "y">]>\n<a b=">">\n<!-- <c> -->'
            '<![CDATA[<d>]]><e\n f=\'<\'/></a>')
    assert [text[:at].rsplit("<", 1)[1] for at, _ in start_tags(text)] == ["a", "e"]
    assert [line for _, line in start_tags(text)] == [3, 4]
