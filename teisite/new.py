"""`teisite new`: a project that builds at once, copied from the starter in the package."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from .wheel import build_wheel

STARTER = Path(__file__).resolve().parent / "starter"
LANGS = ("en", "ru")
SITE_NAMES = {"en": "A sample edition", "ru": "Пробное издание"}
# dot-files travel in the package under another name (package data globs skip names with a dot)
DOT = "dot-"
# the running teisite as a wheel, which the publishing workflows install (teisite is on no index)
VENDOR = "vendor"


def starter_files(lang: str) -> list[tuple[Path, str]]:
    """(file in the starter, where it goes in the project) for one language, in a stable order."""
    files = []
    for part in ("project", lang):
        base = STARTER / part
        for path in sorted(p for p in base.rglob("*") if p.is_file()):
            rel = path.relative_to(base).parts
            files.append((path, "/".join("." + p[len(DOT):] if p.startswith(DOT) else p for p in rel)))
    return files


def _fill(text: str, lang: str, wheel: str) -> str:
    return (text.replace("__SITE_NAME__", SITE_NAMES[lang]).replace("__LANG__", lang)
            .replace("__TEISITE__", f"./{VENDOR}/{wheel}"))


def new_project(folder: str, lang: str = "en", force: bool = False, prog: str = "teisite") -> int:
    """Write the starter into folder; refuse a non-empty folder unless force, and never overwrite."""
    target = Path(folder)
    if target.exists() and not target.is_dir():
        print(f"error: {folder} is a file, not a folder", file=sys.stderr)
        return 2
    if target.is_dir() and any(target.iterdir()) and not force:
        print(f"error: {folder} is not empty; give a new or empty folder, or --force to add the "
              "starter's files beside what is there (none is overwritten)", file=sys.stderr)
        return 2
    made, kept = [], []
    wheel, wheel_bytes = build_wheel()
    for source, rel in starter_files(lang):
        dest = target / rel
        if dest.exists():
            kept.append(rel)
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(_fill(source.read_text(encoding="utf-8"), lang, wheel), encoding="utf-8")
        made.append(rel)
    rel = f"{VENDOR}/{wheel}"
    if (target / rel).exists():
        kept.append(rel)
    else:
        (target / VENDOR).mkdir(parents=True, exist_ok=True)
        (target / rel).write_bytes(wheel_bytes)
        made.append(rel)
    where = shlex.quote(folder)
    print(f"made a new teisite project in {folder} ({lang}; the sample text is invented):")
    for rel in made:
        print(f"  {rel}")
    for rel in kept:
        print(f"  {rel}: kept as it was (it exists; --force never overwrites)")
    print("next:")
    print(f"  {prog} serve {where}    # preview at http://127.0.0.1:8000, rebuilt on every change")
    print(f"  {prog} build {where}    # the site, into {Path(folder) / 'site'}")
    return 0
