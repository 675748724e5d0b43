"""Every link leads somewhere (issue 29 item 2): in the built test sites, each internal link's page
exists and, when it names a fragment, that page has an element with that id. Links the page's own
script resolves are the exception the test names (a chronology row's link names the first page of
the chronology, whose script finds the row's page)."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest
from conftest import FIXTURES, build_site

SITES = {
    "phenomena": [FIXTURES / "phenomena"],
    "genres": [FIXTURES / "drama", FIXTURES / "letters", *sorted(p for p in (FIXTURES / "corpora").iterdir()
                                                                 if p.is_dir())],
}


@pytest.fixture(scope="module", params=["edition", *SITES])
def site(request, tmp_path_factory, edition_site) -> Path:
    if request.param == "edition":
        return edition_site
    root = tmp_path_factory.mktemp(request.param)
    project = root / "tei"
    for folder in SITES[request.param]:
        shutil.copytree(folder, project / folder.name, ignore=shutil.ignore_patterns("*.md"))
    return build_site(project, root / "site")


def page_of(site: Path, page: Path, href: str) -> tuple[Path | None, str]:
    """The file an internal link leads to (None when it leaves the site) and its fragment."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("mailto:", "javascript:")):
        return None, ""
    if not parts.path:
        return page, unquote(parts.fragment)
    target = (page.parent / unquote(parts.path)).resolve()
    if target.is_dir() or parts.path.endswith("/"):
        target = target / "index.html"
    return target, unquote(parts.fragment)


def test_every_internal_link_leads_to_a_page_and_an_id_on_it(site):
    ids: dict[Path, set[str]] = {}

    def ids_of(path: Path) -> set[str]:
        if path not in ids:
            tree = lxml.html.fromstring(path.read_bytes())
            ids[path] = {str(v) for v in tree.xpath("//@id")}
        return ids[path]

    broken = []
    for page in sorted(site.rglob("*.html")):
        if page.relative_to(site).parts[:2] in (("v", "1.1"), ("v", "1.2")):
            continue  # old versions are kept as they were published, their hand-written pages' links too
        if page.name == "404.html":
            continue
        tree = lxml.html.fromstring(page.read_bytes())
        for a in tree.iter("a"):
            href = a.get("href")
            if not href or href.startswith("#") and len(href) == 1:
                continue
            target, fragment = page_of(site, page.resolve(), href)
            if target is None:
                continue
            where = f"{page.relative_to(site)}: {href}"
            if not target.exists():
                broken.append(f"{where} (no such page)")
            elif target.suffix == ".html" and fragment and fragment not in ids_of(target) and \
                    not (target.parent.name == "chronology" and "--" in fragment):
                broken.append(f"{where} (no id {fragment!r} there)")
    assert not broken, f"{len(broken)} broken links, e.g.:\n" + "\n".join(broken[:30])
