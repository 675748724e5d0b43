"""Loading (teisite/loading.py, xinclude.py): xi:include inside the project, texts and register
files told apart by structure, teiCorpus members, slugs."""

from __future__ import annotations

import shutil
from pathlib import Path

import lxml.html
import pytest
from test_render import load, render

from teisite.diagnostics import Diagnostics
from teisite.parsing import parse_bytes
from teisite.xinclude import resolve_includes

XINCLUDE = Path(__file__).resolve().parent / "fixtures" / "xinclude"
HEAD = ('<teiHeader><fileDesc><titleStmt><title>{title}</title></titleStmt><publicationStmt><p/>'
        '</publicationStmt><sourceDesc><p/></sourceDesc></fileDesc></teiHeader>')
TEI = '<TEI xmlns="http://www.tei-c.org/ns/1.0">' + HEAD + '<text>{text}</text></TEI>'
PERSONS = ('<listPerson><person xml:id="p1"><persName>Anna</persName></person></listPerson>')


def codes(edition) -> list[str]:
    return [d.code for d in edition.diagnostics.items]


def page_text(edition, doc) -> str:
    tree, _ = render(edition, doc)
    return " ".join(lxml.html.tostring(tree, encoding=str, method="text").split())


@pytest.fixture(scope="module")
def included():
    folder = XINCLUDE
    return load(folder, [folder / "main.xml", folder / "places.xml", folder / "header.xml",
                         folder / "passages.xml", folder / "registers" / "persons.xml"])


# --- xi:include ----------------------------------------------------------------------------------


def test_an_included_header_gives_the_title(included):
    main = next(d for d in included.documents if d.path.name == "main.xml")
    assert main.title == "Der eingebundene Titel" and main.is_text


def test_included_passages_text_and_fallback_are_on_the_page(included):
    main = next(d for d in included.documents if d.path.name == "main.xml")
    text = page_text(included, main)
    assert "Herzliche Grüße aus der Textdatei." in text
    assert "Der zweite Absatz." in text and "Der dritte Absatz" in text
    assert "Der erste Absatz" not in text  # only the element the xpointer names
    assert "Davor Ersatz und mehr danach." in text


def test_an_included_register_gives_entries(included):
    assert "anna" in included.entries and "wien" in included.entries
    anna = included.entries["anna"]
    assert anna.mentions and Path(anna.path).name == "persons.xml"


def test_fragments_are_not_reported_as_not_tei(included):
    assert "tei.not-tei" not in codes(included)
    assert {d.path.name for d in included.documents} == {"main.xml", "places.xml"}
    assert not included.diagnostics.errors


def test_a_problem_inside_included_content_names_the_included_file(included):
    nameless = [d for d in included.diagnostics.items if d.code == "entry.nameless"]
    assert len(nameless) == 1
    assert nameless[0].path.endswith("registers/persons.xml") and nameless[0].line == 4


def test_a_date_time_in_included_content_is_valid(included):
    assert "date.invalid" not in codes(included)


@pytest.mark.parametrize("href, code", [
    ("../../../../../../../../etc/passwd", "xinclude.outside"),
    ("/etc/passwd", "xinclude.absolute"),
    ("http://127.0.0.1:9/x.xml", "xinclude.url"),
    ("file:///etc/passwd", "xinclude.url"),
    ("missing.xml", "xinclude.missing"),
])
def test_what_may_not_be_included_is_a_located_error(href, code):
    edition = load(XINCLUDE / "bad", [XINCLUDE / "bad" / "escape.xml"])
    found = [d for d in edition.diagnostics.errors if d.code == code and href in d.message]
    assert found and found[0].path.endswith("escape.xml") and found[0].line > 1 and found[0].col == 5
    assert "root:" not in page_text(edition, edition.texts[0])


def test_a_loop_is_a_located_error():
    edition = load(XINCLUDE / "bad", [XINCLUDE / "bad" / "loop-a.xml"])
    loops = [d for d in edition.diagnostics.errors if d.code == "xinclude.loop"]
    assert loops and {Path(d.path).name for d in loops} <= {"loop-a.xml", "loop-b.xml"}
    assert page_text(edition, edition.texts[0]).count("B") == 1  # loop-b once, not again and again


def test_an_id_not_there_is_a_located_error():
    edition = load(XINCLUDE / "bad", [XINCLUDE / "bad" / "escape.xml"])
    assert any(d.code == "xinclude.missing" and "nosuchid" in d.message for d in edition.diagnostics.errors)


def test_a_symlink_out_of_the_project_is_refused(tmp_path):
    (tmp_path / "p").mkdir()
    (tmp_path / "secret.txt").write_text("secret words")
    (tmp_path / "p" / "link.txt").symlink_to(tmp_path / "secret.txt")
    data = (TEI.format(title="t", text='<body><p><xi:include xmlns:xi="http://www.w3.org/2001/'
                       'XInclude" href="link.txt" parse="text"/></p></body>')).encode()
    diags = Diagnostics()
    tree = parse_bytes(tmp_path / "p" / "a.xml", data, diags)
    resolve_includes(tree, tmp_path / "p" / "a.xml", tmp_path / "p", diags)
    assert [d.code for d in diags.items] == ["xinclude.outside"]
    assert b"secret" not in __import__("lxml.etree").etree.tostring(tree)


def test_an_included_file_changed_while_serving_is_read_again(tmp_path):
    shutil.copytree(XINCLUDE, tmp_path / "x")
    folder = tmp_path / "x"
    files = [folder / "main.xml", folder / "places.xml"]
    cache: dict = {}
    from test_render import table

    from teisite.loading import load_edition
    first = load_edition(folder, table(), files=files, cache=cache)
    (folder / "header.xml").write_text((folder / "header.xml").read_text().replace(
        "Der eingebundene Titel", "Ein neuer Titel"))
    again = load_edition(folder, table(), files=files, cache=cache)
    titles = {d.title for d in again.documents}
    assert "Ein neuer Titel" in titles and first.documents[0].title != "Ein neuer Titel"


# --- texts and register files ----------------------------------------------------------------------


def write(folder: Path, name: str, text: str, title: str = "t") -> Path:
    path = folder / name
    path.write_text(TEI.format(title=title, text=text), encoding="utf-8")
    return path


@pytest.mark.parametrize("body", [
    "<table><row><cell>1815</cell><cell>Wien</cell></row></table>",
    ("<div type='letter'><opener><salute>Lieber Freund,</salute></opener>"
     "<closer><signed>A.</signed></closer></div>"),
])
def test_a_letter_with_registers_in_its_back_is_a_text(tmp_path, body):
    path = write(tmp_path, "letter.xml", f"<body>{body}</body><back>{PERSONS}</back>")
    edition = load(tmp_path, [path])
    assert [d.is_text for d in edition.documents] == [True]
    assert "p1" in edition.entries  # its own list is a register all the same


@pytest.mark.parametrize("body", ["<p/>", "<p>   </p>", "<p>Personenregister</p>", "",
                                  "<div><head>Personen</head>" + PERSONS + "</div>"])
def test_a_register_file_with_a_placeholder_is_a_register_file(tmp_path, body):
    lists = PERSONS if "listPerson" not in body else ""
    path = write(tmp_path, "persons.xml", f"<body>{body}{lists}</body>")
    edition = load(tmp_path, [path])
    assert [d.is_text for d in edition.documents] == [False]
    placeholder = [d for d in edition.diagnostics.items if d.code == "tei.placeholder"]
    assert bool(placeholder) == ("Personenregister" in body)


def test_a_short_text_with_its_own_list_in_a_standoff_is_a_text(tmp_path):
    path = write(tmp_path, "short.xml", "<body><p>Kurz.</p></body>")
    path.write_text(path.read_text().replace("<text>", f"<standOff>{PERSONS}</standOff><text>"))
    assert [d.is_text for d in load(tmp_path, [path]).documents] == [True]


def test_two_paragraphs_beside_a_register_are_a_text(tmp_path):
    path = write(tmp_path, "notes.xml", f"<body><p>One.</p><p>Two.</p>{PERSONS}</body>")
    assert [d.is_text for d in load(tmp_path, [path]).documents] == [True]


def test_a_file_with_nothing_is_reported(tmp_path):
    path = write(tmp_path, "empty.xml", "<body><p/></body>")
    path.write_text(path.read_text().replace("<text><body><p/></body></text>", ""))
    edition = load(tmp_path, [path])
    assert "tei.empty" in codes(edition)


def test_a_tei_corpus_gives_each_tei_as_a_document(tmp_path):
    one = TEI.format(title="Erster", text="<body><p>Eins.</p></body>").replace("<TEI ", "<TEI xml:id='b1' ")
    two = TEI.format(title="", text="<body><p>Zwei.</p></body>").replace(
        "<titleStmt><title></title></titleStmt>", "<titleStmt/>")
    corpus = ('<teiCorpus xmlns="http://www.tei-c.org/ns/1.0" xml:lang="de">' + HEAD.format(title="Sammlung")
              + one.replace(' xmlns="http://www.tei-c.org/ns/1.0"', "")
              + two.replace(' xmlns="http://www.tei-c.org/ns/1.0"', "") + "</teiCorpus>")
    (tmp_path / "briefe.xml").write_text(corpus, encoding="utf-8")
    edition = load(tmp_path, [tmp_path / "briefe.xml"])
    docs = edition.texts
    assert [d.slug for d in docs] == ["briefe-b1", "briefe-2"]
    assert [d.title for d in docs] == ["Erster", "Sammlung"]  # the corpus's header is shared
    assert "Zwei." in page_text(edition, docs[1]) and "Eins." not in page_text(edition, docs[1])
    assert len({d.rel for d in docs}) == 2
    assert [d.lang for d in docs] == ["de", "de"]  # the corpus's language is theirs


def test_a_text_named_index_does_not_replace_the_list_of_texts(tmp_path):
    path = write(tmp_path, "index.xml", "<body><p>Ein Text.</p></body>")
    other = write(tmp_path, "b.xml", "<body><p>Noch einer.</p></body>")
    edition = load(tmp_path, [path, other])
    assert sorted(d.slug for d in edition.texts) == ["b", "index-2"]


def test_a_text_page_carries_its_documents_language(tmp_path):
    path = write(tmp_path, "brief.xml", "<body><p>Ein Brief.</p></body>")
    path.write_text(path.read_text().replace("<TEI ", '<TEI xml:lang="de" '))
    edition = load(tmp_path, [path])
    assert edition.texts[0].lang == "de"
    from teisite.render import DEFAULT_TEMPLATES
    page = (DEFAULT_TEMPLATES / "pages" / "text.html").read_text()
    assert 'lang="{{ doc.lang }}"' in page  # on the article that holds the text
