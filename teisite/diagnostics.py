"""Located problems (errors and warnings) and notices (info), collected, sorted and printed for
editors and tools."""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

FATAL = ("parse.", "models.", "config.", "template.")
# what ends a file's name, not a code (`models.yml`, `entry.html`)
_FILE_SUFFIXES = {"yml", "html", "xml", "md", "txt", "json", "js", "css", "py", "rng", "gz",
                  "zip", "csv", "png", "svg", "jsonld", "whl", "toml", "cfg"}
_NOT_CODES = {"mkdocs.yaml"}


@functools.cache
def known_codes() -> frozenset[str]:
    """Every problem code teisite can report: the `family.name` strings of its own modules (read
    from them, so that a new code is known the moment it is written), of the families that some
    report names last (`..., "entry.unused")`, or before its keywords)."""
    sources = [p.read_text(encoding="utf-8") for p in Path(__file__).resolve().parent.glob("*.py")]
    literal = r'"([a-z]+\.[a-z][a-z-]*)"'
    found = {m for s in sources for m in re.findall(literal, s)
             if m.rsplit(".", 1)[1] not in _FILE_SUFFIXES and m not in _NOT_CODES}
    reported = {m.split(".")[0] for s in sources for m in re.findall(literal + r"\s*(?:\)|,\s*\w+=)", s)}
    return frozenset(c for c in found if c.split(".")[0] in reported)


def code_matches(code: str, pattern: str) -> bool:
    """A code is matched by itself, by its family with or without the dot (`entry.`, `entry`)."""
    family = pattern if pattern.endswith(".") else pattern + "."
    return code == pattern or code.startswith(family)


def split_codes(values: list[str] | str | None) -> list[str]:
    """`a,b` and repeated options, as one list of patterns."""
    if values is None:
        return []
    items = [values] if isinstance(values, str) else values
    return [p.strip() for v in items for p in str(v).split(",") if p.strip()]


def unknown_codes(patterns: list[str]) -> list[str]:
    """The patterns that match no code teisite knows."""
    codes = known_codes()
    return [p for p in patterns if not any(code_matches(c, p) for c in codes)]


def families() -> str:
    return ", ".join(sorted({c.split(".")[0] + "." for c in known_codes()}))


@dataclass(frozen=True)
class CodeFilter:
    """Which problems are reported (`--select`, `--ignore`, and the plugin's `select`/`ignore`):
    with `select`, only those it matches; never those `ignore` matches. An error that stops even
    a lenient build (an unreadable file, the table, a template, the configuration) is always
    reported: nothing could be built past it."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    def keeps(self, d: Diagnostic) -> bool:
        if d.severity == "error" and d.code.startswith(FATAL):
            return True
        if self.select and not any(code_matches(d.code, p) for p in self.select):
            return False
        return not any(code_matches(d.code, p) for p in self.ignore)


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

    def keep_only(self, codes: CodeFilter) -> Diagnostics:
        """Drop, in place, the problems the filter does not keep (and return self)."""
        if codes.select or codes.ignore:
            self.items = [d for d in self.items if codes.keeps(d)]
            self._seen = set(self.items)
        return self

    def by_code(self) -> list[tuple[str, str, int]]:
        """(code, severity, how many) of each, errors first, then the most frequent."""
        counts = Counter((d.code, d.severity) for d in self.items)
        rank = {"error": 0, "warning": 1, "info": 2}
        return [(code, sev, n) for (code, sev), n in
                sorted(counts.items(), key=lambda kv: (rank.get(kv[0][1], 3), -kv[1], kv[0][0]))]

    def code_summary(self) -> str:
        """One line of the problems by code, when they are of more than one code."""
        rows = self.by_code()
        if len(rows) < 2:
            return ""
        words = {"error": ("error", "errors"), "warning": ("warning", "warnings"), "info": ("notice", "notices")}
        return "by code: " + "; ".join(f"{code} {n:,} {words.get(sev, (sev, sev))[n != 1]}"
                                       for code, sev, n in rows)

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
                               "infos": len(self.infos),
                               "by_code": {code: n for code, _, n in self.by_code()}},
                              ensure_ascii=False, indent=2)
        by_code = self.code_summary()
        return "\n".join([*self.lines(most), *([by_code] if by_code else []), self.summary()])


class BuildError(Exception):
    """A build stopped by errors; carries the diagnostics that explain why."""

    def __init__(self, diagnostics: Diagnostics):
        super().__init__(diagnostics.format())
        self.diagnostics = diagnostics
