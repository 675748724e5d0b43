"""The shipped behaviour templates again as Python: the same HTML, without a Jinja2 call per element.

A TEI element is rendered by its behaviour's template in templates/behaviours/. Rendering each of
the tens of thousands of elements of a large edition through Jinja2 was most of a build, so for
each shipped template there is a function here that writes the same HTML (tests/test_fast.py
renders the seed, both corpora and every fixture both ways and compares). A project that puts its
own template in its templates/behaviours/ gets that template, through Jinja2: editing a template
still changes the output, and no one edits Python.

Each function takes the renderer, the element, the model's params and the behaviour's extra
context (the same dict the template gets from `Renderer._ctx_*`), and returns HTML as a str.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import Markup
from markupsafe import escape as _markup_escape

try:  # markupsafe's escaping in C, giving a str rather than a Markup object for each piece
    from markupsafe._speedups import _escape_inner
except ImportError:  # pragma: no cover - markupsafe without its C speedups
    def _escape_inner(s: str) -> str:
        return str(_markup_escape(s))

if TYPE_CHECKING:
    from .render import Renderer

_TS = "{urn:teisite}"


def escape(value) -> str:
    """As markupsafe.escape (what Jinja2 does to `{{ value }}`), as a plain str."""
    return _escape_inner(value) if type(value) is str else str(_markup_escape(value))


def _attrs(el) -> dict[str, str]:
    return {k.rpartition("}")[2]: v for k, v in el.attrib.items() if not k.startswith(_TS)}


def _name(el) -> str:
    return el.tag.rpartition("}")[2]


def container(r: Renderer, el, params, ctx) -> str:
    return r.children(el)


def inline(r: Renderer, el, params, ctx) -> str:
    tag = escape(params.get("tag", "span"))
    attrs = _attrs(el)
    cls = f" {escape(params['class'])}" if "class" in params else ""
    lang = f' lang="{escape(attrs["lang"])}"' if "lang" in attrs else ""
    return (f'<{tag} class="tei-{escape(_name(el))}{cls}"{lang}>{escape(params.get("before", ""))}'
            f'{r.children(el)}{escape(params.get("after", ""))}</{tag}>')


def block(r: Renderer, el, params, ctx) -> str:
    raw_tag = params.get("tag", "div")
    tag = escape(raw_tag)
    attrs = _attrs(el)
    cls = f" {escape(params['class'])}" if "class" in params else ""
    extra = f' lang="{escape(attrs["lang"])}"' if "lang" in attrs else ""
    if raw_tag in ("td", "th"):
        extra += f' colspan="{escape(attrs["cols"])}"' if "cols" in attrs else ""
        extra += f' rowspan="{escape(attrs["rows"])}"' if "rows" in attrs else ""
    return f'<{tag} class="tei-{escape(_name(el))}{cls}"{extra}>{r.children(el)}</{tag}>'


def section(r: Renderer, el, params, ctx) -> str:
    anchor = r.anchor(el)
    at = f' id="{escape(anchor)}"' if anchor else ""
    return f'<section class="tei-{escape(_name(el))}"{at}>{r.children(el)}</section>'


def heading(r: Renderer, el, params, ctx) -> str:
    anchor = r.anchor(el)
    at = f' id="{escape(anchor)}"' if anchor else ""
    level = ctx["level"]
    return f'<h{level} class="tei-head"{at}>{r.children(el)}</h{level}>'


def paragraph(r: Renderer, el, params, ctx) -> str:
    name = _name(el)
    tag = "div" if name == "lg" else "p"
    inner = f'<{tag} class="tei-{escape(name)}">{r.children(el)}</{tag}>'
    anchor = r.anchor(el)
    if not anchor:
        return inner
    a, n = escape(anchor), escape(r.number(el))
    cls = f" {escape(params['class'])}" if "class" in params else ""
    permalink = escape(r.t("permalink"))
    cite = escape(r.t("cite_passage", r.number(el)))
    return (f'<div class="passage{cls}" id="{a}" data-n="{n}"><a class="passage-n" href="#{a}" '
            f'title="{permalink}">¶{n}<span class="visually-hidden"> — {permalink}</span></a>{inner}'
            f'<button type="button" class="cite-button cite-passage" data-cite="{a}" data-n="{n}" '
            f'title="{cite}" hidden><svg aria-hidden="true" focusable="false" viewBox="0 0 24 24" '
            f'width="16" height="16"><use href="#ts-icon-cite"></use></svg><span class="visually-hidden">'
            f'{cite}</span></button></div>')


def break_(r: Renderer, el, params, ctx) -> str:
    return '<br class="lb">'


def page(r: Renderer, el, params, ctx) -> str:
    attrs = _attrs(el)
    if "n" in attrs:
        n = escape(attrs["n"])
        return f'<span class="pb" data-n="{n}">[{n}]</span>'
    return '<span class="pb" >[|]</span>'


def gap(r: Renderer, el, params, ctx) -> str:
    attrs = _attrs(el)
    reason = f": {escape(attrs['reason'])}" if "reason" in attrs else ""
    return f'<span class="gap" title="{escape(r.t("gap"))}{reason}">[…]</span>'


def anchor(r: Renderer, el, params, ctx) -> str:
    attrs = _attrs(el)
    return f'<span id="{escape(attrs["id"])}"></span>' if "id" in attrs else ""


def omit(r: Renderer, el, params, ctx) -> str:
    return ""


def mention(r: Renderer, el, params, ctx) -> str:
    anchor = r.anchor(el)
    at = f' id="{escape(anchor)}"' if anchor else ""
    kind = escape(ctx["kind"])
    content = r.children(el)
    if ctx["plain"]:
        return f'<span class="mention mention-{kind} mention-unlinked"{at}>{content}</span>'
    entries = ctx["entries"]
    label = entries[0].label if entries else ""
    hint = escape(r.t(f"kind_{ctx['kind']}") + (f": {label}" if label else ""))
    unc = " uncertain" if ctx["cert"] in ("low", "medium") else ""
    refs, href = escape(ctx["refs"]), escape(ctx["href"])
    if ctx["nested"]:
        return (f'<span class="mention mention-{kind}{unc}"{at} data-ref="{refs}">{content}'
                f'<a class="mention-link" href="{href}" data-ref="{refs}" aria-label="{hint}" '
                f'title="{hint}">°</a></span>')
    return (f'<a class="mention mention-{kind}{unc}"{at} href="{href}" data-ref="{refs}" '
            f'title="{hint}">{content}</a>')


def date(r: Renderer, el, params, ctx) -> str:
    t = r.t
    gregorian, original, method = ctx["gregorian"], ctx["original"], ctx["method"]
    info = gregorian + ((f" ({t('calendar_gregorian')}); {original} ({t('calendar_' + method)})")
                        if original and method else "")
    hint = escape(t("kind_date") + (f": {info}" if info else ""))
    attrs = _attrs(el)
    dur = f' data-dur="{escape(attrs["dur"])}"' if "dur" in attrs else ""
    data = (f' data-date="{escape(info)}" data-greg="{escape(gregorian)}" '
            f'data-orig="{escape(original if method else "")}" data-cal="{escape(method)}"{dur}')
    unc = " uncertain" if ctx["uncertain"] else ""
    anchor = escape(r.anchor(el))
    content = r.children(el)
    if ctx["plain"] or not (gregorian or original):
        title = escape(t("duration") if "dur" in attrs else t("kind_date"))
        return (f'<span class="mention mention-date mention-duration{unc}" id="{anchor}"{data} '
                f'tabindex="0" title="{title}">{content}</span>')
    href = escape(ctx["href"])
    if ctx["nested"]:
        return (f'<span class="mention mention-date{unc}" id="{anchor}"{data}>{content}'
                f'<a class="mention-link" href="{href}" aria-label="{hint}" title="{hint}">°</a></span>')
    if ctx["iso"]:
        content = f'<time datetime="{escape(ctx["iso"])}">{content}</time>'
    return f'<a class="mention mention-date{unc}" id="{anchor}" href="{href}"{data} title="{hint}">{content}</a>'


def note(r: Renderer, el, params, ctx) -> str:
    kind = ctx["kind"]
    n = escape(r.number(el))
    label = escape(r.t(f"note_{kind}"))
    return (f'<a class="noteref noteref-{escape(kind)}" id="noteref-{n}" href="#{escape(r.anchor(el))}" '
            f'role="doc-noteref" aria-label="{label} {n}"><sup>{n}</sup></a>')


def link(r: Renderer, el, params, ctx) -> str:
    name = escape(_name(el))
    content = r.children(el)
    href = ctx["href"]
    if href and not ctx["nested"]:
        rel = ' rel="noopener"' if ctx["external"] else ""
        shown = content if content.strip() else escape(href)
        return f'<a class="tei-{name}" href="{escape(href)}"{rel}>{shown}</a>'
    return f'<span class="tei-{name}">{content}</span>'


def alternate(r: Renderer, el, params, ctx) -> str:
    label = escape(params["label"]) if "label" in params else "alt"
    return (f'<span class="choice choice-{label}" tabindex="0"><span class="choice-shown">'
            f'{ctx["original"]}</span><span class="choice-alt"><span class="choice-label">'
            f'{escape(ctx["label"])}:</span> <span class="choice-regular">{ctx["regular"]}</span>'
            f'</span></span>')


def apparatus(r: Renderer, el, params, ctx) -> str:
    readings = ctx["readings"]
    if not readings:
        return f'<span class="app"><span class="app-lem">{ctx["lemma"]}</span></span>'
    parts = []
    for rdg in readings:
        wit = f' <span class="app-wit">{escape(rdg["wit"])}</span>' if rdg["wit"] else ""
        parts.append(f'<span class="app-rdg">{rdg["html"]}{wit}</span>')
    return (f'<span class="app" tabindex="0"><span class="app-lem">{ctx["lemma"]}</span>'
            f'<span class="app-rdgs"><span class="app-label">{escape(r.t("readings"))}:</span> '
            f'{"; ".join(parts)}</span></span>')


BEHAVIOURS = {"container": container, "inline": inline, "block": block, "section": section,
              "heading": heading, "paragraph": paragraph, "break": break_, "page": page, "gap": gap,
              "anchor": anchor, "omit": omit, "mention": mention, "date": date, "note": note,
              "link": link, "alternate": alternate, "apparatus": apparatus}


# --- macros of page templates ------------------------------------------------------------------

def occurrences(r: Renderer, doc, passages, root: str) -> Markup:
    """pages/occurrences.html: one document's mentions of an entry, a row each, for its page."""
    url = escape(root + doc.url)
    passage_word = escape(r.t("passage"))
    out = [(f'<section class="occurrences">\n<h3><a href="{url}">{escape(doc.title)}</a></h3>\n'
           '<table class="kwic-table">\n<tbody>\n')]
    for _, occs in passages:
        for i, o in enumerate(occs):
            m = o.mention
            n = escape(m.passage_n)
            number = (f'<a href="{url}#{escape(m.passage)}" aria-label="{passage_word} {n}">¶{n}</a>'
                      if i == 0 and m.passage_n else "")
            out.append(f'  <tr class="kwic">\n    <th scope="row" class="kwic-passage">{number}</th>\n'
                       f'    <td class="kwic-before">{escape(m.before)}</td>\n'
                       f'    <td class="kwic-hit"><a class="kwic-hit" href="{url}#{escape(m.anchor)}">'
                       f'<mark>{escape(m.text or "…")}</mark></a></td>\n'
                       f'    <td class="kwic-after">{escape(m.after)}</td>\n  </tr>\n')
    out.append("</tbody>\n</table>\n</section>\n")
    return Markup("".join(out))


MACROS = {("pages/occurrences.html", "occurrences"): occurrences}
