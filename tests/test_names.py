"""The untagged-name finder (teisite/names.py): which written forms may name an entry."""

from __future__ import annotations

from teisite.names import Lexicon, fold, tokens


def lexicon(**names: list[str]) -> Lexicon:
    lex = Lexicon()
    for entry, words in names.items():
        for w in words:
            lex.add(w, entry)
    return lex


def entries_for(lex: Lexicon, word: str) -> set[str]:
    key = lex.forms.get(fold(word))
    return lex.entries[key] if key else set()


def test_russian_forms_by_their_normal_forms():
    lex = lexicon(nerchinsk=["Нерчинск", "Нерчинска"], albazin=["Албазин"])
    assert entries_for(lex, "Нерчинском") == {"nerchinsk"}
    assert entries_for(lex, "Албазина") == entries_for(lex, "Албазиным") == {"albazin"}
    assert entries_for(lex, "Москвой") == set()


def test_case_yo_and_old_letters_do_not_matter():
    lex = lexicon(fyodor=["Фёдор"], selenginsk=["Селенгинск"])
    assert entries_for(lex, "Ѳедоромъ") == {"fyodor"} and entries_for(lex, "ФЕДОРА") == {"fyodor"}
    assert entries_for(lex, "Селенгинскѣ") == {"selenginsk"}
    assert fold("Ѳёдоръ") == "федор"
    assert tokens("Ѳедоръ, сынъ Алексѣевъ — 1689 г.") == ["федор", "сын", "алексеев", "г"]


def test_a_name_the_dictionary_does_not_know_by_the_stem_of_its_tagged_form():
    lex = lexicon(ochira=["Очира"])
    assert entries_for(lex, "Очирою") == entries_for(lex, "Очиру") == {"ochira"}
    assert entries_for(lex, "Очиравшими") == set()  # more than an ending after the stem


def test_other_languages_by_exact_and_prefix_forms():
    lex = lexicon(golovin=["Golovin"], mancall=["Mancall"])
    assert entries_for(lex, "golovin") == entries_for(lex, "Golovins") == {"golovin"}
    assert entries_for(lex, "Golovinsky") == set() and entries_for(lex, "Man") == set()
