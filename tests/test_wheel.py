"""teisite/wheel.py: the running teisite packed as a wheel for a project to vendor (issue 27 item 1)."""

from __future__ import annotations

import base64
import hashlib
import io
import zipfile

from conftest import REPO

from teisite import wheel


def test_the_wheel_holds_every_module_and_all_package_data():
    name, data = wheel.build_wheel()
    assert name.startswith("teisite-") and name.endswith("-py3-none-any.whl")
    names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    for required in ("teisite/commands.py", "teisite/templates/models.yml", "teisite/schema/tei_all.rng",
                     "teisite/starter/project/dot-gitlab-ci.yml", "teisite/defaults/mkdocs.yml"):
        assert required in names
    on_disk = {f"teisite/{p.relative_to(REPO / 'teisite').as_posix()}" for p in (REPO / "teisite").rglob("*")
               if p.is_file() and "__pycache__" not in p.parts}
    assert on_disk <= names
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)


def test_the_record_matches_the_files_and_the_entry_points_are_there():
    name, data = wheel.build_wheel()
    z = zipfile.ZipFile(io.BytesIO(data))
    info = name.split("-py3")[0] + ".dist-info"
    record = z.read(f"{info}/RECORD").decode().splitlines()
    assert record[-1] == f"{info}/RECORD,,"
    assert len(record) == len(z.namelist())
    for line in record[:-1]:
        path, digest, size = line.rsplit(",", 2)
        content = z.read(path)
        assert int(size) == len(content)
        assert digest == "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(content).digest()).rstrip(b"=").decode()
    entry_points = z.read(f"{info}/entry_points.txt").decode()
    assert "teisite = teisite.commands:cli" in entry_points
    assert "teisite = teisite.plugin:TeisitePlugin" in entry_points
    assert "Tag: py3-none-any" in z.read(f"{info}/WHEEL").decode()
    assert "Requires-Dist: lxml" in z.read(f"{info}/METADATA").decode()


def test_the_same_files_give_the_same_bytes():
    assert wheel.build_wheel() == wheel.build_wheel()


def test_without_installed_metadata_pyproject_says_it(monkeypatch):
    def missing(_name):
        raise wheel.metadata.PackageNotFoundError(_name)
    monkeypatch.setattr(wheel.metadata, "distribution", missing)
    name, data = wheel.build_wheel()
    z = zipfile.ZipFile(io.BytesIO(data))
    info = name.split("-py3")[0] + ".dist-info"
    assert "Requires-Dist: Jinja2>=3.1" in z.read(f"{info}/METADATA").decode()
    assert "[console_scripts]\nteisite = teisite.commands:cli" in z.read(f"{info}/entry_points.txt").decode()
