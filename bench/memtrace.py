#!/usr/bin/env python3
"""Where a one-off build's memory goes, by phase: runs `build.py build ARGS...` in a child whose
plugin hooks (and MkDocs' own steps) leave time marks, samples the summed PSS of the child and all
its descendants every ~50 ms, and prints each phase's peak.

    python bench/memtrace.py [--tracemalloc] [--json OUT] -- PROJECT --out DIR --no-cache

--tracemalloc: the main process also prints its top allocations (file:line) at each hook mark
(slow; use a small corpus).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _rollup(pid: int) -> dict:
    out = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        k, v = line.split(":", 1)
        out[k] = int(v.split()[0]) / 1024
    return out


def tree(pid: int) -> list[tuple[int, str, dict]]:
    """(pid, name, smaps_rollup in MB) of pid and all its descendants. A child that still shares
    its parent's memory (vfork, between subprocess's fork and its exec) reports the parent's
    pages as its own, at full PSS: it is left out."""
    found, todo = [], [(pid, None)]
    while todo:
        p, parent = todo.pop()
        try:
            name = Path(f"/proc/{p}/comm").read_text().strip()
            cmd = Path(f"/proc/{p}/cmdline").read_bytes().split(b"\0")
            if b"pagefind" in b" ".join(cmd):
                name = "pagefind:" + name
            r = _rollup(p)
            if parent is not None and r.get("Rss", 0) > 50 and \
                    abs(r["Rss"] - parent["Rss"]) < 0.02 * parent["Rss"] and \
                    abs(r["Pss"] - parent["Pss"]) < 0.02 * parent["Pss"]:
                continue  # the parent's own memory, seen through a vfork child
            found.append((p, name, r))
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [(int(c), r) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return found


# ---------------------------------------------------------------- the child: marks at each step

def child(argv: list[str]) -> int:
    marks = open(os.environ["MEMTRACE_MARKS"], "a", buffering=1)  # noqa: SIM115 - to the end
    tm = os.environ.get("MEMTRACE_TRACEMALLOC") == "1"
    if tm:
        import tracemalloc
        tracemalloc.start(1)

    def rss() -> float:
        return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

    import ctypes

    class MallInfo2(ctypes.Structure):
        _fields_ = [(n, ctypes.c_size_t) for n in ("arena", "ordblks", "smblks", "hblks", "hblkhd",
                                                   "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]
    libc = ctypes.CDLL("libc.so.6")
    libc.mallinfo2.restype = MallInfo2

    def heap() -> dict:
        m = libc.mallinfo2()
        return {"heap": (m.arena + m.hblkhd) / 2**20, "in_use": (m.uordblks + m.hblkhd) / 2**20,
                "free": m.fordblks / 2**20}

    def mark(name: str, snap: bool = False) -> None:
        marks.write(json.dumps({"t": time.time(), "mark": name, "rss": rss(), "pid": os.getpid(),
                                **heap()}) + "\n")
        if tm and snap:
            import tracemalloc
            cur, peak = tracemalloc.get_traced_memory()
            s = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)])
            top = s.statistics("lineno")[:25]
            print(f"\n=== tracemalloc at {name}: current {cur / 2**20:.1f} MB, peak {peak / 2**20:.1f} MB",
                  file=sys.stderr)
            for st in top:
                print(f"  {st.size / 2**20:8.1f} MB {st.count:9d}  {st.traceback[0]}", file=sys.stderr)
            files = s.statistics("filename")[:12]
            print("  -- by file:", file=sys.stderr)
            for st in files:
                print(f"  {st.size / 2**20:8.1f} MB {st.count:9d}  {st.traceback[0].filename}", file=sys.stderr)

    sys.path.insert(0, str(REPO))
    import mkdocs.commands.build as mb

    from teisite import commands, pages, plugin
    P = plugin.TeisitePlugin

    def around(obj, name, label=None, snap=True):
        orig = getattr(obj, name)
        label = label or name

        def wrapped(*a, **k):
            mark(f"{label}:start", snap)
            try:
                return orig(*a, **k)
            finally:
                mark(f"{label}:end", snap)
        setattr(obj, name, wrapped)

    for hook in ("on_config", "on_files", "on_nav", "on_env", "on_post_build"):
        around(P, hook)
    orig_nav = P.on_nav

    def census(self, *a, **k):
        ed = self.edition
        if ed is not None:
            docs = ed.documents
            c = {"documents": len(docs), "texts": len(ed.texts),
                 "tree": sum(d.tree is not None for d in docs),
                 "text_tree": sum(getattr(d, "text_tree", None) is not None for d in docs),
                 "xml bytes (zlib)": sum(len(d.xml) for d in docs if d.xml),
                 "head": sum(d.head is not None for d in docs if hasattr(d, "head")),
                 "source": sum(d.source is not None for d in docs)}
            print(f"memtrace census at on_nav: {c}", file=sys.stderr)
        return orig_nav(self, *a, **k)
    P.on_nav = census
    around(P, "load", "on_config.load")
    around(pages.PageSet, "stream", "on_env.stream")

    def counted(obj, name, every=250):
        orig = getattr(obj, name)
        n = [0]

        def wrapped(*a, **k):
            if n[0] % every == 0:
                mark(f"{name}#{n[0]}", n[0] == 0)
            n[0] += 1
            return orig(*a, **k)
        setattr(obj, name, wrapped)
    counted(mb, "_populate_page")
    counted(mb, "_build_page")

    import subprocess as sp
    run = sp.run

    def run_marked(*a, **k):
        keep = os.environ.get("MEMTRACE_KEEP_PAGEFIND")
        if keep and "--site" in a[0]:
            import shutil
            shutil.rmtree(keep, ignore_errors=True)
            shutil.copytree(a[0][a[0].index("--site") + 1], keep)
            marks.write(json.dumps({"t": time.time(), "mark": "pagefind-argv " + " ".join(a[0]), "rss": 0}) + "\n")
        mark("pagefind:start")
        try:
            return run(*a, **k)
        finally:
            mark("pagefind:end")
    sp.run = run_marked
    import teisite.search
    teisite.search.subprocess.run = run_marked
    # MkDocs' own: the anchors' check after every page was written
    orig_build = mb.build

    def build(*a, **k):
        mark("mkdocs.build:start")
        try:
            return orig_build(*a, **k)
        finally:
            mark("mkdocs.build:end", True)
    mb.build = build
    commands.mkdocs_build = build
    mark("child:start")
    rc = commands.main(argv)
    mark("child:end")
    return rc


# ---------------------------------------------------------------- the parent: sampling

def main(argv: list[str]) -> int:
    if argv and argv[0] == "--child":
        return child(argv[1:])
    tm = "--tracemalloc" in argv
    out_json = None
    if "--json" in argv:
        out_json = argv[argv.index("--json") + 1]
    args = argv[argv.index("--") + 1:]
    marks_file = Path(f"/tmp/memtrace-marks-{os.getpid()}.jsonl")
    marks_file.unlink(missing_ok=True)
    env = dict(os.environ, MEMTRACE_MARKS=str(marks_file), MEMTRACE_TRACEMALLOC="1" if tm else "0",
               PYTHONPATH=str(REPO))
    t0 = time.time()
    p = subprocess.Popen([sys.executable, __file__, "--child", "build", *args], env=env, cwd=REPO)
    samples = []
    while p.poll() is None:
        t = time.time()
        procs = tree(p.pid)
        samples.append({"t": t - t0, "procs": [(pid, name, r.get("Pss", 0), r.get("Rss", 0),
                                                 r.get("Pss_Anon", 0)) for pid, name, r in procs]})
        time.sleep(max(0.0, 0.05 - (time.time() - t)))
    rc = p.returncode
    marks = [json.loads(l) for l in marks_file.read_text().splitlines()]
    for m in marks:
        m["t"] -= t0
    marks_file.unlink(missing_ok=True)
    main_pid = p.pid
    # phase of each sample: the last mark before it
    rows = []
    for s in samples:
        total = sum(x[2] for x in s["procs"])
        main_rss = next((x[3] for x in s["procs"] if x[0] == main_pid), 0)
        main_pss = next((x[2] for x in s["procs"] if x[0] == main_pid), 0)
        others = [(x[1], x[0], x[3], x[2]) for x in s["procs"] if x[0] != main_pid]
        rows.append((s["t"], total, main_pss, main_rss, others))
    peak = max(rows, key=lambda r: r[1]) if rows else None
    print(f"\nrc={rc} wall={time.time() - t0:.1f}s samples={len(rows)}")
    print(f"{'phase (from mark)':42s} {'t0':>6s} {'dur':>6s} {'peakPSS':>8s} {'mainPSS':>8s} "
          f"{'mainRSS':>8s} {'#proc':>5s} others at that sample (name:RSS/PSS)")
    bounds = marks + [{"t": 1e18, "mark": "end"}]
    for i, m in enumerate(marks):
        seg = [r for r in rows if m["t"] <= r[0] < bounds[i + 1]["t"]]
        if not seg:
            print(f"{m['mark']:42s} {m['t']:6.1f} {bounds[i + 1]['t'] - m['t'] if i + 1 < len(marks) else 0:6.1f}"
                  f" {'':>8s} {'':>8s} {m['rss']:8.0f}   (mark's own RSS)")
            continue
        pk = max(seg, key=lambda r: r[1])
        oth = " ".join(f"{n}:{r:.0f}/{ps:.0f}" for n, _, r, ps in pk[4])
        if "heap" in m:
            oth = f"[malloc heap {m['heap']:.0f}, in use {m['in_use']:.0f}, free {m['free']:.0f}] " + oth
        print(f"{m['mark']:42s} {m['t']:6.1f} {seg[-1][0] - m['t']:6.1f} {pk[1]:8.0f} {pk[2]:8.0f} "
              f"{pk[3]:8.0f} {len(pk[4]) + 1:5d} {oth}")
    if peak:
        print(f"\nPEAK summed PSS {peak[1]:.0f} MB at t={peak[0]:.1f}s: main PSS {peak[2]:.0f} / RSS {peak[3]:.0f}; "
              + " ".join(f"{n}[{pid}]:RSS {r:.0f}/PSS {ps:.0f}" for n, pid, r, ps in peak[4]))
    if out_json:
        Path(out_json).write_text(json.dumps({"marks": marks, "samples": samples, "main": main_pid}))
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
