"""The untagged-name finder (teisite/names.py): which words may name an entry, and where they are."""

from __future__ import annotations

from lxml import etree

from teisite.names import Lexicon, fold, words_outside_mentions

TEI = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Т</title>'
       '</titleStmt></fileDesc></teiHeader>\n<text><body>\n{}\n</body></text></TEI>')


def lexicon(**names: list[str]) -> Lexicon:
    lex = Lexicon()
    for entry, words in names.items():
        for w in words:
            lex.add(w, entry)
    return lex


def test_russian_forms_by_their_normal_forms():
    lex = lexicon(nerchinsk=["Нерчинск", "Нерчинска"], albazin=["Албазин"])
    assert lex.entries_for("Нерчинском") == {"nerchinsk"}
    assert lex.entries_for("Албазина") == {"albazin"}
    assert lex.entries_for("Москвой") == set()


def test_case_yo_and_old_letters_do_not_matter():
    lex = lexicon(fyodor=["Фёдор"], selenginsk=["Селенгинск"])
    assert lex.entries_for("Ѳедоромъ") == {"fyodor"} and lex.entries_for("ФЕДОРА") == {"fyodor"}
    assert lex.entries_for("Селенгинскѣ") == {"selenginsk"}
    assert fold("Ѳёдоръ") == "федор"


def test_a_name_the_dictionary_does_not_know_by_the_stem_of_its_tagged_form():
    lex = lexicon(ochira=["Очира"])
    assert lex.by_stem == {"очир": {"ochira"}}
    assert lex.entries_for("Очирою") == {"ochira"}
    assert lex.entries_for("Очиравшими") == set()  # more than an ending after the stem


def test_other_languages_by_exact_and_prefix_forms():
    lex = lexicon(golovin=["Golovin"], mancall=["Mancall"])
    assert lex.entries_for("golovin") == {"golovin"} and lex.entries_for("Golovins") == {"golovin"}
    assert lex.entries_for("Golovinsky") == set() and lex.entries_for("Man") == set()


def test_words_outside_mentions_and_editorial_notes_with_their_lines():
    root = etree.fromstring(TEI.format(
        '<p>Пришёл <placeName ref="#n">Нерчинск</placeName> Албазин\nи Москва<note type="editorial">'
        'Тобольск</note>\nКиев <seg type="not-a-name">Томск</seg> Рим</p>').encode())
    words = list(words_outside_mentions(root))
    assert words == [("Пришёл", 3), ("Албазин", 3), ("и", 4), ("Москва", 4), ("Киев", 5), ("Рим", 5)]
