"""A project's MkDocs configuration: a short mkdocs.yml merged over teisite's defaults, what the user
writes winning; located errors for what cannot build or would load from other hosts; the output
folder's limits. A site built from a one-line mkdocs.yml requests nothing from other hosts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import build_site, serve
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError

from teisite.project import ConfigError, find_project, mkdocs_config, site_dir_problem

TEI = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>{title}</title>'
       '</titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc>'
       '</teiHeader><text><body>{body}</body></text></TEI>')
TEXT = TEI.format(title="A letter", body='<p>Written by <persName ref="#anna">Anna</persName> in '
                  '<placeName ref="#moscow">Moscow</placeName>, <date when="1689-08-27">27 August '
                  '1689</date>.</p>')
REGISTER = TEI.format(title="Register", body='<listPerson><person xml:id="anna"><persName>Anna</persName>'
                      '</person></listPerson><listPlace><place xml:id="moscow"><placeName>Moscow'
                      '</placeName></place></listPlace>')


def make(tmp_path: Path, config: str | None = "site_name: My edition\n", docs: str = "source",
         about: bool = True) -> Path:
    root = tmp_path / "proj"
    (root / docs / "tei").mkdir(parents=True)
    (root / docs / "tei" / "letter.xml").write_text(TEXT, encoding="utf-8")
    (root / docs / "tei" / "register.xml").write_text(REGISTER, encoding="utf-8")
    if about:
        (root / docs / "about.md").write_text("# About this edition\n\nMade for the tests.\n",
                                              encoding="utf-8")
    if config is not None:
        (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    return root


def config_of(root: Path, **kwargs):
    return mkdocs_config(find_project(root), **kwargs)


def problem(root: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        config_of(root)
    (d,) = caught.value.diagnostics.items
    return str(d)


def test_one_line_config_gets_the_rest_from_teisite(tmp_path):
    root = make(tmp_path)
    config = config_of(root)
    assert config.site_name == "My edition"
    assert config.docs_dir == str(root / "source")
    assert config.site_dir == str(root / "site")
    assert config.theme.name == "material" and config.theme["font"] is False
    assert config.theme["language"] == "en"
    assert list(config.plugins) == ["teisite"]  # its search (Pagefind) replaces the theme's
    assert {"attr_list", "md_in_html", "toc"} <= set(config.markdown_extensions)
    assert config.plugins["teisite"].config.strict is True, "a project with mkdocs.yml is strict"


def test_what_the_user_writes_wins(tmp_path):
    root = make(tmp_path, "site_name: Mine\n"
                          "theme:\n  language: ru\n  features: [navigation.tabs]\n"
                          "plugins:\n  - teisite:\n      strict: false\n"
                          "markdown_extensions: [toc]\n")
    config = config_of(root)
    # a mapping is merged key by key: the user's language and features, teisite's name and font
    assert config.theme.name == "material" and config.theme["font"] is False
    assert config.theme["language"] == "ru" and config.theme["features"] == ["navigation.tabs"]
    # a list is the user's whole: no search here, and teisite with the user's options
    assert list(config.plugins) == ["teisite"] and config.plugins["teisite"].config.strict is False
    assert "attr_list" not in config.markdown_extensions


@pytest.mark.parametrize("listed, told", [("[search, teisite]", True), ("[material/search, teisite]", True),
                                           ("[teisite]", False), ("[search, {teisite: {search: false}}]", False)])
def test_a_listed_theme_search_that_teisite_replaces_is_a_notice(tmp_path, listed, told):
    """The starter listed `- search`, and teisite replaced it with its own search without a word."""
    root = make(tmp_path, f"site_name: Mine\nplugins: {listed}\n")
    found = [d for d in config_of(root).plugins["teisite"].config_diagnostics.items if d.code == "config.search"]
    assert [(d.severity, d.line) for d in found] == ([("info", 2)] if told else [])
    if told:
        assert "remove `- search`, or set `teisite: {search: false}`" in found[0].message


def test_lang_is_a_short_way_to_say_the_themes_language(tmp_path):
    config = config_of(make(tmp_path, "site_name: Издание\nlang: ru\n"))
    assert config.theme["language"] == "ru"


def test_mkdocs_inherit_is_read_before_the_merge(tmp_path):
    """MkDocs' own `INHERIT` still works: the project's chain first, then over teisite's defaults."""
    root = make(tmp_path, "INHERIT: shared.yml\nsite_name: Mine\n")
    (root / "shared.yml").write_text("theme: {language: ru}\nsite_url: https://example.org/\n")
    config = config_of(root)
    assert config.theme["language"] == "ru" and config.theme["font"] is False
    assert config.site_url == "https://example.org/" and config.site_name == "Mine"


def test_docs_dir_is_docs_when_there_is_no_source(tmp_path):
    root = make(tmp_path, docs="docs")
    assert config_of(root).docs_dir == str(root / "docs")


def test_relative_paths_resolve_against_the_project_not_the_working_folder(tmp_path, monkeypatch):
    root = make(tmp_path, "site_name: X\ndocs_dir: pages\nwatch: [notes]\n", docs="pages")
    (root / "notes").mkdir()
    (root / "templates").mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    config = config_of(root)
    assert config.docs_dir == str(root / "pages") and config.watch == [str(root / "notes")]
    assert config.config_file_path == str(root / "mkdocs.yml")
    assert config.plugins["teisite"].config.templates == str(root / "templates"), \
        "templates/ beside mkdocs.yml is the project's own, unless it says otherwise"


def test_a_folder_of_tei_alone_is_lenient_and_builds_into_its_own_site(tmp_path):
    folder = tmp_path / "my_letters"
    folder.mkdir()
    (folder / "letter.xml").write_text(TEXT, encoding="utf-8")
    config = config_of(folder)
    assert config.site_name == "My letters" and config.docs_dir == str(folder)
    assert config.site_dir == str(folder / "site")
    assert config.plugins["teisite"].config.strict is False
    assert config.exclude_docs.match_file("site/letter.xml"), "an earlier build is not a source"
    assert config_of(folder, strict=True).plugins["teisite"].config.strict is True


def test_lenient_on_the_command_line_wins_over_mkdocs_yml(tmp_path):
    assert config_of(make(tmp_path), strict=False).plugins["teisite"].config.strict is False


@pytest.mark.parametrize("text, where, code", [
    ("site_name: [unclosed\n", ":2:1: error: not valid YAML: while parsing a flow sequence", "config.yaml"),
    ("site_name: X\n  nested: wrongly\n", ":2:9: error: not valid YAML", "config.yaml"),
    ("- site_name\n", ":1:1: error: mkdocs.yml must be a mapping", "config.yaml"),
    ("site_name: X\ntheme:\n  name: materil\n", ":3:9: error: unknown theme `materil`", "config.theme"),
    ("site_name: X\ndocs_dir: nowhere\n", ":2:11: error: docs_dir `nowhere` does not exist", "config.docs-dir"),
    ("site_name: X\ntheme: mkdocs\n", ":2:8: error: the `mkdocs` theme loads highlight.js from a CDN",
     "config.offline"),
    ("site_name: X\ntheme: {name: readthedocs}\n", ":2:15: error: the `readthedocs` theme", "config.offline"),
    ("site_name: X\ntheme:\n  font:\n    text: Roboto\n",
     ":4:5: error: Material loads Google Fonts unless told not to; add `font: false`", "config.offline"),
    ("site_name: X\nextra_css:\n  - css/mine.css\n  - https://cdn.example.org/x.css\n",
     ":4:5: error: `https://cdn.example.org/x.css` is loaded from another host", "config.offline"),
    ("site_name: X\nextra_javascript: ['//cdn.example.org/x.js']\n",
     ":2:20: error: `//cdn.example.org/x.js` is loaded from another host", "config.offline"),
    ("site_name: X\nextra:\n  analytics: {provider: google, property: G-1}\n",
     ":3:14: error: `extra.analytics` loads a tracker", "config.offline"),
    ("site_name: X\nplugins: [search]\n", ":2:10: error: `plugins` does not list teisite; add `- teisite`",
     "config.plugins"),
])
def test_a_config_that_cannot_build_offline_is_one_located_error(tmp_path, text, where, code):
    root = make(tmp_path, text)
    line = problem(root)
    assert line.startswith(str(root / "mkdocs.yml") + where), line
    assert line.endswith(f"[{code}]") and "\n" not in line


def test_no_source_folder_says_what_to_make(tmp_path):
    root = tmp_path / "proj"
    root.mkdir()
    (root / "mkdocs.yml").write_text("site_name: X\n", encoding="utf-8")
    line = problem(root)
    assert line.startswith(f"{root / 'mkdocs.yml'}:1:1: error: no docs_dir: there is no `source/`")
    assert "`source/tei/`" in line and line.endswith("[config.docs-dir]")


def test_mkdocs_own_warnings_are_located_warnings(tmp_path):
    config = config_of(make(tmp_path, "site_name: X\nsite_nmae: Y\n"))
    (w,) = config.plugins["teisite"].config_diagnostics.items
    assert str(w).startswith(f"{tmp_path / 'proj' / 'mkdocs.yml'}:2:12: warning: site_nmae: Unrecognised")


def test_the_plugin_refuses_a_cdn_theme_when_mkdocs_runs_it(tmp_path):
    """`mkdocs build` with `plugins: [teisite]` reads mkdocs.yml itself: the plugin says it."""
    root = make(tmp_path, "site_name: X\ndocs_dir: source\ntheme: mkdocs\nplugins: [teisite]\n")
    config = load_config(config_file=str(root / "mkdocs.yml"))
    with pytest.raises(PluginError, match=r"theme\.name: the `mkdocs` theme loads highlight\.js from a CDN"):
        config.plugins.on_config(config)


@pytest.mark.parametrize("out, says", [
    ("source", "is the project's source folder"),
    (".", "is the project folder"),
    ("..", "holds the project's source folder"),
    ("source/..", "is the project folder"),
    ("source/site", "is inside the project's source folder"),
])
def test_an_output_that_is_or_holds_the_sources_is_refused(tmp_path, out, says):
    root = make(tmp_path)
    project = find_project(root, root / out)
    assert says in site_dir_problem(project, mkdocs_config(project), project.site_dir)


def test_an_output_beside_the_sources_is_fine(tmp_path):
    root = make(tmp_path)
    for out in (root / "site", tmp_path / "elsewhere", root / "public"):
        project = find_project(root, out)
        assert site_dir_problem(project, mkdocs_config(project), project.site_dir) is None


@pytest.mark.browser
def test_a_one_line_config_site_requests_nothing_from_other_hosts(tmp_path, page):
    """The whole site of `site_name: …` (Material, search, a text, indexes, entries, an own page),
    in Chromium: every request it makes goes to the server it came from."""
    root = make(tmp_path, "site_name: Letters\n")
    site = build_site(root, root / "site")
    server, url = serve(site)
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        for path in ("", "texts/", "texts/letter/", "persons/anna/", "places/", "chronology/", "about/"):
            page.goto(url + path)
            page.wait_for_load_state("networkidle")
        page.goto(url + "texts/letter/")
        page.keyboard.press("/")  # Material's search: its worker and index load now
        box = page.locator("input.md-search__input")
        box.fill("Moscow")
        box.press("End")  # fill() sends no key events; Material searches on key-up
        page.wait_for_selector(".md-search-result__item", timeout=10_000)
        nav = page.locator(".md-nav__link").all_inner_texts()
    finally:
        server.shutdown()
    assert not errors, errors
    assert any("/pagefind/" in u for u in requests), "search was used (teisite's Pagefind index)"
    foreign = [u for u in requests if not re.match(r"(https?://127\.0\.0\.1[:/]|data:|blob:)", u)]
    assert not foreign, foreign
    assert any("About this edition" in t for t in nav), "the project's own page is in the nav"
