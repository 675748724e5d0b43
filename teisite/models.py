"""The element → behaviour table (templates/models.yml): loading, checking, and choosing a model."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from lxml import etree

from .diagnostics import Diagnostics
from .parsing import NS, TEI_NS, TS_NS

DEFAULT = "*"
# libyaml when PyYAML was built with it (the same marks and errors, a tenth of the time)
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PROBE = etree.Element(f"{{{TEI_NS}}}p")
_TEI = f"{{{TEI_NS}}}"


@dataclass
class Model:
    """One rule: when `predicate` holds for an element, render it with `behaviour` and `params`."""

    behaviour: str
    params: dict = field(default_factory=dict)
    when: str = ""
    test: etree.XPath | None = None

    def applies(self, el: etree._Element) -> bool:
        return self.test is None or bool(self.test(el))


@dataclass
class ModelTable:
    """Ordered models per TEI element name; `*` is the default for unknown elements."""

    models: dict[str, list[Model]]
    path: Path
    _plans: dict = field(default_factory=dict, repr=False, compare=False)  # per tag, see plan()

    def choose(self, el: etree._Element) -> tuple[Model, bool]:
        """The first model whose predicate holds; (default, False) when the element has none."""
        model, _, _, known = self.plan(el)
        return model, known

    def plan(self, el: etree._Element) -> tuple[Model, str, str | None, bool]:
        """(model, TEI local name or "", mark, known): the model chosen, and how the walk writes
        the choice down when it is not the element's first model ("name#i"; see
        passes.model_of). What each tag's models are is worked out once per table."""
        tag = el.tag
        candidates = self._plans.get(tag)
        if candidates is None:
            candidates = self._plans[tag] = self._candidates(tag)
        for test, plan in candidates:
            if test is None or test(el):
                return plan
        raise AssertionError("the last candidate has no test")  # pragma: no cover

    def _candidates(self, tag: str) -> list[tuple]:
        name = tag[len(_TEI):] if tag.startswith(_TEI) else ""
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


def load_table(path: Path, behaviours: set[str], diags: Diagnostics) -> ModelTable:
    """Read the table; every problem is reported at its line in the YAML file."""
    text = path.read_text(encoding="utf-8")
    try:
        node = yaml.compose(text, Loader=Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        diags.error(path, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1,
                    f"the model table is not valid YAML: {getattr(exc, 'problem', exc)}",
                    "models.yaml")
        return ModelTable({DEFAULT: [Model("inline")]}, path)
    data = yaml.load(text, Loader=Loader) or {}
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        diags.error(path, 1, 1, "the model table must map TEI element names to lists of models",
                    "models.yaml")
        return ModelTable({DEFAULT: [Model("inline")]}, path)
    lines: dict[str, tuple[int, int]] = {}
    rule_places: dict[str, list[tuple[int, int]]] = {}
    for key, value in node.value:
        here = (key.start_mark.line + 1, key.start_mark.column + 1)
        if key.value in lines:  # YAML keeps the last silently; an editor expects both to count
            diags.error(path, *here, f"`{key.value}` is defined twice (first at line "
                        f"{lines[key.value][0]}); merge its models into one list", "models.ambiguous")
        lines[key.value] = here
        items = value.value if isinstance(value, yaml.SequenceNode) else [value]
        rule_places[key.value] = [(i.start_mark.line + 1, i.start_mark.column + 1) for i in items]
    models: dict[str, list[Model]] = {}
    for name, rules in data.items():
        line, col = lines.get(name, (1, 1))
        rules = rules if isinstance(rules, list) else [rules]
        parsed = []
        for i, rule in enumerate(rules):
            places = rule_places.get(name, [])
            at = places[i] if i < len(places) else (line, col)  # each problem at its own model
            if isinstance(rule, str):
                rule = {"behaviour": rule}
            if not isinstance(rule, dict) or not isinstance(rule.get("params") or {}, dict):
                diags.error(path, *at, f"`{name}`: a model is a mapping like "
                            "`{behaviour: inline, when: \"@rend\", params: {tag: em}}`, "
                            f"not `{rule}`", "models.syntax")
                continue
            behaviour = rule.get("behaviour", "")
            if behaviour not in behaviours:
                diags.error(path, *at, f"`{name}` uses behaviour `{behaviour}`, which has no "
                            f"template in templates/behaviours/ (known: {', '.join(sorted(behaviours))})",
                            "models.behaviour")
                continue
            when = str(rule.get("when", "") or "")
            test = None
            if when:
                try:
                    test = etree.XPath(f"boolean({when})", namespaces=NS)
                    test(_PROBE)  # unknown prefixes and functions only fail when evaluated
                except etree.XPathError as exc:
                    diags.error(path, *at, f"`{name}`: the predicate `{when}` is not valid "
                                f"XPath ({exc}); prefix TEI element names with `tei:` "
                                "(teisite's functions: ts:token)", "models.xpath")
                    continue
            elif i != len(rules) - 1:
                diags.error(path, *at, f"`{name}`: a model without `when` must come last, "
                            "or the models after it can never apply", "models.order")
            parsed.append(Model(behaviour, dict(rule.get("params") or {}), when, test))
        whens = [m.when for m in parsed]
        for w in {w for w in whens if whens.count(w) > 1}:
            diags.error(path, line, col, f"`{name}` has two models with the same predicate "
                        f"`{w or '(none)'}`; remove one", "models.ambiguous")
        models[name] = parsed
    if not models.get(DEFAULT):
        models[DEFAULT] = [Model("inline")]
    return ModelTable(models, path)
