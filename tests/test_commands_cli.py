"""The command line an editor expects (issue 27 item 6): --version, help for every option, an
empty project is an error, `eject` copies a shipped template into the project (and refuses,
writing nothing, what it cannot do)."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

from teisite import __version__
from teisite.commands import main, make_parser, shipped_templates
from teisite.render import DEFAULT_TEMPLATES


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "build.py"), *args], cwd=cwd, check=False,
                          capture_output=True, text=True, timeout=300)


def test_version():
    result = run("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"teisite {__version__}"


def test_every_option_of_every_command_has_help():
    parser = make_parser("teisite")
    (commands,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    missing = [f"{name} {'/'.join(a.option_strings) or a.dest}"
               for name, sub in [("teisite", parser), *commands.choices.items()]
               for a in sub._actions if not isinstance(a, argparse._HelpAction) and not a.help]
    assert not missing
    assert {"build", "check", "serve", "new", "eject"} <= set(commands.choices)


@pytest.mark.parametrize("command", ["build", "check"])
def test_an_empty_project_is_an_error(tmp_path, command):
    """`teisite` in an empty folder built "0 documents" and exited 0."""
    result = run(command, str(tmp_path))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip() == (f"error: no TEI files found under {tmp_path}; put the edition's TEI "
                                     f"files (*.xml) into {tmp_path}, or give the folder that holds them")
    assert list(tmp_path.iterdir()) == []
    project = tmp_path / "p"
    (project / "source" / "tei").mkdir(parents=True)
    (project / "mkdocs.yml").write_text("site_name: P\n", encoding="utf-8")
    result = run(command, str(project))
    assert result.returncode == 2 and f"into {project / 'source' / 'tei'}," in result.stderr
    assert not (project / "site").exists()


def test_eject_copies_a_shipped_template_that_then_overrides(tmp_path, capsys):
    assert main(["new", str(tmp_path / "p")]) == 0
    capsys.readouterr()
    assert main(["eject", "note", str(tmp_path / "p")]) == 0
    copied = tmp_path / "p" / "templates" / "behaviours" / "note.html"
    assert copied.read_bytes() == (DEFAULT_TEMPLATES / "behaviours" / "note.html").read_bytes()
    assert f"to {copied}" in capsys.readouterr().out
    assert main(["eject", "pages/entry.html", str(tmp_path / "p")]) == 0
    assert (tmp_path / "p" / "templates" / "pages" / "entry.html").exists()
    assert main(["check", str(tmp_path / "p")]) == 0  # the copies are the shipped ones: nothing to say
    assert "0 errors, 1 warning" in capsys.readouterr().out  # (the site_url a new project lacks)


@pytest.mark.parametrize("name, says", [
    ("nosuch", "error: teisite ships no template `nosuch`; `teisite eject --list` lists them"),
    ("notes", "error: teisite ships no template `notes`; did you mean "),
    ("note", "exists already: the project has its own behaviours/note.html; nothing was written"),
])
def test_eject_refuses_in_one_line_and_writes_nothing(tmp_path, capsys, name, says):
    folder = tmp_path / "p" / "templates" / "behaviours"
    folder.mkdir(parents=True)
    (folder / "note.html").write_text("mine", encoding="utf-8")
    before = sorted(tmp_path.rglob("*"))
    assert main(["eject", name, str(tmp_path / "p")]) == 2
    said = capsys.readouterr()
    assert said.out == "" and len(said.err.splitlines()) == 1 and says in said.err
    assert sorted(tmp_path.rglob("*")) == before and (folder / "note.html").read_text() == "mine"


def test_eject_lists_what_it_can_copy(capsys):
    assert main(["eject", "--list"]) == 0
    listed = capsys.readouterr().out.split()
    assert listed == shipped_templates()
    assert {"models.yml", "i18n.yml", "behaviours/note.html", "pages/entry.html"} <= set(listed)
    assert not [n for n in listed if n.startswith("assets/")]


def test_check_files_with_the_projects_registers(tmp_path):
    """`check FILE…` ("no such folder" before): those files, their references resolved against
    the project's registers, their problems only."""
    assert main(["new", str(tmp_path / "p")]) == 0
    letter = tmp_path / "p" / "source" / "tei" / "letter.xml"
    letter.write_text(letter.read_text(encoding="utf-8").replace('ref="persons.xml#john-hale"',
                                                                  'ref="persons.xml#john-hal"'), encoding="utf-8")
    result = run("check", str(letter), cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines and all(line.startswith(f"{letter}:") for line in lines[:-1])
    assert "did you mean `persons.xml#john-hale` (John Hale)?" in lines[0]
    places = tmp_path / "p" / "source" / "tei" / "places.xml"
    result = run("check", "source/tei/places.xml", cwd=tmp_path / "p")
    assert result.returncode == 0 and result.stdout.strip() == "0 errors, 0 warnings", result.stdout
    assert places.exists()


def test_check_of_a_file_outside_the_project_is_one_line(tmp_path):
    assert main(["new", str(tmp_path / "p")]) == 0
    stray = tmp_path / "stray.xml"
    stray.write_text("<TEI/>", encoding="utf-8")
    (tmp_path / "p" / "mkdocs.yml").rename(tmp_path / "mkdocs.yml")  # the project: tmp_path, sources in source/
    (tmp_path / "mkdocs.yml").write_text("site_name: P\ndocs_dir: p/source\n", encoding="utf-8")
    before = sorted(tmp_path.rglob("*"))
    result = run("check", str(stray), cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(f"error: {stray} is not a TEI file of the project {tmp_path}")
    assert sorted(tmp_path.rglob("*")) == before


def test_a_language_without_its_words_is_a_warning_listing_them(tmp_path, capsys):
    """`lang: de` fell back to English silently."""
    assert main(["new", str(tmp_path / "p")]) == 0
    config = tmp_path / "p" / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("lang: en", "lang: de"), encoding="utf-8")
    capsys.readouterr()
    assert main(["check", str(tmp_path / "p")]) == 0
    (line,) = [ln for ln in capsys.readouterr().out.splitlines() if "[config.lang]" in ln]
    assert line.startswith(f"{config}:1:1: warning: the interface's language `de` has no words for ")
    assert "authority, " in line and "never_mentioned" in line
    i18n = tmp_path / "p" / "templates" / "i18n.yml"
    i18n.parent.mkdir()
    i18n.write_text("authority: {de: Normdaten}\n", encoding="utf-8")
    assert main(["check", str(tmp_path / "p")]) == 0
    (line,) = [ln for ln in capsys.readouterr().out.splitlines() if "[config.lang]" in ln]
    assert "authority," not in line and "never_mentioned" in line
    config.write_text(config.read_text(encoding="utf-8").replace("lang: de", "lang: ru"), encoding="utf-8")
    assert main(["check", str(tmp_path / "p")]) == 0
    assert "[config.lang]" not in capsys.readouterr().out


def on_a_terminal(*args: str, cwd: Path) -> str:
    """What `build.py ARGS` writes to stderr when stderr is a terminal (a pty)."""
    import os
    import pty
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, str(REPO / "build.py"), *args], cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=slave, stdin=subprocess.DEVNULL)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the other end is closed: the process ended
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    assert proc.wait(timeout=300) == 0
    return out.decode("utf-8", "replace")


def test_progress_on_a_terminal_and_quiet_otherwise(tmp_path):
    """A 46 s build said nothing until it ended: on a terminal a line says what is being done
    (and is wiped at the end); with -q, or when stderr is not a terminal, there is none."""
    assert main(["new", str(tmp_path / "p")]) == 0
    said = on_a_terminal("build", "p", "--no-cache", cwd=tmp_path)
    assert "\rteisite: reading documents 3/3" in said and "\rteisite: writing pages " in said
    assert "built " not in said  # (stdout)
    assert "teisite: " not in on_a_terminal("build", "p", "-q", "--no-cache", cwd=tmp_path)
    piped = run("build", "p", "--no-cache", cwd=tmp_path)
    assert piped.returncode == 0 and "teisite: reading" not in piped.stderr
