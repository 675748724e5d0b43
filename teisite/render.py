"""TEI to HTML: the one place that reads `.text` and `.tail`, through one template per behaviour."""

from __future__ import annotations

import json
import re
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
    select_autoescape,
)
from lxml import etree
from markupsafe import Markup

from .dates import DateValue
from .diagnostics import Diagnostics
from .edition import ELEMENT_KINDS, KINDS, Document, Edition, Entry
from .fast import BEHAVIOURS as FAST
from .fast import _escape_inner as _escape  # markupsafe's escaping in C, giving a str
from .models import Loader
from .parsing import XML_ID, localname
from .passes import A_ANCHOR, A_MODEL, A_NUM, TS, model_of

DEFAULT_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
_TS = f"{{{TS}}}"
_WITH_ID_AND_ANCHOR = etree.XPath("//*[@xml:id and @ts:a]", namespaces={"ts": TS})
LINK_BEHAVIOURS = {"mention", "date", "note", "link"}
_SAFE_URL = re.compile(r"^(https?://|mailto:|#|[^:]*$)", re.IGNORECASE)


def safe_url(url: str) -> str:
    """A URL from TEI, or '' when it could run code (javascript:, data:, vbscript: ...)."""
    url = url.strip()
    cleaned = re.sub(r"[\x00-\x20]", "", url)
    return url if _SAFE_URL.match(cleaned) else ""


def make_env(template_dirs: list[Path]) -> Environment:
    """Jinja2 with autoescape on and undefined names failing loudly; project templates first."""
    env = Environment(loader=ChoiceLoader([FileSystemLoader(str(d)) for d in template_dirs]),
                      autoescape=select_autoescape(["html", "xml"], default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=False)
    env.filters["tojson_attr"] = lambda v: json.dumps(v, ensure_ascii=False)
    return env


def template_problem(exc: TemplateError) -> Diagnostics:
    """A Jinja2 error as a located problem: the template's file and line (a syntax error says
    them; an error while rendering is found in the traceback, where Jinja2 puts template lines)."""
    path, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if not path:  # the innermost frame of a template's compiled code
        tb = exc.__traceback__
        while tb is not None:
            template = tb.tb_frame.f_globals.get("__jinja_template__")
            if template is not None and template.filename:
                path, line = template.filename, template.get_corresponding_lineno(tb.tb_lineno)
            tb = tb.tb_next
    what = "is not valid Jinja2" if isinstance(exc, TemplateSyntaxError) else "failed while rendering"
    diags = Diagnostics()
    diags.error(path or "templates", line, 1, f"the template {what}: {exc.message or exc}; fix it "
                "there, or remove it from the project's templates/ to use teisite's own",
                "template.error")
    return diags


def behaviour_names(template_dirs: list[Path]) -> set[str]:
    return {p.stem for d in template_dirs for p in (d / "behaviours").glob("*.html")}


def load_words(template_dirs: list[Path], lang: str) -> dict[str, str]:
    """The interface's words in one language, from templates/i18n.yml (project first)."""
    words: dict[str, str] = {}
    for d in reversed(template_dirs):
        f = d / "i18n.yml"
        if f.exists():
            for key, langs in (yaml.load(f.read_text(encoding="utf-8"), Loader=Loader) or {}).items():
                words[key] = langs.get(lang) or langs.get("en") or key
    return words


class _Lazy:
    """Rendered children, computed only when a template uses them."""

    __slots__ = ("fn", "value")

    def __init__(self, fn):
        self.fn, self.value = fn, None

    def __html__(self) -> str:
        if self.value is None:
            self.value = self.fn()
        return self.value

    __str__ = __html__

    def __bool__(self) -> bool:
        return bool(self.__html__().strip())


@dataclass
class RenderedText:
    html: Markup
    notes: list[dict] = field(default_factory=list)
    entries: dict[str, dict] = field(default_factory=dict)


class Renderer:
    """Renders documents and pages of one edition with one Jinja2 environment."""

    def __init__(self, edition: Edition, env: Environment, words: dict[str, str],
                 options: dict | None = None, fast: bool = True):
        """`fast=False` renders every behaviour through its template (the tests compare both)."""
        self.edition, self.env, self.words = edition, env, words
        self.table = edition.table
        self.options = options or {}
        self.fast = fast
        self.behaviours: dict[str, object] = {}
        self._plans: dict[tuple, tuple] = {}  # (tag, model mark) → how node() renders it
        self.extras = {name[5:]: getattr(self, name) for name in dir(self) if name.startswith("_ctx_")}
        env.globals.update(t=self.t, kinds=KINDS, lang=edition.lang)

    def t(self, key: str, *args) -> str:
        """An interface word; `{}` in it are filled from args."""
        word = self.words.get(key, key)
        return word.format(*args) if args else word

    def behaviour(self, name: str):
        """How to render a behaviour: its Python twin (teisite/fast.py) while its template is the
        shipped one, else its template, as a function of the element, params and extra context."""
        if name not in self.behaviours:
            template = self.env.get_template(f"behaviours/{name}.html")
            if name in FAST and self.shipped(template):
                self.behaviours[name] = FAST[name]
            else:
                self.behaviours[name] = self._jinja_behaviour(template)
        return self.behaviours[name]

    def shipped(self, template) -> bool:
        """Whether a template is the one teisite ships (whose Python twin may stand in for it),
        not a project's own, and twins are allowed (`fast`)."""
        return self.fast and Path(template.filename or "").resolve() == \
            DEFAULT_TEMPLATES / template.name

    def _jinja_behaviour(self, template):
        globals_ = template.globals

        def render(r, el, params, extra) -> str:
            ctx = {**globals_, "name": el.tag.rpartition("}")[2], "params": params,
                   "attrs": {k.rpartition("}")[2]: v for k, v in el.attrib.items()
                             if not k.startswith(_TS)},
                   "anchor": el.get(A_ANCHOR, ""), "n": el.get(A_NUM, ""), "root": self._root,
                   "content": _Lazy(lambda: self.children(el)), **(extra or {})}
            return "".join(template.root_render_func(template.new_context(ctx, shared=True)))
        return render

    # --- the text of a document -------------------------------------------------------------

    def render_document(self, doc: Document, root: str) -> RenderedText:
        """The document's text as HTML; `root` is the relative path from the page to the site root."""
        out = RenderedText(Markup(""))
        self._doc, self._root, self._out, self._in_link = doc, root, out, 0
        self._mentions = {m.anchor: m for m in doc.mentions}
        self._ids = {e.get(XML_ID): e.get(A_ANCHOR) for e in _WITH_ID_AND_ANCHOR(doc.parsed())}
        body = doc.body
        out.html = Markup(self.node(body) if body is not None else "")
        return out

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

    def node(self, el: etree._Element) -> str:
        key = (el.tag, el.get(A_MODEL))
        plan = self._plans.get(key)
        if plan is None:  # once per tag and model chosen
            model = model_of(el, self.table)
            omit = model.behaviour == "omit"
            plan = self._plans[key] = (model.params, None if omit else self.behaviour(model.behaviour),
                                       self.extras.get(model.behaviour),
                                       model.behaviour in LINK_BEHAVIOURS)
        params, render, extra_fn, linking = plan
        if render is None:
            return ""
        extra = extra_fn(el, params) if extra_fn is not None else None
        # only an element rendered as an <a> around its content makes its descendants plain
        if linking and extra is not None and not extra.get("plain") and not extra.get("nested"):
            self._in_link += 1
            try:
                return render(self, el, params, extra)
            finally:
                self._in_link -= 1
        return render(self, el, params, extra)

    def _has_links_inside(self, el: etree._Element) -> bool:
        for d in el.iterdescendants():
            # hidden readings count too: an alternate shows them in its tooltip
            if isinstance(d.tag, str) and (d.get(A_ANCHOR) or localname(d) in ("note", "ref", "ptr")):
                return True
        return False

    def _ctx_mention(self, el, params) -> dict:
        mention = self._mentions.get(el.get(A_ANCHOR, ""))
        entries = [self.edition.entries[i] for i in (mention.resolved if mention else [])]
        known = self._out.entries
        for e in entries:
            if e.id not in known:
                known[e.id] = self.entry_data(e, self._root)
        kind = entries[0].kind if entries else ELEMENT_KINDS.get(localname(el), el.get("type", "name"))
        external = [safe_url(r) for r in el.get("ref", "").split() if re.match(r"^https?://", r)]
        href = self._root + entries[0].url if entries else (external[0] if external else "")
        return {"entries": entries, "kind": kind if kind in KINDS or kind == "date" else "name",
                "href": href, "refs": " ".join(e.id for e in entries),
                "plain": not href or self._in_link > 0,
                "nested": bool(href) and not self._in_link and self._has_links_inside(el),
                "cert": el.get("cert", "")}

    def _ctx_date(self, el, params) -> dict:
        mention = self._mentions.get(el.get(A_ANCHOR, ""))
        value = mention.date if mention else DateValue()
        lang = self.edition.lang
        iso = value.when or value.not_before or value.custom or ""
        return {"value": value, "gregorian": value.gregorian(lang), "original": value.original(lang),
                "method": value.method, "iso": iso if re.match(r"^-?\d{4}", iso) else "",
                "href": f"{self._root}chronology/#{self._doc.slug}--{el.get(A_ANCHOR, '')}",
                "nested": not self._in_link and self._has_links_inside(el),
                "plain": self._in_link > 0,
                "uncertain": value.uncertain}

    def _ctx_note(self, el, params) -> dict:
        n = el.get(A_NUM, "")
        kind = "editorial" if (el.get("type") == "editorial" or el.get("resp")) else "authorial"
        saved, self._in_link = self._in_link, 0
        content = Markup(self.children(el))
        self._in_link = saved
        self._out.notes.append({"n": n, "anchor": el.get(A_ANCHOR, ""), "kind": kind,
                                "html": content, "label": self.t(f"note_{kind}")})
        return {"kind": kind, "note_html": content}

    def _ctx_link(self, el, params) -> dict:
        target = el.get("target", "").split()
        href = safe_url(target[0]) if target else ""
        if href.startswith("#"):
            href = "#" + self._ids.get(href[1:], href[1:])
        return {"href": href, "external": href.startswith(("http://", "https://")),
                "nested": self._in_link > 0}

    def _ctx_alternate(self, el, params) -> dict:
        original = self.child(el, params.get("original", ""))
        regular = self.child(el, params.get("regular", ""))
        label = self.t(params.get("label", ""))
        if not self.options.get("show_original", True):
            # the editors' reading in the text, the source's in the tooltip
            original, regular, label = regular, original, self.t("source_reading")
        return {"original": original, "regular": regular, "label": label}

    def _ctx_apparatus(self, el, params) -> dict:
        lem = [c for c in el if isinstance(c.tag, str) and localname(c) == "lem"]
        rdgs = [c for c in el if isinstance(c.tag, str) and localname(c) in ("rdg", "rdgGrp")]
        shown = lem[0] if lem else (rdgs.pop(0) if rdgs else None)
        return {"lemma": Markup(self.node(shown) if shown is not None else ""),
                "readings": [{"wit": " ".join(w.lstrip("#") for w in r.get("wit", "").split()),
                              "html": Markup(self.node(r))} for r in rdgs]}

    def _ctx_heading(self, el, params) -> dict:
        depth = sum(1 for a in el.iterancestors() if model_of(a, self.edition.table).behaviour
                    == "section")
        return {"level": min(depth + 1, 6)}  # the page title is h1; a top-level div's head is h2

    # --- data for popovers and pages ----------------------------------------------------------

    def entry_data(self, e: Entry, root: str) -> dict:
        return {"id": e.id, "kind": e.kind, "label": e.label, "variants": e.variants[:6],
                "life": e.life, "type": self.words.get(f"place_{e.place_type}", e.place_type) if e.place_type else "",
                "role": e.role, "description": e.description,
                "links": [{"label": label, "url": url} for label, url in e.links],
                "url": root + e.url, "cert": e.cert}

