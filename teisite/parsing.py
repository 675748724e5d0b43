"""Safe parsing of TEI files: no network, no external entities, located errors, source positions."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from lxml import etree

from .diagnostics import Diagnostics

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
TS_NS = "urn:teisite"  # teisite's own: the walk's marks on elements, the model table's XPath functions
NS = {"tei": TEI_NS, "xml": XML_NS, "ts": TS_NS}
XML_ID = f"{{{XML_NS}}}id"
XML_LANG = f"{{{XML_NS}}}lang"
SRC = f"{{{TS_NS}}}src"  # on an element an xi:include brought in: the file it came from (xinclude.py)

MAX_BYTES = 50 * 1024 * 1024  # a larger file is refused with a clear message, not parsed slowly
# libxml2 stops at 256 levels; rendering (several Python frames a level) stops well before that
MAX_DEPTH = 100
_ENCODING_DECL = re.compile(rb"""^(?:\xef\xbb\xbf)?<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)""")


class _Nothing(etree.Resolver):
    """Answers every request for an external DTD or entity with an empty one."""

    def resolve(self, url, pubid, context):
        return self.resolve_string("", context)


def make_parser() -> etree.XMLParser:
    """The one parser teisite uses: resolves no entity, loads no DTD, fetches nothing."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             dtd_validation=False, huge_tree=False, remove_blank_text=False,
                             remove_comments=False, collect_ids=False)
    # collect_ids=False makes libxml2 load a DOCTYPE's external subset all the same (a local file is
    # read, a URL fails the parse), so every such request gets an empty answer instead
    parser.resolvers.add(_Nothing())
    return parser


def localname(el: etree._Element) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _check_bytes(path: Path, data: bytes, diags: Diagnostics) -> bool:
    """Refuse what is not XML text at all, before the parser sees it."""
    if not data.strip():
        diags.error(path, 1, 1, "the file is empty; put a TEI document in it or remove it",
                    "parse.empty")
        return False
    if len(data) > MAX_BYTES:
        diags.error(path, 1, 1, f"the file is {len(data) // 2**20} MiB, more than teisite reads "
                    f"({MAX_BYTES // 2**20} MiB); split it into several documents", "parse.too-large")
        return False
    utf16 = data[:2] in (b"\xff\xfe", b"\xfe\xff")
    if not utf16 and b"\x00" in data:
        diags.error(path, 1, 1, "the file is binary, not XML text (it contains NUL bytes); "
                    "save it as UTF-8 XML", "parse.binary")
        return False
    if not utf16 and not _ENCODING_DECL.match(data):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[:exc.start].count(b"\n") + 1
            col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
            diags.error(path, line, col, "the file is not UTF-8 and declares no encoding; save it "
                        "as UTF-8 or add <?xml version=\"1.0\" encoding=\"...\"?>", "parse.encoding")
            return False
    return True


def parse_bytes(path: Path, data: bytes, diags: Diagnostics) -> etree._ElementTree | None:
    """Parse one file's bytes; on failure, add located errors and return None."""
    if not _check_bytes(path, data, diags):
        return None
    parser = make_parser()
    try:
        tree = etree.ElementTree(etree.fromstring(data, parser, base_url=str(path)))
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (exc.lineno or 1, 1)
        msg = exc.msg or str(exc)
        msg = re.sub(r",? line \d+, column \d+$", "", msg)
        hint = "fix the markup there (a tag left open, a stray '<' or '&', or a misspelt entity)"
        if "Excessive depth" in msg or "Maximum depth" in msg:
            hint = "the elements nest too deeply to be a TEI document"
        elif "entity" in msg.lower() and ("loop" in msg.lower() or "amplification" in msg.lower()):
            hint = "the file defines entities that expand without bound; remove the DOCTYPE"
        diags.error(path, line, max(col, 1), f"not well-formed XML: {msg}; {hint}", "parse.syntax")
        return None
    dtd = tree.docinfo.internalDTD  # (a DTD object cannot be serialised with etree.tostring)
    if dtd is not None and any(True for _ in dtd.iterentities()):
        diags.warning(path, 1, 1, "the DOCTYPE declares entities; teisite does not expand them, "
                      "write the characters themselves", "parse.entities")
    deep = _too_deep(tree.getroot())
    if deep is not None:
        line, col = location(deep, path)
        diags.error(path, line or 1, max(col, 1), f"the elements nest more than {MAX_DEPTH} levels "
                    "deep here, too deeply to be a TEI document", "parse.too-deep")
        return None
    return tree


# the elements one level below MAX_DEPTH, in document order (libxml2 walks the levels in C)
_DEEPER = etree.XPath("(" + "/*" * (MAX_DEPTH + 1) + ")[1]")


def _too_deep(root: etree._Element) -> etree._Element | None:
    """The first element deeper than MAX_DEPTH: rendering recurses once per level."""
    found = _DEEPER(root)
    return found[0] if found else None


def parse_file(path: Path, diags: Diagnostics) -> etree._ElementTree | None:
    return parse_bytes(path, Path(path).read_bytes(), diags)


def is_tei(tree: etree._ElementTree) -> bool:
    root = tree.getroot()
    return root.tag in (f"{{{TEI_NS}}}TEI", f"{{{TEI_NS}}}teiCorpus")


@lru_cache(maxsize=64)
def _lines(path: str, encoding: str = "utf-8", mtime: int = 0) -> tuple[str, ...]:
    """The file's lines; `mtime` is part of the cache key, so `serve` sees an edited file anew."""
    if encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
        encoding = "utf-8-sig"  # a BOM is not a column
    try:
        data = Path(path).read_bytes()
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # lxml reports UTF-16 documents as UTF-8
            encoding = "utf-16"
        return tuple(data.decode(encoding, errors="replace").splitlines())
    except (OSError, LookupError):
        return ()


MAX_TAG_LINES = 100  # a start tag is looked for over this many lines at most


def _start(el: etree._Element, path: str | Path) -> tuple[tuple[str, ...], int, int | None]:
    """The file's lines, and the line and column (None when not found) of an element's '<'.

    lxml's line is where the start tag ends (its '>'): a tag written over several lines starts
    on an earlier one, found by looking back for a tag of this name that ends on that line."""
    line = el.sourceline or 0
    if not line:
        return (), 1, None
    try:
        mtime = Path(path).stat().st_mtime_ns
    except OSError:
        mtime = 0
    text = _lines(str(path), el.getroottree().docinfo.encoding or "utf-8", mtime)
    if line > len(text):
        return text, line, None
    name = localname(el)
    opening = re.compile(rf"<(?:[\w.-]+:)?{re.escape(name)}(?:[\s/>]|$)")
    nth = _same_line_before(el, line)  # which element of this name on this line is it?
    starts = [m.start() + 1 for m in opening.finditer(text[line - 1])]
    s = text[line - 1]
    if ">" in s[:s.find("<") if "<" in s else len(s)]:  # the line may end a tag begun before it
        for back in range(line - 2, max(line - 1 - MAX_TAG_LINES, -1), -1):
            found = list(opening.finditer(text[back]))
            if found:
                col = found[-1].start() + 1
                tag = _start_tag(text, back + 1, col)
                if tag is not None and back + 1 + tag.count("\n") == line:
                    if nth == 0:
                        return text, back + 1, col
                    nth -= 1  # the first of this name ending on the line is that one
                break
    return text, line, starts[nth] if nth < len(starts) else None


class Span(tuple):
    """A location (line, col[, end_line, end_col]) that also knows its file, `path`, when that is
    not the document's own: an element an xi:include brought in is in the included file
    (Diagnostics.error_at names that file)."""

    path: Path | None = None


def origin(el: etree._Element) -> str | None:
    """The file an element came from, when an xi:include brought it in (see xinclude.py)."""
    for node in (el, *el.iterancestors()):
        src = node.get(SRC)
        if src is not None:
            return src
    return None


def _located(values: tuple, el: etree._Element) -> Span:
    out = Span(values)
    src = origin(el) if isinstance(el.tag, str) else None
    if src is not None:
        out.path = Path(src)
    return out


def location(el: etree._Element, path: str | Path) -> tuple[int, int]:
    """(line, column) of an element's start tag, both from 1; lxml gives the line, the column is
    found here (1 when it cannot be: the line's start)."""
    _, line, col = _start(el, origin(el) or path)
    return _located((line, col or 1), el)


def _start_tag(text: tuple[str, ...], line: int, col: int) -> str | None:
    """The start tag beginning at (line, col), up to its '>', its line breaks as "\n"."""
    quote, parts = "", []
    for i in range(line - 1, min(len(text), line - 1 + MAX_TAG_LINES)):
        s, j = text[i], col - 1 if i == line - 1 else 0
        for k in range(j, len(s)):
            c = s[k]
            if quote:
                quote = "" if c == quote else quote
            elif c in "\"'":
                quote = c
            elif c == ">":
                parts.append(s[j:k + 1])
                return "\n".join(parts)
        parts.append(s[j:])
    return None


def _after(line: int, col: int, tag: str, offset: int) -> tuple[int, int]:
    """The line and column just after `tag[:offset]`, the tag starting at (line, col)."""
    breaks = tag.count("\n", 0, offset)
    if not breaks:
        return line, col + offset
    return line + breaks, offset - tag.rfind("\n", 0, offset)


def span(el: etree._Element, path: str | Path, attribute: str | None = None
         ) -> tuple[int, int, int | None, int | None]:
    """(line, col, end_line, end_col) of an element's start tag: where its '<' is, and the
    column just after its '>' (or after the value of `attribute`, a name as lxml gives it,
    when the tag has it); the end is None when it cannot be found."""
    text, line, col = _start(el, origin(el) or path)
    tag = _start_tag(text, line, col) if col else None
    if tag is None:
        return _located((line, col or 1, None, None), el)
    end = len(tag)
    if attribute is not None:
        qname = etree.QName(attribute)
        prefix = "xml:" if qname.namespace == XML_NS else r"[\w.-]+:" if qname.namespace else ""
        found = re.search(rf"(?<=\s){prefix}{re.escape(qname.localname)}\s*=\s*(\"[^\"]*\"|'[^']*')", tag)
        end = found.end() if found else end
    return _located((line, col, *_after(line, col, tag, end)), el)


def _same_line_before(el: etree._Element, line: int) -> int:
    """How many elements named like `el` start on its line before it, looking only nearby.

    Going back in document order: preceding siblings starting on the line count with their
    descendants; of the siblings starting earlier only the nearest can reach into the line (the
    ones before it ended before it began); then the same one level up."""
    count, node = 0, el
    while node is not None:
        for sib in node.itersiblings(preceding=True):
            if not isinstance(sib.tag, str):
                continue
            count += sum(1 for e in sib.iter(el.tag) if e.sourceline == line)
            if (sib.sourceline or 0) < line:
                break
        node = node.getparent()
        if node is not None and node.tag == el.tag and node.sourceline == line:
            count += 1
    return count


def plain_text(el: etree._Element | None) -> str:
    """An element's text with its whitespace collapsed ("" for no element)."""
    if el is None:
        return ""
    return " ".join("".join(el.itertext()).split())
