"""Nothing lost without a word (issue 14, item 1): every word inside a document's <text> is on its
page (the reading text, the notes, the apparatus, a popover's data, an alt text or a title), or
inside an element that the build reported as left out (`text.omitted`).

The words are read from the TEI here, independently of teisite's walk, and looked for in the
built page as a browser has it: all its text (the notes and the apparatus under the text, the
JSON the popovers read) and its attribute values (alt, title, aria-label, data-*).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html
import pytest
from conftest import CORPORA, FIXTURES, REPO, build_site
from lxml import etree
from test_render import load

from teisite.parsing import TEI_NS

_WORD = re.compile(r"\w+")
_NOT_WORD = re.compile(r"\W+")
_OMITTED = re.compile(r"^\d+ <([\w:.-]+)> element")

PROJECTS = {
    "seed": REPO / "source" / "tei",
    **{f"fixtures/{p.name}": p for p in sorted(FIXTURES.iterdir())
       if p.is_dir() and p.name not in ("corpora", "hostile")},
    **{f"corpora/{p.name}": p for p in sorted((FIXTURES / "corpora").iterdir()) if p.is_dir()},
    **{f"shared/{name}": CORPORA / name for name in ("maechtekongresse", "kamen")},
}


@dataclass
class Coverage:
    words: int = 0          # the words inside <text> of the project's text documents
    shown: int = 0          # of these, on the document's page
    omitted: int = 0        # not on it, inside an element the build said it leaves out
    lost: list[str] = field(default_factory=list)  # neither: "file:line: word"


def tei_words(text: etree._Element):
    """(word, line, names of the elements it stands in) for every word of a <text>, from the
    source as it is: each element's text and each tail (a tail belongs to the parent)."""
    for el in text.iter():
        if not isinstance(el.tag, str):
            continue
        chain = {etree.QName(a).localname for a in el.iterancestors() if isinstance(a.tag, str)}
        own = chain | {etree.QName(el).localname}
        for word in _WORD.findall(el.text or ""):
            yield word, el.sourceline, own, el
    for el in text.iter(etree.Element, etree.Comment, etree.ProcessingInstruction):
        if el is text or not el.tail:
            continue
        chain = {etree.QName(a).localname for a in el.iterancestors() if isinstance(a.tag, str)}
        for word in _WORD.findall(el.tail):
            yield word, el.sourceline, chain, el.getparent()


_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def in_another_language(el: etree._Element, page_lang: str) -> bool:
    """Whether el stands in a note's variant in another language than the page's (a note whose
    children each carry an xml:lang): that variant is on the other interface's page."""
    for a in (el, *el.iterancestors()):
        parent = a.getparent()
        if parent is None or etree.QName(parent).localname != "note":
            continue
        kids = [c for c in parent if isinstance(c.tag, str)]
        langs = {c.get(_LANG) for c in kids}
        if None in langs or len(langs) < 2:
            continue
        home = next((x.get(_LANG) for x in parent.iterancestors() if x.get(_LANG)), "")
        shown = page_lang if page_lang in langs else home if home in langs else kids[0].get(_LANG)
        return a.get(_LANG) != shown
    return False


def fold(text: str) -> str:
    """Case folded, and composed again (folding decomposes some Greek letters: ῆ is η + ͂)."""
    return unicodedata.normalize("NFC", text.casefold())


def page_words(page: Path) -> tuple[set[str], str]:
    """The page's words (casefolded) and all its letters run together (for words the edition
    joins across a line break inside a word, or splits at a `g`)."""
    tree = lxml.html.parse(str(page))
    parts = list(tree.getroot().itertext())
    for el in tree.getroot().iter():
        if isinstance(el.tag, str):
            parts.extend(el.attrib.values())
    text = fold(" ".join(parts))
    return set(_WORD.findall(text)), _NOT_WORD.sub("", text).replace("_", "")


@functools.cache
def built(name: str, tmp: Path) -> Path:
    return build_site(PROJECTS[name], tmp / name.replace("/", "-") / "site")


def coverage(name: str, site: Path) -> Coverage:
    edition = load(PROJECTS[name])
    reported: dict[str, set[str]] = {}
    for d in edition.diagnostics.items:
        found = _OMITTED.match(d.message) if d.code == "text.omitted" else None
        if found:
            reported.setdefault(d.path, set()).add(found.group(1))
    out = Coverage()
    for doc in edition.texts:
        tree = etree.parse(str(doc.path))
        words, letters = page_words(site / doc.url / "index.html")
        page_lang = lxml.html.parse(str(site / doc.url / "index.html")).getroot().get("lang", "")
        left_out = reported.get(str(doc.path), set())
        for text in tree.getroot().iter(f"{{{TEI_NS}}}text"):
            if any(etree.QName(a).localname == "text" for a in text.iterancestors()):
                continue  # a <text> inside a <group> is walked with its outer one
            for word, line, names, el in tei_words(text):
                if in_another_language(el, page_lang):
                    continue  # on the other interface's page (test_render: note-languages)
                out.words += 1
                folded = fold(word)
                if folded in words or folded.replace("_", "") in letters:
                    out.shown += 1
                elif names & left_out:
                    out.omitted += 1
                else:
                    out.lost.append(f"{doc.rel}:{line}: {word}")
    return out


@pytest.mark.parametrize("name", PROJECTS)
def test_every_word_is_shown_or_its_omission_reported(name, tmp_path_factory):
    if not PROJECTS[name].exists():
        pytest.skip(f"{PROJECTS[name]} is not on this machine")
    site = built(name, tmp_path_factory.getbasetemp())
    result = coverage(name, site)
    assert result.words > 0
    assert not result.lost, f"{len(result.lost)} of {result.words} words lost silently:\n" + \
        "\n".join(result.lost[:40])


def test_hidden_elements_are_reported_once_per_name_and_file(tmp_path):
    (tmp_path / "a.xml").write_text(
        f'<TEI xmlns="{TEI_NS}"><teiHeader><fileDesc><titleStmt><title>A</title></titleStmt>'
        "</fileDesc></teiHeader><text><body><p>one <fw>running head</fw> two</p>"
        '<p>three <fw>catch</fw><milestone unit="section"/><metamark/></p></body></text></TEI>',
        encoding="utf-8")
    found = [d for d in load(tmp_path).diagnostics.items if d.code == "text.omitted"]
    by_name = {_OMITTED.match(d.message).group(1): d for d in found}
    assert set(by_name) == {"fw", "metamark"}
    fw = by_name["fw"]
    assert (fw.severity, fw.line, fw.col) == ("warning", 1, fw.col)
    assert fw.message.startswith("2 <fw> elements (3 words) are not shown")
    assert by_name["metamark"].severity == "info"
    assert by_name["metamark"].message.startswith("1 <metamark> element (no words) is not shown")
