"""Shared: replace one user-facing file at once, so an interrupted write never leaves half a file.

Used for the files Gloss writes into a site (``gloss import``'s content file, ``gloss review``'s
edits, ``gloss init``'s sample site, ``gloss theme copy``'s template). The bytes go to a hidden
temporary name beside the target (``.<name>.tmp-<pid>``: the content scan and the preview ignore dot-files), which is then
renamed over the target: readers see the old file or the new one, never a mix.

The build's own writes (``build/write.py``'s output tree, ``build/state.py``'s state file,
``build/cache.py``'s entries) follow the same pattern with their own temporary names, which the
write stage and its kill tests rely on; they are left to the build stage for now and can move
here once that stage settles. ``editing/note_file.py`` keeps its own: it checks, just before the
rename, that nobody saved the file since it was read (a compare-and-swap), and keeps the file's mode.
"""

from __future__ import annotations

import os
from pathlib import Path


def _temporary(path: Path) -> Path:
    return path.with_name(f".{path.name}.tmp-{os.getpid()}")


def write_atomically(path: Path, data: str | bytes) -> None:
    """Make ``path`` hold ``data`` (text is written as UTF-8 with LF line ends), all at once.

    Creates missing parent folders. Temporaries left beside ``path`` by a writer that was killed
    are removed first, so they never pile up.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob(f".{path.name}.tmp-*"):
        stale.unlink(missing_ok=True)
    temporary = _temporary(path)
    if isinstance(data, str):
        temporary.write_text(data, encoding="utf-8", newline="\n")
    else:
        temporary.write_bytes(data)
    os.replace(temporary, path)
