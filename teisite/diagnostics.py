"""Located problems (errors and warnings), collected, sorted and printed for editors and tools."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

FATAL = ("parse.", "models.", "config.", "template.")


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at one place: printed as `path:line:col: severity: message [code]`."""

    path: str
    line: int
    col: int
    severity: str  # "error" or "warning"
    message: str
    code: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message} [{self.code}]"


@dataclass
class Diagnostics:
    """All problems of one run; a build with any error fails."""

    items: list[Diagnostic] = field(default_factory=list)
    _seen: set[Diagnostic] = field(default_factory=set, repr=False)

    def _append(self, item: Diagnostic) -> None:
        if item not in self._seen:  # the same problem found twice is one problem
            self._seen.add(item)
            self.items.append(item)

    def add(self, severity: str, path: str | Path, line: int | None, col: int | None,
            message: str, code: str) -> None:
        self._append(Diagnostic(str(path), line or 0, col or 0, severity, message, code))

    def error(self, path, line, col, message: str, code: str) -> None:
        self.add("error", path, line, col, message, code)

    def warning(self, path, line, col, message: str, code: str) -> None:
        self.add("warning", path, line, col, message, code)

    def extend(self, other: Diagnostics) -> None:
        for item in other.items:
            self._append(item)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]

    def blocking(self, strict: bool = True) -> list[Diagnostic]:
        """The errors that stop a build: all of them, or when not strict only those that make
        pages impossible (unreadable files, a broken model table, configuration or templates)."""
        return [d for d in self.errors if strict or d.code.startswith(FATAL)]

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.items)

    def summary(self) -> str:
        e, w = len(self.errors), len(self.warnings)
        return f"{e} error{'s' * (e != 1)}, {w} warning{'s' * (w != 1)}"

    def format(self, fmt: str = "text") -> str:
        items = self.sorted()
        if fmt == "json":
            return json.dumps({"diagnostics": [asdict(d) for d in items],
                               "errors": len(self.errors), "warnings": len(self.warnings)},
                              ensure_ascii=False, indent=2)
        return "\n".join([*map(str, items), self.summary()])


class BuildError(Exception):
    """A build stopped by errors; carries the diagnostics that explain why."""

    def __init__(self, diagnostics: Diagnostics):
        super().__init__(diagnostics.format())
        self.diagnostics = diagnostics
