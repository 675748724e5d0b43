"""Where a document's trees are kept and when they are let go: shed to zlib bytes after the walk,
packed for the trip from a loader worker, compacted once the edition is complete, released after
its page is made, and parsed again when asked for."""

from __future__ import annotations

import ctypes
import ctypes.util
import zlib
from copy import deepcopy
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from .diagnostics import Diagnostics
from .parsing import SRC, TEI_NS, XML_ID, localname, make_parser, origin, parse_bytes
from .registers import (
    A_PLAY,
    REGISTER_LISTS,
    is_entry_list,
    is_play,
    register_elements,
    register_ids,
    write_span,
)
from .xinclude import has_includes, resolve_includes

if TYPE_CHECKING:
    from .document import Document

_REPARSER = make_parser()
HOLDERS = REGISTER_LISTS | {"castList"}  # what holds register entries inside a <text>  # what shed_text kept is parsed as its file was


def release(doc: Document) -> None:
    """Let the tree go once the page is rendered (a one-off build of many documents would
    otherwise hold every tree to the end)."""
    doc.tree = doc.xml = doc.text_tree = doc.source = None
    for m in doc.mentions:
        m.el = None


def parsed(doc: Document) -> etree._ElementTree:
    """The walked tree of the text: as loaded, or parsed again from the bytes kept of it."""
    if doc.xml is None:
        return doc.tree
    if doc.text_tree is None:
        doc.text_tree = etree.ElementTree(etree.fromstring(zlib.decompress(doc.xml), _REPARSER))
    return doc.text_tree


def unparse(doc: Document) -> None:
    """Let go of the tree parsed() made again from the bytes kept of a shed text (it is parsed
    again when next asked for): the downloads render every text before the page workers fork,
    which would otherwise inherit all their trees, and the build's process hold them."""
    if doc.xml is not None:
        doc.text_tree = None


def body(doc: Document) -> etree._Element | None:
    """The <text> element of the walked tree."""
    root = parsed(doc).getroot()
    return root if root.tag == f"{{{TEI_NS}}}text" else root.find(f"{{{TEI_NS}}}text")


def source(doc: Document) -> etree._ElementTree | None:
    """The document's file parsed again (once the loaded tree has been let go, see shed_text), to
    find an element by its path for a message; kept until the document is released."""
    if doc.source is None:
        data = doc.path.read_bytes()
        tree = parse_bytes(doc.path, data, Diagnostics())
        if tree is not None and has_includes(data):  # as loaded: with what it includes
            root_dir = Path(str(doc.path)[:-len(doc.rel.partition("#")[0])] or ".")
            resolve_includes(tree, doc.path, root_dir, Diagnostics())
        if tree is not None and doc.part:  # one TEI of a teiCorpus, as loading made it its own
            tei = next((t for i, t in enumerate(tree.iter(f"{{{TEI_NS}}}TEI"), 1)
                        if (t.get(XML_ID) or str(i)) == doc.part), None)
            tree = etree.ElementTree(deepcopy(tei)) if tei is not None else None
        doc.source = tree
    return doc.source


def shed_text(doc: Document) -> None:
    """For a one-off build, right after loading: keep the walked <text> as bytes and let
    its tree go, so that a large edition is not held in memory as trees while the rest is
    read. Register lists inside it move to the header (registers are read from there), each
    mention keeps its element's path in the file for error messages, and the header stays
    until the edition is complete (see compact)."""
    root = doc.tree.getroot()
    text = root.find(f"{{{TEI_NS}}}text")
    if text is None or next(text.iter(etree.Entity), None) is not None:
        return  # an unresolved entity would not parse again without its DOCTYPE
    for m in doc.mentions:
        m.where, m.el = doc.tree.getpath(m.el), None
    header = root.find(f"{{{TEI_NS}}}teiHeader")
    if header is None:
        header = etree.SubElement(root, f"{{{TEI_NS}}}teiHeader")
    lists = [el for el in text.iter(*(f"{{{TEI_NS}}}{n}" for n in HOLDERS))
             if not any(localname(a) in HOLDERS for a in el.iterancestors())]
    # what the page shows but the registers read as well (a cast list's roles, a figure or a
    # list of entries with xml:ids) is copied rather than moved
    shown = [_copy(el) for el in text.iter(f"{{{TEI_NS}}}figure", f"{{{TEI_NS}}}list")
             if (el.get(XML_ID) and localname(el) == "figure") or
             (localname(el) == "list" and is_entry_list(el))]
    if is_play(root):
        root.set(A_PLAY, "1")
    xml = etree.tostring(text)  # as walked: the lists are omitted from the page anyway
    for el in lists:
        if origin(el) is not None:  # brought in by an xi:include: it keeps saying whence
            el.set(SRC, origin(el))
    for el in lists + shown:
        el.tail = None
        header.append(el)  # moved, with their entries, out of the <text> about to go
    root.remove(text)
    doc.xml = zlib.compress(xml, 1)  # (a quarter of the size, read back in a millisecond)


def _copy(el: etree._Element) -> etree._Element:
    """A copy of an element that still says which file it came from (see parsing.origin)."""
    copy = deepcopy(el)
    if origin(el) is not None:
        copy.set(SRC, origin(el))
    return copy


def compact(doc: Document) -> None:
    """Once the edition is complete: a register file's tree, and a shed text's header, go
    (a text that could not be shed keeps its tree)."""
    if not doc.is_text:
        release(doc)
    elif doc.xml is not None:
        doc.tree = doc.source = doc.head = None


def pack(doc: Document) -> bool:
    """For a shed text loaded by a worker process: what is left of its tree (the header,
    with the register lists moved into it) as bytes, where each register entry is written
    on it, so that the document can be sent to the build's process. False when the text
    could not be shed (its tree stays, and the build's process loads it itself)."""
    if doc.xml is None:
        return False
    root = doc.tree.getroot()
    for el in register_elements(root):
        write_span(el, doc.path)
    register_ids(doc)  # known before the tree goes
    doc.head, doc.tree = etree.tostring(root), None
    return True


def give_back_memory() -> None:
    """Hand the memory of freed trees back to the system (glibc keeps it otherwise), so that the
    page workers, forked next, do not start from a large heap of which they copy each page they
    touch."""
    try:
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc: nothing to hand back this way
