"""Streamed pages made by the workers of a Dask cluster (`teisite build --executor ADDRESS`): each
worker process makes the site ready in memory once, from the build's own plan, up to where pages
are written, then makes and writes the batches of pages it is given."""

from __future__ import annotations

import logging

from .search import Facets, RecordFolder

_site: tuple | None = None  # (plan, MkDocs configuration) of the site this process last made ready


def make_batch(plan, srcs: list[str], records: str | None, lang: str) -> Facets:
    """A batch of streamed pages made and written into the plan's site folder, their search
    records into the folder `records` (both seen by the workers at the build's paths)."""
    global _site
    if _site is None or _site[0] != plan:
        if _site is not None:  # the last site's build ends as run_mkdocs ends one (MkDocs hands
            _site[1].plugins.on_shutdown()  # every configuration of a process the same plugins)
        _site = None
        _site = (plan, ready(plan))
    return _site[1].plugins["teisite"].stream_batch(srcs, RecordFolder(records, lang) if records else None)


def ready(plan):
    """The configuration of the plan's build after MkDocs' steps up to writing (the first half
    of mkdocs.commands.build.build, which has no function of its own): the edition loaded, every
    page's file, the navigation, every page read, the theme's environment. What MkDocs and
    teisite say of the site meanwhile, the build's own process says (once, to the editor)."""
    from mkdocs.commands.build import _populate_page, get_navigation
    from mkdocs.structure.files import InclusionLevel, get_files, set_exclusions
    from mkdocs.structure.pages import Page

    from .commands import configured

    said = logging.getLogger("mkdocs")
    level, said.level = said.level, logging.ERROR
    try:
        config = configured(plan)
        plugin = config.plugins["teisite"]
        plugin.remote = True  # it makes pages only: no downloads, no search index, no workers
        plugin.config.jobs = 1
        config.plugins.on_startup(command="build", dirty=False)
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        files = get_files(config)
        env = config.theme.get_env()
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        nav = get_navigation(files, config)
        nav = config.plugins.on_nav(nav, config=config, files=files)
        for file in files.documentation_pages(inclusion=InclusionLevel.is_included):
            if file.page is None and file.inclusion.is_not_in_nav():
                Page(None, file, config)
            _populate_page(file.page, config, files, False)
        config.plugins.on_env(env, config=config, files=files)
        return config
    finally:
        said.level = level
