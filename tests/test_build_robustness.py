"""Build machinery under stress (issue #20 defects 2, 8, 12, 13; #21 item 2).

* Many incremental builds with search on leave every file the output should hold (defect 2).
* An unusable spare tree or cache folder is worked around with a warning; a build that fails
  leaves ``output/`` as it was, one that changed it says it succeeded (defect 8).
* A full disk is reported as such (defect 8); a RecursionError and Ctrl-C print no traceback,
  and Ctrl-C in the parallel phase exits 130 promptly (defect 12).
* A forged state or cache entry is never unpickled (defect 13).
* Search scratch folders live beside the output and a killed build's are removed (#21 item 2).
"""

from __future__ import annotations

import errno
import hashlib
import os
import pathlib
import pickle
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.build import cache as cache_module
from generator.build.pipeline import BuildOptions, BuildResult, build
from generator.build.search import find_pagefind
from generator.build.state import STATE_MAGIC
from generator.build.write import spare_path
from generator.cli import main

REPO_ROOT = Path(__file__).resolve().parent.parent
SMALL = REPO_ROOT / "tests" / "fixtures" / "sites" / "small"


def contents(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "site"
    shutil.copytree(SMALL, root)
    monkeypatch.chdir(root)
    return root


def options(root: Path, output: str = "output", **extra: object) -> BuildOptions:
    return BuildOptions(root=root, content=root / "content", output=root / output,  # type: ignore[arg-type]
                        cache=root / ".gloss-cache", **extra)


def append(root: Path, name: str, text: str) -> None:
    path = root / "content" / name
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def fresh(root: Path, **extra: object) -> dict[str, bytes]:
    target = root.parent / "fresh"
    shutil.rmtree(target, ignore_errors=True)
    build(BuildOptions(root=root, content=root / "content", output=target, **extra))  # type: ignore[arg-type]
    return contents(target)


# --- defect 2: the search index after alternating incremental builds ---------------------------------


@pytest.mark.slow  # many builds, each running Pagefind
def test_search_index_is_whole_after_many_incremental_builds(site: Path) -> None:
    assert find_pagefind() is not None, "the test extra installs pagefind[bin]"
    build(options(site, search=True))
    for step in range(6):
        append(site, ("harbour-bridge.md", "old-news.md")[step % 2], f"\nLine {step} added.\n")
        build(options(site, search=True))
        built = contents(site / "output")
        assert "pagefind/pagefind.js" in built, f"step {step}: the search bundle lost its script"
        assert built == fresh(site, search=True), f"step {step}: differs from a clean build"


# --- defect 8: an unusable spare tree or cache --------------------------------------------------------


def test_a_spare_that_cannot_be_replaced_is_a_warning_after_a_successful_swap(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Like a root-owned ``.output.spare``: the old tree cannot be moved there ("Directory not empty")."""
    build(options(site))
    append(site, "old-news.md", "\nEdited.\n")
    real_rename = os.rename

    def rename(src: object, dst: object, *args: object, **kwargs: object) -> None:
        if Path(str(dst)) == spare_path(site / "output"):
            raise OSError(errno.ENOTEMPTY, "Directory not empty", str(src))
        real_rename(src, dst, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "rename", rename)
    result = build(options(site))  # used to raise after output/ had been replaced
    assert any(".output.spare" in w for w in result.warnings), result.warnings
    assert contents(site / "output") == fresh(site)
    monkeypatch.undo()
    append(site, "old-news.md", "\nAgain.\n")
    build(options(site))
    assert contents(site / "output") == fresh(site)


def test_a_spare_that_is_a_file_is_replaced(site: Path) -> None:
    build(options(site))
    spare_path(site / "output").write_text("in the way\n")
    append(site, "old-news.md", "\nEdited.\n")
    build(options(site))
    assert contents(site / "output") == fresh(site)
    assert spare_path(site / "output").is_dir()


def test_a_spare_that_cannot_be_written_is_set_aside_and_the_build_starts_fresh(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for step in range(3):  # the third build reuses the spare tree
        append(site, "old-news.md", f"\nEdit {step}.\n")
        build(options(site))
    spare = spare_path(site / "output")
    append(site, "old-news.md", "\nOne more.\n")
    real_write, real_link = pathlib.Path.write_bytes, os.link

    def write_bytes(self: Path, data: bytes) -> int:
        if self.is_relative_to(spare):
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_write(self, data)

    def link(src: object, dst: object, *args: object, **kwargs: object) -> None:
        if Path(str(dst)).is_relative_to(spare):
            raise PermissionError(errno.EACCES, "Permission denied", str(dst))
        real_link(src, dst, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pathlib.Path, "write_bytes", write_bytes)
    monkeypatch.setattr(os, "link", link)
    result = build(options(site))
    monkeypatch.undo()
    assert any(".output.spare" in w for w in result.warnings), result.warnings
    assert contents(site / "output") == fresh(site)


@pytest.mark.parametrize("how", ["file", "read-only"])
def test_an_unusable_cache_folder_is_built_without(site: Path, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    cache = site / ".gloss-cache"
    for step in range(3):  # state, spare tree and cache entries all in use
        append(site, "old-news.md", f"\nEdit {step}.\n")
        build(options(site))
    append(site, "old-news.md", "\nOne more.\n")
    if how == "file":
        shutil.rmtree(cache)
        cache.write_text("not a folder\n")
    else:
        real_write, real_touch, real_mkdir = pathlib.Path.write_bytes, pathlib.Path.touch, pathlib.Path.mkdir

        def refuse(self: Path) -> None:
            if self.absolute().is_relative_to(cache):
                raise OSError(errno.EROFS, "Read-only file system", str(self))

        def write_bytes(self: Path, data: bytes) -> int:
            refuse(self)
            return real_write(self, data)

        def touch(self: Path, *args: object, **kwargs: object) -> None:
            refuse(self)
            real_touch(self, *args, **kwargs)  # type: ignore[arg-type]

        def mkdir(self: Path, *args: object, **kwargs: object) -> None:
            refuse(self)
            real_mkdir(self, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(pathlib.Path, "write_bytes", write_bytes)
        monkeypatch.setattr(pathlib.Path, "touch", touch)
        monkeypatch.setattr(pathlib.Path, "mkdir", mkdir)
    result = build(options(site))
    monkeypatch.undo()
    assert any(w.startswith("warning: .gloss-cache: cannot use the build cache") for w in result.warnings), result.warnings
    assert contents(site / "output") == fresh(site)


def test_a_full_disk_says_so_and_leaves_output_as_it_was(
    site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", "--no-search"]) == 0
    before = contents(site / "output")
    append(site, "old-news.md", "\nEdited.\n")
    capsys.readouterr()
    real_write = pathlib.Path.write_bytes

    def write_bytes(self: Path, data: bytes) -> int:
        if ".output." in str(self):
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real_write(self, data)

    monkeypatch.setattr(pathlib.Path, "write_bytes", write_bytes)
    assert main(["build", "--no-search"]) == 1
    monkeypatch.undo()
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "No space left on device" in err[0] and "disk is full" in err[0], err
    assert "permissions" not in err[0]
    assert contents(site / "output") == before
    assert not [p for p in site.iterdir() if p.name.startswith(".output.staging-")]


# --- defect 12: no tracebacks, prompt exit on Ctrl-C -------------------------------------------------


def test_recursion_error_is_one_line(site: Path, capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.build.pipeline as pipeline

    def deep(self: object) -> BuildResult:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(pipeline._Build, "run", deep)
    assert main(["build", "--no-search"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("gloss:1:1: ") and "nested too deeply" in err[0], err


def test_deeply_nested_front_matter_gives_no_traceback(site: Path) -> None:
    depth = 600  # deeper than the recursion limit, shallower than YAML's own nesting limit
    (site / "content" / "deep.md").write_text(f'---\ntitle: "Deep"\ntags: {"[" * depth}{"]" * depth}\n---\nText.\n')
    result = run(["build", "--no-search"], site)
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]


DRIVER = r'''
"""gloss whose parallel workers stop to be interrupted (tests/test_build_robustness.py)."""
import os, sys, time
import generator.build.parallel as parallel

marker = sys.argv[1]
parallel.cores = lambda: 2  # the parallel phase even on one core
real_run = parallel._run


def slow_run(index):
    open(marker, "a").close()
    time.sleep(60)
    return real_run(index)


parallel._run = slow_run
from generator.cli import main
sys.exit(main(sys.argv[2:]))
'''


def run(args: list[str], cwd: Path, driver: Path | None = None, **kwargs: object) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    command = [sys.executable, str(driver)] if driver else [sys.executable, "-m", "generator"]
    return subprocess.run([*command, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120,
                          **kwargs)  # type: ignore[call-overload,no-any-return]


@pytest.mark.slow  # a subprocess build of a large site, interrupted
def test_ctrl_c_in_the_parallel_phase_exits_130_promptly_without_tracebacks(site: Path, tmp_path: Path) -> None:
    text = (site / "content" / "old-news.md").read_text(encoding="utf-8")
    for i in range(30):
        (site / "content" / f"copy-{i:02d}.md").write_text(text.replace("old-news", f"copy-{i:02d}"), encoding="utf-8")
    assert run(["build", "--no-search"], site).returncode == 0
    before = contents(site / "output")
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER)
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    for attempt in range(3):
        for i in range(30):
            append(site, f"copy-{i:02d}.md", f"\nAttempt {attempt}.\n")
        marker = tmp_path / f"working-{attempt}"
        process = subprocess.Popen([sys.executable, str(driver), str(marker), "build", "--no-search"], cwd=site,
                                   env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   start_new_session=True)
        deadline = time.monotonic() + 60
        while not marker.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists(), f"attempt {attempt}: the parallel phase never started: {process.communicate()}"
        time.sleep(0.2)
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole group
        started = time.monotonic()
        try:
            out, err = process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            pytest.fail(f"attempt {attempt}: still running 10 s after Ctrl-C")
        assert process.returncode == 130, (process.returncode, err)
        assert time.monotonic() - started < 5
        assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
        assert contents(site / "output") == before
        time.sleep(0.2)
        try:
            os.killpg(process.pid, 0)
            pytest.fail(f"attempt {attempt}: a worker outlived the build")
        except ProcessLookupError:
            pass


# --- defect 13: forged cache files are never unpickled -----------------------------------------------


class _Boom:
    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (exec, (f"open({self.marker!r}, 'w').close()",))


def test_a_forged_state_file_is_not_unpickled(site: Path) -> None:
    build(options(site))
    marker = site.parent / "RAN"
    payload = pickle.dumps(_Boom(marker))
    # What anyone who can write the site folder can make: the right header and a valid checksum.
    (site / ".gloss-cache" / "state.bin").write_bytes(STATE_MAGIC + hashlib.sha256(payload).digest() + payload)
    build(options(site))
    assert not marker.exists(), "the forged state ran code"
    assert contents(site / "output") == fresh(site)


def test_forged_cache_entries_are_not_unpickled(site: Path) -> None:
    build(options(site))
    marker = site.parent / "RAN"
    payload = pickle.dumps(_Boom(marker))
    entries = [p for p in (site / ".gloss-cache").rglob("*.bin") if p.name != "state.bin"]
    assert entries
    for entry in entries:
        entry.write_bytes(cache_module.MAGIC + cache_module.code_key() + hashlib.sha256(payload).digest() + payload)
    (site / ".gloss-cache" / "state.bin").unlink()  # so the build reads the entries
    build(options(site))
    assert not marker.exists(), "a forged cache entry ran code"
    assert contents(site / "output") == fresh(site)


# --- #21 item 2: scratch folders ----------------------------------------------------------------------

FAKE_PAGEFIND = """#!/bin/sh
# Writes part of a bundle, then the build is killed (as by the OOM killer or a CI timeout).
while [ $# -gt 0 ]; do [ "$1" = "--output-path" ] && out="$2"; shift; done
mkdir -p "$out" && echo partial > "$out/pagefind.js"
kill -9 $PPID
sleep 5
"""


@pytest.mark.slow  # subprocess builds with Pagefind, one killed
def test_a_killed_search_leaves_no_scratch_folder_after_the_next_build(site: Path, tmp_path: Path) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    fake = tmp_path / "pagefind"
    fake.write_text(FAKE_PAGEFIND)
    fake.chmod(0o755)
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "TMPDIR": str(temp), "PAGEFIND_BINARY_PATH": str(fake)}
    for attempt in range(3):
        append(site, "old-news.md", f"\nKill {attempt}.\n")
        killed = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=site, env=env,
                                capture_output=True, text=True, timeout=120)
        assert killed.returncode == -signal.SIGKILL, killed.stderr
        assert os.listdir(temp) == [], "scratch folders belong beside the output, not in the system's temp folder"
    leftovers = [p.name for p in site.iterdir() if p.name.startswith(".output.staging-")]
    assert any("search" in name for name in leftovers), leftovers  # beside the output, recognisable
    env.pop("PAGEFIND_BINARY_PATH")
    done = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=site, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert [p.name for p in site.iterdir() if p.name.startswith(".output.staging-")] == []
    assert os.listdir(temp) == []
    assert (site / "output" / "pagefind" / "pagefind.js").read_text() != "partial\n"
