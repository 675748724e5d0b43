"""remote.py: the text and entry pages made by the workers of a Dask cluster (`--executor`) are
the pages a build on this machine writes, byte for byte."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO

from teisite.commands import main

distributed = pytest.importorskip("distributed")


def _files(site: Path) -> dict[str, bytes]:
    # (Pagefind names its index's files by their contents' hashes, which vary from run to run)
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and "pagefind" not in p.relative_to(site).parts}


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as c:
        yield c.scheduler_address


@pytest.mark.parametrize("project", [REPO, FIXTURES / "corpora" / "gerdracor"], ids=["seed", "drama"])
def test_a_cluster_builds_the_site_this_machine_builds(cluster, project, tmp_path, capsys):
    assert main(["build", str(project), "--out", str(tmp_path / "here"), "--no-cache", "-q"]) == 0
    assert main(["build", str(project), "--out", str(tmp_path / "there"), "--no-cache", "-q",
                 "--executor", cluster]) == 0
    here, there = _files(tmp_path / "here"), _files(tmp_path / "there")
    assert sorted(here) == sorted(there)
    assert [p for p in here if here[p] != there[p]] == []
    assert sum(p.startswith("texts/") for p in there) > 0
    # the workers said nothing of their own: every message is the build's, once
    err = capsys.readouterr().err
    assert "contains a link" not in err


def test_a_cluster_that_is_not_there_is_a_clear_error(tmp_path):
    # as the editor runs it (Dask's loggers keep handlers across a test session's captures)
    env = {**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"}
    run = subprocess.run([sys.executable, str(REPO / "build.py"), "build", str(REPO), "--out",
                          str(tmp_path / "site"), "--no-cache", "-q", "--executor", "tcp://127.0.0.1:9"],
                         capture_output=True, text=True, env=env, timeout=300, check=False)
    assert run.returncode != 0
    assert not (tmp_path / "site").exists()
    assert "the Dask scheduler at tcp://127.0.0.1:9 did not answer" in run.stderr
    assert "Traceback" not in run.stderr
