"""CITATION.cff and .zenodo.json from the TEI header, and a DOI in every citation and the page metadata."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from conftest import REPO, build_site, serve
from playwright.sync_api import Page, expect

from teisite.citation import spdx
from teisite.commands import main

DOI = "10.5281/zenodo.0000000"  # a made-up DOI of the test project only, never of the edition
TEI = ('<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="en"><teiHeader><fileDesc><titleStmt>'
       '<title>A Letter</title><respStmt><resp>edited by</resp><persName>Anna Editor</persName></respStmt>'
       '</titleStmt><editionStmt><edition n="2.0"><date when="2026-03-01"/></edition></editionStmt>'
       '<publicationStmt><publisher>Test Press</publisher>{idno}<availability><licence '
       'target="https://creativecommons.org/licenses/by-sa/4.0/">CC BY-SA</licence></availability>'
       '</publicationStmt><sourceDesc><p/></sourceDesc></fileDesc><encodingDesc><projectDesc><p>A test '
       'edition.</p></projectDesc></encodingDesc><revisionDesc><change when="2026-03-01" n="2.0">Two.</change>'
       '</revisionDesc></teiHeader><text><body><p>Dear <persName ref="persons.xml#anna">Anna</persName>.</p>'
       '</body></text></TEI>')
REGISTER = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Persons</title>'
            '</titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc>'
            '</teiHeader><text><body><listPerson><person xml:id="anna"><persName>Anna</persName></person>'
            '</listPerson></body></text></TEI>')
MKDOCS = ("site_name: Letters\nsite_url: https://example.org/letters/\ntheme: {name: material, font: false}\n"
          "plugins: [teisite]\ndocs_dir: source\n")


def project(root: Path, idno: str = f'<idno type="DOI">https://doi.org/{DOI}</idno>') -> Path:
    (root / "source" / "tei").mkdir(parents=True)
    (root / "source" / "tei" / "letter.xml").write_text(TEI.format(idno=idno), encoding="utf-8")
    (root / "source" / "tei" / "persons.xml").write_text(REGISTER, encoding="utf-8")
    (root / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    return root


@pytest.mark.parametrize(("url", "expected"), [
    ("https://creativecommons.org/licenses/by/4.0/", "CC-BY-4.0"),
    ("http://creativecommons.org/licenses/by-nc-sa/3.0/deed.ru", "CC-BY-NC-SA-3.0"),
    ("https://creativecommons.org/publicdomain/zero/1.0/", "CC0-1.0"),
    ("https://example.org/my-licence", "")])
def test_a_creative_commons_licence_is_named_by_its_spdx_id(url, expected):
    assert spdx(url) == expected


def test_the_files_are_made_from_the_header_with_the_doi(tmp_path, capsys):
    root = project(tmp_path / "proj")
    assert main(["citation", str(root)]) == 0
    assert not (root / "CITATION.cff").exists()  # shown, not written
    assert main(["citation", str(root), "--write"]) == 0
    cff = yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff == {"cff-version": "1.2.0", "message": "If you cite this edition, please cite it as below.",
                   "type": "dataset", "title": "A Letter", "authors": [{"name": "Anna Editor"}],
                   "version": "2.0", "date-released": cff["date-released"], "license": "CC-BY-SA-4.0",
                   "url": "https://example.org/letters/", "doi": DOI}
    assert str(cff["date-released"]) == "2026-03-01"
    zenodo = json.loads((root / ".zenodo.json").read_text(encoding="utf-8"))
    assert zenodo == {"title": "A Letter", "upload_type": "dataset", "description": "A test edition.",
                      "creators": [{"name": "Anna Editor"}], "access_right": "open", "license": "CC-BY-SA-4.0",
                      "version": "2.0", "publication_date": "2026-03-01", "language": "eng",
                      "related_identifiers": [{"identifier": "https://example.org/letters/v/2.0/",
                                               "relation": "isSourceOf", "resource_type": "dataset"}]}
    capsys.readouterr()
    assert main(["citation", str(root)]) == 0
    assert "nothing to do" in capsys.readouterr().out


def test_check_says_when_the_files_no_longer_say_what_the_header_says(tmp_path, capsys):
    root = project(tmp_path / "proj")
    main(["citation", str(root), "--write"])
    capsys.readouterr()
    text = root / "source" / "tei" / "letter.xml"
    text.write_text(text.read_text(encoding="utf-8").replace('n="2.0"', 'n="2.1"'), encoding="utf-8")
    main(["check", str(root)])
    out = capsys.readouterr().out
    assert re.search(r"CITATION\.cff:1:1: warning: CITATION\.cff no longer says what the TEI header says.*"
                     r"\[citation\.stale\]", out), out
    assert ".zenodo.json:1:1: warning" in out


def test_the_editions_own_files_say_what_its_header_says(capsys):
    assert (REPO / "CITATION.cff").is_file() and (REPO / ".zenodo.json").is_file()
    main(["check", str(REPO)])
    assert "[citation.stale]" not in capsys.readouterr().out
    assert yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))["version"] == "1.3"


@pytest.fixture(scope="module")
def doi_site(tmp_path_factory) -> Path:
    root = project(tmp_path_factory.mktemp("doi") / "proj")
    return build_site(root, root / "site")


def test_the_doi_is_in_the_page_metadata(doi_site):
    html = (doi_site / "texts" / "letter" / "index.html").read_text(encoding="utf-8")
    assert f'<meta name="citation_doi" content="{DOI}">' in html
    assert f'<meta name="DC.identifier" content="https://doi.org/{DOI}">' in html
    (ld,) = [json.loads(m) for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)]
    assert ld["identifier"] == {"@type": "PropertyValue", "propertyID": "DOI", "value": DOI}
    assert ld["sameAs"] == f"https://doi.org/{DOI}"


def test_the_doi_is_in_every_citation_format(doi_site, page: Page):
    server, url = serve(doi_site)
    try:
        page.goto(url + "texts/letter/")
        page.locator("button.cite-text").click()
        dialog = page.locator("dialog.cite-dialog")
        expect(dialog).to_be_visible()
        assert f"https://doi.org/{DOI}" in dialog.locator("#cite-plain").input_value()
        assert f"doi = {{{DOI}}}" in dialog.locator("#cite-bibtex").input_value()
        assert f"DO  - {DOI}" in dialog.locator("#cite-ris").input_value()
        assert json.loads(dialog.locator("#cite-csl").input_value())[0]["DOI"] == DOI
    finally:
        server.shutdown()
