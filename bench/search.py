#!/usr/bin/env python3
"""The search benchmark (issue 15): index bytes, bytes the browser loads before the first result,
and the time from keystroke to first result in headless Chromium, on sites built once.

    .venv/bin/python bench/search.py                 # seed, maechtekongresse, 1,017 and ~4,000 docs
    .venv/bin/python bench/search.py --only seed,mk   # some of them
    .venv/bin/python bench/search.py --reuse          # search the sites built last time again

Sites are built into bench/out/search/ (the 1,017- and 4,068-document corpora are written by
run.py's make_large_corpus). Each query runs in a fresh page, twice: typed the instant the page has
loaded ("/" and the query at once), and typed after two idle seconds (search.js has loaded
Pagefind's code and meta file by then). Bytes are every file of pagefind/ the browser loaded from
the page's start to the first result, the idle-time ones included."""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import results as results_log  # bench/results.py: bench/RESULTS.md
import run  # bench/run.py: the corpora

OUT = run.OUT / "search"
QUERIES = {"seed": ["Головина", "Нерчинска", "Албазина", "ожесточенный", "Аргуни"],
           "default": ["Congress", "Wien", "Frieden", "Gesandten", "Paris"]}


def build(name: str, project: Path | None) -> tuple[Path, float, int]:
    from teisite.commands import build as teisite_build
    from teisite.project import find_project
    site = OUT / name
    t = time.perf_counter()
    assert teisite_build(find_project(project, site)) == 0
    docs = len(list((site / "texts").glob("*/index.html")))
    return site, time.perf_counter() - t, docs


def index_bytes(site: Path) -> int:
    return sum(f.stat().st_size for f in (site / "pagefind").rglob("*") if f.is_file()
               and f.suffix != ".js" and not f.name.startswith("wasm."))


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a):
        pass


def measure(site: Path, queries: list[str], warm: bool) -> dict:
    from playwright.sync_api import sync_playwright
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for q in queries:
            page = browser.new_page()
            loaded = []  # the search's own files (pagefind/), from the page's start
            page.on("requestfinished", lambda r, loaded=loaded: loaded.append((time.perf_counter(), r))
                    if "/pagefind/" in r.url else None)
            page.goto(url, wait_until="load")
            page.evaluate("""() => { window.__first = null; new MutationObserver(() => {
                if (!window.__first && document.querySelector('.md-search-result__item'))
                  window.__first = performance.now(); }).observe(document.body, {subtree: true, childList: true}); }""")
            if warm:  # a reader who reads a moment before searching: the page is idle, search.js
                page.wait_for_timeout(2000)  # has loaded Pagefind's code and meta file
            t0 = page.evaluate("performance.now()")
            page.keyboard.press("/")
            page.keyboard.insert_text(q)  # one input event: one search
            page.wait_for_function("window.__first !== null", timeout=30000)
            first = page.evaluate("window.__first")
            t_first_wall = time.perf_counter()
            nbytes = 0
            for at, r in loaded:
                if at <= t_first_wall + 0.05:
                    nbytes += r.sizes()["responseBodySize"]
            rows.append({"query": q, "ms": first - t0, "bytes": nbytes,
                         "results": page.locator(".md-search-result__item").count(),
                         "requests": len(loaded)})
            page.close()
        browser.close()
    server.shutdown()
    return {"queries": rows, "ms": statistics.median(r["ms"] for r in rows),
            "ms_max": max(r["ms"] for r in rows),
            "bytes": statistics.median(r["bytes"] for r in rows),
            "bytes_max": max(r["bytes"] for r in rows)}


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default="seed,mk,1017,4068")
    ap.add_argument("--no-record", action="store_true", help="leave bench/RESULTS.md alone")
    ap.add_argument("--reuse", action="store_true",
                    help="search the sites built by an earlier run (bench/out/search/) again")
    args = ap.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    corpora = {"seed": lambda: None, "mk": lambda: run.MK,
               "1017": lambda: run.make_large_corpus(OUT / "corpus-1017", run.COPIES),
               "4068": lambda: run.make_large_corpus(OUT / "corpus-4068", 36)}
    results = []
    for name in args.only.split(","):
        if args.reuse and (OUT / name / "pagefind").is_dir():
            site, secs = OUT / name, float("nan")
            docs = len(list((site / "texts").glob("*/index.html")))
        else:
            run.log(f"search bench: {name}: corpus and build")
            site, secs, docs = build(name, corpora[name]())
        run.log(f"search bench: {name}: {docs} documents built in {secs:.1f} s; searching")
        queries = QUERIES["seed" if name == "seed" else "default"]
        r = measure(site, queries, warm=False)
        w = measure(site, queries, warm=True)
        r.update(warm_ms=w["ms"], warm_ms_max=w["ms_max"], warm_bytes=w["bytes"], warm_queries=w["queries"])
        r.update(name=name, docs=docs, build_s=secs, index=index_bytes(site),
                 records=len(list((site / "pagefind").glob("**/fragment/*"))),
                 parts=1 + len(list((site / "pagefind" / "parts").glob("*"))))
        results.append(r)
        run.log(json.dumps({k: v for k, v in r.items() if k != "queries"}))
    lines = [("| corpus | docs | records | index | index/doc | loaded before 1st result, typed at once "
              "(median, max) | loaded, typed after 2 s (median) "
              "| keystroke → 1st result, typed at once (median, max) "
              "| keystroke → 1st result, typed after 2 s (median, max) |"),
             "|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r['name']} | {r['docs']} | {r['records']} | {r['index'] / 1e6:.2f} MB | "
                     f"{r['index'] / max(r['docs'], 1) / 1e3:.1f} KB | {r['bytes'] / 1e3:.0f} KB, "
                     f"{r['bytes_max'] / 1e3:.0f} KB | {r['warm_bytes'] / 1e3:.0f} KB | "
                     f"{r['ms']:.0f} ms, {r['ms_max']:.0f} ms | "
                     f"{r['warm_ms']:.0f} ms, {r['warm_ms_max']:.0f} ms |")
    table = "\n".join(lines)
    print(table)
    (OUT / "results.md").write_text(table + "\n", encoding="utf-8")
    if not args.no_record:
        results_log.record("bench/search.py", " ".join(["bench/search.py", *argv]), table)
    (OUT / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
