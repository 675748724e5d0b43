"""The HTML contract: warns when a project's template drops what teisite.js or teisite.css relies on."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from .diagnostics import Diagnostics
from .models import Loader

CONTRACT = "contract.yml"


def load_contract(shipped_dir: Path) -> dict[str, dict[str, str]]:
    """Per template (`behaviours/mention.html`), its markers and what stops working without each."""
    return yaml.load((shipped_dir / CONTRACT).read_text(encoding="utf-8"), Loader=Loader) or {}


def keeps(source: str, marker: str) -> bool:
    """Whether a template's source has the marker as a whole word (`mention-link` does not keep
    `mention`, nor `note.anchor` `note`), spaces aside (`{{kind}}` keeps `{{ kind }}`)."""
    body = r"\s*".join(map(re.escape, marker.split()))
    return re.search(rf"(?<![\w.-]){body}(?![\w.-])", source) is not None


def check_contract(template_dirs: list[Path], shipped_dir: Path, diags: Diagnostics) -> None:
    """Warn, at each template a project overrides, about every marker of the contract it lacks."""
    shipped = shipped_dir.resolve()
    for name, markers in load_contract(shipped_dir).items():
        first = next((d for d in template_dirs if (d / name).is_file()), None)
        if first is None or first.resolve() == shipped:
            continue
        path = first / name
        source = path.read_text(encoding="utf-8", errors="replace")
        for marker, why in markers.items():
            if not keeps(source, marker):
                diags.warning(path, 1, 1, f"{name} lacks `{marker}`: {why}; keep it "
                              "(teisite/templates/contract.yml lists what teisite.js and teisite.css rely on)",
                              "template.contract")
