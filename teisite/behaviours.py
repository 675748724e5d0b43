"""What each behaviour template declares it does (its `teisite:` header), read once per build.

A behaviour is one Jinja2 template in teisite/templates/behaviours/ (or a project's
templates/behaviours/). What it does beyond writing HTML (numbering passages, collecting mentions,
being a link, showing one reading of several) is declared in the template's first comment, for
example

    {#- teisite: {numbers: passage, block: true} -#}

and the walk (teisite/walk.py) and the renderer act on these declarations, never on a
behaviour's name: a project's own behaviour template declares what it needs in the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .diagnostics import Diagnostics

_HEADER = re.compile(r"\{#-?\s*teisite:(.*?)-?#\}", re.DOTALL)

# what a template may declare, with the values each takes (a type, or a set of words)
DECLARATIONS: dict[str, object] = {
    "numbers": {"passage", "note", "line", "apparatus", "translation"},  # the walk numbers it: a
                                       # citable passage (¶n), a note, a verse line, an apparatus
                                       # entry, a paragraph of a translation (below)
    "collects": {"name", "date"},      # a mention for the indexes: a name with @ref, or any date
    "refs": {"ref", "who"},            # which attribute holds a name's references (default ref)
    "links": bool,                     # written as a link around its content: links inside are plain
    "block": bool,                     # a block of reading text: a mention's context stays inside it
    "hidden": bool,                    # shown nowhere: its words are not reading text
    "reading": {"choice", "apparatus"},  # shows one of its children's readings, offers the others
    "sectioning": bool,                # a heading inside it is one level deeper
    "heading": bool,                   # gets `level`: 1 plus the sectioning elements around it
    "anchor": {"id"},                  # its xml:id is its anchor (so it can be linked to)
    "spacing": {"break"},              # a break between words: they are never glued together, and
                                       # with @break="no" the word runs on across it, without a space
    "verbatim": bool,                  # shown as its source code: the walk does not go into it
    "context": {"entries", "date", "note", "target", "choice", "readings", "media", "source"},  # below
}
# A model can name another attribute for one element with the parameter `refs` (models.yml: a
# bibl's @corresp names a work of a bibliography).
# `refs: who`: a speech (sp, said, u) names its speakers in @who; it is a mention of each, counted
# as a speech on the speaker's entry page.
# `context` names the data the renderer adds for the template (teisite/render.py, CONTEXT):
#   entries:  the register entries its @ref names: entries, label, kind, href, refs, plain, nested, cert
#             (with `params: {refs_from: parent}`, those its parent names: a speaker's, its speech's)
#   date:     its date's value: value, gregorian, original, method, iso, href, plain, nested, uncertain
#   note:     the note's body, listed after the text: kind (its model's `params: {kind: ...}`, models.yml;
#             authorial when none), note_html
#   target:   its @target as a link: href ("" when it names nothing), label (what a link
#             without words shows: the text's title, the entry's name, ¶3 or a note's number), external, nested
#   choice:   the reading shown and the one offered: original, regular, label
#   readings: the reading shown and the others with their witnesses: lemma, lemma_wit, readings
#             (each with html, wit: the sigla, wit_names: the witnesses' names); which children
#             are readings, groups and the lemma, and a witness's siglum, are the model's
#             `params` (readings, groups, lemma, siglum: XPath, see PARAMS_XPATH)
#   source:   its content as XML source, as written (for a code example: egXML): source
#   media:    the image it shows or links to (@url, or @facs through facsimile/surface/graphic): src,
#             external (outside the project: linked, never fetched), alt (the words of what
#             the model's `params: {alt: XPath}` selects: the shipped table, a figure's figDesc)
#
# `numbers: translation`: a paragraph of a translation of the text keeps the number of the passage
# it translates (@n) and its xml:id as its anchor; it is no passage of the text (not counted,
# searched or cited as the text's), and its words are the translation's plain-text download.
# `numbers: line` gives a verse line its number (@n where given, counted on from the last number
# otherwise) and its anchor (`l12`, or its xml:id); `numbers: apparatus` an apparatus entry its
# number and anchor (`app-3`), and the renderer lists it under the text.


# the parameters (models.yml, `params`) teisite reads itself, besides those a behaviour's template
# reads: of every behaviour, and of one that declares what is named
PARAMS_ALWAYS = frozenset({"anchor"})   # `anchor: unit`: a place a search result leads to
PARAMS_DECLARED = {
    ("hidden", True): {"shown"},               # where what is left out is shown instead (loading's notice)
    ("collects", "name"): {"refs"},            # which attribute holds its references
    ("reading", "choice"): {"original", "regular"},   # the children that are the two readings
    ("context", "choice"): {"original", "regular", "label"},
    ("context", "note"): {"kind"},             # the note's kind (editorial, authorial, ...)
    ("context", "entries"): {"refs_from"},     # parent: the entries its parent names (a speaker's speech)
    ("spacing", "break"): {"cite"},            # `cite: page`: a page break (DTS cites the text by pages too)
    ("sectioning", True): {"cite"},            # `cite: translation`: a translation (in DTS, a resource)
}
# the parameters that are XPath, compiled once when the table is read (models.py), and what each
# gives: `nodes`, the elements it selects; `test`, whether it holds; `text`, the words of the
# first node it selects (XPath's string()); `words`, the words of every node it selects
PARAMS_XPATH = {
    ("reading", "apparatus"): {"readings": "nodes",  # from the entry and each group: its readings
                               "groups": "nodes",    # from the entry and each group: reading groups
                               "lemma": "test"},     # on a reading: it is the one the text shows
    ("context", "readings"): {"siglum": "text"},     # on a witness: its siglum (else its xml:id)
    ("context", "media"): {"alt": "words"},          # on the image: its alt text
}


@dataclass(frozen=True)
class Behaviour:
    """One behaviour template and what it declares."""

    name: str
    path: str = ""
    numbers: str = ""
    collects: str = ""
    refs: str = "ref"
    links: bool = False
    block: bool = False
    hidden: bool = False
    reading: str = ""
    sectioning: bool = False
    heading: bool = False
    anchor: str = ""
    spacing: str = ""
    verbatim: bool = False
    context: str = ""
    reads: frozenset | None = frozenset()  # the `params` keys its template reads (None: any)

    def params(self) -> frozenset | None:
        """Every `params` key this behaviour takes (None: any, as its template reads them all)."""
        if self.reads is None:
            return None
        taken = set(PARAMS_ALWAYS) | self.reads
        for (key, value), names in [*PARAMS_DECLARED.items(), *PARAMS_XPATH.items()]:
            if getattr(self, key) == value:
                taken |= set(names)
        return frozenset(taken)

    def xpath_params(self) -> dict[str, str]:
        """The `params` keys this behaviour takes as XPath, with what each gives (PARAMS_XPATH)."""
        out: dict[str, str] = {}
        for (key, value), kinds in PARAMS_XPATH.items():
            if getattr(self, key) == value:
                out.update(kinds)
        return out


def params_read(source: str) -> frozenset | None:
    """The keys of `params` a template reads (`params.tag`, `params['tag']`, `params.get('tag')`);
    None when it reads them otherwise (passes `params` on, loops over it) or does not parse."""
    from jinja2 import Environment, TemplateSyntaxError, nodes

    try:
        ast = Environment().parse(source)
    except TemplateSyntaxError:
        return None  # rendering says what is wrong with it
    parents: dict[int, object] = {}
    todo = [ast]
    while todo:
        node = todo.pop()
        for child in node.iter_child_nodes():
            parents[id(child)] = node
            todo.append(child)
    keys = set()
    for node in ast.find_all(nodes.Name):
        if node.name != "params" or node.ctx != "load":
            continue
        parent = parents.get(id(node))
        call = parents.get(id(parent))
        if (isinstance(parent, nodes.Getattr) and parent.attr == "get" and isinstance(call, nodes.Call)
                and call.node is parent and call.args and isinstance(call.args[0], nodes.Const)):
            keys.add(str(call.args[0].value))
        elif isinstance(parent, nodes.Getattr) and not hasattr(dict, parent.attr):
            keys.add(parent.attr)
        elif isinstance(parent, nodes.Getitem) and isinstance(parent.arg, nodes.Const):
            keys.add(str(parent.arg.value))
        else:
            return None
    return frozenset(keys)


def read_header(source: str) -> tuple[dict, int]:
    """The declarations in a template's `teisite:` comment (empty when it has none), and the line
    the comment starts on; a ValueError says what is wrong with it."""
    match = _HEADER.search(source)
    if match is None:
        return {}, 1
    line = source.count("\n", 0, match.start()) + 1
    try:
        data = yaml.safe_load(match.group(1).strip() or "{}")
    except yaml.YAMLError as exc:
        raise ValueError(f"its `teisite:` header is not a YAML mapping ({exc})") from None
    if not isinstance(data, dict):
        raise ValueError("its `teisite:` header must be a mapping like `{numbers: passage}`")  # noqa: TRY004 - one kind of problem for the caller
    return data, line


def declared(name: str, path: Path, diags: Diagnostics) -> Behaviour:
    """The behaviour in one template file; problems with its header are located errors."""
    source = path.read_text(encoding="utf-8")
    try:
        data, line = read_header(source)
    except ValueError as exc:
        diags.error(path, 1, 1, f"behaviour `{name}`: {exc}", "template.header")
        return Behaviour(name, str(path))
    kept = {}
    for key, value in data.items():
        allowed = DECLARATIONS.get(key)
        if allowed is None:
            diags.error(path, line, 1, f"behaviour `{name}` declares `{key}`, which teisite does not "
                        f"know (known: {', '.join(DECLARATIONS)})", "template.header")
        elif allowed is bool and not isinstance(value, bool):
            diags.error(path, line, 1, f"behaviour `{name}`: `{key}` is true or false, not "
                        f"`{value}`", "template.header")
        elif allowed is not bool and value not in allowed:
            diags.error(path, line, 1, f"behaviour `{name}`: `{key}: {value}` is not one of "
                        f"{', '.join(sorted(allowed))}", "template.header")
        else:
            kept[key] = value
    return Behaviour(name, str(path), **kept, reads=params_read(source))


def read_behaviours(template_dirs: list[Path], diags: Diagnostics | None = None) -> dict[str, Behaviour]:
    """Every behaviour by name, from the first template folder that has it (a project's first)."""
    diags = diags if diags is not None else Diagnostics()
    out: dict[str, Behaviour] = {}
    for d in template_dirs:
        for path in sorted((d / "behaviours").glob("*.html")):
            if path.stem not in out:
                out[path.stem] = declared(path.stem, path, diags)
    return out
