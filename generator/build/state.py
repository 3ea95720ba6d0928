"""Build state: what the previous build read and wrote, so the next one can skip what did not change.

One file, ``<cache>/state.bin``, written (atomically) only after a build
succeeded and its output was swapped in. It holds the input stamps
(``inputs.py``), one :class:`ArticleRecord` per content file, the keys the
site-wide pages were rendered under, and the manifests of ``output/`` and of
the spare tree beside it (``write.py``). Like every cache entry it is never
trusted blindly: a state from other code, other options or that cannot be
read is ignored (a full build follows), and the output manifest is checked
against the file system before anything relies on it.

The state and every cache entry are pickles, and unpickling runs code, so
none is loaded before its signature is checked: an HMAC-SHA256 made with a
random key that lives outside the site, readable only by this user
(:func:`machine_key`). A state or entry forged by someone who can write the
site folder (or copied from another machine) fails the check and is ignored.

Only the standard library is imported here (see ``inputs.py``). The many small
records are named tuples: they pickle several times faster than dataclasses,
and the state is read and written on every build.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from ..site.translations import Translation

from .inputs import FileStamp

STATE_MAGIC = b"GLOSS-STATE\x05"
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
    """The key of its feed entry (``outputs.feed_entry``): names its cached feed entry."""
    slug: str
    """Its slug (duplicate slugs are checked on every build)."""
    draft: bool
    """Marked ``draft: true``."""
    date: str | None
    """Its date (the feed takes the newest articles)."""
    field_digests: bytes
    """Digest of each field of its summary (``site_model.SUMMARY_FIELDS``, in that order, joined:
    ``keys.field_digests``): a listing page is keyed on those of the fields it reads, and equal
    digests mean equal listings."""
    feed_digest: str
    """Digest of its feed entry's content HTML."""
    code_keys: tuple[str, ...]
    """Cache keys of its highlighted code blocks."""
    language: str | None = None
    """Its own language tag, if it names one (a language without a catalog is warned about each build)."""
    translation_of: str | None = None
    """The slug of the article it translates, if any."""
    translations: tuple[Translation, ...] = ()
    """The translation links its page in the tree shows (``build/translations.py``)."""


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
    keep: tuple[str, ...] = ()
    """``site.yaml``'s ``keep:`` names (a build with nothing to do still puts them back after a kill)."""


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


def key_file() -> Path:
    """Where the signing key lives: the user's cache folder, never the site (``$XDG_CACHE_HOME``)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base, "gloss", "signing.key")


@lru_cache(maxsize=1)
def machine_key() -> bytes:
    """This user's key for signing the state and cache entries, made on first use (mode 600).

    When it can be neither read nor made, a key for this process only is used: the cache then
    works within one run (``gloss serve``) and is not trusted by the next.
    """
    path = key_file()
    try:
        key = path.read_bytes()
        if len(key) == 32:
            return key
    except OSError:
        pass
    key = os.urandom(32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(key)
        try:
            os.link(temporary, path)  # never replaces a key another process made meanwhile
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
        stored = path.read_bytes()
        return stored if len(stored) == 32 else key
    except OSError:
        return key


def sign(payload: bytes | memoryview) -> bytes:
    """The 32-byte signature of ``payload`` (:func:`machine_key`)."""
    return hmac.new(machine_key(), payload, hashlib.sha256).digest()


def signed_by_us(payload: bytes | memoryview, signature: bytes | memoryview) -> bool:
    """True when ``signature`` is :func:`sign` of ``payload``: only then may it be unpickled."""
    return hmac.compare_digest(sign(payload), bytes(signature))


def _dirty_marker(path: Path) -> Path:
    return path.with_name(path.name + ".spare-changing")


def mark_spare_changing(path: Path) -> bool:
    """Say that the spare tree is being changed: until the next state is saved, its record is void.
    False when the mark cannot be made (the spare must not be changed then)."""
    try:
        _dirty_marker(path).parent.mkdir(parents=True, exist_ok=True)
        _dirty_marker(path).touch()
    except OSError:
        return False
    return True


def load_state(path: Path) -> BuildState | None:
    """The state at ``path``, or None when absent, damaged or written by another format.

    A build killed while it changed the spare tree left a marker: the spare's record is then dropped.
    """
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head = len(STATE_MAGIC)
    if data[:head] != STATE_MAGIC or not signed_by_us(data[head + 32:], data[head: head + 32]):
        return None
    try:
        state = pickle.loads(data[head + 32:])
    except Exception:  # signed, so only a pickle of classes that changed shape lands here
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
        temporary.write_bytes(STATE_MAGIC + sign(payload) + payload)
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
