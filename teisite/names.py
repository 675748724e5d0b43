"""The untagged-name finder (`check`): words of the texts that are forms of a register entry's name,
or of a form tagged for it, but stand outside any mention, proposed as located notices."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .diagnostics import Diagnostics
from .document import Document
from .parsing import TEI_NS, _lines, localname
from .registers import ELEMENT_KINDS, Entry
from .search import fold_old_spelling
from .trees import source

CODE = "names.untagged"
KINDS = {"person": "persName", "place": "placeName", "org": "orgName"}  # what is proposed, tagged as
# what a proposal is never looked for in: names and dates (tagged already), the editors' notes
# (their words, not the source's), and what the reader does not read as the text
_SKIP = frozenset({*ELEMENT_KINDS, "name", "rs", "roleName", "forename", "surname", "addName",
                   "genName", "nameLink", "orgName", "persName", "placeName", "bibl", "ref", "ptr",
                   "idno", "teiHeader", "standOff", "facsimile", "sic", "abbr", "orig", "del", "fw",
                   "listPerson", "listPlace", "listOrg", "listEvent", "listBibl", "castList"})
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_ENDING = re.compile(r"[аеиоуыэюяйь]+$")  # what a Russian name's stem is without
MIN_LETTERS = 3
NOT_A_NAME = "not-a-name"  # <seg type="not-a-name">: the editors decided this is no name


def fold(word: str) -> str:
    """A word as names are compared: lower case, ё as е, pre-reform letters as modern ones."""
    return fold_old_spelling(word.casefold().replace("ё", "е"))


@functools.cache
def _morph():
    import pymorphy3  # loaded only when a Russian name is looked for (a second or so)
    return pymorphy3.MorphAnalyzer(lang="ru")


@functools.lru_cache(maxsize=200_000)
def lemmas(word: str) -> tuple[frozenset[str], bool]:
    """The normal forms of every parse of a folded Russian word (the first parse is not always
    the name's: «Нерчинском» is нерчинский and нерчинск), and whether the dictionary knows it."""
    parses = _morph().parse(word)
    return frozenset({word, *(p.normal_form.replace("ё", "е") for p in parses)}), \
        any(p.is_known for p in parses)


@dataclass
class Lexicon:
    """The forms of the entries' names: Russian by their normal forms (and, for names the
    dictionary does not know, by their stems), other languages by their exact forms."""

    by_lemma: dict[str, set[str]] = field(default_factory=dict)
    by_stem: dict[str, set[str]] = field(default_factory=dict)
    by_form: dict[str, set[str]] = field(default_factory=dict)
    prefixes: set[str] = field(default_factory=set)   # the first letters of every form: a cheap sieve

    def add(self, word: str, entry_id: str) -> None:
        w = fold(word)
        if len(w) < MIN_LETTERS:
            return
        self.prefixes.add(w[:MIN_LETTERS])
        if not _CYRILLIC.search(w):
            self.by_form.setdefault(w, set()).add(entry_id)
            return
        normal, known = lemmas(w)
        for lemma in normal:
            self.by_lemma.setdefault(lemma, set()).add(entry_id)
            self.prefixes.add(lemma[:MIN_LETTERS])
        stem = _ENDING.sub("", w)
        if not known and len(stem) >= 4:
            self.by_stem.setdefault(stem, set()).add(entry_id)

    def entries_for(self, word: str) -> set[str]:
        """The entries a word of the text may name."""
        w = fold(word)
        if len(w) < MIN_LETTERS or w[:MIN_LETTERS] not in self.prefixes:
            return set()
        if not _CYRILLIC.search(w):
            found = set(self.by_form.get(w, ()))
            for cut in (1, 2):  # a prefix form: Golovins, Golovin's
                found |= self.by_form.get(w[:-cut], set())
            return found
        found: set[str] = set()
        for lemma in lemmas(w)[0]:
            found |= self.by_lemma.get(lemma, set())
        for cut in range(4):  # an unknown name's stem and an ending of up to three letters
            if len(w) - cut >= 4:
                found |= self.by_stem.get(w[:len(w) - cut], set())
        return found


def lexicon(entries: dict[str, Entry]) -> Lexicon:
    """Every word of every name of the persons, places and organisations, and of every form
    the texts tag for them."""
    lex = Lexicon()
    for e in entries.values():
        if e.kind not in KINDS:
            continue
        forms = {e.label, *(n.text for n in e.names), *(o.mention.text for o in e.mentions)}
        for form in forms:
            for word in _WORD.findall(form):
                if word[:1].isupper():  # a name's word: «Император Канси», not «богдыхана»
                    lex.add(word, e.id)
    return lex


def _unread(el: etree._Element) -> bool:
    name = localname(el)
    return name in _SKIP or (name == "note" and (el.get("type") == "editorial" or el.get("resp"))) \
        or el.get("type") == NOT_A_NAME


def words_outside_mentions(root: etree._Element):
    """(word, line) for each word of a text outside names, dates and the editors' notes; the line
    counted from its element's start (lxml knows where each element starts, not where its text is)."""
    text = root.find(f"{{{TEI_NS}}}text")
    if text is None:
        return

    def walk(el, line):
        if el.text:
            yield from _words(el.text, line)
            line += el.text.count("\n")
        for child in el:
            if isinstance(child.tag, str) and not _unread(child):
                yield from walk(child, child.sourceline or line)
            if child.tail:
                tail_line = (child.sourceline or line) + _newlines_in(child)
                yield from _words(child.tail, tail_line)

    yield from walk(text, text.sourceline or 1)


def _newlines_in(el: etree._Element) -> int:
    """Line breaks in an element's content (to find where its tail starts)."""
    return sum(s.count("\n") for s in el.itertext()) if len(el) or el.text else 0


def _words(text: str, line: int):
    for m in _WORD.finditer(text):
        yield m.group(), line + text.count("\n", 0, m.start())


def find_untagged(edition, diags: Diagnostics, silenced: list[str] | tuple = ()) -> int:
    """A notice for each word of the texts that may name a person, place or organisation of the
    registers but is not tagged; returns how many. `silenced`: words (in any form) the editors
    decided are no names (the project's `not_names`)."""
    entries = edition.entries
    lex = lexicon(entries)
    if not (lex.by_lemma or lex.by_form or lex.by_stem):
        return 0
    quiet = {fold(w) for w in silenced}
    quiet_lemmas = _quiet_lemmas(quiet)
    count = 0
    for doc in edition.texts:
        tree = source(doc)
        if tree is None:
            continue
        lines = None
        for word, line in words_outside_mentions(tree.getroot()):
            if not word[:1].isupper() or fold(word) in quiet:
                continue
            found = lex.entries_for(word)
            if not found or (quiet_lemmas and _CYRILLIC.search(word) and lemmas(fold(word))[0] & quiet_lemmas):
                continue
            lines = lines or _lines(str(doc.path))
            count += 1
            diags.info_at(doc.path, (line, _column(lines, line, word)), _message(word, doc, found, entries),
                          CODE)
    return count


def _quiet_lemmas(quiet: set[str]) -> frozenset[str]:
    """A silenced Russian word silences its other forms: the normal forms of its parses."""
    return frozenset().union(*(lemmas(q)[0] for q in quiet if _CYRILLIC.search(q)))


def _column(lines: tuple[str, ...], line: int, word: str) -> int:
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    m = re.search(rf"(?<![^\W\d_]){re.escape(word)}(?![^\W\d_])", text)
    return m.start() + 1 if m else 1


def _message(word: str, doc: Document, found: set[str], entries: dict[str, Entry]) -> str:
    named = sorted(found, key=lambda i: entries[i].sort or entries[i].label)
    first = entries[named[0]]
    ref = _ref(doc, first)
    others = ", ".join(f"the {entries[i].kind} «{entries[i].label}», {_ref(doc, entries[i])}"
                       for i in named[1:])
    return (f"«{word}» is not tagged, but it may name the {first.kind} «{first.label}», {ref}"
            f"{f' (or {others})' if others else ''}: tag it "
            f"<{KINDS[first.kind]} ref=\"{ref}\">{word}</{KINDS[first.kind]}>, or, if it names no one, "
            f"wrap it in <seg type=\"{NOT_A_NAME}\"> or add it to `not_names` in mkdocs.yml's teisite "
            "settings")


def _ref(doc: Document, e: Entry) -> str:
    """How the text points to an entry: `#id` in its own file, `file.xml#id` in a register file."""
    here = Path(e.path) == Path(doc.path)
    if here:
        return f"#{e.xml_id}"
    try:
        rel = Path(e.path).relative_to(Path(doc.path).parent).as_posix()
    except ValueError:
        rel = Path(e.path).name
    return f"{rel}#{e.xml_id}"
