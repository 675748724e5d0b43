"""The checks of a loaded edition: ids unique in a file, dates well formed, each @ref pointing
to a register entry (with a did-you-mean), and register entries no text mentions."""

from __future__ import annotations

import difflib
import re

from lxml import etree

from .dates import check_iso, start_key
from .diagnostics import Diagnostics
from .document import Document
from .parsing import TEI_NS, localname, location
from .registers import Entry, Occurrence, References
from .trees import source
from .walk import Mention

# @when and kin are dates wherever they stand; @from/@to only on dated elements (locus has pages)
_DATED = ("date", "birth", "death", "floruit", "event", "origDate", "docDate", "time", "state",
          "residence", "occupation", "change", "affiliation", "education")
_ANYWHERE = tuple(f"{a}{c}" for a in ("when", "notBefore", "notAfter") for c in ("", "-custom"))
_ON_DATED = ("from", "to", "from-custom", "to-custom")
_DATE_ATTRIBUTES = frozenset(_ANYWHERE + _ON_DATED)
# every attribute of the tree in one walk in C; picking the dates from them in Python is faster
# than any XPath predicate that names them
_ATTRIBUTES = etree.XPath(".//@*")


def check_dates(doc: Document, diags: Diagnostics) -> None:
    for value in _ATTRIBUTES(doc.tree.getroot()):
        name = value.attrname
        if name not in _DATE_ATTRIBUTES:
            continue
        el = value.getparent()
        if name in _ON_DATED and not (localname(el) in _DATED and el.tag.startswith(f"{{{TEI_NS}}}")):
            continue
        custom = name.endswith("-custom")
        method = el.get("datingMethod", "")
        problem = check_iso(str(value), julian=custom and method.endswith("julian"))
        # a value in a calendar teisite does not know (@datingMethod elsewhere) is not checked
        if problem and not (custom and not method.endswith(("julian", "gregorian"))):
            line, col = location(el, doc.path)
            diags.error(doc.path, line, col, f"@{name}=\"{value}\" {problem}", "date.invalid")
        elif name == "notBefore" and not problem:
            a, b = str(value), el.get("notAfter")
            if b is not None and not check_iso(b) and start_key(a) > start_key(b):
                line, col = location(el, doc.path)
                diags.error(doc.path, line, col, f"@notBefore=\"{a}\" is after @notAfter=\"{b}\"; "
                            "swap them", "date.order")



_IDS = etree.XPath("//@xml:id")


def check_ids(doc: Document, diags: Diagnostics) -> None:
    seen: dict[str, etree._Element] = {}
    for xid in _IDS(doc.tree):
        el = xid.getparent()
        if xid in seen:
            line, col = location(el, doc.path)
            diags.error(doc.path, line, col, f"xml:id \"{xid}\" is used twice in this file (first at "
                        f"line {seen[xid].sourceline}); ids must be unique", "id.duplicate")
        else:
            seen[str(xid)] = el


_URI = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def resolve(docs: list[Document], entries: dict[str, Entry], diags: Diagnostics) -> None:
    """Turn each mention's @ref into entries, reporting refs that point nowhere.

    While serving, an unchanged document keeps what it resolved to as long as the registers
    hold the same ids: only its occurrences are handed to the (new) entries."""
    refs = References(entries, docs)  # which entry or document a token names (registers.py)
    ids = list(refs.by_xml_id)
    ids_key = refs.key
    close: dict[str, list[str]] = {}  # did-you-mean, once per unknown id
    for doc in docs:
        if doc.resolution is None or doc.resolution[0] != ids_key:
            problems = Diagnostics()
            _resolve_document(doc, refs, ids, close, problems)
            doc.resolution = (ids_key, problems)
        for m in doc.mentions:
            for i in m.resolved:
                entries[i].mentions.append(Occurrence(doc, m))
        diags.extend(doc.resolution[1])


def _where(doc: Document, m: Mention) -> tuple[int, int]:
    """Line and column of a mention: from its element, or (once the loaded tree has been let
    go, see trees.shed_text) from its file, parsed again to find the element by its path."""
    if m.el is not None:
        return location(m.el, doc.path)
    again = source(doc)
    found = again.xpath(m.where) if again is not None and m.where else []
    return location(found[0], doc.path) if found else (m.line, 0)


def _resolve_document(doc: Document, refs: References, ids: list[str],
                      close: dict[str, list[str]], diags: Diagnostics) -> None:
    for m in doc.mentions:
        resolved = []
        for token in m.refs:
            if ":" in token and _URI.match(token):
                continue  # an external URI: linked as it is, no register entry
            _, _, xid = token.rpartition("#")
            entry, meant = refs.entry(doc, xid)
            if entry is None and refs.document(doc, token) is not None:
                continue  # another document of the edition: a link to its page
            if entry is None:
                line, col = _where(doc, m)
                if meant:
                    where = ", ".join(sorted({e.scope for e in meant}))
                    diags.error(doc.path, line, col, f"@{m.attr} `{token}` names entries that "
                                f"several texts define ({where}), none in this text or in a "
                                "register file; define it once in a register file",
                                "ref.ambiguous")
                    continue
                if xid not in close:
                    close[xid] = difflib.get_close_matches(xid, ids, n=1)
                hint = f"; did you mean `#{close[xid][0]}`?" if close[xid] else \
                    "; add an entry with this xml:id to a register (listPerson, listPlace, listOrg)"
                diags.error(doc.path, line, col, f"@{m.attr} `{token}` is not in any register{hint}",
                            "ref.unresolved")
                continue
            if entry.id not in resolved:
                resolved.append(entry.id)
        m.resolved = resolved
        if not m.text.strip() and m.date is None:
            line, col = _where(doc, m)
            diags.warning(doc.path, line, col, f"<{m.element}> is empty: a mention needs the "
                          "words of the text it tags", "mention.empty")
        if m.date is not None and m.date.empty and not m.dur:
            line, col = _where(doc, m)
            diags.warning(doc.path, line, col, "<date> has no @when, @notBefore or @notAfter; "
                          "add a machine-readable value so the chronology can place it",
                          "date.no-value")




def warn_unused(entries: dict[str, Entry], diags: Diagnostics) -> None:
    """A warning for each entry of a register file that no text mentions."""
    for e in entries.values():
        if not e.mentions and e.from_register_file:
            diags.warning(e.path, e.line, e.col, f"{e.kind} entry \"{e.id}\" ({e.label}) is never "
                          "mentioned in the texts", "entry.unused")
