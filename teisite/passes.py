"""One walk over a parsed document: models chosen, anchors and note numbers assigned, mentions collected.

Anchors are assigned here once and read by both the renderer and the indexes, so an index link
always lands on the mention it names, also when mentions nest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from .dates import DateValue, date_value
from .models import ModelTable
from .parsing import TEI_NS, XML_ID, localname

TS = "urn:teisite"
A_MODEL, A_ANCHOR, A_NUM = f"{{{TS}}}m", f"{{{TS}}}a", f"{{{TS}}}n"
_TEI = f"{{{TEI_NS}}}"
CONTEXT_BEHAVIOURS = {"paragraph", "heading", "block", "note"}
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


@dataclass(slots=True)
class Passage:
    anchor: str
    n: str
    line: int
    text: str = ""   # its reading text (without notes, whitespace folded), for the search index


@dataclass
class WalkResult:
    mentions: list[Mention]
    passages: list[Passage]
    notes: int
    unknown: list[tuple[str, int]]     # elements that have no model: (name, line)
    elements: int


class _Context:
    """The plain text of one block, as a reader sees it, with mention offsets for KWIC lines."""

    __slots__ = ("length", "parts", "spans")

    def __init__(self):
        self.parts: list[str] = []
        self.length = 0
        self.spans: list[tuple[Mention, int, int]] = []

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
            mention.text = " ".join(text[start:end].split()) or mention.text
        return text


def _clip(s: str, left: bool, width: int = 60) -> str:
    """Whitespace folded; a cut word at the far end dropped and marked with an ellipsis."""
    if "  " in s or not s.isprintable():  # (any whitespace but a single space is unprintable)
        s = _SPACES.sub(" ", s)
    if len(s) < width or " " not in s.strip():
        return s
    return "…" + s.split(" ", 1)[1] if left else s.rsplit(" ", 1)[0] + "…"


def walk(root: etree._Element, table: ModelTable) -> WalkResult:
    """Choose each element's model, assign anchors and numbers, collect mentions with context."""
    mentions: list[Mention] = []
    passages: list[Passage] = []
    unknown: list[tuple[str, int]] = []
    # every xml:id is reserved for its own element, so a made-up anchor (p3, p1-m2) never takes it
    reserved: set[str] = set(filter(None, map(str, _IDS(root))))
    used: set[str] = set(reserved)
    claimed: set[str] = set()
    counts = {"passage": 0, "note": 0, "doc_mentions": 0, "elements": 0}
    contexts: list[_Context] = [_Context()]
    state = {"passage": None, "passage_mentions": 0, "in_note": 0}
    plan = table.plan

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

    def visit(el: etree._Element, hidden: bool) -> None:
        if not isinstance(el.tag, str):  # comments and processing instructions carry no text
            if not hidden:
                contexts[-1].add(el.tail)
            return
        counts["elements"] += 1
        model, name, mark, known = plan(el)
        if mark is not None:
            el.set(A_MODEL, mark)
        if not known:
            unknown.append((etree.QName(el).localname, el.sourceline or 0))
        behaviour = model.behaviour
        if behaviour == "omit":
            if not hidden:
                contexts[-1].add(el.tail)
            return
        mention = None
        if behaviour in _SPECIAL:
            saved_passage = state["passage"], state["passage_mentions"]
            if behaviour == "paragraph" and not state["in_note"]:
                counts["passage"] += 1
                n = el.get("n") or str(counts["passage"])
                anchor = own(el.get(XML_ID)) if el.get(XML_ID) else unique(safe_id(f"p{n}"))
                el.set(A_ANCHOR, anchor)
                el.set(A_NUM, n)
                state["passage"], state["passage_mentions"] = Passage(anchor, n, el.sourceline or 0), 0
                passages.append(state["passage"])
            elif behaviour in ("heading", "section") and el.get(XML_ID):
                el.set(A_ANCHOR, own(el.get(XML_ID)))
            elif behaviour == "note":
                counts["note"] += 1
                el.set(A_NUM, str(counts["note"]))
                el.set(A_ANCHOR, unique(f"note-{counts['note']}"))
                state["in_note"] += 1
            elif behaviour in ("mention", "date") and (el.get("ref") or behaviour == "date"):
                passage = state["passage"]
                if el.get(XML_ID):
                    anchor = own(el.get(XML_ID))
                elif passage is not None:
                    state["passage_mentions"] += 1
                    anchor = unique(f"{passage.anchor}-m{state['passage_mentions']}")
                else:
                    counts["doc_mentions"] += 1
                    anchor = unique(f"m{counts['doc_mentions']}")
                el.set(A_ANCHOR, anchor)
                mention = Mention(anchor, name, (el.get("ref") or "").split(), "", el.sourceline or 0,
                                  passage.anchor if passage else "", passage.n if passage else "",
                                  date_value(el.attrib) if behaviour == "date" else None,
                                  el.get("cert", ""), el=el, dur=el.get("dur") is not None)
                mentions.append(mention)
        pushed = behaviour in CONTEXT_BEHAVIOURS
        if pushed:
            contexts.append(_Context())
        ctx = contexts[-1]
        start = ctx.length
        if not hidden:
            ctx.add(el.text)
        if behaviour in ("alternate", "apparatus"):
            shown = _shown_children(el, model.params, behaviour)
            for child in el:
                visit(child, hidden or child not in shown)
        else:
            for child in el:
                visit(child, hidden)
        if mention is not None:
            ctx.spans.append((mention, start, ctx.length))
        if pushed:
            text = contexts.pop().finish()
            if behaviour == "paragraph" and el.get(A_NUM) and state["passage"] is not None:
                state["passage"].text = " ".join(text.split())
        if behaviour in _SPECIAL:
            if behaviour == "note":
                state["in_note"] -= 1
            if behaviour == "paragraph" and not state["in_note"]:
                state["passage"], state["passage_mentions"] = saved_passage
        if not hidden:
            contexts[-1].add(el.tail)

    visit(root, False)
    contexts[0].finish()
    return WalkResult(mentions, passages, counts["note"], unknown, counts["elements"])


_IDS = etree.XPath("descendant-or-self::*/@xml:id")  # in one walk in C
# behaviours that number, anchor or collect something in the walk
_SPECIAL = {"paragraph", "heading", "section", "note", "mention", "date"}


def _shown_children(el: etree._Element, params: dict, behaviour: str) -> list:
    """For readings shown one at a time, the children whose text is the reading text."""
    if behaviour == "alternate":
        original = params.get("original", "")
        return [c for c in el if isinstance(c.tag, str) and localname(c) == original][:1]
    if behaviour == "apparatus":
        lem = [c for c in el if isinstance(c.tag, str) and localname(c) == "lem"]
        return lem[:1] or [c for c in el if isinstance(c.tag, str) and localname(c) == "rdg"][:1]
    return list(el)



def model_of(el: etree._Element, table: ModelTable):
    """The model `walk` chose for an element: as written down, or its element's first."""
    chosen = el.get(A_MODEL)
    if chosen is None:
        tag = el.tag
        name = tag[len(_TEI):] if isinstance(tag, str) and tag.startswith(_TEI) else "*"
        return table.models.get(name, table.models["*"])[0]
    name, _, i = chosen.rpartition("#")
    return table.models[name][int(i)]
