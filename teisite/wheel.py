"""The running teisite packed as a wheel, for a project to vendor (`teisite new` writes it into
`vendor/`, and the project's publishing workflows install it from there).

teisite is on no package index, so a workflow that says `pip install teisite==X` fails on the first
push (or installs a stranger's package of that name). A wheel in the project is the very teisite
that made it, installs with no network access to teisite's own source, and stays what it was until
the editor replaces it. The wheel is made from the package folder that is running (the files a
built wheel holds: the modules and the package data), with the distribution's metadata when
teisite is installed (also editable), else with what `pyproject.toml` beside the package says.
The same files give the same bytes (sorted names, fixed times), so re-vendoring changes nothing
in git unless teisite changed.
"""

from __future__ import annotations

import base64
import hashlib
import io
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
NAME = "teisite"
EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip holds: the same files give the same bytes
SKIP_DIRS = {"__pycache__"}
SKIP_SUFFIXES = {".pyc", ".pyo"}


def _from_pyproject() -> tuple[str, str, str]:
    """(version, METADATA, entry_points.txt) from the pyproject.toml beside the package."""
    path = PACKAGE.parent / "pyproject.toml"
    if not path.exists():
        raise RuntimeError("teisite is neither installed nor next to its pyproject.toml: "
                           "cannot pack it as a wheel")
    project = tomllib.loads(path.read_text(encoding="utf-8"))["project"]
    lines = ["Metadata-Version: 2.1", f"Name: {project['name']}", f"Version: {project['version']}",
             f"Summary: {project.get('description', '')}"]
    if "requires-python" in project:
        lines.append(f"Requires-Python: {project['requires-python']}")
    lines += [f"Requires-Dist: {dep}" for dep in project.get("dependencies", [])]
    groups = {"console_scripts": project.get("scripts", {}), **project.get("entry-points", {})}
    eps = "".join(f"[{group}]\n" + "".join(f"{k} = {v}\n" for k, v in items.items()) + "\n"
                  for group, items in groups.items() if items)
    return project["version"], "\n".join(lines) + "\n", eps


def _metadata() -> tuple[str, str, str]:
    """(version, METADATA, entry_points.txt) of the running teisite."""
    try:
        dist = metadata.distribution(NAME)
    except metadata.PackageNotFoundError:
        return _from_pyproject()
    meta = dist.read_text("METADATA") or dist.read_text("PKG-INFO")
    if not meta:
        return _from_pyproject()
    return dist.version, meta, dist.read_text("entry_points.txt") or ""


def package_files() -> list[tuple[str, Path]]:
    """(name in the wheel, file) of every file of the package, sorted: modules and package data."""
    out = []
    for path in sorted(PACKAGE.rglob("*")):
        rel = path.relative_to(PACKAGE)
        if path.is_file() and not SKIP_DIRS & set(rel.parts) and path.suffix not in SKIP_SUFFIXES:
            out.append((f"{NAME}/{rel.as_posix()}", path))
    return out


def _digest(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def build_wheel() -> tuple[str, bytes]:
    """The running teisite as (wheel file name, the wheel's bytes)."""
    version, meta, entry_points = _metadata()
    info = f"{NAME}-{version}.dist-info"
    entries = [(name, path.read_bytes()) for name, path in package_files()]
    entries += [(f"{info}/METADATA", meta.encode("utf-8")),
                (f"{info}/WHEEL", (b"Wheel-Version: 1.0\nGenerator: teisite.wheel\n"
                                   b"Root-Is-Purelib: true\nTag: py3-none-any\n")),
                (f"{info}/entry_points.txt", entry_points.encode("utf-8")),
                (f"{info}/top_level.txt", f"{NAME}\n".encode())]
    record = "".join(f"{name},{_digest(data)},{len(data)}\n" for name, data in entries)
    entries.append((f"{info}/RECORD", (record + f"{info}/RECORD,,\n").encode("utf-8")))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as wheel:
        for name, data in entries:
            item = zipfile.ZipInfo(name, EPOCH)
            item.external_attr = 0o644 << 16
            item.compress_type = zipfile.ZIP_DEFLATED
            wheel.writestr(item, data)
    return f"{NAME}-{version}-py3-none-any.whl", buffer.getvalue()
