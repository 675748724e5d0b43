"""A version's changes since the one before (teisite/diffs.py): passages, notes and register
entries matched by their anchors, compared word by word, on a page linked from the changes page."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest
from conftest import build_site
from test_versions import REGISTER, project

from teisite.diffs import Place, compare, pieces


def test_words_removed_and_added_and_a_long_unchanged_stretch_shortened():
    same = " ".join(f"w{i}" for i in range(30))
    assert pieces(f"{same} old end", f"{same} new end") == [
        ("", "…"), ("", " ".join(f"w{i}" for i in range(22, 30))), ("del", "old"), ("ins", "new"), ("", "end")]
    assert pieces("a b c", "a c d") == [("", "a"), ("del", "b"), ("", "c"), ("ins", "d")]
    middle = pieces(f"x {same} y", f"X {same} Y")
    assert ("", "…") in middle and middle[0] == ("del", "x") and middle[-1] == ("ins", "Y")


def test_places_are_matched_by_anchor_added_changed_then_removed():
    old = [Place("a", "¶1", "one"), Place("gone", "¶2", "two"), Place("b", "¶3", "three")]
    new = [Place("new", "¶1", "zero"), Place("a", "¶2", "one"), Place("b", "¶3", "three!")]
    assert [(c.kind, c.place.anchor, c.pieces) for c in compare(old, new)] == [
        ("added", "new", [("ins", "zero")]), ("changed", "b", [("del", "three"), ("ins", "three!")]),
        ("removed", "gone", [("del", "two")])]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = project(tmp_path_factory.mktemp("diffs") / "proj")
    # version 1.0's register described Anna otherwise, and listed Boris, whom 1.1 left out
    (root / "versions" / "1.0" / "tei" / "persons.xml").write_text(REGISTER.replace(
        '<persName>Anna</persName></person>',
        '<persName>Anna</persName><note>A nun.</note></person>'
        '<person xml:id="boris"><persName>Boris</persName></person>'), encoding="utf-8")
    (root / "source" / "tei" / "persons.xml").write_text(REGISTER.replace(
        '<persName>Anna</persName></person>', '<persName>Anna</persName><note>An abbess.</note></person>'),
        encoding="utf-8")
    return build_site(root, root / "site")


def test_the_changes_page_links_what_changed_in_each_version_but_the_first(site):
    page = lxml.html.parse(str(site / "changes" / "index.html")).getroot()
    assert [a.get("href") for a in page.xpath("//a[@class='version-diff']")] == ["../changes/v1.1/"]
    assert not (site / "changes" / "v1.0").exists()
    old = lxml.html.parse(str(site / "v" / "1.0" / "changes" / "index.html")).getroot()
    assert not old.xpath("//a[@class='version-diff']")  # its log ends at 1.0, the first


def test_the_version_page_shows_passages_notes_and_entries_added_removed_or_changed(site):
    page = lxml.html.parse(str(site / "changes" / "v1.1" / "index.html")).getroot()
    diff = page.xpath("//div[@class='teisite-diff']")[0]
    assert page.xpath("//h1")[0].text_content() == "Version 1.1: what changed since version 1.0"
    lists = diff.xpath(".//ul[@class='diff-list']")
    passages, notes, persons = ([(li.get("class"), li.xpath("a")[0].get("href"), li.text_content()) for li in ul]
                                for ul in lists)
    # ¶1 of 1.1 is new, "a" is unchanged (not listed), "gone" was removed: linked where it is
    assert passages == [
        ("diff-added", "../../v/1.1/texts/text/#new", "¶1 (added): A new first paragraph."),
        ("diff-removed", "../../v/1.0/texts/text/#gone", "¶2 (removed): A paragraph 1.1 leaves out.")]
    assert notes == [("diff-added", "../../v/1.1/texts/text/#n0", "1 (added): a new note")]
    assert persons[0][:2] == ("diff-changed", "../../v/1.1/persons/anna/")
    assert [(d.text, i.text) for d, i in zip(diff.xpath(".//li[@class='diff-changed']/del"),
                                              diff.xpath(".//li[@class='diff-changed']/ins"), strict=True)] == [
        ("A nun.", "An abbess.")]
    assert persons[1][:2] == ("diff-removed", "../../v/1.0/persons/boris/")
    for href in diff.xpath(".//a/@href"):  # every link leads to a page of the built site
        assert (site / "changes" / "v1.1" / href.partition("#")[0] / "index.html").resolve().is_file(), href
