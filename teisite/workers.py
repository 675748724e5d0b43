"""Work shared with forked processes, for one-off builds on several cores.

A worker is forked when its inputs are ready, so it inherits them instead of receiving them. What
it makes is written to a file and only the file's name comes back: the build's process, busy with
its own share, would otherwise stop to take in a pipe's worth of a large result at a time (once
per turn at the interpreter lock), and the worker wait for it.
"""

from __future__ import annotations

import logging
import multiprocessing
import pickle
import tempfile
from functools import partial

log = logging.getLogger("mkdocs.plugins.teisite")
WORKER_TIMEOUT = 600  # seconds a worker may take for one batch


def _spooled(fn, spool: str, batch: list):
    result = fn(batch)
    with tempfile.NamedTemporaryFile("wb", dir=spool, suffix=".pickle", delete=False) as f:
        pickle.dump(result, f, pickle.HIGHEST_PROTOCOL)
    return f.name


def fork_map(fn, items: list, jobs: int, batch: int, own=None) -> list:
    """fn over items in `jobs` processes: this one takes every jobs-th item (so that large and
    small ones mix; with `own` instead of fn, when its share needs no sending), forked workers
    the rest in batches of `batch`. The results of this process's share and of every batch
    that came back; a worker that does not answer within WORKER_TIMEOUT is given up (the
    caller does what is missing itself)."""
    mine = items[::jobs]
    theirs = [x for i, x in enumerate(items) if i % jobs]
    batches = [theirs[i:i + batch] for i in range(0, len(theirs), batch)]
    results = []
    spool = tempfile.TemporaryDirectory(prefix="teisite-")
    try:
        with multiprocessing.get_context("fork").Pool(jobs - 1) as pool:
            pending = pool.imap_unordered(partial(_spooled, fn, spool.name), batches)
            results.append((own or fn)(mine))
            for _ in batches:
                with open(pending.next(timeout=WORKER_TIMEOUT), "rb") as f:
                    results.append(pickle.load(f))
    except multiprocessing.TimeoutError:
        log.warning("teisite: a worker gave no answer for %d s; its share is done in the "
                    "build's own process", WORKER_TIMEOUT)
    finally:
        spool.cleanup()
    return results
