"""Register entries beyond persons and places: a play's cast (scoped to its play, speeches through
@who), a letter's correspDesc, list items and figures of a site index, references to documents."""

from __future__ import annotations

from pathlib import Path

from test_edition import HEAD, PERSONS, edition, text

from teisite.diagnostics import Diagnostics
from teisite.loading import load_edition
from teisite.models import load_table
from teisite.render import DEFAULT_TEMPLATES, behaviour_names

FIXTURES = Path(__file__).resolve().parent / "fixtures"
DRAMA, LETTERS = FIXTURES / "drama", FIXTURES / "letters"


def drama_table(templates: Path = DRAMA / "templates"):
    """The shipped table with the drama fixture's own models and speech template on top."""
    diags = Diagnostics()
    table = load_table([DEFAULT_TEMPLATES / "models.yml", templates / "models.yml"],
                       behaviour_names([templates, DEFAULT_TEMPLATES], diags), diags)
    assert not diags.items
    return table


def play(title: str, cast: str, body: str) -> str:
    return HEAD.format(t=title, x=f"<text><front><castList>{cast}</castList></front><body>{body}</body></text>")


def test_speech_template_declares_refs_who():
    b = drama_table().behaviour("speech")
    assert (b.collects, b.refs, b.block) == ("name", "who", True)
    assert drama_table().behaviour("mention").refs == "ref", "the default: @ref"


def test_each_play_has_its_own_cast_and_speeches_count():
    for shed, jobs in ((False, 1), (True, 1), (True, 2)):
        ed = load_edition(DRAMA, drama_table(), "ru", shed=shed, jobs=jobs)
        assert not ed.diagnostics.items
        cast = {e.id: e for e in ed.entries.values()}
        assert set(cast) == {"gamlet@gamlet", "sluga@gamlet", "strazha@gamlet", "korol@korol",
                             "sluga@korol"}
        assert {e.kind for e in cast.values()} == {"role"}
        # the two «Слуга» are two characters, each on a page of its own, each with its speeches
        a, b = cast["sluga@gamlet"], cast["sluga@korol"]
        assert (a.label, b.label) == ("Слуга", "Слуга")
        assert (a.slug, b.slug) == ("gamlet--sluga", "korol--sluga")
        assert (a.speeches, b.speeches) == (2, 1)
        assert [o.doc.rel for o in b.mentions] == ["korol.xml"]
        hamlet = cast["gamlet@gamlet"]
        assert (hamlet.speeches, len(hamlet.mentions)) == (2, 3), "two speeches and a persName"
        assert hamlet.description == "принц датский", "from the castList role pointing at him"
        assert cast["sluga@korol"].description == "его слуга"
        # the cast in each play's order
        assert [(d.rel, [e.label for e in roles]) for d, roles in ed.cast()] == [
            ("gamlet.xml", ["Гамлет", "Слуга", "Стража"]), ("korol.xml", ["Король", "Слуга"])]
        # a speech's KWIC is the speech, by its beginning; a speech of two names both
        (first, *_) = [o.mention for o in hamlet.mentions]
        assert first.text.startswith("Гамлет Быть или не быть") and first.attr == "who"
        both = [m for m in ed.texts[0].mentions if len(m.resolved) == 2]
        assert [m.resolved for m in both] == [["strazha@gamlet", "sluga@gamlet"]]


def test_a_speech_whose_who_points_nowhere_is_a_located_error(tmp_path):
    (tmp_path / "p.xml").write_text(play(
        "P", '<castItem><role xml:id="hamlet">Hamlet</role></castItem>',
        '<sp who="#hamlet"><speaker>H</speaker><p>x</p></sp>\n<sp who="#hamlt"><p>y</p></sp>'),
        encoding="utf-8")
    ed = load_edition(tmp_path, drama_table(), "en")
    (err,) = ed.diagnostics.errors
    assert (err.code, err.line) == ("ref.unresolved", 2) and "@who `#hamlt`" in err.message
    assert "did you mean `#hamlet` (Hamlet)?" in err.message


def test_a_text_resolves_its_own_entries_first_and_ambiguity_is_an_error(tmp_path):
    own = ('<back><listPerson><person xml:id="x"><persName>{}</persName></person></listPerson>'
           '</back>')
    ed = edition(tmp_path, {
        "a.xml": text('<p><persName ref="#x">a</persName></p>', own.format("Анна")),
        "b.xml": text('<p><persName ref="#x">b</persName></p>', own.format("Борис")),
        "c.xml": text('<p><persName ref="#x">c</persName></p>')})
    by_doc = {d.rel: d.mentions[0].resolved for d in ed.texts}
    assert by_doc == {"a.xml": ["x@a"], "b.xml": ["x@b"], "c.xml": []}
    assert {e.label for e in ed.entries.values()} == {"Анна", "Борис"}
    assert sorted(e.slug for e in ed.entries.values()) == ["a--x", "b--x"]
    (err,) = ed.diagnostics.errors
    assert err.code == "ref.ambiguous" and "a.xml, b.xml" in err.message and err.path.endswith("c.xml")


def test_copies_that_agree_are_one_entry_and_a_register_file_is_shared(tmp_path):
    copy = ('<back><listPerson><person xml:id="anna"><persName>Анна</persName></person>'
            '<person xml:id="tolbuzin"><persName>Копия</persName></person></listPerson></back>')
    ed = edition(tmp_path, {"persons.xml": PERSONS,
                            **{f"{n}.xml": text(f'<p><persName ref="#anna">{n}</persName> '
                                                f'<persName ref="#tolbuzin">T</persName></p>', copy)
                               for n in "ab"}})
    assert sorted(ed.entries) == ["anna", "eliseev", "tolbuzin", "yolkin"]
    assert len(ed.entries["anna"].mentions) == 2 and ed.entries["anna"].slug == "anna"
    assert ed.entries["tolbuzin"].label == "Алексей Толбузин"
    assert not ed.diagnostics.errors


def test_references_to_documents_are_links_not_unresolved():
    ed = load_edition(LETTERS, drama_table(), "en")
    assert not ed.diagnostics.errors
    refs = ed.references
    by = {d.rel: d for d in ed.texts}
    assert refs.document(by["brief2.xml"], "#L3") == (by["brief3.xml"], "")
    assert refs.document(by["brief2.xml"], "brief1.xml#p1") == (by["brief1.xml"], "p1")
    assert refs.document(by["brief3.xml"], "#brief2.xml") == (by["brief2.xml"], "")
    assert refs.document(by["brief3.xml"], "./sub/../brief2.xml") == (by["brief2.xml"], "")
    assert refs.document(by["brief3.xml"], "#nothing") is None


def test_list_items_and_figures_of_a_site_index_are_entries_when_named():
    for shed in (False, True):
        ed = load_edition(LETTERS, drama_table(), "en", shed=shed)
        rose, oak, mona = (ed.entries[i] for i in ("rose", "oak", "monalisa"))
        assert (rose.kind, rose.label, mona.kind, mona.label) == ("term", "Rose", "object", "Mona Lisa")
        assert mona.description == "A portrait by Leonardo."
        assert len(rose.mentions) == len(mona.mentions) == 1
        assert oak not in ed.listed, "a text's item no @ref names is not listed"
        assert ed.entries_of("term") == [rose] and {"object", "term"} <= set(ed.kinds)


def test_items_of_a_register_file_are_entries_and_other_lists_are_not(tmp_path):
    index = HEAD.format(t="Index", x='<standOff><listPerson><person xml:id="p"><persName>P</persName>'
                        '</person></listPerson></standOff><text><body><list><item xml:id="rose">'
                        '<term>Rose</term></item><item xml:id="lily">Lily</item></list></body></text>')
    ed = edition(tmp_path, {"index.xml": index, "t.xml": text(
        '<list><item xml:id="i1">one</item><item>two</item></list><p><rs ref="#rose">r</rs> '
        '<persName ref="#p">p</persName></p>')})
    assert sorted(ed.entries) == ["lily", "p", "rose"]
    assert ed.entries["lily"].label == "Lily"


def test_a_letter_names_its_sender_addressee_place_and_date():
    ed = load_edition(LETTERS, drama_table(), "en")
    letter = next(d for d in ed.texts if d.rel == "brief1.xml")
    assert letter.title == "Anna to Boris, 2 May 1820", "its own title, not the series'"
    assert letter.meta["title"] == letter.title and letter.meta["subtitle"] == ""
    sent, received = letter.meta["corresp"]
    assert (sent["type"], received["type"]) == ("sent", "received")
    assert [(m.element, m.text, m.resolved) for m in sent["parts"]] == [
        ("persName", "Anna Weber", ["anna"]), ("placeName", "Vienna", ["wien"]),
        ("date", "2 May 1820", [])]
    head = [m for m in letter.mentions if m.anchor.startswith("corresp-")]
    assert [m.anchor for m in head] == ["corresp-1", "corresp-2", "corresp-3", "corresp-4"]
    assert letter in {o.doc for o in ed.entries["boris"].mentions}, "the addressee is mentioned"
    assert [(d.rel, m.text) for d, m in ed.dated] == [
        ("brief3.xml", "1 April 1820"), ("brief1.xml", "2 May 1820"), ("brief2.xml", "9 June 1820")]
    assert sent["parts"][2].before == "Anna Weber · Vienna · "


def test_titles_prefer_the_article_then_main_and_never_the_series(tmp_path):
    def titles(*ts):
        return HEAD.replace("<title>{t}</title>", "".join(ts)).format(x="<text><body><p>x</p></body></text>")
    ed = edition(tmp_path, {
        "a.xml": titles('<title level="s">Series</title>', '<title level="a">Article</title>'),
        "b.xml": titles('<title level="s">Series</title>', '<title type="sub">Sub</title>',
                        '<title type="main">Main</title>'),
        "c.xml": titles('<title level="s">Series</title>', '<title>Plain</title>'),
        "d.xml": titles('<title level="s">Series</title>')})
    assert [d.title for d in ed.texts] == ["Article", "Main", "Plain", "d"]


WORKS = HEAD.format(t="Works", x='<standOff><listBibl><bibl xml:id="book"><author>Иванов</author> '
                    '<title>Книга</title>. М., 1900.</bibl><bibl xml:id="unread"><title>Другая</title>'
                    '</bibl></listBibl></standOff>')
CITING = HEAD.format(t="Places", x='<standOff><listPlace><place xml:id="albazin"><placeName>Албазин'
                     '</placeName><note>Крепость на  Амуре. См.: <bibl corresp="works.xml#book">Иванов '
                     '1900</bibl>.</note><note xml:lang="en">A fort on the Amur. See <bibl corresp='
                     '"works.xml#book">Ivanov 1900</bibl>.</note></place></listPlace></standOff>')


def test_an_entrys_citations_of_works_are_links_and_count_for_the_work(tmp_path):
    """A register entry's description cites works (bibl/@corresp): each citation is a piece of
    the description with its pointer (a link on the entry's page), the entry counts among the
    work's citers (its works page), and a work cited only by entries is not said to be unused."""
    files = {"works.xml": WORKS, "places.xml": CITING,
             "t.xml": text('<p><placeName ref="places.xml#albazin">Албазин</placeName></p>')}
    ed = edition(tmp_path, files)
    albazin, book = ed.entries["albazin"], ed.entries["book"]
    assert albazin.description == "Крепость на Амуре. См.: Иванов 1900."
    assert albazin.description_parts == [("Крепость на Амуре. См.: ", ""), ("Иванов 1900", "works.xml#book"),
                                         (".", "")]
    assert albazin.cites == ["book"] and book.cited_by == ["albazin"] and not book.mentions
    unused = [d.message for d in ed.diagnostics.items if d.code == "entry.unused"]
    assert len(unused) == 1 and '"unread"' in unused[0]
    english = edition(tmp_path, files, lang="en").entries["albazin"]  # the description in English
    assert english.description_parts[1] == ("Ivanov 1900", "works.xml#book")
    assert english.description.startswith("A fort on the Amur.")


# --- register data as data (issue 27 item 5) ---------------------------------------------------


def test_births_and_deaths_are_a_date_and_a_place_and_coordinates_are_a_places(tmp_path):
    """A person's birth with a nested settlement, placeName and geo: the dates say the year and
    the date as written, the place is linked to its entry, and the person gets no coordinates and
    no mini-map (they were "15. 5. 1862 Wien 48,208333 16,373056–…" and a map of the person)."""
    import lxml.html
    from conftest import build_site
    site = build_site(FIXTURES / "register-data", tmp_path / "site")
    page = lxml.html.parse(str(site / "persons" / "schnitzler" / "index.html")).getroot()
    facts = page.xpath("//dl[@class='entry-facts']")[0]
    rows = {dt.text_content(): dt.getnext() for dt in facts.iter("dt")}
    assert rows["Dates"].text_content() == "1862–1931"
    born = rows["Born"]
    assert born.text_content() == "15. 5. 1862, Wien"
    assert born.xpath("a/@href") == ["../../places/wien/"]
    assert rows["Died"].text_content() == "21. 10. 1931, Wien-Währing" and not rows["Died"].xpath("a")
    assert rows["Active"].text_content() == "1880–1931"
    assert "Coordinates" not in rows and not page.xpath("//figure[contains(@class, 'place-map')]")
    assert "48,208333" not in lxml.html.tostring(page, encoding="unicode")
    authority = rows["Authority files"]
    assert [(a.text_content(), a.get("href")) for a in authority.xpath("a")] == [
        ("gnd", "https://d-nb.info/gnd/118609807/"), ("wikidata", "http://www.wikidata.org/entity/Q44331")]
    assert "VIAF 12345" in authority.text_content()
    place = lxml.html.parse(str(site / "places" / "wien" / "index.html")).getroot()
    assert place.xpath("//figure[contains(@class, 'place-map')]")  # a place keeps its map
    assert "geonames" in place.xpath("//dl[@class='entry-facts']")[0].text_content()


def test_a_plays_characters_are_named_in_the_plays_language(tmp_path):
    """RusDraCor's particDesc names each character in Russian and again with xml:lang="en"; an
    English interface showed the cast as "Sailor". The play's own language names its characters,
    as its speakers' labels do; the interface's words stay English."""
    cast = ('<castItem><role xml:id="matros"><persName>Матрос</persName>'
            '<persName xml:lang="en">Sailor</persName></role></castItem>')
    source = play("Буря", cast, '<sp who="#matros"><speaker>Матрос.</speaker><p>Земля!</p></sp>')
    ed = edition(tmp_path, {"burya.xml": source.replace("<TEI ", '<TEI xml:lang="ru" ', 1)}, lang="en")
    assert [e.label for e in ed.entries.values() if e.kind == "role"] == ["Матрос"]
    ed = edition(tmp_path, {"burya.xml": source.replace("<TEI ", '<TEI xml:lang="en" ', 1)}, lang="ru")
    assert [e.label for e in ed.entries.values() if e.kind == "role"] == ["Sailor"]
