"""Located problems (errors and warnings) and notices (info), collected, sorted and printed for
editors and tools."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

FATAL = ("parse.", "models.", "config.", "template.")


@dataclass(frozen=True)
class Place:
    """Another place a problem concerns (the first use of a duplicate id): 1-based line and column."""

    path: str
    line: int
    col: int


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at one place: printed as `path:line:col: severity: message [code]`.

    Line and column count from 1. `end_line`/`end_col`, when known, is where the offending
    text ends (the end of an element's start tag, or of an attribute's value), counted as
    SARIF and LSP count it: the column just after its last character. `related` is another
    place the message names. Neither makes a problem another one: two reports of one problem
    at one place are one."""

    path: str
    line: int
    col: int
    severity: str  # "error", "warning" or "info" (a notice: what the build did on purpose; never fails it)
    message: str
    code: str
    end_line: int | None = field(default=None, compare=False)
    end_col: int | None = field(default=None, compare=False)
    related: Place | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message} [{self.code}]"

    def as_json(self) -> dict:
        related = self.related
        return {"path": self.path, "line": self.line, "col": self.col, "end_line": self.end_line,
                "end_col": self.end_col, "severity": self.severity, "message": self.message,
                "code": self.code, "related": None if related is None else
                {"path": related.path, "line": related.line, "col": related.col}}


# (line, col) or (line, col, end_line, end_col), as parsing.location and parsing.span give them
# (an end not found is None)
Position = tuple[int, int] | tuple[int, int, int | None, int | None]


def _end(at: Position) -> tuple[int, int] | None:
    return (at[2], at[3]) if len(at) == 4 and at[2] and at[3] else None


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
            message: str, code: str, end: tuple[int, int] | None = None,
            related: tuple[str | Path, int, int] | None = None) -> None:
        """One problem; a line or column not known (None, 0) is 1: the file's start, where an
        editor jumps anyway."""
        end_line, end_col = end if end else (None, None)
        self._append(Diagnostic(str(path), max(line or 1, 1), max(col or 1, 1), severity, message,
                                code, end_line, end_col,
                                Place(str(related[0]), max(related[1] or 1, 1), max(related[2] or 1, 1))
                                if related else None))

    def error(self, path, line, col, message: str, code: str, **where) -> None:
        self.add("error", path, line, col, message, code, **where)

    def warning(self, path, line, col, message: str, code: str, **where) -> None:
        self.add("warning", path, line, col, message, code, **where)

    def info(self, path, line, col, message: str, code: str, **where) -> None:
        """A notice, not a problem: something the build did on purpose that an editor should
        know (words it leaves out by design). It never stops a build, strict or not."""
        self.add("info", path, line, col, message, code, **where)

    def error_at(self, path, at: Position, message: str, code: str, **where) -> None:
        """An error at a parsing.span (or location): its start, and its end when it has one; in
        the file the span names, when it names one (content an xi:include brought in)."""
        path = getattr(at, "path", None) or path
        self.add("error", path, at[0], at[1], message, code, end=_end(at), **where)

    def warning_at(self, path, at: Position, message: str, code: str, **where) -> None:
        path = getattr(at, "path", None) or path
        self.add("warning", path, at[0], at[1], message, code, end=_end(at), **where)

    def info_at(self, path, at: Position, message: str, code: str, **where) -> None:
        self.add("info", path, at[0], at[1], message, code, end=_end(at), **where)

    def extend(self, other: Diagnostics) -> None:
        for item in other.items:
            self._append(item)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]

    @property
    def infos(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "info"]

    def blocking(self, strict: bool = True) -> list[Diagnostic]:
        """The errors that stop a build: all of them, or when not strict only those that make
        pages impossible (unreadable files, a broken model table, configuration or templates)."""
        return [d for d in self.errors if strict or d.code.startswith(FATAL)]

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.items)

    def summary(self) -> str:
        e, w, i = len(self.errors), len(self.warnings), len(self.infos)
        return f"{e} error{'s' * (e != 1)}, {w} warning{'s' * (w != 1)}" + (f", {i} info" if i else "")

    def lines(self, most: int | None = None) -> list[str]:
        """Each problem as a line, sorted. With `most`, every error but at most `most` warnings
        and notices of each code, the rest counted in a line of their own (a large corpus has
        thousands of the same notice, which would hide the errors)."""
        items, kept = self.sorted(), Counter()
        if most is None:
            return list(map(str, items))
        out = []
        for d in items:
            kept[(d.severity, d.code)] += 1
            if d.severity == "error" or kept[(d.severity, d.code)] <= most:
                out.append(str(d))
        for (severity, code), n in sorted(kept.items(), key=lambda kv: (kv[0][0] != "warning", kv[0][1])):
            if severity != "error" and n > most:
                word = {"warning": "warnings", "info": "notices"}.get(severity, severity)
                out.append(f"… and {n - most} more {word} [{code}] like those above: "
                           "`check` lists every one")
        return out

    def format(self, fmt: str = "text", most: int | None = None) -> str:
        """All problems (with `most`, as lines() gives them) and the summary; or, as JSON, all."""
        if fmt == "json":
            return json.dumps({"diagnostics": [d.as_json() for d in self.sorted()],
                               "errors": len(self.errors), "warnings": len(self.warnings),
                               "infos": len(self.infos)},
                              ensure_ascii=False, indent=2)
        return "\n".join([*self.lines(most), self.summary()])


class BuildError(Exception):
    """A build stopped by errors; carries the diagnostics that explain why."""

    def __init__(self, diagnostics: Diagnostics):
        super().__init__(diagnostics.format())
        self.diagnostics = diagnostics
