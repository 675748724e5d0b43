"""The HTML contract: the shipped templates keep it, teisite.js and teisite.css use every marker, and a
project's template that drops one is warned about, at that template."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES

from teisite.commands import build
from teisite.contract import check_contract, keeps, load_contract
from teisite.diagnostics import Diagnostics
from teisite.project import find_project
from teisite.render import DEFAULT_TEMPLATES

CONTRACT = load_contract(DEFAULT_TEMPLATES)
ASSETS = {name: (DEFAULT_TEMPLATES / "assets" / name).read_text(encoding="utf-8")
          for name in ("teisite.js", "teisite.css")}
MARKERS = [(name, marker, why) for name, markers in CONTRACT.items() for marker, why in markers.items()]
MENTION = (DEFAULT_TEMPLATES / "behaviours" / "mention.html").read_text(encoding="utf-8")


def used_in(marker: str, text: str) -> bool:
    """Whether the script or style sheet uses the marker: a class or attribute as a whole word; a
    class made from a variable by the text before the variable (`mention-` of `mention-{{ kind }}`);
    a data-* attribute also as JavaScript's `.dataset` name (`data-greg` as `d.greg`)."""
    if "{{" in marker:
        literal = marker.split("{{")[0].strip(' ="')
        return bool(literal) and literal in text
    if marker.startswith("data-"):
        name = re.sub(r"-(\w)", lambda m: m[1].upper(), marker[5:])
        if re.search(rf"\.{name}\b", text):
            return True
    return re.search(rf"(?<![\w-]){re.escape(marker)}(?![\w-])", text) is not None


def project_templates(tmp_path: Path, name: str, source: str) -> Path:
    folder = tmp_path / "templates"
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(source, encoding="utf-8")
    return folder


@pytest.mark.parametrize("name", CONTRACT)
def test_the_shipped_template_keeps_every_marker(name):
    source = (DEFAULT_TEMPLATES / name).read_text(encoding="utf-8")
    assert [m for m in CONTRACT[name] if not keeps(source, m)] == []


@pytest.mark.parametrize("name, marker, why", MARKERS, ids=[f"{n}:{m}" for n, m, _ in MARKERS])
def test_every_marker_is_used_where_its_reason_says(name, marker, why):
    """A marker nobody uses has no place in the contract; the reason names the file that uses it."""
    files = [f for f in ASSETS if f in why]
    assert files, f"{name}: the reason for `{marker}` names neither teisite.js nor teisite.css"
    for f in files:
        assert used_in(marker, ASSETS[f]), f"{name}: {f} does not use `{marker}`"


def test_a_marker_is_kept_as_a_whole_word_spaces_aside():
    assert keeps('<a class="mention mention-{{kind}}">', "mention-{{ kind }}")
    assert keeps('<a class="mention">', "mention")
    assert not keeps('<a class="mention-link">', "mention")
    assert not keeps('<li id="{{ note.anchor }}">', "note")
    assert not keeps('<span data-reference="x">', "data-ref")


def test_a_project_template_without_data_ref_is_warned_about(tmp_path):
    source = MENTION.replace(' data-ref="{{ refs }}"', "")
    assert "data-ref" not in source
    folder = project_templates(tmp_path, "behaviours/mention.html", source)
    diags = Diagnostics()
    check_contract([folder, DEFAULT_TEMPLATES], DEFAULT_TEMPLATES, diags)
    (d,) = diags.items
    assert (d.path, d.line, d.col, d.severity, d.code) == (
        str(folder / "behaviours" / "mention.html"), 1, 1, "warning", "template.contract")
    assert "behaviours/mention.html lacks `data-ref`" in d.message
    assert "teisite.js opens name popovers from `.mention[data-ref]`" in d.message


def test_each_dropped_marker_is_named(tmp_path):
    folder = project_templates(tmp_path, "behaviours/note.html", '<a href="#{{ anchor }}">{{ n }}</a>')
    diags = Diagnostics()
    check_contract([folder, DEFAULT_TEMPLATES], DEFAULT_TEMPLATES, diags)
    assert [d.message.split("`")[1] for d in diags.items] == list(CONTRACT["behaviours/note.html"])


@pytest.mark.parametrize("source", [
    MENTION,
    MENTION.replace("{{ kind }}", "{{kind}}"),  # spaces inside a marker do not matter
    # dropped on purpose, and said so
    "{# contract: no data-ref here, so no popovers #}\n" + MENTION.replace(' data-ref="{{ refs }}"', ""),
])
def test_a_project_template_that_keeps_everything_gets_no_warning(tmp_path, source):
    folder = project_templates(tmp_path, "behaviours/mention.html", source)
    diags = Diagnostics()
    check_contract([folder, DEFAULT_TEMPLATES], DEFAULT_TEMPLATES, diags)
    assert diags.items == []


def test_the_shipped_templates_alone_get_no_warning():
    diags = Diagnostics()
    check_contract([DEFAULT_TEMPLATES], DEFAULT_TEMPLATES, diags)
    assert diags.items == []


def test_a_build_warns_about_a_project_template_without_data_ref(tmp_path, capsys):
    folder = tmp_path / "tei"
    folder.mkdir()
    shutil.copy(FIXTURES / "phenomena" / "persName.xml", folder)
    template = project_templates(folder, "behaviours/mention.html",
                                 MENTION.replace(' data-ref="{{ refs }}"', "")) / "behaviours" / "mention.html"
    assert build(find_project(folder, tmp_path / "site")) == 0
    err = capsys.readouterr().err
    assert f"{template}:1:1: warning: behaviours/mention.html lacks `data-ref`" in err, err
    assert "[template.contract]" in err
    # the project's template is the one used, and it has no data-ref indeed
    page = (tmp_path / "site" / "texts" / "persName" / "index.html").read_text(encoding="utf-8")
    assert 'class="mention mention-person' in page and "data-ref" not in page.split('id="teisite-data"')[0]
