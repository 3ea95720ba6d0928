"""Build cache (between the content and render stages): parsed articles, summaries and feed entries on disk.

A warm build re-parses nothing: each content file's parse result (its
:class:`~generator.site.article_page.ArticlePage`) is stored under a key made of the file's
bytes, its path and the *code key* — the Gloss version, the Python and
library versions, and the bytes of every ``generator/*.py`` module — so any
change to the code that parses or renders invalidates everything, without
anyone having to remember to bump a number. Each article's
:class:`~generator.site.site_model.ArticleSummary` is stored under the same key, its
feed entry under its own key (the article key, the settings, the image names:
``outputs.feed_entry``; every key is made by ``keys.py``). Rendered pages are not
cached here: the output tree itself, with its record in ``state.py``, is that
cache.

An entry is ``MAGIC + code key + signature + payload``, the payload a pickle
and the signature its HMAC with this user's key (``state.sign``): unpickling
runs code, so nothing is unpickled before its signature checks out. An entry
that cannot be read, is truncated, has another header or a wrong signature is
treated as missing and recomputed: the cache is never trusted, only used.
Entries are written to a temporary name and renamed, so a build killed
mid-write leaves no half entry under a real name; they are written into a
pending folder and moved into place only when the build succeeded.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import operator
import os
import pickle
import shutil
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..common.version import gloss_version
from . import state

MAGIC = b"GLOSS-CACHE\x02"
"""Format marker; a new layout gets a new last byte (old entries then read as missing)."""
_HEADER = len(MAGIC) + 32 + 32


@lru_cache(maxsize=1)
def code_key() -> bytes:
    """What the cached results depend on besides the input: version, interpreter, libraries, code."""
    import jinja2
    import markdown_it
    import pygments
    import yaml

    # The state's key already covers the interpreter, the libraries' files and Gloss's own modules
    # (hashing the modules beats a hand-kept version number that someone forgets); the versions
    # the libraries report are added, for a library changed in place.
    h = hashlib.sha256(state.code_key().encode())
    for part in (gloss_version(), jinja2.__version__, markdown_it.__version__, pygments.__version__, yaml.__version__):
        h.update(part.encode() + b"\0")
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
        # Called for every object that is not a plain str, int, list, dict…: the test is made once
        # per class (it depends on the class only), then a dictionary answers.
        cls = type(obj)
        try:
            fields = _FIELD_GETTERS[cls]
        except KeyError:
            fields = _FIELD_GETTERS[cls] = _field_getter(cls)
        if fields is None:
            return NotImplemented
        return _rebuild, (cls, fields(obj))


def _field_getter(cls: type) -> Callable[[Any], tuple[Any, ...]] | None:
    """For a slots dataclass, a function giving an instance's field values; None for any other class."""
    if not (hasattr(cls, "__slots__") and dataclasses.is_dataclass(cls)) or issubclass(cls, type):
        return None
    names = _FIELDS.get(cls) or _FIELDS.setdefault(cls, tuple(f.name for f in dataclasses.fields(cls)))
    if len(names) == 1:  # attrgetter of one name gives the value itself, not a 1-tuple
        return lambda obj: (getattr(obj, names[0]),)
    return operator.attrgetter(*names) if names else lambda obj: ()


_FIELD_GETTERS: dict[type, Callable[[Any], tuple[Any, ...]] | None] = {}


def dumps(value: Any) -> bytes:
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return buffer.getvalue()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


class Cache:
    """A folder of cache entries, one file per key; ``None`` folder means "no cache" (every get misses).

    :meth:`put` writes at once, but into a pending folder private to this build, which :meth:`commit`
    moves into place once the build has succeeded (:meth:`discard` deletes it): a failed build leaves
    the cache as it was. Forked worker processes share the pending folder, so what a worker stores is
    visible to the parent's :meth:`get` before the commit.
    """

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._created = folder is not None and not folder.exists()
        self._pending = folder / f"pending-{os.getpid()}" if folder is not None else None
        self._keep: dict[str, set[str]] = {}

    def _path(self, kind: str, key: str) -> Path:
        assert self.folder is not None
        return self.folder / kind / f"{key}.bin"

    def get(self, kind: str, key: str) -> Any | None:
        """The stored value (stored by this build, or committed earlier), or None when absent or unreadable."""
        if self.folder is None or self._pending is None:
            return None
        value = self._read(self._pending / kind / f"{key}.bin")
        if value is None:
            value = self._read(self._path(kind, key))
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
        if not state.signed_by_us(payload, data[len(MAGIC) + 32: _HEADER]):
            return None  # forged, damaged, or from another machine: never unpickled
        try:
            return pickle.loads(payload)
        except Exception:  # signed, so only a pickle of classes that changed shape lands here
            return None

    def put(self, kind: str, key: str, value: Any) -> None:
        """Store ``value``; it joins the cache at :meth:`commit`. A value that cannot be written is skipped."""
        if self._pending is None:
            return
        payload = dumps(value)
        path = self._pending / kind / f"{key}.bin"
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(MAGIC + code_key() + state.sign(payload) + payload)
            os.replace(temporary, path)
        except OSError:
            try:
                temporary.unlink(missing_ok=True)
            except OSError:
                pass  # the cache folder itself is unusable: nothing to tidy

    def prune(self, kind: str, keep: Iterable[str]) -> None:
        """At :meth:`commit`, delete entries of ``kind`` not in ``keep`` (old versions of edited
        articles), so the cache stays about the size of one build instead of growing with every edit."""
        self._keep.setdefault(kind, set()).update(keep)

    def commit(self) -> None:
        """Move what :meth:`put` stored into place and apply prunes; called once the build has succeeded."""
        if self.folder is None or self._pending is None:
            return
        if self._pending.is_dir():
            for kind_dir in os.scandir(self._pending):
                target = self.folder / kind_dir.name
                try:
                    target.mkdir(parents=True, exist_ok=True)
                    for entry in os.scandir(kind_dir.path):
                        os.replace(entry.path, target / entry.name)
                except OSError:
                    pass  # a cache that cannot be written is skipped, never fatal
            shutil.rmtree(self._pending, ignore_errors=True)
        for kind, keep in self._keep.items():
            self._prune(kind, keep)
        self._keep.clear()
        self._sweep()

    def discard(self) -> None:
        """Forget what this build stored (it failed); a cache folder this build created goes too."""
        if self._pending is not None:
            shutil.rmtree(self._pending, ignore_errors=True)
        if self._created and self.folder is not None:
            try:
                self.folder.rmdir()
            except OSError:
                pass

    def _sweep(self) -> None:
        """Pending folders of builds that were killed."""
        assert self.folder is not None
        try:
            entries = list(os.scandir(self.folder))
        except OSError:
            return
        for entry in entries:
            pid = entry.name.removeprefix("pending-")
            if entry.name.startswith("pending-") and pid.isdigit() and not _alive(int(pid)):
                shutil.rmtree(entry.path, ignore_errors=True)

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
