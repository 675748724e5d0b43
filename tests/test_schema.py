"""Validation against a RELAX NG schema: located errors, by jing or by lxml alike."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from teisite import schema
from teisite.diagnostics import Diagnostics

RNG = """<grammar xmlns="http://relaxng.org/ns/structure/1.0" ns="http://www.tei-c.org/ns/1.0">
  <start><element name="TEI"><oneOrMore><element name="p"><text/></element></oneOrMore></element></start>
</grammar>"""


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path, Path]:
    rng = tmp_path / "tiny.rng"
    rng.write_text(RNG)
    good, bad = tmp_path / "good.xml", tmp_path / "bad.xml"
    good.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><p>a</p></TEI>')
    bad.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<p>a</p>\n<q>b</q></TEI>')
    return rng, good, bad


@pytest.mark.parametrize("validator", ["jing", "lxml"])
def test_invalid_file_is_located(files, validator, monkeypatch):
    if validator == "lxml":
        monkeypatch.setattr(shutil, "which", lambda name: None)
    elif shutil.which("jing") is None:
        pytest.skip("jing is not installed")
    rng, good, bad = files
    diags = Diagnostics()
    schema.validate_files([good, bad], rng, diags)
    (d,) = diags.errors
    assert (Path(d.path).name, d.line, d.code) == ("bad.xml", 3, "schema.invalid")
    assert "tiny.rng" in d.message


def test_missing_schema_says_how_to_give_one(tmp_path):
    diags = Diagnostics()
    schema.validate_files([], tmp_path / "nope.rng", diags)
    assert "--schema PATH" in diags.errors[0].message
