"""The edition's published versions: each kept at v/<n>/, from its sources archived in versions/<n>/.

A version is built again, by the same code, from the sources it was published with, which the
project keeps in `versions/<n>/` (a copy of docs_dir: its TEI files and pages). Git tags are not
what a version is made from: a CI checkout often has no tags and no history, and a tag names a
commit whose code may no longer run; an archived folder builds wherever the project is cloned.
The tags a project has are still checked against its revisionDesc.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostics
from .edition import Edition
from .loading import find_tei_files, load_document
from .models import ModelTable
from .walk import A_ANCHOR

VERSION = re.compile(r"\d+(?:\.\d+)*")
ARCHIVE = "versions"  # beside mkdocs.yml: versions/1.1/ holds docs_dir as 1.1 was published


@dataclass
class Published:
    """One published version: its number, its date, the folder of its sources (docs_dir itself
    for the current version)."""

    n: str
    when: str
    folder: Path
    current: bool = False

    @property
    def prefix(self) -> str:
        return f"v/{self.n}/"


@dataclass
class Versions:
    """What the pages of one build know about the versions: the one built, the current one, all
    published (newest first), and, in an old version, each text's anchors the current lacks."""

    this: str
    current: str
    published: list[Published]
    gone: dict[str, list[str]] = field(default_factory=dict)   # doc.rel -> anchors gone since
    missing: list[str] = field(default_factory=list)           # doc.rel of texts not in the current

    @property
    def old(self) -> bool:
        return self.this != self.current


def key(n: str) -> tuple[int, ...]:
    return tuple(int(x) for x in n.split("."))


def _versioned(edition: Edition):
    return next((d for d in edition.texts if d.meta.get("version")), None)


def find(root: Path, docs: Path, edition: Edition, diags: Diagnostics) -> list[Published]:
    """The published versions, newest first: the current one (its editionStmt) and each archived
    in versions/<n>/; each must be a version number its revisionDesc lists once, and so must each
    git tag `v…` of the project (each problem a located error)."""
    doc = _versioned(edition)
    if doc is None:
        return []
    changes = doc.meta.get("changes", [])
    listed: dict[str, dict] = {}
    for c in changes:
        n = c.get("n", "").strip()
        if not n:
            continue
        if n in listed:
            diags.error(doc.path, c.get("line", 1), 1, f"two changes of revisionDesc are version {n} (the "
                        f"other at line {listed[n].get('line', 1)}); give each version one number, once",
                        "version.duplicate", related=(str(doc.path), listed[n].get("line", 1), 1))
            continue
        listed[n] = c
    current = doc.meta["version"]
    if current not in listed:  # (a warning: a project without published versions builds on)
        diags.warning(doc.path, doc.meta.get("version_line", 1), 1, f"the edition is version {current} "
                    "(editionStmt), but no change of revisionDesc has n=\"" + current + "\"; add "
                    f"<change when=\"…\" n=\"{current}\"> saying what is new in it", "version.missing")
    found = [Published(current, doc.meta.get("version_date", ""), docs, True)]
    archive = root / ARCHIVE
    for folder in sorted(archive.iterdir()) if archive.is_dir() else ():
        n = folder.name
        if not folder.is_dir() or not _listed(n, folder, f"«{n}» in {ARCHIVE}/", listed, doc, diags,
                                              "version.name"):
            continue
        if n == current:
            diags.error(folder, 1, 1, f"version {n} is the current version (editionStmt), which is "
                        "built from docs_dir; archive a version only once it is replaced by a newer one",
                        "version.current")
        elif not find_tei_files(folder):
            diags.error(folder, 1, 1, f"the archive of version {n} holds no TEI file; copy docs_dir as "
                        "it was published into it", "version.empty")
        else:
            found.append(Published(n, listed[n].get("when", ""), folder))
    for tag in tags(root):  # a tag starting with v names a version
        _listed(tag[1:], root / ".git", f"the git tag «{tag}»", listed, doc, diags, "version.tag")
    return sorted(found, key=lambda p: key(p.n), reverse=True)


def _listed(n: str, where: Path, what: str, listed: dict, doc, diags: Diagnostics, code: str) -> bool:
    """Whether n (a folder's name, a tag's) is a version number revisionDesc lists; a located
    error where it is not."""
    if not VERSION.fullmatch(n):
        diags.error(where, 1, 1, f"{what} is not a version number (like 1.1); rename it to the "
                    "version it was published as", code)
        return False
    if n not in listed:
        diags.error(where, 1, 1, f"{what} names version {n}, which revisionDesc of {doc.path.name} does "
                    f"not list; add <change n=\"{n}\">", "version.missing")
        return False
    return True


def tags(root: Path) -> list[str]:
    """The project's git tags that start with v ([] without git or a repository)."""
    if not (root / ".git").exists():
        return []
    try:
        out = subprocess.run(["git", "-C", str(root), "tag", "--list", "v*"], capture_output=True,
                             text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return []
    return [t for t in out.stdout.split() if t] if out.returncode == 0 else []


def anchors_of(body) -> list[str]:
    return [a for a in (e.get(A_ANCHOR) for e in body.iter()) if a] if body is not None else []


def current_anchors(edition: Edition) -> dict[str, set[str]]:
    """Each text's anchors, by its path in docs_dir."""
    return {d.rel: set(anchors_of(d.body)) for d in edition.texts}


@dataclass
class Lost:
    """What the current sources lack of an old version: its texts' anchors (with the line of the
    element each is on in the archive), by the text's path in docs_dir, and its texts."""

    gone: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)


def lost(version: Published, table: ModelTable, now: dict[str, set[str]], diags: Diagnostics) -> Lost:
    """What a published version has that the current sources (`now`: current_anchors) lack; a
    warning at each: a citation of it would find nothing in the current version."""
    found = Lost()
    for path in find_tei_files(version.folder):
        for doc in load_document(path, version.folder, path.read_bytes(), table, Diagnostics()):
            if not doc.is_text:
                continue
            if doc.rel not in now:
                found.missing.append(doc.rel)
                diags.warning(path, 1, 1, f"this text of version {version.n} is not in the current "
                              f"sources ({doc.rel}); its citations lead to v/{version.n}/ only",
                              "version.text-gone")
                continue
            for el in doc.body.iter():
                anchor = el.get(A_ANCHOR)
                if anchor and anchor not in now[doc.rel]:
                    found.gone.setdefault(doc.rel, []).append((anchor, el.sourceline or 1))
                    diags.warning(path, el.sourceline or 1, 1, f"«{anchor}» of version {version.n} is "
                                  f"gone from {doc.rel}: a citation of it finds nothing in the current "
                                  f"version; give the element that took its place xml:id=\"{anchor}\", "
                                  f"or let v/{version.n}/ say it was removed", "version.anchor-gone")
    return found
