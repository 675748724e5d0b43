"""The static DTS 1.0 (Level 0) endpoint, held to the shapes of the specification's examples
(https://dtsapi.org/versions/v1.0/: Entry, Collection, Navigation, Document endpoints)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lxml import etree

from teisite.dts import DTS_NS
from teisite.parsing import TEI_NS, XML_ID, XML_LANG, make_parser

SITE_URL = "https://teisite.github.io/albazin-nerchinsk/"
TEXT = "albazin-nerchinsk"


def expand(template: str, **values: str) -> str:
    """RFC 6570 level 3 expansion of the operators the endpoint uses: {var}, {/var}, {;var}."""
    def one(m: re.Match) -> str:
        op, names = (m.group(1)[0], m.group(1)[1:]) if m.group(1)[0] in "/;?&" else ("", m.group(1))
        parts = [(n, values[n]) for n in names.split(",") if values.get(n) is not None]
        if not parts:
            return ""
        if op == ";":
            return "".join(f";{n}={v}" for n, v in parts)
        if op == "/":
            return "".join(f"/{v}" for _, v in parts)
        return ",".join(v for _, v in parts)
    return re.sub(r"\{([^}]+)\}", one, template)


@pytest.fixture(scope="module")
def dts(edition_site):
    def get(url: str):
        assert url.startswith(SITE_URL), url
        path = edition_site / url.removeprefix(SITE_URL)
        assert path.is_file(), url
        return json.loads(path.read_text(encoding="utf-8")) if path.suffix == ".json" else path.read_bytes()
    return get


@pytest.fixture(scope="module")
def entry(dts):
    return dts(SITE_URL + "dts/index.json")


def test_the_entry_point_has_the_specifications_properties(entry):
    assert set(entry) == {"@context", "dtsVersion", "@id", "@type", "collection", "navigation", "document"}
    assert (entry["@context"], entry["dtsVersion"], entry["@type"]) == (
        "https://dtsapi.org/context/v1.0.json", "1.0", "EntryPoint")


def test_the_collection_lists_the_text_as_a_resource_with_its_citation_tree(entry, dts):
    root = dts(expand(entry["collection"]))
    assert root == dts(expand(entry["collection"], id=root["@id"]))
    assert {"@context", "@id", "@type", "collection", "dtsVersion", "totalParents", "totalChildren",
            "title"} <= set(root)
    assert (root["@type"], root["totalParents"], root["totalChildren"]) == ("Collection", 0, 2)
    text, translation = root["member"]  # the text, and the editors' translation of it (a resource)
    assert (text["@id"], text["@type"]) == (TEXT, "Resource")
    assert (translation["@id"], translation["@type"]) == (f"{TEXT}@en", "Resource")
    assert text["dublinCore"]["hasVersion"] == [f"{TEXT}@en"]
    assert {"@id", "@type", "title", "totalParents", "totalChildren", "collection", "navigation", "document",
            "citationTrees"} <= set(text)
    assert text["citationTrees"] == [{"@type": "CitationTree",
                                      "citeStructure": [{"@type": "CiteStructure", "citeType": "p"}]}]
    alone = dts(expand(entry["collection"], id=TEXT))
    assert {k: v for k, v in alone.items() if k not in ("@context", "dtsVersion")} == text
    assert dts(text["download"]).startswith(b"<?xml")


def test_navigation_gives_the_paragraphs_by_their_stable_anchors(entry, dts):
    top = dts(expand(entry["navigation"], resource=TEXT, down="1"))
    assert (top["@type"], top["dtsVersion"], top["resource"]["@id"]) == ("Navigation", "1.0", TEXT)
    assert top["@id"] == expand(entry["navigation"], resource=TEXT, down="1")
    assert [m["identifier"] for m in top["member"]] == [f"p{n}" for n in range(1, 10)]
    assert top["member"][0] == {"identifier": "p1", "@type": "CitableUnit", "level": 1, "parent": None,
                                "citeType": "p"}
    assert "ref" not in top and dts(expand(entry["navigation"], resource=TEXT, down="-1"))["member"] == top["member"]
    # a paragraph's entry and siblings are the root's down=1, and below it is nothing: no file of
    # each unit repeats them (a text of N paragraphs would write N² members)
    for down in (None, "0", "1", "-1"):
        with pytest.raises(AssertionError):
            dts(expand(entry["navigation"], resource=TEXT, ref="p4", down=down))


def test_a_document_part_is_the_tei_paragraph_in_the_dts_wrapper(entry, dts):
    data = dts(expand(entry["document"], resource=TEXT, ref="p4"))
    root = etree.fromstring(data, make_parser())
    assert root.tag == f"{{{TEI_NS}}}TEI"
    (wrapper,) = root
    assert wrapper.tag == f"{{{DTS_NS}}}wrapper"
    (p,) = [c for c in wrapper if isinstance(c.tag, str)]
    assert (p.tag, p.get(XML_ID), p.get("n")) == (f"{{{TEI_NS}}}p", "p4", "4")
    source = etree.fromstring((Path(__file__).resolve().parents[1] / "source" / "tei" / f"{TEXT}.xml")
                              .read_bytes(), make_parser())
    (original,) = source.xpath("//tei:p[@xml:id='p4']", namespaces={"tei": TEI_NS})
    original.tail = p.tail = None

    def shape(el):  # every element, attribute and piece of text, in order
        return [(e.tag, dict(e.attrib), e.text, e.tail) for e in el.iter()]
    assert shape(p) == shape(original)
    whole = dts(expand(entry["document"], resource=TEXT))
    assert whole == (Path(__file__).resolve().parents[1] / "source" / "tei" / f"{TEXT}.xml").read_bytes()


def test_the_translation_is_a_resource_cited_by_its_paragraphs(entry, dts):
    """The editors' English translation (div type="translation"): a resource of its own, in its
    language, whose units are its paragraphs by their xml:ids, each pointing to its original."""
    resource = dts(expand(entry["collection"], id=f"{TEXT}@en"))
    assert resource["dublinCore"]["language"] == ["en"] and resource["dublinCore"]["isVersionOf"] == [TEXT]
    assert resource["title"] == "English translation by the editors (the teisite project)"
    top = dts(expand(entry["navigation"], resource=f"{TEXT}@en", down="1"))
    assert [m["identifier"] for m in top["member"]] == [f"p{n}-en" for n in range(1, 10)]
    originals = [m["identifier"] for m in dts(expand(entry["navigation"], resource=TEXT, down="1"))["member"]]
    source = etree.fromstring((Path(__file__).resolve().parents[1] / "source" / "tei" / f"{TEXT}.xml")
                              .read_bytes(), make_parser())
    for m, original in zip(top["member"], originals, strict=True):
        root = etree.fromstring(dts(expand(entry["document"], resource=f"{TEXT}@en", ref=m["identifier"])),
                                make_parser())
        assert root.get(XML_LANG) == "en"
        (p,) = root[0]
        assert p.get("corresp") == f"#{original}"
        (written,) = source.xpath(f"//tei:p[@xml:id='{m['identifier']}']", namespaces={"tei": TEI_NS})
        written.tail = p.tail = None
        assert [(e.tag, dict(e.attrib), e.text, e.tail) for e in p.iter()] == \
            [(e.tag, dict(e.attrib), e.text, e.tail) for e in written.iter()]
    # the whole translation: the header, and of the text the translation only
    whole = etree.fromstring(dts(expand(entry["document"], resource=f"{TEXT}@en")), make_parser())
    ns = {"tei": TEI_NS}
    assert whole.xpath("tei:teiHeader", namespaces=ns)
    assert [d.get("type") for d in whole.xpath("//tei:body/tei:div", namespaces=ns)] == ["translation"]
    assert len(whole.xpath("//tei:body//tei:p", namespaces=ns)) == 9


def test_translations_are_named_by_their_language_and_cited_by_their_anchored_paragraphs():
    from teisite.diagnostics import Diagnostics
    from teisite.dts import translated
    from teisite.models import load_table
    from teisite.render import DEFAULT_TEMPLATES, behaviour_names
    from teisite.walk import walk
    table = load_table(DEFAULT_TEMPLATES / "models.yml", behaviour_names([DEFAULT_TEMPLATES]), Diagnostics())
    text = etree.fromstring(
        f'<text xmlns="{TEI_NS}"><body><div><p xml:id="a">Eins</p><p>Zwei</p></div>'
        '<div type="translation" xml:lang="en"><head>English</head><p xml:id="a-en" corresp="#a">One</p>'
        '<p corresp="#p2">Two (no id: not citable)</p><p xml:id="n-en">Three<note><p xml:id="x">a note</p></note></p></div>'
        '<div type="translation"><p xml:id="a-fr" corresp="#a">Un</p></div>'
        '<div type="translation" xml:lang="en"><p xml:id="a-en2" corresp="#a">One, again</p></div></body></text>',
        make_parser())
    walk(text, table)
    assert [(ident, [u.anchor for u in found]) for ident, _, found in translated(text, table, "t")] == [
        ("t@en", ["a-en", "n-en"]), ("t@translation", ["a-fr"]), ("t@en-2", ["a-en2"])]


def test_the_text_page_and_the_about_page_link_the_endpoint(edition_site):
    head = (edition_site / "texts" / TEXT / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="describedby" type="application/ld+json" href="../../dts/collection/{TEXT}.json"' in head
    assert '<a href="../dts/index.json">' in (edition_site / "about" / "index.html").read_text(encoding="utf-8")


def test_each_published_version_has_its_own_endpoint(edition_site):
    old = json.loads((edition_site / "v" / "1.1" / "dts" / "index.json").read_text(encoding="utf-8"))
    assert old["@id"] == SITE_URL + "v/1.1/dts/"
    assert (edition_site / "v" / "1.1" / "dts" / "document" / TEXT / "p4.xml").is_file()


def test_verse_is_cited_by_stanza_and_line():
    from teisite.diagnostics import Diagnostics
    from teisite.dts import cite_structure, units
    from teisite.models import load_table
    from teisite.render import DEFAULT_TEMPLATES, behaviour_names
    from teisite.walk import walk
    table = load_table(DEFAULT_TEMPLATES / "models.yml", behaviour_names([DEFAULT_TEMPLATES]), Diagnostics())
    text = etree.fromstring(f'<text xmlns="{TEI_NS}"><body><p>Prose<note><p>not cited</p></note></p>'
                            '<lg><l>One</l><l n="7">Two</l></lg></body></text>', make_parser())
    walk(text, table)
    found = units(text, table)
    assert [(u.anchor, u.level, u.parent, u.type) for u in found] == [
        ("p1", 1, None, "p"), ("p2", 1, None, "lg"), ("l1", 2, "p2", "l"), ("l7", 2, "p2", "l")]
    assert cite_structure(found) == [
        {"@type": "CiteStructure", "citeType": "p"},
        {"@type": "CiteStructure", "citeType": "lg", "citeStructure": [{"@type": "CiteStructure", "citeType": "l"}]}]


# Pages (pb) as a second citation tree: a fixture written for the case, and a real play


def _site(tmp_path_factory, name: str, project: Path) -> Path:
    from conftest import build_site
    return build_site(project, tmp_path_factory.mktemp(name) / "site")


@pytest.fixture(scope="module")
def pages_site(tmp_path_factory):
    from conftest import FIXTURES, small_project
    root = small_project(tmp_path_factory.mktemp("pages"), {"pages.xml": FIXTURES / "dts" / "pages.xml"})
    return _site(tmp_path_factory, "pages-site", root)


@pytest.fixture(scope="module")
def play_site(tmp_path_factory):
    from conftest import FIXTURES
    return _site(tmp_path_factory, "gerdracor", FIXTURES / "corpora" / "gerdracor")


def local(site: Path):
    """The endpoint of a site built without site_url: its templates start at /dts/."""
    def get(url: str):
        path = site / url.removeprefix("/")
        assert path.is_file(), url
        return json.loads(path.read_text(encoding="utf-8")) if path.suffix == ".json" else path.read_bytes()
    return get


def words(el) -> str:
    return "".join(el.xpath("string()"))


def assert_pages_cover_the_text(get, resource: str, tree: str, source: Path) -> list[str]:
    """Each page's TEI part, in order, holds the text's words from its break to the next one:
    together they are the text's words from the first break on. The pages' identifiers."""
    entry = get("/dts/index.json")
    nav = get(expand(entry["navigation"], resource=resource, tree=tree, down="1"))
    assert nav["@id"] == expand(entry["navigation"], resource=resource, tree=tree, down="1")
    pages = [m["identifier"] for m in nav["member"]]
    assert all(m["level"] == 1 and m["parent"] is None and m["citeType"] == "page" for m in nav["member"])
    assert get(expand(entry["navigation"], resource=resource, tree=tree, down="-1"))["member"] == nav["member"]
    joined = ""
    for ref in pages:
        root = etree.fromstring(get(expand(entry["document"], resource=resource, tree=tree, ref=ref)), make_parser())
        assert root.tag == f"{{{TEI_NS}}}TEI"
        (wrapper,) = root
        assert wrapper.tag == f"{{{DTS_NS}}}wrapper"
        (part,) = wrapper
        joined += words(part)
    text = etree.fromstring(source.read_bytes(), make_parser()).find(f"{{{TEI_NS}}}text")
    first = next(pb for pb in text.iter(f"{{{TEI_NS}}}pb")
                 if (tree == "pages") == (pb.get("ed") is None and pb.get("edRef") is None))
    before = "".join(t for t in first.xpath("preceding::text()")
                     if any(a is text for a in t.getparent().iterancestors()) or t.getparent() is text)
    assert before + joined == words(text)
    return pages


def test_pages_are_a_second_citation_tree_named_by_their_numbers(pages_site):
    from conftest import FIXTURES
    get = local(pages_site)
    resource = get("/dts/collection/pages.json")
    assert [t.get("identifier") for t in resource["citationTrees"]] == [None, "pages", "pages-A"]
    assert resource["citationTrees"][1]["citeStructure"] == [{"@type": "CiteStructure", "citeType": "page"}]
    assert resource["navigation"].endswith("/dts/navigation/pages{;tree}{;down}{/ref}.json")
    # the note's break is no page of the text; a number met twice, and none, still name a page
    assert assert_pages_cover_the_text(get, "pages", "pages", FIXTURES / "dts" / "pages.xml") == [
        "i", "1", "2", "page-4", "2-2"]
    assert assert_pages_cover_the_text(get, "pages", "pages-A", FIXTURES / "dts" / "pages.xml") == ["7r", "7v"]
    entry = get("/dts/index.json")
    siblings = get(expand(entry["navigation"], resource="pages", tree="pages", down="1"))
    assert [m["identifier"] for m in siblings["member"]] == ["i", "1", "2", "page-4", "2-2"]
    assert {"identifier": "2", "@type": "CitableUnit", "level": 1, "parent": None, "citeType": "page"} \
        in siblings["member"]
    # a page across two paragraphs: both, cut at the breaks; the note's break inside it
    page1 = etree.fromstring(get(expand(entry["document"], resource="pages", tree="pages", ref="1")), make_parser())
    ps = page1.findall(f".//{{{TEI_NS}}}p")
    assert [words(p) for p in ps] == ["runs on to page 1 and folio 7r.",
                                      "Second paragrapha note  across a page of its own on page 1."]
    assert page1.find(f".//{{{TEI_NS}}}note/{{{TEI_NS}}}pb").get("n") == "99"
    # without a ref, the tree changes nothing: the whole text
    assert get(expand(entry["document"], resource="pages", tree="pages")) == (FIXTURES / "dts" / "pages.xml").read_bytes()
    # the default tree's files are where they were
    assert [m["identifier"] for m in get(expand(entry["navigation"], resource="pages", down="1"))["member"]] == [
        "p1", "p2", "p3", "p4"]


def test_a_play_is_cited_by_its_printed_pages_too(play_site):
    from conftest import FIXTURES
    get = local(play_site)
    play = "kotzebue-das-koestlichste"
    assert [t.get("identifier") for t in get(f"/dts/collection/{play}.json")["citationTrees"]] == [None, "pages"]
    pages = assert_pages_cover_the_text(get, play, "pages", FIXTURES / "corpora" / "gerdracor" / f"{play}.xml")
    assert pages == [str(n) for n in range(97, 114)]


def test_a_stanza_has_its_lines_below_it_and_a_line_has_no_list_of_its_own(tmp_path):
    from conftest import build_site, small_project
    tei = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Verse</title>'
           '</titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc>'
           '</teiHeader><text><body><p>Prose</p><lg><l>One</l><l>Two</l></lg></body></text></TEI>')
    site = build_site(small_project(tmp_path / "p", {"verse.xml": tei}), tmp_path / "site")
    nav = site / "dts" / "navigation"
    below = json.loads((nav / "verse;down=1" / "p2.json").read_text("utf-8"))
    assert [m["identifier"] for m in below["member"]] == ["p2", "l1", "l2"]
    assert (nav / "verse;down=-1" / "p2.json").is_file() and (nav / "verse" / "p2.json").is_file()
    assert not list(nav.glob("*;down=0*"))  # siblings: the parent's down=1
    for leaf in ("l1", "p1"):  # a leaf's entry is in its parent's list
        assert not [p for p in nav.rglob(f"{leaf}.json")]
    assert "\n" not in (nav / "verse" / "p2.json").read_text("utf-8").strip()  # compact
