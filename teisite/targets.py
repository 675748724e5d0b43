"""What a link's @target names: a place on its own page, another text, a register entry, a file of
the project or an address elsewhere; or nothing, which is reported and shown as plain text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .document import Document
from .media import is_external, site_path
from .registers import References

_SAFE_URL = re.compile(r"^(https?://|mailto:|#|[^:]*$)", re.IGNORECASE)


def safe_url(url: str) -> str:
    """A URL from TEI, or '' when it could run code (javascript:, data:, vbscript: ...)."""
    url = url.strip()
    cleaned = re.sub(r"[\x00-\x20]", "", url)
    return url if _SAFE_URL.match(cleaned) else ""


@dataclass(frozen=True)
class Target:
    """Where a link leads: `href` from the site's root (`texts/d/#p3`, `persons/ivan/`), or an
    address elsewhere (`external`); `label`, what a link without words shows (the text's title,
    the entry's name, the file's path; "" for a place on the link's own page, which its renderer
    names)."""

    href: str
    label: str
    external: bool = False


def resolve_target(doc: Document, token: str, refs: References) -> Target | None:
    """The page, entry or file that one @target token names outside the link's own page (a place
    on that page, `#p3`, is the renderer's to find: it knows the anchors); None when it names
    nothing the project has."""
    if is_external(token):
        url = safe_url(token)
        return Target(url, url, True) if url else None
    found = refs.document(doc, token)
    if found is not None:
        text, fragment = found
        return Target(text.url + (f"#{fragment}" if fragment else ""), text.title)
    path, _, fragment = token.partition("#")
    if fragment:
        entry, _ = refs.entry(doc, fragment)
        if entry is not None:
            return Target(entry.url, entry.label)
    if path and Path(doc.path).parent.joinpath(path).is_file() and site_path(doc.rel, path):
        return Target(site_path(doc.rel, path) + (f"#{fragment}" if fragment else ""), path)
    return None
