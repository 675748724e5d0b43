"""The commands behind build.py: build (safe swap of the output), check, serve."""

from __future__ import annotations

import argparse
import difflib
import errno
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import TemplateError
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.exceptions import MkDocsException

from . import cache as build_cache
from .diagnostics import BuildError, Diagnostics, families, split_codes, unknown_codes
from .new import LANGS, new_project
from .project import ConfigError, Project, find_project, mkdocs_config, site_dir_problem
from .render import template_problem
from .versions import Published, Versions

SHOWN = 10  # a build prints at most this many warnings (and notices) of each code; `check`, all


def _quiet_mkdocs(verbose: bool) -> None:
    logging.basicConfig(format="%(levelname)s: %(message)s", stream=sys.stderr)
    logging.getLogger("mkdocs").setLevel(logging.INFO if verbose else logging.WARNING)
    # teisite's own lines are located messages already (`path:line:col: error: ...`): as they are
    plugin_log = logging.getLogger("mkdocs.plugins.teisite")
    if not plugin_log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        plugin_log.addHandler(handler)
        plugin_log.propagate = False


def _print_config_error(exc: ConfigError) -> None:
    """A mkdocs.yml teisite will not build from: its located problems, one a line."""
    print("\n".join(map(str, exc.diagnostics.sorted())), file=sys.stderr)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_leftovers(target: Path) -> None:
    """Remove what a killed build left beside the target (`.site.new-PID-…`, `.site.old-PID-…`),
    unless the build that made it still runs."""
    for p in target.parent.glob(f".{target.name}.*"):
        kind, _, rest = p.name[len(target.name) + 2:].partition("-")
        if kind not in ("new", "old") or not p.is_dir():
            continue
        pid = rest.split("-", 1)[0]
        # a build of an hour is unheard of: then the number is some other process's by now
        if pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid)) and \
                time.time() - p.stat().st_mtime < 3600:
            continue
        shutil.rmtree(p, ignore_errors=True)


def world_readable(folder: Path) -> None:
    """Folders 0755 and files 0644, whatever the umask and mkdtemp's 0700: a web server that
    serves the folder as it is copied must be able to read it."""
    folder.chmod(0o755)
    for top, dirs, files in os.walk(folder):
        for d in dirs:
            os.chmod(os.path.join(top, d), 0o755)
        for f in files:
            os.chmod(os.path.join(top, f), 0o644)


def swap_into_place(new: Path, target: Path) -> None:
    """Replace target with new in two renames, so a reader never sees a half-written site."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}-{time.time_ns()}")
        target.rename(old)
    new.rename(target)
    if old is not None:
        remove_later(old)


def remove_later(folder: Path) -> None:
    """Remove the old site in a process of its own: the new one is in place, and an editor need
    not wait while thousands of files are unlinked (seconds on a slow disk). Whatever it leaves,
    killed, the next build removes (clean_leftovers)."""
    try:
        subprocess.Popen([sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], True)",
                          str(folder)], start_new_session=True, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)


def lenient_reason(project: Project, strict: bool | None) -> str:
    """Why a build went on past errors: the command line, no mkdocs.yml, or mkdocs.yml itself."""
    if strict is False:
        return "--lenient"
    if project.config_file is None:
        return "no mkdocs.yml"
    return f"teisite: {{strict: false}} in {project.config_file.name}"


def _named(paths: list[Path], base: Path, first: int = 3) -> str:
    names = [str(p.relative_to(base)) if p.is_relative_to(base) else str(p) for p in paths[:first]]
    more = f" and {len(paths) - first} more" if len(paths) > first else ""
    return ", ".join(names) + more


def _failed(target: Path) -> int:
    print(f"build failed: nothing was written; {target} is unchanged", file=sys.stderr)
    return 1


def other_languages(config) -> list[str]:
    """The interface languages a project lists after its own (the teisite plugin's `languages`)."""
    return [str(x) for x in config.plugins["teisite"].config.languages[1:]]


def use_cache(config, project: Project, on: bool = True) -> None:
    """The build cache of the project (`.teisite-cache/`: cache.folder_for), or none (--no-cache)."""
    plugin = config.plugins["teisite"]
    plugin.cache_dir = build_cache.folder_for(project.root, Path(config.docs_dir))
    if not on:
        plugin.config.cache = False


def run_mkdocs(config) -> None:
    """MkDocs' build of one configuration, with its plugins started and shut down around it."""
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()


@dataclass
class Plan:
    """How one MkDocs build of `teisite build` is configured (the site in its own interface
    language, in another one, a published version): what make_site runs, and what a worker of a
    Dask cluster runs again to have the same site in memory (remote.py)."""

    project: Project
    out: Path
    strict: bool | None
    cache: bool = True
    site_url: str = ""              # the site's own (of the build in its own language)
    lang: str | None = None         # another interface language, under <lang>/
    version: Published | None = None  # a published version, under v/<n>/
    versions: Versions | None = None


def configured(plan: Plan):
    """The MkDocs configuration of one build of the site (Plan), ready to run."""
    project, out = plan.project, plan.out
    config = mkdocs_config(project, out, plan.strict)
    config.site_dir = str(out)
    plugin = config.plugins["teisite"]
    if plan.lang is not None:
        # the registers in their names in that language, the texts as they are, teisite's own
        # navigation in that language
        config.theme["language"] = plan.lang
        plugin.config.lang = plan.lang
        config.nav = None  # the project's nav names pages in its own language
        if plan.site_url:
            config.site_url = plan.site_url.rstrip("/") + f"/{plan.lang}/"
    elif plan.version is not None:
        version = plan.version
        config.docs_dir = str(version.folder)
        others = [str(x) for x in plugin.config.languages[1:]]
        plugin.config.languages = plugin.config.languages[:1]  # a version in the edition's language
        if others:  # whose pages only (about.en.md is the English build's about page)
            from pathspec.gitignore import GitIgnoreSpec
            spec = GitIgnoreSpec.from_lines([f"*.{lang}.md" for lang in others])
            config.exclude_docs = spec if config.exclude_docs is None else config.exclude_docs + spec
        plugin.versions = plan.versions
        if not version.current:
            config.nav = None  # the project's nav names today's pages; teisite's own lists the version's
        if plan.site_url:
            config.site_url = plan.site_url.rstrip("/") + f"/{version.prefix}"
    use_cache(config, project, plan.cache)
    plan_for(config, plan)
    return config


def plan_for(config, plan: Plan) -> None:
    """The teisite plugin told how its build is configured, and where its pages are made."""
    plugin = config.plugins["teisite"]
    plugin.plan = plan
    if plan.project.executor:
        plugin.config.executor = plan.project.executor


def build_language(project: Project, main, tmp: Path, lang: str, strict: bool | None,
                   cache: bool = True) -> None:
    """The site again, with the interface in `lang`, into tmp/<lang>/."""
    run_mkdocs(configured(Plan(project, tmp / lang, strict, cache, main.site_url or "", lang=lang)))


def build_version(project: Project, main, tmp: Path, version: Published, versions: Versions,
                  strict: bool | None, cache: bool = True) -> None:
    """One published version again, from its sources (versions/<n>/, or docs_dir for the current
    one), into tmp/v/<n>/: its pages say which version they are, and lead to the current one."""
    config = configured(Plan(project, tmp / "v" / version.n, strict, cache, main.site_url or "",
                             version=version, versions=versions))
    run_mkdocs(config)
    plugin = config.plugins["teisite"]
    if plugin.diagnostics.errors:  # (a lenient build goes on past errors; a version's are its own)
        raise BuildError(plugin.diagnostics)


def build_versions(project: Project, config, tmp: Path, strict: bool | None, cache: bool = True) -> None:
    """Each published version at v/<n>/, the current one too (so that its citations last); an old
    one knows which of its anchors the current version no longer has."""
    plugin = config.plugins["teisite"]
    published = plugin.published
    if not published or plugin.diagnostics.errors:
        return
    # each version's own, before any is built (MkDocs hands every build the same plugin object)
    plans = []
    for version in published:
        lost = plugin.lost.get(version.n)
        plans.append((version, Versions(
            version.n, published[0].n, list(published),
            {rel: [a for a, _ in anchors] for rel, anchors in lost.gone.items()} if lost else {},
            list(lost.missing) if lost else [])))
    for version, versions in plans:
        build_version(project, config, tmp, version, versions, strict, cache)


@dataclass
class Built:
    """What the build of the site in its own language found, kept before the builds of its other
    languages and versions, which MkDocs hands the same plugin object: its problems, its edition,
    the files it left out, its cache (to prune)."""

    diagnostics: Diagnostics
    edition: object
    left: list
    disk: object


def make_site(project: Project, config, tmp: Path, strict: bool | None,
              cache: bool = True) -> tuple[Diagnostics | None, str | None, Built | None]:
    """Build the site (each of its languages, each published version) into tmp: what `build` and
    `check` both run, so that check finds everything a build can refuse. (None, None, what the
    build found) when it went through; else the problems that stopped it, or a message that is no
    located problem (MkDocs' own)."""
    config.site_dir = str(tmp)
    use_cache(config, project, cache)
    plan_for(config, Plan(project, tmp, strict, cache))
    try:
        run_mkdocs(config)
        plugin = config.plugins["teisite"]
        built = Built(plugin.diagnostics, plugin.edition, plugin.left_out(), plugin.disk)
        for lang in other_languages(config):  # the same site with another interface, under <lang>/
            build_language(project, config, tmp, lang, strict, cache)
        build_versions(project, config, tmp, strict, cache)
    except BuildError as exc:
        return exc.diagnostics, None, None
    except TemplateError as exc:
        return template_problem(exc), None, None
    except (MkDocsException, ValueError, OSError) as exc:
        return None, f"{project.config_file or project.root}: error: {exc}", None
    return None, None, built


def build(project: Project, verbose: bool = False, strict: bool | None = None,
          cache: bool = True) -> int:
    start = time.perf_counter()
    target = project.site_dir
    try:
        config = mkdocs_config(project, target, strict)
    except ConfigError as exc:
        _print_config_error(exc)
        return _failed(target)
    except (MkDocsException, ValueError, OSError) as exc:
        print(f"{project.config_file or project.root}: error: {exc}", file=sys.stderr)
        return _failed(target)
    problem = site_dir_problem(project, config, target)
    if problem:
        print(f"error: {problem}; give --out another folder (nothing was deleted)", file=sys.stderr)
        return 2
    empty = no_tei_files(config)
    if empty:
        print(empty, file=sys.stderr)
        return 2
    target.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(target)
    # beside the target, so that the swap is a rename; named by this process, so that a later build
    # knows it for a leftover once this process is gone
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-{os.getpid()}-", dir=target.parent))
    try:
        stopped, message, built = make_site(project, config, tmp, strict, cache)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if stopped is not None or message is not None:
        shutil.rmtree(tmp, ignore_errors=True)
        print(message or stopped.format(most=SHOWN), file=sys.stderr)
        return _failed(target)
    world_readable(tmp)
    swap_into_place(tmp, target)
    disk, diags, ed, left = built.disk, built.diagnostics, built.edition, built.left
    if disk is not None:  # what this build (all its languages and versions) did not use goes
        disk.prune()
    if diags.items:
        print(diags.format(most=SHOWN), file=sys.stderr)
    pages = sum(1 for _ in target.rglob("*.html"))
    stats = (f"{len(ed.texts)} documents, {len(ed.entries)} entries, {ed.mention_count} mentions, "
             f"{pages} pages in {time.perf_counter() - start:.1f} s")
    if left:
        print(f"left out {len(left)} file{'s' * (len(left) != 1)} (not TEI, or not readable; see above; "
              f"not published unless the teisite option `copy` names them): {_named(left, Path(config.docs_dir))}")
    if not diags.items:
        print(f"built {target}: {stats}")
        return 0
    print(stats)
    why = f" (lenient: {lenient_reason(project, strict)}; --strict stops on errors)" if diags.errors else ""
    print(f"built {target} with {diags.summary()}{why}")
    return 0


def check(project: Project, fmt: str = "text", schema: str | None = None, strict: bool | None = None,
          cache: bool = True) -> int:
    """Every problem, located; 1 when there is an error (with --lenient: one that would stop a
    lenient build). `build` minus writing: the same build runs, into a temporary folder that is
    removed, so that check reports everything a build can refuse (the configuration, the table,
    every template, the data) with the same messages."""
    tmp = Path(tempfile.mkdtemp(prefix="teisite-check-"))
    try:
        try:
            config = mkdocs_config(project, tmp, strict)
        except ConfigError as exc:
            print(exc.diagnostics.format(fmt))
            return 1
        except (MkDocsException, ValueError, OSError) as exc:
            print(f"{project.config_file or project.root}: error: {exc}", file=sys.stderr)
            return 1
        empty = no_tei_files(config) or (outside(project.files, config) if project.files else None)
        if empty:
            print(empty, file=sys.stderr)
            return 2
        plugin = config.plugins["teisite"]
        plugin.report = False  # printed below, once, all of them
        stopped, message, built = make_site(project, config, tmp, strict, cache)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if message is not None:
        print(message, file=sys.stderr)
        return 1
    diags = Diagnostics()
    diags.extend(stopped if stopped is not None else built.diagnostics)
    edition = built.edition if built is not None else plugin.edition
    if edition is not None:  # words that may name an entry but are not tagged: notices
        from .names import find_untagged
        find_untagged(edition, diags, [str(w) for w in plugin.config.not_names],
                      built.disk if built is not None else plugin.disk)
    if schema is not None and edition is not None:
        from .schema import validate_declared, validate_files
        paths = list(dict.fromkeys(Path(d.path) for d in edition.documents))
        if schema:
            validate_files(paths, schema, diags)
        else:  # each file against its <?xml-model?>'s schema, else TEI P5
            validate_declared(paths, diags)
    diags.keep_only(plugin.codes())
    if project.files:  # `check FILE…`: those files' problems, and what stops any build
        named = {str(f) for f in project.files}
        diags.items = [d for d in diags.items if str(Path(d.path).resolve()) in named
                       or d.severity == "error" and not d.code.startswith(("parse.", "tei.", "xinclude."))
                       and Path(d.path).suffix != ".xml"]
    print(diags.format(fmt))
    return 1 if diags.blocking(strict is not False) else 0


def port_problem(host: str, port: int) -> str | None:
    """Why the server could not listen on host:port (a port in use, an unknown host), or None."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        return f"cannot serve on {host}: {exc.strerror}"
    family, _, _, _, address = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does
        try:
            s.bind(address)
            return None
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                return f"cannot serve on {host}:{port}: {exc.strerror}"
    free = next((p for p in range(port + 1, min(port + 100, 65536)) if port_problem(host, p) is None), None)
    return f"port {port} is in use; " + (f"try --port {free}" if free else "try another --port")


def _watch_when_made(server, folder: Path, state: dict) -> None:
    """`serve`: once `folder` exists, it is watched (MkDocs' watcher needs a folder that exists,
    and sees no new folder), and a rebuild is asked for (what was written in it meanwhile)."""
    while not state["terminated"]:
        if folder.is_dir():
            server.watch(str(folder))
            with server._rebuild_cond:  # (as the watcher's own callback asks for one)
                server._want_rebuild = True
                server._rebuild_cond.notify_all()
            return
        time.sleep(0.5)


def serve(project: Project, port: int = 8000, host: str = "127.0.0.1", strict: bool | None = None) -> int:
    """Build into a temporary folder, serve it, rebuild on every change; one line after each build."""
    from mkdocs.livereload import LiveReloadServer, _serve_url

    busy = port_problem(host, port)
    if busy:
        print(f"error: {busy}", file=sys.stderr)
        return 2
    site_dir = Path(tempfile.mkdtemp(prefix="teisite-serve-"))
    state = {"errors": None, "shown": None, "terminated": False}

    def stop(signum, frame):
        # a `kill` stops it as Ctrl+C does, but at once: the search index being written is not
        # waited for, and the temporary site is removed by a process of its own
        state["terminated"] = True
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, stop)

    def get_config():
        config = mkdocs_config(project, site_dir, strict)
        config.plugins["teisite"].report = False  # said below, once per build
        return config

    def builder(config=None) -> None:
        start = time.perf_counter()
        try:
            config = config or get_config()
        except ConfigError as exc:
            _print_config_error(exc)
            print("the last good build is still served", file=sys.stderr, flush=True)
            return
        config.site_url = serve_url
        try:
            # dirty: the site folder is written over, not emptied; the plugin tells MkDocs which
            # pages and files are unchanged, and those are neither made nor written again
            mkdocs_build(config, serve_url=serve_url, dirty=True)
        except (MkDocsException, OSError) as exc:
            print(f"{project.config_file or project.root}: error: {exc}", file=sys.stderr, flush=True)
            return
        plugin = config.plugins["teisite"]
        diags, took = plugin.diagnostics, time.perf_counter() - start
        first, had_errors = state["errors"] is None, state["errors"]
        # errors every time (they are what is being fixed); warnings and notices when they
        # changed (thousands of lines of a large corpus printed again would hide the errors)
        changed = diags.items != state["shown"]
        shown = diags if changed else Diagnostics(diags.errors)
        for line in shown.lines(most=SHOWN):
            print(line, file=sys.stderr)
        state["errors"], state["shown"] = bool(diags.errors), list(diags.items)
        if diags.errors:
            line = f"{'built' if first else 'rebuilt'} in {took:.1f} s with {diags.summary()}; " \
                   "every page shows the errors until they are fixed"
        elif had_errors:
            line = f"fixed: {plugin.pages.made} pages rebuilt in {took:.1f} s"
        else:
            written = plugin.pages_written
            line = f"{'built' if first else 'rebuilt'} in {took:.1f} s" + \
                ("" if first else f" ({written} page{'s' * (written != 1)} written)")
        print(line, file=sys.stderr, flush=True)

    config = None
    try:
        try:
            config = get_config()
        except ConfigError as exc:
            _print_config_error(exc)
            return 1
        config.plugins.on_startup(command="serve", dirty=True)
        # MkDocs warns on every dirty build that its navigation may be stale: teisite's plugin
        # makes every page again when the navigation (or anything else around a page) changes
        logging.getLogger("mkdocs.commands.build").addFilter(
            lambda r: not r.getMessage().startswith("A 'dirty' build is being performed"))
        mount_path = urlsplit(config.site_url or "/").path
        serve_url = _serve_url(host, port, mount_path)
        # the files are looked at every 0.25 s (MkDocs: 0.5 s), a quarter of a second less to
        # wait for a reload at the cost of a few milliseconds a look for a thousand files
        server = LiveReloadServer(builder=builder, host=host, port=port, root=str(site_dir),
                                  mount_path=mount_path, polling_interval=0.25)
        print(f"serving {project.root} at {serve_url} (Ctrl+C stops)", file=sys.stderr, flush=True)
        builder(config)
        server.watch(config.docs_dir)
        if config.config_file_path:
            server.watch(config.config_file_path)
        server = config.plugins.on_serve(server, config=config, builder=builder)
        for item in config.watch:
            server.watch(item)
        templates = project.root / "templates"
        if not templates.is_dir():  # made while serving: watched, and the site made again with it
            threading.Thread(target=_watch_when_made, args=(server, templates, state), daemon=True).start()
        try:
            server.serve()
        except OSError as exc:  # the port was taken after all, between the check and now
            print(f"error: cannot serve on {host}:{port}: {exc.strerror}", file=sys.stderr)
            return 2
        finally:
            server.shutdown()
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr, flush=True)
    finally:
        if state["terminated"]:  # SIGTERM: within a moment, whatever was being done
            from .search import abandon
            abandon(remove_later)  # the search index being written, and its records
            remove_later(site_dir)
            sys.stdout.flush()
            os._exit(0)  # threads still writing the search index or the zip are not waited for
        try:
            if config is not None:  # the search index being written, if any, is finished
                config.plugins.on_shutdown()  # (a second Ctrl+C does not wait for it)
        finally:
            shutil.rmtree(site_dir, ignore_errors=True)
    return 0


def ids(project: Project, write: bool = False, ask=input) -> int:
    """`ids`: show the xml:ids the anchored elements without one would be given, as a diff; write
    them with --write, or when asked (at a terminal) and confirmed. Nothing else is changed."""
    from . import ids as assigning
    try:
        config = mkdocs_config(project)
    except ConfigError as exc:
        print(exc.diagnostics.format(), file=sys.stderr)
        return 1
    plugin = config.plugins["teisite"]
    docs = Path(config.docs_dir)
    diags = Diagnostics()
    changes = assigning.project_ids(docs, plugin.template_dirs(config), diags, plugin.tei_files(config))
    if diags.errors:
        print(diags.format(), file=sys.stderr)
        print("no file was changed", file=sys.stderr)
        return 1
    if not changes:
        print("every anchored element has its xml:id; nothing to do")
        return 0
    for change in changes:
        print(change.diff(docs), end="")
    count = sum(len(c.added) for c in changes)
    summary = f"{count} xml:id{'s' * (count != 1)} in {len(changes)} file{'s' * (len(changes) != 1)}"
    if not write and sys.stdin.isatty():
        write = ask(f"write {summary}? [y/N] ").strip().lower() in ("y", "yes")
    if not write:
        print(f"{summary} not written; run again with --write to write them")
        return 0
    assigning.write(changes)
    print(f"wrote {summary}")
    return 0


def citation(project: Project, write: bool = False) -> int:
    """`citation`: CITATION.cff and .zenodo.json beside mkdocs.yml, made from the TEI header;
    shown as a diff, written with --write."""
    import difflib

    from .citation import made
    try:
        config = mkdocs_config(project)
    except ConfigError as exc:
        print(exc.diagnostics.format(), file=sys.stderr)
        return 1
    config.plugins.on_startup(command="build", dirty=False)
    plugin = config.plugins["teisite"]
    diags = plugin.load(config)
    if diags.blocking(True):
        print(diags.format(), file=sys.stderr)
        return 1
    files = made(plugin.edition, config.site_url or "")
    if not files:
        print("no text to cite: CITATION.cff and .zenodo.json are made from a text's TEI header")
        return 1
    root = project.root
    changed = {}
    for name, content in files.items():
        old = (root / name).read_text(encoding="utf-8") if (root / name).is_file() else ""
        if old != content:
            changed[name] = content
            print("".join(difflib.unified_diff(old.splitlines(True), content.splitlines(True),
                                               f"a/{name}", f"b/{name}")), end="")
    if not changed:
        print("CITATION.cff and .zenodo.json say what the TEI header says; nothing to do")
        return 0
    if not write:
        print(f"{', '.join(changed)} not written; run again with --write to write")
        return 0
    for name, content in changed.items():
        build_cache.write_atomic(root / name, content.encode("utf-8"))
        (root / name).chmod(0o644)
    print(f"wrote {', '.join(changed)}")
    return 0


def project_of(file: Path, home: Path | None) -> Path:
    """The project a TEI file belongs to: the nearest folder above it with a mkdocs.yml, else the
    current project (`home`: the current folder, or build.py's checkout)."""
    for folder in file.parents:
        if (folder / "mkdocs.yml").is_file() or (folder / "mkdocs.yaml").is_file():
            return folder
    return (home or Path.cwd()).resolve()


def outside(files: list[Path], config) -> str | None:
    """The first of `files` that is not a TEI file of the project, as one line; None when all are."""
    from .plugin import TeisitePlugin
    ours = {p.resolve() for p in TeisitePlugin.tei_files(config)}
    for f in files:
        if f not in ours:
            return (f"error: {f} is not a TEI file of the project {Path(config.config_file_path or config.docs_dir).parent}"
                    f" (its TEI files are under {config.docs_dir}); check it from its own project, "
                    "or give its folder")
    return None


def no_tei_files(config) -> str | None:
    """Why there is nothing to build: no TEI file below the sources (an empty project, or the
    wrong folder), as one line; None when there are TEI files."""
    from .plugin import TeisitePlugin
    if TeisitePlugin.tei_files(config):
        return None
    docs = Path(config.docs_dir)
    where = docs / "tei" if config.config_file_path else docs
    return (f"error: no TEI files found under {docs}; put the edition's TEI files (*.xml) into "
            f"{where}, or give the folder that holds them")


def eject(name: str, project_dir: str | None, home: Path | None) -> int:
    """Copy one of teisite's shipped templates (`behaviours/note.html`, `pages/entry.html`,
    `i18n.yml`...) into the project's templates/, to change it there; refuse a template teisite
    does not ship, or one the project has already, writing nothing."""
    from .render import DEFAULT_TEMPLATES
    shipped = shipped_templates()
    rel = name.removeprefix("templates/").strip("/")
    matches = [s for s in shipped if s == rel] or [s for s in shipped if rel in (
        Path(s).name, Path(s).stem, Path(s).with_suffix("").as_posix())]
    if len(matches) != 1:
        stems = {Path(s).stem: s for s in shipped}
        close = [stems[s] for s in difflib.get_close_matches(Path(rel).stem, stems, n=3)]
        hint = f"; did you mean {', '.join(close)}?" if close else \
            "; `teisite eject --list` lists them"
        print(f"error: teisite ships no template `{name}`{hint}" if not matches else
              f"error: `{name}` is more than one template ({', '.join(matches)}); give its path", file=sys.stderr)
        return 2
    root = Path(project_dir).resolve() if project_dir else (home or Path.cwd())
    if not root.is_dir():
        print(f"error: {root}: no such folder; give the project's folder", file=sys.stderr)
        return 2
    target = root / "templates" / matches[0]
    if target.exists():
        print(f"error: {target} exists already: the project has its own {matches[0]}; nothing was written",
              file=sys.stderr)
        return 2
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes((DEFAULT_TEMPLATES / matches[0]).read_bytes())
    print(f"copied teisite's {matches[0]} to {target}: the project's copy is used from now on "
          "(delete it to use teisite's again)")
    return 0


def shipped_templates() -> list[str]:
    """What a project can override, by its path below teisite's templates: the table, the words,
    the contract, behaviours, pages and theme overrides (the assets are not templates)."""
    from .render import DEFAULT_TEMPLATES
    return sorted(p.relative_to(DEFAULT_TEMPLATES).as_posix() for p in DEFAULT_TEMPLATES.rglob("*")
                  if p.is_file() and p.relative_to(DEFAULT_TEMPLATES).parts[0] != "assets"
                  and "__pycache__" not in p.parts)


def list_templates() -> int:
    print("\n".join(shipped_templates()))
    return 0


def make_parser(prog: str) -> argparse.ArgumentParser:
    """The command line: every option with its help."""
    from . import __version__
    parser = argparse.ArgumentParser(prog=prog, description="Build, check or serve a TEI edition.")
    parser.add_argument("--version", action="version", version=f"teisite {__version__}",
                        help="say which teisite this is, and stop")
    sub = parser.add_subparsers(dest="command", help="what to do (default: build)")
    p_build = sub.add_parser("build", help="build the site (default)")
    p_check = sub.add_parser("check", help="report every problem with file:line:column")
    p_serve = sub.add_parser("serve", help="serve on 127.0.0.1, rebuilding on every change")
    for p in (p_build, p_check, p_serve):
        if p is p_check:
            p.add_argument("project", nargs="*", metavar="PROJECT | FILE",
                           help="project folder or folder of TEI files; or TEI files of a project, "
                                "checked with the project's registers (the project: the nearest folder "
                                "above them with a mkdocs.yml, else the current one)")
        else:
            p.add_argument("project", nargs="?", help="project folder or folder of TEI files")
        mode = p.add_mutually_exclusive_group()
        mode.add_argument("--strict", dest="strict", action="store_true", default=None,
                          help="stop on any error (the default with a mkdocs.yml)")
        mode.add_argument("--lenient", dest="strict", action="store_false",
                          help="go on past errors in the data, reporting them (the default without a "
                               "mkdocs.yml); unreadable files, the model table, templates and the "
                               "configuration still stop it")
    p_build.add_argument("--out", help="output folder (default: PROJECT/site); it is replaced whole, "
                                       "so it may not be the project or its sources, nor hold them")
    p_build.add_argument("-v", "--verbose", action="store_true",
                         help="also print MkDocs' own progress messages (INFO)")
    for p in (p_build, p_check):
        p.add_argument("-q", "--quiet", action="store_true",
                       help="no progress line on the terminal (there is none when the output is not a terminal)")
    p_build.add_argument("--executor", metavar="ADDRESS",
                         help="a Dask scheduler (tcp://host:8786) whose workers make the text and "
                              "entry pages; they must see the project and the output folder at "
                              "the same paths (pip install 'teisite[dask]')")
    for p in (p_build, p_check):
        p.add_argument("--no-cache", dest="cache", action="store_false",
                       help="neither read nor write the build cache (PROJECT/.teisite-cache/)")
        p.add_argument("--select", metavar="CODE[,CODE...]", action="append",
                       help="report only these problems: codes (`ref.unresolved`) or families "
                            "(`entry.`); instead of `select` in mkdocs.yml")
        p.add_argument("--ignore", metavar="CODE[,CODE...]", action="append",
                       help="do not report these problems (codes or families, e.g. `entry.geo,entry.unused`); "
                            "an ignored error does not stop the build, but unreadable files, the table, "
                            "templates and the configuration always do")
    p_check.add_argument("--format", choices=["text", "json"], default="text",
                         help="text: one line a problem, `file:line:col: severity: message [code]` "
                              "(default); json: the same as data, for tools and editors")
    p_check.add_argument("--schema", action="store_true",
                         help="also validate every file against the RELAX NG schema its <?xml-model?> "
                              "names (a file of the project), else TEI P5 (tei_all.rng, bundled)")
    p_check.add_argument("--schema-file", metavar="RNG",
                         help="also validate against this RELAX NG schema instead (e.g. a project's ODD)")
    p_serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    p_serve.add_argument("--host", default="127.0.0.1",
                         help="address to listen on (default: 127.0.0.1, this machine only)")
    p_new = sub.add_parser("new", help="start a project: a sample text, registers, pages, mkdocs.yml",
                           description="Make a project folder that builds at once: a short sample text "
                           "(invented) with names, places and dates, its registers, an index and an "
                           "about page, a commented mkdocs.yml, .gitignore and a GitHub Pages workflow.")
    p_new.add_argument("folder", help="the new project's folder (new, or empty)")
    p_new.add_argument("--lang", choices=LANGS, default="en",
                       help="the interface's language and the sample's (default: en)")
    p_new.add_argument("--force", action="store_true",
                       help="also into a folder that is not empty: add what is missing, overwrite nothing")
    p_eject = sub.add_parser("eject", help="copy one of teisite's templates into the project, to change it",
                             description="Copy a template teisite ships (a behaviour such as "
                             "behaviours/note.html, a page such as pages/entry.html, i18n.yml, "
                             "models.yml) into the project's templates/, where it overrides teisite's.")
    p_eject.add_argument("template", nargs="?",
                         help="the template's path below teisite's templates (behaviours/note.html), "
                              "or its name (note)")
    p_eject.add_argument("project", nargs="?", help="the project's folder (default: the current one)")
    p_eject.add_argument("--list", action="store_true", help="list the templates teisite ships, and stop")
    for name, short, long, what in (
            ("ids", "give every anchored element an xml:id, into the TEI",
             ("Show, as a diff, the xml:id each paragraph, note, line, mention and other anchored element "
             "without one would be given (the anchor it has today), and write them when confirmed or with "
             "--write. Only xml:id attributes are added; every other byte stays."), "write without asking"),
            ("citation", "write CITATION.cff and .zenodo.json from the TEI header",
             ("Make CITATION.cff (GitHub's \"Cite this repository\") and .zenodo.json (Zenodo's record of "
             "each archived release) beside mkdocs.yml from the TEI header: title, editors, version, date, "
             "licence, DOI. Shows the diff; writes with --write."), "write the files")):
        p = sub.add_parser(name, help=short, description=long)
        p.add_argument("project", nargs="?", help="project folder or folder of TEI files")
        p.add_argument("--write", action="store_true", help=what)
    return parser


def main(argv: list[str], prog: str = "build.py", home: Path | None = None) -> int:
    """The commands; with no PROJECT, `home` is meant (the `teisite` command: the current folder;
    build.py: the checkout it belongs to)."""
    parser = make_parser(prog)
    args = parser.parse_args(argv or ["build"])
    command = args.command or "build"
    if command == "new":
        return new_project(args.folder, args.lang, args.force,
                           prog="python build.py" if prog == "build.py" else prog)
    if command == "eject":
        if args.list:
            return list_templates()
        if not args.template:
            parser.error("eject needs a TEMPLATE (or --list)")
        return eject(args.template, args.project, home if prog != "build.py" else Path.cwd())
    codes = {}
    for option in ("select", "ignore"):
        given = getattr(args, option, None)
        if given is not None:
            codes[option] = split_codes(given)
            unknown = unknown_codes(codes[option])
            if unknown:
                print(f"error: --{option} {', '.join(unknown)}: no such problem code; give codes such as "
                      f"`entry.unused` or families such as `entry.` ({families()})", file=sys.stderr)
                return 2
    files: list[Path] = []
    if command == "check":
        paths = [Path(p) for p in args.project]
        if any(p.is_file() for p in paths):
            files = [p.resolve() for p in paths]
            missing = [str(p) for p, f in zip(paths, files) if not f.is_file()]
            if missing:
                print(f"error: {missing[0]}: no such file; give TEI files, or one project folder", file=sys.stderr)
                return 2
            args.project = str(project_of(files[0], home))
        elif len(paths) > 1:
            print(f"error: {paths[1]}: give one project folder, or TEI files of one project", file=sys.stderr)
            return 2
        else:
            args.project = str(paths[0]) if paths else None
    try:
        project = find_project(args.project or home, getattr(args, "out", None))
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    project.select, project.ignore = codes.get("select"), codes.get("ignore")
    project.files = files
    project.quiet = getattr(args, "quiet", False)
    project.executor = getattr(args, "executor", None)
    _quiet_mkdocs(getattr(args, "verbose", False))
    if command == "ids":
        return ids(project, args.write)
    if command == "citation":
        return citation(project, args.write)
    if command == "build":
        return build(project, args.verbose, args.strict, args.cache)
    if command == "check":
        schema = args.schema_file if args.schema_file else ("" if args.schema else None)
        return check(project, args.format, schema, args.strict, args.cache)
    return serve(project, args.port, args.host, args.strict)


def cli() -> None:
    """The `teisite` console script."""
    sys.exit(main(sys.argv[1:], prog="teisite", home=Path.cwd()))
