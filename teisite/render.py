"""TEI to HTML: the one place that reads `.text` and `.tail`, through one template per behaviour."""

from __future__ import annotations

import json
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateSyntaxError,
    meta,
    nodes,
    select_autoescape,
)
from lxml import etree
from markupsafe import Markup, escape

from .behaviours import Behaviour, read_behaviours
from .dates import DateValue
from .diagnostics import Diagnostics
from .document import Document
from .edition import Edition
from .media import graphic_urls, is_external, site_path
from .models import Loader, param_words
from .parsing import TEI_NS, XML_ID, localname, origin
from .registers import ELEMENT_KINDS, KINDS, Entry
from .targets import resolve_target, safe_url
from .trees import body as body_of
from .trees import parsed
from .trees import source as source_tree
from .walk import A_ANCHOR, A_LEVEL, A_MODEL, A_NESTED, A_NUM, A_SHOWN, ELSEWHERE, TS, app_readings, model_of

try:  # markupsafe's escaping in C, giving a str rather than a Markup object for each piece
    from markupsafe._speedups import _escape_inner as _escape
except ImportError:  # pragma: no cover - markupsafe without its C speedups
    def _escape(s: str) -> str:
        return str(escape(s))

DEFAULT_TEMPLATES = Path(__file__).resolve().parent / "templates"
_TS = f"{{{TS}}}"
_XMLNS = re.compile(r' xmlns(?::\w+)?="(?:http://www\.tei-c\.org/ns/(?:Examples|1\.0)|urn:teisite)"')
_WITH_ID_AND_ANCHOR = etree.XPath("//*[@xml:id and @ts:a]", namespaces={"ts": TS})
_WITH_ID = etree.XPath("//*[@xml:id]")
_SOURCE_ERRORS = etree.XPath("//tei:note[@subtype='source-error' and @target]", namespaces={"tei": TEI_NS})


def make_env(template_dirs: list[Path]) -> Environment:
    """Jinja2 with autoescape on and undefined names failing loudly; project templates first."""
    env = Environment(loader=ChoiceLoader([FileSystemLoader(str(d)) for d in template_dirs]),
                      autoescape=select_autoescape(["html", "xml"], default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=False)
    env.filters["tojson_attr"] = lambda v: json.dumps(v, ensure_ascii=False)
    env.filters["coords"] = coords
    return env


def coords(geo) -> str:
    """A (lat, lon) pair in degrees and minutes (53°23′ N, 124°05′ E): a minute is about 1.8 km,
    the precision of a historical gazetteer."""
    from .maps import dms
    return f"{dms(geo[0], 'N', 'S')}, {dms(geo[1], 'E', 'W')}"


def template_problem(exc: TemplateError) -> Diagnostics:
    """A Jinja2 error as a located problem: the template's file and line (a syntax error says
    them; an error while rendering is found in the traceback, where Jinja2 puts template lines)."""
    path, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if not path:
        path, line = template_location(exc.__traceback__)
    what = "is not valid Jinja2" if isinstance(exc, TemplateSyntaxError) else "failed while rendering"
    element = getattr(exc, "element", None)
    if element is not None:
        what += f" <{element[0]}> of {element[1]}:{element[2] or 1}"
    diags = Diagnostics()
    diags.error(path or "templates", line, 1, f"the template {what}: {exc.message or exc}; fix it "
                "there, or remove it from the project's templates/ to use teisite's own",
                "template.error", related=element[1:] + (1,) if element is not None else None)
    return diags


def behaviour_names(template_dirs: list[Path], diags: Diagnostics | None = None) -> dict[str, Behaviour]:
    """Every behaviour template by name, with what it declares (teisite/behaviours.py)."""
    return read_behaviours(template_dirs, diags)


def load_words(template_dirs: list[Path], lang: str) -> dict[str, str]:
    """The interface's words in one language, from i18n.yml in each template folder (project first)."""
    words: dict[str, str] = {}
    for d in reversed(template_dirs):
        f = d / "i18n.yml"
        if f.exists():
            for key, langs in (yaml.load(f.read_text(encoding="utf-8"), Loader=Loader) or {}).items():
                words[key] = langs.get(lang) or langs.get("en") or key
    return words


def missing_words(template_dirs: list[Path], lang: str) -> list[str]:
    """The interface's words (keys of i18n.yml, project's and teisite's) that have nothing in
    `lang`: shown in English instead."""
    have: dict[str, bool] = {}
    for d in reversed(template_dirs):
        f = d / "i18n.yml"
        if f.exists():
            for key, langs in (yaml.load(f.read_text(encoding="utf-8"), Loader=Loader) or {}).items():
                have[key] = have.get(key, False) or lang in (langs or {})
    return sorted(k for k, ok in have.items() if not ok)


class Content(Markup):
    """An element's content as a template gets it: its HTML, a Markup string that every string
    operation and filter takes. It is false when it holds only whitespace (a blank link shows its
    target), on every path the renderer takes."""

    __slots__ = ()

    def __bool__(self) -> bool:
        return str.__len__(self) > 0 and not str.isspace(self)


@dataclass
class RenderedText:
    html: Markup
    notes: list[dict] = field(default_factory=list)
    entries: dict[str, dict] = field(default_factory=dict)
    apparatus: list[dict] = field(default_factory=list)  # the apparatus entries, listed under the text


class TemplateRenderError(TemplateError):
    """An exception raised inside a template, with the template's file and line."""

    def __init__(self, message: str, filename: str | None, lineno: int | None):
        super().__init__(message)
        self.filename, self.lineno = filename, lineno
        self.element: tuple[str, str, int] | None = None  # (element's name, its file, line) it failed for


def template_location(tb) -> tuple[str | None, int | None]:
    """The innermost template frame of a traceback: (file, line in the template). A frame of a
    template's compiled code maps its line through the template's debug info; a frame Jinja2 has
    already rewritten (Template.render does) stands at the template's own file and line."""
    path = line = None
    while tb is not None:
        frame_globals = tb.tb_frame.f_globals
        template = frame_globals.get("__jinja_template__")
        if template is not None and template.filename:
            path, line = template.filename, template.get_corresponding_lineno(tb.tb_lineno)
        elif "__jinja_exception__" in frame_globals:
            path, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno
        tb = tb.tb_next
    return path, line


def located(exc: Exception) -> TemplateError:
    """Any exception raised while a template renders, as a TemplateError at the template's line."""
    if isinstance(exc, (TemplateRenderError, TemplateSyntaxError)):
        return exc
    path, line = template_location(exc.__traceback__)
    if path is None:
        path = getattr(exc, "filename", None) or getattr(exc, "name", None)
    message = str(exc) if isinstance(exc, TemplateError) else f"{type(exc).__name__}: {exc}"
    return TemplateRenderError(message, path, line)


def render_template(template, **ctx) -> str:
    """A page template rendered; whatever goes wrong in it is a TemplateError at its line."""
    try:
        return template.render(**ctx)
    except Exception as exc:  # noqa: BLE001 - a project's template may raise anything
        raise located(exc) from None


# --- what a behaviour template reads, and what it writes around per-element values -----------

# values that differ from element to element and are written into the HTML as they are: a
# template that uses them only so is rendered once per key with placeholders in their place
_MARK = "\ue000{}\ue001"
_MARKS = re.compile("\ue000(\\d+)\ue001")
_CONSTANT = ("name", "params")  # the same for every element of a plan
_EVERY = frozenset({""})  # (Renderer._gone: every anchor of a text the current version lacks)
_MISSING = object()
_NO_ATTRS: dict = {}
_HTML = ("m",)  # the kind of a `content` slot that holds HTML that is not only whitespace


@dataclass
class _Form:
    """A behaviour template as analysed once: the names it reads (besides the globals), the
    attributes it reads (None: any), and the names it only writes out or tests (slots)."""

    reads: frozenset
    attrs: tuple | None
    slots: tuple
    keyed: tuple           # names whose values make the key
    reusable: bool         # whether what it writes can be reused at all
    content_slot: int | None = None  # which slot is `content`
    around: bool = False   # it reads its content and some attributes, nothing else that varies
    opaque: bool = False   # it includes or imports templates, which may read anything


def _parents(ast) -> dict[int, object]:
    out, todo = {}, [ast]
    while todo:
        node = todo.pop()
        for child in node.iter_child_nodes():
            out[id(child)] = node
            todo.append(child)
    return out


# where a value written as `{{ x }}` goes into the page as it is: not through a filter block, a
# captured `{% set %}`, an `{% autoescape %}` block or a macro
_PLAIN_PLACES = (nodes.Template, nodes.Output, nodes.If, nodes.For)


def _is_written(node, parents: dict) -> bool:
    """Whether a name is only written out as it is (`{{ x }}`, escaped as Jinja2 escapes it) or
    only tested for truth (`{% if x %}`, `a if x else b`): nothing else Jinja2 does with a
    value (a filter, a test, a call such as t(), an operator, an attribute) can be done to a
    placeholder in its place and give what it gives for the value."""
    parent = parents.get(id(node))
    if isinstance(parent, (nodes.If, nodes.CondExpr)) and parent.test is node:
        return True
    if not isinstance(parent, nodes.Output):
        return False
    while parent is not None:
        if not isinstance(parent, _PLAIN_PLACES):
            return False
        parent = parents.get(id(parent))
    return True


def analyse(env: Environment, template) -> _Form:
    source = env.loader.get_source(env, template.name)[0]
    ast = env.parse(source)
    reads = frozenset(meta.find_undeclared_variables(ast)) - set(env.globals)
    parents = _parents(ast)
    names: dict[str, list] = {}
    for node in ast.find_all(nodes.Name):
        if node.ctx == "load":
            names.setdefault(node.name, []).append(node)
    attrs: set | None = set()
    for node in names.get("attrs", []):
        parent = parents.get(id(node))
        call = parents.get(id(parent))
        if (isinstance(parent, nodes.Getattr) and parent.node is node and parent.attr == "get"
                and isinstance(call, nodes.Call) and call.node is parent and call.args
                and isinstance(call.args[0], nodes.Const)):  # attrs.get('x', ...)
            attrs.add(call.args[0].value)
        elif isinstance(parent, nodes.Getattr) and parent.node is node and not hasattr(dict, parent.attr):
            attrs.add(parent.attr)
        elif isinstance(parent, nodes.Getitem) and parent.node is node and isinstance(parent.arg, nodes.Const):
            attrs.add(parent.arg.value)
        else:
            attrs = None
            break
    # an included or imported template reads what this one cannot see
    opaque = any(True for _ in ast.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)))
    reusable = not opaque and not any(True for _ in ast.find_all((nodes.CallBlock, nodes.Macro)))
    slots = tuple(sorted(n for n in reads if n not in _CONSTANT and n != "attrs"
                         and all(_is_written(node, parents) for node in names.get(n, []))))
    reusable = reusable and ("content" not in reads or "content" in slots)
    keyed = tuple(sorted(n for n in reads if n not in _CONSTANT and n not in slots and n != "attrs"))
    return _Form(reads, tuple(sorted(attrs)) if attrs is not None else None, slots, keyed, reusable,
                 slots.index("content") if "content" in slots else None,
                 reusable and slots == ("content",) and not keyed and attrs is not None, opaque)


class _Plan:
    """How elements of one tag and chosen model are rendered."""

    __slots__ = ("behaviour", "form", "hits", "name", "params", "provider", "template", "written")

    def __init__(self, name, params, behaviour, template, form, provider):
        self.name, self.params, self.behaviour = name, params, behaviour
        self.template, self.form, self.provider = template, form, provider
        self.written: dict = {}   # key → (pieces, slots) of what the template writes, or None
        self.hits = 0


class Renderer:
    """Renders documents and pages of one edition with one Jinja2 environment.

    Every element is rendered by its behaviour's template. A template renders once per key
    (the values it reads other than those it only writes out) with placeholders for the values
    it only writes out; each element then gets those pieces with its own values in between. The
    first element of each key is rendered in full as well and must come out the same, or that
    key is always rendered in full (`reuse=False`: always in full, as the tests compare)."""

    def __init__(self, edition: Edition, env: Environment, words: dict[str, str], reuse: bool = True,
                 forms: dict | None = None):
        """`forms` may outlive the renderer (while serving): what each of env's templates reads
        and writes, worked out once per environment."""
        self.edition, self.env, self.words = edition, env, words
        self.table = edition.table
        self.reuse = reuse
        self._plans: dict[tuple, _Plan] = {}  # (tag, model mark) → _Plan
        self._around_notes: set | None = None  # render_notes: the elements that hold a note
        self._notes: set | None = None
        self._forms: dict[str, _Form] = forms if forms is not None else {}
        self.providers = {"entries": self._entries, "date": self._date, "note": self._note,
                          "target": self._target, "choice": self._choice, "readings": self._readings,
                          "media": self._media, "source": self._source}
        env.globals.update(t=self.t, kinds=KINDS, lang=edition.lang)
        self._globals = dict(env.globals)

    def t(self, key: str, *args) -> str:
        """An interface word; `{}` in it are filled from args. A count of 1 takes the word
        `<key>_one` where the language has one ("1 mention", not "1 mentions")."""
        if args and args[0] == 1 and f"{key}_one" in self.words:
            key = f"{key}_one"
        word = self.words.get(key, key)
        return word.format(*args) if args else word

    def _plan(self, el: etree._Element) -> _Plan:
        model = model_of(el, self.table)
        behaviour = self.table.behaviour(model.behaviour)
        template = form = None
        if not behaviour.hidden:
            template = self.env.get_template(f"behaviours/{model.behaviour}.html")
            if template.name not in self._forms:
                self._forms[template.name] = analyse(self.env, template)
            form = self._forms[template.name]
        return _Plan(el.tag.rpartition("}")[2], model.params, behaviour, template, form,
                     self.providers.get(behaviour.context))

    def _call(self, template, ctx: dict) -> str:
        try:
            return "".join(template.root_render_func(template.new_context(ctx, shared=True)))
        except Exception as exc:  # noqa: BLE001 - a project's template may raise anything
            raise located(exc) from None

    # --- the text of a document -------------------------------------------------------------

    def render_document(self, doc: Document, root: str, old=None) -> RenderedText:
        """The document's text as HTML; `root` is the relative path from the page to the site root.
        `old`: the versions (versions.Versions) when this is an old one's build, whose every
        anchored element then gets the same place in the current version (`in_current`, from the
        whole site's root, two folders up from v/<n>/), or is said to be gone from it (`gone`)."""
        out = self._start(doc, root, old)
        body = body_of(doc)
        out.html = Markup(self.node(body) if body is not None else "")
        # an entry inside another's lemma is rendered (and listed) before the one around it
        out.apparatus.sort(key=lambda e: int(e["n"]))
        return out

    def render_notes(self, doc: Document) -> list[dict]:
        """The document's notes, as render_document lists them (the plain-text downloads), made
        by rendering only the notes and the elements they stand in: each of those as in the
        whole text (its template decides which of its children it shows, and where), with the
        elements around no note left out."""
        self._start(doc, "")
        body = body_of(doc)
        if body is None:
            return []
        notes = list(self._shown_notes(body))
        self._around_notes = {a for el in notes for a in el.iterancestors()}
        self._notes = set(notes)
        try:
            self.node(body)
        finally:
            self._around_notes = self._notes = None
        return self._out.notes

    def _shown_notes(self, el: etree._Element):
        """The notes inside el but for those inside a hidden element or another note."""
        for child in el:
            if isinstance(child.tag, str):
                plan = self._plan_of(child)
                if plan.template is None:
                    continue
                if plan.provider == self._note:
                    yield child
                else:
                    yield from self._shown_notes(child)

    def _start(self, doc: Document, root: str, old=None) -> RenderedText:
        out = RenderedText(Markup(""))
        self._doc, self._root, self._out, self._in_link = doc, root, out, 0
        self._current, self._gone = "", None  # (not an old version's page: no element gets either)
        if old is not None and old.old:
            missing = doc.rel in old.missing
            self._current = "" if missing else f"{root}../../{doc.url}"
            self._gone = _EVERY if missing else frozenset(old.gone.get(doc.rel, ()))
        self._mentions = {m.anchor: m for m in doc.mentions}
        self._ids = {e.get(XML_ID): e for e in _WITH_ID_AND_ANCHOR(parsed(doc))}  # xml:id → anchored element
        self._witnesses: dict[tuple, tuple[str, str]] | None = None  # (siglum, id) → siglum, names
        self._ids_in_text: dict[str, etree._Element] | None = None  # (the witnesses, found by id)
        self._ids_in_file: dict[str, etree._Element] | None = None
        self._errata: dict[str, etree._Element] | None = None  # read when a mention asks
        self._graphics: dict[str, str] | None = None  # read when a facs pointer needs them
        self._missing_files = {p for p, there in doc.media if not there}  # once, not per image
        return out

    def _erratum(self, el: etree._Element) -> etree._Element | None:
        """The editors' note on an error of the source (note subtype="source-error") whose
        @target names this element: the mention shows it, and still links its entry."""
        if self._errata is None:
            self._errata = {}
            for note in _SOURCE_ERRORS(parsed(self._doc)):
                for target in (note.get("target") or "").split():
                    self._errata.setdefault(target.removeprefix("#"), note)
        return self._errata.get(el.get(XML_ID) or "") if el.get(XML_ID) else None

    def in_current(self, anchor: str) -> tuple[str, bool]:
        """Where an anchored place of an old version's page is in the current version (a link from
        the page), or that it is gone from it; ("", False) on any other page."""
        if self._gone is None or not anchor:
            return "", False
        if self._gone is _EVERY or anchor in self._gone:
            return "", True
        return f"{self._current}#{anchor}", False

    @staticmethod
    def anchor(el: etree._Element) -> str:
        return el.get(A_ANCHOR, "")

    @staticmethod
    def number(el: etree._Element) -> str:
        return el.get(A_NUM, "")

    def children(self, el: etree._Element) -> str:
        """The element's content as HTML: its text, its children rendered, their tails."""
        text = el.text
        parts = [_escape(text)] if text else []
        node = self.node
        for child in el:
            if isinstance(child.tag, str):
                parts.append(node(child))
            tail = child.tail
            if tail:
                parts.append(_escape(tail))
        return "".join(parts)

    def child(self, el: etree._Element, name: str) -> Markup:
        for c in el:
            if isinstance(c.tag, str) and localname(c) == name:
                return Markup(self.node(c))
        return Markup("")

    def _plan_of(self, el: etree._Element) -> _Plan:
        key = (el.tag, el.get(A_MODEL))
        plan = self._plans.get(key)
        if plan is None:  # once per tag and model chosen
            plan = self._plans[key] = self._plan(el)
        return plan

    def node(self, el: etree._Element) -> str:
        if self._around_notes is not None:  # render_notes: only the notes, and what holds them
            if el in self._notes:
                around, self._around_notes = self._around_notes, None
                try:
                    return self.node(el)
                finally:
                    self._around_notes = around
            if el not in self._around_notes:
                return ""
        if el.get(A_SHOWN) == ELSEWHERE:  # a variant in another language than the page's
            return ""
        plan = self._plans.get((el.tag, el.get(A_MODEL))) or self._plan_of(el)
        if plan.template is None:
            return ""
        try:
            extra = plan.provider(el, plan.params) if plan.provider is not None else None
            # only an element written as a link around its content makes its descendants plain
            if plan.behaviour.links and not (extra and (extra.get("plain") or extra.get("nested"))):
                self._in_link += 1
                try:
                    return self._write(plan, el, extra)
                finally:
                    self._in_link -= 1
            return self._write(plan, el, extra)
        except TemplateRenderError as exc:
            if exc.element is None:  # the innermost element it failed for
                exc.element = (plan.name, *self._source_line(el))
            raise

    def _source_line(self, el: etree._Element) -> tuple[str, int]:
        """The file and line an element of the walked text stands at: its own, or, once the
        text was shed to bytes (trees.shed_text), the line of the element at its path in the
        file parsed again."""
        path = origin(el) or str(self._doc.path)
        if self._doc.xml is None or origin(el):
            return path, el.sourceline or 0
        tree = source_tree(self._doc)
        text = tree.getroot().find(f"{{{TEI_NS}}}text") if tree is not None else None
        if text is None:
            return path, 0
        steps = []
        node = el
        while node.getparent() is not None:
            steps.append(node.getparent().index(node))
            node = node.getparent()
        for i in reversed(steps):
            if i >= len(text):
                return path, 0
            text = text[i]
        return path, (text.sourceline or 0) if text.tag == el.tag else 0

    def _write(self, plan: _Plan, el: etree._Element, extra: dict | None) -> str:
        form = plan.form
        reusing = self.reuse and form.reusable
        # HTML as a str, not a Markup object: the slots' kinds say which values are HTML
        content = self.children(el) if reusing and "content" in form.reads else ""
        if reusing and form.around:  # the common case, made short: only its content varies
            attrs = _attrs(el) if form.attrs else _NO_ATTRS
            written = plan.written.get((tuple(map(attrs.get, form.attrs)), (), _content_kind(content)))
            if written is not None and len(written[0]) == 2:
                return written[0][0] + content + written[0][1]
        # the attributes: all of them to render in full, only those it reads for a key
        attrs = _attrs(el) if not reusing or form.attrs is None or form.attrs else _NO_ATTRS
        anchor = el.get(A_ANCHOR, "")
        in_current, gone = self.in_current(anchor) if self._gone is not None else ("", False)
        values = {"name": plan.name, "params": plan.params, "attrs": attrs,
                  "anchor": anchor, "n": el.get(A_NUM, ""), "root": self._root,
                  "content": content, "in_current": in_current, "gone": gone}
        if "level" in form.reads:
            values["level"] = int(el.get(A_LEVEL, "1"))
        if extra:
            values.update(extra)
        if not reusing:
            if "content" in form.reads or form.opaque:
                values["content"] = Content(self.children(el))
            return self._call(plan.template, {**self._globals, **values})
        kinds = tuple(map(_slot_kind, map(values.get, form.slots)))
        if form.content_slot is not None:
            kinds = (*kinds[:form.content_slot], *_content_kind(content), *kinds[form.content_slot + 1:])
        key = (tuple(map(attrs.get, form.attrs)) if form.attrs is not None else tuple(sorted(attrs.items())),
               tuple(map(values.get, form.keyed)), kinds)
        try:
            written = plan.written.get(key, _MISSING)
        except TypeError:  # a value that cannot be a key (a list, say): this element in full
            written = None
        if written is _MISSING or written is None:
            values["attrs"] = _attrs(el)
        if written is _MISSING:
            written = plan.written[key] = self._pieces(plan, values, kinds)
        if written is None:
            values["content"] = Content(content)
            return self._call(plan.template, {**self._globals, **values})
        return _assemble(written, values)

    def _pieces(self, plan: _Plan, values: dict, kinds: tuple):
        """What the template writes around its slots for this key, as (pieces, (slot name, is
        HTML) per gap); None when that is not what rendering it in full writes (then it always is)."""
        real = {**self._globals, **values, "content": Content(values["content"])}
        fake = dict(real)
        for i, (name, kind) in enumerate(zip(plan.form.slots, kinds)):
            if kind == "m":
                fake[name] = Markup(_MARK.format(i))
            elif kind == "s":
                fake[name] = _MARK.format(i)
        try:
            parts = _MARKS.split(self._call(plan.template, fake))
        except TemplateError:
            return None  # rendered in full, it says what is wrong, at the element that fails
        slots = [(plan.form.slots[int(i)], kinds[int(i)] == "m") for i in parts[1::2]]
        written = (parts[0::2], slots)
        return written if _assemble(written, values) == self._call(plan.template, real) else None

    # --- extra context, as a behaviour template declares it (`context:`) ------------------------

    def _entries(self, el, params) -> dict:
        holder = el.getparent() if params.get("refs_from") == "parent" and el.getparent() is not None else el
        mention = self._mentions.get(holder.get(A_ANCHOR, ""))
        entries = [self.edition.entries[i] for i in (mention.resolved if mention else [])]
        known = self._out.entries
        for e in entries:
            if e.id not in known:
                known[e.id] = self.entry_data(e, self._root)
        if entries:
            kind, href = entries[0].kind, self._root + entries[0].url
        else:
            kind = ELEMENT_KINDS.get(localname(holder), holder.get("type", "name"))
            refs = mention.refs if mention else holder.get("ref", "").split()
            external = [safe_url(r) for r in refs if re.match(r"^https?://", r)]
            href = external[0] if external else next(filter(None, map(self._document_link, refs)), "")
        erratum = self._erratum(el)
        return {"erratum": erratum.get(A_ANCHOR, "") if erratum is not None else "",
                "erratum_n": erratum.get(A_NUM, "") if erratum is not None else "",
                "entries": entries, "label": entries[0].label if entries else "",
                "kind": kind if kind in KINDS or kind == "date" else "name",
                "href": href, "refs": " ".join(e.id for e in entries),
                "plain": not href or self._in_link > 0,
                "nested": bool(href) and not self._in_link and el.get(A_NESTED) is not None,
                "cert": holder.get("cert", "")}

    def _date(self, el, params) -> dict:
        mention = self._mentions.get(el.get(A_ANCHOR, ""))
        value = mention.date if mention else DateValue()
        lang = self.edition.lang
        iso = value.when or value.not_before or value.custom or ""
        return {"value": value, "gregorian": value.gregorian(lang), "original": value.original(lang),
                "julian": value.julian(lang),
                "method": value.method, "iso": iso if re.match(r"^-?\d{4}", iso) else "",
                "href": f"{self._root}chronology/#{self._doc.slug}--{el.get(A_ANCHOR, '')}",
                "nested": not self._in_link and el.get(A_NESTED) is not None,
                "plain": self._in_link > 0,
                "uncertain": value.uncertain}

    def _note(self, el, params) -> dict:
        n = el.get(A_NUM, "")
        kind = str(params.get("kind") or "authorial")  # from the table (models.yml)
        saved, self._in_link = self._in_link, 0
        content = Markup(self.children(el))
        self._in_link = saved
        in_current, gone = self.in_current(el.get(A_ANCHOR, ""))
        self._out.notes.append({"n": n, "anchor": el.get(A_ANCHOR, ""), "kind": kind,
                                "html": content, "label": self.t(f"note_{kind}"),
                                "in_current": in_current, "gone": gone})
        return {"kind": kind, "note_html": content}

    def _target(self, el, params) -> dict:
        """Where a link leads (targets.py) and what it shows when it has no words: a place on its
        page by its number (note 3, ¶3), a text by its title, an entry by its name; a target
        that names nothing is no link (checks.py reports it)."""
        tokens = el.get("target", "").split()
        href = label = ""
        external = False
        here = self._ids.get(tokens[0][1:]) if tokens and tokens[0].startswith("#") else None
        if here is not None:
            href, label = "#" + here.get(A_ANCHOR), self._number_label(here)
        elif tokens:
            found = resolve_target(self._doc, tokens[0], self.edition.references)
            if found is not None:
                external = found.external
                href = found.href if is_external(found.href) else self._root + found.href
                label = found.label
        return {"href": href, "label": label or href, "external": external, "nested": self._in_link > 0}

    def _number_label(self, el: etree._Element) -> str:
        """A numbered place as a reader sees its number: ¶3 for a passage (and for a paragraph of
        its translation), 3 for a note or a line."""
        n = el.get(A_NUM, "")
        return f"¶{n}" if n and self._plan_of(el).behaviour.numbers in ("passage", "translation") else n

    def _document_link(self, token: str) -> str:
        """A reference to another document of the edition (`#D_1`, `D_1.xml#p3`) as a link to
        its page; "" when it names none."""
        if ":" in token:
            return ""
        found = self.edition.references.document(self._doc, token)
        if found is None:
            return ""
        target, fragment = found
        return self._root + target.url + (f"#{fragment}" if fragment else "")

    def _choice(self, el, params) -> dict:
        """The reading the walk chose to show (A_SHOWN), and the other one in the tooltip."""
        shown = next((c for c in el if isinstance(c.tag, str) and c.get(A_SHOWN) == "1"), None)
        names = (params.get("original", ""), params.get("regular", ""))
        other_name = names[1] if shown is None or localname(shown) == names[0] else names[0]
        other = next((c for c in el if isinstance(c.tag, str) and localname(c) == other_name), None)
        source_shown = shown is None or localname(shown) == names[0]
        return {"original": Markup(self.node(shown) if shown is not None else ""),
                "regular": Markup(self.node(other) if other is not None else ""),
                "label": self.t(params.get("label", "")) if source_shown else self.t("source_reading")}

    def _readings(self, el, params) -> dict:
        """The reading the walk chose to show (A_SHOWN) and the others, with their witnesses'
        sigla and names (from listWit), their kind (@type: omission, addition, transposition;
        an empty reading is an omission) and what the witnesses' details (witDetail) say of
        them; the entry's notes (its other children: note, witDetail about no one reading). A
        numbered entry is also listed under the text."""
        readings, groups = app_readings(el, params)
        shown = next((r for r in readings if r.get(A_SHOWN) == "1"), None)
        lemma = Markup(self.node(shown) if shown is not None else "")
        lemma_wit, lemma_names = self._sigla(shown, params)
        details: dict[int, list[str]] = {}
        notes = []
        parts = {*readings, *groups}
        for child in [c for h in (el, *groups) for c in h if isinstance(c.tag, str) and c not in parts]:
            html = self.node(child)
            wit = self._sigla(child, params)
            if wit[0] and html.strip():  # a witness's detail says whose it is
                html = f'<span class="app-wit" title="{_escape(wit[1])}">{_escape(wit[0])}</span>: {html}'
            targets = {t.rpartition("#")[2] for t in child.get("target", "").split()}
            about = [r for r in readings if r.get(XML_ID) in targets]
            for r in about[:1]:
                details.setdefault(id(r), []).append(html)
            if not about and html.strip():
                notes.append(Markup(html))
        others = []
        for r in readings:
            if r is not shown:
                wit, names = self._sigla(r, params)
                empty = not len(r) and not (r.text or "").strip()
                others.append({"wit": wit, "wit_names": names, "html": Markup("" if empty else self.node(r)),
                               "label": self._reading_kind(r),
                               "detail": Markup(" ".join(details.get(id(r), [])))})
        lemma_detail = Markup(" ".join(details.get(id(shown), []))) if shown is not None else Markup("")
        if el.get(A_ANCHOR) and el.get(A_NUM):
            self._out.apparatus.append({"n": el.get(A_NUM), "anchor": el.get(A_ANCHOR), "lemma": lemma,
                                        "lemma_wit": lemma_wit, "lemma_wit_names": lemma_names,
                                        "lemma_detail": lemma_detail, "notes": notes,
                                        "readings": others})
        return {"lemma": lemma, "lemma_wit": lemma_wit, "lemma_detail": lemma_detail,
                "readings": others, "notes": notes}

    def _reading_kind(self, reading) -> str:
        """A reading's kind as an apparatus writes it ("om.", "add.", "transp."): from @type,
        or "om." for a reading with no words and nothing in it."""
        kind = reading.get("type", "").strip().lower()
        known = {"omission": "rdg_omission", "om": "rdg_omission", "addition": "rdg_addition",
                 "add": "rdg_addition", "transposition": "rdg_transposition",
                 "transp": "rdg_transposition"}
        if kind in known:
            return self.t(known[kind])
        if not "".join(reading.itertext()).strip() and not len(reading):
            return self.t("rdg_omission")
        return ""

    def _sigla(self, reading, params: dict) -> tuple[str, str]:
        """A reading's witnesses: their sigla (what the apparatus's params `siglum` gives for the
        element its @wit points at, else the witness's id) and their names (the witness's
        words), each joined by spaces and semicolons."""
        if reading is None or not reading.get("wit"):
            return "", ""
        if self._witnesses is None:
            self._witnesses = {}
        found = []
        for token in reading.get("wit", "").split():
            ident = token.rpartition("#")[2]
            key = (params.get("siglum"), ident)
            if key not in self._witnesses:
                w = self._witness(ident)
                short = param_words(params, "siglum", w, "text") if w is not None else ""
                self._witnesses[key] = (short or ident,
                                        " ".join("".join(w.itertext()).split()) if w is not None else "")
            found.append(self._witnesses[key])
        return " ".join(s for s, _ in found), "; ".join(f"{s}: {n}" if n and n != s else s for s, n in found)

    def _witness(self, ident: str) -> etree._Element | None:
        """The element a reading's @wit points at by its xml:id: in the text, else in its file
        (the list of witnesses is mostly in the header, which a shed text does not keep, trees.py)."""
        if self._ids_in_text is None:
            self._ids_in_text = {e.get(XML_ID): e for e in _WITH_ID(parsed(self._doc))}
        found = self._ids_in_text.get(ident)
        if found is None:
            if self._ids_in_file is None:
                tree = source_tree(self._doc)
                self._ids_in_file = {e.get(XML_ID): e for e in _WITH_ID(tree)} if tree is not None else {}
            found = self._ids_in_file.get(ident)
        return found

    @staticmethod
    def _source(el, params) -> dict:
        """An element's content as the XML it is written in, indented as in the file but for the
        indentation all its lines share, without the namespace declarations serialising adds."""
        parts = [el.text or ""] + [etree.tostring(c, encoding="unicode", with_tail=True) for c in el]
        xml = _XMLNS.sub("", "".join(parts))
        return {"source": textwrap.dedent(xml.strip("\n")).strip()}

    def _facs_url(self, ident: str) -> str:
        """The image of a facsimile's surface or graphic by its id, from an index of the text's ids
        made once (the facsimile may have been let go with the header, trees.py: then the file's)."""
        if self._graphics is None:
            self._graphics = graphic_urls(parsed(self._doc).getroot())
            self._graphics_of_file = False
        if ident not in self._graphics and not self._graphics_of_file:
            self._graphics_of_file = True
            tree = source_tree(self._doc)
            if tree is not None:
                self._graphics = {**graphic_urls(tree.getroot()), **self._graphics}
        return self._graphics.get(ident, "")

    def _media(self, el, params) -> dict:
        """The image an element shows or links to: its @url, or its @facs (a URL, or a pointer to
        a facsimile's surface or graphic). In the project, its path in the site (next to the TEI
        file, where teisite/media.py copies it); outside, the URL itself, to be linked only."""
        url = el.get("url", "").strip()
        facs = el.get("facs", "").split()
        if not url and facs:
            url = facs[0]
            if url.startswith("#"):
                url = self._facs_url(url[1:])
        url = safe_url(url)
        external = is_external(url)
        rel = "" if external else site_path(self._doc.rel, url)
        src = url if external else (self._root + rel if rel and not self._missing(rel) else "")
        return {"src": src, "external": external, "alt": param_words(params, "alt", el)}

    def _missing(self, rel: str) -> bool:
        """Whether an image of the project (its path below the source folder) was looked for
        when the document was loaded and is not there (loading warned of it): then it is
        neither shown nor linked, and a page break does not offer it (no page-images button
        for a text whose images are all missing)."""
        if not self._missing_files:
            return False
        project = Path(str(self._doc.path)[:-len(self._doc.rel.partition("#")[0])] or ".")
        return str((project / rel).resolve()) in self._missing_files

    # --- data for popovers and pages ----------------------------------------------------------

    def entry_data(self, e: Entry, root: str) -> dict:
        return {"id": e.id, "kind": e.kind, "label": e.label, "variants": e.variants[:6],
                "life": e.life, "type": self.words.get(f"place_{e.place_type}", e.place_type) if e.place_type else "",
                "role": e.role, "description": e.description,
                "links": [{"label": label, "url": url} for label, url in e.links],
                "url": root + e.url, "cert": e.cert}



def _assemble(written: tuple, values: dict) -> str:
    """What a template writes for one element: its pieces with the element's values between them
    (HTML as it is, text escaped)."""
    pieces, slots = written
    out = [pieces[0]]
    for i, (name, html) in enumerate(slots, 1):
        out.append(str(values[name]) if html else _escape(values[name]))
        out.append(pieces[i])
    return "".join(out)


def _attrs(el: etree._Element) -> dict[str, str]:
    """An element's attributes by local name (xml:lang as lang), without those the walk wrote."""
    return {k.rpartition("}")[2]: v for k, v in el.attrib.items() if not k.startswith(_TS)}


def _slot_kind(value) -> object:
    """How a slot's value enters the key: "m" (HTML) or "s" (text) when it can stand in a
    placeholder's place, else the value itself (empty, or not a string: then it is part of it)."""
    cls = value.__class__
    if cls is str:
        return "s" if value else ""
    if cls is Markup:
        return "m" if value else ""
    return value


def _content_kind(content: str) -> tuple:
    """How an element's content (its HTML as a str) enters the key: ("m",) when it is true as
    Content is (not only whitespace), else the content itself (then what is written around it
    is written for it alone)."""
    return _HTML if content and not content.isspace() else (content,)
