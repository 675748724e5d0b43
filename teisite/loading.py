"""Loading an edition: finding its TEI files, parsing and walking each (in forked workers for a
one-off build), then collecting its registers and checking its references."""

from __future__ import annotations

import hashlib
import os
import time
from copy import deepcopy
from functools import partial
from pathlib import Path

from lxml import etree

from . import trees
from .cache import BuildCache, code_key
from .cache import digest as cache_digest
from .checks import (
    check_dates,
    check_facs,
    check_ids,
    link_targets,
    qualified_name,
    report_omitted,
    report_unknown_elements,
    resolve,
    warn_geo,
    warn_nameless,
    warn_unused,
)
from .dates import calendar_kinds
from .diagnostics import Diagnostics
from .document import _TITLES, Document, header_mentions, header_meta, title_of
from .edition import Edition
from .media import copy_media
from .models import ModelTable
from .parsing import TEI_NS, XML_ID, XML_LANG, is_tei, localname, parse_bytes, plain_text, span
from .registers import REGISTER_LISTS, cite_works, collect_entries, is_entry_list, register_elements
from .walk import safe_id, walk
from .workers import fork_map
from .xinclude import has_includes, resolve_includes

SKIP_DIRS = {"site", "node_modules", "__pycache__"}


def find_tei_files(root: Path) -> list[Path]:
    """All .xml files below root, in a stable order, leaving out hidden and output folders."""
    return sorted(p for p in root.rglob("*.xml")
                  if not any(part.startswith(".") or part in SKIP_DIRS
                             for part in p.relative_to(root).parts[:-1]))



PLACEHOLDER_CHARS = 60  # a register file's body may hold one paragraph this short ("Register")
_DIVS = {"div", *(f"div{n}" for n in range(1, 8))}


def _body_content(text: etree._Element) -> tuple[bool, list[etree._Element]]:
    """(whether the front or body of a <text> holds content a reader is shown, its short
    placeholder paragraphs). Register lists (and lists of entries), divisions and headings
    that hold nothing else, comments and whitespace are not content; a paragraph is a
    placeholder when it has no elements inside and at most PLACEHOLDER_CHARS characters."""
    placeholders: list[etree._Element] = []

    def content(el: etree._Element) -> bool:
        if (el.text or "").strip():
            return True
        for child in el:
            if (child.tail or "").strip():
                return True
            if not isinstance(child.tag, str):
                continue
            name = localname(child)
            if name in REGISTER_LISTS or (name == "list" and is_entry_list(child)):
                continue
            if name in _DIVS or name == "head" and not len(child):
                if name == "head" or not content(child):
                    continue
                return True
            if name in ("p", "ab") and not len(child) and \
                    len(plain_text(child)) <= PLACEHOLDER_CHARS:
                placeholders.append(child)
                continue
            return True
        return False

    parts = [text.find(f"{{{TEI_NS}}}{n}") for n in ("front", "body", "group")]
    return any(p is not None and (localname(p) == "group" or content(p)) for p in parts), placeholders


def _is_register_file(root: etree._Element) -> bool:
    """A register file: its <text> has no front or body with content (see _body_content), and
    it has register lists (in its text, its header or a standOff); its body may hold one empty
    paragraph, or, beside register lists in the body itself, one short paragraph ("Register");
    or it has no <text> at all. A text's own lists in its back or standOff are
    read as registers all the same (registers.register_elements)."""
    text = root.find(f"{{{TEI_NS}}}text")
    if text is None:
        return True
    has_content, placeholders = _body_content(text)
    if has_content or len(placeholders) > 1:
        return False
    body = text.find(f"{{{TEI_NS}}}body")
    if any(plain_text(p) for p in placeholders) and not (body is not None and any(
            localname(e) in REGISTER_LISTS for e in body.iter() if isinstance(e.tag, str))):
        return False  # a short text with its own lists beside it, in its back or a standOff
    return next(register_elements(root), None) is not None or any(
        localname(e) in REGISTER_LISTS for e in root.iter() if isinstance(e.tag, str))


def _not_tei(path: Path, root: etree._Element, diags: Diagnostics) -> None:
    """Say why a file whose root is neither TEI nor teiCorpus is left out. A TEI element as its
    root (a teiHeader, a listPerson) is a fragment for xi:include, left out without a word; so
    is a file another one includes (load_edition drops this warning then)."""
    name, namespace = localname(root), etree.QName(root).namespace
    if name in ("TEI", "teiCorpus"):
        where = f"in the namespace \"{namespace}\"" if namespace else "in no namespace"
        diags.error_at(path, span(root, path), f"<{name}> is {where}, not TEI's, so this file "
                       f"is left out; write <{name} xmlns=\"{TEI_NS}\">", "tei.namespace")
    elif namespace != TEI_NS:
        diags.warning_at(path, span(root, path), f"not a TEI document (its root is "
                         f"<{qualified_name(root)}>), so this file is left out; a TEI file's root is "
                         f"<TEI xmlns=\"{TEI_NS}\">", "tei.not-tei")


def _members(root: etree._Element, path: Path, diags: Diagnostics
             ) -> list[tuple[str, etree._Element, etree._Element | None]]:
    """The TEI documents of a teiCorpus (nested ones too), each as (its key: xml:id or number,
    its TEI element, the corpus's teiHeader it shares); a TEI root is its own one member."""
    if root.tag == f"{{{TEI_NS}}}TEI":
        return [("", root, None)]
    out: list = []
    header = root.find(f"{{{TEI_NS}}}teiHeader")

    def visit(corpus: etree._Element, shared: etree._Element | None) -> None:
        own = corpus.find(f"{{{TEI_NS}}}teiHeader")
        shared = own if own is not None else shared
        for child in corpus:
            if child.tag == f"{{{TEI_NS}}}TEI":
                out.append((child.get(XML_ID) or str(len(out) + 1), child, shared))
            elif child.tag == f"{{{TEI_NS}}}teiCorpus":
                visit(child, shared)
            elif isinstance(child.tag, str) and child.tag != f"{{{TEI_NS}}}teiHeader":
                diags.warning_at(path, span(child, path), f"<{qualified_name(child)}> in a teiCorpus "
                                 "is neither a TEI document nor a teiCorpus, so it is left out",
                                 "tei.corpus-part")

    visit(root, header)
    if not out:
        diags.warning_at(path, span(root, path), "this teiCorpus holds no <TEI> document, so "
                         "nothing of it is shown", "tei.corpus-part")
    return out


def _member_tree(tei: etree._Element, shared: etree._Element | None) -> etree._ElementTree:
    """One TEI of a teiCorpus as a tree of its own (lines kept), with the corpus's header's
    titles and statements where its own header lacks them."""
    copy = deepcopy(tei)
    if shared is not None:
        header = copy.find(f"{{{TEI_NS}}}teiHeader")
        if header is None:
            copy.insert(0, deepcopy(shared))
        elif not _TITLES(copy):
            title_stmt = shared.find(f"{{{TEI_NS}}}fileDesc/{{{TEI_NS}}}titleStmt")
            file_desc = header.find(f"{{{TEI_NS}}}fileDesc")
            if title_stmt is not None and file_desc is not None:
                file_desc.insert(0, deepcopy(title_stmt))
    return etree.ElementTree(copy)


def load_document(path: Path, root_dir: Path, data: bytes, table: ModelTable,
                  diags: Diagnostics) -> list[Document]:
    """Parse one file (its xi:includes resolved) and walk it: one document, or one per TEI of a
    teiCorpus; none (with a located message) when it is not a usable TEI file."""
    tree = parse_bytes(path, data, diags)
    if tree is None:
        return []
    included: set[Path] = set()
    if has_includes(data):
        resolve_includes(tree, path, root_dir, diags, included)
    root = tree.getroot()
    rel = path.relative_to(root_dir).as_posix()
    if not is_tei(tree):
        _not_tei(path, root, diags)
        return []
    docs = []
    for key, tei, shared in _members(root, path, diags):
        member = tree if not key else _member_tree(tei, shared)
        doc = _load_tei(path, f"{rel}#{key}" if key else rel, member, table, diags,
                        _inherited_lang(tei))
        doc.includes = tuple(sorted(included))
        doc.part = key
        docs.append(doc)
    return docs


_LANG_USAGE = etree.XPath("tei:teiHeader/tei:profileDesc/tei:langUsage/tei:language/@ident",
                          namespaces={"tei": TEI_NS})


def _inherited_lang(tei: etree._Element) -> str:
    """The xml:lang a TEI of a teiCorpus has from the corpus around it ("" for none)."""
    return next((a.get(XML_LANG) for a in tei.iterancestors() if a.get(XML_LANG)), "")


def _load_tei(path: Path, rel: str, tree: etree._ElementTree, table: ModelTable,
              diags: Diagnostics, corpus_lang: str = "") -> Document:
    """One TEI document: its language (TEI's, its text's, or its corpus's xml:lang, else the first
    language of its header's langUsage; the text page carries it, search stems by it), whether it
    is a text or a register file, and its walk."""
    root = tree.getroot()
    text = root.find(f"{{{TEI_NS}}}text")
    lang = root.get(XML_LANG) or (text.get(XML_LANG) if text is not None else "") or corpus_lang \
        or next((ident.strip() for ident in _LANG_USAGE(root) if ident.strip()), "")
    doc = Document(path, rel, tree, title_of(root, path.stem), lang)
    doc.is_text = not _is_register_file(root)
    if doc.is_text:
        doc.meta = header_meta(root, doc.title)
    else:
        _report_register_file(path, root, diags)
    if doc.is_text and text is not None:
        result = walk(text, table, calendar_kinds(root, path))
        doc.mentions, doc.passages, doc.notes = result.mentions, result.passages, result.notes
        doc.translated = result.translated
        doc.mentions[:0] = header_mentions(doc.meta)  # a letter's correspDesc (document.py)
        report_unknown_elements(path, result.unknown, diags)
        report_omitted(path, result.omitted, diags)
    return doc


def _report_register_file(path: Path, root: etree._Element, diags: Diagnostics) -> None:
    """What a register file leaves out: the words of its placeholder paragraph, or the whole
    file when it has no entry either."""
    text = root.find(f"{{{TEI_NS}}}text")
    for p in _body_content(text)[1] if text is not None else ():
        if plain_text(p):
            diags.warning_at(path, span(p, path), f"this file is read as a register file (its "
                             f"body holds register lists and this one short paragraph), so "
                             f"\"{plain_text(p)}\" is not shown; leave the <{localname(p)}> "
                             "empty, or give the body a text", "tei.placeholder")
    if next(register_elements(root), None) is None and not any(  # (a listWit's witnesses: sigla)
            e.get(XML_ID) for e in root.iterdescendants() if isinstance(e.tag, str) and
            localname(e.getparent()) in REGISTER_LISTS):
        diags.warning_at(path, span(root, path), "this file has no text (its body is empty) and "
                         "no register entry with an xml:id, so nothing of it is shown",
                         "tei.empty")



def _included_bytes(docs: list[Document]) -> bytes:
    """The bytes of the files the documents' xi:includes read (part of their digest: a changed
    included file is a changed document)."""
    out = b""
    for inc in sorted({p for d in docs for p in d.includes}):
        try:
            out += Path(inc).read_bytes()
        except OSError:
            out += b"\0missing"
    return out


def _load_file(path: Path, root_dir: Path, table: ModelTable, table_key: str, shed: bool,
               cache: dict | None) -> tuple[str, list[Document], Diagnostics]:
    """(digest, documents, problems) of one file: parsed, walked, checked, and shed when asked
    (or as it was, when the cache has these very bytes, and those of the files it includes)."""
    hit = cache.get(str(path)) if cache is not None else None
    if cache is not None:  # while serving, a file whose size and time are unchanged is not read
        stat = path.stat()  # (before reading: a change while it is read shows next time)
        stamp = (stat.st_mtime_ns, stat.st_size, table_key)
        # (file times are coarse: a file changed just now may not show it yet, as in git)
        if hit is not None and hit[3] == stamp and time.time_ns() - stat.st_mtime_ns > 2e9 \
                and not any(d.includes for d in hit[1]):
            return hit[:3]
    data = path.read_bytes()
    digest = hashlib.sha1(data + table_key.encode()).hexdigest()
    if hit is not None and any(d.includes for d in hit[1]):
        digest = hashlib.sha1(data + table_key.encode() + _included_bytes(hit[1])).hexdigest()
    if hit is not None and hit[0] == digest:
        cache[str(path)] = (*hit[:3], stamp)  # touched, not changed: no need to read it again
        return digest, hit[1], hit[2]
    doc_diags = Diagnostics()
    docs = load_document(path, root_dir, data, table, doc_diags)
    if any(d.includes for d in docs):
        digest = hashlib.sha1(data + table_key.encode() + _included_bytes(docs)).hexdigest()
    for doc in docs:
        check_ids(doc, doc_diags)
        check_dates(doc, doc_diags)
        check_facs(doc, doc_diags)
        if doc.is_text:
            doc.targets = link_targets(doc, table)
        if doc.is_text:  # images: missing, outside the project, or elsewhere (MkDocs copies them)
            checked: list = []
            copy_media(path, doc.rel, doc.tree.getroot(), None, doc_diags, checked)
            doc.media = tuple(checked)
        if shed and doc.is_text:
            trees.shed_text(doc)
    if docs and cache is not None:
        cache[str(path)] = (digest, docs, doc_diags, stamp)
    elif not docs and hit is not None:
        docs = hit[1]  # while serving, the last good version stays on show beside the error
    return digest, docs, doc_diags


LOAD_BATCH = 16                # files a loader worker reads before it sends them back


def _load_part(root_dir: Path, table: ModelTable, table_key: str, disk: BuildCache | None,
               paths: list[Path], pack: bool = True) -> list[tuple[Path, tuple]]:
    """Load and shed each file. In a forked worker (`pack`), each text is packed to be sent
    back, and a file the build's process must load itself (a register file, or a text that
    could not be shed) is left out. With `disk`, what could be packed is kept in the build cache."""
    out = []
    for path in paths:
        result = _load_file(path, root_dir, table, table_key, True, None)
        packed = _keep(disk, path, root_dir, table_key, result) if disk is not None else \
            pack and all(doc.is_text and trees.pack(doc) for doc in result[1])
        if not pack or packed:
            out.append((path, result))
    return out


# --- the build cache (cache.py): a file's documents, as loaded, shed and packed ------------------

def _disk_key(path: Path, root_dir: Path, table_key: str, data: bytes) -> str:
    """What a file's documents are made from, but for the files it includes (checked apart)."""
    return cache_digest(code_key(), str(path), str(root_dir), table_key,
                        hashlib.sha1(data).hexdigest())


def _keep(disk: BuildCache, path: Path, root_dir: Path, table_key: str, result: tuple) -> bool:
    """Pack a file's documents and keep them in the build cache; False (nothing kept) when they
    cannot be packed: a register file (read again by every build) or a text that could not be
    shed. A file that is not TEI is not kept either (it says why every time)."""
    digest, docs, _ = result
    if not all(doc.is_text and trees.pack(doc) for doc in docs):
        return False
    try:
        data = path.read_bytes()
    except OSError:
        return True
    includes = _included_bytes(docs) if any(d.includes for d in docs) else b""
    if docs and hashlib.sha1(data + table_key.encode() + includes).hexdigest() == digest:
        # (not when it changed while it was read)
        disk.put("documents", str(path), _disk_key(path, root_dir, table_key, data), result)
    return True


def _from_disk(disk: BuildCache, path: Path, root_dir: Path, table_key: str) -> tuple | None:
    """A file's (digest, documents, problems) from the build cache, when its bytes, those of the
    files it includes, and whether the images it names are there, are as they were."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    hit = disk.get("documents", str(path), _disk_key(path, root_dir, table_key, data))
    if hit is None:
        return None
    digest, docs, _ = hit
    if any(d.includes for d in docs) and digest != hashlib.sha1(
            data + table_key.encode() + _included_bytes(docs)).hexdigest():
        return None
    if any(Path(p).is_file() != there for d in docs for p, there in d.media):
        return None  # an image was added or removed: its warning changes
    return hit


def _load_parallel(paths: list[Path], root_dir: Path, table: ModelTable, table_key: str,
                   jobs: int, disk: BuildCache | None = None) -> dict[Path, tuple]:
    """Files loaded in `jobs` processes at once: the workers, forked before anything is loaded
    (so they start small), send their texts back shed and packed."""
    load = partial(_load_part, root_dir, table, table_key, disk)  # bound in: the workers fork with it
    return {p: r for _, part in fork_map(load, paths, jobs, LOAD_BATCH,
                                         own=partial(load, pack=False)) for p, r in part}


def load_edition(root_dir: Path, table: ModelTable, lang: str = "en",
                 files: list[Path] | None = None, cache: dict | None = None,
                 progress=None, shed: bool = False, jobs: int = 1,
                 disk: BuildCache | None = None, mentioned_only: bool = False) -> Edition:
    """Read every TEI file below root_dir into an Edition (documents, entries, mentions, problems).

    `cache` (path → (digest, document, problems, (mtime, size, table))) lets a rebuild skip
    documents whose bytes and model table are unchanged, and keeps a document's last readable
    version while its file does not parse; `progress(done, total)` is told after each file. `shed` (one-off builds) lets
    each text's tree go once it is walked and checked (trees.shed_text); then `jobs`
    processes read the files at once. `disk` (a one-off build's, with `shed`) is the build cache:
    a file whose documents it holds, made from the same bytes and table, is not loaded again.
    `mentioned_only` (`entries: mentioned`): only entries the texts name are published.
    """
    diags = Diagnostics()
    docs: list[Document] = []
    used_slugs: set[str] = {"index"}  # texts/index.md is the list of texts
    included: set[Path] = set()
    file_diags: list[Diagnostics] = []
    # a document is walked again when the table, what its behaviours declare, or the reading
    # shown of a choice changes
    table_key = hashlib.sha1((table.key + repr((sorted(table.behaviours.items()),
                                                table.show_original, table.lang))).encode()).hexdigest()
    paths = files if files is not None else find_tei_files(root_dir)
    disk = disk if shed and cache is None else None
    kept = {}
    if disk is not None:
        kept = {p: hit for p in paths if (hit := _from_disk(disk, p, root_dir, table_key)) is not None}
    todo = [p for p in paths if p not in kept]
    done = _load_parallel(todo, root_dir, table, table_key, jobs, disk) \
        if shed and cache is None and jobs > 1 and len(todo) >= 2 * jobs else {}
    done.update(kept)
    for i, path in enumerate(paths, 1):
        result = done.pop(path, None)
        if result is None:
            result = _load_file(path, root_dir, table, table_key, shed, cache)
            if disk is not None:
                _keep(disk, path, root_dir, table_key, result)
        digest, file_docs, doc_diags = result
        file_diags.append(doc_diags)
        if progress is not None:
            progress(i, len(paths))
        for doc in file_docs:
            included.update(doc.includes)
            base = safe_id(f"{path.stem}-{doc.part}" if doc.part else path.stem)
            slug, k = base, 1
            while slug.casefold() in used_slugs:
                k += 1
                slug = f"{base}-{k}"
            used_slugs.add(slug.casefold())
            doc.slug = slug
            doc.digest = digest
            docs.append(doc)
    fragments = {os.path.normpath(p) for p in included}  # an included file is not "not a TEI document"
    for doc_diags in file_diags:
        for d in doc_diags.items:
            if not (d.code == "tei.not-tei" and os.path.normpath(d.path) in fragments):
                diags.extend(Diagnostics([d]))
    entries = collect_entries(docs, lang, diags)
    resolve([d for d in docs if d.is_text], entries, diags)
    cite_works(entries)
    warn_unused(entries, diags, mentioned_only)
    warn_nameless(entries, diags, mentioned_only)
    warn_geo(entries, diags, mentioned_only)
    return Edition(root_dir, docs, entries, diags, table, lang, mentioned_only=mentioned_only)
