"""The commands behind build.py: build (safe swap of the output), check, serve."""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import tempfile
import time
from pathlib import Path

from jinja2 import TemplateError
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.exceptions import MkDocsException

from .diagnostics import BuildError, Diagnostics
from .new import LANGS, new_project
from .project import Project, find_project, mkdocs_config
from .render import template_problem


def _quiet_mkdocs(verbose: bool) -> None:
    logging.basicConfig(format="%(levelname)s: %(message)s", stream=sys.stderr)
    logging.getLogger("mkdocs").setLevel(logging.INFO if verbose else logging.WARNING)


def swap_into_place(new: Path, target: Path) -> None:
    """Replace target with new in two renames, so a reader never sees a half-written site."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{time.time_ns()}")
        target.rename(old)
    new.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def build(project: Project, verbose: bool = False) -> int:
    start = time.perf_counter()
    target = project.site_dir
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        config = mkdocs_config(project, tmp)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()
    except BuildError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        print(exc.diagnostics.format(), file=sys.stderr)
        print(f"build failed: nothing was written; {target} is unchanged", file=sys.stderr)
        return 1
    except TemplateError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        print(template_problem(exc).format(), file=sys.stderr)
        print(f"build failed: nothing was written; {target} is unchanged", file=sys.stderr)
        return 1
    except (MkDocsException, ValueError, OSError) as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        print(f"{project.config_file}: error: {exc}", file=sys.stderr)
        print(f"build failed: nothing was written; {target} is unchanged", file=sys.stderr)
        return 1
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    swap_into_place(tmp, target)
    plugin = config.plugins["teisite"]
    diags, ed = plugin.diagnostics, plugin.edition
    if diags.items:
        print(diags.format(), file=sys.stderr)
    pages = sum(1 for _ in target.rglob("*.html"))
    print(f"built {target}: {len(ed.texts)} documents, {len(ed.entries)} entries, "
          f"{ed.mention_count} mentions, {pages} pages in {time.perf_counter() - start:.1f} s")
    return 0


def check(project: Project, fmt: str = "text", schema: str | None = None) -> int:
    config = mkdocs_config(project)
    config.plugins.on_startup(command="build", dirty=False)
    diags = Diagnostics()
    diags.extend(config.plugins["teisite"].load(config))
    if schema is not None:
        from .schema import validate_files
        edition = config.plugins["teisite"].edition
        validate_files([d.path for d in edition.documents], schema or None, diags)
    print(diags.format(fmt))
    return 1 if diags.errors else 0


def serve(project: Project, port: int) -> int:
    from mkdocs.commands.serve import serve as mkdocs_serve
    kwargs = {"dev_addr": f"127.0.0.1:{port}", "livereload": True}
    if project.docs_dir is not None:
        kwargs["docs_dir"] = str(project.docs_dir)
    mkdocs_serve(config_file=str(project.config_file), **kwargs)
    return 0


def main(argv: list[str], prog: str = "build.py") -> int:
    parser = argparse.ArgumentParser(prog=prog, description="Build, check or serve a TEI edition.")
    sub = parser.add_subparsers(dest="command")
    p_build = sub.add_parser("build", help="build the site (default)")
    p_check = sub.add_parser("check", help="report every problem with file:line:column")
    p_serve = sub.add_parser("serve", help="serve on 127.0.0.1, rebuilding on every change")
    for p in (p_build, p_check, p_serve):
        p.add_argument("project", nargs="?", help="project folder or folder of TEI files")
    p_build.add_argument("--out", help="output folder (default: PROJECT/site)")
    p_build.add_argument("-v", "--verbose", action="store_true")
    p_check.add_argument("--format", choices=["text", "json"], default="text")
    p_check.add_argument("--schema", nargs="?", const="", default=None,
                         help="also validate against TEI P5 (tei_all.rng) or the given RELAX NG file")
    p_serve.add_argument("--port", type=int, default=8000)
    p_new = sub.add_parser("new", help="start a project: a sample text, registers, pages, mkdocs.yml",
                           description="Make a project folder that builds at once: a short sample text "
                           "(invented) with names, places and dates, its registers, an index and an "
                           "about page, a commented mkdocs.yml, .gitignore and a GitHub Pages workflow.")
    p_new.add_argument("folder", help="the new project's folder (new, or empty)")
    p_new.add_argument("--lang", choices=LANGS, default="en",
                       help="the interface's language and the sample's (default: en)")
    p_new.add_argument("--force", action="store_true",
                       help="also into a folder that is not empty: add what is missing, overwrite nothing")
    args = parser.parse_args(argv or ["build"])
    command = args.command or "build"
    if command == "new":
        return new_project(args.folder, args.lang, args.force,
                           prog="python build.py" if prog == "build.py" else prog)
    try:
        project = find_project(args.project, getattr(args, "out", None))
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    _quiet_mkdocs(getattr(args, "verbose", False))
    if command == "build":
        return build(project, args.verbose)
    if command == "check":
        return check(project, args.format, args.schema)
    return serve(project, args.port)


def cli() -> None:
    """The `teisite` console script."""
    sys.exit(main(sys.argv[1:], prog="teisite"))
