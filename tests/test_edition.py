"""The edition: register entries (names, order, kinds), which files are registers, refs resolved."""

from __future__ import annotations

from pathlib import Path

from teisite.diagnostics import Diagnostics
from teisite.loading import load_edition
from teisite.models import load_table
from teisite.registers import collation_key
from teisite.render import DEFAULT_TEMPLATES, behaviour_names

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"

HEAD = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>{t}</title>'
        '</titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc>'
        '</teiHeader>{x}</TEI>')
PERSONS = HEAD.format(t="Persons", x='<standOff><listPerson>'
                      '<person xml:id="tolbuzin"><persName xml:lang="ru" type="text">Толбузин</persName>'
                      '<persName xml:lang="ru" type="standard"><forename>Алексей</forename> '
                      '<surname>Толбузин</surname></persName><persName xml:lang="en">Aleksei Tolbuzin'
                      '</persName><death when="1686"/><occupation>воевода</occupation>'
                      '<note>Албазинский воевода.</note><idno type="VIAF">https://viaf.org/viaf/1</idno>'
                      '</person><person xml:id="yolkin"><persName xml:lang="ru">Ёлкин</persName></person>'
                      '<person xml:id="eliseev"><persName xml:lang="ru">Елисеев</persName></person>'
                      '</listPerson></standOff>')


def table():
    return load_table(DEFAULT_TEMPLATES / "models.yml", behaviour_names([DEFAULT_TEMPLATES]), Diagnostics())


def text(body: str, back: str = "") -> str:
    return HEAD.format(t="Text", x=f"<text><body>{body}</body>{back}</text>")


def edition(tmp_path: Path, files: dict[str, str], lang: str = "ru"):
    for name, content in files.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    return load_edition(tmp_path, table(), lang)


def test_entry_reads_names_dates_role_and_links(tmp_path):
    ed = edition(tmp_path, {"persons.xml": PERSONS, "t.xml": text(
        '<p><persName ref="persons.xml#tolbuzin">Толбузин</persName></p>')})
    e = ed.entries["tolbuzin"]
    assert e.label == "Алексей Толбузин", "the standard form in the site's language"
    assert e.index_label == "Толбузин, Алексей"
    assert e.variants == ["Толбузин", "Aleksei Tolbuzin"]
    assert (e.life, e.role, e.description) == ("?–1686", "воевода", "Албазинский воевода.")
    assert e.links == [("VIAF", "https://viaf.org/viaf/1")]
    assert e.url == "persons/tolbuzin/" and len(e.mentions) == 1


def test_russian_order_puts_yo_with_ye():
    assert sorted(["Ёлкин", "Елисеев", "Жуков", "Ежов"], key=collation_key) == \
        ["Ежов", "Елисеев", "Ёлкин", "Жуков"]


def test_register_files_are_recognised_by_content(tmp_path):
    ed = edition(tmp_path, {"persons.xml": PERSONS, "t.xml": text("<p>Нет имён.</p>")})
    assert [d.rel for d in ed.texts] == ["t.xml"]
    assert {d.rel for d in ed.documents} == {"persons.xml", "t.xml"}


def test_a_register_file_wins_over_a_texts_copy(tmp_path):
    copy = ('<back><listPerson><person xml:id="tolbuzin"><persName>Копия</persName></person>'
            '</listPerson></back>')
    ed = edition(tmp_path, {"persons.xml": PERSONS, "t.xml": text(
        '<p><persName ref="#tolbuzin">Т</persName></p>', copy)})
    assert ed.entries["tolbuzin"].label == "Алексей Толбузин"
    assert not ed.diagnostics.errors


def test_the_same_id_in_two_register_files_is_an_error(tmp_path):
    ed = edition(tmp_path, {"a.xml": PERSONS, "b.xml": PERSONS, "t.xml": text("<p>x</p>")})
    assert [d.code for d in ed.diagnostics.errors] == ["id.duplicate"] * 3


def test_refs_resolve_in_every_form(tmp_path):
    ed = edition(tmp_path, {"persons.xml": PERSONS, "t.xml": text(
        '<p><persName ref="#tolbuzin">a</persName> <persName ref="persons.xml#yolkin">b</persName> '
        '<rs ref="#tolbuzin #eliseev">c</rs> <persName ref="https://example.org/x">d</persName> '
        '<persName ref="#tolbuzn">e</persName></p>')})
    resolved = [m.resolved for m in ed.texts[0].mentions]
    assert resolved == [["tolbuzin"], ["yolkin"], ["tolbuzin", "eliseev"], [], []]
    (err,) = ed.diagnostics.errors
    assert err.code == "ref.unresolved" and "did you mean `#tolbuzin` (Алексей Толбузин, " in err.message


def test_unmentioned_entries_are_warned_about_and_kept(tmp_path):
    ed = edition(tmp_path, {"persons.xml": PERSONS, "t.xml": text("<p>x</p>")})
    assert {d.code for d in ed.diagnostics.warnings} == {"entry.unused"}
    assert set(ed.entries) == {"tolbuzin", "yolkin", "eliseev"}


def test_chronology_orders_by_start_and_skips_durations(tmp_path):
    ed = edition(tmp_path, {"t.xml": text(
        '<p><date when="1689-08-22">b</date> <date dur="P1Y">около года</date> '
        '<date notBefore="1686-07-11" notAfter="1686-08-10">a</date></p>')})
    assert [m.text for _, m in ed.dated] == ["a", "b"]
    assert not ed.diagnostics.items


def test_shedding_texts_and_loading_them_in_workers_changes_no_problem_entry_or_page(tmp_path):
    """One-off builds let each text's tree go once it is walked (trees.shed_text), and load
    the files in several processes (the workers send their texts back packed): the problems
    (with their lines and columns), the entries and the rendered texts stay the same."""
    import pytest

    from teisite.render import Renderer, load_words, make_env
    here = Path(__file__).resolve().parent
    folders = [here / "fixtures" / "phenomena", here / "fixtures" / "hostile", here / "fixtures" / "dates",
               CORPORA / "maechtekongresse"]
    # a text whose registers sit in its <back>, one of whose refs points nowhere, two on a line;
    # it is the second file, so a worker loads it when there are two processes
    (tmp_path / "t.xml").write_text(text(
        '<p><persName ref="#nobody">X</persName> <persName ref="#tolbuzin">T</persName></p>',
        back='<listPerson><person xml:id="tolbuzin"><persName>Толбузин</persName></person>'
             '</listPerson>'), encoding="utf-8")
    for name in "auv":
        (tmp_path / f"{name}.xml").write_text(text(
            f'<p><persName ref="#tolbuzin">{name}</persName></p>'), encoding="utf-8")
    folders.append(tmp_path)
    for folder in folders:
        if not folder.exists():
            pytest.skip(f"{folder} is not here")
        kept = load_edition(folder, table(), "en")
        for shed in (load_edition(folder, table(), "en", shed=True, jobs=j) for j in (1, 2)):
            assert [str(d) for d in shed.diagnostics.sorted()] == \
                [str(d) for d in kept.diagnostics.sorted()]
            # (a text's copy of an entry, read from a packed head, keeps where it is in its file)
            assert [(e.id, e.span, e.label, e.slug, len(e.mentions)) for e in shed.entries.values()] \
                == [(e.id, e.span, e.label, e.slug, len(e.mentions)) for e in kept.entries.values()]
            assert [d.as_json() for d in shed.diagnostics.sorted()] == \
                [d.as_json() for d in kept.diagnostics.sorted()]
            env, words = make_env([DEFAULT_TEMPLATES]), load_words([DEFAULT_TEMPLATES], "en")
            renderers = Renderer(kept, env, words), Renderer(shed, env, words)
            for a, b in zip(kept.texts, shed.texts, strict=True):
                assert (a.path, a.slug, a.title, a.meta) == (b.path, b.slug, b.title, b.meta)
                if b.xml is not None and b.tree is not None:  # shed: only the header as a tree
                    assert b.tree.getroot().find("{http://www.tei-c.org/ns/1.0}text") is None
                html = [str(r.render_document(d, "").html) for r, d in zip(renderers, (a, b))]
                assert html[0] == html[1], a.path
    assert any("nobody" in str(d) for d in shed.diagnostics.sorted())


def test_serving_reads_again_only_files_whose_time_or_size_changed(tmp_path):
    """While serving (`cache`), an unchanged file is not read again: its size and time tell,
    unless it changed so lately (2 s) that its time may not show it yet."""
    import os
    import time
    f = tmp_path / "a.xml"
    old = time.time_ns() - 10 * 10**9

    def write(word: str, when: int) -> None:
        f.write_text(text(f"<p>{word}</p>"), encoding="utf-8")
        os.utime(f, ns=(when, when))

    def passage(edition) -> str:
        return edition.texts[0].passages[0].text

    cache: dict = {}
    write("Alpha", old)
    first = load_edition(tmp_path, table(), "en", cache=cache)
    write("Omega", old)  # same size, same time: taken as unchanged
    assert load_edition(tmp_path, table(), "en", cache=cache).texts[0] is first.texts[0]
    write("Omega", old + 10**9)  # another time: read again
    again = load_edition(tmp_path, table(), "en", cache=cache)
    assert passage(again) == "Omega"
    os.utime(f, ns=(old + 2 * 10**9, old + 2 * 10**9))  # touched, the same bytes: the same document
    assert load_edition(tmp_path, table(), "en", cache=cache).texts[0] is again.texts[0]
    assert cache[str(f)][3][0] == old + 2 * 10**9, "and its new time is kept: it is not read again"
    now = time.time_ns()
    write("Gamma", now)
    assert passage(load_edition(tmp_path, table(), "en", cache=cache)) == "Gamma"
    write("Delta", now)  # the same size and time, but just now: read again all the same
    assert passage(load_edition(tmp_path, table(), "en", cache=cache)) == "Delta"
