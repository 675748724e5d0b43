"""`check` = `build` minus writing (issue 27 item 2): every error code a build can stop on is
reachable from `check`, with the same line and an exit status of 1, and nothing is written.

The codes are enumerated from teisite's own source (every code reported as an error, found the way
tests/test_guide.py finds the codes it wants explained), so a new error code without a case here
fails the first test."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import REPO

from teisite.commands import main

TEI_NS = "http://www.tei-c.org/ns/1.0"
XI = 'xmlns:xi="http://www.w3.org/2001/XInclude"'


def tei(body: str, extra_ns: str = "", back: str = "") -> str:
    return (f'<TEI xmlns="{TEI_NS}" {extra_ns}><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>'
            '<publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc></teiHeader>\n'
            f'<text><body>\n{body}\n</body>{back}</text></TEI>')


PERSONS = tei("<listPerson><person xml:id=\"tolbuzin\"><persName>Толбузин</persName></person></listPerson>")
GOOD = '<p>Воевода <persName ref="persons.xml#tolbuzin">Толбузин</persName>.</p>'
CONFIG = "site_name: T\nsite_url: https://example.org/t/\ndocs_dir: source\n"
OWN = '<back><listPerson><person xml:id="x"><persName>{}</persName></person></listPerson></back>'


def inc(href: str, more: str = "") -> str:
    return tei(f'<p>a <xi:include href="{href}"{more}/></p>' + GOOD, XI)


# code -> the files of a project (beside source/tei/persons.xml and text.xml with GOOD) that make
# a build stop with that code; None as content removes the file
CASES: dict[str, dict[str, str | bytes | None]] = {
    "config.yaml": {"mkdocs.yml": "site_name: [unclosed\n"},
    "config.theme": {"mkdocs.yml": CONFIG + "theme:\n  name: materil\n"},
    "config.docs-dir": {"mkdocs.yml": "site_name: T\nsite_url: https://example.org/t/\ndocs_dir: nowhere\n"},
    "config.plugins": {"mkdocs.yml": CONFIG + "plugins: [search]\n"},
    "config.offline": {"mkdocs.yml": CONFIG + "extra_css: [\"https://cdn.example.org/x.css\"]\n"},
    "parse.syntax": {"source/tei/text.xml": tei("<p>open</q>")},
    "parse.empty": {"source/tei/text.xml": ""},
    "parse.binary": {"source/tei/text.xml": b"\x00\x01binary"},
    "parse.encoding": {"source/tei/text.xml": tei("<p>café</p>").encode("latin-1")},
    "parse.too-deep": {"source/tei/text.xml": tei("<p>" + "<hi>" * 120 + "x" + "</hi>" * 120 + "</p>")},
    "parse.too-large": {"source/tei/text.xml": tei("<p>" + "x" * (51 * 2**20) + "</p>")},
    "tei.namespace": {"source/tei/text.xml": "<TEI><text><body><p>x</p></body></text></TEI>"},
    "id.duplicate": {"source/tei/text.xml": tei('<p xml:id="a">x</p>\n<p xml:id="a">y</p>' + GOOD)},
    "ref.unresolved": {"source/tei/text.xml": tei('<p><persName ref="#tolbuzn">Т</persName></p>' + GOOD)},
    "ref.ambiguous": {"source/tei/a.xml": tei('<p><persName ref="#x">a</persName></p>', back=OWN.format("Анна")),
                      "source/tei/b.xml": tei('<p><persName ref="#x">b</persName></p>', back=OWN.format("Борис")),
                      "source/tei/text.xml": tei('<p><persName ref="#x">c</persName></p>' + GOOD)},
    "date.invalid": {"source/tei/text.xml": tei('<p><date when="1689-02-30">x</date></p>' + GOOD)},
    "date.order": {"source/tei/text.xml": tei('<p><date notBefore="1689-03-01" notAfter="1689-01-01">x</date></p>'
                                              + GOOD)},
    "xinclude.url": {"source/tei/text.xml": inc("http://127.0.0.1:9/x.xml")},
    "xinclude.absolute": {"source/tei/text.xml": inc("/etc/passwd")},
    "xinclude.outside": {"source/tei/text.xml": inc("../../../../../../../../etc/passwd")},
    "xinclude.missing": {"source/tei/text.xml": inc("missing.xml")},
    "xinclude.invalid": {"source/tei/text.xml": inc("persons.xml", ' parse="html"')},
    "xinclude.xpointer": {"source/tei/text.xml": inc("persons.xml", ' xpointer="element(/1)"')},
    "xinclude.loop": {"source/tei/text.xml": inc("text.xml", ' parse="xml"')},
    "xinclude.too-many": {"source/tei/text.xml": tei("<p>" + '<xi:include href="part.xml"/>' * 1001 + "</p>" + GOOD,
                                                     XI),
                          "source/tei/part.xml": f'<seg xmlns="{TEI_NS}">w</seg>'},
    "models.yaml": {"templates/models.yml": "p: [{behaviour: paragraph}\nhi: [{behaviour: inline}]\n"},
    "models.syntax": {"templates/models.yml": "p: [42]\n"},
    "models.behaviour": {"templates/models.yml": "hi: [{behaviour: sparkle}]\n"},
    "models.xpath": {"templates/models.yml": "hi:\n  - {when: \"@rend=\", behaviour: inline}\n"
                                             "  - {behaviour: inline}\n"},
    "models.order": {"templates/models.yml": "list:\n  - {behaviour: block}\n"
                                             "  - {when: \"@type='ordered'\", behaviour: block}\n"},
    "models.ambiguous": {"templates/models.yml": "seg: [{behaviour: block}]\nseg: [{behaviour: omit}]\n"},
    "models.core": {"templates/models.yml": "p: []\n"},
    "models.mode": {"templates/models.yml": "hi: {mode: change, models: [{behaviour: inline}]}\n"},
    "template.header": {"templates/behaviours/inline.html": "{#- teisite: {sparkles: true} -#}\n{{ content }}\n"},
    # the finding: a template's syntax error, which only a build found
    "template.error": {"templates/behaviours/paragraph.html":
                       "{#- teisite: {numbers: passage, block: true} -#}\n<p>{{ content }</p>\n"},
}
# a page template that fails only while rendering, and one with a syntax error: build found both
MORE = {
    "template.error (page, syntax)": ("template.error", {"templates/pages/entry.html": "{% if %}\n"}),
    "template.error (page, rendering)": ("template.error", {"templates/pages/home.html":
                                                            "{{ nothing.there.at_all }}\n"}),
}
ONLY_WITH_SCHEMA = {"config.schema", "schema.invalid"}  # check --schema's own: build never validates


def error_codes() -> set[str]:
    """The codes teisite's source reports as errors: a code whose report is an `error`/`error_at`
    call, or a `fail`/`fallback` (xinclude's errors), or stands beside `"error"`."""
    found = set()
    for path in (REPO / "teisite").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        for m in re.finditer(r'"([a-z]+\.[a-z-]+)"', source):
            before = source[max(0, m.start() - 700):m.start()]
            calls = re.findall(r'\.(error_at|warning_at|info_at|error|warning|info|fail|fallback)\(|"(error|warning)"',
                               before)
            if calls and (calls[-1][0] in ("error_at", "error", "fail", "fallback") or calls[-1][1] == "error"):
                found.add(m.group(1))
    return found - {"models.yml"}


def test_every_error_code_has_a_case():
    codes = error_codes()
    assert len(codes) > 30, sorted(codes)
    missing = sorted(codes - set(CASES) - ONLY_WITH_SCHEMA)
    assert not missing, f"error codes without a case here: {missing}"


def make(tmp_path: Path, files: dict) -> Path:
    root = tmp_path / "proj"
    (root / "source" / "tei").mkdir(parents=True)
    (root / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    (root / "source" / "tei" / "persons.xml").write_text(PERSONS, encoding="utf-8")
    (root / "source" / "tei" / "text.xml").write_text(tei(GOOD), encoding="utf-8")
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".teisite-cache" not in p.parts}


@pytest.mark.parametrize("code, files", [*CASES.items(), *MORE.values()], ids=[*CASES, *MORE])
def test_what_stops_a_build_stops_check_with_the_same_words(tmp_path, capsys, code, files):
    root = make(tmp_path, files)
    before = tree(root)
    assert main(["build", str(root), "--no-cache"]) == 1
    built = capsys.readouterr()
    said = [line for line in (built.out + built.err).splitlines() if f"[{code}]" in line]
    assert said, built.out + built.err
    assert tree(root) == before  # nothing written

    assert main(["check", str(root), "--no-cache"]) == 1
    checked = capsys.readouterr()
    assert checked.out.rstrip().splitlines()[-1].startswith(tuple(f"{n} error" for n in range(1, 2000)))
    for line in said:
        assert line in checked.out.splitlines(), f"{line}\nnot in\n{checked.out}"
    assert tree(root) == before
