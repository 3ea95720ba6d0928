"""Build cache (between the content and render stages): parsed articles and rendered pages on disk.

A warm build re-parses nothing: each content file's parse result (its
:class:`~generator.site.ArticlePage`) is stored under a key made of the file's
bytes, its path and the *code key* — the Gloss version, the Python and
library versions, and the bytes of every ``generator/*.py`` module — so any
change to the code that parses or renders invalidates everything, without
anyone having to remember to bump a number. Rendered article pages are stored
under the article key plus a *render key* (templates, config, asset names,
options; see ``build.py``).

An entry is ``MAGIC + code key + sha256(payload) + payload``. An entry that
cannot be read, is truncated, has another header or a wrong checksum is
treated as missing and recomputed: the cache is never trusted, only used.
Entries are written to a temporary name and renamed, so a build killed
mid-write leaves no half entry under a real name.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import pickle
import sys
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import __version__

MAGIC = b"GLOSS-CACHE\x01"
"""Format marker; a new layout gets a new last byte (old entries then read as missing)."""
_HEADER = len(MAGIC) + 32 + 32


@lru_cache(maxsize=1)
def code_key() -> bytes:
    """What the cached results depend on besides the input: version, interpreter, libraries, code."""
    import jinja2
    import markdown_it
    import pygments
    import yaml

    h = hashlib.sha256()
    for part in (__version__, sys.version, jinja2.__version__, markdown_it.__version__, pygments.__version__,
                 yaml.__version__):
        h.update(part.encode() + b"\0")
    # Hashing the modules themselves (~300 KB, ~1 ms) beats a hand-kept version number that someone forgets.
    for module in sorted(Path(__file__).resolve().parent.glob("*.py")):
        h.update(module.name.encode() + b"\0" + module.read_bytes() + b"\0")
    return h.digest()


def digest(*parts: bytes | str) -> str:
    """A hex key over ``parts`` (each length-prefixed, so no two part lists collide)."""
    h = hashlib.sha256(code_key())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little") + data)
    return h.hexdigest()


_FIELDS: dict[type, tuple[str, ...]] = {}


def _rebuild(cls: type, values: tuple[Any, ...]) -> Any:
    """Recreate a frozen slots dataclass from its field values (see :class:`_Pickler`)."""
    obj: Any = object.__new__(cls)
    names = _FIELDS.get(cls) or _FIELDS.setdefault(cls, tuple(f.name for f in dataclasses.fields(cls)))
    for name, value in zip(names, values):
        object.__setattr__(obj, name, value)
    return obj


class _Pickler(pickle.Pickler):
    """Pickles slots dataclasses as (class, field values).

    The default route for frozen slots dataclasses, ``dataclasses._dataclass_setstate``, calls
    ``fields()`` for every object; with ~240 objects per article it made loading the cache of
    1,000 articles take seconds. Slots dataclasses keep all their state in their fields, so
    nothing is lost; anything else pickles as usual.
    """

    def reducer_override(self, obj: Any) -> Any:
        cls = type(obj)
        if hasattr(cls, "__slots__") and dataclasses.is_dataclass(cls) and not isinstance(obj, type):
            names = _FIELDS.get(cls) or _FIELDS.setdefault(cls, tuple(f.name for f in dataclasses.fields(cls)))
            return _rebuild, (cls, tuple(getattr(obj, name) for name in names))
        return NotImplemented


def dumps(value: Any) -> bytes:
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return buffer.getvalue()


class Cache:
    """A folder of cache entries, one file per key; ``None`` folder means "no cache" (every get misses)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.hits = 0
        self.misses = 0
        # Writes and prunes wait for commit(): a failed build must leave the site folder as it was.
        self._pending: list[tuple[str, str, Any]] = []
        self._keep: dict[str, set[str]] = {}

    def _path(self, kind: str, key: str) -> Path:
        assert self.folder is not None
        return self.folder / kind / f"{key}.bin"

    def get(self, kind: str, key: str) -> Any | None:
        """The stored value, or None when absent or unreadable in any way."""
        if self.folder is None:
            return None
        value = self._read(self._path(kind, key))
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
        return value

    @staticmethod
    def _read(path: Path) -> Any | None:
        try:
            data = path.read_bytes()
        except OSError:
            return None
        if len(data) < _HEADER or data[: len(MAGIC)] != MAGIC or data[len(MAGIC): len(MAGIC) + 32] != code_key():
            return None
        payload = memoryview(data)[_HEADER:]
        if hashlib.sha256(payload).digest() != data[len(MAGIC) + 32: _HEADER]:
            return None
        try:
            return pickle.loads(payload)
        except Exception:  # checksummed, so only a pickle of classes that changed shape lands here
            return None

    def put(self, kind: str, key: str, value: Any) -> None:
        """Store ``value`` at :meth:`commit` (the value is kept by reference until then)."""
        if self.folder is not None:
            self._pending.append((kind, key, value))

    def prune(self, kind: str, keep: Iterable[str]) -> None:
        """At :meth:`commit`, delete entries of ``kind`` not in ``keep`` (old versions of edited
        articles), so the cache stays about the size of one build instead of growing with every edit."""
        self._keep.setdefault(kind, set()).update(keep)

    def commit(self) -> None:
        """Write what :meth:`put` queued and apply prunes; called once the build has succeeded."""
        for kind, key, value in self._pending:
            self._write(kind, key, value)
        self._pending.clear()
        for kind, keep in self._keep.items():
            self._prune(kind, keep)
        self._keep.clear()

    def _write(self, kind: str, key: str, value: Any) -> None:
        # A cache that cannot be written is skipped, never fatal.
        payload = dumps(value)
        path = self._path(kind, key)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(MAGIC + code_key() + hashlib.sha256(payload).digest() + payload)
            os.replace(temporary, path)
        except OSError:
            temporary.unlink(missing_ok=True)

    def _prune(self, kind: str, keep: set[str]) -> None:
        if self.folder is None or not (self.folder / kind).is_dir():
            return
        wanted = {f"{key}.bin" for key in keep}
        for entry in os.scandir(self.folder / kind):
            if entry.name not in wanted:
                try:
                    os.unlink(entry.path)
                except OSError:
                    pass
