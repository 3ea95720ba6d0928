"""Write stage: put the rendered files in place atomically.

The new site is assembled in a staging folder beside ``output/`` and then
swapped in with one atomic ``renameat2(RENAME_EXCHANGE)`` (two renames where
the kernel lacks it), so a build that fails or is killed at any moment leaves
the previous ``output/`` complete. Files whose bytes did not change are
hard-linked from the old output instead of written, so they keep their
modification time (hosts and rsync see them as unchanged). Files that the new
build no longer makes simply are not in the new tree. Leftover staging
folders from an interrupted build are removed by the next one.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .render import OutputFile

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


@dataclass(frozen=True, slots=True)
class WriteStats:
    """What a write changed."""

    written: int
    """Files whose bytes are new or changed."""
    unchanged: int
    """Files kept as they were (same bytes, same mtime)."""
    removed: int
    """Files of the old output that the new build does not make."""


def _staging_prefix(output: Path) -> str:
    return f".{output.name}.staging-"


def clean_leftovers(output: Path) -> None:
    """Remove staging folders an interrupted build left beside ``output``."""
    parent = output.parent
    if not parent.is_dir():
        return
    leftovers = sorted(e for e in parent.iterdir() if e.name.startswith(_staging_prefix(output)))
    for entry in leftovers:
        if not output.exists() and entry.name.startswith(_staging_prefix(output) + "old-"):
            # Killed between the two fallback renames: the old tree is the last complete one.
            os.rename(entry, output)
        elif entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths; False where the kernel or libc cannot."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(a))


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def _all_unchanged(files: Sequence[OutputFile], output: Path) -> bool:
    """True when ``output`` holds exactly ``files``, byte for byte, and nothing else."""
    paths = {f.path for f in files}
    if len(paths) != len(files):
        return False
    folders = {parent.as_posix() for p in paths for parent in Path(p).parents}
    for top, _dirs, names in os.walk(output):
        if Path(top).relative_to(output).as_posix() not in folders:
            return False  # a folder the new build does not make (even an empty one)
        for name in names:
            if Path(top, name).relative_to(output).as_posix() not in paths:
                return False
    return all(_same_bytes(output / f.path, f.data) for f in files)


def write_output(files: Sequence[OutputFile], output: Path) -> WriteStats:
    """Replace ``output`` with exactly ``files``."""
    output = output.absolute()
    output.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(output)
    if output.is_dir() and _all_unchanged(files, output):
        # Nothing to swap in: building an identical staging tree and deleting the old one
        # (thousands of directories) was most of a no-change build's time.
        return WriteStats(0, len(files), 0)
    staging = output.parent / f"{_staging_prefix(output)}{os.getpid()}"
    staging.mkdir()
    written = unchanged = 0
    made_dirs: set[Path] = set()
    for file in files:
        target = staging / file.path
        if target.parent not in made_dirs:
            target.parent.mkdir(parents=True, exist_ok=True)
            made_dirs.add(target.parent)
        old = output / file.path
        if _same_bytes(old, file.data):
            os.link(old, target)
            unchanged += 1
        else:
            target.write_bytes(file.data)
            written += 1
    old_files = {p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file()}
    removed = len(old_files - {f.path for f in files})
    if output.exists():
        if not _exchange(staging, output):
            # No atomic exchange: move the old tree aside, then the new one in.
            aside = output.parent / f"{_staging_prefix(output)}old-{os.getpid()}"
            os.rename(output, aside)
            os.rename(staging, output)
            staging = aside
        shutil.rmtree(staging, ignore_errors=True)
    else:
        os.rename(staging, output)
    return WriteStats(written, unchanged, removed)
