"""Build stage: what a build is asked to do, what it reports, and the one-build-at-a-time lock."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Unix: builds are not serialised
    fcntl = None  # type: ignore[assignment]

from .write import WriteStats


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """What ``gloss build`` was asked to do."""

    root: Path
    """The site root: holds ``content/``, optional ``templates/`` and ``site.yaml``."""
    content: Path
    """Folder of content files."""
    output: Path
    """Folder the site is written to."""
    base_url: str | None = None
    """Overrides ``site.yaml``'s base_url when given."""
    drafts: bool = False
    """Include articles marked ``draft: true``."""
    search: bool = False
    """Add a Pagefind search index when Pagefind is installed (the CLI turns it on; see search.py)."""
    cache: Path | None = None
    """Build-cache folder (``cache.py``, ``state.py``); None builds without one. The CLI passes ``<root>/.gloss-cache``."""
    force: bool = False
    """Replace an output folder that is not empty and not stamped as Gloss's (``guard.py``)."""


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a build made."""

    articles: int
    """How many articles the site shows."""
    stats: WriteStats
    """How many files changed."""
    warnings: tuple[str, ...] = ()
    """Things the user should know although the build succeeded (printed on stderr by the CLI)."""



_held: set[tuple[int, str]] = set()
"""(thread, output parent) pairs holding the build lock: re-entrant within a thread."""


@contextmanager
def build_lock(options: BuildOptions) -> Iterator[None]:
    """One build at a time per output folder (``gloss serve`` and ``gloss build`` side by side).

    Builds share the spare tree and the state: two at once could mix their files. The lock is an
    ``flock`` on the folder that holds ``output/`` (no lock file to leave behind); it is released
    when the build ends, however it ends, even when the process is killed.
    """
    parent = options.output.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    key = (threading.get_ident(), str(parent))
    if key in _held or fcntl is None:
        yield
        return
    fd = os.open(key[1], os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        _held.add(key)
        yield
    finally:
        _held.discard(key)
        os.close(fd)
