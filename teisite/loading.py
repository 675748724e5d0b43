"""Loading an edition: finding its TEI files, parsing and walking each (in forked workers for a
one-off build), then collecting its registers and checking its references."""

from __future__ import annotations

import hashlib
import time
from functools import partial
from pathlib import Path

from lxml import etree

from . import trees
from .checks import (
    check_dates,
    check_ids,
    report_omitted,
    report_unknown_elements,
    resolve,
    warn_nameless,
    warn_unused,
)
from .diagnostics import Diagnostics
from .document import Document, header_mentions, header_meta, title_of
from .edition import Edition
from .media import copy_media
from .models import ModelTable
from .parsing import TEI_NS, XML_LANG, is_tei, localname, parse_bytes, span
from .registers import REGISTER_LISTS, collect_entries
from .walk import safe_id, walk
from .workers import fork_map

SKIP_DIRS = {"site", "node_modules", "__pycache__"}


def find_tei_files(root: Path) -> list[Path]:
    """All .xml files below root, in a stable order, leaving out hidden and output folders."""
    return sorted(p for p in root.rglob("*.xml")
                  if not any(part.startswith(".") or part in SKIP_DIRS
                             for part in p.relative_to(root).parts[:-1]))



def _is_register_file(root: etree._Element) -> bool:
    """A file whose text is nothing but lists of persons, places, ... (or that has no text)."""
    text = root.find(f"{{{TEI_NS}}}text")
    if text is None:
        return True
    for p in text.iter(f"{{{TEI_NS}}}p", f"{{{TEI_NS}}}ab", f"{{{TEI_NS}}}l"):
        if not any(localname(a) in REGISTER_LISTS for a in p.iterancestors()):
            return False
    return any(localname(e) in REGISTER_LISTS for e in text.iter() if isinstance(e.tag, str))



def load_document(path: Path, root_dir: Path, data: bytes, table: ModelTable,
                  diags: Diagnostics) -> Document | None:
    """Parse one file and walk it; None (with a located error) when it is not a usable TEI file."""
    tree = parse_bytes(path, data, diags)
    if tree is None:
        return None
    root = tree.getroot()
    rel = path.relative_to(root_dir).as_posix()
    if not is_tei(tree):
        name, namespace = localname(root), etree.QName(root).namespace
        if name in ("TEI", "teiCorpus"):
            where = f"in the namespace \"{namespace}\"" if namespace else "in no namespace"
            diags.error_at(path, span(root, path), f"<{name}> is {where}, not TEI's, so this file "
                           f"is left out; write <{name} xmlns=\"{TEI_NS}\">", "tei.namespace")
        else:
            diags.warning_at(path, span(root, path), f"not a TEI document (its root is <{name}>), "
                             f"so this file is left out; a TEI file's root is <TEI xmlns=\"{TEI_NS}\">",
                             "tei.not-tei")
        return None
    lang = root.get(XML_LANG) or (root.find(f"{{{TEI_NS}}}text") is not None and
                                  root.find(f"{{{TEI_NS}}}text").get(XML_LANG)) or ""
    doc = Document(path, rel, tree, title_of(root, path.stem), lang)
    doc.is_text = not _is_register_file(root)
    if doc.is_text:
        doc.meta = header_meta(root, doc.title)
    text = root.find(f"{{{TEI_NS}}}text")
    if doc.is_text and text is not None:
        result = walk(text, table)
        doc.mentions, doc.passages, doc.notes = result.mentions, result.passages, result.notes
        doc.mentions[:0] = header_mentions(doc.meta)  # a letter's correspDesc (document.py)
        report_unknown_elements(path, result.unknown, diags)
        report_omitted(path, result.omitted, diags)
    return doc



def _load_file(path: Path, root_dir: Path, table: ModelTable, table_key: str, shed: bool,
               cache: dict | None) -> tuple[str, Document | None, Diagnostics]:
    """(digest, document or None, problems) of one file: parsed, walked, checked, and shed
    when asked (or as it was, when the cache has these very bytes)."""
    hit = cache.get(str(path)) if cache is not None else None
    if cache is not None:  # while serving, a file whose size and time are unchanged is not read
        stat = path.stat()  # (before reading: a change while it is read shows next time)
        stamp = (stat.st_mtime_ns, stat.st_size, table_key)
        # (file times are coarse: a file changed just now may not show it yet, as in git)
        if hit is not None and hit[3] == stamp and time.time_ns() - stat.st_mtime_ns > 2e9:
            return hit[:3]
    data = path.read_bytes()
    digest = hashlib.sha1(data + table_key.encode()).hexdigest()
    if hit is not None and hit[0] == digest:
        cache[str(path)] = (*hit[:3], stamp)  # touched, not changed: no need to read it again
        return digest, hit[1], hit[2]
    doc_diags = Diagnostics()
    doc = load_document(path, root_dir, data, table, doc_diags)
    if doc is not None:
        check_ids(doc, doc_diags)
        check_dates(doc, doc_diags)
        if doc.is_text:  # images: missing, outside the project, or elsewhere (MkDocs copies them)
            copy_media(path, doc.rel, doc.tree.getroot(), None, doc_diags)
        if shed and doc.is_text:
            trees.shed_text(doc)
        if cache is not None:
            cache[str(path)] = (digest, doc, doc_diags, stamp)
    elif hit is not None:
        doc = hit[1]  # while serving, the last good version stays on show beside the error
    return digest, doc, doc_diags


LOAD_BATCH = 16                # files a loader worker reads before it sends them back


def _load_part(root_dir: Path, table: ModelTable, table_key: str, paths: list[Path],
               pack: bool = True) -> list[tuple[Path, tuple]]:
    """Load and shed each file. In a forked worker (`pack`), each text is packed to be sent
    back, and a file the build's process must load itself (a register file, or a text that
    could not be shed) is left out."""
    out = []
    for path in paths:
        digest, doc, doc_diags = _load_file(path, root_dir, table, table_key, True, None)
        if not pack or doc is None or (doc.is_text and trees.pack(doc)):
            out.append((path, (digest, doc, doc_diags)))
    return out


def _load_parallel(paths: list[Path], root_dir: Path, table: ModelTable, table_key: str,
                   jobs: int) -> dict[Path, tuple]:
    """Files loaded in `jobs` processes at once: the workers, forked before anything is loaded
    (so they start small), send their texts back shed and packed."""
    load = partial(_load_part, root_dir, table, table_key)  # bound in: the workers fork with it
    return {p: r for _, part in fork_map(load, paths, jobs, LOAD_BATCH,
                                         own=partial(load, pack=False)) for p, r in part}


def load_edition(root_dir: Path, table: ModelTable, lang: str = "en",
                 files: list[Path] | None = None, cache: dict | None = None,
                 progress=None, shed: bool = False, jobs: int = 1) -> Edition:
    """Read every TEI file below root_dir into an Edition (documents, entries, mentions, problems).

    `cache` (path → (digest, document, problems, (mtime, size, table))) lets a rebuild skip
    documents whose bytes and model table are unchanged, and keeps a document's last readable
    version while its file does not parse; `progress(done, total)` is told after each file. `shed` (one-off builds) lets
    each text's tree go once it is walked and checked (trees.shed_text); then `jobs`
    processes read the files at once.
    """
    diags = Diagnostics()
    docs: list[Document] = []
    used_slugs: set[str] = set()
    # a document is walked again when the table, what its behaviours declare, or the reading
    # shown of a choice changes
    table_key = hashlib.sha1((table.key + repr((sorted(table.behaviours.items()),
                                                table.show_original))).encode()).hexdigest()
    paths = files if files is not None else find_tei_files(root_dir)
    done = _load_parallel(paths, root_dir, table, table_key, jobs) \
        if shed and cache is None and jobs > 1 and len(paths) >= 2 * jobs else {}
    for i, path in enumerate(paths, 1):
        digest, doc, doc_diags = done.pop(path, None) or \
            _load_file(path, root_dir, table, table_key, shed, cache)
        diags.extend(doc_diags)
        if progress is not None:
            progress(i, len(paths))
        if doc is None:
            continue
        base = safe_id(path.stem)
        slug, k = base, 1
        while slug in used_slugs:
            k += 1
            slug = f"{base}-{k}"
        used_slugs.add(slug)
        doc.slug = slug
        doc.digest = digest
        docs.append(doc)
    entries = collect_entries(docs, lang, diags)
    resolve([d for d in docs if d.is_text], entries, diags)
    warn_unused(entries, diags)
    warn_nameless(entries, diags)
    return Edition(root_dir, docs, entries, diags, table, lang)
