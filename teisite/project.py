"""A project: where its TEI, configuration and templates are, and its MkDocs configuration."""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from mkdocs import exceptions
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.utils import get_theme_names
from mkdocs.utils.yaml import get_yaml_loader, yaml_load

from .diagnostics import Diagnostics, families, split_codes, unknown_codes

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = Path(__file__).resolve().parent / "defaults" / "mkdocs.yml"
CDN_THEMES = {"mkdocs": "highlight.js", "readthedocs": "highlight.js"}


class ConfigError(Exception):
    """A configuration teisite will not build from; its problems are located in mkdocs.yml."""

    def __init__(self, diagnostics: Diagnostics):
        super().__init__("\n".join(map(str, diagnostics.sorted())))
        self.diagnostics = diagnostics


@dataclass
class Project:
    """A project folder (mkdocs.yml, source/tei/, maybe templates/), or any folder of TEI files."""

    root: Path
    config_file: Path | None   # the project's mkdocs.yml; None: a folder of TEI files alone
    site_dir: Path             # where a build writes: PROJECT/site unless --out says otherwise
    select: list[str] | None = None  # --select: instead of the plugin's `select` in mkdocs.yml
    ignore: list[str] | None = None  # --ignore: likewise
    files: list[Path] = field(default_factory=list)  # `check FILE…`: only these files' problems
    quiet: bool = False  # -q: no progress line
    executor: str | None = None  # --executor: a Dask scheduler whose workers make the pages


def find_project(path: str | Path | None = None, out: str | Path | None = None) -> Project:
    root = Path(path).resolve() if path else REPO
    if not root.is_dir():
        raise FileNotFoundError(f"{root}: no such folder; give a project folder or a folder of TEI files")
    config = next((root / n for n in ("mkdocs.yml", "mkdocs.yaml") if (root / n).is_file()), None)
    return Project(root, config, Path(out).resolve() if out else root / "site")


def default_docs_dir(project: Project) -> Path | None:
    """Where the pages and TEI are when mkdocs.yml does not say: `source/` beside it, else MkDocs'
    own `docs/`; for a folder without mkdocs.yml, `source/` when it has `source/tei/`, else the
    folder itself. None: a project with mkdocs.yml and neither folder."""
    source = project.root / "source"
    if project.config_file is None:
        return source if (source / "tei").is_dir() else project.root
    return next((d for d in (source, project.root / "docs") if d.is_dir()), None)


# --- reading mkdocs.yml, with the place of each value ---------------------------------------------

def _locate(node: yaml.Node | None, *keys) -> tuple[int, int]:
    """Line and column (1-based) of the value at `keys` in a composed YAML document, or of the
    deepest of them that is there; the top of the file when none is."""
    where = (1, 1)
    for key in keys:
        child = None
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if getattr(k, "value", None) == key), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            child = node.value[key]
        if child is None:
            break
        node = child
        where = (node.start_mark.line + 1, node.start_mark.column + 1)
    return where


def _read_user_config(path: Path, cfg: MkDocsConfig, diags: Diagnostics) -> tuple[dict, yaml.Node | None]:
    """The mapping a project's mkdocs.yml holds (read as MkDocs reads it: !ENV, !relative, INHERIT)
    and its composed nodes, for locations; a problem is an error in `diags`."""
    try:
        text = path.read_text(encoding="utf-8")
        node = yaml.compose(text, Loader=yaml.SafeLoader)  # nodes only: any tag is fine here
    except UnicodeDecodeError as exc:
        diags.error(path, 1, 1, f"mkdocs.yml is not UTF-8 text ({exc.reason})", "config.yaml")
        return {}, None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = ": ".join(p for p in (exc.context, exc.problem) if p)
        diags.error(path, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1,
                    f"not valid YAML: {problem}", "config.yaml")
        return {}, None
    if node is None:
        return {}, None
    if not isinstance(node, yaml.MappingNode):
        diags.error(path, node.start_mark.line + 1, node.start_mark.column + 1,
                    "mkdocs.yml must be a mapping of settings (`site_name: My edition`)", "config.yaml")
        return {}, None
    try:
        with open(path, "rb") as fd:
            return yaml_load(fd, get_yaml_loader(config=cfg)), node
    except (exceptions.ConfigurationError, yaml.YAMLError) as exc:
        diags.error(path, 1, 1, str(exc).replace("\n", " "), "config.yaml")
        return {}, node


def merge(base: dict, over: dict) -> dict:
    """`over` on top of `base`: mappings are merged key by key, anything else (a list, a string)
    of `over` replaces `base`'s whole."""
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def offline_problems(theme: str | None, font, extra_css: list, extra_javascript: list,
                     extra) -> list[tuple[tuple, str]]:
    """What in a configuration would make the site load anything from another host: (where, what to
    do) pairs, `where` being the keys of the value in mkdocs.yml."""
    problems: list[tuple[tuple, str]] = []

    def add(where: tuple, *message: str) -> None:
        problems.append((where, "".join(message)))

    if theme in CDN_THEMES:
        add(("theme", "name"), f"the `{theme}` theme loads {CDN_THEMES[theme]} from a CDN and teisite's ",
            "pages are made for Material; write `theme: {name: material, font: false}`")
    elif theme == "material" and font is not False:
        add(("theme", "font"), "Material loads Google Fonts unless told not to; add `font: false` under ",
            "`theme`")
    for key, urls in (("extra_css", extra_css), ("extra_javascript", extra_javascript)):
        for i, item in enumerate(urls or []):
            url = item if isinstance(item, str) else getattr(item, "path", None) or \
                (item.get("path") if isinstance(item, dict) else None)
            if isinstance(url, str) and url.lower().startswith(("http://", "https://", "//")):
                add((key, i), f"`{url}` is loaded from another host; put a copy in the docs folder and ",
                    "name it by its path there")
    if hasattr(extra, "get") and extra.get("analytics"):
        add(("extra", "analytics"), "`extra.analytics` loads a tracker from another host; remove it")
    return problems


def _theme_name(theme) -> str | None:
    return theme.get("name") if isinstance(theme, dict) else theme


def _defaults() -> dict:
    with open(DEFAULT_CONFIG, encoding="utf-8") as fd:
        return yaml.safe_load(fd)


def mkdocs_config(project: Project, site_dir: Path | None = None, strict: bool | None = None,
                  **overrides) -> MkDocsConfig:
    """The MkDocs configuration of a project: its own mkdocs.yml (if any) merged over teisite's
    defaults (teisite/defaults/mkdocs.yml), what it writes winning; `strict` (the command line's
    --strict/--lenient) over the configuration's. Raises ConfigError, located, for a configuration
    that cannot build or would build a site that loads from other hosts."""
    diags, warnings = Diagnostics(), Diagnostics()
    path = project.config_file
    # relative paths (docs_dir, templates, watch, hooks...) resolve against mkdocs.yml's folder,
    # as MkDocs resolves them; without one, every path teisite sets is absolute
    cfg = MkDocsConfig(config_file_path=str(path) if path else None)
    user, node = _read_user_config(path, cfg, diags) if path else ({}, None)
    if diags.errors:
        raise ConfigError(diags)
    user = dict(user)
    if isinstance(user.get("theme"), str):  # `theme: material` is `theme: {name: material}`
        user["theme"] = {"name": user["theme"]}
    lang = user.pop("lang", None)           # `lang: ru`, a short way to say the theme's language
    if lang is not None and "language" not in (user.get("theme") or {}):
        user["theme"] = {**(user.get("theme") or {}), "language": lang}
    where = path or project.root

    def error(message: str, code: str, *keys) -> None:
        diags.error(where, *_locate(node, *keys), message, code)

    defaults = _defaults()
    if "docs_dir" in user:
        docs = Path(os.path.expanduser(str(user["docs_dir"])))
        docs = docs if docs.is_absolute() else project.root / docs
        if not docs.is_dir():
            error(f"docs_dir `{user['docs_dir']}` does not exist ({docs}); make it, or name the folder "
                  "that holds the pages and the TEI", "config.docs-dir", "docs_dir")
    else:
        docs = default_docs_dir(project)
        if docs is None:
            error("no docs_dir: there is no `source/` (or `docs/`) folder beside mkdocs.yml; put the "
                  "TEI in `source/tei/`, or add `docs_dir: FOLDER`", "config.docs-dir")
        else:
            defaults["docs_dir"] = str(docs)
    defaults["site_name"] = _title(project.root)
    theme = _theme_name(merge(defaults, user).get("theme"))
    if theme is not None and theme not in get_theme_names():
        error(f"unknown theme `{theme}`; write `theme: {{name: material, font: false}}` or leave "
              f"`theme` out (installed: {', '.join(sorted(get_theme_names()))})", "config.theme",
              "theme", "name")
    if diags.errors:
        raise ConfigError(diags)

    merged = merge(defaults, user)
    site = Path(site_dir or project.site_dir).resolve()
    inside = docs is not None and site.is_relative_to(docs.resolve())
    if inside:
        # the output beside the TEI (a folder of TEI files builds into its own site/): MkDocs must
        # not publish an earlier build again, nor teisite read its copies of the TEI
        rel = site.relative_to(docs.resolve()).as_posix()
        merged["exclude_docs"] = f"{merged.get('exclude_docs') or ''}\n/{rel}/\n".lstrip()
    cfg.load_dict(copy.deepcopy(merged))  # MkDocs changes what it is given (plugins' options)
    cfg.load_dict({**{k: v for k, v in overrides.items() if v is not None}, "site_dir": str(site)})
    errors, mkdocs_warnings = cfg.validate()
    holds = docs is not None and docs.resolve().is_relative_to(site)
    for name, problem in errors:
        if name == "site_dir" and (inside or holds):
            # inside: allowed above, the output is left out of the sources; holds: a build refuses
            # it before writing anything (site_dir_problem), and check or serve do not write there
            continue
        error(f"{name}: {problem}", f"config.{name.replace('_', '-')}", name)
    for name, problem in mkdocs_warnings:
        warnings.add("warning", where, *_locate(node, name), f"{name}: {problem}",
                             "config.mkdocs")
    if diags.errors:
        raise ConfigError(diags)

    for keys, message in offline_problems(cfg.theme.name, cfg.theme.get("font"), cfg.extra_css,
                                          cfg.extra_javascript, cfg.extra):
        error(message, "config.offline", *keys)
    if "teisite" not in cfg.plugins:
        error("`plugins` does not list teisite; add `- teisite` to it, or leave `plugins` out "
              "(search and teisite)", "config.plugins", "plugins")
    if diags.errors:
        raise ConfigError(diags)

    plugin = cfg.plugins["teisite"]
    plugin.quiet = project.quiet
    listed = user.get("plugins") or []
    if plugin.config.search and any(p in ("search", "material/search") or (isinstance(p, dict) and (
            "search" in p or "material/search" in p)) for p in (listed if isinstance(listed, list) else [listed])):
        warnings.add("info", where, *_locate(node, "plugins"), "the theme's `search` plugin listed in "
                     "`plugins` is not used: teisite's own search (Pagefind, one result per passage) "
                     "replaces it; remove `- search`, or set `teisite: {search: false}` to keep the "
                     "theme's", "config.search")
    for option in ("select", "ignore"):
        given = getattr(project, option)
        if given is not None:
            plugin.config[option] = given
        else:
            patterns = split_codes(plugin.config[option])
            unknown = unknown_codes(patterns)
            if unknown:
                error(f"teisite's `{option}` names {', '.join(f'`{u}`' for u in unknown)}, which "
                      f"teisite does not report; give codes such as `entry.unused` or families such "
                      f"as `entry.` ({families()})", "config.codes", "plugins")
                raise ConfigError(diags)
            plugin.config[option] = patterns
    if strict is not None:
        plugin.config.strict = strict
    elif project.config_file is None:
        plugin.config.strict = False  # a folder of TEI alone is a first look: problems do not stop it
    if not plugin.config.templates and (project.root / "templates").is_dir():
        plugin.config.templates = str(project.root / "templates")
    plugin.config_diagnostics = warnings  # reported with the build's own problems
    return cfg


def site_dir_problem(project: Project, config: MkDocsConfig, site: Path) -> str | None:
    """Why `site` must not be the output (a build replaces the whole folder), or None."""
    site = site.resolve()
    docs, root = Path(config.docs_dir).resolve(), project.root.resolve()
    folders = ((docs, "the project's source folder (docs_dir)"), (root, "the project folder"))
    for folder, what in folders:
        if site == folder:
            return f"the output folder {site} is {what}; a build replaces its output folder whole"
    for folder, what in folders:
        if site in folder.parents:
            return (f"the output folder {site} holds {what} {folder}; a build replaces its output "
                    "folder whole")
    # a folder of TEI alone builds into its own site/, which teisite and MkDocs leave out of the
    # sources; any other folder inside the sources may hold some
    if site.is_relative_to(docs) and site != root / "site":
        return (f"the output folder {site} is inside the project's source folder (docs_dir) {docs}; "
                "a build replaces its output folder whole")
    return None


def _title(folder: Path) -> str:
    return folder.name.replace("-", " ").replace("_", " ").strip().capitalize() or "TEI edition"

