"""Shared fixtures: paths, a built copy of the edition, a local HTTP server, Chromium for Playwright."""

from __future__ import annotations

import functools
import http.server
import re
import threading
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPORA = SHARED / "corpora"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def old_sites_gone(folder: Path, timeout: float = 60) -> list[str]:
    """The names in folder once the old sites a build swapped out are gone (a process of their
    own removes them after the build: commands.remove_later)."""
    deadline = time.monotonic() + timeout
    while any(p.name.startswith(".site.old-") for p in folder.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return sorted(p.name for p in folder.iterdir())


def build_site(project: Path | None, out: Path) -> Path:
    """Build a project with build.py's own code path; fail the test with the messages if it fails."""
    from teisite.commands import build
    from teisite.project import find_project
    code = build(find_project(project, out))
    assert code == 0, f"build of {project or REPO} failed"
    return out


def small_project(root: Path, files: dict[str, str | Path], lang: str = "en", name: str = "Test") -> Path:
    """A project in `root` of a few TEI files in source/tei/ (each its text, or a file to copy)
    with a short mkdocs.yml whose interface is in `lang`."""
    (root / "source" / "tei").mkdir(parents=True)
    for file, content in files.items():
        data = content.read_bytes() if isinstance(content, Path) else content.encode("utf-8")
        (root / "source" / "tei" / file).write_bytes(data)
    (root / "mkdocs.yml").write_text(
        f"site_name: {name}\ndocs_dir: source\ntheme: {{name: material, language: {lang}, font: false}}\n"
        f"plugins: [search, {{teisite: {{lang: {lang}}}}}]\nmarkdown_extensions: [attr_list, md_in_html, toc]\n",
        encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def edition_site(tmp_path_factory) -> Path:
    """The repository's own edition, built once per test run."""
    return build_site(None, tmp_path_factory.mktemp("edition") / "site")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(folder: Path):
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="session")
def site_url(edition_site):
    """The edition served from 127.0.0.1 (search needs http, not file://)."""
    server, url = serve(edition_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright launches Debian's Chromium (Playwright's own download fails here)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True,
            "args": CHROMIUM_ARGS}


@pytest.fixture
def watched(page, site_url: str):
    """The page, recording console errors, page errors and every request's host."""
    log = {"errors": [], "requests": []}
    page.on("console", lambda m: m.type == "error" and log["errors"].append(m.text))
    page.on("pageerror", lambda e: log["errors"].append(str(e)))
    page.on("request", lambda r: log["requests"].append(r.url))
    yield page, log
    assert not log["errors"], log["errors"]
    foreign = [u for u in log["requests"] if not re.match(r"(https?://127\.0\.0\.1[:/]|data:|blob:)", u)]
    assert not foreign, foreign
