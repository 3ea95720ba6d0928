"""Parallel map for the build's per-article stages (parse + Markdown, article-page rendering).

Workers are *forked*: they inherit the parent's imported modules and any
state set up before the fork (the site model, the Jinja environment), so a
task is just an index and only results travel back. Results come back in
input order, so output never depends on scheduling. Small jobs run serially:
starting a pool costs more than it saves below :data:`MIN_PARALLEL` items
(measured, see bench/README.md). Any failure in a worker — an exception, a
result that does not pickle — makes :func:`ordered_map` return ``None`` and
the caller redoes the work serially, where errors are raised and located as
usual.

Ctrl-C reaches every process of the terminal's process group, workers too. The
workers ignore it: only the parent stops (``KeyboardInterrupt``), terminates
the pool and exits 130, instead of every worker printing its own traceback and
the parent waiting on workers that died.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

MIN_PARALLEL = 24
"""Below this many items the serial loop wins (pool start-up and result pickling cost ~40 ms)."""

_task: Callable[[int], Any] | None = None


def cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _worker_start() -> None:
    """In each worker: Ctrl-C is the parent's to handle (it terminates the pool)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # blocked by the parent around the fork
    # The pool ends its workers with SIGTERM when it closes. A parent that ignores SIGTERM (serve's
    # builder process, preview/builder.py) would hand that on, and closing the pool would wait forever.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _run(index: int) -> Any:
    assert _task is not None
    return _task(index)


def can_fork() -> bool:
    """Forking is safe only with one thread (serve runs builds beside its HTTP thread)."""
    import multiprocessing  # here: a small rebuild never starts a pool, nor pays for the import

    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def ordered_map(task: Callable[[int], T], count: int, done: Callable[[T], None] | None = None) -> list[T] | None:
    """``[task(i) for i in range(count)]`` on all cores; None if it should be done serially instead.

    ``done`` is called here, in this process, with each result as it arrives (for a progress line)."""
    global _task
    workers = min(cores(), count)
    if workers < 2 or count < MIN_PARALLEL or not can_fork():
        return None
    _task = task  # read by the forked workers; never pickled
    import multiprocessing

    try:
        # SIGINT is blocked while the workers are forked, so none can get it before it ignores it;
        # one that arrives meanwhile reaches the parent when it is unblocked.
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            pool = multiprocessing.get_context("fork").Pool(workers, initializer=_worker_start)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        with pool:
            # Chunks of a few items: few round trips, yet even work split when items vary in size.
            results: list[T] = []
            for result in pool.imap(_run, range(count), chunksize=max(1, count // (workers * 8))):
                results.append(result)
                if done is not None:
                    done(result)
            return results
    except Exception:
        return None
    finally:
        _task = None
