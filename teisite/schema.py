"""Validation against TEI P5 (tei_all.rng, bundled) or a project's RELAX NG schema.

jing when it is installed, else lxml (libxml2); `TEISITE_SCHEMA_VALIDATOR=jing|lxml` forces one.

The lxml path works around three weaknesses of libxml2's RELAX NG:

- **Speed.** Compiling the whole of tei_all.rng (588 elements) takes 8-30 s. A document can only
  match `element X` patterns for the names X it contains, so the grammar given to libxml2 keeps the
  content of those elements only; every other `<element name="X">` keeps its name with an empty
  content. For the documents validated with it, this grammar accepts exactly what the full one
  accepts (a pattern for an absent name matches nothing either way), and a missing required child is
  still named in the message. With the seed's 54 element names it compiles in under 1 s.
  Annotations (documentation, Schematron) are dropped too; neither validator checks Schematron.
- **Caching.** libxml2 cannot save a compiled schema, so what is cached is each file's findings,
  keyed by the file's bytes, the schema's bytes and this module's version, in the user cache
  (`$TEISITE_CACHE_DIR`, else `$XDG_CACHE_HOME/teisite`, else `~/.cache/teisite`, in `schema/`).
  A run whose files are all unchanged compiles nothing.
- **Messages.** libxml2 gives no column, and TEI elements carry their attributes through `<ref>`s,
  which makes libxml2 validate their content by backtracking rather than with an automaton. When a
  child fails deep down, the backtracking also blames an earlier, valid sibling of the parent
  ("Element listPerson has extra content: person" for a valid `<person>`, next to the real error
  inside a later `<person>`). So each message is placed at the element libxml2 names (line and
  column of its start tag), the same place is reported once, and a "did not expect / extra content"
  message is dropped when another error lies inside that element or a following sibling: jing
  reports only the error inside.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from lxml import etree

from .diagnostics import Diagnostics
from .parsing import location, make_parser

BUNDLED = Path(__file__).resolve().parent / "schema" / "tei_all.rng"
DEFAULT_SCHEMA = BUNDLED
ENV_VALIDATOR = "TEISITE_SCHEMA_VALIDATOR"
VERSION = "1"   # part of every cache key: change it when the findings for a file would change
RNG_NS = "http://relaxng.org/ns/structure/1.0"
_R = f"{{{RNG_NS}}}"
_JING_LINE = re.compile(r"^(.*?):(\d+):(\d+): (error|warning|fatal): (.*)$")
_CASCADE = re.compile(r"^(Did not expect element (\S+) there|Element \S+ has extra content: (\S+))$")


def cache_dir() -> Path:
    if os.environ.get("TEISITE_CACHE_DIR"):
        return Path(os.environ["TEISITE_CACHE_DIR"]) / "schema"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "teisite" / "schema"


def which_validator() -> str:
    """'jing' or 'lxml': the environment's choice, else jing when it is on the PATH."""
    forced = os.environ.get(ENV_VALIDATOR, "").strip().lower()
    if forced in ("jing", "lxml"):
        return forced
    return "jing" if shutil.which("jing") else "lxml"


_MODEL = re.compile(r"<\?xml-model\s(.*?)\?>", re.DOTALL)
_PSEUDO = re.compile(r'([\w:-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')


def model_schema(path: Path, diags: Diagnostics) -> Path:
    """The RELAX NG schema a file names in an `<?xml-model?>` before its root (TEI's way to say
    which schema, e.g. an ODD's), else TEI P5's. A URL is not fetched: its file name, when it is
    tei_all.rng, is the shipped one; any other is said, and TEI P5's used instead."""
    head = path.read_bytes()[:65536].decode("utf-8", "replace")
    root = re.search(r"<(?![?!])", head)
    for m in _MODEL.finditer(head[:root.start()] if root else head):
        attrs = {k: a or b for k, a, b in _PSEUDO.findall(m.group(1))}
        href = attrs.get("href", "").strip()
        if not href or attrs.get("schematypens", RNG_NS) != RNG_NS and not href.endswith(".rng"):
            continue  # Schematron and other languages: not validated
        line = head.count("\n", 0, m.start()) + 1
        col = m.start() - (head.rfind("\n", 0, m.start()) + 1) + 1
        if re.match(r"[a-z][a-z0-9+.-]*://", href, re.IGNORECASE):
            if href.rsplit("/", 1)[-1] == "tei_all.rng":
                return BUNDLED
            diags.warning(path, line, col, f"the <?xml-model?> schema {href} is a URL, which teisite does "
                          "not fetch; the file is validated against TEI P5 (tei_all.rng) instead: put the "
                          "schema into the project and name it by its path, or give --schema-file",
                          "config.schema")
            return BUNDLED
        local = (path.parent / href).resolve()
        if not local.is_file():
            diags.error(path, line, col, f"the <?xml-model?> schema {href} does not exist ({local}); "
                        "correct its href, or give --schema-file", "config.schema")
            return BUNDLED
        return local
    return BUNDLED


def validate_declared(files: list[Path], diags: Diagnostics) -> None:
    """`check --schema`: each file against the schema its <?xml-model?> names, else TEI P5."""
    groups: dict[Path, list[Path]] = {}
    for f in files:
        groups.setdefault(model_schema(f, diags), []).append(f)
    for rng, group in groups.items():
        validate_files(group, rng, diags)


def validate_files(files: list[Path], schema: str | Path | None, diags: Diagnostics) -> None:
    """Add a located error for every place where a file breaks the schema."""
    rng = Path(schema) if schema else BUNDLED
    if not rng.exists():
        diags.error(rng, 1, 1, "schema not found; give one with --schema-file PATH (e.g. tei_all.rng "
                    "of TEI P5)", "config.schema")
        return
    if which_validator() == "jing":
        jing = shutil.which("jing")
        if jing is None:
            diags.error(rng, 1, 1, f"{ENV_VALIDATOR}=jing, but jing is not installed (Debian: apt "
                        f"install jing); unset it to use lxml", "config.schema")
            return
        _jing(jing, files, rng, diags)
    else:
        _lxml(files, rng, diags)


def _jing(jing: str, files: list[Path], rng: Path, diags: Diagnostics) -> None:
    out = subprocess.run([jing, str(rng), *map(str, files)], check=False, capture_output=True, text=True)
    for line in (out.stdout + out.stderr).splitlines():
        m = _JING_LINE.match(line)
        if m:
            diags.error(m.group(1), int(m.group(2)), int(m.group(3)),
                        f"not valid against {rng.name}: {m.group(5)}", "schema.invalid")


# --- lxml -------------------------------------------------------------------------------------------

def prune(grammar: etree._Element, names: set[str]) -> etree._Element:
    """A copy of a RELAX NG grammar (XML syntax) for documents whose element names are all in
    `names`: without annotations, and with an empty content for every `<element name="X">` whose X
    is not among them (see the module's docstring for why it accepts the same documents)."""
    g = etree.fromstring(etree.tostring(grammar))
    for el in list(g.iter()):
        if not isinstance(el.tag, str) or not el.tag.startswith(_R):
            el.getparent().remove(el)   # foreign elements are annotations; comments, PIs nothing
    for el in g.iter(f"{_R}element"):
        name = el.get("name")
        if name is not None and name.rsplit(":", 1)[-1] not in names:
            for child in list(el):
                el.remove(child)
            etree.SubElement(el, f"{_R}empty")
    return g


def _key(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode() if isinstance(p, str) else p)
        h.update(b"\0")
    return h.hexdigest()


def _lxml(files: list[Path], rng: Path, diags: Diagnostics) -> None:
    schema_bytes = rng.read_bytes()
    schema_key = _key(VERSION, schema_bytes)
    store = cache_dir()
    findings: dict[Path, list] = {}
    todo: list[tuple[Path, str, etree._ElementTree]] = []
    for path in map(Path, files):
        data = path.read_bytes()
        key = _key(schema_key, data)
        try:
            findings[path] = json.loads((store / f"{key}.json").read_text(encoding="utf-8"))
            continue
        except (OSError, ValueError):
            pass
        try:
            tree = etree.ElementTree(etree.fromstring(data, make_parser(), base_url=str(path)))
        except etree.XMLSyntaxError:
            continue    # not well-formed: reported by check itself
        todo.append((path, key, tree))
    if todo:
        names = {etree.QName(e).localname for _, _, t in todo for e in t.iter() if isinstance(e.tag, str)}
        grammar = etree.parse(str(rng), etree.XMLParser(no_network=True))
        modular = grammar.getroot().find(f".//{_R}include") is not None or \
            grammar.getroot().find(f".//{_R}externalRef") is not None
        # a grammar made of several files is compiled as it is: its hrefs are relative to it
        relaxng = etree.RelaxNG(grammar if modular else prune(grammar.getroot(), names))
        for path, key, tree in todo:
            found = [] if relaxng.validate(tree) else _located(tree, path, relaxng.error_log)
            findings[path] = found
            try:
                store.mkdir(parents=True, exist_ok=True)
                tmp = store / f"{key}.{os.getpid()}.tmp"
                tmp.write_text(json.dumps(found), encoding="utf-8")
                tmp.replace(store / f"{key}.json")
            except OSError:
                pass    # no cache: slower next time, nothing else
    for path in map(Path, files):
        for line, col, message in findings.get(path, []):
            diags.error(path, line, col, f"not valid against {rng.name}: {message}", "schema.invalid")


def _located(tree: etree._ElementTree, path: Path, log) -> list[tuple[int, int, str]]:
    """libxml2's messages, each at the start tag of the element it is about, once per place, without
    the backtracking's blame of a valid element when the real error lies inside its parent."""
    entries = []
    for e in log:
        el = None
        if e.path:
            try:
                hit = tree.xpath(e.path)
                el = hit[0] if hit and isinstance(hit[0], etree._Element) else None
            except etree.XPathError:
                el = None
        message = re.sub(r"\s+,", ",", e.message).strip()
        entries.append((el, e.line, message))
    errors_at = [el for el, _, msg in entries if el is not None and not _CASCADE.match(msg)]
    out: list[tuple[int, int, str]] = []
    seen: set = set()
    for el, line, message in entries:
        if el is not None and _CASCADE.match(message) and _explained(el, errors_at):
            continue
        if el is not None:
            line, col = location(el, path)
        else:
            line, col = max(line or 1, 1), 1
        m = _CASCADE.match(message)
        if m:   # "Did not expect element X there" and "Element P has extra content: X" say one thing
            message = f"element {m.group(2) or m.group(3)} is not allowed here"
        elif message == "Expecting an element, got nothing" and el is not None:
            message = f"element {etree.QName(el).localname} is incomplete: a required child element is missing"
        if (line, col, message) in seen:
            continue
        seen.add((line, col, message))
        out.append((line, max(col, 1), message))
    return out


def _explained(el: etree._Element, errors_at: list[etree._Element]) -> bool:
    """Whether another error lies inside `el` or inside one of its following siblings."""
    scope = [el, *el.itersiblings()]
    for other in errors_at:
        if other is el:
            continue
        node = other
        while node is not None:
            if any(node is s for s in scope):
                return True
            node = node.getparent()
    return False
