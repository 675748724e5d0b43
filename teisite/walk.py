"""The walk over a parsed document: models chosen, anchors and numbers assigned, mentions collected.

Anchors are assigned here once and read by both the renderer and the indexes, so an index link
always lands on the mention it names, also when mentions nest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from .dates import DateValue, date_value
from .models import ModelTable, param_holds, param_nodes, table_name
from .parsing import TEI_NS, TS_NS, XML_ID, XML_LANG

TS = TS_NS  # what teisite writes on elements, and its XPath functions (ts:token)
# what the walk writes on an element: its model ("name#i", when not its first), its anchor and
# number, the reading shown of several, a heading's level, a link that holds links
A_MODEL, A_ANCHOR, A_NUM = f"{{{TS}}}m", f"{{{TS}}}a", f"{{{TS}}}n"
A_SHOWN, A_LEVEL, A_NESTED = f"{{{TS}}}s", f"{{{TS}}}h", f"{{{TS}}}x"
ELSEWHERE = "-"  # A_SHOWN of a variant in another language than the page's
_TEI = f"{{{TEI_NS}}}"
_UNSAFE = re.compile(r"[^A-Za-z0-9_.:-]+")
_SPACES = re.compile(r"\s+")


def safe_id(value: str) -> str:
    """An id usable in HTML and URLs: no spaces, slashes or other path characters."""
    return _UNSAFE.sub("-", value).strip("-.") or "x"


@dataclass(slots=True)
class Mention:
    """One tagged name or date in a text, at its own anchor."""

    anchor: str
    element: str
    refs: list[str]           # the @ref tokens as written (resolved by the edition)
    text: str
    line: int
    passage: str              # anchor of the paragraph (or block) it stands in
    passage_n: str            # its number as shown (¶n), or ""
    date: DateValue | None = None
    cert: str = ""
    before: str = ""
    after: str = ""
    resolved: list[str] = field(default_factory=list)  # ids of the entries it names, set by the edition
    el: etree._Element | None = field(default=None, repr=False, compare=False)
    where: str = ""           # the element's path in its file (getpath), once `el` is let go
    dur: bool = False         # a <date> with @dur (a duration, which has no place in time)
    attr: str = "ref"         # the attribute its refs come from: "who" for a speech


@dataclass(slots=True)
class Passage:
    anchor: str
    n: str
    line: int
    text: str = ""   # its reading text (without notes, whitespace folded), for the search index
    lang: str = ""   # a translation's paragraph: the translation's language (xml:lang)


@dataclass
class WalkResult:
    mentions: list[Mention]
    passages: list[Passage]
    notes: int
    unknown: list[etree._Element]      # the elements that have no model
    elements: int
    # the elements left out on purpose (a `hidden` behaviour), by name: the first of them, how
    # many there are and how many words they hold, and where their words are shown instead (a
    # model's `shown` parameter: "indexes" for register lists, "alt" for a figure's description)
    omitted: dict[str, Omitted] = field(default_factory=dict)
    translated: list[Passage] = field(default_factory=list)  # the paragraphs of its translations


@dataclass(slots=True)
class Omitted:
    """The elements of one name a document's page leaves out on purpose."""

    first: etree._Element
    count: int = 0
    words: int = 0
    shown: str = ""


class _Context:
    """The plain text of one block, as a reader sees it, with mention offsets for KWIC lines."""

    __slots__ = ("length", "parts", "spans", "whole")

    def __init__(self, whole: bool = False):
        self.parts: list[str] = []
        self.length = 0
        self.spans: list[tuple[Mention, int, int]] = []
        self.whole = whole  # a block that is a mention (a speech): its blocks' words are its text

    def add(self, text: str | None) -> None:
        if text:
            self.parts.append(text)
            self.length += len(text)

    def finish(self, width: int = 60) -> str:
        """Give each mention its keyword-in-context; return the block's text."""
        text = "".join(self.parts)
        for mention, start, end in self.spans:
            mention.before = _clip(text[max(0, start - width):start], True, width)
            mention.after = _clip(text[end:end + width], False, width)
            mention.text = _head(" ".join(text[start:end].split()) or mention.text)
        return text


def _head(s: str, width: int = 200) -> str:
    """A long mention (a whole speech) by its beginning, cut at a word."""
    return s if len(s) <= width else s[:width].rsplit(" ", 1)[0] + " …"


def _clip(s: str, left: bool, width: int = 60) -> str:
    """Whitespace folded; a cut word at the far end dropped and marked with an ellipsis."""
    if "  " in s or not s.isprintable():  # (any whitespace but a single space is unprintable)
        s = _SPACES.sub(" ", s)
    if len(s) < width or " " not in s.strip():
        return s
    return "…" + s.split(" ", 1)[1] if left else s.rsplit(" ", 1)[0] + "…"


def walk(root: etree._Element, table: ModelTable, calendars: dict[str, str] | None = None) -> WalkResult:
    """Choose each element's model, assign anchors and numbers, collect mentions with context.

    What each behaviour does here is what its template declares (teisite/behaviours.py). The
    walk decides once, and writes on the element, what the renderer and the search text both
    read: the model chosen (A_MODEL), anchor and number, the reading shown of several
    (A_SHOWN), a heading's level (A_LEVEL) and whether a link has links inside (A_NESTED).
    `calendars`: what each @datingMethod of the document names (dates.calendar_kinds)."""
    mentions: list[Mention] = []
    passages: list[Passage] = []
    translated: list[Passage] = []
    unknown: list[etree._Element] = []
    omitted: dict[str, Omitted] = {}
    # every xml:id is reserved for its own element, so a made-up anchor (p3, p1-m2) never takes it
    reserved: set[str] = set(filter(None, map(str, _IDS(root))))
    used: set[str] = set(reserved)
    claimed: set[str] = set()
    counts = {"passage": 0, "note": 0, "elements": 0, "line": 0, "apparatus": 0}
    units: dict[str, int] = {}  # cells, speeches, letter parts so far, by element name
    contexts: list[_Context] = [_Context()]
    doc_seen: dict[str, int] = {}  # mentions outside any passage, by what they name
    state = {"passage": None, "passage_mentions": {}, "in_note": 0, "depth": 0, "in_heading": 0,
             "elsewhere": 0}
    # the notes around the element, each with the mentions numbered in it so far: a name in a note
    # is anchored by its note (note-3-m1), so that adding a note, or a citation in one, moves no
    # anchor of the text's own names
    notes: list[list] = []
    pick = table.pick
    does = table.behaviour
    show_original = table.show_original
    lang = table.lang or root.get(XML_LANG, "")

    def unique(base: str) -> str:
        anchor, k = base, 1
        while anchor in used:
            k += 1
            anchor = f"{base}-{k}"
        used.add(anchor)
        return anchor

    def own(xml_id: str) -> str:
        """The anchor of an element with an xml:id: the id itself, unless unsafe or taken twice."""
        anchor = safe_id(xml_id)
        if anchor == xml_id and anchor in reserved and anchor not in claimed:
            claimed.add(anchor)
            return anchor
        return unique(anchor)

    def visit(el: etree._Element, hidden: bool) -> bool:
        """Walk one element; whether it is, or holds, a link (for a link around it)."""
        if not isinstance(el.tag, str):  # comments and processing instructions carry no text
            if not hidden:
                contexts[-1].add(el.tail)
            return False
        counts["elements"] += 1
        model, name, mark, known = pick(el)
        if mark is not None:
            el.set(A_MODEL, mark)
        if not known:
            unknown.append(el)
        b = does(model.behaviour)
        if b.spacing:
            _space(el, contexts[-1] if not hidden else None)
        if b.hidden:
            # left out on purpose, and said so (loading reports it): also inside a reading not
            # shown, which its popover shows without what is hidden in it
            gone = omitted.get(name or el.tag)
            if gone is None:
                gone = omitted[name or el.tag] = Omitted(el, shown=str(model.params.get("shown", "")))
            gone.count += 1
            gone.words += len(_STRING(el).split())
            if not hidden:
                contexts[-1].add(el.tail)
            return False
        if b.verbatim:  # a code example: its elements are shown as code, not walked as text
            if not hidden:
                contexts[-1].add(el.tail)
            return False
        mention = None
        translating = None  # this element, when it is a paragraph of a translation
        saved_passage = state["passage"], state["passage_mentions"]
        if b.numbers == "passage" and not state["in_note"]:
            counts["passage"] += 1
            n = el.get("n") or str(counts["passage"])
            anchor = own(el.get(XML_ID)) if el.get(XML_ID) else unique(safe_id(f"p{n}"))
            el.set(A_ANCHOR, anchor)
            el.set(A_NUM, n)
            state["passage"], state["passage_mentions"] = Passage(anchor, n, el.sourceline or 0), {}
            passages.append(state["passage"])
        elif b.numbers == "note":
            counts["note"] += 1
            el.set(A_NUM, str(counts["note"]))
            el.set(A_ANCHOR, own(el.get(XML_ID)) if el.get(XML_ID) else unique(f"note-{counts['note']}"))
            state["in_note"] += 1
            notes.append([el.get(A_ANCHOR), {}])
            choose_language(el, lang)
        elif b.numbers == "translation" and not state["in_note"] and not hidden:
            # the number of the passage it translates; an anchor only from its own xml:id
            if el.get(XML_ID):
                el.set(A_ANCHOR, own(el.get(XML_ID)))
            if el.get("n"):
                el.set(A_NUM, el.get("n"))
            lang_of = el.get(XML_LANG) or next(
                (a.get(XML_LANG) for a in el.iterancestors() if a.get(XML_LANG)), "")
            translating = Passage(el.get(A_ANCHOR, ""), el.get("n", ""), el.sourceline or 0, lang=lang_of)
            translated.append(translating)
        elif b.numbers == "line" and not state["in_note"] and not hidden:
            given = el.get("n", "").strip()
            counts["line"] = int(given) if given.isdigit() else counts["line"] + 1
            n = given or str(counts["line"])
            el.set(A_ANCHOR, own(el.get(XML_ID)) if el.get(XML_ID) else unique(safe_id(f"l{n}")))
            el.set(A_NUM, n)
        elif b.numbers == "apparatus" and not hidden:
            counts["apparatus"] += 1
            el.set(A_NUM, str(counts["apparatus"]))
            el.set(A_ANCHOR, unique(f"app-{counts['apparatus']}"))
        elif model.params.get("anchor") == "unit" and not state["in_note"] and not hidden:
            # a place a search result leads to (a cell, a speech, a part of a letter): its
            # xml:id, else its name and number (`cell-3`, `closer-1`)
            units[name] = units.get(name, 0) + 1
            el.set(A_ANCHOR, own(el.get(XML_ID)) if el.get(XML_ID)
                   else unique(safe_id(f"{name}-{units[name]}")))
        elif b.anchor == "id" and el.get(XML_ID):
            el.set(A_ANCHOR, own(el.get(XML_ID)))
        if b.heading:
            el.set(A_LEVEL, str(min(state["depth"] + 1, 6)))  # the page title is h1
        # a name with @key and no @ref: a mention that links when the key is an entry's
        # xml:id, and is said to be unused otherwise (checks.resolve)
        # which attribute holds a name's references: the model's `refs` parameter (a bibl's
        # @corresp), else what its behaviour declares (a speech's @who), else @ref
        refs = model.params.get("refs", b.refs)
        key = el.get("key") if b.collects == "name" and refs == "ref" and not el.get("ref") \
            and (el.get("key") or "").strip() else None
        if ((b.collects == "name" and (el.get(refs) or key)) or b.collects == "date") and \
                not state["elsewhere"]:
            passage = state["passage"]
            if el.get(XML_ID):
                anchor = own(el.get(XML_ID))
            else:
                # named by its unit (note, passage or document), what it names and its
                # occurrence there: p4-kangxi-2 is the second mention of kangxi in ¶4
                unit, seen = (notes[-1][0], notes[-1][1]) if notes else \
                    (passage.anchor, state["passage_mentions"]) if passage is not None else ("m", doc_seen)
                what = mention_key(el, key or el.get(refs), b.collects == "date")
                seen[what] = seen.get(what, 0) + 1
                anchor = unique(safe_id(f"{unit}-{what}-{seen[what]}"))
            el.set(A_ANCHOR, anchor)
            mention = Mention(anchor, name, [f"#{key.strip()}"] if key else (el.get(refs) or "").split(),
                              "", el.sourceline or 0,
                              passage.anchor if passage else "", passage.n if passage else "",
                              date_value(el.attrib, calendars) if b.collects == "date" else None,
                              el.get("cert", ""), el=el, dur=el.get("dur") is not None,
                              attr="key" if key else refs)
            mentions.append(mention)
        if b.block:  # a block inside a speech hands its words on up to it, however deep
            contexts.append(_Context(mention is not None or contexts[-1].whole))
        ctx = contexts[-1]
        start = ctx.length
        if not hidden:
            ctx.add(el.text)
        state["depth"] += b.sectioning
        state["in_heading"] += b.heading
        if b.reading:
            _mark_readings(el, model.params, b.reading, show_original, state["in_heading"] > 0)
        links_inside = False
        for child in el:
            # the readings not shown are walked too (their names are offered in a tooltip), but
            # their words are not the reading text
            elsewhere = child.get(A_SHOWN) == ELSEWHERE  # another language's variant: not on this page
            state["elsewhere"] += elsewhere
            links_inside = visit(child, hidden or child.get(A_SHOWN) in ("0", ELSEWHERE)) or links_inside
            state["elsewhere"] -= elsewhere
        state["depth"] -= b.sectioning
        state["in_heading"] -= b.heading
        if b.links and links_inside:
            el.set(A_NESTED, "1")
        if mention is not None:
            ctx.spans.append((mention, start, ctx.length))
        if b.block:
            text = contexts.pop().finish()
            if contexts[-1].whole and not hidden:
                contexts[-1].add(f" {text} ")
            if b.numbers == "passage" and el.get(A_NUM) and state["passage"] is not None:
                state["passage"].text = " ".join(text.split())
            elif translating is not None:
                translating.text = " ".join(text.split())
        if b.numbers == "note":
            state["in_note"] -= 1
            notes.pop()
        if b.numbers == "passage" and not state["in_note"]:
            state["passage"], state["passage_mentions"] = saved_passage
        if not hidden:
            contexts[-1].add(el.tail)
        # a link: a name or date collected (one with nothing to link to is written plain), or
        # anything else declared a link
        return links_inside or (b.links and (mention is not None or not b.collects))

    visit(root, False)
    contexts[0].finish()
    return WalkResult(mentions, passages, counts["note"], unknown, counts["elements"], omitted,
                      translated)


def choose_language(el: etree._Element, lang: str) -> None:
    """A note written in several languages (its children elements each with an xml:lang, two
    languages at least): the one in the interface's language is shown, else the one in the
    document's, else the first; the others are marked ELSEWHERE, and neither rendered nor indexed."""
    kids = [c for c in el if isinstance(c.tag, str)]
    langs = [c.get(XML_LANG) for c in kids]
    if len(kids) < 2 or not all(langs) or len(set(langs)) < 2:
        return
    home = next((a.get(XML_LANG) for a in el.iterancestors() if a.get(XML_LANG)), "")
    shown = next((c for want in (lang, home) for c in kids if want and c.get(XML_LANG) == want), kids[0])
    for c in kids:
        if c is not shown and c.get(XML_LANG) != shown.get(XML_LANG):
            c.set(A_SHOWN, ELSEWHERE)
        elif c.get(A_SHOWN) == ELSEWHERE:  # (a tree walked before for another language)
            del c.attrib[A_SHOWN]


def mention_key(el: etree._Element, refs: str | None, is_date: bool) -> str:
    """What a mention without an xml:id is named by in its anchor: the entry its first reference
    names (`persons.xml#tolbuzin` → `tolbuzin`), a date's value (`1689-08-22`), or its element."""
    if is_date:
        for att in ("when", "notBefore", "from", "notAfter", "to", "dur"):
            if el.get(att, "").strip():
                return el.get(att).strip()
    first = (refs or "").split()[:1]
    if first:
        return first[0].rsplit("#", 1)[-1].rstrip("/").rsplit("/", 1)[-1] or "x"
    tag = el.tag if isinstance(el.tag, str) else "m"
    return tag[len(_TEI):] if tag.startswith(_TEI) else etree.QName(tag).localname


_IDS = etree.XPath("descendant-or-self::*/@xml:id")  # in one walk in C
_STRING = etree.XPath("string()")  # an element's words, without comments


def _space(el: etree._Element, ctx: _Context | None) -> None:
    """A break between words (`spacing: break`): inside a word (@break="no") the whitespace
    either side goes, so the word runs on; otherwise the words either side are never glued
    together (a space is added when the source has none). The text before it is already in the
    block's context (ctx, None when not reading text), which gets the same change."""
    prev = el.getprevious()
    before = (prev.tail if prev is not None else el.getparent().text) if el.getparent() is not None else None
    before = before or ""
    if el.get("break") == "no":
        if before and before[-1:].isspace():
            if prev is not None:
                prev.tail = before.rstrip()
            else:
                el.getparent().text = before.rstrip()
            if ctx is not None and ctx.parts and ctx.parts[-1] == before:
                ctx.parts[-1] = before.rstrip()
                ctx.length -= len(before) - len(ctx.parts[-1])
        if el.tail and el.tail[:1].isspace():
            el.tail = el.tail.lstrip()
    elif (before and not before[-1:].isspace() and not (el.tail or "")[:1].isspace()
          and (el.tail or el.getnext() is not None)):
        el.tail = " " + (el.tail or "")


def _children(el: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in el if isinstance(c.tag, str) and c.tag == f"{_TEI}{name}"]


def _mark_readings(el: etree._Element, params: dict, reading: str, show_original: bool,
                   in_heading: bool = False) -> None:
    """Of an element that shows one reading of several, mark the reading shown (A_SHOWN="1")
    and what is not shown ("0"): the other readings, and anything else the template leaves out.

    choice: the child named by params `original` (the source's reading), or by `regular` (the
    editors') when the edition shows the editors' readings. apparatus: the reading for which
    params `lemma` holds, or without one the first reading in document order, also inside a
    reading group (app_readings). In a heading, an empty lemma would leave it without words:
    there the first reading that has words is shown."""
    if reading == "choice":
        first, second = params.get("original", ""), params.get("regular", "")
        if not show_original:
            first, second = second, first
        found = _children(el, first) or _children(el, second)
        shown, others = (found[0] if found else None), [c for c in el if isinstance(c.tag, str)]
    else:
        readings, _ = app_readings(el, params)
        lemmas = [r for r in readings if param_holds(params, "lemma", r)]
        shown = (lemmas or readings or [None])[0]
        if in_heading and shown is not None and not _STRING(shown).strip():
            shown = next((r for r in readings if _STRING(r).strip()), shown)
        others = readings + [c for c in el if isinstance(c.tag, str)]
    holders = set() if shown is None else {shown, *shown.iterancestors()}
    for other in others:
        if other not in holders:
            other.set(A_SHOWN, "0")
    if shown is not None:
        shown.set(A_SHOWN, "1")


def app_readings(app: etree._Element, params: dict) -> tuple[list[etree._Element], list[etree._Element]]:
    """An apparatus entry's readings and reading groups, each in document order, as its model's
    params select them (XPath): `readings` and `groups` from the entry, and from each group."""
    readings: list[etree._Element] = []
    groups: list[etree._Element] = []
    seen: set[etree._Element] = {app}
    todo = [app]
    while todo:
        holder = todo.pop()
        for r in param_nodes(params, "readings", holder):
            if r not in seen:
                seen.add(r)
                readings.append(r)
        found = [g for g in param_nodes(params, "groups", holder) if g not in seen]
        seen.update(found)
        groups += found
        todo += found
    if groups:  # readings of several holders: put back in document order
        order = {e: i for i, e in enumerate(app.iter())}
        readings.sort(key=lambda e: order.get(e, len(order)))
        groups.sort(key=lambda e: order.get(e, len(order)))
    return readings, groups


def model_of(el: etree._Element, table: ModelTable):
    """The model `walk` chose for an element: as written down, or its element's first."""
    chosen = el.get(A_MODEL)
    if chosen is None:
        name = table_name(el.tag) if isinstance(el.tag, str) else ""
        return table.models.get(name or "*", table.models["*"])[0]
    name, _, i = chosen.rpartition("#")
    return table.models[name][int(i)]
