"""teisite/fast.py writes exactly what the shipped behaviour templates write.

Every text of the seed edition, of both corpora in ../shared and of every fixture is rendered
twice, through the Python twins and through the Jinja2 templates, and the HTML must be the same
character for character; a project's own template for a behaviour replaces its twin.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_render import load, table

from teisite.edition import load_edition
from teisite.fast import BEHAVIOURS
from teisite.render import DEFAULT_TEMPLATES, Renderer, behaviour_names, load_words, make_env

HERE = Path(__file__).resolve().parent
CORPORA = HERE.parent.parent / "shared" / "corpora"
FOLDERS = {"seed": HERE.parent / "source", "phenomena": HERE / "fixtures" / "phenomena",
           "dates": HERE / "fixtures" / "dates", "hostile": HERE / "fixtures" / "hostile",
           "maechtekongresse": CORPORA / "maechtekongresse", "kamen": CORPORA / "kamen"}


def test_every_shipped_behaviour_has_a_twin():
    assert set(BEHAVIOURS) == behaviour_names([DEFAULT_TEMPLATES])


@pytest.mark.parametrize("show_original", [True, False])
@pytest.mark.parametrize("name", FOLDERS)
def test_twins_write_what_the_templates_write(name, show_original):
    folder = FOLDERS[name]
    if not folder.exists():
        pytest.skip(f"{folder} is not here")
    edition = load(folder) if name in ("phenomena", "dates", "hostile") else \
        load_edition(folder, table(), "en")
    words = load_words([DEFAULT_TEMPLATES], "en")
    options = {"show_original": show_original}
    fast = Renderer(edition, make_env([DEFAULT_TEMPLATES]), words, options)
    slow = Renderer(edition, make_env([DEFAULT_TEMPLATES]), words, options, fast=False)
    assert edition.texts
    for doc in edition.texts:
        a, b = fast.render_document(doc, "../../"), slow.render_document(doc, "../../")
        assert str(a.html) == str(b.html), doc.path
        assert a.notes == b.notes and a.entries == b.entries, doc.path
    assert fast.behaviours and all(fn in BEHAVIOURS.values() for fn in fast.behaviours.values())


def test_a_projects_own_template_replaces_the_twin(tmp_path):
    (tmp_path / "behaviours").mkdir()
    (tmp_path / "behaviours" / "inline.html").write_text("<x-{{ name }}>{{ content }}</x-{{ name }}>")
    edition = load(FOLDERS["phenomena"], [FOLDERS["phenomena"] / "hi.xml"])
    renderer = Renderer(edition, make_env([tmp_path, DEFAULT_TEMPLATES]), load_words([DEFAULT_TEMPLATES], "en"))
    html = str(renderer.render_document(edition.texts[0], "../../").html)
    assert "<x-hi>" in html and 'class="tei-hi' not in html
    assert renderer.behaviours["inline"] not in BEHAVIOURS.values()
    assert renderer.behaviours["paragraph"] is BEHAVIOURS["paragraph"]


@pytest.mark.parametrize("name", ["seed", "maechtekongresse", "kamen"])
def test_the_occurrences_twin_writes_what_its_macro_writes(name):
    """pages/occurrences.html (an entry page's mentions, one document at a time) and its twin."""
    from teisite.fast import MACROS
    from teisite.pages import _by_paragraph
    folder = FOLDERS[name]
    if not folder.exists():
        pytest.skip(f"{folder} is not here")
    edition = load_edition(folder, table(), "en")
    renderer = Renderer(edition, make_env([DEFAULT_TEMPLATES]), load_words([DEFAULT_TEMPLATES], "en"))
    macro = renderer.env.get_template("pages/occurrences.html").make_module().occurrences
    twin = MACROS[("pages/occurrences.html", "occurrences")]
    compared = 0
    for entry in edition.entries.values():
        docs = {}
        for o in entry.mentions:
            docs.setdefault(o.doc.slug, (o.doc, []))[1].append(o)
        for doc, occs in docs.values():
            passages = _by_paragraph(occs)
            assert twin(renderer, doc, passages, "../../") == macro(doc, passages, "../../"), entry.id
            compared += 1
    assert compared


def test_a_projects_own_page_macro_is_used_instead_of_the_twin(tmp_path):
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "occurrences.html").write_text(
        "{% macro occurrences(doc, passages, root) %}<x-occ>{{ doc.title }}</x-occ>{% endmacro %}")
    edition = load_edition(FOLDERS["seed"], table(), "en")
    renderer = Renderer(edition, make_env([tmp_path, DEFAULT_TEMPLATES]),
                        load_words([DEFAULT_TEMPLATES], "en"))
    assert not renderer.shipped(renderer.env.get_template("pages/occurrences.html"))
    assert renderer.shipped(renderer.env.get_template("pages/entry.html"))
    assert not Renderer(edition, make_env([DEFAULT_TEMPLATES]), {}, fast=False).shipped(
        renderer.env.get_template("pages/entry.html"))
