"""Which TEI element is which is decided by the element table, not by teisite's Python: no module
compares an element's name with a TEI element name, looks for TEI elements by name or selects them
by XPath, but where it recognises structure (the places listed below, each with its reason)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from teisite.checks import tei_elements
from teisite.parsing import TEI_NS

PACKAGE = Path(__file__).resolve().parents[1] / "teisite"
TEI_NAMES = frozenset(tei_elements().values())

# module → (the TEI element names it may name, None for any; why)
ALLOWED: dict[str, tuple[frozenset | None, str]] = {
    "models.py": (None, ("the element table's loader: the table's own names, and an element to try "
                        "each XPath on when the table is read")),
    "registers.py": (None, ("the registers' structural recognition: which elements are entries and "
                           "lists of entries, and their names, dates, places, descriptions and links")),
    "trees.py": (frozenset({"TEI", "teiHeader", "text", "figure", "list"}),
                 ("what a text shed to bytes keeps: its header and text, and the registers that stand "
                 "in its text (lists of entries, figures with an id)")),
    "loading.py": (frozenset({"TEI", "teiCorpus", "teiHeader", "text", "body", "group",
                              "fileDesc", "titleStmt", "profileDesc", "langUsage", "language",
                              "div", "head", "p", "ab", "list"}),
                   ("a file's documents (TEI, teiCorpus and its shared header, text, front, body, "
                   "group), their languages (langUsage), and whether a file is a text or a register "
                   "file: a body of nothing but lists, divisions, headings and placeholder paragraphs")),
    "document.py": (frozenset({"teiHeader", "fileDesc", "titleStmt", "title", "respStmt", "editor",
                               "name", "persName", "orgName", "placeName", "settlement",
                               "publicationStmt", "publisher",
                               "authority", "availability", "licence", "idno", "date", "editionStmt",
                               "edition", "revisionDesc", "change", "profileDesc", "correspDesc",
                               "correspAction"}),
                    ("a document's metadata from its header: title, editors, publisher, licence, "
                    "DOI, dates, edition, revisions, a letter's correspondence (each correspAction's names, "
                    "places and date, shown in the letter's head by the mention behaviour)")),
    "parsing.py": (frozenset({"TEI", "teiCorpus"}), "whether a file is TEI at all"),
    "ids.py": (frozenset({"TEI", "teiCorpus", "text"}),
               "`teisite ids`: the documents of a file and their texts, where ids are added"),
    "dts.py": (frozenset({"TEI", "text", "head"}), ("the DTS endpoint: the TEI document it writes, a "
                                                   "document's text, a translation's title (its head)")),
    "citation.py": (frozenset({"encodingDesc", "projectDesc"}), "the edition's citation, from the header"),
    "dates.py": (frozenset({"calendar"}), "the calendars a header declares, which @datingMethod names"),
    "media.py": (frozenset({"text", "facsimile", "graphic", "pb"}),
                 ("the images a document names (graphic/@url, pb/@facs, a facsimile's surfaces), "
                 "to copy into the site and to report when missing")),
    "checks.py": (frozenset({"date", "birth", "death", "floruit", "event", "origDate", "docDate", "time",
                             "state", "residence", "occupation", "change", "affiliation", "education"}),
                  ("TEI's dated elements, on which @from and @to are dates (on locus they are "
                  "pages): a fact of the schema, checked, not a choice of output")),
    "render.py": (frozenset({"text", "note"}),
                  ("text: an element's line in its file, found again under <text> once the text was "
                  "shed; note: an erratum, the editors' note of @subtype='source-error' that targets "
                  "a name (issue 28), which is not yet a parameter of the table")),
}


def _is_docstring(node: ast.AST, parents: dict) -> bool:
    parent = parents.get(node)
    return isinstance(parent, ast.Expr) and isinstance(parents.get(parent), (
        ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))


def element_names(source: str) -> list[tuple[int, str, str]]:
    """(line, TEI element name, how) for each place a module decides by a TEI element's name:
    `compare`, a string compared with localname()/table_name() (or a variable holding one),
    directly, in a literal collection or in a module constant; `tag`, a namespaced name
    ({TEI_NS}name, as f"{{{TEI_NS}}}name" or f"{_TEI}name" builds it), which is what .tag,
    iter() and find() match; `xpath`, a TEI-prefixed name in a string (tei:name). A bare name
    compared with .tag is not TEI's (parsed TEI is namespaced): the HTML search reads is."""
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    constants = {t.id: n.value for n in tree.body if isinstance(n, ast.Assign)
                 for t in n.targets if isinstance(t, ast.Name)}
    tei_prefix_names = {"TEI_NS", "_TEI", "TEI", "T", "t"}  # a name holding the namespace or {namespace}
    xpath_prefixes = {"tei", "t"}

    def is_namespace(value: ast.AST) -> bool:
        if isinstance(value, ast.Name):
            return value.id in tei_prefix_names
        if isinstance(value, ast.Constant):
            return value.value in (TEI_NS, f"{{{TEI_NS}}}")
        return isinstance(value, ast.JoinedStr) and _text(value) in ("\0TEI_NS\0", "{\0TEI_NS\0}")

    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and is_namespace(node.value):
            tei_prefix_names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        if isinstance(node, ast.Dict):
            xpath_prefixes |= {k.value for k, v in zip(node.keys, node.values)
                               if isinstance(k, ast.Constant) and isinstance(k.value, str) and is_namespace(v)}

    def strings(node: ast.AST) -> list[str]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [node.value]
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            return [s for e in node.elts for s in strings(e)]
        if isinstance(node, ast.Dict):
            return [s for k in node.keys if k is not None for s in strings(k)]
        if isinstance(node, ast.Name) and node.id in constants:
            return strings(constants[node.id])
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
                node.func.id in ("frozenset", "set", "tuple") and node.args:
            return strings(node.args[0])
        return []

    def is_name_call(node: ast.AST) -> bool:
        """An element's local name: localname(el), table_name(tag), QName(el).localname,
        el.tag.rpartition("}")[2], el.tag[len(...):]."""
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            return node.func.id in ("localname", "table_name")
        if isinstance(node, ast.Attribute) and node.attr == "localname":
            return True
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr == "tag":
            return isinstance(node.slice, ast.Slice)
        return isinstance(node, ast.Subscript) and isinstance(node.value, ast.Call) and \
            isinstance(node.value.func, ast.Attribute) and node.value.func.attr == "rpartition" and \
            isinstance(node.value.func.value, ast.Attribute) and node.value.func.value.attr == "tag"

    holding_names = set()  # variables assigned an element's local name
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
            pairs = zip(target.elts, value.elts) if isinstance(target, ast.Tuple) and \
                isinstance(value, ast.Tuple) else [(target, value)]
            holding_names |= {t.id for t, v in pairs if isinstance(t, ast.Name) and is_name_call(v)}

    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(is_name_call(s) or (isinstance(s, ast.Name) and s.id in holding_names) for s in sides):
                found += [(node.lineno, v, "compare") for s in sides for v in strings(s) if v in TEI_NAMES]
        elif isinstance(node, (ast.JoinedStr, ast.Constant)) and not _is_docstring(node, parents):
            if isinstance(parents.get(node), ast.JoinedStr):
                continue  # a piece of an f-string: the f-string is read whole
            text = _text(node) if isinstance(node, ast.JoinedStr) else node.value
            if not isinstance(text, str):
                continue
            prefixes = "|".join(re.escape(f"\0{n}\0") for n in tei_prefix_names)
            tag = rf"(?:\{{(?:\0TEI_NS\0|{re.escape(TEI_NS)})\}}|{prefixes})([A-Za-z][\w]*)"
            found += [(node.lineno, m.group(1), "tag") for m in re.finditer(tag, text)
                      if m.group(1) in TEI_NAMES]
            xpath = rf"(?<![\w:])(?:{'|'.join(map(re.escape, xpath_prefixes))}):([A-Za-z][\w]*)"
            found += [(node.lineno, m.group(1), "xpath") for m in re.finditer(xpath, text)
                      if m.group(1) in TEI_NAMES]
    return sorted(set(found))


def _text(node: ast.JoinedStr) -> str:
    """An f-string's text, each value it puts in as \\0expression\\0 ({{ and }} are single braces)."""
    return "".join(v.value if isinstance(v, ast.Constant) else f"\0{ast.unparse(v.value)}\0"
                   for v in node.values)


def test_each_way_of_naming_an_element_is_found():
    """The finder is not blind: each form it looks for, in a made-up module, is found; an HTML
    name compared with .tag, a docstring and a name from the table's params are not."""
    source = '''
"""A docstring naming tei:rdg and <lem>."""
from .parsing import TEI_NS, localname
_TEI = f"{{{TEI_NS}}}"
PARTS = ("lem", "rdg")
_NOTES = etree.XPath("//tei:note[@type]", namespaces={"tei": TEI_NS})
def f(el, params):
    name = localname(el)
    a = localname(el) == "figure" or localname(el) in PARTS or name in {"witness"}
    e = etree.QName(el).localname == "idno" or el.tag.rpartition("}")[2] in ("label",) or el.tag[len(_TEI):] == "item"
    b = el.iter(f"{{{TEI_NS}}}figDesc") and el.tag == f"{_TEI}rdgGrp" and el.find(f"{_TEI}app")
    c = el.xpath("t:abbr | x:idno", namespaces={"t": TEI_NS})
    d = el.tag in ("table", "td") or localname(el) == params["original"] or "lem" in params
'''
    names = {(name, how) for _, name, how in element_names(source)}
    assert names == {("lem", "compare"), ("rdg", "compare"), ("figure", "compare"), ("witness", "compare"),
                     ("idno", "compare"), ("label", "compare"), ("item", "compare"),
                     ("figDesc", "tag"), ("rdgGrp", "tag"), ("app", "tag"), ("note", "xpath"),
                     ("abbr", "xpath")}


def test_no_tei_element_name_decides_outside_the_structural_places():
    """Apparatus parts, witnesses' sigla, a figure's description, note kinds, search units: each
    is the table's (models.yml, its params) or a behaviour's declaration. A TEI element's name in
    teisite's Python is allowed only where it recognises structure (ALLOWED, with its reason).
    Seen to fail before the apparatus, sigla and alt text moved into the table: render.py named
    lem, rdg, rdgGrp, app, witness, abbr, idno, figure and figDesc, and walk.py lem, rdg and app."""
    outside = []
    for path in sorted(PACKAGE.glob("*.py")):
        allowed, _ = ALLOWED.get(path.name, (frozenset(), ""))
        for line, name, how in element_names(path.read_text(encoding="utf-8")):
            if allowed is not None and name not in allowed:
                outside.append(f"teisite/{path.name}:{line}: <{name}> ({how})")
    assert not outside, "decided by a TEI element's name in Python, not by the table:\n" + "\n".join(outside)


def test_each_allowed_name_is_still_named():
    """The list stays short: a name no longer used where it is allowed is taken off it."""
    stale = []
    for module, (allowed, _) in ALLOWED.items():
        used = {name for _, name, _ in element_names((PACKAGE / module).read_text(encoding="utf-8"))}
        stale += [f"{module}: {name}" for name in sorted(allowed or ()) if name not in used]
    assert not stale, stale
