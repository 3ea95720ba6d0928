"""Time whole processes: wall clock and peak memory of one command, and the median over several runs.

We time the generator as a user meets it — a fresh process, interpreter start-up and imports included —
so the figures compare with Hugo's and Pelican's, which are timed the same way.

Peak memory comes from ``os.wait4`` on the child's pid: the kernel hands back that child's own
``rusage`` (max RSS of the child or any descendant it waited for), so runs do not blur into each other
as they would with ``getrusage(RUSAGE_CHILDREN)``, which keeps the maximum over every child ever reaped.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path


class BenchError(RuntimeError):
    """A timed command failed; the message carries its exit code and the tail of its stderr."""


@dataclass
class Run:
    seconds: float
    peak_rss_mb: float
    returncode: int
    stderr_tail: str = ""


@dataclass
class Phase:
    """One measured scenario (e.g. Gloss cold build at 1,000 articles): every run plus summary figures."""

    runs_s: list[float] = field(default_factory=list)
    peak_rss_mb: list[float] = field(default_factory=list)

    @property
    def median_s(self) -> float:
        return statistics.median(self.runs_s)

    def to_json(self) -> dict[str, object]:
        return {
            "median_s": round(self.median_s, 4),
            "min_s": round(min(self.runs_s), 4),
            "max_s": round(max(self.runs_s), 4),
            "runs_s": [round(s, 4) for s in self.runs_s],
            "peak_rss_mb_max": round(max(self.peak_rss_mb), 1),
            "peak_rss_mb_median": round(statistics.median(self.peak_rss_mb), 1),
        }


def run_once(cmd: Sequence[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 1800.0) -> Run:
    """Run ``cmd`` in ``cwd`` with stdout discarded; return wall time, peak RSS and exit code.

    stderr goes to a temporary file rather than a pipe: a chatty child can never block on a full pipe
    while we sit in ``wait4``, and we still get its last lines when it fails.
    """
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(cmd), cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=err)
        # wait4 blocks with no timeout of its own: a timer kills this one child (by its pid) if it hangs.
        killer = threading.Timer(timeout, proc.kill)
        killer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            killer.cancel()
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # tell Popen the child is reaped
        err.seek(0)
        tail = err.read()[-4000:].decode("utf-8", "replace")
    # Linux reports ru_maxrss in KiB.
    return Run(elapsed, usage.ru_maxrss / 1024, proc.returncode, tail)


def measure(cmd: Sequence[str], cwd: Path, runs: int, prepare: Callable[[int], None] | None = None,
            env: dict[str, str] | None = None, label: str = "") -> Phase:
    """``runs`` timed runs of ``cmd``; ``prepare(i)`` runs untimed before run ``i`` (delete output, edit…)."""
    phase = Phase()
    for i in range(runs):
        if prepare is not None:
            prepare(i)
        r = run_once(cmd, cwd, env)
        if r.returncode != 0:
            raise BenchError(f"{label or cmd[0]}: exit {r.returncode} from {' '.join(cmd)} in {cwd}\n"
                             f"{r.stderr_tail.strip()}")
        phase.runs_s.append(r.seconds)
        phase.peak_rss_mb.append(r.peak_rss_mb)
    return phase
