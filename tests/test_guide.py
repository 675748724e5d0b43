"""The editor's guide (source/guide/): both languages, and every example in it works as written.

TEI examples are put into a project (text fragments into a text, register fragments into a
register file) that must check clean and be valid TEI; table examples are merged into teisite's
table without a problem; `teisite …` commands are run in order in a fresh folder.
"""

from __future__ import annotations

import gzip
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO

from teisite.diagnostics import Diagnostics
from teisite.models import load_table
from teisite.render import DEFAULT_TEMPLATES, behaviour_names

GUIDE = REPO / "source" / "guide"
PAGES = {"ru": GUIDE / "index.md", "en": GUIDE / "en.md"}
# the reference pages (English), moved out of the README (issue 27)
REFERENCE = {"user": GUIDE / "user.md", "templates": GUIDE / "templates.md", "development": GUIDE / "development.md"}
README = REPO / "README.md"
TEI = ('<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="{lang}"><teiHeader><fileDesc><titleStmt>'
       '<title>{title}</title></titleStmt><publicationStmt><p>Guide example</p></publicationStmt>'
       '<sourceDesc><p>Written for the guide.</p></sourceDesc></fileDesc>{extra}</teiHeader>'
       '<text><body>\n{body}\n</body></text></TEI>')
CALENDARS = ('<encodingDesc><p/></encodingDesc><profileDesc><calendarDesc><calendar xml:id="julian">'
             '<p>Julian</p></calendar></calendarDesc></profileDesc>')


def blocks(page: Path, lang: str) -> list[str]:
    """The code blocks of one language (```lang ... ```) of a page, in order."""
    return re.findall(rf"^```{lang}\n(.*?)^```", page.read_text(encoding="utf-8"), re.DOTALL | re.MULTILINE)


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "build.py"), *args], cwd=cwd, check=False,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("lang", PAGES)
def test_each_page_links_to_the_other(lang):
    other = {"ru": "en.md", "en": "index.md"}[lang]
    assert f"]({other})" in PAGES[lang].read_text(encoding="utf-8")


def test_the_guide_is_in_the_sites_navigation():
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert "guide/index.md" in config and "guide/en.md" in config
    for page in REFERENCE.values():
        assert f"guide/{page.name}" in config


@pytest.mark.parametrize("lang", PAGES)
def test_the_editors_guide_links_the_reference_pages(lang):
    text = PAGES[lang].read_text(encoding="utf-8")
    for page in REFERENCE.values():
        assert f"]({page.name})" in text


def test_the_readme_fits_on_a_screen_and_links_the_guide():
    """Issue 27: at most ~150 lines; every relative link it has leads to a file of the repository,
    among them each page of the guide."""
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 150
    links = re.findall(r"\]\((?!https?://)([^)#]+)\)", text)
    missing = [link for link in links if not (REPO / link).exists()]
    assert not missing
    for page in [*PAGES.values(), *REFERENCE.values()]:
        assert str(page.relative_to(REPO)) in links
    assert "bench/RESULTS.md" in links
    assert "<this repository>" not in text and "git clone https://" in text


@pytest.mark.parametrize("lang", PAGES)
def test_the_tei_examples_check_clean_and_are_valid(lang, tmp_path):
    examples = blocks(PAGES[lang], "xml")
    texts = [b for b in examples if b.lstrip().startswith("<p")]
    registers = [b for b in examples if b.lstrip().startswith("<list")]
    assert texts and registers and len(texts) + len(registers) == len(examples)
    folder = tmp_path / "tei"
    folder.mkdir()
    (folder / "text.xml").write_text(TEI.format(lang=lang, title="Text", extra=CALENDARS,
                                                body="\n".join(texts)), encoding="utf-8")
    (folder / "persons.xml").write_text(TEI.format(lang=lang, title="Registers", extra="",
                                                   body="<p/>").replace(
        "</text>", "</text><standOff>" + "\n".join(registers) + "</standOff>"), encoding="utf-8")
    result = run("check", str(folder), cwd=tmp_path)
    assert result.returncode == 0 and "0 errors, 0 warnings" in result.stdout, result.stdout + result.stderr
    valid = run("check", str(folder), "--schema", cwd=tmp_path)
    assert valid.returncode == 0 and "[schema." not in valid.stdout, valid.stdout + valid.stderr


def yaml_examples(lang: str) -> dict[str, list[str]]:
    """The YAML examples of a page by the file they stand for (their first line: `# name`)."""
    out: dict[str, list[str]] = {}
    for block in blocks({**PAGES, **REFERENCE}[lang], "yaml"):
        first = block.splitlines()[0]
        assert first.startswith("# "), f"a YAML example says which file it is: {block}"
        out.setdefault(first[2:].strip(), []).append(block)
    return out


@pytest.mark.parametrize("lang", [*PAGES, "templates"])
def test_the_table_examples_merge_cleanly(lang, tmp_path):
    examples = yaml_examples(lang)["templates/models.yml"]
    for i, example in enumerate(examples):
        path = tmp_path / f"models-{i}.yml"
        path.write_text(example, encoding="utf-8")
        diags = Diagnostics()
        load_table([DEFAULT_TEMPLATES / "models.yml", path], behaviour_names([DEFAULT_TEMPLATES]), diags)
        assert not diags.items, diags.format()


@pytest.mark.parametrize("lang", PAGES)
def test_the_publishing_examples_build(lang, tmp_path):
    """The mkdocs.yml example, put into a project made by `new`, builds with its site_url in the
    sitemap; the GitLab job's teisite command, run there, writes the site into public/."""
    examples = yaml_examples(lang)
    assert set(examples) == {"templates/models.yml", "mkdocs.yml", ".gitlab-ci.yml"}
    assert run("new", "edition", "--lang", lang, cwd=tmp_path).returncode == 0
    project = tmp_path / "edition"
    (config,) = examples["mkdocs.yml"]
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    built = run("build", str(project), cwd=tmp_path)
    assert built.returncode == 0 and "[config.site-url]" not in built.stderr, built.stdout + built.stderr
    site_url = yaml.safe_load(config)["site_url"]
    assert site_url in gzip.decompress((project / "site" / "sitemap.xml.gz").read_bytes()).decode()
    (gitlab,) = examples[".gitlab-ci.yml"]
    script = yaml.safe_load(gitlab)["pages"]["script"]
    for line in script:
        if line.startswith("teisite "):
            result = run(*shlex.split(line)[1:], cwd=project)
            assert result.returncode == 0, result.stdout + result.stderr
    assert (project / "public" / "index.html").exists()
    assert yaml.safe_load(gitlab)["pages"]["artifacts"]["paths"] == ["public"]


def test_every_code_teisite_reports_is_explained():
    """Each problem code that teisite's code can report is in the table of both pages."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "teisite").glob("*.py"))
    codes = set(re.findall(r'"((?:parse|tei|models|config|template|id|ref|entry|date|mention|schema|media|xinclude|text|names)'
                           r'\.[a-z-]+)"', source)) - {"models.yml", "entry.html", "text.html"}  # (file names)
    assert len(codes) > 30
    for lang, page in PAGES.items():
        text = page.read_text(encoding="utf-8")
        missing = sorted(c for c in codes if f"`{c}`" not in text)
        assert not missing, f"{lang}: {missing}"


@pytest.mark.parametrize("lang", [*PAGES, "user", "readme"])
def test_the_commands_run_as_written(lang, tmp_path):
    """Each `teisite …` line of a page (the guide's, the user guide's, the README's), in order, in a
    fresh folder (serve is started and stopped)."""
    page = {**PAGES, **REFERENCE, "readme": README}[lang]
    lines = [line.split("#")[0].strip() for b in blocks(page, "sh") for line in b.splitlines()]
    commands = [shlex.split(line) for line in lines if line.startswith("teisite ")]
    assert any(c[1] == "new" for c in commands) and any(c[1] == "build" for c in commands)
    for command in commands:
        args = command[1:]
        if args[0] == "serve":
            continue  # tests/test_serve.py starts the server
        result = run(*args, cwd=tmp_path)
        assert result.returncode == 0, f"{' '.join(command)}:\n{result.stdout}\n{result.stderr}"
