"""Time whole processes: wall clock and peak memory of one command, and the median over several runs.

We time the generator as a user meets it — a fresh process, interpreter start-up and imports included —
so the figures compare with Hugo's and Pelican's, which are timed the same way.

Peak memory comes from ``os.wait4`` on the child's pid: the kernel hands back that child's own
``rusage`` (max RSS of the child or any descendant it waited for), so runs do not blur into each other
as they would with ``getrusage(RUSAGE_CHILDREN)``, which keeps the maximum over every child ever reaped.
But Linux carries a process's peak RSS across ``exec`` from the process it was forked from: a command
started straight from this process reports at least this process's own size (at 10,000 articles the
corpus held here is ~550 MB, and every Gloss figure read 550+ MB, a warm build included). So each command
is started by a small launcher (:data:`LAUNCHER`, a fresh interpreter): it forks and execs the command
from its own few megabytes, times it from fork to exit, and reports the child's ``wait4`` figures.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
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


LAUNCHER = """
import os, sys, time
out, cmd = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(cmd[0], cmd)
    except OSError as exc:
        os.write(2, f"cannot run {cmd[0]}: {exc}\\n".encode())
    os._exit(127)
_, status, usage = os.wait4(pid, 0)
elapsed = time.perf_counter() - start
with open(out, "w") as f:
    f.write(f"{elapsed} {usage.ru_maxrss}")
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
"""
"""Runs ``argv[2:]`` as a fork of itself; writes "seconds peak-KiB" of it to the file ``argv[1]``."""


def run_once(cmd: Sequence[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 1800.0) -> Run:
    """Run ``cmd`` in ``cwd`` with stdout discarded; return wall time, peak RSS and exit code.

    stderr goes to a temporary file rather than a pipe: a chatty child can never block on a full pipe
    while we wait, and we still get its last lines when it fails. The command runs under
    :data:`LAUNCHER` (see the module's docstring), in a session of its own so that a hung one is killed
    with everything it started.
    """
    with tempfile.TemporaryFile() as err, tempfile.TemporaryDirectory() as scratch:
        figures = Path(scratch) / "figures"
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-S", "-c", LAUNCHER, str(figures), *cmd], cwd=cwd, env=env,
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                                start_new_session=True)
        killer = threading.Timer(timeout, lambda: os.killpg(proc.pid, signal.SIGKILL))
        killer.start()
        try:
            proc.wait()
        finally:
            killer.cancel()
        elapsed = time.perf_counter() - start
        try:
            seconds, kib = figures.read_text().split()
            elapsed, peak_mb = float(seconds), int(kib) / 1024  # Linux reports ru_maxrss in KiB
        except (OSError, ValueError):  # killed before the child ended: no figures
            peak_mb = 0.0
        err.seek(0)
        tail = err.read()[-4000:].decode("utf-8", "replace")
    return Run(elapsed, peak_mb, proc.returncode, tail)
