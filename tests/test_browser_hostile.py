"""In the browser: hostile TEI (script in text, javascript: links, markup in registers) runs nothing."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import FIXTURES, build_site, serve

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile-tei")
    shutil.copy(FIXTURES / "hostile" / "script.xml", folder / "script.xml")
    server, url = serve(build_site(folder, tmp_path_factory.mktemp("hostile-site") / "site"))
    yield url
    server.shutdown()


@pytest.mark.parametrize("path", ["texts/script/", "persons/", "persons/evil/", ""])
def test_hostile_tei_runs_no_script(page, hostile_url, path):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(hostile_url + path)
    # every event an injected handler could wait for, on every element of the content
    page.evaluate("""() => document.querySelectorAll('.md-content *').forEach(e => {
        for (const t of ['mouseover', 'mouseenter', 'focus', 'error', 'load'])
          e.dispatchEvent(new Event(t)); })""")
    for link in page.locator(".teisite-text a[href]").all():
        href = link.get_attribute("href") or ""
        assert not href.strip().lower().startswith(("javascript:", "data:", "vbscript:")), href
    page.wait_for_timeout(300)
    # what the TEI brought stays data: the only scripts that can run are the theme's and teisite's
    # own, none of them in the content, none carrying the TEI's words; its words may sit in JSON
    # (a text's data, its JSON-LD), whole, where the JSON parses and no </script> cut it short
    for script in page.evaluate("""() => [...document.scripts].map(s => ({type: s.type, src: s.src,
        text: s.text, in_content: !!s.closest('.md-content')}))"""):
        if script["type"].lower() in ("application/json", "application/ld+json"):
            json.loads(script["text"])
            continue
        assert "PWNED" not in script["text"] and not script["in_content"], script
        assert not script["src"] or script["src"].startswith(hostile_url), script
    assert dialogs == [], f"script ran: {dialogs}"
    assert "PWNED" not in "".join(page.evaluate(
        "() => [...document.querySelectorAll('*')].flatMap(e => [...e.attributes])"
        ".filter(a => a.name.startsWith('on')).map(a => a.value)"))
