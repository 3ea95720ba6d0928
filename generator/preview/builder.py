"""Preview stage: ``gloss serve``'s builds, run in a process forked before any thread starts.

A build spreads its articles over every core with forked workers (``build/parallel.py``), and
forking is safe only in a process with one thread. ``gloss serve`` has a watcher thread and HTTP
threads, so builds run in its own process used one core: the first build and every template
edit took about twice as long as ``gloss build``. :class:`Builder` forks a builder process at
start-up, while ``serve`` still has one thread. The builder stays single-threaded, runs the
builds the watcher asks for one at a time (over a pipe), keeps its imported modules, compiled
templates and caches between builds, and sends back the outcome: the result, or the located
errors as plain values (``GlossError`` does not pickle with its location).

Where forking is not possible (no ``fork``, or threads already running), builds run in the
calling thread as before, on one core.
"""

from __future__ import annotations

import signal
import threading
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ..build.options import BuildOptions, BuildResult
from ..build.pipeline import build
from ..common.errors import GlossError, GlossErrors, SourceLocation, flatten
from ..common.textfile import shown_path

_BUILD = "build"
"""The one request the watcher sends: build now, and answer with the :class:`Outcome`."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one build gave."""

    result: BuildResult | None
    """The build's result; None when it failed."""
    errors: tuple[tuple[str, SourceLocation, str, str | None], ...] = ()
    """Each error as (message, location, hint, source line): picklable, unlike the exception."""

    def gloss_errors(self) -> tuple[GlossError, ...]:
        return tuple(GlossError(*fields) for fields in self.errors)


def _failed(errors: tuple[GlossError, ...]) -> Outcome:
    return Outcome(None, tuple((e.message, e.location, e.hint, e.source_line) for e in errors))


def run_build(options: BuildOptions, verbose: bool) -> Outcome:
    """One build; every failure becomes located errors (as the CLI shows them), never an exception."""
    try:
        return Outcome(build(options))
    except (GlossError, GlossErrors) as exc:
        return _failed(flatten(exc))
    except OSError as exc:  # as the CLI does: a located line, no traceback
        where = SourceLocation(shown_path(Path(exc.filename)) if exc.filename else "gloss")
        return _failed((GlossError(str(exc.strerror or exc), where, "check the path and its permissions"),))
    except Exception as exc:  # a bug in Gloss must not kill the preview: show it, keep watching
        if verbose:
            traceback.print_exc()
        hint = "rerun with --verbose for the traceback"
        return _failed((GlossError(f"internal error: {exc!r}", SourceLocation("gloss"), hint),))


def _builder_main(conn: Connection, serve_end: Connection, options: BuildOptions, verbose: bool) -> None:
    """The builder process: build on every request until the pipe closes (``serve`` stopped or died)."""
    serve_end.close()  # forked with serve's end of the pipe too: held open here, it would never close
    # Ctrl-C and SIGTERM are serve's to handle: it finishes the running build (builds are atomic),
    # then closes the pipe, and this loop ends.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request != _BUILD:
            return
        outcome = run_build(options, verbose)
        try:
            conn.send(outcome)
        except (OSError, ValueError):
            return


class Builder:
    """Runs builds for the watcher: in the builder process when one could be forked, else in place."""

    def __init__(self, options: BuildOptions, verbose: bool) -> None:
        self.options = options
        self.verbose = verbose
        self._conn: Connection | None = None
        self._process: Any = None
        import multiprocessing

        if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() != 1:
            return
        context = multiprocessing.get_context("fork")
        self._conn, child = context.Pipe()
        # Not a daemon: multiprocessing forbids a daemon process children, and the pool is the point.
        self._process = context.Process(target=_builder_main, args=(child, self._conn, options, verbose),
                                        name="gloss-builder")
        self._process.start()
        child.close()

    @property
    def forked(self) -> bool:
        """True when builds run in the builder process (on every core)."""
        return self._process is not None

    def build(self) -> Outcome:
        """Build once and return the outcome (waits for the build to finish)."""
        if self._conn is None:
            return run_build(self.options, self.verbose)
        try:
            self._conn.send(_BUILD)
            outcome = self._conn.recv()
        except (EOFError, OSError) as exc:
            hint = "restart gloss serve"
            return _failed((GlossError(f"the build process stopped ({exc!r})", SourceLocation("gloss"), hint),))
        assert isinstance(outcome, Outcome)
        return outcome

    def close(self) -> None:
        """End the builder process: it finishes a running build first, then sees the pipe close."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._process is not None:
            self._process.join(60)
            if self._process.is_alive():  # pragma: no cover - a build that hangs
                self._process.terminate()
                self._process.join()
            self._process = None
