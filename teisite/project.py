"""A project: where its TEI, configuration and templates are, and its MkDocs configuration."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = Path(__file__).resolve().parent / "defaults" / "mkdocs.yml"


@dataclass
class Project:
    """A project folder (source/tei/, maybe mkdocs.yml and templates/), or any folder of TEI files."""

    root: Path
    config_file: Path          # the project's mkdocs.yml, or teisite's defaults
    docs_dir: Path | None      # None: the config's own docs_dir
    site_dir: Path

    @property
    def own_config(self) -> bool:
        return self.config_file != DEFAULT_CONFIG


def find_project(path: str | Path | None = None, out: str | Path | None = None) -> Project:
    root = Path(path).resolve() if path else REPO
    if not root.is_dir():
        raise FileNotFoundError(f"{root}: no such folder; give a project folder or a folder of TEI files")
    config = root / "mkdocs.yml"
    if config.exists():
        project = Project(root, config, None, root / "site")
    else:
        source = root / "source"
        project = Project(root, DEFAULT_CONFIG, source if (source / "tei").is_dir() else root,
                          root / "site")
    if out:
        project.site_dir = Path(out).resolve()
    elif not project.own_config and path:
        # a folder of someone else's TEI: never write into it unless asked
        project.site_dir = Path.cwd() / "site"
    return project


def mkdocs_config(project: Project, site_dir: Path | None = None, **overrides) -> MkDocsConfig:
    """The MkDocs configuration of a project, with teisite's plugin in it."""
    kwargs = dict(overrides)
    kwargs["site_dir"] = str(site_dir or project.site_dir)
    if project.docs_dir is not None:
        kwargs["docs_dir"] = str(project.docs_dir)
        if not project.own_config:
            kwargs.setdefault("site_name", _title(project.docs_dir))
    config = load_config(config_file=str(project.config_file), **kwargs)
    if "teisite" not in config.plugins:
        raise ValueError(f"{project.config_file}: `teisite` is not among its plugins; add "
                         "`- teisite` under `plugins:`")
    plugin = config.plugins["teisite"]
    if not project.own_config and (project.root / "templates").is_dir():
        plugin.config.templates = str(project.root / "templates")
    return config


def _title(folder: Path) -> str:
    return folder.name.replace("-", " ").replace("_", " ").strip().capitalize() or "TEI edition"
