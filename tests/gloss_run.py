"""Run ``gloss ARGS`` from a test: a new ``python -m generator`` process in CI, ``cli.main`` in the fast loop.

A new interpreter costs 0.3–0.5 s of imports, which was most of the CLI tests' time in the contributors'
fast loop. Tests about what a command does (its output, exit code, files written) call ``run_gloss``: CI
(``budget.FULL``) runs them as a user does, in a new process, and the fast loop calls the same ``main``
in the test process with the same working directory, environment, standard input and captured output.
An exception ``main`` lets through fails the test either way (in a process it is a traceback on stderr,
which such tests refuse). Tests about the process itself (a traceback, Ctrl-C, string-hash seeds, a
terminal) call ``new_process``, which always starts one.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

from budget import FULL

REPO_ROOT = Path(__file__).resolve().parent.parent


def run_gloss(
    *args: str, cwd: Path, env: Mapping[str, str] | None = None, stdin: str = "", timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``gloss ARGS`` in ``cwd`` with ``env`` laid over this process's environment and ``stdin`` piped in."""
    if FULL:
        return new_process(*args, cwd=cwd, env=env, stdin=stdin, timeout=timeout)
    return _in_process(args, cwd, env or {}, stdin)


def new_process(
    *args: str, cwd: Path, env: Mapping[str, str] | None = None, stdin: str = "", timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``python -m generator ARGS`` as a new process, always (the checkout first on its import path)."""
    path = os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": path, **(env or {})},
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )


@contextlib.contextmanager
def _environment(extra: Mapping[str, str]) -> Iterator[None]:
    """``extra`` set in ``os.environ`` for the block, the environment as it was after it."""
    saved = dict(os.environ)
    os.environ.update(extra)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _in_process(args: tuple[str, ...], cwd: Path, env: Mapping[str, str], stdin: str) -> subprocess.CompletedProcess[str]:
    from generator.cli import main  # here: a test that only starts processes pays nothing for it

    out, err = io.StringIO(), io.StringIO()
    here = os.getcwd()
    saved_stdin = sys.stdin
    os.chdir(cwd)
    # A pipe, as subprocess.run(input=...) gives the child: StringIO.isatty() is False, like a pipe's.
    sys.stdin = io.StringIO(stdin)
    try:
        with _environment(env), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exit:  # argparse: --help, --version, usage errors
                code = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
    finally:
        sys.stdin = saved_stdin
        os.chdir(here)
    return subprocess.CompletedProcess(["gloss", *args], code, out.getvalue(), err.getvalue())
