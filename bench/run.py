#!/usr/bin/env python3
"""teisite's benchmark (issue 7): whole builds, peak memory, the floors, TEI work, search index size.

    .venv/bin/python bench/run.py            # 3 runs of everything (several minutes)
    .venv/bin/python bench/run.py --runs 5
    .venv/bin/python bench/run.py --quick    # 1 run, no 1,000-document corpus: a smoke run
    .venv/bin/python bench/run.py --baseline 070637a   # also the TEI work of that revision, in turn
    .venv/bin/python bench/run.py --large    # also ~4,400 documents: whole build, memory, peer
    .venv/bin/python bench/run.py --names    # only what the untagged-name finder adds to `check`
                                             # at ~1,000 documents (German and Russian; issue 25)
    .venv/bin/python bench/run.py --scale --large --runs 1   # only the growth curve: whole builds,
                                             # memory and peer at 113, 1,017 and 4,407 documents
    BENCH_PYINSTRUMENT=DIR .venv/bin/python bench/run.py --runs 1 --only generated
                                             # also profile each measured build (pyinstrument
                                             # installed by hand; it slows the builds 2-3x)

Every measured build runs in a child process of its own; its max RSS comes from wait4. The peak
of the summed PSS of it and its workers is sampled in one more run of the build, whose time is not
counted (sampling slows what it samples).
Corpora: the seed edition (this repository), the four small excerpts of real corpora in
tests/fixtures/corpora/ (a drama, verse, letters, a manuscript edition with its apparatus), measured
like the seed, the Mächtekongresse corpus in ../shared, and a corpus of 9 renamed copies of it
(1,017 documents) that the benchmark writes to bench/out/; with --large, also one of 39 copies
(4,407 documents), of which only the whole build, its memory and the peer are measured.
The peer (issue 18): the TEI Consortium's html/html.xsl (../shared/peer/tei-stylesheets/) under
SaxonC-HE (`saxonche`), compiled once and run over every text of the same corpus, each run in turn
with a whole build of teisite so that both meet the same machine.
The table is printed, saved to bench/out/results.md and added to bench/RESULTS.md (not with
--no-record or --quick).
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import results as results_log  # bench/results.py: bench/RESULTS.md

T_START = time.perf_counter()   # a child's clocks start before it imports MkDocs or teisite
C_START = time.process_time()

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
MK = SHARED / "corpora" / "maechtekongresse"
# the excerpts of real corpora, one per genre (tests/fixtures/corpora/, issue 14 item 11)
GENRES = {name: REPO / "tests" / "fixtures" / "corpora" / name
          for name in ("gerdracor", "mitford", "schnitzler-briefe", "pta")}
OUT = REPO / "bench" / "out"   # results.md and results.json; each run works in its own OUT/run-*/
WORK = OUT
COPIES = 9
LARGE_COPIES = 39     # 39 × 113 = 4,407 documents (issue 18 item 4)
PEER_XSL = SHARED / "peer" / "tei-stylesheets" / "html" / "html.xsl"
TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"

# targets of issue 7: (label, test on the figure)
TARGETS = {
    "build": ("< 15 s (1,000+ docs)", lambda v: v < 15),
    "rss": ("< 500 MB (1,000+ docs)", lambda v: v < 500),   # judged on the summed PSS
    "tei_ratio": ("≤ 3× lxml floor", lambda v: v <= 3),
    "mkdocs_ratio": ("≤ 1.2× MkDocs floor", lambda v: v <= 1.2),
    "rebuild_tei": ("< 1 s", lambda v: v < 1),
    "index_ratio": ("≤ 1", lambda v: v <= 1),
    "base_ratio": ("≤ 1.25× baseline", lambda v: v <= 1.25),   # issue 12: a refactor's cost
    # issue 13, judged on the seed: `check --schema`, whole process
    "schema_jing": ("< 5 s (seed)", lambda v: v < 5),
    "schema_lxml": ("< 15 s (seed, cache warm)", lambda v: v < 15),
    # issue 18: whole site ÷ the peer's transform, at 1,017 documents; the ~4,400-document corpus
    "peer_ratio": ("≤ 0.25× peer (1,000+ docs)", lambda v: v <= 0.25),
    "large_build": ("< 60 s (~4,400 docs)", lambda v: v < 60),
    "large_pss": ("< 1 GB (~4,400 docs)", lambda v: v < 1000),
    "rebuild_ratio": ("≤ 0.2× cold (1,000+ docs)", lambda v: v <= 0.2),
}
BASELINE: tuple[Path, str] | None = None   # (checkout, name) of --baseline


def log(msg: str) -> None:
    print(f"[{time.perf_counter() - T_START:7.1f} s, load {os.getloadavg()[0]:5.2f}] {msg}", file=sys.stderr,
          flush=True)


# --- the children: one measured thing each, result as JSON in a file -----------------------------

class _Profiled:
    """With BENCH_PYINSTRUMENT=DIR set (and pyinstrument installed), profile a child's measured
    build into DIR/<name>.txt and DIR/<name>.pyisession; otherwise do nothing."""

    def __init__(self, name: str):
        self.name, self.profiler = name, None

    def __enter__(self):
        if os.environ.get("BENCH_PYINSTRUMENT"):
            from pyinstrument import Profiler
            self.profiler = Profiler()
            self.profiler.start()
        return self

    def __exit__(self, *exc):
        if self.profiler is not None:
            self.profiler.stop()
            out = Path(os.environ["BENCH_PYINSTRUMENT"])
            out.mkdir(parents=True, exist_ok=True)
            (out / f"{self.name}.txt").write_text(self.profiler.output_text(), encoding="utf-8")
            self.profiler.last_session.save(str(out / f"{self.name}.pyisession"))


def _clock_hooks() -> tuple[dict, dict]:
    """Wrap every on_* hook of teisite's plugin with a wall and a CPU clock."""
    sys.path.insert(0, str(REPO))
    from teisite.plugin import TeisitePlugin
    spent: dict[str, float] = {}
    cpu: dict[str, float] = {}
    for name, fn in list(vars(TeisitePlugin).items()):
        if name.startswith("on_") and callable(fn):
            def timed(self, *a, _fn=fn, _name=name, **k):
                t, c = time.perf_counter(), time.process_time()
                try:
                    return _fn(self, *a, **k)
                finally:
                    spent[_name] = spent.get(_name, 0.0) + time.perf_counter() - t
                    cpu[_name] = cpu.get(_name, 0.0) + time.process_time() - c
            setattr(TeisitePlugin, name, functools.wraps(fn)(timed))
    return spent, cpu


def child_build(project: str, out: str, cached: str = "") -> dict:
    """`build.py build PROJECT --out OUT`, with a clock around every teisite plugin hook; cold
    (`--no-cache`) unless `cached`."""
    spent, cpu = _clock_hooks()
    from teisite.commands import main
    with _Profiled(f"build-{Path(out).name}"):
        rc = main(["build", *([project] if project else []), "--out", out,
                   *([] if cached else ["--no-cache"])])
    return {"rc": rc, "total": time.perf_counter() - T_START, "hooks": spent, "tei": sum(spent.values()),
            "total_cpu": time.process_time() - C_START, "hooks_cpu": cpu, "tei_cpu": sum(cpu.values())}


def child_serve_rebuild(project: str, out: str, corpus: str, i: str) -> dict:
    """What `build.py serve` does on a change: a second build with the same plugin object."""
    import logging

    from mkdocs.commands.build import build
    spent, cpu = _clock_hooks()
    from teisite.project import find_project, mkdocs_config
    logging.basicConfig(stream=sys.stderr)
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    proj = find_project(project or None)
    url = "http://127.0.0.1:8000/"
    config = mkdocs_config(proj, Path(out))
    config.plugins.on_startup(command="serve", dirty=False)
    config.site_url = url
    build(config, serve_url=url)
    first = time.perf_counter() - T_START
    change_one_document(Path(corpus), int(i))
    spent.clear()
    cpu.clear()
    t, c = time.perf_counter(), time.process_time()
    with _Profiled(f"serve-rebuild-{Path(out).name}"):
        config = mkdocs_config(proj, Path(out))     # MkDocs keeps the plugin object (it has on_startup)
        config.site_url = url
        build(config, serve_url=url)
    # not "wall"/"cpu": run_child sets those to the whole process's (both builds)
    return {"first": first, "second_wall": time.perf_counter() - t, "second_cpu": time.process_time() - c,
            "tei": sum(spent.values()), "tei_cpu": sum(cpu.values()), "hooks_cpu": cpu}


def child_teiwork(project: str) -> dict:
    """Load the edition and render every page, as a one-off build does (text and entry pages in
    one process per core), with no MkDocs build around it."""
    import resource
    sys.path.insert(0, str(REPO))
    from teisite.project import find_project, mkdocs_config
    config = mkdocs_config(find_project(project or None), Path(tempfile.gettempdir()) / "teisite-bench-unused")
    plugin = config.plugins["teisite"]

    def cpu() -> float:
        own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime
    t0, c0 = time.perf_counter(), cpu()
    plugin.load(config)
    t1 = time.perf_counter()
    pages = plugin.pages
    sources = list(pages.sources(has_index=False))
    from teisite.workers import fork_map

    def render(srcs: list[str]) -> int:
        return sum(len(made[0]) for made in map(pages.render, srcs) if made)
    size = sum(n for _, n in fork_map(render, [src for src, _ in sources], len(os.sched_getaffinity(0)), 16))
    t2 = time.perf_counter()
    ed = plugin.edition
    return {"load": t1 - t0, "render": t2 - t1, "tei": t2 - t0, "tei_cpu": cpu() - c0,
            "pages": len(sources), "texts": len(ed.texts), "entries": len(ed.entries),
            "mentions": ed.mention_count, "html": size, "files": [str(d.path) for d in ed.documents],
            "text_files": [str(d.path) for d in ed.texts]}


def child_lxml(files_json: str) -> dict:
    """The lxml floor: parse and serialise the same files, in one process."""
    from lxml import etree
    files = json.loads(Path(files_json).read_text())
    t0 = time.perf_counter()
    size = 0
    for f in files:
        size += len(etree.tostring(etree.parse(f)))
    return {"seconds": time.perf_counter() - t0, "files": len(files), "bytes": size}


def child_mkdocs(config_file: str) -> dict:
    """The MkDocs floor: build a plain MkDocs project with the API."""
    import logging

    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    logging.basicConfig(stream=sys.stderr)
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    build(load_config(config_file=config_file))
    return {"total": time.perf_counter() - T_START, "total_cpu": time.process_time() - C_START}


def child_peer(files_json: str, out: str) -> dict:
    """The peer: html.xsl compiled once under SaxonC-HE, then every text transformed to an HTML
    file in `out`. A document the stylesheet fails on is counted, not fatal."""
    from saxonche import PySaxonApiError, PySaxonProcessor
    files = json.loads(Path(files_json).read_text())
    failed = []
    with PySaxonProcessor(license=False) as proc:
        t0 = time.perf_counter()
        exe = proc.new_xslt30_processor().compile_stylesheet(stylesheet_file=str(PEER_XSL))
        t1 = time.perf_counter()
        for f in files:
            exe.set_cwd(str(Path(f).parent))
            try:
                exe.transform_to_file(source_file=f, output_file=str(Path(out) / (Path(f).stem + ".html")))
            except PySaxonApiError as e:
                failed.append(f"{Path(f).name}: {str(e).strip()[:200]}")
        t2 = time.perf_counter()
        version = proc.version
    made = list(Path(out).glob("*.html"))
    return {"compile": t1 - t0, "transform": t2 - t1, "files": len(files), "failed": failed,
            "html": sum(f.stat().st_size for f in made), "version": version}


def child_check_schema(project: str, validator: str, cache: str) -> dict:
    """`build.py check --schema` with the validator forced and the schema cache in `cache`."""
    os.environ["TEISITE_SCHEMA_VALIDATOR"] = validator
    os.environ["TEISITE_CACHE_DIR"] = cache
    sys.path.insert(0, str(REPO))
    from teisite.commands import main
    rc = main(["check", *([project] if project else []), "--schema"])
    return {"rc": rc, "total": time.perf_counter() - T_START}


def measure_schema(r: dict, arg: str, runs: int) -> None:
    """check --schema: with jing (when installed), and with lxml from an empty cache, then warm."""
    jing, cold, warm = [], [], []
    for i in range(runs):
        if shutil.which("jing"):
            log(f"{r['name']}: check --schema with jing, run {i + 1}/{runs}")
            jing.append(run_child("schema-jing", arg, "jing", str(WORK / "schema-cache-jing"))["wall"])
        cache = WORK / "schema-cache"
        shutil.rmtree(cache, ignore_errors=True)
        log(f"{r['name']}: check --schema with lxml, cold then warm, run {i + 1}/{runs}")
        cold.append(run_child("schema-lxml", arg, "lxml", str(cache))["wall"])
        warm.append(run_child("schema-lxml", arg, "lxml", str(cache))["wall"])
    r["schema_jing"], r["schema_lxml_cold"], r["schema_lxml"] = median(jing), median(cold), median(warm)


def child_check_names(project: str, cached: str) -> dict:
    """`build.py check` (with the build cache, filled by a run before, if `cached`; else cold),
    with the untagged-name finder (names.py) timed apart."""
    # a cache of its own: other builds on the machine (the tests') forget the oldest caches
    os.environ["TEISITE_CACHE_DIR"] = str(WORK / "cache-names")
    sys.path.insert(0, str(REPO))
    from teisite import names
    from teisite.commands import main
    found: dict = {"names": 0.0, "proposals": 0, "texts": 0}
    plain = names.find_untagged

    def timed(edition, *args, **kwargs):
        t = time.perf_counter()
        n = plain(edition, *args, **kwargs)
        found["names"] += time.perf_counter() - t
        found["proposals"] += n
        found["texts"] = len(edition.texts)
        return n
    names.find_untagged = timed
    rc = main(["check", project, *([] if cached else ["--no-cache"])])
    return {"rc": rc, "check": time.perf_counter() - T_START - found["names"], **found}


def make_russian_corpus(dest: Path, copies: int = 1000) -> Path:
    """copies × the seed edition's text (renamed files) with its register files: Russian, so
    that the finder's morphology is measured (the generated corpus is German)."""
    if dest.exists():
        shutil.rmtree(dest)
    tei = dest / "source" / "tei"
    tei.mkdir(parents=True)
    for f in (REPO / "source" / "tei").glob("*.xml"):
        if f.name != "albazin-nerchinsk.xml":
            shutil.copy(f, tei / f.name)
    text = (REPO / "source" / "tei" / "albazin-nerchinsk.xml").read_bytes()
    for k in range(1, copies + 1):
        (tei / f"albazin-nerchinsk_c{k}.xml").write_bytes(text)
    (dest / "mkdocs.yml").write_text(
        "site_name: Copies\ndocs_dir: source\ntheme: {name: material, language: ru, font: false}\n"
        "plugins: [search, {teisite: {lang: ru}}]\n", encoding="utf-8")
    return dest


def measure_names(name: str, project: Path, runs: int) -> dict:
    """What the untagged-name finder adds to `check`: cold (no build cache) and warm."""
    r: dict = {"name": name}
    for mode in ("cold", "warm"):
        got = []
        if mode == "warm":
            log(f"{name}: a check that fills the build cache (not measured)")
            run_child("names", str(project), "cached")
        for i in range(runs):
            log(f"{name}: check with the untagged-name finder, {mode}, run {i + 1}/{runs}")
            got.append(run_child("names", str(project), "cached" if mode == "warm" else ""))
        r[f"{mode}_check"] = median([x["check"] for x in got])
        r[f"{mode}_names"] = median([x["names"] for x in got])
        r[f"{mode}_ratio"] = median([x["names"] / x["check"] for x in got])
        r["texts"], r["proposals"] = got[-1]["texts"], got[-1]["proposals"]
    return r


def names_table(results: list[dict], runs: int) -> str:
    rows = [("| corpus | texts | proposals | `check` without the finder, cold / warm | the finder | "
            "added, cold / warm (target ≤ 10 %) |"), "|---|---|---|---|---|---|"]
    for r in results:
        ok = "✓" if max(r["cold_ratio"], r["warm_ratio"]) <= 0.10 else "✗"
        rows.append(f"| {r['name']} | {r['texts']} | {r['proposals']} | {r['cold_check']:.2f} s / "
                    f"{r['warm_check']:.2f} s | {r['cold_names']:.2f} s / {r['warm_names']:.2f} s | "
                    f"{100 * r['cold_ratio']:.1f} % / {100 * r['warm_ratio']:.1f} % {ok} |")
    return (f"Median of {runs} run(s) each; a whole `check` process (the build it runs into a "
            "folder it removes, the report), the finder timed apart inside it.\n\n" + "\n".join(rows))


CHILDREN = {"names": child_check_names, "schema-jing": child_check_schema, "schema-lxml": child_check_schema, "build": child_build, "serve": child_serve_rebuild, "teiwork": child_teiwork, "lxml": child_lxml, "mkdocs": child_mkdocs,
            "peer": child_peer}


def _tree_pss(pid: int) -> float:
    """PSS (MB) of a process and all its descendants: shared pages (a forked worker's view of
    the parsed edition) are counted once, split between the processes that share them."""
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) / 1024
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue  # the process ended meanwhile
    return total


def run_child(kind: str, *args: str, sample: bool = False, checkout: Path | None = None) -> dict:
    """Run one child; its result, plus the whole process's wall and CPU time (s, its workers'
    included), its peak max RSS (MB, from wait4's rusage: the largest single process) as "wall",
    "cpu" and "rss", and with `sample`, the peak of the summed PSS of it and its workers (sampled
    every 20 ms) as "pss". Sampling is for runs whose time is not measured: reading a process's
    PSS walks its page tables (about 20 ms for 1.3 GB) and holds its memory map's lock, which
    took a good part of a core from the build and slowed it. `checkout`: run the child of that
    checkout of teisite (its own bench/run.py, its own package) instead of this one."""
    result_file = WORK / f".child-{kind}.json"
    script = (checkout / "bench" / "run.py") if checkout else Path(__file__).resolve()
    result_file.unlink(missing_ok=True)
    with open(WORK / f"child-{kind}.log", "w") as logf:
        t = time.perf_counter()
        p = subprocess.Popen([sys.executable, str(script), "--child", kind,
                              str(result_file), *args], stdout=logf, stderr=subprocess.STDOUT,
                             cwd=checkout or REPO)
        pss = 0.0
        while True:
            pid, status, usage = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if sample:
                pss = max(pss, _tree_pss(p.pid))
            time.sleep(0.02)
        wall = time.perf_counter() - t
        p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0 or not result_file.exists():
        tail = (WORK / f"child-{kind}.log").read_text(errors="replace")[-3000:]
        raise SystemExit(f"bench: child {kind} {args} failed ({p.returncode}):\n{tail}")
    res = json.loads(result_file.read_text())
    res["wall"], res["rss"], res["pss"] = wall, usage.ru_maxrss / 1024, pss
    res["cpu"] = usage.ru_utime + usage.ru_stime
    return res


# --- corpora -------------------------------------------------------------------------------------

def make_large_corpus(dest: Path, copies: int = COPIES) -> Path:
    """copies × editions/*.xml with renamed files and document-level ids; indices/ copied once."""
    from lxml import etree
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "editions").mkdir(parents=True)
    shutil.copytree(MK / "indices", dest / "indices")
    register_ids = set()
    for f in (MK / "indices").glob("*.xml"):
        register_ids.update(etree.parse(str(f)).getroot().xpath("//@xml:id"))
    sources = sorted((MK / "editions").glob("*.xml"))
    names = {f.name for f in sources}
    for f in sources:
        tree = etree.parse(str(f))
        root = tree.getroot()
        # ids of register entries (anything inside a list*, or known to indices/) stay as they are
        local = {el.get(XML_ID) for el in root.iter() if isinstance(el.tag, str) and el.get(XML_ID)
                 and el.get(XML_ID) not in register_ids
                 and not any(etree.QName(a).localname.startswith("list") for a in el.iterancestors())}
        data = etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
        for k in range(1, copies + 1):
            copy = etree.fromstring(data)
            suffix = f"_c{k}"
            for el in copy.iter():
                if not isinstance(el.tag, str):
                    continue
                for attr, value in el.attrib.items():
                    if attr == XML_ID:
                        if value in local:
                            el.set(attr, value + suffix)
                    elif "#" in value or value in names:
                        new = _rename_pointers(value, local, names, suffix)
                        if new != value:
                            el.set(attr, new)
            title = copy.find(f"{{{TEI_NS}}}teiHeader/{{{TEI_NS}}}fileDesc/{{{TEI_NS}}}titleStmt/"
                              f"{{{TEI_NS}}}title")
            if title is not None:
                title.text = (title.text or "") + f" [{k}]"
            (dest / "editions" / f"{f.stem}{suffix}.xml").write_bytes(
                etree.tostring(copy, xml_declaration=True, encoding="UTF-8"))
    return dest


def _rename_pointers(value: str, local: set[str], names: set[str], suffix: str) -> str:
    out = []
    for token in value.split():
        if token.startswith("#") and token[1:] in local:
            token = token + suffix
        elif token in names:
            token = token[:-4] + suffix + ".xml"
        out.append(token)
    return " ".join(out)


def change_one_document(corpus: Path, i: int) -> Path:
    """Modify one text node of one document (a different text each time)."""
    from lxml import etree
    f = sorted((corpus / "editions").glob("*.xml"))[len(list((corpus / "editions").glob("*.xml"))) // 2]
    tree = etree.parse(str(f))
    p = next(e for e in tree.getroot().iter(f"{{{TEI_NS}}}p") if e.text and e.text.strip())
    p.text = re.sub(r" \[bench edit \d+\]$", "", p.text) + f" [bench edit {i}]"
    f.write_bytes(etree.tostring(tree, xml_declaration=True, encoding="UTF-8"))
    return f


# --- reading a built site ------------------------------------------------------------------------

def site_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html")
                  if p.name != "404.html" and p.relative_to(site).parts[0] != "assets")


def article(page: Path):
    import lxml.html
    tree = lxml.html.parse(str(page))
    found = tree.xpath("//article[contains(concat(' ', @class, ' '), ' md-content__inner ')]")
    return found[0] if found else None


def visible_text(el) -> str:
    from lxml import etree
    el = __import__("copy").deepcopy(el)
    for bad in el.xpath(".//script | .//style | .//template"):
        bad.drop_tree()
    return " ".join(etree.tostring(el, method="text", encoding="unicode").split())


def search_index_stats(site: Path) -> dict:
    index = site / "search" / "search_index.json"
    raw = index.read_text(encoding="utf-8") if index.exists() else ""
    pagefind = site / "pagefind"   # teisite's search (issue 15): the chunked index, not its code
    pagefind_bytes = sum(f.stat().st_size for f in pagefind.rglob("*") if f.is_file()
                         and f.suffix not in (".js",) and not f.name.startswith("wasm."))
    text = every = 0
    for page in site_pages(site):
        rel = page.relative_to(site).parts
        a = article(page)
        n = len(visible_text(a).encode("utf-8")) if a is not None else 0
        every += n
        if rel[0] == "texts" and len(rel) == 3:          # texts/<slug>/index.html, not texts/index.html
            text += n
    escapes = len(re.findall(r"\\u[0-9a-fA-F]{4}", raw))
    return {"index": len(raw.encode("utf-8")) + pagefind_bytes, "text": text, "all_text": every, "escapes": escapes,
            "cyrillic_escapes": len(re.findall(r"\\u04[0-9a-fA-F]{2}", raw))}


FLOOR_HOOK = """\
# The MkDocs floor's one hook: hand each page its stored HTML, as teisite's on_page_content does.
from pathlib import Path

HTML = Path(__file__).parent / "html"


def on_page_content(html, page, config, files):
    f = HTML / (page.file.src_uri + ".html")
    return f.read_text(encoding="utf-8") if f.exists() else html
"""


def make_mkdocs_floor(site: Path, proj, dest: Path) -> tuple[Path, Path, Path]:
    """Plain MkDocs projects with one page per page of the built teisite site, same HTML.

    mkdocs.yml: each Markdown page is a title stub and a 5-line hook returns the HTML from
    on_page_content, which is the path teisite's pages take, minus the TEI work; the pages
    teisite makes are left out of the theme's search (`search: exclude`), as teisite does, which
    writes their search entries itself (that is counted as its work);
    mkdocs-search.yml: the same, with the theme's search parsing every page's HTML;
    mkdocs-raw.yml: each Markdown page holds the article HTML raw (Python-Markdown parses it).
    """
    import lxml.html
    import yaml

    from teisite.project import mkdocs_config
    project_config = proj.config_file
    docs_dir = Path(mkdocs_config(proj, Path(tempfile.gettempdir()) / "teisite-bench-unused").docs_dir)
    if dest.exists():
        shutil.rmtree(dest)
    folders, count = set(), 0
    for page in site_pages(site):
        rel = page.relative_to(site)
        if len(rel.parts) == 3:                         # folder/slug/index.html → folder/slug.md
            src = f"{rel.parts[0]}/{rel.parts[1]}.md"
        else:                                           # index.html, folder/index.html
            src = "/".join([*rel.parts[:-1], "index.md"])
        if len(rel.parts) > 1:
            folders.add(rel.parts[0])
        a = article(page)
        inner = "" if a is None else (a.text or "") + "".join(
            lxml.html.tostring(c, encoding="unicode") for c in a)
        title = rel.parts[-2] if len(rel.parts) > 1 else "Home"
        stub = f"---\ntitle: {json.dumps(title)}\n---\n"
        # pages from the project's own Markdown stay in the theme's search, as with teisite
        excluded = stub if (docs_dir / src).exists() else \
            f"---\ntitle: {json.dumps(title)}\nsearch:\n  exclude: true\n---\n"
        for folder, text in (("docs-raw", f"{stub}\n<div class=\"floor\">\n{inner}\n</div>\n"),
                             ("docs", excluded), ("docs-search", stub), ("html", inner)):
            f = dest / folder / (src + ".html" if folder == "html" else src)
            f.parent.mkdir(parents=True, exist_ok=True)
            f.write_text(text, encoding="utf-8")
        count += 1
    (dest / "floor_hook.py").write_text(FLOOR_HOOK, encoding="utf-8")
    try:
        pconf = yaml.safe_load(project_config.read_text(encoding="utf-8")) or {} if project_config else {}
    except yaml.YAMLError:
        pconf = {}
    search = next((p for p in pconf.get("plugins", []) if p == "search" or
                   (isinstance(p, dict) and "search" in p)), "search")
    theme = dict(pconf.get("theme") or {"name": "material"})
    theme["font"] = False
    nav = [{"Home": "index.md"}] + [{f: f"{f}/index.md"} for f in sorted(folders)
                                    if (dest / "docs" / f / "index.md").exists()]
    config = {"site_name": pconf.get("site_name", "MkDocs floor"), "docs_dir": "docs",
              "site_dir": "site", "theme": theme, "plugins": [search],
              "markdown_extensions": pconf.get("markdown_extensions",
                                               ["attr_list", "md_in_html", "toc"]),
              "nav": nav, "not_in_nav": "\n".join(f"/{f}/" for f in sorted(folders))}
    hooked = dest / "mkdocs.yml"
    hooked.write_text(yaml.safe_dump({**config, "hooks": ["floor_hook.py"]}, allow_unicode=True,
                                     sort_keys=False), encoding="utf-8")
    searched = dest / "mkdocs-search.yml"
    searched.write_text(yaml.safe_dump({**config, "docs_dir": "docs-search", "hooks": ["floor_hook.py"]},
                                       allow_unicode=True, sort_keys=False), encoding="utf-8")
    raw = dest / "mkdocs-raw.yml"
    raw.write_text(yaml.safe_dump({**config, "docs_dir": "docs-raw"}, allow_unicode=True,
                                  sort_keys=False), encoding="utf-8")
    (dest / "pages.txt").write_text(str(count))
    return hooked, searched, raw


# --- the measurements ----------------------------------------------------------------------------

def median(xs):
    return statistics.median(xs) if xs else None


def whole_builds(r: dict, name: str, arg: str, site: Path, runs: int, texts: Path | None) -> None:
    """`runs` whole builds into an empty `site` (each followed by a run of the peer over the texts
    listed in the JSON file `texts`, when given), then one more build for its memory."""
    builds, peers, load = [], [], [os.getloadavg()[0]]
    for i in range(runs):
        log(f"{name}: whole build, run {i + 1}/{runs}")
        shutil.rmtree(site, ignore_errors=True)
        builds.append(run_child("build", arg, str(site)))
        if texts is not None:   # in turn with the builds, so that both meet the same machine
            log(f"{name}: the peer (html.xsl under SaxonC-HE), run {i + 1}/{runs}")
            out = Path(tempfile.mkdtemp(prefix="peer-", dir=WORK))
            peers.append(run_child("peer", str(texts), str(out)))
            shutil.rmtree(out, ignore_errors=True)
        load.append(os.getloadavg()[0])
    r["load"] = (min(load), max(load))   # 1-minute load average, before and after each run
    r["build"] = median([b["wall"] for b in builds])
    r["build_cpu"] = median([b["cpu"] for b in builds])
    r["hooks"] = median([b["tei"] for b in builds])
    r["mkdocs_part"] = median([b["total"] - b["tei"] for b in builds])
    if peers:
        r["peer"] = median([x["wall"] for x in peers])
        r["peer_compile"] = median([x["compile"] for x in peers])
        r["peer_transform"] = median([x["transform"] for x in peers])
        r["peer_files"], r["peer_failed"] = peers[-1]["files"], peers[-1]["failed"]
        r["peer_html"], r["peer_version"] = peers[-1]["html"], peers[-1]["version"]
        r["peer_rss"] = max(x["rss"] for x in peers)
        r["peer_cpu"] = median([x["cpu"] for x in peers])
        r["peer_ratio"] = r["build"] / r["peer"]
        r["peer_ratio_cpu"] = r["build_cpu"] / r["peer_cpu"]
        log(f"{name}: whole build ÷ peer {r['peer_ratio']:.2f}× ({r['build']:.1f} s ÷ {r['peer']:.1f} s)")
    log(f"{name}: whole build, one more run for its memory")
    shutil.rmtree(site, ignore_errors=True)
    sampled = run_child("build", arg, str(site), sample=True)
    r["rss"] = max(b["rss"] for b in [*builds, sampled])
    r["pss"] = sampled["pss"]
    r["site_pages"] = len(site_pages(site))


def measure_scale(name: str, project: Path, runs: int) -> dict:
    """Whole builds, their memory and the peer only (the ~4,400-document corpus; all with --scale)."""
    texts = WORK / f".texts-{name}.json"
    files = sorted(str(f) for f in (project / "editions").glob("*.xml"))
    texts.write_text(json.dumps(files))
    r: dict = {"name": name, "texts": len(files)}
    whole_builds(r, name, str(project), WORK / "sites" / name, runs, texts)
    return r


def measure(name: str, project: Path | None, runs: int, rebuild: bool, peer: bool = False) -> dict:
    """Everything for one corpus; project None is the seed edition (the repository itself);
    `peer`: also run the peer over its texts, in turn with the whole builds."""
    sys.path.insert(0, str(REPO))
    from teisite.project import find_project
    proj = find_project(project)
    arg = str(project) if project else ""
    site = WORK / "sites" / name
    r: dict = {"name": name}
    if project is None:
        measure_schema(r, arg, runs)

    tw, base = [], []
    for i in range(runs):
        log(f"{name}: TEI work alone, run {i + 1}/{runs}")
        tw.append(run_child("teiwork", arg))
        if BASELINE is not None:  # in turn with this checkout's, so that both meet the same machine
            log(f"{name}: TEI work alone of the baseline ({BASELINE[1]}), run {i + 1}/{runs}")
            base.append(run_child("teiwork", arg, checkout=BASELINE[0]))
    if base:
        r["base_tei"] = median([x["tei"] for x in base])
        r["base_tei_cpu"] = median([x["tei_cpu"] for x in base])
        r["base_ratio"] = r_ratio = median([x["tei"] for x in tw]) / r["base_tei"]
        r["base_ratio_cpu"] = median([x["tei_cpu"] for x in tw]) / r["base_tei_cpu"]
        r["base_name"] = BASELINE[1]
        log(f"{name}: TEI work ÷ baseline {r_ratio:.2f}×")
    r.update({k: tw[-1][k] for k in ("pages", "texts", "entries", "mentions", "html")})
    r["tei"] = median([x["tei"] for x in tw])
    r["tei_cpu"] = median([x["tei_cpu"] for x in tw])
    r["tei_load"] = median([x["load"] for x in tw])
    r["tei_render"] = median([x["render"] for x in tw])
    r["tei_rss"] = max(x["rss"] for x in tw)

    files = WORK / f".files-{name}.json"
    files.write_text(json.dumps(tw[-1]["files"]))
    lx = []
    for i in range(runs):
        log(f"{name}: lxml floor, run {i + 1}/{runs}")
        lx.append(run_child("lxml", str(files)))
    r["lxml"] = median([x["seconds"] for x in lx])
    r["lxml_files"] = lx[-1]["files"]

    texts = None
    if peer:
        texts = WORK / f".texts-{name}.json"
        texts.write_text(json.dumps(tw[-1]["text_files"]))
    whole_builds(r, name, arg, site, runs, texts)
    r.update(search_index_stats(site))

    log(f"{name}: writing the MkDocs floor project")
    floor_cfg, search_cfg, raw_cfg = make_mkdocs_floor(site, proj, WORK / "floors" / name)
    fl = []
    for i in range(runs):
        log(f"{name}: MkDocs floor (HTML from a hook), run {i + 1}/{runs}")
        shutil.rmtree(floor_cfg.parent / "site", ignore_errors=True)
        fl.append(run_child("mkdocs", str(floor_cfg)))
    r["floor"] = median([x["total"] for x in fl])
    r["floor_pages"] = int((floor_cfg.parent / "pages.txt").read_text())
    r["floor_rss"] = max(x["rss"] for x in fl)
    # for reference, 1 run each: the theme's search parsing every page's HTML (teisite avoids
    # that), and the HTML raw in Markdown (Python-Markdown re-parses it all): neither is a floor
    log(f"{name}: MkDocs with the theme's search on every page, 1 run")
    shutil.rmtree(floor_cfg.parent / "site", ignore_errors=True)
    r["floor_search"] = run_child("mkdocs", str(search_cfg))["total"]
    log(f"{name}: MkDocs with raw HTML in Markdown, 1 run")
    shutil.rmtree(floor_cfg.parent / "site", ignore_errors=True)
    r["floor_raw"] = run_child("mkdocs", str(raw_cfg))["total"]

    if rebuild:
        rb = []
        log(f"{name}: a build that fills the build cache (not measured)")
        rebuild_once(arg, site)
        for i in range(runs):
            changed = change_one_document(project, i + 1)
            log(f"{name}: rebuild after changing {changed.name}, run {i + 1}/{runs}")
            rb.append(rebuild_once(arg, site))
        r["rebuild"] = median([x["wall"] for x in rb])
        r["rebuild_ratio"] = r["rebuild"] / r["build"]
        r["rebuild_cpu"] = median([x["cpu"] for x in rb])
        r["rebuild_tei"] = median([x["tei"] for x in rb])
        r["rebuild_rss"] = max(x["rss"] for x in rb)
        sv = []
        for i in range(runs):
            log(f"{name}: rebuild while serving, run {i + 1}/{runs}")
            shutil.rmtree(WORK / "sites" / f"{name}-serve", ignore_errors=True)
            sv.append(run_child("serve", arg, str(WORK / "sites" / f"{name}-serve"), str(project),
                                str(runs + i + 1)))
        r["serve_first"] = median([x["first"] for x in sv])
        r["serve_rebuild"] = median([x["second_wall"] for x in sv])
        r["serve_rebuild_cpu"] = median([x["second_cpu"] for x in sv])
        r["serve_rebuild_tei"] = median([x["tei"] for x in sv])
        log(f"{name}: rebuild while serving, one more run for its memory")
        shutil.rmtree(WORK / "sites" / f"{name}-serve", ignore_errors=True)
        sampled = run_child("serve", arg, str(WORK / "sites" / f"{name}-serve"), str(project),
                            str(2 * runs + 1), sample=True)
        r["serve_rss"] = max(x["rss"] for x in [*sv, sampled])
        r["serve_pss"] = sampled["pss"]
    r["tei_ratio"] = r["tei"] / r["lxml"]
    r["mkdocs_ratio"] = r["mkdocs_part"] / r["floor"]
    r["index_ratio"] = r["index"] / r["text"] if r["text"] else float("nan")
    return r


def rebuild_once(project_arg: str, site: Path) -> dict:
    """The same build as a whole build, into the site of the previous build, with the build
    cache (.teisite-cache/) of the build before it."""
    return run_child("build", project_arg, str(site), "cached")


# --- the report ----------------------------------------------------------------------------------

def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    from importlib.metadata import PackageNotFoundError, version
    versions = []
    for mod, dist in (("lxml", "lxml"), ("jinja2", "jinja2"), ("mkdocs", "mkdocs"),
                      ("material", "mkdocs-material")):
        try:
            versions.append(f"{mod} {version(dist)}")
        except PackageNotFoundError:
            versions.append(f"{mod} ?")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"Machine (load average {load}): {nproc} CPUs ({cpu}), Python {platform.python_version()} "
            f"({platform.python_implementation()}), {', '.join(versions)}, {platform.system()} "
            f"{platform.release()}")


def table(results: list[dict], runs: int, quick: bool) -> str:
    def s(v):
        return "–" if v is None else f"{v:.3f} s" if v < 0.1 else f"{v:.2f} s"

    def mb(v):
        return "–" if v is None else f"{v / 1e6:.2f} MB"

    # the targets of issues 7 and 18 item 3 are judged on the 1,017 documents, not the --large corpus
    largest = next((r for r in reversed(results) if r["name"] != "large"), results[-1])
    big = largest["texts"] >= 1000
    rows = [
        ("Documents / entries / mentions", lambda r: f"{r['texts']} / {r['entries']} / {r['mentions']}", None, None),
        ("Pages built (floor pages)", lambda r: f"{r['site_pages']} ({r['floor_pages']})", None, None),
        ("Whole build, wall (median)", lambda r: s(r["build"]), "build", "build"),
        ("Whole build, CPU (user + sys)", lambda r: s(r["build_cpu"]), None, None),
        ("Peer: TEI Stylesheets' html.xsl under SaxonC-HE, whole process, wall (compile + transform)",
         lambda r: f"{s(r['peer'])} ({r['peer_compile']:.2f} + {r['peer_transform']:.2f})", None, None),
        ("(texts transformed; failed in the stylesheet)",
         lambda r: f"{r['peer_files']}; {len(r['peer_failed'])}", None, None),
        ("(the peer's CPU, user + sys)", lambda r: s(r["peer_cpu"]), None, None),
        ("Whole build ÷ peer, wall (CPU)", lambda r: f"{r['peer_ratio']:.2f}× (CPU {r['peer_ratio_cpu']:.2f}×)",
         "peer_ratio", "peer_ratio"),
        ("Peak memory of the build: its processes together (sum of PSS)", lambda r: f"{r['pss']:.0f} MB", "rss", "pss"),
        ("(the largest single process, max RSS)", lambda r: f"{r['rss']:.0f} MB", None, None),
        ("TEI work alone: load + render all pages, wall", lambda r: f"{s(r['tei'])} ({r['tei_load']:.2f} + {r['tei_render']:.2f})", None, None),
        ("(CPU time of that, all processes)", lambda r: s(r["tei_cpu"]), None, None),
        ("TEI work alone of the baseline (`--baseline`), wall (CPU)", lambda r: f"{s(r['base_tei'])} (CPU {s(r['base_tei_cpu'])}; {r['base_name']})", None, None),
        ("TEI work ÷ baseline, wall (CPU)", lambda r: f"{r['base_ratio']:.2f}× (CPU {r['base_ratio_cpu']:.2f}×)", "base_ratio", "base_ratio"),
        ("Floor (a): lxml parse + tostring, same files", lambda r: s(r["lxml"]), None, None),
        ("TEI work ÷ lxml floor", lambda r: f"{r['tei_ratio']:.1f}×", "tei_ratio", "tei_ratio"),
        ("TEI work inside the build (plugin hooks)", lambda r: s(r["hooks"]), None, None),
        ("MkDocs part (build − plugin hooks)", lambda r: s(r["mkdocs_part"]), None, None),
        ("Floor (b): plain MkDocs, same pages, same HTML via a hook", lambda r: s(r["floor"]), None, None),
        ("(same, the theme's search parsing every page; 1 run)", lambda r: s(r["floor_search"]), None, None),
        ("(same, the HTML raw in Markdown; 1 run)", lambda r: s(r["floor_raw"]), None, None),
        ("MkDocs part ÷ MkDocs floor", lambda r: f"{r['mkdocs_ratio']:.2f}×", "mkdocs_ratio", "mkdocs_ratio"),
        ("Rebuild after 1 changed doc, `build.py build` with the build cache, wall (CPU)", lambda r: f"{s(r.get('rebuild'))} (CPU {s(r.get('rebuild_cpu'))})",
         None, None),
        ("That rebuild ÷ a cold whole build (wall)", lambda r: f"{r['rebuild_ratio']:.2f}×",
         "rebuild_ratio", "rebuild_ratio"),
        ("TEI work in that rebuild (plugin hooks)", lambda r: s(r.get("rebuild_tei")), None, None),
        ("Rebuild after 1 changed document while serving (same plugin, second build), wall (CPU)",
         lambda r: f"{s(r.get('serve_rebuild'))} (CPU {s(r.get('serve_rebuild_cpu'))})", None, None),
        ("TEI work in that rebuild (plugin hooks)", lambda r: s(r.get("serve_rebuild_tei")),
         "rebuild_tei", "serve_rebuild_tei"),
        ("Peak memory while serving (two builds; sum of PSS)", lambda r: f"{r['serve_pss']:.0f} MB", None, None),
        ("Search index (Pagefind's files)", lambda r: mb(r["index"]), None, None),
        ("Visible text of the text pages", lambda r: mb(r["text"]), None, None),
        ("Search index ÷ text", lambda r: f"{r['index_ratio']:.2f}", "index_ratio", "index_ratio"),
        ("Visible text of all pages; index ÷ that", lambda r: f"{mb(r['all_text'])}; {r['index'] / r['all_text']:.2f}", None, None),
        ("`check --schema` with jing, wall", lambda r: s(r["schema_jing"]), "schema_jing", "schema_jing"),
        ("`check --schema` with lxml: empty cache; cache warm, wall",
         lambda r: f"{s(r['schema_lxml_cold'])}; {s(r['schema_lxml'])}", "schema_lxml", "schema_lxml"),
        ("\\uXXXX escapes in the index (Cyrillic)", lambda r: f"{r['escapes']} ({r['cyrillic_escapes']})", None, None),
    ]
    head = ["Measure", *[f"{r['name']} ({r['texts']} docs)" for r in results], "Target", "Result"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for label, fmt, target, key in rows:
        cells = []
        for r in results:
            try:
                cells.append(fmt(r))
            except (KeyError, TypeError):
                cells.append("–")
        if all(c.startswith("–") for c in cells):   # not measured in this run (--scale, --baseline)
            continue
        verdict, tlabel = "", ""
        if target:
            tlabel, test = TARGETS[target]
            judged = largest
            if target.startswith("schema"):   # measured on the seed only
                judged = next((r for r in results if "schema_lxml" in r), {})
            value = judged.get(key)
            if target in ("build", "rss", "rebuild_tei", "peer_ratio", "rebuild_ratio") and not big:
                verdict = "n/a (no 1,000+ corpus)"
            elif value is None:
                verdict = "–"
            else:
                verdict = "PASS" if test(value) else "FAIL"
        lines.append("| " + " | ".join([label, *cells, tlabel, verdict]) + " |")
    notes = [
        "",
        (f"Medians of {runs} run(s). Result: judged on the largest corpus ({largest['name']}). "
        "Times are wall time (`time.perf_counter()`): a one-off build renders text and entry pages "
        "in one process per core (forked after loading), so CPU time would count that work twice "
        "over; CPU time of all processes is shown beside it. The lxml floor is one process. "
        "Memory: the peak of the summed PSS (proportional set size: pages a forked worker shares "
        "with the build are split between them, not counted twice) of the build's process and "
        "its workers, sampled every 20 ms in one more run whose time is not counted (reading "
        "PSS walks a process's page tables: about 20 ms for 1.3 GB, which slowed the build it "
        "sampled); and the largest max RSS of a single process over all runs."),
        ("Whole build: `build.py build PROJECT --out DIR` in a fresh process, interpreter start included, "
        "into an empty folder. TEI work alone: `plugin.load(config)` + `pages.render(src)` for every "
        "page of `pages.sources(has_index=False)`, no MkDocs build. MkDocs part: the build's own clock "
        "minus the time spent inside teisite's `on_*` hooks. Floor (b): one Markdown page per built page "
        "(a title stub; a 5-line `hooks:` file returns that page's article HTML from `on_page_content`, "
        "as teisite does), short `nav:`, the rest under `not_in_nav`, Material, `font: false`, search "
        "plugin, built with `mkdocs.commands.build.build`; the pages teisite generates carry "
        "`search: exclude: true`, as teisite's do (teisite writes their search entries itself, and "
        "that time counts as its work). Shown for reference: the same with the theme's search parsing "
        "every page, and with the HTML raw in the Markdown, which Python-Markdown re-parses "
        "(md_in_html and MkDocs' raw-HTML pass): teisite pays neither, so neither is a floor."),
        ("Rebuild: one `<p>` text node of one document changed, then the same build command into the "
        "previous build's output folder. While serving: in one process, as `mkdocs serve` does: "
        "`on_startup(command=\"serve\")`, a first build, the change, then `load_config` again (MkDocs "
        "hands back the same plugin object) and a second build, which is the one measured."),
        ("Visible text: the text content of the article of each texts/<slug>/ page, scripts left out, "
        "whitespace collapsed, UTF-8 bytes."),
        ("Peer: the TEI Consortium Stylesheets' html/html.xsl (../shared/peer/tei-stylesheets/) under "
        "SaxonC-HE, in a fresh process: `compile_stylesheet` once, then `transform_to_file` of every "
        "text to an HTML file in a temporary folder (bare HTML: no registers, indexes, search or "
        "site). Its wall time is the whole process's, interpreter start included, as for the build; "
        "each peer run follows a whole build, in turn. A document the stylesheet fails on is "
        "counted and skipped."),
    ]
    return "\n".join(lines) + "\n" + "\n\n".join(notes) + scale_table(results)


def _figure(v: float | None, unit: str) -> str:
    if v is None:
        return "–"
    return f"{v:.2f}×" if unit == "×" else f"{v:.1f} s" if unit == "s" else f"{v:.0f} MB"


def scale_table(results: list[dict]) -> str:
    """The curve 113 → 1,017 → 4,407 documents (issue 18 item 4): each figure, the exponent k of
    figure ∝ documents^k between neighbouring points, and the last k carried on to 50,000."""
    points = [r for r in results if r["name"] in ("maechtekongresse", "generated", "large")]
    if len(points) < 2:
        return ""
    big = 50_000
    pairs = list(itertools.pairwise(points))
    rows = [("Whole build, wall", "build", "s", "large_build"), ("Whole build, CPU", "build_cpu", "s", None),
            ("Peak memory, sum of PSS", "pss", "MB", "large_pss"),
            ("(the largest single process, max RSS)", "rss", "MB", None),
            ("Peer (html.xsl under SaxonC-HE), wall", "peer", "s", None),
            ("Peer, CPU", "peer_cpu", "s", None),
            ("Whole build ÷ peer, wall", "peer_ratio", "×", None),
            ("Whole build ÷ peer, CPU", "peer_ratio_cpu", "×", None)]
    counts = " → ".join(f"{r['texts']:,}" for r in points)
    head = ["Measure", *[f"{r['texts']:,} docs" for r in points],
            *[f"k, {a['texts']:,} → {b['texts']:,}" for a, b in pairs],
            f"{big:,} docs (last k)", "Target", "Result"]
    lines = ["", "", f"### Growth: {counts} documents", "",
             "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for label, key, unit, target in rows:
        values = [r.get(key) for r in points]
        ks = [math.log(b[key] / a[key]) / math.log(b["texts"] / a["texts"]) if a.get(key) and b.get(key)
              and unit != "×" else None for a, b in pairs]
        guess = None
        if ks[-1] is not None and unit != "×":
            guess = values[-1] * (big / points[-1]["texts"]) ** ks[-1]
        tlabel, verdict = "", ""
        if target:
            tlabel, test = TARGETS[target]
            judged = next((r for r in points if r["name"] == "large"), {})
            verdict = "n/a (no --large)" if judged.get(key) is None else "PASS" if test(judged[key]) else "FAIL"
        lines.append("| " + " | ".join([label, *(_figure(v, unit) for v in values),
                                        *("–" if k is None else f"{k:.2f}" for k in ks),
                                        _figure(guess, unit), tlabel, verdict]) + " |")
    lines.append("| Load average (1 min) around the builds, min–max | " + " | ".join(
        f"{r['load'][0]:.1f}–{r['load'][1]:.1f}" if "load" in r else "–" for r in points) +
        " |" + " |" * (len(head) - 1 - len(points)))
    lines += ["", ("k: the exponent of figure ∝ documents^k between two neighbouring points (1 is linear). "
                   f"The {big:,}-document column carries the last k on from the largest corpus: an "
                   "extrapolation, not a measurement.")]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        kind, result_file, *args = argv[1:]
        res = CHILDREN[kind](*args)
        Path(result_file).write_text(json.dumps(res))
        return 0
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3, help="runs per measurement (median; default 3)")
    ap.add_argument("--quick", action="store_true", help="1 run, no 1,000-document corpus")
    ap.add_argument("--no-record", action="store_true", help="leave bench/RESULTS.md alone")
    ap.add_argument("--large", action="store_true",
                    help=f"also the corpus of {LARGE_COPIES} copies ({LARGE_COPIES * 113} documents)")
    ap.add_argument("--scale", action="store_true",
                    help="only whole builds, their memory and the peer, at 113 and 1,017 documents "
                         "(and 4,407 with --large): the growth curve")
    ap.add_argument("--only", choices=["seed", *GENRES, "maechtekongresse", "generated", "large"], action="append",
                    help="measure only these corpora (may be repeated)")
    ap.add_argument("--keep", action="store_true", help="keep the corpus, sites and floor projects")
    ap.add_argument("--names", action="store_true",
                    help="only what the untagged-name finder adds to `check` at ~1,000 documents")
    ap.add_argument("--baseline", metavar="REV",
                    help="also measure the TEI work of git revision REV, in turn with this checkout's")
    args = ap.parse_args(argv)
    runs = 1 if args.quick else max(1, args.runs)
    if not MK.is_dir():
        print(f"bench: {MK} not found: ../shared must sit beside the repository", file=sys.stderr)
        return 2
    global WORK
    OUT.mkdir(parents=True, exist_ok=True)
    # a folder of its own, so two runs at once (slow as they then are) do not clobber each other
    WORK = Path(tempfile.mkdtemp(prefix="run-", dir=OUT))
    log(f"working in {WORK}")
    global BASELINE
    if args.baseline:
        checkout = WORK / "baseline"
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", str(checkout), args.baseline],
                       check=True, capture_output=True)
        BASELINE = (checkout, subprocess.run(["git", "-C", str(checkout), "rev-parse", "--short", "HEAD"],
                                             capture_output=True, text=True, check=True).stdout.strip())
    wanted = args.only or ["seed", *GENRES, "maechtekongresse"] + ([] if args.quick else ["generated"]) \
        + (["large"] if args.large else [])
    if args.scale:
        wanted = args.only or ["maechtekongresse", "generated"] + (["large"] if args.large else [])
    info = machine()
    print(info, file=sys.stderr)
    started = time.strftime("%Y-%m-%d %H:%M")
    try:
        head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=False).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "teisite", "templates"],
                               capture_output=True, text=True, check=False).stdout.strip()
        started += f", teisite at {head or '?'}" + (" with uncommitted changes" if dirty else "")
    except OSError:
        pass
    results: list[dict] = []
    if args.names:
        log("generating the 1,000+ document corpus and 1,000 copies of the seed's text")
        results = [measure_names("generated (German)", make_large_corpus(WORK / f"corpus-{COPIES * 113}"), runs),
                   measure_names("seed × 1,000 (Russian)", make_russian_corpus(WORK / "corpus-ru"), runs)]
        report = (f"# teisite benchmark: the untagged-name finder, {started}\n\nAt the start: {info}\n"
                  f"At the end: {machine()}\n\n{names_table(results, runs)}\n")
        (OUT / "names.md").write_text(report, encoding="utf-8")
        print(report)
        if not args.keep:
            shutil.rmtree(WORK, ignore_errors=True)
        return 0

    def keep(r: dict) -> None:   # results.json after each corpus: a later failure loses only its own
        results.append(r)
        (OUT / "results.json").write_text(json.dumps(results, indent=1))
    if "seed" in wanted:
        keep(measure("seed", None, runs, rebuild=False))
    for name, folder in GENRES.items():
        if name in wanted:
            keep(measure(name, folder, runs, rebuild=False))
    if "maechtekongresse" in wanted:
        keep(measure_scale("maechtekongresse", MK, runs) if args.scale else
             measure("maechtekongresse", MK, runs, rebuild=False, peer=True))
    if "generated" in wanted:
        log("generating the 1,000+ document corpus")
        corpus = make_large_corpus(WORK / f"corpus-{COPIES * 113}")
        keep(measure_scale("generated", corpus, runs) if args.scale else
             measure("generated", corpus, runs, rebuild=True, peer=True))
    if "large" in wanted:
        log(f"generating the {LARGE_COPIES * 113}-document corpus")
        corpus = make_large_corpus(WORK / f"corpus-{LARGE_COPIES * 113}", LARGE_COPIES)
        keep(measure_scale("large", corpus, runs))
    report = (f"# teisite benchmark, {started}\n\nAt the start: {info}\nAt the end: {machine()}\n\n"
              f"{table(results, runs, args.quick)}\n")
    (OUT / "results.md").write_text(report, encoding="utf-8")
    if not (args.no_record or args.quick):
        results_log.record("bench/run.py", " ".join(["bench/run.py", *argv]), report.split("\n", 1)[1])
    print(report)
    if args.keep:
        print(f"corpus, sites and floor projects kept in {WORK}", file=sys.stderr)
    else:
        shutil.rmtree(WORK, ignore_errors=True)
    if BASELINE is not None:
        subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(BASELINE[0])],
                       check=False, capture_output=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
