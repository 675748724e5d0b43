"""`build.py serve`: rebuilds on a change; a markup error is shown on the page, not fatal to the server."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import REPO

TEI = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title>'
       '</titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc>'
       '</teiHeader><text><body><p>{}</p></body></text></TEI>')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch_until(url: str, predicate, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    body = ""
    while time.monotonic() < deadline:
        try:
            body = urllib.request.urlopen(url, timeout=5).read().decode("utf-8")
            if predicate(body):
                return body
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} never showed what was expected; last page:\n{body[:2000]}")


def test_serve_rebuilds_and_shows_errors_until_fixed(tmp_path: Path):
    folder = tmp_path / "tei"
    folder.mkdir()
    text = folder / "letter.xml"
    text.write_text(TEI.format("First words."), encoding="utf-8")
    port = free_port()
    temp = tmp_path / "tmp"
    temp.mkdir()
    server = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", str(folder),
                               "--port", str(port)], cwd=tmp_path, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, env={**os.environ, "TMPDIR": str(temp)})
    url = f"http://127.0.0.1:{port}/texts/letter/"
    try:
        fetch_until(url, lambda b: "First words." in b)
        text.write_text(TEI.format("Second words."), encoding="utf-8")
        fetch_until(url, lambda b: "Second words." in b)
        text.write_text(TEI.format("<hi>Broken words.</p>"), encoding="utf-8")
        page = fetch_until(url, lambda b: "teisite-errors" in b)
        assert "letter.xml:1:" in page and "[parse.syntax]" in page
        assert server.poll() is None, "a markup error must not stop the server"
        text.write_text(TEI.format("Mended words."), encoding="utf-8")
        page = fetch_until(url, lambda b: "Mended words." in b)
        assert "teisite-errors" not in page
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0]
    assert "[parse.syntax]" in output, "the terminal shows the located message too"
    assert sorted(p.name for p in folder.iterdir()) == ["letter.xml"], "nothing written to sources"
    lines = output.splitlines()
    assert lines[0] == f"serving {folder} at http://127.0.0.1:{port}/ (Ctrl+C stops)", lines
    assert re.fullmatch(r"built in \d+\.\d s", lines[1]), lines
    assert any(re.fullmatch(r"rebuilt in \d+\.\d s \([1-9]\d* pages? written\)", ln) for ln in lines), lines
    assert any(re.fullmatch(r"rebuilt in \d+\.\d s with 1 error, 0 warnings; every page shows the errors "
                            r"until they are fixed", ln) for ln in lines), lines
    fixed = [ln for ln in lines if ln.startswith("fixed: ")]
    assert len(fixed) == 1 and re.fullmatch(r"fixed: [1-9]\d* pages rebuilt in \d+\.\d s", fixed[0]), lines
    assert lines[-1] == "stopped" and "Traceback" not in output
    deadline = time.monotonic() + 30  # (removed in the background: serve stops at once on SIGTERM)
    while list(temp.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not list(temp.iterdir()), "the served site is removed when serve stops"


def serve_process(folder: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", str(folder), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_busy_port_is_one_line_with_a_free_one_to_try(tmp_path: Path):
    folder = tmp_path / "tei"
    folder.mkdir()
    (folder / "letter.xml").write_text(TEI.format("Words."), encoding="utf-8")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = serve_process(folder, "--port", str(port))
        try:
            _, err = server.communicate(timeout=60)
        finally:
            server.kill()
    assert server.returncode == 2
    (line,) = err.strip().splitlines()
    match = re.fullmatch(rf"error: port {port} is in use; try --port (\d+)", line)
    assert match and int(match[1]) > port, line


def test_a_bad_config_stops_serve_before_it_starts(tmp_path: Path):
    root = tmp_path / "proj"
    (root / "source").mkdir(parents=True)
    (root / "mkdocs.yml").write_text("site_name: X\ntheme: mkdocs\n", encoding="utf-8")
    server = serve_process(root, "--port", str(free_port()))
    try:
        _, err = server.communicate(timeout=60)
    finally:
        server.kill()
    assert server.returncode == 1 and "Traceback" not in err
    assert err.strip() == f"{root / 'mkdocs.yml'}:2:8: error: the `mkdocs` theme loads highlight.js from a " \
                          "CDN and teisite's pages are made for Material; write `theme: {name: material, " \
                          "font: false}` [config.offline]"


def test_sigterm_stops_serve_at_once_even_while_it_rebuilds(tmp_path: Path):
    """SIGTERM took 16 s to stop `serve` (it waited for the search index being written): now the
    process is gone within 2 s of the signal, and the served site is removed."""
    import signal
    folder = tmp_path / "tei"
    folder.mkdir()
    for i in range(30):
        (folder / f"letter{i}.xml").write_text(TEI.format(f"Words of letter {i}. " * 200), encoding="utf-8")
    port = free_port()
    temp = tmp_path / "tmp"
    temp.mkdir()
    server = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", str(folder), "--port", str(port)],
                              cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              env={**os.environ, "TMPDIR": str(temp)})
    try:
        fetch_until(f"http://127.0.0.1:{port}/texts/letter0/", lambda b: "Words of letter 0." in b)
        (folder / "letter0.xml").write_text(TEI.format("Changed words. " * 200), encoding="utf-8")
        time.sleep(0.6)  # the change is seen (every 0.25 s) and the rebuild has begun
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=2)
    finally:
        if server.poll() is None:
            server.kill()
        output = server.communicate(timeout=20)[0]
    assert "Traceback" not in output, output
    deadline = time.monotonic() + 30
    while list(temp.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not list(temp.iterdir()), "the served site is removed"


def test_a_templates_folder_made_while_serving_is_watched(tmp_path: Path):
    """A project that had no templates/ beside its mkdocs.yml when serve started: the folder made
    meanwhile is read at once, and its later edits too (MkDocs' watcher sees no folder that did
    not exist when it started)."""
    from conftest import small_project
    root = small_project(tmp_path / "p", {"letter.xml": TEI.format("Some words.")})
    port = free_port()
    server = serve_process(root, "--port", str(port))
    url = f"http://127.0.0.1:{port}/"
    try:
        fetch_until(url, lambda b: "<html" in b)
        (root / "templates").mkdir()
        (root / "templates" / "i18n.yml").write_text("home: {en: Homestead}\n", encoding="utf-8")
        fetch_until(url, lambda b: "Homestead" in b)
        (root / "templates" / "i18n.yml").write_text("home: {en: Hearth}\n", encoding="utf-8")
        fetch_until(url, lambda b: "Hearth" in b)
    finally:
        server.terminate()
        server.communicate(timeout=20)
