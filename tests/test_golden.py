"""Golden pages: what teisite writes into a page, committed, so a reviewer sees what a change did to it.

Two projects are built once each through build.py's own code path: the repository's edition (the
seed) and one folder holding every fixture of tests/fixtures/phenomena/. Of every text page, and of
one entry page of the seed, the part teisite writes (inside the theme's `md-content__inner` article;
not the theme's navigation, header or footer) is brought into a normal form (see `normal_form`) and
compared with tests/golden/<project>-<page>.html. A change is accepted on purpose, by rewriting the
files and reviewing their diff:

    TEISITE_REGEN_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py -rs
    git diff tests/golden/

(-rs shows which files were rewritten). The same variable regenerates tests/golden/edition-mentions.txt
in test_edition_source.py. A missing golden file fails the test; it is only ever written when asked.
"""

from __future__ import annotations

import difflib
import html
import html.parser
import json
import os
import shutil
import unicodedata
from pathlib import Path

import pytest
from conftest import FIXTURES, build_site

GOLDEN = Path(__file__).resolve().parent / "golden"
PHENOMENA = FIXTURES / "phenomena"
REGENERATE = os.environ.get("TEISITE_REGEN_GOLDEN") == "1"
ACCEPT = "TEISITE_REGEN_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py -rs"
SEED_ENTRY_PAGES = ["persons/tolbuzin"]  # two mentions, variant names, dates, a role, a description
DIFF_LINES = 80       # lines of diff shown per page
DIFF_PAGES = 6        # pages whose diff is shown; the others are named

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
        "track", "wbr"}
RAW_TEXT = {"script", "style"}


# --- the normal form --------------------------------------------------------------------------


def _visible(text: str, edges: bool) -> str:
    """Text escaped as HTML, with every character a reader cannot see written as a reference:
    line breaks, tabs, no-break and other special spaces, format characters; and, when the text
    stands on a line of its own (edges), the spaces at its start and end, which the indentation
    would otherwise swallow."""
    out = []
    for ch in html.escape(text, quote=False):
        if ch == "\u00a0":
            out.append("&nbsp;")
        elif ch != " " and unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp"):
            out.append(f"&#{ord(ch)};")
        else:
            out.append(ch)
    s = "".join(out)
    if edges:
        core = s.strip(" ")
        if core:
            start = len(s) - len(s.lstrip(" "))
            end = len(s) - len(s.rstrip(" "))
            s = "&#32;" * start + core + "&#32;" * end
        else:
            s = "&#32;" * len(s)
    return s


def _tag(name: str, attrs: list[tuple[str, str | None]], close: str = ">") -> str:
    written = "".join(f" {k}" if v is None else f' {k}="{_visible(v, False).replace(chr(34), "&quot;")}"'
                      for k, v in attrs)
    return f"<{name}{written}{close}"


class _Content(html.parser.HTMLParser):
    """Reads a built page and keeps the tokens of the `md-content__inner` article's content, as
    written (no tree is built, so markup the browser would repair is shown as it is)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[tuple[str, ...]] = []   # ("start"|"empty"|"end"|"text"|"comment", ...)
        self.depth = None                         # <article> depth inside the content, when in it
        self.raw = None                           # the raw-text element (script, style) we are in
        self.cased: dict[str, str] = {}           # a tag's name as last written, for its end tag

    def _as_written(self, tag: str, attrs: list) -> tuple[str, list]:
        """The tag's and attributes' names in their own case (HTMLParser lowers it: viewBox)."""
        raw = self.get_starttag_text() or ""
        name = html.parser.tagfind_tolerant.match(raw, 1)
        names, k = [], name.end()
        while (m := html.parser.attrfind_tolerant.match(raw, k)) and m.end() > k:
            names.append(m.group(1))
            k = m.end()
        if name.group(1).lower() != tag or [n.lower() for n in names] != [a for a, _ in attrs]:
            return tag, attrs                      # not expected; the lower case is still stable
        self.cased[tag] = name.group(1)
        return name.group(1), [(n, v) for n, (_, v) in zip(names, attrs)]

    def handle_starttag(self, tag, attrs):
        if self.depth is None:
            if tag == "article" and "md-content__inner" in (dict(attrs).get("class") or "").split():
                self.depth = 0
            return
        self.depth += tag == "article"
        self.raw = tag if tag in RAW_TEXT else None
        self.tokens.append(("empty" if tag in VOID else "start", tag, _tag(*self._as_written(tag, attrs))))

    def handle_startendtag(self, tag, attrs):
        if self.depth is not None:
            self.tokens.append(("empty", tag, _tag(*self._as_written(tag, attrs), " />")))

    def handle_endtag(self, tag):
        if self.depth is None:
            return
        if tag == "article":
            if self.depth == 0:
                self.depth = None
                self.tokens.append(("stop",))
                return
            self.depth -= 1
        self.raw = None
        self.tokens.append(("end", tag, f"</{self.cased.get(tag, tag)}>"))

    def handle_data(self, data):
        if self.depth is not None:
            if self.tokens and self.tokens[-1][0] in ("text", "raw"):
                data = self.tokens.pop()[1] + data
            self.tokens.append(("raw" if self.raw else "text", data, self.raw or ""))

    def handle_comment(self, data):
        if self.depth is not None:
            self.tokens.append(("comment", f"<!--{data}-->"))

    def unknown_decl(self, data):
        if self.depth is not None:
            self.tokens.append(("comment", f"<![{data}]>"))

    def handle_pi(self, data):
        if self.depth is not None:
            self.tokens.append(("comment", f"<?{data}>"))

    def handle_decl(self, decl):
        if self.depth is not None:
            self.tokens.append(("comment", f"<!{decl}>"))


def normal_form(page: str) -> str:
    """The content teisite wrote into a page, one element per line, indented by nesting.

    Nothing is lost: every character of text, white space between elements included, is kept (a
    text on a line of its own shows its line breaks and edge spaces as character references), and
    tags and attributes are kept as written, in their order. What is normalised is only how they
    are spelt: an attribute's value is always in double quotes and escaped one way, an element
    holding only text (or nothing) is written on one line, and a JSON script is shown indented.
    The theme's indentation around the content (before its first tag, after its last) is left out.
    """
    parser = _Content()
    parser.feed(page)
    parser.close()
    tokens = parser.tokens
    if not tokens or tokens[-1] != ("stop",):
        raise AssertionError("no complete <article class=\"md-content__inner\"> in the page")
    tokens = tokens[:-1]
    while tokens and tokens[0][0] == "text" and not tokens[0][1].strip():
        tokens.pop(0)
    while tokens and tokens[-1][0] == "text" and not tokens[-1][1].strip():
        tokens.pop()
    lines: list[str] = []
    level, i = 0, 0
    while i < len(tokens):
        kind = tokens[i][0]
        pad = "  " * level
        if kind == "start":
            _, name, tag = tokens[i]
            nxt = tokens[i + 1:i + 3]
            if nxt and nxt[0][:2] == ("end", name):                       # <x></x>
                lines.append(pad + tag + nxt[0][2])
                i += 2
                continue
            if len(nxt) == 2 and nxt[0][0] == "text" and nxt[1][:2] == ("end", name):
                lines.append(pad + tag + _visible(nxt[0][1], False) + nxt[1][2])   # <x>text</x>
                i += 3
                continue
            lines.append(pad + tag)
            level += 1
        elif kind == "end":
            level = max(level - 1, 0)
            lines.append("  " * level + tokens[i][2])
        elif kind == "text" and not tokens[i][1].strip():
            lines[-1] += _visible(tokens[i][1], True)   # white space between tags ends the line before
        elif kind == "text":
            lines.append(pad + _visible(tokens[i][1], True))
        elif kind == "raw":
            data = tokens[i][1]
            try:
                shown = json.dumps(json.loads(data), ensure_ascii=False, indent=1).splitlines()
            except ValueError:
                shown = [_visible(data, True)]
            lines.extend(pad + line for line in shown)
        else:                                                         # empty, comment
            lines.append(pad + tokens[i][-1])
        i += 1
    return "\n".join(lines) + "\n"


# --- the two projects, built once --------------------------------------------------------------


@pytest.fixture(scope="module")
def phenomena_site(tmp_path_factory) -> Path:
    """Every phenomenon fixture in one folder (no mkdocs.yml: built leniently), built once. The
    folder is called `phenomena` wherever it is, since its name becomes the site's name."""
    folder = tmp_path_factory.mktemp("golden") / "phenomena"
    shutil.copytree(PHENOMENA, folder)   # register-file/ too: its text's register is found there
    return build_site(folder, folder.parent / "site")


def pages(site: Path, entry_pages: list[str] = ()) -> dict[str, str]:
    """Each text page's and each named entry page's normal form, by its golden name."""
    paths = sorted(p.parent.relative_to(site).as_posix() for p in site.glob("texts/*/index.html"))
    assert paths, f"no text pages in {site}"
    return {path.replace("/", "-"): normal_form((site / path / "index.html").read_text(encoding="utf-8"))
            for path in paths + list(entry_pages)}


def compare(project: str, found: dict[str, str]) -> None:
    """Compare a project's pages with their golden files (or rewrite them, when asked)."""
    found = {f"{project}-{name}.html": form for name, form in found.items()}
    golden = {p.name: p.read_text(encoding="utf-8") for p in GOLDEN.glob(f"{project}-*.html")}
    changed = sorted(name for name in found if golden.get(name) != found[name])
    orphans = sorted(set(golden) - set(found))
    if REGENERATE:
        for name in changed:
            (GOLDEN / name).write_text(found[name], encoding="utf-8")
        for name in orphans:
            (GOLDEN / name).unlink()
        done = ([f"rewrote {len(changed)}: {', '.join(changed)}"] if changed else []) + \
            ([f"removed {len(orphans)}: {', '.join(orphans)}"] if orphans else [])
        pytest.skip(f"golden files of {project} in tests/golden/: " + "; ".join(done)
                    + "; read them with `git diff tests/golden/` before committing" if done
                    else f"golden files of {project} unchanged")
    missing = [name for name in changed if name not in golden]
    changed = [name for name in changed if name in golden]
    problems = [f"no golden file yet for {len(missing)} page(s): "
                + ", ".join(f"tests/golden/{name}" for name in missing)
                + f"\ncreate them with `{ACCEPT}`, then read them"] if missing else []
    for name in changed[:DIFF_PAGES]:
        diff = list(difflib.unified_diff(golden[name].splitlines(), found[name].splitlines(),
                                         f"tests/golden/{name}", f"{name} as built now", lineterm="", n=2))
        more = len(diff) - DIFF_LINES
        problems.append("\n".join(diff[:DIFF_LINES] + ([f"... {more} more lines of diff"] if more > 0 else [])))
    if changed[DIFF_PAGES:]:
        problems.append(f"{len(changed[DIFF_PAGES:])} more page(s) differ (diff not shown): "
                        + ", ".join(changed[DIFF_PAGES:]))
    problems += [f"tests/golden/{name}: no such page is built any more" for name in orphans]
    if problems:
        pytest.fail("\n\n".join(problems) + f"\n\nIf these changes are intended, accept them with\n    {ACCEPT}\n"
                    "and commit tests/golden/ after reading `git diff tests/golden/`.", pytrace=False)


# --- the tests -----------------------------------------------------------------------------------


def test_seed_pages_are_as_golden(edition_site):
    compare("seed", pages(edition_site, SEED_ENTRY_PAGES))


def test_phenomena_pages_are_as_golden(phenomena_site):
    compare("phenomena", pages(phenomena_site))


def test_the_normal_form_loses_nothing():
    """Any change of a character of text, of white space between elements, of a tag or an attribute
    changes the normal form; the theme's indentation around the content does not."""
    def page(content: str, around: str = "\n  ") -> str:
        return (f'<html><body><nav>menu</nav><article class="md-content__inner md-typeset">{around}'
                f'{content}{around}</article><footer>x</footer></body></html>')
    base = ('<article class="t"><p id="p1">A <a href="#x" class="m">b</a> c.</p>\n  '
            '<p>d<br>e</p><script type="application/json">{"a": [1]}</script></article>')
    variants = [base.replace(" c.", "  c."), base.replace("A <a", "A<a"), base.replace("\n  ", "\n "),
                base.replace("\n  ", " "), base.replace('class="m"', 'class="m n"'),
                base.replace('class="m"', 'class="m" title=""'), base.replace("<br>", ""),
                base.replace("d<br>e", "d<br>\u00a0e"), base.replace("[1]", "[2]"),
                base.replace("<p>d", "<div>d").replace("e</p>", "e</div>"), base.replace("b</a>", "b </a>")]
    forms = {normal_form(page(v)) for v in variants}
    assert len(forms) == len(variants) and normal_form(page(base)) not in forms
    assert normal_form(page(base)) == normal_form(page(base, "\n\n        "))
    assert "menu" not in normal_form(page(base)) and "footer" not in normal_form(page(base))
