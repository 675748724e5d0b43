"""Hostile input (issue 6): no entity resolved, nothing fetched, bombs and odd bytes end in located
errors, TEI text and attributes escaped, no write outside the output folder, mixed content kept."""

from __future__ import annotations

import http.server
import json
import re
import shutil
import tempfile
import threading
import time
from pathlib import Path
from typing import ClassVar
from xml.sax.saxutils import escape, quoteattr

import lxml.html
import pytest
from conftest import build_site
from hypothesis import given, settings
from hypothesis import strategies as st
from test_render import assert_in_order, load, render, segments

from teisite.commands import build
from teisite.diagnostics import Diagnostics
from teisite.parsing import parse_bytes
from teisite.project import find_project

HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"
PASSWD = Path("/etc/passwd").read_text(errors="replace").split("\n")[0] if Path("/etc/passwd").exists() \
    else "root:x:0:0"
TEI = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>t</title>'
       '</titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc>'
       '</teiHeader><text><body><p>{}</p></body></text></TEI>')


def parse(data: bytes) -> tuple[object, Diagnostics]:
    diags = Diagnostics()
    return parse_bytes(Path("hostile.xml"), data, diags), diags


def rendered_text(folder: Path, name: str) -> str:
    edition = load(folder, [folder / name])
    tree, out = render(edition, edition.texts[0])
    return lxml.html.tostring(tree, encoding=str) + "".join(str(n["html"]) for n in out.notes)


# --- entities and the network ------------------------------------------------------------------


def build_folder(tmp_path: Path, files: dict[str, bytes], capsys) -> tuple[int, Path, str]:
    """Build a folder of TEI files as build.py does: (exit code, site, what it printed)."""
    folder = tmp_path / "tei"
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    code = build(find_project(folder, tmp_path / "site"))
    out, err = capsys.readouterr()
    return code, tmp_path / "site", out + err


def paragraphs(page: Path) -> list[str]:
    """The reading text's paragraphs on a built text page, as a reader sees their words."""
    root = lxml.html.parse(str(page)).getroot()
    return [" ".join(p.text_content().split())
            for p in root.xpath("//*[contains(concat(' ', @class, ' '), ' tei-text ')]//p")]


def site_bytes(site: Path) -> bytes:
    return b"".join(f.read_bytes() for f in sorted(site.rglob("*")) if f.is_file())


@pytest.mark.parametrize("name,paragraph,warning", [
    ("xxe.xml", "Before after.", "xxe.xml:1:1: warning: the DOCTYPE declares entities"),
    ("doctype-file.xml", "A DOCTYPE naming a local file.", None),
])
def test_no_local_file_reaches_the_output(tmp_path, capsys, name, paragraph, warning):
    """An entity naming /etc/passwd, or a DOCTYPE naming it as the DTD: the file builds, its
    paragraph reads as written with nothing in the entity's place, and the editor is told."""
    code, site, printed = build_folder(tmp_path, {name: (HOSTILE / name).read_bytes()}, capsys)
    assert code == 0, printed
    assert paragraphs(site / "texts" / Path(name).stem / "index.html") == [paragraph]
    assert PASSWD.encode() not in site_bytes(site) and PASSWD not in printed
    if warning:
        assert warning in printed and "[parse.entities]" in printed
    assert ": error:" not in printed


class _Counter(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self):
        _Counter.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'<!ENTITY y "FETCHED">')

    def log_message(self, *args):
        pass


@pytest.fixture
def listener():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Counter.hits = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.mark.parametrize("doctype,declares", [
    ('<!DOCTYPE TEI [<!ENTITY x SYSTEM "{url}/entity">]>', True),
    ('<!DOCTYPE TEI [<!ENTITY % x SYSTEM "{url}/param"> %x;]>', True),
    ('<!DOCTYPE TEI SYSTEM "{url}/tei_all.dtd">', False),
    ('<!DOCTYPE TEI PUBLIC "-//TEI//DTD TEI P5//EN" "{url}/public.dtd">', False),
], ids=["external entity", "external parameter entity", "system DTD", "public DTD"])
def test_nothing_is_fetched(listener, tmp_path, capsys, doctype, declares):
    """A DOCTYPE pointing at a server: the build asks it for nothing, the page reads the words
    around the entity with nothing in its place, and a DOCTYPE declaring entities is warned of."""
    xml = doctype.format(url=listener) + "\n" + TEI.format("a &x; b")
    code, site, printed = build_folder(tmp_path, {"doc.xml": xml.encode()}, capsys)
    assert _Counter.hits == []
    assert code == 0, printed
    assert paragraphs(site / "texts" / "doc" / "index.html") == ["a b"]
    assert b"FETCHED" not in site_bytes(site)
    assert ("doc.xml:1:1: warning: the DOCTYPE declares entities" in printed) == declares, printed
    assert ": error:" not in printed


@pytest.mark.parametrize("include", [
    '<xi:include href="{url}/x.xml"/>', '<xi:include href="{url}/t.txt" parse="text"/>',
    '<xi:include href="../../../../../../../../../../etc/passwd" parse="text"/>',
    '<xi:include href="/etc/passwd" parse="text"/>', '<xi:include href="file:///etc/passwd" parse="text"/>',
    '<xi:include href="//127.0.0.1/x.xml"/>',
], ids=["url", "url as text", "escaping path", "absolute path", "file url", "scheme-relative"])
def test_an_xinclude_reads_nothing_outside_and_fetches_nothing(listener, tmp_path, capsys, include):
    """An xi:include to a server, out of the project or to an absolute path: a located error, no
    request, and nothing of /etc/passwd in the site (built leniently to look)."""
    body = include.format(url=listener).replace("<xi:include ", '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" ')
    xml = TEI.format("a " + body + " b")
    code, site, printed = build_folder(tmp_path, {"doc.xml": xml.encode()}, capsys)
    assert _Counter.hits == []
    assert "doc.xml:1:" in printed and "[xinclude." in printed
    assert code == 0 and PASSWD.encode() not in site_bytes(site)  # (a folder alone is lenient)
    edition = load(tmp_path / "tei")
    assert [d.code.split(".")[0] for d in edition.diagnostics.errors] == ["xinclude"]
    assert PASSWD not in rendered_text(tmp_path / "tei", "doc.xml")


# --- bombs and odd bytes: located errors, quickly ------------------------------------------------


def billion_laughs() -> bytes:
    ents = ['<!ENTITY a0 "ha">'] + [f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)]
    return f'<?xml version="1.0"?>\n<!DOCTYPE TEI [{"".join(ents)}]>\n{TEI.format("&a9;")}'.encode()


def deep(levels: int) -> bytes:
    return TEI.format("<hi>" * levels + "x" + "</hi>" * levels).encode()


@pytest.mark.parametrize("data,code", [
    (billion_laughs(), "parse."),
    (deep(10_000), "parse.syntax"),
    (deep(150), "parse.too-deep"),
    (b"", "parse.empty"),
    (b"\n  \n", "parse.empty"),
    (bytes(range(256)) * 4, "parse.binary"),
    (b"\x89PNG\r\n\x1a\n" + bytes(64), "parse.binary"),
    (TEI.format("café").encode("latin-1"), "parse.encoding"),
    (b'<?xml version="1.0" encoding="UTF-8"?>\n' + TEI.format("café").encode("latin-1"), "parse.syntax"),
], ids=["billion laughs", "10000 levels", "150 levels", "empty", "blank", "binary", "png",
        "latin-1 undeclared", "latin-1 declared as utf-8"])
def test_rejected_with_a_located_error_quickly(data, code):
    start = time.monotonic()
    tree, diags = parse(data)
    assert time.monotonic() - start < 5
    (error,) = diags.errors
    assert tree is None and error.code.startswith(code) and error.line >= 1 and error.col >= 1
    assert str(error).startswith("hostile.xml:")


@pytest.mark.parametrize("encode", [
    lambda s: b"\xef\xbb\xbf" + s.encode("utf-8"),
    lambda s: b'\xef\xbb\xbf<?xml version="1.0" encoding="UTF-8"?>\n' + s.encode("utf-8"),
    lambda s: "\ufeff".encode("utf-16-le") + s.encode("utf-16-le"),
    lambda s: "\ufeff".encode("utf-16-be") + s.encode("utf-16-be"),
    lambda s: b'<?xml version="1.0" encoding="ISO-8859-1"?>\n' + s.replace("Москва", "").replace("ё", "e").encode("latin-1"),
], ids=["utf-8 BOM", "utf-8 BOM declared", "utf-16-le BOM", "utf-16-be BOM", "latin-1 declared"])
def test_other_encodings_are_read(tmp_path, encode):
    (tmp_path / "enc.xml").write_bytes(encode(TEI.format('café <persName>Москва</persName> «ё»')))
    edition = load(tmp_path)
    assert not edition.diagnostics.errors, edition.diagnostics.format()
    tree, _ = render(edition, edition.texts[0])
    assert "café" in tree.text_content() and ("«ё»" in tree.text_content() or "«e»" in tree.text_content())


def test_a_bomb_fails_the_build_with_a_message_not_a_traceback(tmp_path, capsys):
    (tmp_path / "source" / "tei").mkdir(parents=True)
    (tmp_path / "source" / "tei" / "bomb.xml").write_bytes(billion_laughs())
    (tmp_path / "source" / "tei" / "deep.xml").write_bytes(deep(150))
    assert build(find_project(tmp_path, tmp_path / "site")) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and not (tmp_path / "site").exists()
    assert re.search(r"bomb\.xml:\d+:\d+: error: .*\[parse\.syntax\]", err)
    assert re.search(r"deep\.xml:\d+:\d+: error: .*\[parse\.too-deep\]", err)


# --- escaping: no executable markup anywhere -----------------------------------------------------


def assert_nothing_executable(html: str, where: str) -> None:
    doc = lxml.html.document_fromstring(html)
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), f"{where}: <{el.tag} {name}={value!r}>"
            if name in ("href", "src", "action", "formaction", "xlink:href"):
                cleaned = re.sub(r"[\x00-\x20]", "", value).lower()
                assert not cleaned.startswith(("javascript:", "data:", "vbscript:")), f"{where}: {value}"
        if el.tag == "script" and "PWNED" in (el.text or ""):
            assert el.get("type") in ("application/json", "application/ld+json"), where
            json.loads(el.text)  # the payload stayed inside a JSON string
        if el.tag in ("img", "svg", "iframe", "object", "embed") and "PWNED" in str(el.attrib):
            raise AssertionError(f"{where}: injected <{el.tag}>")


def test_hostile_text_renders_as_text():
    html = rendered_text(HOSTILE, "script.xml")
    assert_nothing_executable(f"<html><body>{html}</body></html>", "script.xml")
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html


def test_hostile_date_values_are_escaped():
    html = rendered_text(HOSTILE, "bad-date.xml")
    assert_nothing_executable(f"<html><body>{html}</body></html>", "bad-date.xml")
    assert "a date" in html and "another" in html


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> tuple[Path, Path, set[Path]]:
    root = tmp_path_factory.mktemp("hostile")
    tei = root / "project" / "source" / "tei"
    tei.mkdir(parents=True)
    for name in ("script.xml", "xxe.xml", "doctype-file.xml"):
        shutil.copy(HOSTILE / name, tei / name)
    before = set(root.parent.iterdir())
    out = build_site(root / "project", root / "out" / "deep" / "site")
    return root, out, before


def test_the_built_pages_content_has_nothing_executable(hostile_site):
    _, out, _ = hostile_site
    pages = list(out.rglob("*.html"))
    assert len(pages) > 5
    for page in pages:
        html = page.read_text(encoding="utf-8")
        (content,) = lxml.html.document_fromstring(html).xpath("//*[@data-md-component='content']") or [None]
        if content is not None:
            assert_nothing_executable(lxml.html.tostring(content, encoding=str), str(page.relative_to(out)))
        assert PASSWD not in html


def test_the_built_pages_have_nothing_executable(hostile_site):
    _, out, _ = hostile_site
    for page in out.rglob("*.html"):
        assert_nothing_executable(page.read_text(encoding="utf-8"), str(page.relative_to(out)))


def test_ids_with_path_characters_never_write_outside_the_site(hostile_site):
    root, out, before = hostile_site
    written = [p for p in root.rglob("*") if p.is_file() and "project" not in p.relative_to(root).parts]
    assert written and all(out in p.parents for p in written), [p for p in written if out not in p.parents]
    assert set(root.parent.iterdir()) == before
    assert (out / "persons" / "escape" / "index.html").exists()
    assert (out / "persons" / "a-b" / "index.html").exists()


def test_ids_with_path_characters_become_safe_anchors_and_links(hostile_site):
    _, out, _ = hostile_site
    page = lxml.html.parse(str(out / "texts" / "script" / "index.html")).getroot()
    assert page.xpath("//*[@id='evil']") and not page.xpath("//*[contains(@id, '/')]")
    hrefs = [a.get("href") for a in page.xpath("//a[@href]")]
    assert "../../persons/escape/" in hrefs and "../../persons/a-b/" in hrefs
    assert not [h for h in hrefs if "../../../" in h or "/../" in h.lstrip("./")]


# --- property: mixed content survives -----------------------------------------------------------

TEXT = st.text(alphabet="абвЖЁё xyz<>&\"' \n\t«»—", max_size=12)
RENDS = st.sampled_from(["italic", "bold", "sup", "weird", "spaced smallcaps"])


def inline(in_note: bool = False, depth: int = 0) -> st.SearchStrategy[str]:
    """Random mixed content: text, hi, persName, choice, and notes (not inside notes)."""
    if depth > 3:
        return TEXT.map(escape)
    inner = st.deferred(lambda: inline(in_note, depth + 1))
    content = st.lists(st.one_of(TEXT.map(escape), inner), max_size=4).map("".join)
    options = [
        TEXT.map(escape),
        st.tuples(RENDS, content).map(lambda t: f"<hi rend={quoteattr(t[0])}>{t[1]}</hi>"),
        content.map(lambda c: f'<persName ref="#p">{c}</persName>'),
        st.tuples(content, content).map(lambda t: f"<choice><sic>{t[0]}</sic><corr>{t[1]}</corr></choice>"),
    ]
    if not in_note:
        options.append(st.deferred(lambda: st.lists(st.one_of(TEXT.map(escape), inline(True, depth + 1)),
                                                    max_size=3).map(lambda x: f"<note>{''.join(x)}</note>")))
    return st.one_of(options)


@settings(max_examples=60, deadline=None)
@given(st.lists(inline(), min_size=1, max_size=5).map("".join))
def test_every_character_of_the_reading_text_reaches_the_page(content):
    """(Nested links are checked in test_render.)"""
    register = ('<standOff><listPerson><person xml:id="p"><persName>P</persName></person>'
                '</listPerson></standOff>')
    xml = TEI.format(content).replace("<text>", register + "<text>")
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "doc.xml").write_text(xml, encoding="utf-8")
        edition = load(Path(folder))
        assert not edition.diagnostics.errors, edition.diagnostics.format()
        if not content.strip():  # an empty body beside a register list: a register file
            assert not edition.texts
            return
        (doc,) = edition.texts
        tree, out = render(edition, doc)
    assert_in_order(segments(doc.body), tree.text_content())
    notes = {n["n"]: lxml.html.fragment_fromstring(f"<div>{n['html']}</div>").text_content()
             for n in out.notes}
    for i, note in enumerate(doc.body.iter("{http://www.tei-c.org/ns/1.0}note"), 1):
        assert_in_order(segments(note, {"note"}), notes[str(i)])


def test_entries_whose_ids_differ_only_in_unsafe_characters_get_their_own_pages(tmp_path):
    xml = (HOSTILE / "script.xml").read_text(encoding="utf-8").replace(
        '<person xml:id="a/b"><persName>Slashed</persName></person>',
        '<person xml:id="a/b"><persName>Slashed</persName></person>'
        '<person xml:id="a-b"><persName>Dashed</persName></person>')
    (tmp_path / "doc.xml").write_text(xml, encoding="utf-8")
    edition = load(tmp_path)
    slugs = [e.slug for e in edition.entries.values()]
    assert len(slugs) == len(set(slugs))
