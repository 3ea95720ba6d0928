"""Bad input fails clearly and harmlessly: the corpus in ``tests/fixtures/bad-input/``.

Every case runs ``gloss`` (``python -m generator`` in CI, ``cli.main`` in the fast loop) in a copy of a valid, already built site with the
case's files laid over it, and must exit 1 with every error of the run on its own line,
``path:line:col: message (hint: …)``, no traceback, and the site folder (``output/`` and
``content/`` included) unchanged, bytes and modification times. See the corpus README for
the ``expect.txt`` format.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from budget import FULL
from generator.cli import main
from generator.common.errors import GlossError
from generator.common.textfile import MAX_TEXT_BYTES, decode_raw

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS = REPO_ROOT / "tests" / "fixtures" / "bad-input"
CASES = sorted(p for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith("_"))
ERROR_LINE = re.compile(r"^(?P<where>[^:\s][^:]*:\d+:\d+): (?P<message>.+) \(hint: (?P<hint>.+)\)$")


@dataclass(frozen=True)
class Expected:
    where: str
    """``path:line:col``."""
    message: str
    """A substring of the message."""
    hint: str | None
    """A substring of the hint, when the case names one."""


def read_expect(case: Path) -> tuple[list[str], list[Expected]]:
    run: list[str] = []
    errors: list[Expected] = []
    for row in (case / "expect.txt").read_text(encoding="utf-8").splitlines():
        if not row.strip() or row.startswith("#"):
            continue
        key, _, value = row.partition(": ")
        if key == "run":
            run = value.split()
        elif key == "error":
            where, _, message = value.partition(": ")
            errors.append(Expected(where, message, None))
        elif key == "hint":
            assert errors, f"{case.name}: hint before any error"
            errors[-1] = Expected(errors[-1].where, errors[-1].message, value)
        else:
            raise AssertionError(f"{case.name}: unknown expect.txt line {row!r}")
    return run, errors


def run_gloss(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``gloss ARGS`` in ``cwd``: a new process in CI, as a user runs it; in the fast loop the same
    ``main`` in this process (an interpreter start per case was most of the fast loop's time). An
    exception ``main`` lets through fails the test either way: in a process it is a traceback."""
    if not FULL:
        return _run_in_process(args, cwd)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))}
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
    )


def _run_in_process(args: tuple[str, ...], cwd: Path) -> subprocess.CompletedProcess[str]:
    out, err = io.StringIO(), io.StringIO()
    here = os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exit:  # argparse
                code = exit.code if isinstance(exit.code, int) else 1
    finally:
        os.chdir(here)
    return subprocess.CompletedProcess(["gloss", *args], code, out.getvalue(), err.getvalue())


def tree_state(root: Path) -> dict[str, tuple[str, int] | str]:
    """Every file and folder under ``root``: sha256 and mtime of files, "dir" for folders."""
    state: dict[str, tuple[str, int] | str] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():  # never followed: cases link to files outside the site
            state[rel] = "link to " + os.readlink(path)
        elif path.is_dir():
            state[rel] = "dir"
        else:
            state[rel] = (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
    return state


@pytest.fixture(scope="module")
def built_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The valid base site, built once: every case starts from a copy of it."""
    site = tmp_path_factory.mktemp("bad-input-base") / "site"
    shutil.copytree(CORPUS / "_base", site)
    result = run_gloss("build", "--no-search", cwd=site)
    assert result.returncode == 0, result.stderr
    assert (site / "output" / "articles" / "harbour" / "index.html").is_file()
    return site


def lay_over(case: Path, site: Path) -> None:
    for path in sorted(case.rglob("*")):
        target = site / path.relative_to(case)
        if path.is_symlink():  # laid over as the link it is, never as what it points to
            target.parent.mkdir(parents=True, exist_ok=True)
            target.unlink(missing_ok=True)
            os.symlink(os.readlink(path), target)
        elif path.is_file() and path.name != "expect.txt":
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)


def assert_fails_cleanly(result: subprocess.CompletedProcess[str], expected: list[Expected], name: str) -> None:
    report = f"{name}: exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert result.returncode == 1, report
    assert "Traceback" not in result.stderr, report
    # Messages echo user text: nothing in them may act on the terminal (ESC, BEL, NUL, ...).
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f]", result.stderr), repr(result.stderr)
    assert result.stdout.strip() == "", report
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    matches = [ERROR_LINE.match(line) for line in lines]
    assert all(matches), "not all lines are `path:line:col: message (hint: …)`\n" + report
    assert len(lines) == len(expected), "every error of the run, and only those\n" + report
    for match, want in zip(matches, expected):
        assert match is not None
        assert match["where"] == want.where, report
        assert want.message in match["message"], report
        assert match["hint"].strip(), report
        if want.hint is not None:
            assert want.hint in match["hint"], report


def test_corpus_shape() -> None:
    assert len(CASES) >= 30
    kinds = {case.name.split("-", 1)[0] for case in CASES}
    assert {"import", "fm", "note", "span", "comment", "site", "tpl"} <= kinds
    for case in CASES:
        run, errors = read_expect(case)
        assert run and run[0] in ("import", "check", "build"), case.name
        assert errors, case.name
        assert any((p.is_file() or p.is_symlink()) and p.name != "expect.txt" for p in case.rglob("*")), case.name
    # Cases that must list several errors at once.
    assert sum(len(read_expect(case)[1]) >= 2 for case in CASES) >= 10


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case: Path, built_base: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(built_base, site)
    lay_over(case, site)
    before = tree_state(site)
    assert any(key.startswith("output/") for key in before)
    run, expected = read_expect(case)
    result = run_gloss(*run, cwd=site)
    assert_fails_cleanly(result, expected, case.name)
    assert tree_state(site) == before, "the failed run changed the site folder"


def test_huge_raw_file_is_refused_at_once(built_base: Path, tmp_path: Path) -> None:
    """A 50 MB raw dump: refused in well under the time a parse would take, nothing written."""
    site = tmp_path / "site"
    shutil.copytree(built_base, site)
    line = b"A paragraph of a very long article that someone pasted far too many times.\n"
    with (site / "huge.txt").open("wb") as out:
        chunk = line * (1024 * 1024 // len(line) + 1)
        for _ in range(50):
            out.write(chunk)
    assert (site / "huge.txt").stat().st_size >= 50 * 1024 * 1024
    before = tree_state(site)
    started = time.monotonic()
    result = run_gloss("import", "huge.txt", cwd=site)
    elapsed = time.monotonic() - started
    limit_mb = MAX_TEXT_BYTES // 1024 // 1024
    assert_fails_cleanly(result, [Expected("huge.txt:1:1", f"up to {limit_mb} MB", "right file")], "huge raw")
    assert "file is too large (50.0 MB" in result.stderr
    assert elapsed < 15, f"took {elapsed:.1f} s"
    assert tree_state(site) == before


def test_huge_content_file_is_refused_at_once(built_base: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(built_base, site)
    front = b'---\ntitle: "Huge"\n---\n'
    (site / "content" / "huge.md").write_bytes(front + b"x" * (MAX_TEXT_BYTES + 1))
    before = tree_state(site)
    started = time.monotonic()
    result = run_gloss("build", cwd=site)
    assert_fails_cleanly(result, [Expected("content/huge.md:1:1", "file is too large", None)], "huge content")
    assert time.monotonic() - started < 15
    assert tree_state(site) == before


def test_size_limit_is_exact() -> None:
    """The limit is documented in the README and applies from one byte over it."""
    assert decode_raw(b"a" * MAX_TEXT_BYTES, "ok.txt") == "a" * MAX_TEXT_BYTES
    with pytest.raises(GlossError) as raised:
        decode_raw(b"a" * (MAX_TEXT_BYTES + 1), "big.txt")
    assert str(raised.value).startswith("big.txt:1:1: file is too large")
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert f"{MAX_TEXT_BYTES // 1024 // 1024} MB" in readme
