"""The untagged-name finder (`check`): words of the texts that are forms of a register entry's name,
or of a form tagged for it, but stand outside any mention, proposed as located notices."""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from .cache import code_key, digest
from .diagnostics import Diagnostics
from .document import Document
from .parsing import _lines
from .registers import Entry
from .search import fold_old_spelling

CODE = "names.untagged"
KINDS = {"person": "persName", "place": "placeName", "org": "orgName"}  # what is proposed, tagged as
NOT_A_NAME = "not-a-name"  # <seg type="not-a-name">: the editors decided these words name no one
_NON_WORD = re.compile(r"[\W\d_]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_ENDING = re.compile(r"[аеиоуыэюяйь]+$")  # what a Russian name's stem is without
# the endings a Russian noun or surname takes (a name the dictionary does not know is looked for
# by its stem and these)
ENDINGS = ("", "а", "у", "е", "ы", "и", "о", "ю", "я", "ом", "ой", "ою", "ей", "ем", "ам", "ах",
           "ами", "ов", "ев", "ым", "им", "ых", "их", "ые", "ие", "ая", "ую", "ого", "ому", "ыми")
MIN_LETTERS = 3
# a form found untagged more often than this (and than twice as often as it is tagged) is a word
# of the language, not a name missed (a German noun in a register's name: «Kaiser»)
FEW = 3
MANY = 3  # a word of the names of more entries than this names none of them («Grand», «Иван»)


def fold(word: str) -> str:
    """A word as names are compared: lower case, ё as е, pre-reform letters as modern ones."""
    return fold_old_spelling(word.casefold().replace("ё", "е"))


_OLD = re.compile(r"[ѣѢіІїЇѵѴѳѲъЪ]")


def tokens(text: str) -> list[str]:
    """The words of a text, folded as fold() folds them (each step in C: the finder reads every
    passage of an edition; the pre-reform letters only where there are any)."""
    text = _NON_WORD.sub(" ", text).casefold().replace("ё", "е")
    return (fold_old_spelling(text) if _OLD.search(text) else text).split()


@functools.cache
def _morph():
    import pymorphy3  # loaded only when the lexicon is made anew (about a second)
    return pymorphy3.MorphAnalyzer(lang="ru")


@dataclass
class Lexicon:
    """The written forms that may name an entry, folded: each with the word it is a form of
    (`key`: the normal form, or the name's own form), and each key with its entries. Russian by
    every form of every normal form of every parse (the first parse is not always the name's:
    «Нерчинском» is нерчинский and нерчинск), and, for a name the dictionary does not know, by
    its stem and an ending; other languages by the form itself and with -s, -es."""

    forms: dict[str, str] = field(default_factory=dict)
    entries: dict[str, set[str]] = field(default_factory=dict)

    def add(self, word: str, entry_id: str) -> None:
        w = fold(word)
        if len(w) < MIN_LETTERS:
            return
        if not _CYRILLIC.search(w):
            for form in (w, w + "s", w + "es"):
                self._put(form, w, entry_id)
            return
        parses = _morph().parse(w)
        for p in parses:
            key = p.normal_form.replace("ё", "е")
            for form in {w, *(f.word.replace("ё", "е") for f in p.lexeme)}:
                self._put(form, key, entry_id)
        stem = _ENDING.sub("", w)
        if not any(p.is_known for p in parses) and len(stem) >= 4:
            for ending in ENDINGS:
                self._put(stem + ending, stem, entry_id)

    def _put(self, form: str, key: str, entry_id: str) -> None:
        key = self.forms.setdefault(form, key)
        self.entries.setdefault(key, set()).add(entry_id)


def name_words(e: Entry) -> set[str]:
    """The words of an entry's names, and the forms the texts tag for it that are one word (a
    name inflected: «Нерчинска»), that may be names: capitalised ones. A word of a longer tagged
    form is not («Император» of «Император Канси», «Russie» of «l'Empereur de Russie»)."""
    names = [e.label, *(n.text for n in e.names)]
    one_word = [o.mention.text for o in e.mentions if len(o.mention.text.split()) == 1]
    return {w for f in names + one_word for w in _NON_WORD.sub(" ", f).split() if w[:1].isupper()}


def lexicon(entries: dict[str, Entry], cache=None) -> tuple[Lexicon, str]:
    """The lexicon of the persons, places and organisations, and a digest of what it is made
    from; kept in the build cache as long as their names and tagged forms are the same (making it
    loads the Russian dictionaries)."""
    words = sorted((e.id, sorted(name_words(e))) for e in entries.values() if e.kind in KINDS)
    key = digest(code_key(), words)

    def make() -> Lexicon:
        lex = Lexicon()
        for entry_id, ws in words:
            for w in ws:
                lex.add(w, entry_id)
        return lex

    return (make() if cache is None else cache.made_or_kept("names", "lexicon", key, make)), key


@dataclass
class _Found:
    doc: Document
    line: int          # the passage's first line
    end: int           # the next passage's first line (0: the file's end)
    form: str
    key: str


def find_untagged(edition, diags: Diagnostics, silenced: list[str] | tuple = (), cache=None) -> int:
    """A notice for each word of the texts' passages that may name a person, place or
    organisation of the registers but is not tagged; returns how many. `silenced`: words the
    editors decided are no names (the project's `not_names`), in all their forms."""
    entries = edition.entries
    lex, lex_key = lexicon(entries, cache)
    if not lex.forms:
        return 0
    quiet = {lex.forms.get(f, f) for f in map(fold, silenced)}
    untagged: Counter = Counter()
    found: list[_Found] = []
    for doc in edition.texts:
        # a document's forms outside its mentions: kept in the build cache with the document
        if cache is None or not doc.digest:
            places = untagged_forms(doc, lex)
        else:
            places = cache.made_or_kept("names", doc.rel, digest(lex_key, doc.digest),
                                        partial(untagged_forms, doc, lex))
        for line, end, form, n in places:
            key = lex.forms[form]
            if key not in quiet:
                untagged[key] += n
                found.append(_Found(doc, line, end, form, key))
    tagged = _tagged({f.key for f in found}, lex, entries)
    count = 0
    for f in found:
        if untagged[f.key] > max(FEW, 2 * tagged[f.key]) or len(lex.entries[f.key]) > MANY:
            continue
        for word, line, col in _places(f, {"note", *(m.element for m in f.doc.mentions)}):
            count += 1
            diags.info_at(f.doc.path, (line, col), _message(word, f.doc, lex.entries[f.key], entries), CODE)
    return count


def untagged_forms(doc: Document, lex: Lexicon) -> list[tuple[int, int, str, int]]:
    """(first line of the passage, first line of the next one or 0, form, how many times) for
    each form of the lexicon a passage of the document holds outside its mentions. A passage's
    words are cut in C and only a passage that holds a form is looked at further."""
    forms = lex.forms.keys()
    passages = [p for p in doc.passages if p.text]
    hit = []
    for i, p in enumerate(passages):
        words = tokens(p.text)
        hits = forms & set(words)
        if hits:
            hit.append((i, p, words, hits))
    if not hit:
        return []
    inside: dict[str, list[str]] = {}  # the mentions' words, by passage
    for m in doc.mentions:
        if m.passage and m.text:
            inside.setdefault(m.passage, []).append(m.text)
    out = []
    for i, p, words, hits in hit:
        end = passages[i + 1].line if i + 1 < len(passages) else 0
        tagged_here = tokens(" ".join(inside.get(p.anchor, ())))
        for form in sorted(hits):
            n = words.count(form) - tagged_here.count(form)
            if n > 0:
                out.append((p.line, end, form, n))
    return out


_mention_words = functools.lru_cache(maxsize=65536)(tokens)  # the same names, tagged again and again


def _tagged(keys: set[str], lex: Lexicon, entries: dict[str, Entry]) -> Counter:
    """How often each key is tagged: the mentions of its entries that hold one of its forms."""
    out: Counter = Counter()
    for key in keys:
        for entry_id in lex.entries[key]:
            for o in entries[entry_id].mentions:
                out[key] += sum(1 for w in _mention_words(o.mention.text) if lex.forms.get(w) == key)
    return out


_WORD = re.compile(r"[^\W\d_]+")


def _places(f: _Found, mention_elements: set[str]):
    """(word as written, line, column) of each capitalised untagged occurrence of the form in the
    passage's lines of its file: not inside a mention's element (or <seg type="not-a-name">)
    opened before it on its line."""
    lines = _lines(str(f.doc.path))
    last = f.end - 1 if f.end else len(lines)
    seen = set()
    for n in range(f.line, max(last, f.line) + 1):
        text = lines[n - 1] if n <= len(lines) else ""
        if f.form not in tokens(text):
            continue
        for m in _WORD.finditer(text):
            word = m.group()
            if not word[:1].isupper() or fold(word) != f.form or (n, m.start()) in seen:
                continue
            before = text[:m.start()]
            if before.rfind("<") > before.rfind(">"):
                continue  # in a tag: an attribute's value
            if any(before.rfind(f"<{e}") > before.rfind(f"</{e}") for e in mention_elements) or \
                    before.rfind(NOT_A_NAME) > before.rfind("</seg"):
                continue
            seen.add((n, m.start()))
            yield word, n, m.start() + 1


def _message(word: str, doc: Document, found: set[str], entries: dict[str, Entry]) -> str:
    named = sorted(found, key=lambda i: (entries[i].sort or entries[i].label, i))
    first = entries[named[0]]
    ref = _ref(doc, first)
    others = ", ".join(f"the {entries[i].kind} «{entries[i].label}», {_ref(doc, entries[i])}"
                       for i in named[1:4]) + (f" and {len(named) - 4} more" if len(named) > 4 else "")
    return (f"«{word}» is not tagged, but it may name the {first.kind} «{first.label}», {ref}"
            f"{f' (or {others})' if others else ''}: tag it "
            f"<{KINDS[first.kind]} ref=\"{ref}\">{word}</{KINDS[first.kind]}>, or, if it names no one, "
            f"wrap it in <seg type=\"{NOT_A_NAME}\"> or add it to `not_names` in mkdocs.yml's teisite "
            "settings")


@functools.lru_cache(maxsize=4096)
def _relative(entry_path: str, doc_path: str) -> str:
    if Path(entry_path) == Path(doc_path):
        return ""
    try:
        return Path(entry_path).relative_to(Path(doc_path).parent).as_posix()
    except ValueError:
        return Path(entry_path).name


def _ref(doc: Document, e: Entry) -> str:
    """How the text points to an entry: `#id` in its own file, `file.xml#id` in a register file."""
    return f"{_relative(str(e.path), str(doc.path))}#{e.xml_id}"
