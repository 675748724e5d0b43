"""`teisite ids`: give every anchored element an xml:id once, into the TEI, changing nothing else.

An anchor made up by the walk (`p3`, `note-5`, `p4-kangxi-2`) is as stable as the markup around
it; an xml:id is stable for good. This command writes, on each element the walk anchors that has
no xml:id, the anchor it has today, so that every link into the current site keeps landing where
it lands now, also after notes and names are added before it. Only `xml:id="…"` attributes are
inserted, into the start tags as written: every other byte of the file stays as it was.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .cache import write_atomic
from .checks import qualified_name
from .diagnostics import Diagnostics
from .loading import _members, find_tei_files
from .models import ModelTable, load_table
from .parsing import TEI_NS, XML_ID, location, parse_bytes
from .render import behaviour_names
from .walk import A_ANCHOR, walk

# the parts of XML text that are not start tags, skipped in this order; a start tag's attribute
# values are quoted and may hold '>'
_SKIP = re.compile(r"<!--.*?-->|<\?.*?\?>|<!\[CDATA\[.*?\]\]>|<!DOCTYPE(?:[^\[>]|\[.*?\])*>|</[^>]*>",
                   re.DOTALL)
_START = re.compile(r"""<([^\s/>!?]+)(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*/?>""", re.DOTALL)


@dataclass
class FileIds:
    """What `teisite ids` would do to one file: its text before and after."""

    path: Path
    before: str
    after: str
    added: list[tuple[str, int]] = field(default_factory=list)  # (id, line), in document order

    def diff(self, base: Path) -> str:
        name = self.path.relative_to(base).as_posix() if self.path.is_relative_to(base) else str(self.path)
        return "".join(difflib.unified_diff(self.before.splitlines(True), self.after.splitlines(True),
                                            f"a/{name}", f"b/{name}", n=0))


def start_tags(text: str) -> list[tuple[int, int]]:
    """(offset just after the element's name, line) of every start tag, in document order."""
    out: list[tuple[int, int]] = []
    i, line = 0, 1
    while True:
        lt = text.find("<", i)
        if lt < 0:
            return out
        line += text.count("\n", i, lt)
        skip = _SKIP.match(text, lt)
        m = skip or _START.match(text, lt)
        if m is None:  # not well-formed: parse_bytes has said so already
            return out
        if skip is None:
            out.append((m.end(1), line))
        line += text.count("\n", lt, m.end())
        i = m.end()


def assign(path: Path, table: ModelTable, diags: Diagnostics) -> FileIds | None:
    """The file with an xml:id on each element the walk anchors that has none (None when it
    needs none, or cannot be given them: each reason a located error in diags)."""
    data = path.read_bytes()
    tree = parse_bytes(path, data, diags)
    if tree is None:
        return None
    root = tree.getroot()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        diags.error(path, 1, 1, "`teisite ids` writes only UTF-8 files; save this one as UTF-8 "
                    "first", "ids.encoding")
        return None
    if root.tag not in (f"{{{TEI_NS}}}TEI", f"{{{TEI_NS}}}teiCorpus"):
        return None
    elements = [e for e in root.iter() if isinstance(e.tag, str)]
    tags = start_tags(text)
    if len(tags) != len(elements):  # (elements an entity brought in): do not guess where they are
        diags.error(path, 1, 1, f"`teisite ids` found {len(tags)} start tags in the text but "
                    f"{len(elements)} elements; write the entities' markup out, then run it again",
                    "ids.unmatched")
        return None
    for _, tei, _ in _members(root, path, Diagnostics()):
        body = tei.find(f"{{{TEI_NS}}}text")
        if body is not None:
            walk(body, table)
    taken: dict[str, etree._Element] = {}
    for el in elements:  # the ids already there must be unique before more are added
        own = el.get(XML_ID)
        if own is not None:
            _collide(own, el, taken, path, diags, "is the xml:id of two elements")
    new = [(i, el) for i, el in enumerate(elements) if el.get(A_ANCHOR) and el.get(XML_ID) is None]
    bad = len(diags.errors)
    for _, el in new:
        _collide(el.get(A_ANCHOR), el, taken, path, diags, "would be given to this element, but is "
                 "already the xml:id of another")
    if len(diags.errors) > bad or not new:
        return None
    parts, last, added = [], 0, []
    for i, el in new:
        at, line = tags[i]
        parts += [text[last:at], f' xml:id="{el.get(A_ANCHOR)}"']
        last = at
        added.append((el.get(A_ANCHOR), line))
    parts.append(text[last:])
    return FileIds(path, text, "".join(parts), added)


def _collide(value: str, el: etree._Element, taken: dict, path: Path, diags: Diagnostics,
             what: str) -> None:
    first = taken.setdefault(value, el)
    if first is el:
        return
    line, col = location(el, path)
    fline, fcol = location(first, path)
    diags.error(path, line, col, f"«{value}» {what} (<{qualified_name(first)}> at line {fline}); "
                "rename one of them, then run `teisite ids` again", "ids.collision",
                related=(str(path), fline, fcol))


def project_ids(docs: Path, template_dirs: list[Path], diags: Diagnostics,
                files: list[Path] | None = None) -> list[FileIds]:
    """What `teisite ids` would write, file by file, for the TEI files below docs (the model
    table as the build reads it: the shipped one, the project's merged on top)."""
    found = Diagnostics()
    paths = [d / "models.yml" for d in reversed(template_dirs) if (d / "models.yml").exists()]
    table = load_table(paths, behaviour_names(template_dirs, found), found)
    diags.extend(found)
    if found.errors:
        return []
    return [f for f in (assign(p, table, diags) for p in (files or find_tei_files(docs))) if f]


def write(changes: list[FileIds]) -> None:
    """Each file whole or not at all, keeping its permissions."""
    for change in changes:
        mode = change.path.stat().st_mode & 0o7777
        write_atomic(change.path, change.after.encode("utf-8"))
        os.chmod(change.path, mode)
