"""build.py's commands: check's located messages and exit status, safe builds, untouched sources."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, old_sites_gone

TEI = '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>{title}</title>' \
      '</titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc>' \
      '</teiHeader>\n<text><body>\n{body}\n</body></text></TEI>'
REGISTER = TEI.format(title="Persons", body='<listPerson><person xml:id="tolbuzin"><persName>Толбузин'
                      '</persName></person></listPerson>')
MKDOCS = ("site_name: Test\nsite_url: https://example.org/test/\n"
          "theme: {name: material, font: false}\nplugins: [teisite]\n")


def project(tmp_path: Path, text_body: str, strict: bool = True) -> Path:
    root = tmp_path / "proj"
    (root / "source" / "tei").mkdir(parents=True)
    (root / "source" / "tei" / "text.xml").write_text(TEI.format(title="Text", body=text_body),
                                                       encoding="utf-8")
    (root / "source" / "tei" / "persons.xml").write_text(REGISTER, encoding="utf-8")
    if strict:
        (root / "mkdocs.yml").write_text(MKDOCS + "docs_dir: source\n", encoding="utf-8")
    return root


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "build.py"), *args], check=False, capture_output=True,
                          text=True, timeout=300)


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha1(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


GOOD = '<p>Воевода <persName ref="persons.xml#tolbuzin">Толбузин</persName>.</p>'


def test_check_clean_project_reports_nothing(tmp_path):
    result = run("check", str(project(tmp_path, GOOD)))
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip().endswith("0 errors, 0 warnings")


def test_check_names_file_line_column_and_suggests_the_fix(tmp_path):
    body = '<p>x</p>\n<p>Воевода <persName ref="#tolbuzn">Толбузин</persName>.</p>'
    result = run("check", str(project(tmp_path, body)))
    assert result.returncode == 1
    line = next(ln for ln in result.stdout.splitlines() if "[ref.unresolved]" in ln)
    assert line.startswith(str(tmp_path / "proj" / "source" / "tei" / "text.xml") + ":4:")
    col = int(line.split(":")[2])
    assert col == body.splitlines()[1].index("<persName") + 1
    assert ": error: " in line and "did you mean `#tolbuzin` (Толбузин)?" in line
    assert result.stdout.strip().endswith("1 error, 1 warning")  # and tolbuzin is now unused


def test_check_json(tmp_path):
    result = run("check", str(project(tmp_path, '<p><date when="1689-02-30">x</date></p>')),
                 "--format", "json")
    data = json.loads(result.stdout)
    assert result.returncode == 1 and data["errors"] == 1
    (d,) = [d for d in data["diagnostics"] if d["severity"] == "error"]
    assert d["code"] == "date.invalid" and d["line"] == 3 and d["col"] > 0


def test_check_json_has_ends_and_the_related_place(tmp_path):
    body = '<p xml:id="a">x</p>\n<p xml:id="a">y <persname>Толбузин</persname></p>'
    result = run("check", str(project(tmp_path, body)), "--format", "json")
    data = json.loads(result.stdout)
    text = str(tmp_path / "proj" / "source" / "tei" / "text.xml")
    (dup,) = [d for d in data["diagnostics"] if d["code"] == "id.duplicate"]
    assert dup["message"] == 'xml:id "a" is used twice (first at line 3); give one of them another id'
    assert (dup["path"], dup["line"], dup["col"], dup["end_line"], dup["end_col"]) == \
        (text, 4, 1, 4, 1 + len('<p xml:id="a"'))
    assert dup["related"] == {"path": text, "line": 3, "col": 1}
    (typo,) = [d for d in data["diagnostics"] if d["code"] == "models.unknown-element"]
    assert "did you mean `persName`?" in typo["message"] and "models.yml" not in typo["message"]
    col = body.splitlines()[1].index("<persname") + 1
    assert (typo["line"], typo["col"], typo["end_line"], typo["end_col"]) == \
        (4, col, 4, col + len("<persname>"))
    assert all(d["line"] >= 1 and d["col"] >= 1 for d in data["diagnostics"])


def test_check_warns_about_a_nameless_entry(tmp_path):
    root = project(tmp_path, GOOD)
    (root / "source" / "tei" / "persons.xml").write_text(
        REGISTER.replace("<persName>Толбузин</persName>", "<persName/>"), encoding="utf-8")
    result = run("check", str(root))
    assert result.returncode == 0, result.stdout
    (line,) = [ln for ln in result.stdout.splitlines() if "[entry.nameless]" in ln]
    assert line.startswith(str(root / "source" / "tei" / "persons.xml") + ":3:")
    assert 'warning: person entry "tolbuzin" has no name, so it is published under its id' in line
    assert result.stdout.strip().endswith("0 errors, 1 warning")


@pytest.mark.parametrize("content, severity, message, code", [
    ("<TEI><text><body><p>x</p></body></text></TEI>", "error",
     "<TEI> is in no namespace, not TEI's, so this file is left out", "tei.namespace"),
    ('<TEI xmlns="http://example.org/tei"><text/></TEI>', "error",
     '<TEI> is in the namespace "http://example.org/tei", not TEI\'s, so this file is left out',
     "tei.namespace"),
    ("<html><body>x</body></html>", "warning",
     "not a TEI document (its root is <html>), so this file is left out", "tei.not-tei"),
])
def test_a_lenient_check_and_build_list_a_file_left_out(tmp_path, content, severity, message, code):
    """A folder without mkdocs.yml is lenient: the build goes on without the file, and both the
    build and check name it at its root element."""
    folder = tmp_path / "tei"
    folder.mkdir()
    (folder / "a.xml").write_text(TEI.format(title="A", body="<p>x</p>"), encoding="utf-8")
    (folder / "b.xml").write_text(f'<?xml version="1.0"?>\n{content}', encoding="utf-8")
    where = f"{folder / 'b.xml'}:2:1: {severity}: {message}"
    checked = run("check", str(folder))
    assert checked.returncode == (1 if severity == "error" else 0), checked.stdout
    assert any(ln.startswith(where) and ln.endswith(f"[{code}]") for ln in checked.stdout.splitlines()), \
        checked.stdout
    built = run("build", str(folder), "--out", str(tmp_path / "out"))
    assert built.returncode == 0, built.stderr
    assert where in built.stderr
    assert (tmp_path / "out" / "texts" / "a" / "index.html").exists()
    assert not (tmp_path / "out" / "texts" / "b").exists()


@pytest.mark.parametrize("body, code", [
    ('<p><date notBefore="1690" notAfter="1689">x</date></p>', "date.order"),
    ('<p xml:id="a">x</p><p xml:id="a">y</p>', "id.duplicate"),
    ('<p><persName ref="#tolbuzin"/></p>', "mention.empty"),
    ('<p><madeUp>x</madeUp></p>', "models.unknown-element"),
])
def test_check_finds(tmp_path, body, code):
    assert f"[{code}]" in run("check", str(project(tmp_path, body))).stdout


@pytest.mark.parametrize("content, code", [
    (b"", "parse.empty"),
    (b"\x00\x01binary", "parse.binary"),
    ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>é</p></body></text></TEI>'
     .encode("latin-1"), "parse.encoding"),
    (b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>open</body></text></TEI>',
     "parse.syntax"),
    (b"<TEI><text><body><p>x</p></body></text></TEI>", "tei.namespace"),
])
def test_unreadable_files_are_located_errors(tmp_path, content, code):
    root = project(tmp_path, GOOD)
    (root / "source" / "tei" / "bad.xml").write_bytes(content)
    result = run("check", str(root))
    assert result.returncode == 1
    assert any(ln.startswith(str(root / "source" / "tei" / "bad.xml") + ":") and f"[{code}]" in ln
               for ln in result.stdout.splitlines()), result.stdout


def test_failed_build_leaves_old_site_and_sources_untouched(tmp_path):
    root = project(tmp_path, GOOD)
    assert run("build", str(root)).returncode == 0
    site, source = root / "site", root / "source"
    before_site, before_source = digest(site), digest(source)
    assert "texts/text/index.html" in before_site
    (source / "tei" / "text.xml").write_text(TEI.format(title="T", body='<p><persName ref="#nobody">'
                                                         'X</persName></p>'), encoding="utf-8")
    before_source = digest(source)
    result = run("build", str(root))
    assert result.returncode == 1
    assert "[ref.unresolved]" in result.stderr and "unchanged" in result.stderr
    assert digest(site) == before_site
    assert digest(source) == before_source
    assert not [p for p in root.iterdir() if p.name.startswith(".site")], "temporary build left over"


def test_successful_build_replaces_site_and_summarises(tmp_path):
    root = project(tmp_path, GOOD)
    (root / "site").mkdir()
    (root / "site" / "stale.html").write_text("old")
    result = run("build", str(root))
    assert result.returncode == 0, result.stderr
    assert not (root / "site" / "stale.html").exists()
    assert "1 documents, 1 entries, 1 mentions" in result.stdout


def test_bare_folder_builds_leniently_with_out(tmp_path):
    folder = tmp_path / "tei"
    folder.mkdir()
    (folder / "a.xml").write_text(TEI.format(title="A", body='<p><persName ref="#x">X</persName></p>'),
                                  encoding="utf-8")
    before = digest(folder)
    result = run("build", str(folder), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "[ref.unresolved]" in result.stderr
    assert (tmp_path / "out" / "texts" / "a" / "index.html").exists()
    assert (tmp_path / "out" / "a.xml").exists(), "the TEI source is published for download"
    assert digest(folder) == before


def test_missing_project_is_a_clear_error(tmp_path):
    result = run("build", str(tmp_path / "nope"))
    assert result.returncode == 2 and "no such folder" in result.stderr


def test_repository_edition_checks_clean():
    result = run("check")
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip().endswith("0 errors, 0 warnings")


@pytest.mark.skipif(shutil.which("jing") is None, reason="jing is not installed")
def test_check_schema_locates_invalid_tei(tmp_path):
    root = project(tmp_path, '<p><persName ref="persons.xml#tolbuzin">Т</persName><bogus/></p>')
    result = run("check", str(root), "--schema")
    assert "[schema.invalid]" in result.stdout and result.returncode == 1


@pytest.mark.parametrize("template", [
    "ok\n{{ no_such_name.attr }}",                           # an unknown name
    "<p>\n{% for x in %}",                                   # bad syntax
    "<span>\n{{ content | replace(1) }}\n</span>\n",         # a filter called wrongly: TypeError
    "<span>\n{{ t('gap', 1, 2) ~ (1 / 0) }}\n</span>\n",      # any exception: ZeroDivisionError
])
def test_a_broken_template_is_a_located_error(tmp_path, template):
    """A project's own template that fails (an unknown name, bad syntax) is reported at its file
    and line, also when a page worker met it first; the build writes nothing."""
    folder = tmp_path / "tei"
    (folder / "templates" / "behaviours").mkdir(parents=True)
    (folder / "templates" / "behaviours" / "inline.html").write_text(template, encoding="utf-8")
    for i in range(6):
        (folder / f"t{i}.xml").write_text(TEI.format(title=f"T{i}", body=f'<p><hi>text {i}</hi></p>'),
                                          encoding="utf-8")
    result = run("build", str(folder), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    where = f"{folder / 'templates' / 'behaviours' / 'inline.html'}:2:1: error: the template"
    assert where in result.stderr and "[template.error]" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "out").exists()


def test_a_template_failing_for_one_element_names_it_and_its_line(tmp_path):
    """A project's template that raises for one element only (here one `<hi n="7">`, whose @n it
    adds to a number) is reported at the template's line and at that element's line in its TEI
    file, in several texts (each page worker's text is shed to bytes first); nothing is written."""
    folder = tmp_path / "tei"
    (folder / "templates" / "behaviours").mkdir(parents=True)
    (folder / "templates" / "behaviours" / "inline.html").write_text(
        "<span>{{ content }}\n{% if attrs.n is defined %}{{ attrs.n + 1 }}{% endif %}</span>\n", encoding="utf-8")
    for i in range(4):
        body = "<p><hi>fine</hi></p>\n<p>also fine</p>" + ('\n<p>x <hi n="7">fails</hi></p>' if i == 2 else "")
        (folder / f"t{i}.xml").write_text(TEI.format(title=f"T{i}", body=body), encoding="utf-8")
    result = run("build", str(folder), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    template = folder / "templates" / "behaviours" / "inline.html"
    assert f"{template}:2:1: error: the template failed while rendering <hi> of {folder / 't2.xml'}:5: " \
        in result.stderr and "[template.error]" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "out").exists()


@pytest.mark.parametrize("name,template", [
    ("behaviours/inline.html", "<span>\n{{ content | replace(1) }}\n</span>\n"),
    ("pages/entry.html", "{{ e.label }}\n\n{{ e.label | truncate('x') }}\n"),
    ("pages/occurrences.html", "{% macro occurrences(doc, passages, root) %}\n{{ 1 / 0 }}\n{% endmacro %}\n"),
])
def test_any_exception_in_a_template_is_located_at_its_own_line(tmp_path, name, template):
    """Whatever a project's template raises (here a TypeError or a ZeroDivisionError in line 2
    or 3 of a short file), the build names that file and line, never a Python traceback."""
    folder = tmp_path / "tei"
    (folder / "templates" / name).parent.mkdir(parents=True)
    (folder / "templates" / name).write_text(template, encoding="utf-8")
    body = '<p>Воевода <persName ref="#tolbuzin">Толбузин</persName>, <hi>x</hi>.</p>'
    (folder / "text.xml").write_text(TEI.format(title="T", body=body), encoding="utf-8")
    (folder / "persons.xml").write_text(REGISTER, encoding="utf-8")
    result = run("build", str(folder), "--out", str(tmp_path / "out"))
    line = next(i for i, text in enumerate(template.splitlines(), 1) if "|" in text or "/" in text)
    assert result.returncode == 1
    assert f"{folder / 'templates' / name}:{line}:1: error: the template failed while rendering" \
        in result.stderr and "[template.error]" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "out").exists()


def test_a_projects_own_page_macro_is_used(tmp_path):
    """A project's pages/occurrences.html (an entry page's mentions in one document) writes the
    entry pages' lists: what it writes is on the page, and teisite's own rows are not."""
    folder = tmp_path / "tei"
    (folder / "templates" / "pages").mkdir(parents=True)
    (folder / "templates" / "pages" / "occurrences.html").write_text(
        "{% macro occurrences(doc, passages, root) %}<p class=\"own-rows\">{{ doc.title }}: "
        "{{ passages | length }}</p>{% endmacro %}\n", encoding="utf-8")
    (folder / "text.xml").write_text(TEI.format(title="Летопись", body=GOOD.replace("persons.xml", "")),
                                     encoding="utf-8")
    (folder / "persons.xml").write_text(REGISTER, encoding="utf-8")
    result = run("build", str(folder), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "out" / "persons" / "tolbuzin" / "index.html").read_text(encoding="utf-8")
    assert '<p class="own-rows">Летопись: 1</p>' in page and "kwic-table" not in page


# --- a short mkdocs.yml, the output folder, strict or lenient ----------------------------------------

def test_one_line_config_builds_the_whole_site(tmp_path):
    root = project(tmp_path, GOOD, strict=False)
    (root / "mkdocs.yml").write_text("site_name: Letters\n", encoding="utf-8")
    (root / "source" / "about.md").write_text("# About\n\nText.\n", encoding="utf-8")
    result = run("build", str(root))
    assert result.returncode == 0, result.stderr
    site = root / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Letters</title>" in home and 'href="about/"' in home and 'href="persons/"' in home
    assert (site / "pagefind" / "pagefind.js").exists()  # teisite's search (Pagefind)
    assert not [p for p in site.rglob("*.html") if "fonts.googleapis" in p.read_text(encoding="utf-8")]
    warning = f"{root / 'mkdocs.yml'}:1:1: warning: no site_url: the sitemap, canonical links and the " \
              "citations' URLs need"
    assert result.stderr.count(warning) == 1, result.stderr
    assert result.stdout.splitlines()[-1] == f"built {site} with 0 errors, 1 warning"


def test_a_site_url_silences_the_warning_and_fills_the_sitemap(tmp_path):
    root = project(tmp_path, GOOD, strict=False)
    (root / "mkdocs.yml").write_text("site_name: L\nsite_url: https://example.org/letters/\n")
    result = run("build", str(root))
    assert result.returncode == 0 and "site_url" not in result.stderr
    assert result.stdout.splitlines()[-1].startswith(f"built {root / 'site'}: 1 documents")
    assert "<loc>https://example.org/letters/texts/text/</loc>" in (root / "site" / "sitemap.xml").read_text()


def test_a_bad_config_is_one_line_and_changes_nothing(tmp_path):
    root = project(tmp_path, GOOD)
    assert run("build", str(root)).returncode == 0
    before = digest(root)
    (root / "mkdocs.yml").write_text("site_name: X\ntheme:\n  name: material\n  font: {text: Roboto\n")
    before = digest(root)
    result = run("build", str(root))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    first, last = result.stderr.strip().splitlines()
    assert first.startswith(f"{root / 'mkdocs.yml'}:5:1: error: not valid YAML") and \
        first.endswith("[config.yaml]")
    assert last == f"build failed: nothing was written; {root / 'site'} is unchanged"
    assert digest(root) == before


def test_a_folder_of_tei_builds_into_its_own_site_folder(tmp_path):
    """Not into the working folder's site/ (which may be another edition's); and a second build
    neither reads nor publishes the first one's copies of the TEI."""
    folder = tmp_path / "tei"
    folder.mkdir()
    (folder / "a.xml").write_text(TEI.format(title="A", body=GOOD.replace("persons.xml", "")),
                                  encoding="utf-8")
    (folder / "persons.xml").write_text(REGISTER, encoding="utf-8")
    cwd = tmp_path / "work"
    (cwd / "site").mkdir(parents=True)
    for _ in range(2):
        result = subprocess.run([sys.executable, str(REPO / "build.py"), "build", str(folder)], cwd=cwd,
                                check=False, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines()[-1].startswith(f"built {folder / 'site'}: 1 documents, 1 entries")
    assert not list((cwd / "site").iterdir())
    assert old_sites_gone(folder) == ["a.xml", "persons.xml", "site"]
    assert (folder / "site" / "a.xml").exists() and not (folder / "site" / "site").exists()
    assert "no site_url" not in result.stderr, "a folder of TEI alone has no mkdocs.yml to put it in"


def test_the_site_is_world_readable_whatever_the_umask(tmp_path):
    root = project(tmp_path, GOOD)
    command = f'umask 077 && exec "{sys.executable}" "{REPO / "build.py"}" build "{root}"'
    result = subprocess.run(["sh", "-c", command], check=False, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    site = root / "site"
    modes = {oct(p.stat().st_mode & 0o777) for p in [site, *site.rglob("*")] if p.is_dir()}
    assert modes == {"0o755"}
    assert {oct(p.stat().st_mode & 0o777) for p in site.rglob("*") if p.is_file()} == {"0o644"}


def test_a_rebuild_puts_the_new_site_in_place_and_the_old_one_goes(tmp_path):
    """The old site is removed by a process of its own after the swap; it does go."""
    root = project(tmp_path, GOOD)
    assert run("build", str(root)).returncode == 0
    (root / "site" / "stale.txt").write_text("from the first build", encoding="utf-8")
    assert run("build", str(root)).returncode == 0
    assert not (root / "site" / "stale.txt").exists() and (root / "site" / "index.html").exists()
    assert not [name for name in old_sites_gone(root) if name.startswith(".site.old-")]


def test_what_a_killed_build_left_is_cleaned_up(tmp_path):
    root = project(tmp_path, GOOD)
    gone = [root / ".site.new-999999999-x1", root / ".site.old-999999999-123", root / ".site.new-abc"]
    for p in gone:
        (p / "assets").mkdir(parents=True)
    (root / ".site.notes").mkdir()  # not a build's: stays
    assert run("build", str(root)).returncode == 0
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".site")) == [".site.notes"]


@pytest.mark.parametrize("out", ["source", "source/tei", "source/site", ".", ".."])
def test_an_output_folder_that_is_or_holds_the_sources_is_refused(tmp_path, out):
    root = project(tmp_path, GOOD)
    before = digest(tmp_path)
    result = run("build", str(root), "--out", str(root / out))
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"error: the output folder {(root / out).resolve()} ") and \
        line.endswith("give --out another folder (nothing was deleted)")
    assert digest(tmp_path) == before


BAD = '<p><persName ref="#nobody">X</persName><date when="1689-02-30">d</date></p>'


@pytest.mark.parametrize("how, args, reason", [
    ("bare", [], "no mkdocs.yml"),
    ("config", ["--lenient"], "--lenient"),
    ("lenient-config", [], "teisite: {strict: false} in mkdocs.yml"),
])
def test_a_lenient_build_says_so_and_why(tmp_path, how, args, reason):
    root = project(tmp_path, BAD, strict=how != "bare")
    if how == "lenient-config":
        (root / "mkdocs.yml").write_text("site_name: T\nplugins: [{teisite: {strict: false}}]\n"
                                         "site_url: https://example.org/\n")
    (root / "source" / "tei" / "notes.xml").write_text("<notes/>", encoding="utf-8")
    result = run("build", str(root), *args)
    assert result.returncode == 0, result.stderr
    warnings = 2  # the unused tolbuzin, notes.xml
    out = result.stdout.splitlines()
    assert out[-1] == f"built {root / 'site'} with 2 errors, {warnings} warnings (lenient: {reason}; " \
                      "--strict stops on errors)", out
    assert ("left out 1 file (not TEI, or not readable; see above; not published unless the teisite "
            "option `copy` names them): tei/notes.xml") in out


def test_strict_on_the_command_line_stops_a_folder_of_tei(tmp_path):
    root = project(tmp_path, BAD, strict=False)
    result = run("build", str(root), "--strict")
    assert result.returncode == 1 and "[ref.unresolved]" in result.stderr
    assert not (root / "site").exists()


def test_left_out_files_are_counted_and_the_first_named(tmp_path):
    root = project(tmp_path, GOOD, strict=False)
    for name in "abcde":
        (root / "source" / "tei" / f"{name}-notes.xml").write_text("<notes/>", encoding="utf-8")
    result = run("build", str(root))
    assert "left out 5 files (not TEI, or not readable; see above; not published unless the teisite option " \
           "`copy` names them): tei/a-notes.xml, tei/b-notes.xml, " \
           "tei/c-notes.xml and 2 more" in result.stdout


def test_files_left_out_are_not_published_unless_the_project_lists_them(tmp_path):
    root = project(tmp_path, GOOD, strict=False)
    tei = root / "source" / "tei"
    (tei / "notes.xml").write_text("<notes/>", encoding="utf-8")
    (tei / "style.xml").write_text('<xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform" '
                                   'version="1.0"/>', encoding="utf-8")
    assert run("build", str(root)).returncode == 0
    site = root / "site"
    assert not (site / "tei" / "notes.xml").exists() and not (site / "tei" / "style.xml").exists()
    assert (site / "tei" / "text.xml").exists()  # the edition's own files are still there
    (root / "mkdocs.yml").write_text("site_name: T\nsite_url: https://example.org/\ndocs_dir: source\n"
                                     "plugins: [{teisite: {strict: false, copy: ['tei/style.*']}}]\n")
    assert run("build", str(root)).returncode == 0
    assert (site / "tei" / "style.xml").exists() and not (site / "tei" / "notes.xml").exists()


def test_check_lenient_fails_only_on_what_stops_a_lenient_build(tmp_path):
    root = project(tmp_path, BAD)
    assert run("check", str(root)).returncode == 1
    assert run("check", str(root), "--lenient").returncode == 0
    (root / "source" / "tei" / "broken.xml").write_text("<TEI", encoding="utf-8")
    assert run("check", str(root), "--lenient").returncode == 1


def test_check_reports_a_bad_config_located(tmp_path):
    root = project(tmp_path, GOOD)
    (root / "mkdocs.yml").write_text("site_name: X\ntheme: readthedocs\n")
    result = run("check", str(root), "--format", "json")
    data = json.loads(result.stdout)
    assert result.returncode == 1 and data["errors"] == 1
    assert data["diagnostics"][0]["code"] == "config.offline" and data["diagnostics"][0]["line"] == 2


def test_check_schema_before_the_project_names_the_project(tmp_path):
    """`check --schema PROJECT` validates PROJECT against TEI P5 (the flag takes no value)."""
    root = project(tmp_path, '<p><persName ref="persons.xml#tolbuzin">Т</persName><bogus/></p>')
    result = run("check", "--schema", str(root))
    assert "[schema.invalid]" in result.stdout and str(root) in result.stdout, result.stdout + result.stderr
    assert result.returncode == 1


def test_check_schema_file_takes_another_schema(tmp_path):
    root = project(tmp_path, GOOD)
    rng = tmp_path / "only-tei.rng"
    rng.write_text('<grammar xmlns="http://relaxng.org/ns/structure/1.0"><start><element name="x">'
                   '<empty/></element></start></grammar>', encoding="utf-8")
    result = run("check", str(root), "--schema-file", str(rng))
    assert "[schema.invalid]" in result.stdout and "only-tei.rng" in result.stdout, result.stdout


def test_the_teisite_command_without_a_project_means_the_current_folder(tmp_path, monkeypatch, capsys):
    """`teisite check` in a project's folder checks that project (build.py means its checkout)."""
    from teisite.commands import cli
    (tmp_path / "t.xml").write_text(TEI.format(title="T", body="<p><bogus/></p>"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["teisite", "check"])
    with pytest.raises(SystemExit) as ended:
        cli()
    assert ended.value.code == 0  # a folder without mkdocs.yml: lenient, the warning is reported
    assert f"{tmp_path / 't.xml'}:3:4: warning: <bogus>" in capsys.readouterr().out


# --- the untagged-name finder (issue 25) ----------------------------------------------------------

def test_check_proposes_an_untagged_form_of_a_tagged_name(tmp_path):
    """Without its tag, «Нерчинском» (¶9) is proposed at its line, naming the entry; the edition as
    published has no proposal (test_repository_edition_checks_clean)."""
    shutil.copytree(REPO / "source", tmp_path / "source")
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    text = tmp_path / "source" / "tei" / "albazin-nerchinsk.xml"
    xml = text.read_text(encoding="utf-8")
    (tagged,) = re.findall(r'<placeName[^>]*ref="places.xml#nerchinsk"[^>]*>Нерчинском</placeName>', xml)
    text.write_text(xml.replace(tagged, "Нерчинском"), encoding="utf-8")
    line = next(i for i, ln in enumerate(xml.splitlines(), 1) if tagged in ln)
    result = run("check", str(tmp_path))
    found = [ln for ln in result.stdout.splitlines() if "[names.untagged]" in ln]
    assert len(found) == 1, result.stdout
    col = xml.splitlines()[line - 1].index(tagged) + 1
    # (the entry by its label in the interface's language the check's build ended with)
    assert found[0].startswith(f"{text}:{line}:{col}: info: «Нерчинском» is not tagged, but it may "
                               "name the place «"), found
    assert ('», places.xml#nerchinsk: tag it <placeName ref="places.xml#nerchinsk">Нерчинском'
            '</placeName>') in found[0]
    assert result.returncode == 0  # a notice, not a problem


def test_untagged_names_are_silenced_in_the_tei_or_the_config(tmp_path):
    body = ('<p>Воевода <persName ref="persons.xml#tolbuzin">Толбузин</persName>.</p>\n'
            '<p>Пришёл Толбузину указ.</p>\n<p>А <seg type="not-a-name">Толбузиным</seg> звали реку.</p>')
    root = project(tmp_path, body)
    found = [ln for ln in run("check", str(root)).stdout.splitlines() if "[names.untagged]" in ln]
    assert len(found) == 1 and "text.xml:4:11: info: «Толбузину»" in found[0], found
    (root / "mkdocs.yml").write_text(MKDOCS.replace("teisite]", "{teisite: {not_names: [Толбузин]}}]")
                                     + "docs_dir: source\n", encoding="utf-8")
    result = run("check", str(root))
    assert "[names.untagged]" not in result.stdout and result.returncode == 0, result.stdout
