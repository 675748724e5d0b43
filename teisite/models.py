"""The element → behaviour table (teisite/templates/models.yml, a project's merged on top): loading,
checking, and choosing a model."""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from lxml import etree

from .behaviours import Behaviour
from .diagnostics import Diagnostics
from .parsing import NS, TEI_NS, TS_NS

DEFAULT = "*"
# how a table changes an element's models in the tables before it (teisite/templates/models.yml says more)
# (no `after`: the shipped lists end with a model without `when`, so models after it never apply)
MODES = ("replace", "before", "delete")
# Elements an edition cannot do without, so a project's table may change their models but not leave
# them without one (deleted, or only models with `when`): the walk goes through TEI, text and body
# to the reading text; the header is metadata, which would be printed as text; div and head make
# the sections and the page's table of contents; p the passages (search, anchors); the three
# names the registers' mentions, date the chronology, note the numbered notes; `*` is the default.
# Without a model the build would still succeed: with a warning at each such element, and indexes
# that miss what it should have given them.
CORE = (DEFAULT, "TEI", "teiHeader", "text", "body", "div", "head", "p", "persName", "placeName",
        "orgName", "date", "note")
# libyaml when PyYAML was built with it (the same marks and errors, a tenth of the time)
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PROBE = etree.Element(f"{{{TEI_NS}}}p")
_TEI = f"{{{TEI_NS}}}"
EXAMPLES_NS = "http://www.tei-c.org/ns/Examples"  # TEI's examples (egXML): `eg:NAME` in the table
_EG = f"{{{EXAMPLES_NS}}}"


def table_name(tag: str) -> str:
    """An element's name in the table: a TEI element's local name, `eg:NAME` for one of TEI's
    examples, "" for any other (the default model `*`)."""
    return tag[len(_TEI):] if tag.startswith(_TEI) else f"eg:{tag[len(_EG):]}" if tag.startswith(_EG) else ""


@dataclass
class Model:
    """One rule: when `predicate` holds for an element, render it with `behaviour` and `params`."""

    behaviour: str
    params: dict = field(default_factory=dict)
    when: str = ""
    test: etree.XPath | None = field(default=None, compare=False, repr=False)  # `when`, compiled

    def applies(self, el: etree._Element) -> bool:
        return self.test is None or bool(self.test(el))


@dataclass
class ModelTable:
    """Ordered models per TEI element name; `*` is the default for unknown elements."""

    models: dict[str, list[Model]]
    paths: tuple[Path, ...] = ()  # the table files that made it, the shipped one first
    key: str = ""  # a digest of those files: what a document walked with this table depends on
    # what each behaviour template declares (teisite/behaviours.py), and which reading of a
    # choice the text shows: with the models, they decide what the walk does
    behaviours: dict[str, Behaviour] = field(default_factory=dict)
    show_original: bool = True
    # the interface's language: of a note's variants in several languages (its children each with
    # an xml:lang), the walk keeps the one in this language (walk.choose_language)
    lang: str = ""
    _picks: dict = field(default_factory=dict, repr=False, compare=False)  # per tag, see pick()

    def behaviour(self, name: str) -> Behaviour:
        """What a behaviour declares (nothing, for one whose template has no header)."""
        found = self.behaviours.get(name)
        if found is None:
            found = self.behaviours[name] = Behaviour(name)
        return found

    def choose(self, el: etree._Element) -> tuple[Model, bool]:
        """The first model whose predicate holds; (default, False) when the element has none."""
        model, _, _, known = self.pick(el)
        return model, known

    def pick(self, el: etree._Element) -> tuple[Model, str, str | None, bool]:
        """(model, TEI local name or "", mark, known): the model chosen, and how the walk writes
        the choice down when it is not the element's first model ("name#i"; see
        walk.model_of). What each tag's models are is worked out once per table."""
        tag = el.tag
        candidates = self._picks.get(tag)
        if candidates is None:
            candidates = self._picks[tag] = self._candidates(tag)
        for test, picked in candidates:
            if test is None or test(el):
                return picked
        raise AssertionError("the last candidate has no test")  # pragma: no cover

    def _candidates(self, tag: str) -> list[tuple]:
        name = table_name(tag)
        own = self.models.get(name, [])
        out = [(m.test, (m, name, f"{name}#{i}" if i else None, True)) for i, m in enumerate(own)]
        out.append((None, (self.models[DEFAULT][0], name, "*#0" if name in self.models else None,
                           name in self.models)))
        return out


def _names(args) -> list[str]:
    """An XPath function's arguments as strings: a node-set gives each node's string value."""
    out = []
    for arg in args:
        for item in arg if isinstance(arg, list) else [arg]:
            if isinstance(item, etree._Element):
                item = "".join(item.itertext())
            elif isinstance(item, float) and item.is_integer():
                item = int(item)
            out.append(str(item))
    return out


@lru_cache(maxsize=1024)
def _bare(token: str) -> str:
    """What a token names: a pointer (`#i`, `styles.xml#i`, `simple:italic`) names what it points
    at; case does not count (`smallCaps` is `smallcaps`)."""
    if "#" in token:
        token = token.rpartition("#")[2]
    elif ":" in token:
        token = token.partition(":")[2]
    return token.casefold()


@lru_cache(maxsize=1024)
def _tokens(value: str) -> frozenset[str]:
    return frozenset(_bare(t) for t in value.split())


def xpath_token(context, value, *names) -> bool:
    """`ts:token(@rend, 'italic', 'i')`, in a model's `when`: whether a whitespace-separated token
    of the value (of each attribute given, as in `@rend | @rendition`) is one of the names, whole:
    `#underline` is not `i`. Pointers are compared by what they point at (`#i` is `i`)."""
    if not names:
        raise etree.XPathEvalError("ts:token takes a value and the names to look for, "
                                   "as in ts:token(@rend, 'italic', 'i')")
    wanted = {_bare(n) for n in _names(names)}
    return any(not wanted.isdisjoint(_tokens(v)) for v in _names([value]))


# registered once for every XPath that maps the prefix `ts` to TS_NS (parsing.NS does)
etree.FunctionNamespace(TS_NS)["token"] = xpath_token

# what an XPath parameter (behaviours.PARAMS_XPATH) is compiled into, by what it gives
_XPATH_KINDS = {"nodes": "{}", "test": "boolean({})", "text": "string({})", "words": "{}"}


@lru_cache(maxsize=256)
def param_xpath(expr: str, kind: str) -> etree.XPath:
    """An XPath parameter compiled once, with the prefixes `tei:` and `ts:` (load_table checks it)."""
    return etree.XPath(_XPATH_KINDS[kind].format(expr), namespaces=NS)


def param_nodes(params: dict, key: str, el: etree._Element) -> list[etree._Element]:
    """The elements an XPath parameter selects from el, in document order (none without it)."""
    expr = params.get(key)
    found = param_xpath(str(expr), "nodes")(el) if expr else []
    return [n for n in found if isinstance(n, etree._Element)] if isinstance(found, list) else []


def param_holds(params: dict, key: str, el: etree._Element) -> bool:
    """Whether an XPath parameter holds for el (not without it)."""
    expr = params.get(key)
    return bool(expr) and bool(param_xpath(str(expr), "test")(el))


def param_words(params: dict, key: str, el: etree._Element, kind: str = "words") -> str:
    """The words an XPath parameter gives for el, whitespace folded: of the first node it selects
    (`text`), or of every node, joined by spaces (`words`); "" without it."""
    expr = params.get(key)
    if not expr:
        return ""
    found = param_xpath(str(expr), kind)(el)
    if not isinstance(found, list):
        return " ".join(str(found).split()) if not isinstance(found, bool) else ""
    return " ".join(" ".join(_STRING(n).split()) if isinstance(n, etree._Element) else " ".join(str(n).split())
                    for n in found)


_STRING = etree.XPath("string()")  # a node's words, without comments


@dataclass
class _Change:
    """One element's entry in one table file: how it changes the models of the tables before."""

    name: str
    mode: str
    models: list[Model]
    places: list[tuple[int, int]]  # each model's line and column
    at: tuple[int, int]            # the element name's
    broken: bool = False           # a model was left out for an error already reported


def _place(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def load_table(paths: Path | Sequence[Path], behaviours, diags: Diagnostics) -> ModelTable:
    """The first table (the shipped one), then each further table (a project's) merged on top of
    it, element by element; every problem is reported at its line in the file where it is.
    `behaviours`: the behaviours' names, or what each declares (behaviours.read_behaviours)."""
    paths = [Path(paths)] if isinstance(paths, (str, Path)) else [Path(p) for p in paths]
    models: dict[str, list[Model]] = {}
    last: dict[str, tuple[Path, _Change]] = {}  # which project table changed an element last
    digest = hashlib.sha1()
    for n, path in enumerate(paths):
        data = path.read_bytes()
        digest.update(b"%d:%s" % (len(data), data))
        for change in _read_table(path, data, behaviours, diags):
            _apply(models, change, path, diags)
            if n:
                last[change.name] = (path, change)
    for name in CORE:
        if name not in last or last[name][1].broken:
            continue
        path, change = last[name]
        own = models.get(name)
        if own and not own[-1].when:
            continue
        keep = "remove this entry to keep the shipped models"
        as_key = f'"{name}"' if name == DEFAULT else name  # YAML reads a bare * as an alias
        if change.mode == "delete":
            why = (f"`{name}` cannot be deleted: it is one of the elements an edition needs a model "
                   f"for ({', '.join(CORE)}); to change its output give it models instead "
                   f"(`{as_key}: [{{behaviour: inline}}]`), or {keep}")
        else:
            why = (f"`{name}` is left without a model for " + ("some of its elements (its last "
                   "model has a `when`)" if own else "its elements") + f"; it is one of the "
                   f"elements an edition needs a model for ({', '.join(CORE)}): end its list "
                   f"with a model without `when`, or {keep}")
        diags.error(path, *change.at, why, "models.core")
    if not models.get(DEFAULT):
        models[DEFAULT] = [Model("inline")]
    return ModelTable(models, tuple(paths), digest.hexdigest(),
                      dict(behaviours) if isinstance(behaviours, dict) else {})


def _apply(models: dict[str, list[Model]], change: _Change, path: Path, diags: Diagnostics) -> None:
    """Merge one element's entry into the models so far; check the list it makes."""
    name, mode, new = change.name, change.mode, change.models
    old = models.get(name, [])
    if mode == "delete":
        if name not in models:
            close = difflib.get_close_matches(name, list(models), n=1)
            diags.error(path, *change.at, f"`{name}` has no models to delete"
                        + (f"; did you mean `{close[0]}`?" if close else ""), "models.mode")
        models.pop(name, None)
        return
    merged = models[name] = new + old if mode == "before" else new
    own = range(len(new))  # where this table's models are in the merged list
    hidden = False  # a model without `when` hides others: said once, as such, not as two equal `when`s
    for i, model in enumerate(merged[:-1]):
        if not model.when and i in own:
            hidden = True
            hint = (" (with `mode: before` the models already there come after it; give it a "
                    "`when`, or replace the list)" if mode == "before" and old else "")
            diags.error(path, *change.places[i], f"`{name}`: a model without `when` must "
                        f"come last, or the models after it can never apply{hint}", "models.order")
    whens = [m.when for m in merged]
    for w in dict.fromkeys(w for w in whens if whens.count(w) > 1 and (w or not hidden)):
        if any(merged[i].when == w for i in own):
            fix = "remove one" if all(i in own for i, m in enumerate(merged) if m.when == w) else \
                "one of them was there already: remove yours, or replace the list"
            diags.error(path, *change.at, f"`{name}` has two models with the same predicate "
                        f"`{w or '(none)'}`; {fix}", "models.ambiguous")


def _read_table(path: Path, data: bytes, behaviours: set[str], diags: Diagnostics) -> list[_Change]:
    """One table file's entries, in order; what is wrong is reported and left out."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        diags.error(path, line, col, "the model table is not UTF-8; save it as UTF-8", "models.yaml")
        return []
    loader = Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        diags.error(path, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1,
                    f"the model table is not valid YAML: {getattr(exc, 'problem', exc)}",
                    "models.yaml")
        return []
    try:
        if node is None:
            return []
        if not isinstance(node, yaml.MappingNode):
            diags.error(path, 1, 1, "the model table must map TEI element names to lists of models",
                        "models.yaml")
            return []
        entries: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key, value in node.value:
            if key.value in entries:  # YAML keeps the last silently; an editor expects both to count
                diags.error(path, *_place(key), f"`{key.value}` is defined twice (first at line "
                            f"{_place(entries[key.value][0])[0]}); merge its models into one list",
                            "models.ambiguous")
            entries[key.value] = (key, value)
        changes = [_read_entry(path, str(name), key, value, loader, behaviours, diags)
                   for name, (key, value) in entries.items()]
        return [c for c in changes if c is not None]
    finally:
        loader.dispose()


def _read_entry(path: Path, name: str, key: yaml.Node, value: yaml.Node, loader, behaviours: set[str],
                diags: Diagnostics) -> _Change | None:
    """One element's entry: a list of models (replace), or `{mode: ..., models: [...]}`."""
    at = _place(key)
    raw = loader.construct_object(value, deep=True)
    mode, rules, rules_node = "replace", raw, value
    if isinstance(raw, dict) and ("mode" in raw or "models" in raw):
        parts = {k.value: (k, v) for k, v in value.value}
        other = [str(k) for k in raw if k not in ("mode", "models")]
        if other:
            diags.error(path, *at, f"`{name}`: a change has only `mode` ({', '.join(MODES)}) and "
                        f"`models`, not `{'`, `'.join(other)}`", "models.syntax")
            return None
        mode = raw.get("mode", "replace")
        if mode not in MODES:
            why = ("models after the one without `when` that ends a list never apply, so there is "
                   "no `after`; put yours first with `before`, or replace the list" if mode == "after"
                   else f"a mode is one of {', '.join(MODES)} (replace is the plain list, "
                   f"`{name}: [models]`)")
            diags.error(path, *_place(parts["mode"][1]), f"`{name}`: unknown mode `{mode}`; {why}",
                        "models.mode")
            return None
        if mode == "delete":
            if "models" in raw:
                diags.error(path, *_place(parts["models"][0]), f"`{name}`: `mode: delete` takes no "
                            "models; leave them out, or use another mode", "models.mode")
                return None
            return _Change(name, mode, [], [], at)
        if "models" not in raw:
            diags.error(path, *at, f"`{name}`: `mode: {mode}` needs its models, as in "
                        f"`{{mode: {mode}, models: [{{behaviour: inline}}]}}`", "models.mode")
            return None
        rules, rules_node = raw["models"], parts["models"][1]
    rules = rules if isinstance(rules, list) else [rules]
    items = rules_node.value if isinstance(rules_node, yaml.SequenceNode) else [rules_node]
    change = _Change(name, mode, [], [], at)
    for i, rule in enumerate(rules):
        here = _place(items[i]) if i < len(items) else at  # each problem at its own model
        if isinstance(rule, str):
            rule = {"behaviour": rule}
        if not isinstance(rule, dict) or not isinstance(rule.get("params") or {}, dict):
            diags.error(path, *here, f"`{name}`: a model is a mapping like "
                        "`{behaviour: inline, when: \"@rend\", params: {tag: em}}`, "
                        f"not `{rule}`", "models.syntax")
            change.broken = True
            continue
        behaviour = rule.get("behaviour", "")
        if behaviour not in behaviours:
            diags.error(path, *here, f"`{name}` uses behaviour `{behaviour}`, which has no "
                        f"template in templates/behaviours/ (known: {', '.join(sorted(behaviours))})",
                        "models.behaviour")
            change.broken = True
            continue
        when = str(rule.get("when", "") or "")
        test = None
        if when:
            try:
                test = etree.XPath(f"boolean({when})", namespaces=NS)
                test(_PROBE)  # unknown prefixes and functions only fail when evaluated
            except etree.XPathError as exc:
                diags.error(path, *here, f"`{name}`: the predicate `{when}` is not valid "
                            f"XPath ({exc}); prefix TEI element names with `tei:` (teisite's "
                            "functions: ts:token)", "models.xpath")
                change.broken = True
                continue
        params = dict(rule.get("params") or {})
        _check_params(path, name, behaviour, params, items[i] if i < len(items) else None, here,
                      behaviours, diags)
        change.models.append(Model(behaviour, params, when, test))
        change.places.append(here)
    return change


def _check_params(path: Path, name: str, behaviour: str, params: dict, node, here: tuple[int, int],
                  behaviours, diags: Diagnostics) -> None:
    """A `params` key the behaviour does not take (neither its template nor teisite reads it) is
    a warning at the key, naming the keys it takes; so is an XPath parameter that is not XPath or
    gives what it cannot (it is left out of `params`)."""
    declared = behaviours.get(behaviour) if isinstance(behaviours, dict) else None
    if declared is None:
        return
    places = {}
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if k.value == "params" and isinstance(v, yaml.MappingNode):
                places = {str(pk.value): _place(pk) for pk, _ in v.value}
    if declared.reading == "apparatus" and "readings" not in params:
        diags.warning(path, *here, f"`{name}`: behaviour `{behaviour}` shows the reading its "
                      "`params` select (`readings`, and `groups` and `lemma`: XPath, as in "
                      "teisite/templates/models.yml); without `readings` it shows none", "models.params")
    for key, kind in declared.xpath_params().items():
        if key in params:
            problem = _xpath_problem(params[key], kind)
            if problem:
                del params[key]
                diags.warning(path, *places.get(key, here), f"`{name}`: the parameter `{key}` of "
                              f"behaviour `{behaviour}` is XPath, and {problem}; prefix TEI element "
                              "names with `tei:`. It is left out", "models.params")
    taken = declared.params()
    if taken is None:
        return
    for key in params:
        if str(key) not in taken:
            close = difflib.get_close_matches(str(key), sorted(taken), n=1)
            diags.warning(path, *places.get(str(key), here), f"`{name}`: behaviour `{behaviour}` takes no "
                          f"parameter `{key}`, so it changes nothing"
                          + (f"; did you mean `{close[0]}`?" if close else "")
                          + f" (it takes: {', '.join(sorted(taken))})", "models.params")


def _xpath_problem(expr, kind: str) -> str:
    """What is wrong with an XPath parameter ("" when nothing): not text, not XPath, or (`nodes`)
    a value that is not a set of nodes."""
    if not isinstance(expr, str) or not expr.strip():
        return f"`{expr}` is not an XPath expression"
    try:
        found = param_xpath(expr, kind)(_PROBE)  # unknown prefixes and functions fail only here
    except etree.XPathError as exc:
        return f"`{expr}` is not valid XPath ({exc})"
    if kind == "nodes" and not isinstance(found, list):
        what = "true or false" if isinstance(found, bool) else "a number" if isinstance(found, float) else "text"
        return f"`{expr}` selects no elements (it gives {what})"
    return ""
