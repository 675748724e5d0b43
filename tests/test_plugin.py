"""The MkDocs plugin across rebuilds (as under `serve`): only what changed is parsed and rendered."""

from __future__ import annotations

from pathlib import Path

from teisite.pages import _render_part as _real_render_part
from teisite.project import find_project, mkdocs_config

HEAD = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>{t}</title>'
        '</titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc>'
        '</teiHeader><text><body>{b}</body></text></TEI>')
REGISTER = HEAD.format(t="Persons", b='<listPerson><person xml:id="anna"><persName>Anna</persName>'
                       '</person><person xml:id="boris"><persName>Boris</persName></person></listPerson>')


def write(folder: Path, name: str, body: str) -> None:
    (folder / name).write_text(HEAD.format(t=name, b=body), encoding="utf-8")


def plugin_for(tmp_path: Path, command: str):
    """(config, plugin) for the folder, told the command as MkDocs' CLI does; under "serve" the
    plugin outlives a build (tests say "build" again at their end)."""
    config = mkdocs_config(find_project(tmp_path, tmp_path.parent / (tmp_path.name + "-site")))
    plugin = config.plugins["teisite"]
    plugin.on_startup(command=command, dirty=False)
    return config, plugin


def render_all(plugin) -> dict[str, object]:
    return {src: plugin.pages.render(src) for src, _ in plugin.pages.sources(has_index=False)}


def test_rebuild_after_one_change_reuses_everything_else(tmp_path):
    (tmp_path / "persons.xml").write_text(REGISTER, encoding="utf-8")
    write(tmp_path, "a.xml", '<p><persName ref="#anna">Anna</persName> wrote.</p>')
    write(tmp_path, "b.xml", '<p><persName ref="#boris">Boris</persName> read.</p>')
    config, plugin = plugin_for(tmp_path, "serve")
    plugin.load(config)
    first, doc_b = render_all(plugin), plugin.edition.texts[1]

    write(tmp_path, "a.xml", '<p><persName ref="#anna">Anna</persName> wrote again.</p>')
    plugin.load(config)
    second = render_all(plugin)

    assert plugin.edition.texts[1] is doc_b, "an unchanged document is not parsed again"
    assert second["texts/b.md"][0] is first["texts/b.md"][0], "nor is its page rendered again"
    assert second["persons/boris.md"][0] is first["persons/boris.md"][0]
    assert "wrote again" in second["texts/a.md"][0]
    assert "wrote again" in second["persons/anna.md"][0], "the entry's context line follows the text"
    plugin.on_startup(command="build", dirty=False)


def test_changed_template_renders_everything_again(tmp_path):
    (tmp_path / "persons.xml").write_text(REGISTER, encoding="utf-8")
    write(tmp_path, "a.xml", '<p><persName ref="#anna">Anna</persName> wrote.</p>')
    templates = tmp_path / "project-templates"
    (templates / "behaviours").mkdir(parents=True)
    (templates / "behaviours" / "paragraph.html").write_text("<p class='mine'>{{ content }}</p>")
    config = mkdocs_config(find_project(tmp_path, tmp_path.parent / (tmp_path.name + "-site")))
    plugin = config.plugins["teisite"]
    plugin.config.templates = str(templates)
    plugin.load(config)
    assert "class='mine'" in render_all(plugin)["texts/a.md"][0]
    (templates / "behaviours" / "paragraph.html").write_text("<p class='yours'>{{ content }}</p>")
    plugin.load(config)
    assert "class='yours'" in render_all(plugin)["texts/a.md"][0]


def test_pages_kept_while_serving_equal_a_fresh_build(tmp_path):
    """Entry pages and the chronology are put together from parts kept per document while
    serving; after a change they must be what a one-off build makes."""
    (tmp_path / "persons.xml").write_text(REGISTER, encoding="utf-8")
    write(tmp_path, "a.xml", '<p><persName ref="#anna">Anna</persName> met <persName ref="#boris">'
          'Boris</persName> on <date when="1689-08-22">22 August</date>.</p>')
    write(tmp_path, "b.xml", '<p><persName ref="#boris">Boris</persName> left on <date '
          'when="1690-01-02">2 January</date>.</p><p><persName ref="#anna">Anna</persName> stayed.</p>')
    config, plugin = plugin_for(tmp_path, "serve")
    plugin.load(config)
    assert 'id="together"' in render_all(plugin)["persons/anna.md"][0]
    write(tmp_path, "a.xml", '<p><persName ref="#anna">Anna</persName> alone, on <date '
          'when="1691-03-04">4 March</date>.</p>')
    plugin.load(config)
    served = render_all(plugin)
    plugin.on_startup(command="build", dirty=False)

    fresh_config, fresh = plugin_for(tmp_path, "build")
    fresh.load(fresh_config)
    assert served == render_all(fresh)
    assert "alone" in served["chronology/index.md"][0] and "22 August" not in served["chronology/index.md"][0]
    assert 'id="together"' not in served["persons/anna.md"][0], "Anna and Boris no longer meet"


def test_unchanged_texts_resolve_again_when_the_registers_change(tmp_path):
    (tmp_path / "persons.xml").write_text(REGISTER, encoding="utf-8")
    write(tmp_path, "a.xml", '<p><persName ref="#carl">Carl</persName> came.</p>')
    write(tmp_path, "b.xml", '<p><persName ref="#carl">Carl</persName> went.</p>')
    config, plugin = plugin_for(tmp_path, "serve")
    diags = plugin.load(config)
    assert [d.code for d in diags.items].count("ref.unresolved") == 2
    (tmp_path / "persons.xml").write_text(REGISTER.replace(
        "</listPerson>", '<person xml:id="carl"><persName>Carl</persName></person></listPerson>'),
        encoding="utf-8")
    diags = plugin.load(config)
    plugin.on_startup(command="build", dirty=False)
    assert "ref.unresolved" not in [d.code for d in diags.items]
    assert [m.resolved for d in plugin.edition.texts for m in d.mentions] == [["carl"], ["carl"]]
    assert len(plugin.edition.entries["carl"].mentions) == 2
    assert 'href="../../persons/carl/"' in render_all(plugin)["texts/b.md"][0]


def _one_off(tmp_path):
    config, plugin = plugin_for(tmp_path, "build")
    plugin.load(config)
    return plugin


def _texts(tmp_path, n=12):
    (tmp_path / "persons.xml").write_text(REGISTER, encoding="utf-8")
    for i in range(n):
        write(tmp_path, f"t{i}.xml", f'<p><persName ref="#anna">Anna</persName> wrote {i}.</p>'
              f'<p><persName ref="#boris">Boris</persName> and <persName ref="#anna">Anna</persName>.</p>')


def test_pages_made_by_workers_equal_pages_made_in_the_build(tmp_path):
    _texts(tmp_path)
    alone = render_all(_one_off(tmp_path))
    plugin = _one_off(tmp_path)
    list(plugin.pages.sources(has_index=False))  # as on_files does before prerender
    plugin.pages.prerender(2)
    assert plugin.pages._ready, "the workers made pages ahead"
    assert render_all(plugin) == alone


_PARENT = [0]


def _stuck_in_workers(pageset, srcs):
    """Stands in for pages._render_part: hangs in a worker, works in the build's process."""
    import os
    import time

    if os.getpid() != _PARENT[0]:
        time.sleep(30)
    return _real_render_part(pageset, srcs)


def test_a_stuck_worker_does_not_stop_the_build(tmp_path, monkeypatch):
    import os
    import time

    from teisite import pages, workers
    _texts(tmp_path)
    alone = render_all(_one_off(tmp_path))
    _PARENT[0] = os.getpid()
    monkeypatch.setattr(pages, "_render_part", _stuck_in_workers)
    monkeypatch.setattr(workers, "WORKER_TIMEOUT", 1)
    plugin = _one_off(tmp_path)
    list(plugin.pages.sources(has_index=False))
    started = time.monotonic()
    plugin.pages.prerender(2)
    assert time.monotonic() - started < 20
    assert render_all(plugin) == alone, "the pages the worker never sent are made by the build"


def test_kept_templates_take_each_builds_language(tmp_path):
    """The compiled templates outlive a build; the words in their macros must not."""
    write(tmp_path, "a.xml", '<p><persName ref="#anna">Anna</persName> on <date when="1689-08-22">'
          'that day</date>.</p>')
    (tmp_path / "persons.xml").write_text(REGISTER, encoding="utf-8")
    config, plugin = plugin_for(tmp_path, "serve")
    made = {}
    for lang in ("ru", "en"):
        plugin.config.lang = lang
        plugin.load(config)
        made[lang] = render_all(plugin)
    plugin.on_startup(command="build", dirty=False)
    plugin.config.lang = None
    assert "22 августа 1689" in made["ru"]["chronology/index.md"][0]
    assert "22 August 1689" in made["en"]["chronology/index.md"][0]
    assert 'aria-label="Абзац 1"' in made["ru"]["persons/anna.md"][0]
    assert 'aria-label="Paragraph 1"' in made["en"]["persons/anna.md"][0]


def test_a_broken_template_while_serving_is_shown_not_raised(tmp_path):
    """While serving, an editor's half-written template must not stop the server: the page says
    where the template fails (file:line), and a one-off build still fails (build.py reports it)."""
    from types import SimpleNamespace

    import pytest
    from jinja2 import TemplateError
    write(tmp_path, "a.xml", "<p><hi>Anna</hi> wrote.</p>")
    (tmp_path / "templates" / "behaviours").mkdir(parents=True)
    (tmp_path / "templates" / "behaviours" / "inline.html").write_text("ok\n{{ no_such_name.attr }}")
    config, plugin = plugin_for(tmp_path, "serve")
    plugin.load(config)
    list(plugin.pages.sources(has_index=False))
    page = SimpleNamespace(file=SimpleNamespace(src_uri="texts/a.md"), meta={})
    html = plugin.on_page_content("", page, config, None)
    assert "teisite-errors" in html and "inline.html:2:1: error: the template failed" in html
    plugin.on_startup(command="build", dirty=False)
    with pytest.raises(TemplateError):
        plugin.on_page_content("", page, config, None)
