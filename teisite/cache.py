"""The build cache on disk (`.teisite-cache/` in the project): what a one-off build made from each
file (its walked documents) and for each page, kept for the next build and used only when
everything it was made from is the same.

Each entry is one file, named by what it is for (a TEI file's path, a page's name), so a changed
file replaces its entry instead of adding one; a build that succeeds removes the entries it did
not use (deleted files and pages). An entry is written whole or not at all (a temporary file,
then os.replace), so a build killed mid-way leaves a usable cache. An entry is pickled; it is
signed with a key of this user's (in teisite's cache folder, as the schema's findings are), so
that a cache that comes with a project from elsewhere, or one whose bytes changed, is discarded
with a warning and never unpickled. The cache's format and this user's tag are in its
`VERSION` file: any other (another format, another machine's) discards the whole cache.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import secrets
import shutil
import tempfile
from dataclasses import fields
from functools import cache
from pathlib import Path

from . import __version__

log = logging.getLogger("mkdocs.plugins.teisite")
FOLDER = ".teisite-cache"
FORMAT = "teisite-cache 1"   # change when what an entry holds changes shape
_MISSING = object()
_MAC_SIZE = 32
_WARNINGS = 5   # corrupt entries named, per process, before the rest are discarded quietly


def digest(*parts) -> str:
    return hashlib.sha1(repr(parts).encode()).hexdigest()


def text_digest(data: str | bytes) -> str:
    """A digest of a long string or of bytes (a page's HTML, a file): of its bytes, not of its
    repr as digest()."""
    if isinstance(data, str):
        data = data.encode("utf-8", "xmlcharrefreplace")
    return hashlib.sha1(data).hexdigest()


@cache
def code_key() -> str:
    """teisite's version and the digest of its own code (and of the element names its messages
    suggest from): an upgrade, or an edited checkout, makes nothing it cached before usable."""
    h = hashlib.sha1(__version__.encode())
    package = Path(__file__).resolve().parent
    for p in sorted([*package.glob("*.py"), *package.glob("schema/*.txt")]):
        h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def files_digest(dirs: list[Path]) -> str:
    """The content of every file below the folders (templates, words, the element table)."""
    h = hashlib.sha1()
    for d in dirs:
        for p in sorted(d.rglob("*")):
            if p.is_file():
                h.update(f"{p.relative_to(d)}\0{p.stat().st_size}\0".encode() + p.read_bytes())
    return h.hexdigest()


def user_cache() -> Path:
    """teisite's folder in this user's cache (`$TEISITE_CACHE_DIR`, else `$XDG_CACHE_HOME/teisite`,
    else `~/.cache/teisite`), as the schema's findings use it."""
    if os.environ.get("TEISITE_CACHE_DIR"):
        return Path(os.environ["TEISITE_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "teisite"


def _secret_path() -> Path:
    return user_cache() / "build-cache.key"


KEEP_BUILDS = 20  # folders of TEI files alone whose caches the user's cache keeps, the latest


def _forget_old_builds(builds: Path) -> None:
    """Before a cache is made for one more folder of TEI files alone: remove all but the
    KEEP_BUILDS - 1 caches of such folders last built (the user's cache does not grow without end)."""
    def started(p: Path) -> float:
        try:
            return (p / "STARTED").stat().st_mtime
        except OSError:
            return 0.0
    if not builds.is_dir():
        return
    kept = sorted((p for p in builds.iterdir() if p.is_dir()), key=started, reverse=True)
    for old in kept[KEEP_BUILDS - 1:]:
        shutil.rmtree(old, ignore_errors=True)


def folder_for(root: Path, docs_dir: Path) -> Path:
    """A project's cache: `.teisite-cache/` in its folder; for a folder of TEI files alone, which
    is its own source folder, in this user's cache (named by the folder's path), never among the
    sources."""
    root, docs = root.resolve(), docs_dir.resolve()
    if root.is_relative_to(docs):
        return user_cache() / "builds" / hashlib.sha1(str(root).encode()).hexdigest()[:20]
    return root / FOLDER


def _secret() -> bytes:
    """This user's key for signing cache entries, made once (32 random bytes, mode 0600)."""
    path = _secret_path()
    try:
        data = path.read_bytes()
        if len(data) == 32:
            return data
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".key-")
    with os.fdopen(fd, "wb") as f:
        f.write(secrets.token_bytes(32))
    try:
        os.link(tmp, path)  # whoever comes first makes the key; the others read it
    except FileExistsError:
        pass
    finally:
        os.unlink(tmp)
    data = path.read_bytes()
    if len(data) != 32:
        raise OSError(f"{path}: not a teisite cache key (remove it)")
    return data


class BuildCache:
    """The cache of one project. `get`/`put` by namespace (what kind of thing), name (which one)
    and key (a digest of what it was made from); `made` lists what this process made anew."""

    def __init__(self, folder: Path, secret: bytes):
        self.folder, self.secret = folder, secret
        self.made: dict[str, list[str]] = {}
        self.used = 0
        self._warned = 0
        # when this build began, by the file system's own clock (and its coarseness): prune()
        # keeps what was written or used since
        started = folder / "STARTED"
        started.touch()
        self.since = started.stat().st_mtime

    @classmethod
    def open(cls, folder: Path) -> BuildCache | None:
        """The cache in `folder` (made when missing); a foreign one is emptied with a warning.
        None (with a warning) when it cannot be used at all."""
        try:
            secret = _secret()
            tag = f"{FORMAT}\n{hashlib.blake2b(b'owner', key=secret).hexdigest()}\n"
            version = folder / "VERSION"
            if folder.exists():
                try:
                    found = version.read_text(encoding="utf-8", errors="replace")
                except FileNotFoundError:
                    found = None
                if found != tag:
                    log.warning("%s: warning: this build cache was not made by this teisite for this "
                                "user (%s), so it is discarded [cache.foreign]", folder,
                                "no VERSION file" if found is None else
                                "another format" if not found.startswith(FORMAT + "\n") else
                                "another user's or machine's")
                    shutil.rmtree(folder)
            if not folder.exists():
                if folder.parent == user_cache() / "builds":
                    _forget_old_builds(folder.parent)
                folder.mkdir(parents=True)
                (folder / "CACHEDIR.TAG").write_text(
                    "Signature: 8a477f597d28d172789f06886806bc55\n"
                    "# teisite's build cache: safe to delete; made again by the next build\n")
                write_atomic(version, tag.encode())
            return cls(folder, secret)
        except OSError as exc:
            log.warning("%s: warning: the build cache cannot be used (%s); building without it "
                        "[cache.unusable]", folder, exc)
            return None

    def _path(self, namespace: str, name: str) -> Path:
        return self.folder / namespace / f"{hashlib.sha1(name.encode()).hexdigest()}.entry"

    def _mac(self, header: bytes, name: str, payload: bytes) -> bytes:
        h = hashlib.blake2b(key=self.secret, digest_size=_MAC_SIZE)
        h.update(header)
        h.update(name.encode() + b"\0")
        h.update(payload)
        return h.digest()

    def get(self, namespace: str, name: str, key: str, default=None):
        """What was put under this name with this very key, or `default`."""
        path = self._path(namespace, name)
        try:
            with open(path, "rb") as f:
                header = f.readline()
                if header != f"{FORMAT}\t{key}\n".encode():
                    if not header.startswith(f"{FORMAT}\t".encode()) or not header.endswith(b"\n"):
                        self._discard(path, "not a cache entry, or cut short")
                    return default  # made from other inputs: replaced when made again
                data = f.read()
        except FileNotFoundError:
            return default
        except OSError as exc:
            self._discard(path, str(exc))
            return default
        mac, payload = data[:_MAC_SIZE], data[_MAC_SIZE:]
        if len(mac) < _MAC_SIZE or not secrets.compare_digest(mac, self._mac(header, name, payload)):
            self._discard(path, "its signature does not match: changed, cut short, or not this user's")
            return default
        try:
            value = pickle.loads(payload)
        except Exception as exc:  # noqa: BLE001 - a signed entry that does not load is discarded too
            self._discard(path, f"it does not load ({type(exc).__name__})")
            return default
        try:
            os.utime(path)  # used by this build: kept by prune()
        except OSError:
            pass
        self.used += 1
        return value

    def put(self, namespace: str, name: str, key: str, value) -> None:
        """Keep `value` under this name and key (replacing what the name held), whole or not at
        all; a cache that cannot be written is only a slower next build."""
        self.made.setdefault(namespace, []).append(name)
        header = f"{FORMAT}\t{key}\n".encode()
        try:
            payload = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
            path = self._path(namespace, name)
            path.parent.mkdir(exist_ok=True)
            write_atomic(path, header + self._mac(header, name, payload) + payload)
        except (OSError, pickle.PicklingError, TypeError, AttributeError) as exc:
            log.debug("teisite: not cached: %s (%s)", name, exc)

    def made_or_kept(self, namespace: str, name: str, key: str, make):
        """The value cached under name and key, or make()'s, then cached."""
        value = self.get(namespace, name, key, _MISSING)
        if value is _MISSING:
            value = make()
            self.put(namespace, name, key, value)
        return value

    def _discard(self, path: Path, why: str) -> None:
        if self._warned < _WARNINGS:
            log.warning("%s: warning: a corrupt build cache entry is discarded (%s) [cache.corrupt]",
                        path, why)
        self._warned += 1
        try:
            path.unlink()
        except OSError:
            pass

    def prune(self) -> int:
        """Remove the entries no process of this build has used or made (their files' times are
        older than its start), and what a killed build left half-written; how many went. Only
        after a build that succeeded, and made every page."""
        since, gone = self.since, 0
        if not self.folder.is_dir():  # (another build's _forget_old_builds took it meanwhile)
            return 0
        for sub in self.folder.iterdir():
            if not sub.is_dir():
                continue
            for p in sub.iterdir():
                try:
                    if p.stat().st_mtime < since:
                        p.unlink()
                        gone += 1
                except OSError:
                    pass
        return gone


def write_atomic(path: Path, data: bytes) -> None:
    """Whole or not at all (a killed build, a server sending the file meanwhile)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def cache_folder(plugin, config) -> Path | None:
    """Where a build's cache is (folder_for: the `teisite` command says which folder the project
    is; `mkdocs build` means mkdocs.yml's folder); None when the cache is off (`cache: false`,
    --no-cache), while serving (its own memory serves rebuilds), or when there is no project
    folder."""
    if plugin.serving or not plugin.config.cache:
        return None
    if plugin.cache_dir is not None:
        return Path(plugin.cache_dir)
    if config.config_file_path:
        return folder_for(Path(config.config_file_path).parent, Path(config.docs_dir))
    return None


class PageStore:
    """The cache's pages of one build (one interface language): a page's name and its key (what
    the generator says it is made from) with what else every page depends on (`scope`: teisite's
    code, the template files' contents, the language, the documents and their addresses)."""

    def __init__(self, cache: BuildCache, lang: str, scope: str):
        self.cache, self.namespace, self.scope = cache, f"pages-{lang}", scope

    def made_or_kept(self, name: str, key, make):
        return self.cache.made_or_kept(self.namespace, name, digest(self.scope, key), make)


def open_for(plugin, config) -> BuildCache | None:
    folder = cache_folder(plugin, config)
    return BuildCache.open(folder) if folder is not None else None


# where an entry's element is (for messages), and its mentions (in the keys of the pages that
# show them): not what makes its pages
_NOT_SHOWN = {"path", "line", "col", "end_line", "end_col", "mentions"}


def page_store(cache: BuildCache | None, edition, dirs: list[Path]) -> PageStore | None:
    """The pages part of the cache for an edition built with these template folders. Every page
    depends on the documents' addresses (a reference to another text links to it) and on the
    registers as read, whole (a popover or an entry page may show any of an entry's fields)."""
    if cache is None:
        return None
    documents = [(d.rel, d.slug, d.meta.get("xml_id", "")) for d in edition.texts]
    registers = [[(f.name, getattr(e, f.name)) for f in fields(e) if f.name not in _NOT_SHOWN]
                 for _, e in sorted(edition.entries.items())]
    return PageStore(cache, edition.lang, digest(code_key(), files_digest(dirs), edition.lang,
                                                 documents, registers))

