"""Write stage: put the rendered files in place atomically, touching only what changed.

A new site is assembled in a tree beside ``output/`` and swapped in with one
atomic ``renameat2(RENAME_EXCHANGE)`` (two renames where the kernel lacks it),
so a build that fails or is killed at any moment leaves the previous
``output/`` complete: readers and hosts see the old site or the new one, never
a mix. Files whose bytes did not change are hard links to the old output's, so
they keep their modification time (hosts and rsync see them as unchanged).

Two ways to assemble, one guarantee:

* **fresh**: a new, empty staging folder (``.output.staging-<pid>``); every file
  is written or linked into it. Used when the previous output is not known.
* **spare**: the tree the previous build swapped *out* is kept beside the output
  (``.output.spare``). It differs from the new site only where the last two
  builds changed something, so it is brought up to date by replacing those few
  files and removing stale ones, then swapped in. A one-article edit then costs a
  handful of file operations instead of re-linking and deleting a thousand
  folders. A file in the spare is never modified in place (it may be a hard link
  to a live file): new bytes go to a temporary name and are renamed over it.

The state file (``state.py``) records both trees file by file (digest, size,
mtime, inode); the spare is used only when its record is present and every
file still matches it, and the record is dropped before the spare is touched,
so a build killed half-way through leaves a spare that the next build will not
trust (it assembles fresh instead). Leftover staging folders from an
interrupted build are removed by the next one (``leftovers.py``).

Entries ``keep:`` names (``.git``, ``CNAME``) are not Gloss's: they are moved
from the live output into the new tree just before the swap, so they stay one
file or folder (a ``.git`` folder is never copied); a build killed between the
move and the swap leaves them in the tree, and the next build moves them back.
Once the new tree is swapped in the build has succeeded: what fails after that
(the old tree cannot become the spare) is a warning, never an error.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import hashlib
import os
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..common.textfile import shown_path
from .leftovers import clean_leftovers, remove, rescue, set_aside, spare_path, staging_prefix
from .state import OutputStamp, tree_matches

__all__ = ["Assembly", "WriteStats", "clean_leftovers", "set_aside", "spare_path"]

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


def _stamp(path: Path, digest: str) -> OutputStamp:
    st = os.lstat(path)
    return OutputStamp(digest, st.st_size, st.st_mtime_ns, st.st_ino)


def _make_room(tree: Path, rel: str) -> None:
    """Clear what stands in the way of a file at ``rel`` in a reused tree: a file where a folder
    must be, or a folder where the file goes."""
    parts = rel.split("/")
    for i in range(1, len(parts)):
        ancestor = tree.joinpath(*parts[:i])
        if ancestor.is_file() or ancestor.is_symlink():
            ancestor.unlink()
    target = tree / rel
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)


class Assembly:
    """A new output tree being put together beside ``output/``; :meth:`commit` swaps it in.

    ``live`` is the record of the current ``output/`` (None when unknown: bytes are then compared
    by reading the old file); ``spare`` the record of the spare tree (None: assemble fresh);
    ``keep`` the top-level names of ``output/`` carried over into the new tree untouched.
    :meth:`put` and :meth:`keep` may run in forked worker processes: each touches only its own path.
    """

    def __init__(self, output: Path, live: Mapping[str, OutputStamp] | None = None,
                 spare: Mapping[str, OutputStamp] | None = None, keep_spare: bool = False,
                 keep: Sequence[str] = ()) -> None:
        self.output = output.absolute()
        self.live = live
        self.keep_spare = keep_spare
        self.kept_names = tuple(keep)
        self.warnings: list[str] = []
        """Problems that did not stop the build (an unusable spare tree), for the CLI to print."""
        self.spare_kept = False
        """Set by :meth:`commit`: the old output became the spare tree (its record is the old ``live``)."""
        self.committed = False
        """Set once :meth:`commit` has swapped the new tree in."""
        self.carried: list[str] = []
        """Kept entries moved from ``output/`` into the tree so far (:meth:`abort` moves them back)."""
        self.output.parent.mkdir(parents=True, exist_ok=True)
        clean_leftovers(self.output, self.kept_names)
        reuse = live is not None and spare is not None and keep_spare and self.output.is_dir()
        # A copy: prune() drops what it deletes, so keep() never counts on a file that is gone.
        self.spare = dict(spare or {}) if reuse and tree_matches(spare_path(self.output), dict(spare or {}), None) else None
        self.tree = spare_path(self.output)
        if self.spare is None:
            self._fresh()

    def _fresh(self) -> None:
        self.spare = None
        self.tree = self.output.parent / f"{staging_prefix(self.output)}{os.getpid()}"
        try:
            self.tree.mkdir()
        except OSError as exc:  # the folder to blame is the one that holds output/, not the new name
            raise OSError(exc.errno, f"cannot make a folder beside the output folder: {exc.strerror}",
                          str(self.output.parent)) from exc

    def give_up_spare(self) -> None:
        """Assemble in a fresh staging folder instead of the spare tree (before anything was put)."""
        if self.spare is not None:
            self._fresh()

    @property
    def reusing(self) -> bool:
        """True when the spare tree is being brought up to date (not a fresh staging folder)."""
        return self.spare is not None

    def put(self, rel: str, data: bytes) -> tuple[OutputStamp, bool]:
        """Place ``data`` at ``rel``; returns its stamp and whether bytes were written (not linked)."""
        digest = hashlib.sha256(data).hexdigest()
        old = self.live.get(rel) if self.live is not None else None
        if old is not None and old.digest == digest and old.size == len(data):
            return self.keep(rel), False
        if self.live is None and _same_bytes(self.output / rel, data):
            return self._link(rel, digest), False
        target = self.tree / rel
        if self.spare is None:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        else:
            _make_room(self.tree, rel)
            temporary = target.with_name(f".{target.name}.gloss-tmp")
            temporary.write_bytes(data)
            os.replace(temporary, target)
        return _stamp(target, digest), True

    def keep(self, rel: str) -> OutputStamp:
        """The live file at ``rel`` is unchanged: make the new tree hold the same file (same inode)."""
        assert self.live is not None
        old = self.live[rel]
        if self.spare is not None and rel in self.spare and self.spare[rel].ino == old.ino and self._holds(rel, old):
            return old  # already a link to the live file (unchanged through the last build)
        return self._link(rel, old.digest)

    def _holds(self, rel: str, stamp: OutputStamp) -> bool:
        """The tree still has ``rel`` as that very file (a prune or a make-room may have removed it)."""
        try:
            return os.lstat(self.tree / rel).st_ino == stamp.ino
        except OSError:
            return False

    def _link(self, rel: str, digest: str) -> OutputStamp:
        target = self.tree / rel
        if self.spare is None:
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(self.output / rel, target)
            except FileExistsError:
                # Two articles with one slug: the clash is reported once every page is known.
                target.unlink()
                os.link(self.output / rel, target)
        else:
            _make_room(self.tree, rel)
            temporary = target.with_name(f".{target.name}.gloss-tmp")
            os.link(self.output / rel, temporary)
            os.replace(temporary, target)
        return _stamp(target, digest)

    def prune(self, wanted: set[str]) -> None:
        """Remove what a reused tree holds beyond ``wanted`` (before indexing it, before the swap)."""
        if self.spare is None:
            return
        for rel in sorted(set(self.spare) - wanted):
            del self.spare[rel]  # gone from the tree: a later keep() must link it again
            path = self.tree / rel
            try:
                if not path.is_dir() or path.is_symlink():
                    path.unlink()
            except FileNotFoundError:
                continue
            for parent in Path(rel).parents:  # folders left empty go too
                if parent == Path("."):
                    break
                try:
                    (self.tree / parent).rmdir()
                except OSError:
                    break

    def _carry_kept(self) -> None:
        """Move the kept entries (``.git``, ``CNAME`` …) from ``output/`` into the new tree.

        Moved, not copied (a ``.git`` folder is big and must stay one repository); a build killed
        before the swap leaves them in the tree, and :func:`clean_leftovers` moves them back.
        """
        for name in self.kept_names:
            source = self.output / name
            if source.exists() or source.is_symlink():
                target = self.tree / name
                if target.exists() or target.is_symlink():
                    remove(target)  # a stale copy in the spare tree
                os.rename(source, target)
                self.carried.append(name)

    def commit(self, stamps: Mapping[str, OutputStamp], written: int) -> WriteStats:
        """Swap the assembled tree in. ``stamps`` is every file of the new site (from :meth:`put`/
        :meth:`keep`, wherever they ran), ``written`` how many of them got new bytes; the old tree
        becomes the spare or is deleted.

        Everything that can fail happens before the swap; after it, the build has succeeded, and
        a spare tree that cannot be replaced is only warned about (the next build assembles fresh).
        """
        self.prune(set(stamps))
        old_files = set(self.live) if self.live is not None else _files(self.output, self.kept_names)
        removed = len(old_files - set(stamps))
        if self.output.exists():
            self._carry_kept()
            if not _exchange(self.tree, self.output):
                # No atomic exchange: move the old tree aside, then the new one in.
                aside = self.output.parent / f"{staging_prefix(self.output)}old-{os.getpid()}"
                os.rename(self.output, aside)
                try:
                    os.rename(self.tree, self.output)
                except BaseException:
                    os.rename(aside, self.output)  # the old tree back: a failed build changes nothing
                    raise
                self.tree = aside
            self.committed = True
            self._keep_old_tree()
        else:
            os.rename(self.tree, self.output)
            self.committed = True
        return WriteStats(written, len(stamps) - written, removed)

    def _keep_old_tree(self) -> None:
        """After the swap: the old tree becomes the spare (or goes). The build has succeeded, so a
        spare that cannot be replaced is set aside with a warning (the next build starts fresh)."""
        spare = spare_path(self.output)
        if self.keep_spare and self.tree != spare:
            warning = set_aside(spare) if spare.exists() or spare.is_symlink() else None
            if warning is not None:
                self.warnings.append(warning)
            if not (spare.exists() or spare.is_symlink()):
                try:
                    os.rename(self.tree, spare)
                    self.tree = spare
                except OSError as exc:
                    self.warnings.append(f"warning: {shown_path(spare)}: cannot keep the old output there "
                                         f"({exc.strerror}); the next build starts from nothing")
        if self.tree != spare:
            shutil.rmtree(self.tree, ignore_errors=True)
            if self.tree.exists():
                self.warnings.append(f"warning: cannot remove {shown_path(self.tree)}; the next build tries again")
        self.spare_kept = self.keep_spare and self.tree == spare

    def abort(self) -> None:
        """Give up: a fresh staging folder is deleted; a half-updated spare is left for the record to distrust.
        Kept entries already moved into the tree (the swap failed or was interrupted) go back first.
        After :meth:`commit` there is nothing to give up: the new site is in place."""
        if self.committed:
            return
        if self.carried and self.output.is_dir():
            rescue(self.tree, self.output, self.carried)
        if self.spare is None:
            shutil.rmtree(self.tree, ignore_errors=True)


def _files(root: Path, kept: Sequence[str] = ()) -> set[str]:
    if not root.is_dir():
        return set()
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and p.relative_to(root).parts[0] not in kept}
