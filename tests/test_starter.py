"""`teisite new`: the starter project builds at once in both languages, passes check with nothing to
report, and a folder that is not empty is refused (or, with --force, added to without overwriting)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest
import yaml
from conftest import REPO, build_site

from teisite.commands import main
from teisite.new import LANGS, starter_files
from teisite.wheel import build_wheel

FILES = [".github/workflows/pages.yml", ".gitignore", ".gitlab-ci.yml", "mkdocs.yml", "source/about.md",
         "source/index.md", "source/tei/letter.xml", "source/tei/persons.xml", "source/tei/places.xml"]
WHEEL = f"vendor/{build_wheel()[0]}"   # the running teisite, which the workflows install
SAMPLE = {"en": "sample", "ru": "образец"}
WORDS = {"en": ("Persons", "Places"), "ru": ("Лица", "Места")}
REFS = {"en": {"york", "whitby", "knaresborough", "john-hale", "eleanor-marsh"},
        "ru": {"kazan", "yaroslavl", "nizhny-novgorod", "pavel-lebedev", "anna-sokolova"}}


# what check (like build) says of a new project: only that the site's address is not known yet
SITE_URL_ONLY = ("{}:1:1: warning: no site_url: the sitemap, canonical links and the citations' URLs need "
                 "the address the site will have; add `site_url: https://…/` [config.site-url]\n"
                 "0 errors, 1 warning")


def text_of(path: Path) -> str:
    return " ".join(lxml.html.parse(str(path)).getroot().text_content().split())


@pytest.mark.parametrize("lang", LANGS)
def test_a_new_project_builds_at_once(tmp_path, capsys, lang):
    folder = tmp_path / "edition"
    assert main(["new", str(folder), "--lang", lang]) == 0
    said = capsys.readouterr().out
    made = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    assert made == sorted([*FILES, WHEEL])
    for rel in [*FILES, WHEEL]:
        assert f"  {rel}\n" in said
    assert f"python build.py serve {folder}" in said and f"python build.py build {folder}" in said
    for path in folder.rglob("*"):
        if path.is_file() and path.suffix != ".whl":
            assert "__" not in path.read_text(encoding="utf-8").replace("__init__", ""), path  # all filled

    config = yaml.safe_load((folder / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["theme"] == {"name": "material", "language": lang, "font": False,
                               "features": ["navigation.sections", "search.highlight"]}
    assert config["plugins"] == [{"teisite": {"lang": lang}}]  # teisite's search: no theme's `search`
    assert "site_url" not in config and "# site_url:" in (folder / "mkdocs.yml").read_text(encoding="utf-8")

    site = build_site(folder, tmp_path / "out")
    text = site / "texts" / "letter" / "index.html"
    assert lxml.html.parse(str(text)).getroot().get("lang") == lang
    assert SAMPLE[lang] in text_of(text).lower()  # plainly a sample, on the text page itself
    persons, places = WORDS[lang]
    assert persons in text_of(site / "persons" / "index.html")
    assert places in text_of(site / "places" / "index.html")
    assert SAMPLE[lang] in text_of(site / "about" / "index.html").lower()
    assert (site / "chronology" / "index.html").exists()
    page = lxml.html.parse(str(text)).getroot()
    mentions = page.xpath("//*[contains(concat(' ', @class, ' '), ' mention ')]")
    assert {m.get("data-ref") for m in mentions} >= REFS[lang]
    assert page.xpath("//*[@data-greg]"), "the dates are tagged"


@pytest.mark.parametrize("lang", LANGS)
def test_every_sample_file_passes_check_with_nothing_to_report(tmp_path, capsys, lang):
    main(["new", str(tmp_path / "p"), "--lang", lang])
    capsys.readouterr()
    assert main(["check", str(tmp_path / "p")]) == 0
    assert capsys.readouterr().out.strip() == SITE_URL_ONLY.format(tmp_path / "p" / "mkdocs.yml")


@pytest.mark.skipif(shutil.which("jing") is None, reason="jing is not installed (lxml's RELAX NG is slow)")
@pytest.mark.parametrize("lang", LANGS)
def test_every_sample_file_is_valid_tei(tmp_path, capsys, lang):
    main(["new", str(tmp_path / "p"), "--lang", lang])
    capsys.readouterr()
    assert main(["check", str(tmp_path / "p"), "--schema"]) == 0
    assert capsys.readouterr().out.strip() == SITE_URL_ONLY.format(tmp_path / "p" / "mkdocs.yml")


def test_the_workflow_publishes_on_github_pages(tmp_path, capsys):
    main(["new", str(tmp_path / "p")])
    flow = yaml.safe_load((tmp_path / "p" / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    steps = flow["jobs"]["build"]["steps"]
    uses = [s.get("uses", "").split("@")[0] for s in steps] + \
        [s.get("uses", "").split("@")[0] for s in flow["jobs"]["deploy"]["steps"]]
    assert uses == ["actions/checkout", "actions/setup-python", "", "", "actions/upload-pages-artifact",
                    "actions/deploy-pages"]
    runs = [s["run"] for s in steps if "run" in s]
    assert runs == [f'pip install "./{WHEEL}"', "teisite build ."]
    assert (tmp_path / "p" / WHEEL).is_file()
    assert steps[-1]["with"]["path"] == "site"
    assert flow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    ignored = (tmp_path / "p" / ".gitignore").read_text(encoding="utf-8").split()
    assert "site/" in ignored and ".teisite-cache/" in ignored


def test_an_empty_folder_is_fine(tmp_path, capsys):
    (tmp_path / "p").mkdir()
    assert main(["new", str(tmp_path / "p")]) == 0
    assert (tmp_path / "p" / "mkdocs.yml").exists()


def test_a_folder_that_is_not_empty_is_refused_and_left_as_it_was(tmp_path):
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine\n", encoding="utf-8")
    run = subprocess.run([sys.executable, str(REPO / "build.py"), "new", str(folder)],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 2
    assert run.stdout == ""
    assert len(run.stderr.splitlines()) == 1 and run.stderr.startswith(f"error: {folder} is not empty")
    assert "--force" in run.stderr
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


def test_a_file_is_refused(tmp_path, capsys):
    (tmp_path / "p").write_text("x", encoding="utf-8")
    assert main(["new", str(tmp_path / "p")]) == 2
    assert len(capsys.readouterr().err.splitlines()) == 1


def test_force_adds_what_is_missing_and_overwrites_nothing(tmp_path, capsys):
    folder = tmp_path / "p"
    (folder / "source").mkdir(parents=True)
    mine = {"mkdocs.yml": "site_name: Mine\n", "source/index.md": "# Mine\n", "notes.txt": "mine\n"}
    for rel, content in mine.items():
        (folder / rel).write_text(content, encoding="utf-8")
    assert main(["new", str(folder), "--force"]) == 0
    said = capsys.readouterr().out
    for rel, content in mine.items():
        assert (folder / rel).read_text(encoding="utf-8") == content
    assert "  mkdocs.yml: kept as it was" in said and "  source/index.md: kept as it was" in said
    for rel in FILES:
        assert (folder / rel).exists()
    assert "  source/tei/letter.xml\n" in said


def test_the_starter_is_package_data():
    """What `new` copies lives inside the package, and dot-files travel under another name."""
    import teisite
    package = Path(teisite.__file__).parent
    for lang in LANGS:
        targets = [rel for _, rel in starter_files(lang)]
        assert sorted(targets) == FILES
        for source, _ in starter_files(lang):
            assert package in source.parents and not source.name.startswith(".")


def test_the_gitlab_job_publishes_public_from_the_vendored_wheel(tmp_path, capsys):
    """Issue 27: GitLab Pages too; the job installs the wheel `new` wrote, never a name from an index."""
    main(["new", str(tmp_path / "p")])
    job = yaml.safe_load((tmp_path / "p" / ".gitlab-ci.yml").read_text(encoding="utf-8"))["pages"]
    assert job["script"] == [f'pip install "./{WHEEL}"', "teisite build . --out public"]
    assert job["artifacts"] == {"paths": ["public"]}
    assert "public/" in (tmp_path / "p" / ".gitignore").read_text(encoding="utf-8").split()


def test_force_keeps_a_vendored_wheel(tmp_path, capsys):
    folder = tmp_path / "p"
    (folder / "vendor").mkdir(parents=True)
    (folder / WHEEL).write_bytes(b"mine")
    assert main(["new", str(folder), "--force"]) == 0
    assert f"  {WHEEL}: kept as it was" in capsys.readouterr().out
    assert (folder / WHEEL).read_bytes() == b"mine"
