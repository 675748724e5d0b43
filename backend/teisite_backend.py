"""teisite's build backend: setuptools', run in a copy of the sources in a temporary folder, so
that `pip install ./teisite` writes nothing (no build/, no *.egg-info) into the clone.

Editable installs (`pip install -e .`, which `make` uses) must point at the clone itself, so they
go to setuptools as they are.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from setuptools import build_meta as _setuptools

SOURCES = ("pyproject.toml", "README.md", "teisite", "backend")


@contextmanager
def _elsewhere():
    """The sources copied into a temporary folder, which is the current one meanwhile."""
    here = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="teisite-build-") as tmp:
        for name in SOURCES:
            src = here / name
            if src.is_dir():
                shutil.copytree(src, Path(tmp) / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            elif src.exists():
                shutil.copy2(src, Path(tmp) / name)
        os.chdir(tmp)
        try:
            yield
        finally:
            os.chdir(here)


def _absolute(folder: str) -> str:
    return str(Path(folder).resolve())


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    wheel_directory = _absolute(wheel_directory)
    metadata_directory = _absolute(metadata_directory) if metadata_directory else None
    with _elsewhere():
        return _setuptools.build_wheel(wheel_directory, config_settings, metadata_directory)


def build_sdist(sdist_directory, config_settings=None):
    sdist_directory = _absolute(sdist_directory)
    with _elsewhere():
        return _setuptools.build_sdist(sdist_directory, config_settings)


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    metadata_directory = _absolute(metadata_directory)
    with _elsewhere():
        return _setuptools.prepare_metadata_for_build_wheel(metadata_directory, config_settings)


def get_requires_for_build_wheel(config_settings=None):
    with _elsewhere():
        return _setuptools.get_requires_for_build_wheel(config_settings)


def get_requires_for_build_sdist(config_settings=None):
    with _elsewhere():
        return _setuptools.get_requires_for_build_sdist(config_settings)


# editable: the clone itself is what is installed
build_editable = _setuptools.build_editable
get_requires_for_build_editable = _setuptools.get_requires_for_build_editable
prepare_metadata_for_build_editable = _setuptools.prepare_metadata_for_build_editable
