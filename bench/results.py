"""bench/RESULTS.md, the benchmark's log: each run of a bench script adds a dated section at its top.

The sections written by hand (the analyses of the targets) stay below the marker line; a new
result goes just under it, so the newest is first.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
MARKER = "<!-- new results go below this line -->\n"


def revision() -> str:
    """The checkout's commit (with `+` when it has changes), or `?` outside git."""
    repo = RESULTS.parent.parent
    head = subprocess.run(["git", "-C", str(repo), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True, check=False).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(repo), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True, check=False).stdout.strip()
    return (head or "?") + ("+" if dirty else "")


def record(script: str, command: str, body: str, path: Path = RESULTS) -> None:
    """Put `body` (Markdown) under the marker of `path` as a section naming the script, the time
    (UTC), the command that ran and the revision."""
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    section = (f"## {script}, {stamp}\n\n`{command}`, teisite at {revision()}\n\n"
               f"{body.strip()}\n\n")
    text = path.read_text(encoding="utf-8")
    if MARKER not in text:
        text = text.rstrip("\n") + "\n\n" + MARKER
    head, tail = text.split(MARKER, 1)
    path.write_text(head + MARKER + "\n" + section + tail.lstrip("\n"), encoding="utf-8")
