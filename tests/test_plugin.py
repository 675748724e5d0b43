"""The MkDocs plugin across rebuilds (as under `serve`): only what changed is parsed and rendered."""

from __future__ import annotations

from pathlib import Path

from teisite.project import find_project, mkdocs_config

HEAD = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>{t}</title>'
        '</titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc>'
        '</teiHeader><text><body>{b}</body></text></TEI>')
REGISTER = HEAD.format(t="Persons", b='<listPerson><person xml:id="anna"><persName>Anna</persName>'
                       '</person><person xml:id="boris"><persName>Boris</persName></person></listPerson>')


def write(folder: Path, name: str, body: str) -> None:
    (folder / name).write_text(HEAD.format(t=name, b=body), encoding="utf-8")


def render_all(plugin) -> dict[str, object]:
    return {src: plugin.pages.render(src) for src, _ in plugin.pages.sources(has_index=False)}


def test_rebuild_after_one_change_reuses_everything_else(tmp_path):
    (tmp_path / "persons.xml").write_text(REGISTER, encoding="utf-8")
    write(tmp_path, "a.xml", '<p><persName ref="#anna">Anna</persName> wrote.</p>')
    write(tmp_path, "b.xml", '<p><persName ref="#boris">Boris</persName> read.</p>')
    config = mkdocs_config(find_project(tmp_path, tmp_path.parent / (tmp_path.name + "-site")))
    plugin = config.plugins["teisite"]
    plugin.on_startup(command="serve", dirty=False)  # as under `serve`: the plugin outlives a build
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
