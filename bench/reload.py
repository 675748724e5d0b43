#!/usr/bin/env python3
"""The reload while serving (issue 18 item 1): how long after a document is saved the browser is
told to reload, with `teisite serve` on the 1,017-document corpus.

    .venv/bin/python bench/reload.py             # 5 edits of one text, 2 saves that change nothing
    .venv/bin/python bench/reload.py --runs 9 --spaces 0

It makes the corpus (bench/run.py's make_large_corpus, in bench/out/reload/), starts `build.py serve`
on it, waits until it serves, and then, for each run, asks the livereload endpoint as the
browser's script does (`/livereload/EPOCH/ID`, answered when a newer build is visible), writes the
file, and takes the time from the write to the answer: the moment the browser would reload. An
edit puts a new word at the start of the text's first paragraph; a "space" appends a space to the
file (the output does not change). Between runs it waits until the search index, written after
the reload, is written, so that runs do not overlap. Prints each run and the medians.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import results as results_log  # bench/results.py: bench/RESULTS.md
from run import OUT, REPO, make_large_corpus

WORK = OUT / "reload"
LIVERELOAD = re.compile(r"livereload\((\d+), (\d+)\)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float = 120) -> str:
    return urllib.request.urlopen(url, timeout=timeout).read().decode("utf-8")


def wait_until_served(url: str, server: subprocess.Popen, timeout: float = 900) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"bench: serve stopped ({server.returncode}); see {WORK / 'serve.log'}")
        try:
            get(url, timeout=timeout)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"bench: {url} was not served within {timeout:.0f} s")


def edit(path: Path) -> str:
    """A new word at the start of the first paragraph of the text's body; returns the word."""
    data = path.read_text(encoding="utf-8")
    data = re.sub(r"Reloadmark\d+ ", "", data)
    body = data.index("<body")
    m = re.compile(r"<p(\s[^>]*)?>").search(data, body)
    word = f"Reloadmark{time.time_ns()}"  # a new word each time, whatever an earlier run left
    path.write_text(data[:m.end()] + word + " " + data[m.end():], encoding="utf-8")
    return word


def append_space(path: Path) -> None:
    with open(path, "a", encoding="utf-8") as f:
        f.write(" ")


def wait_for_index(site_dir: Path, since: float, timeout: float = 600) -> None:
    """Until the search index written after the reload is there (teisite-filters.json is its last
    file), or it is clear that none is written (nothing in the records changed)."""
    marker = site_dir / "pagefind" / "teisite-filters.json"
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if marker.stat().st_mtime >= since:
                return
        except OSError:
            pass
        time.sleep(0.5)


def cpu_seconds(pid: int) -> float:
    """User and system time of a process so far (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def one_run(base: str, page_url: str, change, pid: int) -> tuple[float, float, float, object]:
    """Seconds from the write to the livereload answer, and to the reloaded page; the server's
    CPU seconds in between (the rebuild's, on a machine shared with other work); what change
    returned."""
    html = get(page_url)
    epoch, request = LIVERELOAD.search(html).groups()
    answered: dict[str, float] = {}

    def poll() -> None:
        get(f"{base}livereload/{epoch}/{request}")
        answered["at"] = time.perf_counter()

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    time.sleep(0.5)  # the poll is waiting at the server, as the browser's is
    cpu = cpu_seconds(pid)
    written = time.perf_counter()
    result = change()
    poller.join(timeout=600)
    if "at" not in answered:
        raise SystemExit("bench: the livereload endpoint never answered")
    cpu = cpu_seconds(pid) - cpu
    get(page_url)
    loaded = time.perf_counter()
    return answered["at"] - written, loaded - written, cpu, result


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5, help="edits that change the text (default 5)")
    ap.add_argument("--no-record", action="store_true", help="leave bench/RESULTS.md alone")
    ap.add_argument("--spaces", type=int, default=2, help="saves that change nothing (default 2)")
    ap.add_argument("--reuse", action="store_true", help="use the corpus made by an earlier run")
    ap.add_argument("--index-wait", type=float, default=600, metavar="S",
                    help="wait at most S seconds for the search index after each edit (default 600)")
    args = ap.parse_args(argv)
    corpus = WORK / "corpus"
    if not (args.reuse and corpus.is_dir()):
        print("bench: making the 1,017-document corpus", file=sys.stderr)
        make_large_corpus(corpus)
    texts = sorted((corpus / "editions").glob("*.xml"))
    target = texts[len(texts) // 2]
    tmp = WORK / f"tmp-{os.getpid()}"  # the served site's folder is the one in it
    tmp.mkdir(parents=True, exist_ok=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    log = open(WORK / "serve.log", "w", encoding="utf-8")  # noqa: SIM115 - the server's, until it stops
    started = time.perf_counter()
    server = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", str(corpus), "--port",
                               str(port)], stdout=log, stderr=subprocess.STDOUT,
                              env={**os.environ, "TMPDIR": str(tmp)})
    rows = []
    try:
        page_url = f"{base}texts/{target.stem}/"
        wait_until_served(page_url, server)
        print(f"bench: first build served after {time.perf_counter() - started:.1f} s", file=sys.stderr)
        site_dir = next(tmp.glob("teisite-serve-*"))
        wait_for_index(site_dir, 0, args.index_wait)
        plan = [("edit", i) for i in range(1, args.runs + 1)] + [("space", i) for i in range(args.spaces)]
        for kind, i in plan:
            time.sleep(3)  # a file changed in the last 2 s is read again whatever its time says
            since = time.time()
            change = (lambda: edit(target)) if kind == "edit" else (lambda: append_space(target))
            reload_s, loaded_s, cpu, word = one_run(base, page_url, change, server.pid)
            if kind == "edit" and word not in get(page_url):
                raise SystemExit(f"bench: the reloaded page does not show {word}")
            log.flush()
            line = [ln for ln in (WORK / "serve.log").read_text().splitlines() if ln.startswith("rebuilt")]
            rows.append((kind, reload_s, loaded_s, cpu, line[-1] if line else "?"))
            print(f"{kind} {i}: reload asked {reload_s:.2f} s after the write, page loaded at "
                  f"{loaded_s:.2f} s, server CPU {cpu:.2f} s; load average "
                  f"{os.getloadavg()[0]:.1f}; serve said: {rows[-1][4]}", file=sys.stderr)
            if kind == "edit":  # a space changes no record: no index is written
                wait_for_index(site_dir, since, args.index_wait)
    finally:
        server.terminate()
        try:
            server.wait(timeout=120)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)
    summary = []
    for kind in ("edit", "space"):
        xs = [r for r in rows if r[0] == kind]
        if xs:
            summary.append(f"{kind}: {len(xs)} runs; write → reload request: median "
                  f"{statistics.median(r[1] for r in xs):.2f} s (min {min(r[1] for r in xs):.2f}, "
                  f"max {max(r[1] for r in xs):.2f}); write → page loaded: median "
                  f"{statistics.median(r[2] for r in xs):.2f} s; server CPU in between: median "
                  f"{statistics.median(r[3] for r in xs):.2f} s")
    print("\n".join(summary))
    if summary and not args.no_record:
        results_log.record("bench/reload.py", " ".join(["bench/reload.py", *argv]),
                           "\n".join(f"- {line}" for line in summary))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
