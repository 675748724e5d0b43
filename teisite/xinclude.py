"""XInclude, done by teisite itself: `xi:include` of files inside the project folder (whole, by
`xpointer` to an id, or as text), with `xi:fallback`; anything else is a located error, and
nothing outside the project is read, nothing fetched."""

from __future__ import annotations

import os
import re
from copy import deepcopy
from pathlib import Path

from lxml import etree

from .diagnostics import Diagnostics
from .parsing import SRC, XML_ID, parse_bytes, span

XI_NS = "http://www.w3.org/2001/XInclude"
XI_INCLUDE = f"{{{XI_NS}}}include"
XI_FALLBACK = f"{{{XI_NS}}}fallback"
MAX_INCLUDES = 1000  # includes resolved for one file at most (each may include more)

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# the pointers TEI editions write: `x`, `id(x)`, `xpointer(id('x'))`, `element(x)`
_POINTER = re.compile(r"""^(?:(?P<bare>[\w.-]+)|id\(\s*['"]?(?P<id>[\w.-]+)['"]?\s*\)|"""
                      r"""xpointer\(\s*id\(\s*['"](?P<xid>[\w.-]+)['"]\s*\)\s*\)|"""
                      r"""element\((?P<el>[\w.-]+)\))$""")


def has_includes(data: bytes) -> bool:
    """Whether a file's bytes may hold an xi:include (a cheap test before walking the tree)."""
    return XI_NS.encode() in data


def resolve_includes(tree: etree._ElementTree, path: Path, root_dir: Path, diags: Diagnostics,
                     included: set[Path] | None = None) -> None:
    """Replace each xi:include of the tree (a file at `path` below `root_dir`) by what it
    points to, in place. Problems are located errors at the xi:include; what an included file
    brings is marked with its path (parsing.SRC), so that messages about it name that file.
    `included` collects the files read."""
    _Includer(Path(root_dir), diags, included if included is not None else set()).run(
        tree.getroot(), Path(path), (_real(path),))


def _real(path: Path) -> str:
    return os.path.realpath(path)


def _within(real: str, root: str) -> bool:
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


class _Includer:
    def __init__(self, root_dir: Path, diags: Diagnostics, included: set[Path]):
        self.root, self.diags, self.included, self.count = _real(root_dir), diags, included, 0

    def run(self, root: etree._Element, path: Path, stack: tuple[str, ...]) -> None:
        """Resolve the includes of one tree (a file at `path`; `stack`: the files including it)."""
        for inc in [e for e in root.iter(XI_INCLUDE)
                    if not any(a.tag in (XI_INCLUDE, XI_FALLBACK) for a in e.iterancestors())]:
            self.include(inc, path, stack)

    def error(self, inc: etree._Element, path: Path, message: str, code: str) -> None:
        self.diags.error_at(path, span(inc, path), message, code)

    def include(self, inc: etree._Element, path: Path, stack: tuple[str, ...]) -> None:
        self.count += 1
        if self.count > MAX_INCLUDES:
            if self.count == MAX_INCLUDES + 1:
                self.error(inc, path, f"more than {MAX_INCLUDES} xi:include are resolved for one "
                           "file; the rest are left out", "xinclude.too-many")
            return self.replace(inc, [])
        href, pointer = inc.get("href", ""), inc.get("xpointer")
        parse = inc.get("parse", "xml")
        at = f"xi:include href=\"{href}\""
        if parse not in ("xml", "text"):
            return self.fail(inc, path, f"{at} has parse=\"{parse}\"; write parse=\"xml\" or "
                             "parse=\"text\"", "xinclude.invalid")
        if _SCHEME.match(href) and not re.match(r"^[A-Za-z]:[\\/]", href) or href.startswith("//"):
            return self.fail(inc, path, f"{at} is a URL; teisite fetches nothing: put the file "
                             "into the project and include it by its relative path", "xinclude.url")
        if href.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:[\\/]", href):
            return self.fail(inc, path, f"{at} is an absolute path; include files of the project "
                             "by their path relative to this file", "xinclude.absolute")
        if not href and not pointer:
            return self.fail(inc, path, "xi:include has neither @href nor @xpointer; say what it "
                             "includes", "xinclude.invalid")
        target = Path(os.path.normpath(path.parent / href)) if href else path
        real = _real(target)
        if not _within(real, self.root):
            return self.fail(inc, path, f"{at} leaves the project folder; only files inside it "
                             "are included", "xinclude.outside")
        if href and real in stack and (parse == "xml"):
            return self.fail(inc, path, f"{at} makes a loop: {target.name} is already being "
                             "included here (it includes this file, or itself); include each "
                             "file once, from outside", "xinclude.loop")
        if href and not os.path.isfile(real):
            return self.fallback(inc, path, stack, f"{at}: there is no such file",
                                 "xinclude.missing")
        if parse == "text":
            return self.text(inc, path, target, stack)
        if pointer is not None and not _POINTER.match(pointer.strip()):
            return self.fail(inc, path, f"xi:include xpointer=\"{pointer}\" is not a pointer "
                             "teisite reads; write xpointer=\"id(x)\" or the bare id", "xinclude.xpointer")
        if href:
            self.included.add(target)
            sub = parse_bytes(target, Path(real).read_bytes(), self.diags)
            if sub is None:  # the file's own located error says why
                return self.replace(inc, [])
            top = sub.getroot()
            self.run(top, target, (*stack, real))
        else:
            top = inc.getroottree().getroot()
        if pointer is None:
            return self.replace(inc, [top], target)
        m = _POINTER.match(pointer.strip())
        xid = m.group("bare") or m.group("id") or m.group("xid") or m.group("el")
        found = next((e for e in top.iter() if e.get(XML_ID) == xid), None)
        if found is None:
            return self.fallback(inc, path, stack, f"xi:include xpointer=\"{pointer}\": "
                                 f"{Path(href).name or 'this file'} has no element with "
                                 f"xml:id=\"{xid}\"", "xinclude.missing")
        if not href:
            if found is inc or inc in found.iterdescendants():
                return self.fail(inc, path, f"xi:include xpointer=\"{pointer}\" includes an "
                                 "element that holds it (a loop)", "xinclude.loop")
            found = deepcopy(found)
        return self.replace(inc, [found], target)

    def text(self, inc: etree._Element, path: Path, target: Path, stack) -> None:
        self.included.add(target)
        encoding = inc.get("encoding", "utf-8")
        try:
            content = Path(_real(target)).read_bytes().decode(encoding)
        except (UnicodeDecodeError, LookupError):
            return self.fail(inc, path, f"xi:include href=\"{inc.get('href')}\" is not text in "
                             f"{encoding}; save it as UTF-8 or name its @encoding", "xinclude.invalid")
        self.replace(inc, [], text=content)

    def fallback(self, inc, path, stack, message: str, code: str) -> None:
        fb = inc.find(XI_FALLBACK)
        if fb is None:
            return self.fail(inc, path, f"{message}, and it has no xi:fallback", code)
        self.run(fb, path, stack)  # includes inside the fallback are resolved when it is used
        self.replace(inc, list(fb), text=fb.text or "")

    def fail(self, inc, path, message: str, code: str) -> None:
        self.error(inc, path, message, code)
        self.replace(inc, [])

    @staticmethod
    def replace(inc: etree._Element, nodes: list, target: Path | None = None, text: str = "") -> None:
        """Put `text` then `nodes` where the xi:include was, keeping the text after it."""
        parent = inc.getparent()
        if parent is None:
            return  # an xi:include as the root: nothing to put it in
        tail = inc.tail or ""
        index = parent.index(inc)
        for node in nodes:
            if target is not None:  # an included element: its tail was its own file's text
                node.tail = None
                if isinstance(node.tag, str):
                    node.set(SRC, str(target))
        prev = parent[index - 1] if index else None

        def add_text(s: str) -> None:
            nonlocal prev
            if not s:
                return
            if prev is None:
                parent.text = (parent.text or "") + s
            else:
                prev.tail = (prev.tail or "") + s

        parent.remove(inc)  # (its tail goes with it: kept in `tail`)
        add_text(text)
        for i, node in enumerate(nodes):
            parent.insert(index + i, node)
            prev = node
        add_text(tail)
