"""Validation against TEI P5 (tei_all.rng) or a project's RELAX NG schema: jing when present, else lxml."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from lxml import etree

from .diagnostics import Diagnostics
from .parsing import make_parser

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SCHEMA = REPO.parent / "shared" / "schema" / "tei_all.rng"
_JING_LINE = re.compile(r"^(.*?):(\d+):(\d+): (error|warning|fatal): (.*)$")


def validate_files(files: list[Path], schema: str | Path | None, diags: Diagnostics) -> None:
    """Add a located error for every place where a file breaks the schema."""
    rng = Path(schema) if schema else DEFAULT_SCHEMA
    if not rng.exists():
        diags.error(rng, 0, 0, "schema not found; give one with --schema PATH (e.g. tei_all.rng "
                    "of TEI P5)", "config.schema")
        return
    jing = shutil.which("jing")
    if jing:
        out = subprocess.run([jing, str(rng), *map(str, files)], check=False, capture_output=True,
                             text=True)
        for line in (out.stdout + out.stderr).splitlines():
            m = _JING_LINE.match(line)
            if m:
                diags.error(m.group(1), int(m.group(2)), int(m.group(3)),
                            f"not valid against {rng.name}: {m.group(5)}", "schema.invalid")
        return
    relaxng = etree.RelaxNG(etree.parse(str(rng)))
    for path in files:
        doc = etree.ElementTree(etree.fromstring(Path(path).read_bytes(), make_parser()))
        if not relaxng.validate(doc):
            for e in relaxng.error_log:
                diags.error(path, e.line, e.column, f"not valid against {rng.name}: {e.message}",
                            "schema.invalid")
