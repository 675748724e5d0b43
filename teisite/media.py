"""Images a text shows (graphic/@url, and page images through pb/@facs): where they go in the site, and copying them there."""

from __future__ import annotations

import posixpath
import re
import shutil
from pathlib import Path

from lxml import etree

from .diagnostics import Diagnostics
from .parsing import TEI_NS, XML_ID, span

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|^//")


def is_external(url: str) -> bool:
    """Whether a URL leaves the project (http:, https:, any scheme, or //host): such images are
    linked, never fetched."""
    return bool(_SCHEME.match(url))


def site_path(doc_rel: str, url: str) -> str:
    """Where an image of the project goes in the site: beside its TEI file, as the TEI names it
    (`img/a.png` of `tei/x.xml` is `tei/img/a.png`); '' for a URL outside the project, an absolute
    path, or one that climbs out of the project (`../../etc/x.png`)."""
    url = url.split("#", 1)[0].split("?", 1)[0]
    if not url or is_external(url) or url.startswith(("/", "\\")):
        return ""
    path = posixpath.normpath(posixpath.join(posixpath.dirname(doc_rel), url.replace("\\", "/")))
    return "" if path == ".." or path.startswith("../") else path


def graphics(root: etree._Element) -> list[tuple[str, etree._Element]]:
    """Every image a document's text shows or links to, with the element that names it: each
    graphic/@url inside <text> or <facsimile>, and each pb/@facs that is a URL (a pointer to a
    surface counts by that surface's graphic, already listed)."""
    out: list[tuple[str, etree._Element]] = []
    t = f"{{{TEI_NS}}}"
    for part in root.iter(f"{t}text", f"{t}facsimile"):
        if next(part.iterancestors(f"{t}text", f"{t}facsimile"), None) is not None:
            continue  # a text inside a text (group) is walked with its parent
        for el in part.iter(f"{t}graphic", f"{t}pb"):
            if el.tag == f"{t}graphic":
                url = (el.get("url") or "").strip()
            else:
                url = next(iter((el.get("facs") or "").split()), "")
            if url and not url.startswith("#"):
                out.append((url, el))
    return out


def graphic_urls(root: etree._Element) -> dict[str, str]:
    """Each xml:id of a tree and the image it stands for (the @url of the first graphic in it, or
    ''), found in one pass: a pb/@facs="#surface" is then looked up, not searched for."""
    urls = {el.get(XML_ID): "" for el in root.iter() if el.get(XML_ID) is not None}
    for g in root.iter(f"{{{TEI_NS}}}graphic"):
        url = (g.get("url") or "").strip()
        for el in (g, *g.iterancestors()):
            xid = el.get(XML_ID)
            if xid is not None and not urls.get(xid):
                urls[xid] = url
    return urls


def copy_media(source: Path, doc_rel: str, root: etree._Element, site_dir: Path | None,
               diags: Diagnostics, checked: list | None = None) -> list[Path]:
    """Copy the images of one document (its TEI file at `source`, `doc_rel` below the project's
    source folder) into the site, beside the TEI file as the text names them; what cannot be
    copied is a located warning: a missing file, a path that leaves the project, an image
    outside the project (only linked). Nothing outside the project is read or fetched. Returns
    the files written. Without `site_dir`, only the checks (MkDocs copies what is in its
    docs_dir, the project's source folder, by itself). `checked` is given each image file of
    the project looked for, and whether it was there (what the build cache must check again)."""
    written: list[Path] = []
    project = source.parent.resolve()
    for _ in doc_rel.split("/")[:-1]:
        project = project.parent  # the project's source folder, from the TEI file's place in it
    for url, el in graphics(root):
        at = span(el, source, "url" if el.get("url") is not None else "facs")
        what = f"<{etree.QName(el).localname}> `{url}`"
        if is_external(url):
            if etree.QName(el).localname != "graphic":
                continue  # a page's image elsewhere (pb/@facs): a link, as intended
            diags.warning_at(source, at, f"{what} is outside the project: it is linked, not "
                          "copied or fetched", "media.external")
            continue
        rel = site_path(doc_rel, url)
        if not rel:
            diags.warning_at(source, at, f"{what} leaves the project folder: it is not shown",
                          "media.outside")
            continue
        file = (project / rel).resolve()
        if not file.is_relative_to(project):
            diags.warning_at(source, at, f"{what} leaves the project folder: it is not shown",
                          "media.outside")
            continue
        there = file.is_file()
        if checked is not None:
            checked.append((str(file), there))
        if not there:
            diags.warning_at(source, at, f"{what}: no such file ({file})", "media.missing")
            continue
        if site_dir is None:
            continue
        target = site_dir / rel
        if target.exists() and target.stat().st_size == file.stat().st_size and \
                target.stat().st_mtime >= file.stat().st_mtime:
            continue  # already there (MkDocs copies what is in its docs_dir itself)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(file, target)
        written.append(target)
    return written

