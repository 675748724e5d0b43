"""`build.py serve`: rebuilds on a change; a markup error is shown on the page, not fatal to the server."""

from __future__ import annotations

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
    server = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", str(folder),
                               "--port", str(port)], cwd=tmp_path, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
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
