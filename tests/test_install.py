"""teisite installed anywhere: pip-installed into a fresh venv outside the checkout, it builds the seed
edition from a short mkdocs.yml (with `mkdocs build` and with `teisite build`), and `teisite new`
then `teisite build` make a complete site. Nothing may come from the checkout."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
import venv
from pathlib import Path

import pytest
from conftest import REPO

pytestmark = pytest.mark.install

# what pip says when it cannot reach a registry; any other failure is a failure of the test
NETWORK = re.compile(r"NewConnectionError|Failed to establish a new connection|Temporary failure in name "
                     r"resolution|Name or service not known|Max retries exceeded|ConnectTimeout|ReadTimeout"
                     r"|ProxyError|Network is unreachable|Connection refused|Could not fetch URL")
SHORT_CONFIG = """site_name: Seed
docs_dir: source
theme: {name: material, font: false}
plugins: [search, teisite]
"""


def run(args: list, cwd: Path, timeout: int = 120) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)


def ok(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, f"{' '.join(result.args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A venv with teisite pip-installed from a copy of what the checkout packages; its bin/."""
    root = tmp_path_factory.mktemp("install")
    source = root / "src"
    source.mkdir()
    # the files the package is built from, so that building it writes nothing into the checkout
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    for name in ("teisite", "backend"):  # the package, and the build backend pyproject.toml names
        shutil.copytree(REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    before = sorted(p.relative_to(source) for p in source.rglob("*"))
    env = root / "venv"
    venv.EnvBuilder(with_pip=True).create(env)
    bin_ = env / "bin"
    result = run([bin_ / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                  source], cwd=root, timeout=300)
    if result.returncode != 0 and NETWORK.search(result.stdout + result.stderr):
        pytest.skip(f"pip cannot reach a package registry: {NETWORK.search(result.stdout + result.stderr)[0]}")
    ok(result)
    # issue 27: `pip install ./teisite` wrote build/ (and teisite.egg-info) into the clone
    assert sorted(p.relative_to(source) for p in source.rglob("*")) == before, "the install wrote into the clone"
    where = ok(run([bin_ / "python", "-c", "import teisite; print(teisite.__file__)"], cwd=root)).stdout.strip()
    assert Path(where).is_relative_to(env), f"teisite came from {where}, not from the venv"
    return bin_


def seed_project(folder: Path) -> Path:
    (folder / "source" / "tei").mkdir(parents=True)
    for xml in (REPO / "source" / "tei").glob("*.xml"):
        shutil.copy2(xml, folder / "source" / "tei" / xml.name)
    (folder / "mkdocs.yml").write_text(SHORT_CONFIG, encoding="utf-8")
    return folder


def assert_seed_site(site: Path) -> None:
    text = (site / "texts" / "albazin-nerchinsk" / "index.html").read_text(encoding="utf-8")
    assert 'class="mention' in text and "data-ref=" in text   # the behaviour templates were found
    assert "assets/teisite/teisite.js" in text                  # and the assets
    for page in ("persons", "places", "organisations", "chronology"):
        assert (site / page / "index.html").exists(), page
    assert (site / "assets" / "teisite" / "teisite.css").stat().st_size > 0
    assert (site / "tei" / "persons.xml").exists()


def test_the_seed_builds_with_mkdocs_from_a_short_config(installed, tmp_path):
    project = seed_project(tmp_path / "seed")
    ok(run([installed / "mkdocs", "build", "--quiet"], cwd=project))
    assert_seed_site(project / "site")


def test_the_seed_builds_with_teisite_build(installed, tmp_path):
    project = seed_project(tmp_path / "seed")
    said = ok(run([installed / "teisite", "build", project], cwd=tmp_path)).stdout
    assert "built " in said
    assert_seed_site(project / "site")


def test_teisite_new_then_build_makes_a_whole_site(installed, tmp_path):
    said = ok(run([installed / "teisite", "new", "edition"], cwd=tmp_path)).stdout
    assert "teisite serve edition" in said and "teisite build edition" in said
    ok(run([installed / "teisite", "build", "edition"], cwd=tmp_path))
    site = tmp_path / "edition" / "site"
    text = (site / "texts" / "letter" / "index.html").read_text(encoding="utf-8")
    assert 'class="mention' in text
    for page in ("persons", "places", "about", "chronology"):
        assert (site / page / "index.html").exists(), page
    # the workflow installs the teisite the project was made with, from the wheel `new` put in vendor/
    flow = (tmp_path / "edition" / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8")
    assert 'pip install "./vendor/teisite-' in flow and 'pip install "teisite==' not in flow


def workflow_lines(project: Path) -> dict[str, list[str]]:
    """The shell lines of the GitHub workflow's build job and of the GitLab job, by host."""
    import yaml
    github = yaml.safe_load((project / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    gitlab = yaml.safe_load((project / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    return {"github": [s["run"] for s in github["jobs"]["build"]["steps"] if "run" in s],
            "gitlab": gitlab["pages"]["script"]}


@pytest.mark.parametrize("host", ["github", "gitlab"])
def test_a_new_projects_workflow_installs_teisite_in_a_fresh_venv(installed, tmp_path, host):
    """Issue 27 item 1: each line of the generated workflow, run as the CI runner would (in the
    project, in a fresh venv with nothing but pip), installs the teisite that made the project and
    builds the site. Nothing comes from the checkout, nor from an index's `teisite`."""
    import shlex
    ok(run([installed / "teisite", "new", "edition"], cwd=tmp_path))
    project = tmp_path / "edition"
    env = tmp_path / "ci-venv"
    venv.EnvBuilder(with_pip=True).create(env)
    bin_ = env / "bin"
    lines = workflow_lines(project)[host]
    assert lines[0].startswith("pip install ") and lines[1].startswith("teisite build .")
    for line in lines:
        program, *args = shlex.split(line)
        if program == "pip":
            command = [bin_ / "python", "-m", "pip", *args, "--quiet", "--disable-pip-version-check"]
        else:
            command = [bin_ / program, *args]
        result = run(command, cwd=project, timeout=300)
        if result.returncode != 0 and program == "pip" and NETWORK.search(result.stdout + result.stderr):
            pytest.skip("pip cannot reach a package registry for teisite's dependencies")
        ok(result)
    where = ok(run([bin_ / "python", "-c", "import teisite; print(teisite.__file__)"], cwd=tmp_path)).stdout
    assert Path(where.strip()).is_relative_to(env)
    site = project / ("site" if host == "github" else "public")
    assert 'class="mention' in (site / "texts" / "letter" / "index.html").read_text(encoding="utf-8")


def test_help_names_the_console_script(installed, tmp_path):
    said = ok(run([installed / "teisite", "--help"], cwd=tmp_path)).stdout
    assert said.startswith("usage: teisite") and "new" in said


def test_teisite_serve_says_where_it_serves(installed, tmp_path):
    """The installed `teisite serve` prints its URL first, and that URL answers with the site."""
    import socket
    import urllib.request

    ok(run([installed / "teisite", "new", "edition"], cwd=tmp_path))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    server = subprocess.Popen([str(installed / "teisite"), "serve", "edition", "--port", str(port)],
                              cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        first = server.stdout.readline()
        url = f"http://127.0.0.1:{port}/"
        assert first.startswith("serving ") and url in first, first
        deadline = time.monotonic() + 60
        while True:  # the first build comes after the line
            try:
                with urllib.request.urlopen(url, timeout=5) as answer:
                    assert answer.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline, "the server never answered"
                time.sleep(0.3)
    finally:
        server.terminate()
        server.wait(timeout=30)
