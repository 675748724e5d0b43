"""What changed between two consecutive published versions: each text's passages and notes, word
by word, and the register entries; one page a version, `changes/v<n>/`, linked from the changes page.

Places are matched by their anchors (a passage's, a note's, an entry's id), which last across
versions (walk.py, `teisite ids`): a place with the same anchor in both versions is compared, one
in the newer only was added, one in the older only removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from lxml import etree

from . import trees
from .edition import Edition
from .generators import Generator, Page
from .loading import load_edition
from .walk import A_ANCHOR, A_NUM, A_SHOWN, ELSEWHERE, model_of

FOLDER = "changes"  # beside the changes page: changes/v1.3/ (its further pages are changes/2/, ...)
CONTEXT = 8  # words kept either side of a change; a longer unchanged stretch is shortened


@dataclass
class Place:
    """One passage, note or entry of a version: its anchor, number or name, and its words."""

    anchor: str
    label: str
    words: str
    url: str = ""  # an entry's page, from the site's root


@dataclass
class Change:
    """A place added, removed or changed, with its words: (how, words) pieces, how being "" (the
    same in both), "del" or "ins"."""

    kind: str
    place: Place
    pieces: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class TextChanges:
    title: str
    url: str            # the text's page, from the site's root
    kind: str = ""      # "added" or "removed" when the whole text is; else ""
    passages: list[Change] = field(default_factory=list)
    notes: list[Change] = field(default_factory=list)


@dataclass
class Snapshot:
    """What one version's edition shows, by text (its path in docs_dir) and entry id."""

    texts: dict[str, tuple[str, str, list[Place], list[Place]]]  # rel → (title, url, passages, notes)
    entries: dict[str, tuple[str, Place]]                         # id → (kind, place)


def _words(el: etree._Element) -> str:
    """An element's reading text: without the readings and language variants not shown."""
    out = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.get(A_SHOWN) not in ("0", ELSEWHERE):
            out.append(_words(child))
        out.append(child.tail or "")
    return "".join(out)


def snapshot(edition: Edition) -> Snapshot:
    texts = {}
    table = edition.table
    for doc in edition.texts:
        passages = [Place(p.anchor, f"¶{p.n}", " ".join(p.text.split())) for p in doc.passages]
        notes = []
        body = trees.body(doc)
        for el in body.iter() if body is not None else ():
            if isinstance(el.tag, str) and el.get(A_ANCHOR) and \
                    table.behaviour(model_of(el, table).behaviour).numbers == "note":
                notes.append(Place(el.get(A_ANCHOR), el.get(A_NUM, ""), " ".join(_words(el).split())))
        trees.unparse(doc)
        texts[doc.rel] = (doc.title, doc.url, passages, notes)
    entries = {}
    for e in edition.entries.values():
        if not edition.published(e):
            continue
        words = " · ".join(w for w in (e.label, e.life, e.role, e.place_type, e.description,
                                       " ".join(f"{x:g}" for x in e.geo) if e.geo else "") if w)
        entries[e.id] = (e.kind, Place(e.id, e.label, " ".join(words.split()), e.url))
    return Snapshot(texts, entries)


def pieces(old: str, new: str, context: int = CONTEXT) -> list[tuple[str, str]]:
    """The words of new against old: the same words ("", shortened with … where a long stretch
    is the same), those removed ("del") and those added ("ins")."""
    a, b = old.split(), new.split()
    out: list[tuple[str, str]] = []
    ops = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for i, (op, a1, a2, b1, b2) in enumerate(ops):
        if op == "equal":
            same = a[a1:a2]
            head = same[:context] if i > 0 else []
            tail = same[-context:] if i < len(ops) - 1 else []
            if len(same) > len(head) + len(tail) + 1:
                out += [(h, w) for h, w in (("", " ".join(head)), ("", "…"), ("", " ".join(tail))) if w]
            else:
                out.append(("", " ".join(same)))
            continue
        if a2 > a1:
            out.append(("del", " ".join(a[a1:a2])))
        if b2 > b1:
            out.append(("ins", " ".join(b[b1:b2])))
    return out


def compare(old: list[Place], new: list[Place]) -> list[Change]:
    """The places changed, in the newer version's order, then those removed, in the older's."""
    before = {p.anchor: p for p in old}
    now = {p.anchor for p in new}
    out = []
    for p in new:
        was = before.get(p.anchor)
        if was is None:
            out.append(Change("added", p, [("ins", p.words)] if p.words else []))
        elif was.words != p.words:
            out.append(Change("changed", p, pieces(was.words, p.words)))
    out += [Change("removed", p, [("del", p.words)] if p.words else []) for p in old if p.anchor not in now]
    return out


@dataclass
class VersionChanges:
    """What changed from version `old` to version `new`."""

    old: str
    new: str
    texts: list[TextChanges]
    entries: dict[str, list[Change]]  # by kind, in KINDS' order

    @property
    def empty(self) -> bool:
        return not self.texts and not self.entries


def changes(old: Snapshot, new: Snapshot, n_old: str, n_new: str) -> VersionChanges:
    texts = []
    for rel, (title, url, passages, notes) in new.texts.items():
        if rel not in old.texts:
            texts.append(TextChanges(title, url, "added"))
            continue
        _, _, old_passages, old_notes = old.texts[rel]
        found = TextChanges(title, url, "", compare(old_passages, passages), compare(old_notes, notes))
        if found.passages or found.notes:
            texts.append(found)
    texts += [TextChanges(title, url, "removed") for rel, (title, url, _, _) in old.texts.items()
              if rel not in new.texts]
    from .registers import KINDS
    entries = {}
    for kind in KINDS:
        found = compare([p for k, p in old.entries.values() if k == kind],
                        [p for k, p in new.entries.values() if k == kind])
        if found:
            entries[kind] = found
    return VersionChanges(n_old, n_new, texts, entries)


class DiffPages(Generator):
    """One page for each published version but the first: what changed since the one before.
    Made in the current version's builds (an old version's changes page links the root's)."""

    def _pairs(self) -> list[tuple[object, object]]:
        versions = self.site.config.extra.get("teisite_versions")
        if versions is None or versions.old:
            return []
        published = versions.published  # newest first
        return list(zip(published[1:], published[:-1]))

    def pages(self) -> list[Page]:
        return [Page(f"{FOLDER}/v{found.new}.md", self.t("diff_title", found.new, found.old), found)
                for found in self.found()]

    def found(self) -> list[VersionChanges]:
        """Each pair's changes, worked out when the pages are listed: before any page is made,
        while the current texts' trees are still at hand (a one-off build lets each go once its
        page is made)."""
        if getattr(self, "_found", None) is None:
            shots: dict[str, Snapshot] = {}

            def shot(version) -> Snapshot:
                if version.n not in shots:
                    if version.current:
                        shots[version.n] = snapshot(self.edition)
                    else:  # (its problems were reported when it was built at v/<n>/)
                        shots[version.n] = snapshot(load_edition(Path(version.folder), self.edition.table,
                                                                 self.edition.lang))
                return shots[version.n]
            self._found = [changes(shot(old), shot(new), old.n, new.n) for old, new in self._pairs()]
        return self._found

    def searched(self, page: Page) -> bool:
        return False  # the texts' words again: a search finds them on the texts' pages

    def render(self, page: Page, url: str) -> str:
        return self.site.page("diff.html", url, found=page.item,
                              site_root=self.site.config.extra.get("teisite_site_root", ""))
