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


def versioned(changes: str) -> str:
    """A text of version 1.0 (editionStmt) with these revisionDesc changes."""
    return tei(GOOD).replace("<publicationStmt>", '<editionStmt><edition n="1.0"><date when="2026-01-01"/>'
                             "</edition></editionStmt><publicationStmt>").replace(
        "</teiHeader>", f"<revisionDesc>{changes}</revisionDesc></teiHeader>")


V10 = '<change when="2026-01-01" n="1.0">first</change>'
V09 = '<change when="2025-01-01" n="0.9">earlier</change>'


def inc(href: str, more: str = "") -> str:
    return tei(f'<p>a <xi:include href="{href}"{more}/></p>' + GOOD, XI)


# code -> the files of a project (beside source/tei/persons.xml and text.xml with GOOD) that make
# a build stop with that code; None as content removes the file
CASES: dict[str, dict[str, str | bytes | None]] = {
    "config.yaml": {"mkdocs.yml": "site_name: [unclosed\n"},
    "config.theme": {"mkdocs.yml": CONFIG + "theme:\n  name: materil\n"},
    "config.docs-dir": {"mkdocs.yml": "site_name: T\nsite_url: https://example.org/t/\ndocs_dir: nowhere\n"},
    "config.plugins": {"mkdocs.yml": CONFIG + "plugins: [search]\n"},
    "config.codes": {"mkdocs.yml": CONFIG + "plugins: [{teisite: {ignore: [entry.unusd]}}]\n"},
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
    "date.method": {"source/tei/text.xml": tei('<p><date datingMethod="#nowhere" when-custom="7197-08-27">x</date></p>'
                                               + GOOD)},
    "date.era": {"source/tei/text.xml": tei('<p><date datingMethod="#byzantine" when-custom="1689-08-27">x</date></p>'
                                            + GOOD)},
    "date.disagree": {"source/tei/text.xml": tei('<p><date datingMethod="#julian" when="1689-08-23" '
                                                 'when-custom="1689-08-12">x</date></p>' + GOOD)},
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
    "version.duplicate": {"source/tei/text.xml": versioned(V10 + V10.replace("first", "again"))},
    "version.missing": {"source/tei/text.xml": versioned(V10), "versions/0.8/tei/a.xml": tei(GOOD)},
    "version.current": {"source/tei/text.xml": versioned(V10), "versions/1.0/tei/a.xml": tei(GOOD)},
    "version.empty": {"source/tei/text.xml": versioned(V10 + V09), "versions/0.9/README": "nothing"},
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
# not a build's: `teisite ids`' own (it rewrites xml:ids; build never does), and a git tag that is
# not a version (this test's projects are no git repositories)
NOT_BUILDS = {"ids.collision", "ids.encoding", "ids.unmatched", "version.tag"}


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
    from teisite.diagnostics import known_codes
    return found & known_codes()  # (not file names such as models.yml or build.py)


def test_every_error_code_has_a_case():
    codes = error_codes()
    assert len(codes) > 30, sorted(codes)
    missing = sorted(codes - set(CASES) - ONLY_WITH_SCHEMA - NOT_BUILDS)
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


# --- --select, --ignore, the summary by code, `entries: mentioned` (issue 27 item 3) -------------

PLACES = tei('<listPlace><place xml:id="albazin"><placeName>Албазин</placeName>'
             '<location><geo>53.39 124.08</geo></location></place>'
             '<place xml:id="nowhere"><placeName>Нигде</placeName><location><geo>91 200</geo></location></place>'
             '<place xml:id="aigun"><placeName>Айгунь</placeName></place></listPlace>')
NAMED = GOOD + '<p>В <placeName ref="places.xml#albazin">Албазине</placeName>.</p>'
NOISY = {"source/tei/places.xml": PLACES, "source/tei/text.xml": tei(NAMED),
         "source/tei/persons.xml": tei('<listPerson><person xml:id="tolbuzin"><persName>Толбузин</persName></person>'
                                       '<person xml:id="beiton"><persName>Бейтон</persName></person></listPerson>')}


def codes_in(out: str) -> list[str]:
    return sorted(re.findall(r"\[([a-z]+\.[a-z-]+)\]$", out, re.MULTILINE))


def test_check_ignores_and_selects_codes_and_families(tmp_path, capsys):
    root = make(tmp_path, NOISY)
    assert main(["check", str(root)]) == 0
    everything = capsys.readouterr().out
    assert codes_in(everything) == ["entry.geo", "entry.unused", "entry.unused", "entry.unused"]
    assert "by code: entry.unused 3 warnings; entry.geo 1 warning" in everything
    assert main(["check", str(root), "--ignore", "entry.unused"]) == 0
    assert codes_in(capsys.readouterr().out) == ["entry.geo"]
    assert main(["check", str(root), "--select", "entry.unused", "--ignore", "entry.geo"]) == 0
    assert codes_in(capsys.readouterr().out) == ["entry.unused"] * 3
    assert main(["check", str(root), "--ignore", "entry."]) == 0
    assert capsys.readouterr().out.strip() == "0 errors, 0 warnings"


def test_an_ignored_error_does_not_stop_the_build_but_a_fatal_one_does(tmp_path, capsys):
    root = make(tmp_path, {"source/tei/text.xml": tei('<p><persName ref="#nobody">X</persName></p>' + GOOD)})
    assert main(["build", str(root)]) == 1
    capsys.readouterr()
    assert main(["build", str(root), "--ignore", "ref.unresolved"]) == 0
    assert "[ref.unresolved]" not in capsys.readouterr().err
    assert (root / "site" / "index.html").exists()
    broken = make(tmp_path / "b", {"source/tei/text.xml": "<TEI"})
    assert main(["check", str(broken), "--ignore", "parse."]) == 1
    assert "[parse.syntax]" in capsys.readouterr().out


def test_mkdocs_yml_selects_and_the_command_line_wins(tmp_path, capsys):
    root = make(tmp_path, {**NOISY, "mkdocs.yml": CONFIG + "plugins: [{teisite: {ignore: [entry.unused]}}]\n"})
    assert main(["check", str(root)]) == 0
    assert codes_in(capsys.readouterr().out) == ["entry.geo"]
    assert main(["build", str(root)]) == 0
    assert codes_in(capsys.readouterr().err) == ["entry.geo"]
    assert main(["check", str(root), "--ignore", "entry.geo"]) == 0  # instead of mkdocs.yml's
    assert codes_in(capsys.readouterr().out) == ["entry.unused"] * 3


@pytest.mark.parametrize("command", ["build", "check"])
def test_an_unknown_code_is_one_line_and_nothing_is_written(tmp_path, capsys, command):
    root = make(tmp_path, {})
    before = tree(root)
    assert main([command, str(root), "--select", "entry.unused,entry.unusd"]) == 2
    said = capsys.readouterr()
    assert said.out == "" and len(said.err.splitlines()) == 1
    assert said.err.startswith("error: --select entry.unusd: no such problem code")
    assert tree(root) == before and not (root / "site").exists()


def test_entries_mentioned_publishes_only_what_the_texts_name(tmp_path, capsys):
    root = make(tmp_path, NOISY)
    assert main(["build", str(root)]) == 0
    capsys.readouterr()
    site = root / "site"
    assert (site / "persons" / "beiton" / "index.html").exists()  # by default every entry has its page
    assert (site / "places" / "aigun" / "index.html").exists()
    (root / "mkdocs.yml").write_text(CONFIG + "plugins: [{teisite: {entries: mentioned}}]\n",
                                     encoding="utf-8")
    assert main(["build", str(root)]) == 0
    said = capsys.readouterr().err
    for gone in ("persons/beiton", "places/aigun", "places/nowhere"):
        assert not (site / gone).exists(), gone
    assert (site / "persons" / "tolbuzin" / "index.html").exists()
    assert (site / "places" / "albazin" / "index.html").exists()
    assert "Бейтон" not in (site / "persons" / "index.html").read_text(encoding="utf-8")
    (line,) = [ln for ln in said.splitlines() if "[entry.unused]" in ln]
    assert ": info: 3 entries of the registers are never mentioned in the texts and not published" in line
    assert "[entry.geo]" not in said  # the unpublished place's coordinates are nobody's concern
    assert "Нигде" not in (site / "map" / "index.html").read_text(encoding="utf-8")
