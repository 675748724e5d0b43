"""Work shared with forked processes, for one-off builds on several cores.

A worker is forked when its inputs are ready, so it inherits them instead of receiving them. The
work is cut into batches, which the build's process and the workers take one at a time, in turn,
until none is left: whoever is faster takes more. What a worker makes is written to a file, which
the build's process reads between its own batches (or, for pages, only when MkDocs asks for them):
it would otherwise stop to take in a pipe's worth of a large result at a time (once per turn at
the interpreter lock), and the worker wait.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import pickle
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

from .trees import give_back_memory

log = logging.getLogger("mkdocs.plugins.teisite")
WORKER_TIMEOUT = 600  # seconds a worker may take for one batch before its work is done here


def _take(counter) -> int:
    """The number of the next batch nobody has taken."""
    with counter.get_lock():
        counter.value += 1
        return counter.value - 1


def _spool(result, spool: str, i: int) -> str:
    """Write the result of batch i to its file in the spool folder; the file's path."""
    path = str(Path(spool) / f"{i}.pickle")
    with tempfile.NamedTemporaryFile("wb", dir=spool, delete=False) as f:
        pickle.dump(result, f, pickle.HIGHEST_PROTOCOL)
    os.replace(f.name, path)
    return path


def _work(fn, batches: list, counter, spool: str) -> None:
    """A forked worker: batches until none is left, each result in a file of its own (written
    whole, or not there at all)."""
    while (i := _take(counter)) < len(batches):
        try:
            result = fn(batches[i])
        except Exception:  # noqa: BLE001 - whatever it is, the build's process meets it again
            return  # the build's process does this batch again, and reports what goes wrong
        _spool(result, spool, i)
        del result
        # what the batch left behind goes before the next: the build's process loads with the
        # collector off (a worker inherits that), so a loader's cyclic garbage was never
        # collected, and glibc keeps freed memory resident
        gc.collect()
        give_back_memory()


class Spooled:
    """A worker's result left in its file until it is needed (see fork_map's `keep`)."""

    __slots__ = ("path",)

    def __init__(self, path: str):
        self.path = path

    def load(self):
        with open(self.path, "rb") as f:
            result = pickle.load(f)
        os.unlink(self.path)
        return result


def fork_map(fn, items: list, jobs: int, batch: int, own=None, keep: str | None = None) -> list:
    """fn over items in batches of `batch`, in this process (with `own` instead of fn, when its
    results need no sending) and `jobs - 1` forked workers. Each batch with its result, in no
    particular order; the batches of a worker that says nothing for WORKER_TIMEOUT seconds are
    done here. With `keep` (a folder the caller owns), the results (this process's too) stay
    there, as Spooled, until the caller needs them, instead of taking memory here while the
    workers run (which is when the processes together take the most)."""
    batches = [items[i:i + batch] for i in range(0, len(items), batch)]
    ctx = multiprocessing.get_context("fork")
    counter = ctx.Value("i", 0)
    results: dict[int, object] = {}
    with nullcontext(keep) if keep else tempfile.TemporaryDirectory(prefix="teisite-") as spool:
        workers = [ctx.Process(target=_work, args=(fn, batches, counter, spool), daemon=True)
                   for _ in range(jobs - 1)]
        for w in workers:
            w.start()

        def collect() -> bool:
            """Take in what the workers have sent; whether there was anything new."""
            found = False
            for entry in os.scandir(spool):
                i = int(entry.name.split(".")[0]) if entry.name.endswith(".pickle") else -1
                if i >= 0 and i not in results:
                    results[i] = Spooled(entry.path) if keep else Spooled(entry.path).load()
                    found = True
            return found

        while (i := _take(counter)) < len(batches):
            result = (own or fn)(batches[i])
            results[i] = Spooled(_spool(result, spool, i)) if keep else result
            del result
            if not gc.isenabled():  # (loading): this batch's cyclic garbage, not the older objects
                gc.collect(1)
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
    return [(batches[i], r) for i, r in results.items()]
