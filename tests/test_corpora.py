"""The four excerpts of real corpora (tests/fixtures/corpora/, issue 14, item 11), built as an
editor would build them: each without an error, and each showing what its genre needs."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import lxml.html
import pytest
from conftest import FIXTURES, build_site
from test_render import load

CORPORA = FIXTURES / "corpora"
NAMES = ("gerdracor", "mitford", "schnitzler-briefe", "pta")


@functools.cache
def site(name: str, tmp: Path) -> Path:
    return build_site(CORPORA / name, tmp / name / "site")


def page(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.parse(str(path)).getroot()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("corpora")
    return lambda name: site(name, base)


@pytest.mark.parametrize("name", NAMES)
def test_corpus_builds_without_an_error(name, built):
    errors = load(CORPORA / name).diagnostics.errors
    assert not errors, "\n".join(map(str, errors))
    texts = sorted((built(name) / "texts").glob("*/index.html"))
    assert len(texts) == len([p for p in (CORPORA / name).glob("*.xml")
                              if "<listWit" in p.read_text(encoding="utf-8") or "<body" in p.read_text(encoding="utf-8")]) - \
        (1 if name == "mitford" else 0)  # mitford's si.xml is its register of persons and places


def test_drama_has_a_cast_index_with_speech_counts(built):
    cast = page(built("gerdracor") / "cast" / "index.html")
    plays = cast.xpath("//section[@class='cast-play']")
    assert len(plays) == 3
    speeches = [int(td.text_content()) for td in cast.xpath("//table[@class='cast-table']//tr/td[3]")]
    assert len(speeches) > 10 and sum(speeches) > 50
    play = page(built("gerdracor") / "texts" / "kotzebue-das-koestlichste" / "index.html")
    assert play.xpath("//div[contains(@class, 'sp')]/div[contains(@class, 'speaker')]")
    assert play.xpath("//*[contains(@class, 'stage')]")


def test_verse_lines_are_numbered_and_citable(built):
    poem = page(built("mitford") / "texts" / "WatlingtonHill" / "index.html")
    lines = poem.xpath("//div[contains(@class, 'tei-l')][@id][@data-n]")
    assert len(lines) > 50
    numbers = [line.get("data-n") for line in lines]
    assert numbers[:5] == ["1", "2", "3", "4", "5"]
    assert all(line.xpath("a[@class='l-n']/@href")[0] == f"#{line.get('id')}" for line in lines)


def test_letters_show_sender_addressee_and_date_and_their_own_titles(built):
    letter = page(built("schnitzler-briefe") / "texts" / "L00001" / "index.html")
    corresp = letter.xpath("//dl[@class='corresp']")[0]
    said = " ".join(corresp.text_content().split())
    assert "Mamroth, Fedor" in said and "Schnitzler, Arthur" in said and "1889" in said
    titles = [" ".join(h.text_content().split()) for p in sorted((built("schnitzler-briefe") / "texts").glob("*/index.html"))
              for h in page(p).xpath("//h1[@id='title']")]
    assert len(titles) == 4 and len(set(titles)) == 4
    assert not any("Briefwechsel mit Autorinnen" in t for t in titles)  # the series title
    assert all(re.search(r"\d{4}", t) for t in titles)


def test_manuscript_edition_lists_its_apparatus(built):
    edition = page(built("pta") / "texts" / "pta0001.pta001.pta-grcBibex" / "index.html")
    entries = edition.xpath("//section[@class='apparatus']//li[@class='apparatus-entry']")
    assert len(entries) > 20
    kinds = {k.text_content() for k in edition.xpath("//li[@class='apparatus-entry']//span[@class='app-type']")}
    assert {"om.", "add.", "transp."} <= kinds
    assert edition.xpath("//span[@class='pb pb-witness'][starts-with(., '[Pt ')]")
    transcription = page(built("pta") / "texts" / "pta0001.pta001.pta-MsPa" / "index.html")
    assert transcription.xpath("//*[contains(@class, 'tei-add') or contains(@class, 'tei-del')]")
