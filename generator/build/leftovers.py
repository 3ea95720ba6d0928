"""Write stage, housekeeping: the folders a build keeps beside ``output/``, and what a killed build left.

Beside ``output/`` live the spare tree (``.output.spare``, the previous output,
reused by the next build), staging folders (``.output.staging-<pid>``, a new
tree being assembled) and scratch folders (``.output.staging-search-<pid>``,
the search indexer's work). All are recognised by name, so the next build
removes what a killed one left, after moving back into ``output/`` what
belongs there (the old tree itself, or entries that ``keep:`` lists).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from pathlib import Path

from ..common.textfile import shown_path


def staging_prefix(output: Path) -> str:
    """Names of the staging and scratch folders beside ``output`` (removed by the next build)."""
    return f".{output.name}.staging-"


def spare_path(output: Path) -> Path:
    """Where the previous output is kept for the next build to reuse."""
    return output.parent / f".{output.name}.spare"


def scratch_folder(output: Path, purpose: str) -> Path:
    """A private working folder beside ``output`` (the search indexer's, say): named like a staging
    folder, so the next build removes it if this one is killed before it does."""
    return output.parent / f"{staging_prefix(output)}{purpose}-{os.getpid()}"


def rescue(tree: Path, output: Path, keep: Sequence[str]) -> None:
    """Move kept entries (``keep:``) that a killed build left in ``tree`` back into ``output``."""
    for name in keep:
        entry = tree / name
        if (entry.exists() or entry.is_symlink()) and not (output / name).exists() and not (output / name).is_symlink():
            os.rename(entry, output / name)


def remove(path: Path) -> None:
    """Delete a file or a folder tree; raises when something is left (``set_aside`` then moves it)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def set_aside(path: Path) -> str | None:
    """Clear ``path`` (an unusable spare tree: a file, or not ours to delete): delete it, else move it
    to ``<path>.unusable``. Returns a warning naming it, or None when it went."""
    try:
        remove(path)
        return None
    except OSError as exc:
        aside = path.with_name(path.name + ".unusable")
        try:
            if aside.exists() or aside.is_symlink():
                remove(aside)
            os.rename(path, aside)
        except OSError:
            return f"warning: {shown_path(path)}: cannot remove it ({exc.strerror}); remove it by hand"
        return f"warning: {shown_path(path)}: cannot remove it ({exc.strerror}); moved it to {aside.name}, remove that by hand"


def clean_leftovers(output: Path, keep: Sequence[str] = ()) -> None:
    """Remove staging and scratch folders an interrupted build left beside ``output``, after putting
    back what they hold of ``output``: the old tree itself, or the entries ``keep`` names."""
    parent = output.parent
    if not parent.is_dir():
        return
    leftovers = sorted(e for e in parent.iterdir() if e.name.startswith(staging_prefix(output)))
    for entry in leftovers:
        if not output.exists() and entry.name.startswith(staging_prefix(output) + "old-"):
            # Killed between the two fallback renames: the old tree is the last complete one.
            os.rename(entry, output)
    if output.is_dir() and keep:
        for entry in [*leftovers, spare_path(output)]:
            if entry.is_dir() and not entry.is_symlink():
                rescue(entry, output, keep)
    for entry in leftovers:
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
