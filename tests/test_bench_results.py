"""bench/results.py: each benchmark run adds a dated section at the top of bench/RESULTS.md,
under the marker, above what was written by hand (issue 27: the logs left the README)."""

from __future__ import annotations

import importlib.util

from conftest import REPO

spec = importlib.util.spec_from_file_location("bench_results", REPO / "bench" / "results.py")
results = importlib.util.module_from_spec(spec)
spec.loader.exec_module(results)


def test_the_log_has_its_marker():
    assert results.MARKER in (REPO / "bench" / "RESULTS.md").read_text(encoding="utf-8")


def test_a_run_goes_on_top_newest_first(tmp_path):
    log = tmp_path / "RESULTS.md"
    log.write_text("# Benchmark results\n\nintro\n\n" + results.MARKER + "\n## Speed\n\nby hand\n",
                   encoding="utf-8")
    results.record("bench/run.py", "bench/run.py --quick", "| a | b |\n|---|---|\n| 1 | 2 |", log)
    results.record("bench/reload.py", "bench/reload.py --runs 1", "- edit: 1 runs", log)
    text = log.read_text(encoding="utf-8")
    assert text.startswith("# Benchmark results\n\nintro\n\n" + results.MARKER)
    first, second, by_hand = (text.index("## bench/reload.py, "), text.index("## bench/run.py, "),
                              text.index("## Speed"))
    assert first < second < by_hand
    assert "`bench/run.py --quick`, teisite at " in text and "| 1 | 2 |" in text
    assert text.endswith("by hand\n")


def test_a_log_without_the_marker_gets_one(tmp_path):
    log = tmp_path / "RESULTS.md"
    log.write_text("# old\n", encoding="utf-8")
    results.record("bench/search.py", "bench/search.py", "body", log)
    text = log.read_text(encoding="utf-8")
    assert text.startswith("# old\n\n" + results.MARKER) and "body" in text
