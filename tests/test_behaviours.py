"""Every template in teisite/templates/behaviours/ rendered alone, with stub context (no TEI, no edition).

Paragraph, mention, date, note, alternate and apparatus are being restyled: for those only the
essentials are checked (anchor id, content, href, no <a> inside <a>), not the exact markup.
"""

from __future__ import annotations

from html.parser import HTMLParser

import lxml.html
import pytest
from markupsafe import Markup

from teisite.registers import KINDS
from teisite.render import DEFAULT_TEMPLATES, behaviour_names, make_env

DECLARED = behaviour_names([DEFAULT_TEMPLATES])
BEHAVIOURS = sorted(DECLARED)
CONTENT = Markup("X<b>y</b>")  # already rendered children: must pass through unescaped


@pytest.fixture(scope="module")
def env():
    env = make_env([DEFAULT_TEMPLATES])
    env.globals.update(t=lambda key, *args: f"T({key})", kinds=KINDS, lang="en")
    return env


def render(env, behaviour: str, **ctx) -> str:
    base = {"name": "el", "params": {}, "attrs": {}, "anchor": "", "n": "", "root": "../../",
            "in_current": "", "gone": False,
            "content": CONTENT}
    return env.get_template(f"behaviours/{behaviour}.html").render({**base, **ctx})


def parse(html: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(html or "<span></span>", create_parent="div")


def one(html: str, xpath: str) -> lxml.html.HtmlElement:
    found = parse(html).xpath(xpath)
    assert len(found) == 1, f"{xpath} matches {len(found)} times in {html}"
    return found[0]


def has_content(html: str) -> bool:
    return bool(parse(html).xpath("//b[.='y']")) and "X" in parse(html).text_content()


def no_nested_links(html: str) -> bool:
    """No <a> opened inside another, read as written: an HTML parser (lxml's too) would repair
    a nested link silently, and so hide it."""
    depth = deepest = 0

    class Links(HTMLParser):
        def handle_starttag(self, tag, attrs):
            nonlocal depth, deepest
            if tag == "a":
                depth += 1
                deepest = max(deepest, depth)

        def handle_endtag(self, tag):
            nonlocal depth
            depth -= tag == "a"

    Links().feed(html)
    return deepest <= 1


DATE = {"value": None, "gregorian": "22 August 1689", "original": "12 August 1689", "method": "julian",
        "iso": "1689-08-22", "href": "../../chronology/#doc--p1-m1", "uncertain": False, "plain": False}
MENTION = {"entries": [], "label": "Ivan", "kind": "person", "href": "../../persons/ivan/", "refs": "ivan",
           "plain": False, "cert": "", "erratum": "", "erratum_n": ""}
CASES = {
    "alternate": {"original": Markup("<i>sic</i>"), "regular": Markup("<i>corr</i>"), "label": "Corr"},
    "anchor": {"attrs": {"id": "here"}},
    "apparatus": {"lemma": Markup("<i>lem</i>"), "anchor": "app-1", "n": "1",
                  "lemma_detail": "", "notes": [],
                  "readings": [{"wit": "B C", "wit_names": "B: Berlin; C: Cracow", "html": Markup("<i>rdg</i>"),
                                "label": "", "detail": ""}]},
    "block": {"params": {"tag": "li", "class": "c"}},
    "break": {},
    "code": {"source": '<p>A <persName ref="#a">name</persName> &amp; more</p>'},
    "container": {},
    "date": {**DATE, "anchor": "p1-m1", "nested": False},
    "edit": {"params": {"class": "unclear", "after": "[?]", "title": "unclear"}, "attrs": {"reason": "faded"}},
    "gap": {"attrs": {"reason": "damage"}},
    "graphic": {"src": "img/a.png", "external": False, "alt": "A map", "attrs": {"width": "120px"}},
    "heading": {"level": 2, "anchor": "h"},
    "inline": {"params": {"tag": "em", "before": "[", "after": "]"}},
    "line": {"anchor": "l5", "n": "5", "params": {"class": "indent"}},
    "link": {"href": "https://example.org/", "label": "https://example.org/", "external": True, "nested": False},
    "marker": {"params": {"sign": "✎", "title": "hand_shift"}, "attrs": {"new": "#h2"}},
    "mention": {**MENTION, "anchor": "p1-m1", "nested": False},
    "note": {"anchor": "note-3", "n": "3", "kind": "editorial", "note_html": Markup("note text")},
    "omit": {},
    "page": {"attrs": {"n": "12"}, "src": "", "external": False},
    "paragraph": {"anchor": "p4", "n": "4"},
    "section": {"anchor": "s1"},
    "space": {"attrs": {"quantity": "3", "unit": "chars"}},
    "speech": {**MENTION, "anchor": "m1", "refs": "aldor@play"},
    "translated": {"anchor": "p4-en", "attrs": {"n": "4", "corresp": "#p4"}},
    "translation": {"anchor": "", "attrs": {"lang": "en"}},
    "speaker": {**MENTION, "kind": "role", "href": "../../cast/play--aldor/", "refs": "aldor@play",
                "nested": False, "params": {"tag": "div", "class": "speaker", "refs_from": "parent"}},
}


def test_every_behaviour_has_a_case():
    assert set(CASES) == set(BEHAVIOURS)


# the behaviours that declare themselves links (`links: true`), and where each one links to
LINKS = sorted(b for b, d in DECLARED.items() if d.links)
TARGETS = {"date": DATE["href"], "link": "https://example.org/", "mention": MENTION["href"],
           "note": "#note-3", "speaker": "../../cast/play--aldor/"}


def test_the_link_behaviours_are_known():
    assert set(LINKS) == set(TARGETS)


@pytest.mark.parametrize("behaviour", LINKS)
def test_a_link_links(env, behaviour):
    html = render(env, behaviour, **CASES[behaviour])
    assert parse(html).xpath(f"//a[@href='{TARGETS[behaviour]}']"), html


@pytest.mark.parametrize("behaviour", LINKS)
def test_a_link_with_a_link_inside_keeps_both_apart(env, behaviour):
    """What the walk marks `nested` holds a link (a name inside a name): the inner link stays,
    the outer one goes beside it (or away), never around it."""
    inner = Markup('X<a href="#inner">y</a>')
    html = render(env, behaviour, **{**CASES[behaviour], "nested": True}, content=inner)
    tree = parse(html)
    assert no_nested_links(html), html
    if behaviour != "note":  # a note's marker does not show its content
        assert tree.xpath("//a[@href='#inner']") and "X" in tree.text_content(), html
    if behaviour in ("mention", "date"):  # the outer link stays, beside the content
        assert tree.xpath(f"//a[@href='{TARGETS[behaviour]}']"), html


# --- templates with exact markup -------------------------------------------------------------


def test_code_shows_its_source_escaped(env):
    pre = one(render(env, "code", **CASES["code"]), "/div/pre[@class='tei-el code-example']/code")
    assert pre.text == '<p>A <persName ref="#a">name</persName> &amp; more</p>' and not len(pre)


def test_anchor(env):
    assert one(render(env, "anchor", attrs={"id": "here"}), "//span[@id='here']") is not None
    assert render(env, "anchor", content="") == ""
    assert render(env, "anchor") == "X<b>y</b>"  # words inside an anchor (real letters have them) stay


def test_block(env):
    html = render(env, "block", **CASES["block"], attrs={"lang": "la"})
    li = one(html, "/div/li[@class='tei-el c'][@lang='la']")
    assert has_content(html) and li.text == "X"
    assert one(render(env, "block"), "/div/div[@class='tei-el']") is not None


def test_block_cell_spans_only_on_cells(env):
    cell = one(render(env, "block", params={"tag": "td"}, attrs={"cols": "2", "rows": "3"}), "//td")
    assert (cell.get("colspan"), cell.get("rowspan")) == ("2", "3")
    div = one(render(env, "block", attrs={"cols": "2"}), "/div/div")
    assert div.get("colspan") is None


def test_break(env):
    assert one(render(env, "break"), "//br[@class='lb']") is not None


def test_container_is_just_its_content(env):
    assert render(env, "container") == str(CONTENT)


def test_gap(env):
    span = one(render(env, "gap", attrs={"reason": "damage"}), "//span[@class='gap']")
    assert span.text == "[… T(gap_damage)]" and span.get("title") == "T(gap): T(gap_damage)"
    assert one(render(env, "gap"), "//span[@class='gap']").get("title") == "T(gap)"
    assert one(render(env, "gap"), "//span[@class='gap']").text == "[…]"
    many = one(render(env, "gap", attrs={"reason": "illegible", "quantity": "3", "unit": "words"}), "//span")
    assert many.text == "[… T(unit_words) T(gap_illegible)]"


def test_heading(env):
    h = one(render(env, "heading", level=2, anchor="h"), "/div/*[@class='tei-head']")
    assert h.tag in {"h1", "h2", "h3", "h4", "h5", "h6"} and h.get("id") == "h"
    assert one(render(env, "heading", level=2, anchor=""), "/div/*").get("id") is None


def test_heading_never_beyond_h6(env):
    assert one(render(env, "heading", level=6, anchor=""), "/div/*").tag == "h6"


def test_inline(env):
    html = render(env, "inline", **CASES["inline"], attrs={"lang": "ru"})
    em = one(html, "/div/em[@class='tei-el'][@lang='ru']")
    assert em.text_content() == "[Xy]" and has_content(html)
    assert one(render(env, "inline", params={"class": "sic"}), "/div/span[@class='tei-el sic']") is not None


def test_link(env):
    a = one(render(env, "link", **CASES["link"]), "//a[@class='tei-el']")
    assert a.get("href") == "https://example.org/" and a.get("rel") == "noopener"
    local = one(render(env, "link", href="#p2", external=False, nested=False), "//a")
    assert local.get("rel") is None


def test_link_without_content_shows_its_target(env):
    a = one(render(env, "link", **CASES["link"], content=Markup("")), "//a")
    assert a.text == "https://example.org/"


@pytest.mark.parametrize("ctx", [{"href": "", "nested": False}, {"href": "#x", "nested": True}])
def test_link_nested_or_without_href_is_a_span(env, ctx):
    html = render(env, "link", external=False, **ctx)
    assert not parse(html).xpath("//a") and has_content(html)


def test_omit_is_empty(env):
    assert render(env, "omit").strip() == ""


def test_page(env):
    ctx = {"src": "", "external": False}
    assert one(render(env, "page", attrs={"n": "12"}, **ctx), "//span[@class='pb'][@data-n='12']").text == "[12]"
    assert one(render(env, "page", **ctx), "//span[@class='pb pb-unnumbered']").text == "|"
    link = one(render(env, "page", attrs={"n": "3"}, src="../../img/p3.png", external=False), "//span/a")
    assert link.get("href") == "../../img/p3.png" and link.text == "[3]"


def test_page_of_a_witness(env):
    ctx = {"src": "", "external": False}
    span = one(render(env, "page", attrs={"n": "12v", "edRef": "#B"}, **ctx), "//span[@class='pb pb-witness']")
    assert span.text == "[B 12v]" and span.get("title") == "T(witness_page_break) B 12v"


def test_speech_is_anchored_with_its_speakers_and_no_link(env):
    html = render(env, "speech", **CASES["speech"], content=Markup("<p>words</p>"))
    div = one(html, "//div[@id='m1'][@data-ref='aldor@play']")
    assert "sp" in div.get("class").split() and div.text_content() == "words"
    assert not parse(html).xpath("//a")


def test_break_inside_a_word_writes_nothing(env):
    assert one(render(env, "break"), "//br[@class='lb']") is not None
    assert render(env, "break", attrs={"break": "no"}).strip() == ""


def test_line(env):
    div = one(render(env, "line", **CASES["line"]), "/div/div[@id='l5'][@data-n='5']")
    assert div.get("class") == "tei-el l indent"
    assert div.xpath("a[@class='l-n'][@href='#l5']")[0].text == "5" and div.xpath("span[@class='l-text']")
    assert not parse(render(env, "line", anchor="", n="")).xpath("//a")  # a line in a note


def test_graphic(env):
    img = one(render(env, "graphic", **CASES["graphic"]), "//img")
    assert (img.get("src"), img.get("alt"), img.get("width")) == ("img/a.png", "A map", "120")
    outside = render(env, "graphic", src="https://example.org/a.png", external=True, alt="A map")
    assert not parse(outside).xpath("//img") and one(outside, "//a").get("href") == "https://example.org/a.png"


def test_space_is_whitespace(env):
    span = one(render(env, "space", **CASES["space"]), "//span")
    assert span.text == " " and "--q: 3.0" in span.get("style")


def test_edit_says_what_it_is(env):
    span = one(render(env, "edit", **CASES["edit"]), "//span")
    assert span.get("title") == "T(edit_unclear): faded" and span.text_content() == "Xy[?]"


def test_section(env):
    html = render(env, "section", anchor="s1")
    assert one(html, "/div/section[@class='tei-el'][@id='s1']") is not None and has_content(html)
    assert one(render(env, "section"), "/div/section").get("id") is None


def test_attributes_are_escaped(env):
    html = render(env, "inline", attrs={"lang": '"><script>alert(1)</script>'})
    assert not parse(html).xpath("//script") and "<script>" not in html


# --- restyled templates: essentials only -----------------------------------------------------


def test_paragraph_with_anchor(env):
    html = render(env, "paragraph", anchor="p4", n="4")
    assert one(html, "//*[@id='p4']") is not None
    assert "4" in parse(html).text_content() and has_content(html)


def test_paragraph_without_anchor(env):
    html = render(env, "paragraph")
    assert not parse(html).xpath("//*[@id]") and has_content(html)


def test_mention_linked(env):
    html = render(env, "mention", **CASES["mention"])
    one(html, "//*[@id='p1-m1']")
    one(html, "//a[@href='../../persons/ivan/']")
    assert has_content(html)


def test_mention_nested_keeps_content_out_of_its_link(env):
    html = render(env, "mention", **{**CASES["mention"], "nested": True}, content=Markup("X<a>y</a>"))
    one(html, "//*[@id='p1-m1']")
    one(html, "//a[@href='../../persons/ivan/']")
    assert no_nested_links(html) and "X" in parse(html).text_content()


def test_mention_plain_has_no_link(env):
    html = render(env, "mention", **{**CASES["mention"], "plain": True, "href": ""})
    one(html, "//*[@id='p1-m1']")
    assert not parse(html).xpath("//a") and has_content(html)


@pytest.mark.parametrize("nested", [False, True])
def test_date(env, nested):
    html = render(env, "date", **{**CASES["date"], "nested": nested},
                  content=Markup("X<a>y</a>") if nested else CONTENT)
    one(html, "//*[@id='p1-m1']")
    one(html, "//a[@href='../../chronology/#doc--p1-m1']")
    assert "X" in parse(html).text_content() and no_nested_links(html)


def test_note(env):
    html = render(env, "note", **CASES["note"])
    a = one(html, "//a[@href='#note-3']")
    assert "3" in a.text_content()


def test_alternate(env):
    html = render(env, "alternate", **CASES["alternate"])
    assert parse(html).xpath("//i[.='sic']") and parse(html).xpath("//i[.='corr']")
    assert "Corr" in parse(html).text_content()


def test_apparatus(env):
    html = render(env, "apparatus", **CASES["apparatus"])
    text = parse(html).text_content()
    assert parse(html).xpath("//i[.='lem']") and parse(html).xpath("//i[.='rdg']") and "B C" in text
    assert text.index("lem") < text.index("rdg")
    assert parse(html).xpath("//span[@title='B: Berlin; C: Cracow']")
    assert one(html, "//a[@class='app-ref']").get("href") == "#app-1"
    assert "rdg" not in parse(render(env, "apparatus", lemma=Markup("<i>lem</i>"), readings=[], lemma_detail="")).text_content()


def test_a_shipped_template_edited_in_place_changes_the_site(tmp_path, monkeypatch):
    """The template is the behaviour: a class added to the shipped mention.html is on every
    mention of the built seed page (there is no second copy of it in Python)."""
    import shutil

    from conftest import REPO, build_site

    import teisite.plugin
    shipped = tmp_path / "templates"
    shutil.copytree(DEFAULT_TEMPLATES, shipped)
    mention = shipped / "behaviours" / "mention.html"
    mention.write_text(mention.read_text(encoding="utf-8").replace(
        'class="mention mention-{{ kind }}', 'class="mention edited-here mention-{{ kind }}'), encoding="utf-8")
    monkeypatch.setattr(teisite.plugin, "DEFAULT_TEMPLATES", shipped)
    shutil.copytree(REPO / "source" / "tei", tmp_path / "seed")  # with teisite's defaults
    site = build_site(tmp_path / "seed", tmp_path / "site")
    page = lxml.html.parse(str(site / "texts" / "albazin-nerchinsk" / "index.html"))
    names = page.xpath("//*[contains(concat(' ', @class, ' '), ' mention ')]"
                       "[not(contains(@class, 'mention-date'))]")  # (dates have a template of their own)
    assert len(names) > 30
    assert all("edited-here" in n.get("class").split() for n in names)


def test_mention_of_an_error_of_the_source_keeps_its_link_and_names_the_note(env):
    a = one(render(env, "mention", **{**CASES["mention"], "erratum": "note-11", "erratum_n": "12"}), "//a")
    assert a.get("href") == MENTION["href"] and "source-error" in a.get("class").split()
    assert a.get("aria-describedby") == "note-11" and a.get("title").endswith("T(source_error)")


def test_a_translated_paragraph_points_to_its_original(env):
    div = one(render(env, "translated", **CASES["translated"]), "/div/div[@id='p4-en']")
    assert div.get("data-corresp") == "p4" and div.get("class") == "passage-translation"
    assert div.xpath("a[@class='passage-n']/@href") == ["#p4-en"]
    assert div.xpath("a[@class='translation-of']/@href") == ["#p4"]
    assert has_content(render(env, "translated", **CASES["translated"]))


def test_a_translation_carries_its_language_and_a_hidden_switch(env):
    section = one(render(env, "translation", **CASES["translation"]), "/div/section[@class='translation']")
    assert section.get("lang") == "en"
    assert len(section.xpath("fieldset[@class='parallel-switch'][@hidden]//input[@name='parallel']")) == 3


def test_in_an_old_version_a_passage_line_and_translated_paragraph_lead_to_the_current_one(env):
    """`in_current` (an old version's page): a plain link beside the number; `gone`: a mark."""
    for behaviour, anchor in (("paragraph", "p4"), ("line", "l5"), ("translated", "p4-en")):
        link = one(render(env, behaviour, anchor=anchor, n="4", in_current=f"../../../../texts/t/#{anchor}"),
                   "//a[@class='ts-in-current']")
        assert link.get("href") == f"../../../../texts/t/#{anchor}"
        mark = one(render(env, behaviour, anchor=anchor, n="4", gone=True), "//*[contains(@class, 'ts-gone')]")
        assert mark.tag == "span" and mark.get("title")
        assert not parse(render(env, behaviour, anchor=anchor, n="4")).xpath("//*[contains(@class, 'ts-in-current')]")
