"""Build state: what the previous build read and wrote, so the next one can skip what did not change.

One file, ``<cache>/state.bin``, written (atomically) only after a build
succeeded and its output was swapped in. It holds the input stamps
(``inputs.py``), one :class:`ArticleRecord` per content file, the keys the
site-wide pages were rendered under, and the manifests of ``output/`` and of
the spare tree beside it (``write.py``). Like every cache entry it is never
trusted blindly: a state from other code, other options or that cannot be
read is ignored (a full build follows), and the output manifest is checked
against the file system before anything relies on it.

Only the standard library is imported here (see ``inputs.py``). The many small
records are named tuples: they pickle several times faster than dataclasses,
and the state is read and written on every build.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from .inputs import FileStamp

STATE_MAGIC = b"GLOSS-STATE\x01"
"""Format marker; a changed layout gets a new last byte."""


class OutputStamp(NamedTuple):
    """One file of a built tree."""

    digest: str
    """SHA-256 of its bytes, hex."""
    size: int
    """Size in bytes."""
    mtime_ns: int
    """Modification time when the build left it."""
    ino: int
    """Inode number (unchanged files are hard links to the previous tree's)."""


class ArticleRecord(NamedTuple):
    """What the previous build made of one content file."""

    key: str
    """The article key: its bytes, path and the code (``cache.digest``)."""
    feed_key: str
    """The article key with the render key: names its cached feed entry."""
    slug: str
    """Its slug (duplicate slugs are checked on every build)."""
    draft: bool
    """Marked ``draft: true``."""
    date: str | None
    """Its date (the feed takes the newest articles)."""
    summary_digest: str
    """Digest of its :class:`~generator.site.site_model.ArticleSummary`: equal digests, equal listings."""
    feed_digest: str
    """Digest of its feed entry's content HTML."""
    code_keys: tuple[str, ...]
    """Cache keys of its highlighted code blocks."""


@dataclass(slots=True)
class BuildState:
    """Everything a build leaves for the next one."""

    code: str
    """The code key (``inputs_code_key``) the state was made with."""
    options: tuple[str, ...]
    """The build options that change output (folders, base URL, drafts, search)."""
    inputs: dict[str, FileStamp] = field(default_factory=dict)
    """Input files by absolute path."""
    fingerprint: tuple[tuple[str, str], ...] = ()
    """(path, digest) of every input of the build that made the output."""
    articles: dict[str, ArticleRecord] = field(default_factory=dict)
    """Content files by shown path."""
    keys: dict[str, str] = field(default_factory=dict)
    """Render, listing, feed and search keys of the output."""
    published: int = 0
    """How many articles the output shows (for the CLI's summary line)."""
    warnings: tuple[str, ...] = ()
    """The warnings the build printed (the same inputs give the same warnings)."""
    page_keys: dict[str, str] = field(default_factory=dict)
    """The key each site-wide page was rendered under, by path (``build._listing``)."""
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Output files by what made them: ``listing`` (index, tag, claims… pages), ``feed``, ``search``."""
    output: dict[str, OutputStamp] = field(default_factory=dict)
    """The live ``output/``, file by file."""
    output_dirs: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Its folders: (mtime, inode) — a file added or removed by hand changes its folder's mtime."""
    spare: dict[str, OutputStamp] | None = None
    """The spare tree beside ``output/`` (the previous output), when known to be intact."""


@lru_cache(maxsize=1)
def code_key() -> str:
    """What builds depend on besides their input, known without importing the libraries.

    The Python version, each library's installed files (their modification times and sizes, found
    without importing them) and the bytes of Gloss's own modules: any upgrade or code change means a
    full build. ``cache.code_key`` is the stricter key for cache entries (it imports the libraries).
    """
    import importlib.util
    import sys

    h = hashlib.sha256(sys.version.encode())
    for name in ("jinja2", "markdown_it", "pygments", "yaml", "markupsafe", "mdurl"):
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec and spec.origin else ""
        try:
            st = os.stat(origin)
            h.update(f"{name}:{origin}:{st.st_size}:{st.st_mtime_ns}\0".encode())
        except OSError:
            h.update(f"{name}:missing\0".encode())
    package = Path(__file__).resolve().parent.parent
    for module in sorted(package.rglob("*.py")):
        name = module.relative_to(package).as_posix()
        h.update(name.encode() + b"\0" + module.read_bytes() + b"\0")
    return h.hexdigest()


def _dirty_marker(path: Path) -> Path:
    return path.with_name(path.name + ".spare-changing")


def mark_spare_changing(path: Path) -> None:
    """Say that the spare tree is being changed: until the next state is saved, its record is void."""
    _dirty_marker(path).parent.mkdir(parents=True, exist_ok=True)
    _dirty_marker(path).touch()


def load_state(path: Path) -> BuildState | None:
    """The state at ``path``, or None when absent, damaged or written by another format.

    A build killed while it changed the spare tree left a marker: the spare's record is then dropped.
    """
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head = len(STATE_MAGIC)
    if data[:head] != STATE_MAGIC or hashlib.sha256(data[head + 32:]).digest() != data[head: head + 32]:
        return None
    try:
        state = pickle.loads(data[head + 32:])
    except Exception:  # checksummed, so only a pickle of classes that changed shape lands here
        return None
    if not isinstance(state, BuildState):
        return None
    if _dirty_marker(path).exists():
        state.spare = None
    return state


def save_state(path: Path, state: BuildState | None) -> None:
    """Write ``state`` atomically (None removes it); a state that cannot be written is left out."""
    try:
        if state is None:
            path.unlink(missing_ok=True)
            _dirty_marker(path).unlink(missing_ok=True)
            return
        payload = pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(STATE_MAGIC + hashlib.sha256(payload).digest() + payload)
        os.replace(temporary, path)
        _dirty_marker(path).unlink(missing_ok=True)
    except OSError:
        pass


def folder_stamps(root: Path, files: Iterable[str]) -> dict[str, tuple[int, int]]:
    """(mtime, inode) of every folder holding ``files`` ("" is ``root`` itself), for :func:`tree_matches`."""
    folders = {""}
    for rel in files:
        folder = rel.rpartition("/")[0]
        while folder not in folders:
            folders.add(folder)
            folder = folder.rpartition("/")[0]
    base = f"{root}/"
    stamps = {}
    for folder in folders:
        st = os.lstat(base + folder if folder else root)
        stamps[folder] = (st.st_mtime_ns, st.st_ino)
    return stamps


def tree_matches(root: Path, files: dict[str, OutputStamp], dirs: dict[str, tuple[int, int]] | None) -> bool:
    """True when the tree at ``root`` still is what ``files`` (and ``dirs``, when given) recorded.

    Stats only: a file whose size, mtime and inode are unchanged is taken as unchanged (Gloss owns
    the output folder; a same-size edit in place within one timestamp tick is not looked for).
    """
    base = f"{root}/"
    try:
        for rel, stamp in files.items():
            st = os.lstat(base + rel)
            if st.st_size != stamp.size or st.st_mtime_ns != stamp.mtime_ns or st.st_ino != stamp.ino:
                return False
        for rel, (mtime_ns, ino) in (dirs or {}).items():
            st = os.lstat(base + rel if rel else root)
            if st.st_mtime_ns != mtime_ns or st.st_ino != ino:
                return False
    except OSError:
        return False
    return True
