"""Published versions: each at v/<n>/ from versions/<n>/, checked against revisionDesc; an old
version says so and leads to the same place in the current one; check warns of lost anchors."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import build_site, serve
from playwright.sync_api import Page, expect

from teisite.commands import main

TEI = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>{title}</title>'
       '</titleStmt>{edition}<publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc>'
       '</fileDesc>{changes}</teiHeader>\n<text><body>\n{body}\n</body></text></TEI>')
REGISTER = TEI.format(title="Persons", edition="", changes="",
                      body='<listPerson><person xml:id="anna"><persName>Anna</persName></person></listPerson>')
CHANGES = {"1.0": '<change when="2026-01-01" n="1.0">First.</change>',
           "1.1": '<change when="2026-02-01" n="1.1">Second.</change>'}
MKDOCS = ("site_name: Test\nsite_url: https://example.org/ed/\ntheme: {name: material, font: false}\n"
          "plugins: [teisite]\ndocs_dir: source\n")
BODY_10 = ('<p xml:id="a">First <persName xml:id="a-anna" ref="persons.xml#anna">Anna</persName>'
           '<note xml:id="n1">a note</note>.</p>\n<p xml:id="gone">A paragraph 1.1 leaves out.</p>')
BODY_11 = ('<p xml:id="new">A new first paragraph<note xml:id="n0">a new note</note>.</p>\n'
           '<p xml:id="a">First <persName xml:id="a-anna" ref="persons.xml#anna">Anna</persName>'
           '<note xml:id="n1">a note</note>.</p>')


def text(version: str, body: str, changes: list[str]) -> str:
    return TEI.format(title="Text", edition=f'<editionStmt><edition n="{version}"/></editionStmt>',
                      changes="<revisionDesc>" + "".join(CHANGES[c] for c in changes) + "</revisionDesc>",
                      body=body)


def project(root: Path, changes_now: tuple[str, ...] = ("1.1", "1.0")) -> Path:
    for folder, content in ((root / "source", text("1.1", BODY_11, list(changes_now))),
                            (root / "versions" / "1.0", text("1.0", BODY_10, ["1.0"]))):
        (folder / "tei").mkdir(parents=True)
        (folder / "tei" / "text.xml").write_text(content, encoding="utf-8")
        (folder / "tei" / "persons.xml").write_text(REGISTER, encoding="utf-8")
    (root / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def versioned_site(tmp_path_factory) -> Path:
    root = project(tmp_path_factory.mktemp("versions") / "proj")
    return build_site(root, root / "site")


def data_of(page: Path) -> dict:
    found = re.search(r'<script type="application/json" id="teisite-data">(.*?)</script>',
                      page.read_text(encoding="utf-8"), re.DOTALL)
    return json.loads(found.group(1).replace("<\\/", "</"))


def test_each_version_is_built_at_its_address_and_the_root_is_the_current(versioned_site):
    root_page = versioned_site / "texts" / "text" / "index.html"
    old = versioned_site / "v" / "1.0" / "texts" / "text" / "index.html"
    current = versioned_site / "v" / "1.1" / "texts" / "text" / "index.html"
    assert 'id="new"' in root_page.read_text(encoding="utf-8")
    assert 'id="new"' in current.read_text(encoding="utf-8")
    assert 'id="gone"' in old.read_text(encoding="utf-8") and 'id="new"' not in old.read_text(encoding="utf-8")
    # cited at its version's address, the current address besides
    cited = data_of(root_page)["citation"]
    assert (cited["url"], cited["current"]) == ("https://example.org/ed/v/1.1/texts/text/",
                                                "https://example.org/ed/texts/text/")
    assert data_of(old)["citation"]["url"] == "https://example.org/ed/v/1.0/texts/text/"
    assert data_of(old)["version"] == {"old": True, "this": "1.0", "gone": ["gone"], "missing": False}
    assert "version" not in data_of(root_page)


def test_an_old_version_says_which_it_is_on_every_page(versioned_site):
    for page in ("index.html", "persons/anna/index.html", "texts/text/index.html"):
        html = (versioned_site / "v" / "1.0" / page).read_text(encoding="utf-8")
        assert "This is version 1.0 of the edition; the current version is 1.1." in html, page
    for page in ("texts/text/index.html", "v/1.1/texts/text/index.html"):
        assert "ts-version-old" not in (versioned_site / page).read_text(encoding="utf-8")


def test_the_changes_page_links_each_published_version(versioned_site):
    html = (versioned_site / "changes" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../v/1.1/texts/text/">1.1</a>' in html and '<a href="../v/1.0/texts/text/">1.0</a>' in html


def test_check_warns_of_an_anchor_a_published_version_loses(tmp_path, capsys):
    root = project(tmp_path / "proj")
    assert main(["check", str(root)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"versions/1\.0/tei/text\.xml:4:1: warning: «gone» of version 1\.0 is gone from "
                     r"tei/text\.xml.*\[version\.anchor-gone\]", out), out
    assert out.count("[version.anchor-gone]") == 1


@pytest.mark.parametrize(("change", "message"), [
    (lambda root: (root / "versions" / "latest" / "tei").mkdir(parents=True),
     r"versions/latest:1:1: error: «latest» in versions/ is not a version number .*\[version\.name\]"),
    (lambda root: shutil.copytree(root / "versions" / "1.0", root / "versions" / "0.9"),
     r"versions/0\.9:1:1: error: «0\.9» in versions/ names version 0\.9, which revisionDesc .*\[version\.missing\]"),
    (lambda root: (root / "source" / "tei" / "text.xml").write_text(
        text("1.1", BODY_11, ["1.1", "1.0", "1.0"]), encoding="utf-8"),
     r"source/tei/text\.xml:1:1: error: two changes of revisionDesc are version 1\.0 .*\[version\.duplicate\]"),
])
def test_bad_versions_are_located_errors_and_the_build_writes_nothing(tmp_path, capsys, change, message):
    root = project(tmp_path / "proj")
    change(root)
    assert main(["build", str(root)]) == 1
    err = capsys.readouterr().err
    assert re.search(message, err), err
    assert not (root / "site").exists()


def test_a_current_version_revisiondesc_does_not_list_is_a_located_warning(tmp_path, capsys):
    root = project(tmp_path / "proj")
    (root / "source" / "tei" / "text.xml").write_text(text("1.1", BODY_11, ["1.0"]), encoding="utf-8")
    main(["check", str(root)])
    assert re.search(r"source/tei/text\.xml:1:1: warning: the edition is version 1\.1 \(editionStmt\), but no "
                     r"change .*\[version\.missing\]", capsys.readouterr().out)


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                   check=True, capture_output=True)


@pytest.mark.parametrize(("tag", "message"), [
    ("vfinal", r"error: the git tag «vfinal» is not a version number \(like 1\.1\).*\[version\.tag\]"),
    ("v2.0", r"error: the git tag «v2\.0» names version 2\.0, which revisionDesc .*\[version\.missing\]"),
])
def test_a_tag_that_is_no_listed_version_is_a_located_error(tmp_path, capsys, tag, message):
    root = project(tmp_path / "proj")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "edition")
    git(root, "tag", "v1.1")
    assert main(["check", str(root)]) == 0  # a tag of a listed version is fine
    capsys.readouterr()
    git(root, "tag", tag)
    assert main(["check", str(root)]) == 1
    assert re.search(message, capsys.readouterr().out)


def test_the_old_versions_banner_leads_to_the_same_place_or_says_it_is_gone(versioned_site, page: Page):
    server, url = serve(versioned_site)
    try:
        page.set_viewport_size({"width": 800, "height": 300})
        page.goto(url + "v/1.0/texts/text/#gone")
        expect(page.locator(".ts-version-old")).to_be_in_viewport()  # also deep in a long page
        page.goto(url + "v/1.0/texts/text/#a")
        to = page.locator(".ts-version-current")
        expect(to).to_be_visible()
        to.click()
        page.wait_for_url(url + "texts/text/#a")
        assert page.locator("#a").evaluate("e => e.matches(':target')")
        page.goto(url + "v/1.0/texts/text/#gone")
        expect(page.locator(".ts-version-gone")).to_have_text(
            "This place is not in the current version: it was removed after version 1.0.")
        expect(page.locator(".ts-version-current")).to_be_hidden()
    finally:
        server.shutdown()


def test_without_javascript_each_place_of_an_old_version_leads_to_the_current_one(versioned_site, browser, page: Page):
    """With JavaScript off, the bar's link cannot follow the address's #place: each passage and
    note of an old version's text links its own place in the current version, or says it is
    gone; with JavaScript on, the bar does it and these links are not shown. Seen to fail before
    (no such link)."""
    server, url = serve(versioned_site)
    context = browser.new_context(java_script_enabled=False)
    try:
        plain = context.new_page()
        plain.goto(url + "v/1.0/texts/text/#gone")
        gone = plain.locator("#gone > .ts-gone")
        expect(gone).to_be_visible()
        assert gone.get_attribute("title") == "This place is not in the current version"
        expect(plain.locator("#gone > a.ts-in-current")).to_have_count(0)
        note = plain.locator("#n1 > a.ts-in-current")
        expect(note).to_be_visible()
        assert note.get_attribute("href") == "../../../../texts/text/#n1"
        to = plain.locator("#a > a.ts-in-current")
        expect(to).to_be_visible()
        assert to.get_attribute("title") == "This place in the current version"
        plain.screenshot(path=str(versioned_site.parent / "no-js.png"))
        to.click()
        plain.wait_for_url(url + "texts/text/#a")
        assert plain.locator("#a").evaluate("e => e.matches(':target')")
        expect(plain.locator(".ts-in-current")).to_have_count(0)  # the current version has none
        page.goto(url + "v/1.0/texts/text/#a")
        expect(page.locator(".ts-version-current")).to_be_visible()
        expect(page.locator("#a > a.ts-in-current")).to_be_hidden()  # with JavaScript: the bar
    finally:
        context.close()
        server.shutdown()
