"""bench/timing.py: a command's peak memory is its own, not the benchmark process's."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from timing import run_once  # noqa: E402

ALLOCATE = "import sys; block = bytearray(int(sys.argv[1]) * 2**20); block[::4096] = b'x' * len(block[::4096])"


def test_peak_memory_is_the_commands_own_not_the_benchmarks(tmp_path: Path) -> None:
    # The benchmark process holds its corpus (here 300 MB, touched so it is resident) while it times a
    # command: Linux would report that size for any command forked straight from it.
    held = bytearray(300 * 2**20)
    held[::4096] = b"x" * len(held[::4096])
    small = run_once([sys.executable, "-c", ALLOCATE, "1"], tmp_path)
    large = run_once([sys.executable, "-c", ALLOCATE, "200"], tmp_path)
    assert small.returncode == 0 and large.returncode == 0
    assert small.peak_rss_mb < 100, small
    assert 200 <= large.peak_rss_mb < 300, large
    assert len(held) == 300 * 2**20


def test_exit_code_stderr_and_time_are_the_commands(tmp_path: Path) -> None:
    run = run_once([sys.executable, "-c", "import sys, time; time.sleep(0.3); sys.exit('no such thing')"], tmp_path)
    assert run.returncode == 1
    assert "no such thing" in run.stderr_tail
    assert 0.3 <= run.seconds < 5
    missing = run_once(["/nonexistent/gloss"], tmp_path)
    assert missing.returncode == 127 and "cannot run /nonexistent/gloss" in missing.stderr_tail
