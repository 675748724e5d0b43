#!/usr/bin/env python3
"""Page images by id (issue 29 item 1): a long text whose page breaks point into a facsimile it does
not have (Kant's *Kritik* in TEI Publisher's samples: 3 MB, 882 `pb facs="#…"`, no `<facsimile>`)
against the same text without the `facs` attributes. Whole cold builds, median of --runs; the
target is a ratio of at most 1.3.

    .venv/bin/python bench/facs.py [--runs 3] [--pages 882]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SENTENCE = ("Die Vernunft hat das besondere Schicksal in einer Gattung ihrer Erkenntnisse dass sie durch "
            "Fragen belästigt wird die sie nicht abweisen kann denn sie sind ihr durch die Natur der "
            "Vernunft selbst aufgegeben die sie aber auch nicht beantworten kann")
WORDS = SENTENCE.split(" ")


def text(pages: int, facs: bool) -> str:
    """About 3.4 KB of paragraphs a page, each page opened by a page break."""
    body = []
    for i in range(pages):
        body.append(f'<pb n="{i + 1}"' + (f' facs="#f{i + 1:04d}"' if facs else "") + "/>")
        for j in range(3):
            words = " ".join(WORDS[(i + j + k) % len(WORDS)] for k in range(160))
            body.append(f"<p>{words}.</p>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="de">'
            "<teiHeader><fileDesc><titleStmt><title>Kritik</title></titleStmt><publicationStmt><p/>"
            "</publicationStmt><sourceDesc><p>bench/facs.py</p></sourceDesc></fileDesc></teiHeader>"
            "<text><body><div>\n" + "\n".join(body) + "\n</div></body></text></TEI>")


def build_seconds(project: Path, out: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, str(REPO / "build.py"), "build", str(project), "--out", str(out),
                    "--no-cache", "--lenient"], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--pages", type=int, default=882)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        times = {}
        for facs in (True, False):
            project = Path(tmp) / ("facs" if facs else "plain")
            project.mkdir()
            (project / "kritik.xml").write_text(text(args.pages, facs), encoding="utf-8")
            times[facs] = []
        for _ in range(args.runs):  # in turn, so that both meet the same machine
            for facs in (True, False):
                project = Path(tmp) / ("facs" if facs else "plain")
                times[facs].append(build_seconds(project, Path(tmp) / f"site-{facs}"))
        size = (Path(tmp) / "facs" / "kritik.xml").stat().st_size / 1e6
        with_facs, without = statistics.median(times[True]), statistics.median(times[False])
        print(f"{args.pages} page breaks, {size:.1f} MB: with facs {with_facs:.2f} s, without "
              f"{without:.2f} s (medians of {args.runs}): ratio {with_facs / without:.2f} (target <= 1.3)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
