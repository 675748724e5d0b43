"""Work shared with forked processes, for one-off builds on several cores.

A worker is forked when its inputs are ready, so it inherits them instead of receiving them. The
work is cut into batches, which the build's process and the workers take one at a time, in turn,
until none is left: whoever is faster takes more. What a worker makes is written to a file, which
the build's process reads between its own batches: it would otherwise stop to take in a pipe's
worth of a large result at a time (once per turn at the interpreter lock), and the worker wait.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import tempfile
import time
from pathlib import Path

log = logging.getLogger("mkdocs.plugins.teisite")
WORKER_TIMEOUT = 600  # seconds a worker may take for one batch before its work is done here


def _take(counter) -> int:
    """The number of the next batch nobody has taken."""
    with counter.get_lock():
        counter.value += 1
        return counter.value - 1


def _work(fn, batches: list, counter, spool: str) -> None:
    """A forked worker: batches until none is left, each result in a file of its own."""
    while (i := _take(counter)) < len(batches):
        try:
            result = fn(batches[i])
        except Exception:  # noqa: BLE001 - whatever it is, the build's process meets it again
            return  # the build's process does this batch again, and reports what goes wrong
        with tempfile.NamedTemporaryFile("wb", dir=spool, delete=False) as f:
            pickle.dump(result, f, pickle.HIGHEST_PROTOCOL)
        os.replace(f.name, Path(spool) / f"{i}.pickle")  # whole, or not there at all


def fork_map(fn, items: list, jobs: int, batch: int, own=None) -> list:
    """fn over items in batches of `batch`, in this process (with `own` instead of fn, when its
    results need no sending) and `jobs - 1` forked workers. The results of all batches, in no
    particular order; the batches of a worker that says nothing for WORKER_TIMEOUT seconds are
    done here."""
    batches = [items[i:i + batch] for i in range(0, len(items), batch)]
    ctx = multiprocessing.get_context("fork")
    counter = ctx.Value("i", 0)
    results: dict[int, object] = {}
    with tempfile.TemporaryDirectory(prefix="teisite-") as spool:
        workers = [ctx.Process(target=_work, args=(fn, batches, counter, spool), daemon=True)
                   for _ in range(jobs - 1)]
        for w in workers:
            w.start()

        def collect() -> bool:
            """Read what the workers have sent; whether there was anything."""
            found = False
            for entry in os.scandir(spool):
                if entry.name.endswith(".pickle"):
                    with open(entry.path, "rb") as f:
                        results[int(entry.name.split(".")[0])] = pickle.load(f)
                    os.unlink(entry.path)
                    found = True
            return found

        while (i := _take(counter)) < len(batches):
            results[i] = (own or fn)(batches[i])
            collect()
        last = time.monotonic()
        while len(results) < len(batches) and any(w.is_alive() for w in workers):
            if collect():
                last = time.monotonic()
            elif time.monotonic() - last > WORKER_TIMEOUT:
                log.warning("teisite: a worker said nothing for %d s; its work is done in the "
                            "build's own process", WORKER_TIMEOUT)
                break
            else:
                time.sleep(0.005)
        for w in workers:
            w.terminate()
            w.join()
        collect()
    for i, b in enumerate(batches):
        if i not in results:  # taken by a worker that stopped or said nothing
            results[i] = (own or fn)(b)
    return list(results.values())
