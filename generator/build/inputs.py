"""Input edge of a build: find every file a build reads, and know which changed, cheaply.

A build depends on the content files (``content/*.md``), the images under the
content folder, ``site.yaml`` and the template folders (templates and
``static/``). Each is identified by the SHA-256 of its bytes. Reading and
hashing every file on every build would cost more than the rest of a build
that changed nothing (37 MB for 1,000 articles), so the previous build's
record of each file's (size, mtime, ctime, inode) is trusted when it matches and the
file was not modified *just before* that record was made: file-system
timestamps tick coarsely (a few ms), so a file written in the same tick as
the previous scan could change again without its mtime changing ("racy"
entries, as git calls them). Those are always re-read.

Symbolic links are followed only while they stay inside the site (its root
folder, or the folder being scanned): a link out of it (``content/img/env.png ->
/proc/self/environ``, a linked folder of private files) would publish what the
author never meant to, so it is a located error, and nothing is read through it.

Nothing here parses anything; only ``os`` is used, so a build that finds
nothing changed never imports the parsing and rendering libraries.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from ..common.errors import GlossError, SourceLocation, raise_all
from ..common.textfile import shown_path

IMAGE_SUFFIXES = (".avif", ".gif", ".jpeg", ".jpg", ".png", ".svg", ".webp")
"""File types copied from the content folder (see ``media.py``)."""

RACY_NS = 2_000_000_000
"""A file modified less than this long before a scan is re-read by the next scan (timestamp granularity)."""


class FileStamp(NamedTuple):
    """What a scan saw of one file."""

    size: int
    """Size in bytes."""
    mtime_ns: int
    """Modification time."""
    ino: int
    """Inode number (an editor that saves by renaming a new file over the old one changes it)."""
    ctime_ns: int
    """Status change time: every write sets it, and unlike the mtime it cannot be set back
    (``touch -r`` after an edit of the same size), so git compares it too."""
    digest: str
    """SHA-256 of the bytes, hex."""
    racy: bool
    """Modified too close to the scan for the stat to prove a later change absent: re-read next time."""


@dataclass(frozen=True, slots=True)
class InputFile:
    """One input file of this build."""

    path: str
    """Where it is (a string: building ~2,000 ``Path`` objects per scan costs more than the scan)."""
    rel: str
    """POSIX path relative to its folder (content folder, template folder) or the file name."""
    shown: str
    """The path as the user would type it (``textfile.shown_path``), for messages and cache keys."""
    digest: str
    """SHA-256 of the bytes, hex."""
    data: bytes | None
    """The bytes when this scan had to read them (a changed or new template or ``site.yaml``), else None."""
    verify: bool = False
    """The scan read and hashed the bytes but did not keep them (content files and images: a cold
    build of 10,000 articles would hold 360 MB of them); :meth:`read` checks they are the same."""

    @property
    def stem(self) -> str:
        """The file name without its extension (a content file's default slug)."""
        return os.path.splitext(os.path.basename(self.path))[0]

    def read(self) -> bytes:
        """The bytes (read now if the scan did not keep them).

        Bytes the scan hashed must still have that digest: the build's cache files the parsed
        page under it, and a page parsed from other bytes must never be found under it.
        """
        if self.data is not None:
            return self.data
        with open(self.path, "rb") as f:
            data = f.read()
        if self.verify and hashlib.sha256(data).hexdigest() != self.digest:
            raise GlossError(f"{self.shown} changed while the site was being built", SourceLocation(self.shown),
                             "build again (gloss serve does so by itself)")
        return data


@dataclass(frozen=True, slots=True)
class Inputs:
    """Every file a build reads, in a stable order."""

    articles: tuple[InputFile, ...]
    """``content/*.md``, sorted by name."""
    media: tuple[InputFile, ...]
    """Images anywhere under the content folder (hidden folders left out), sorted by path."""
    config: InputFile | None
    """``site.yaml``, when present."""
    templates: tuple[tuple[InputFile, ...], ...]
    """Every file of each template folder (site's own first), sorted by path."""
    stamps: dict[str, FileStamp]
    """Every file above by absolute path, for the next scan."""

    def fingerprint(self) -> tuple[tuple[str, str], ...]:
        """(path, digest) of every input: equal fingerprints mean the same input."""
        return tuple(sorted((path, stamp.digest) for path, stamp in self.stamps.items()))


class _Scanner:
    def __init__(self, previous: dict[str, FileStamp]) -> None:
        self.previous = previous
        self.stamps: dict[str, FileStamp] = {}
        self.started = time.time_ns()

    def file(self, path: str, rel: str, shown: str, keep: bool = True) -> InputFile:
        """Identify one file; the bytes read for its digest are kept for the build with ``keep``."""
        key = path
        st = os.stat(key)
        old = self.previous.get(key)
        data: bytes | None = None
        seen = (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)
        if old is not None and not old.racy and (old.size, old.mtime_ns, old.ino, old.ctime_ns) == seen:
            digest = old.digest
        else:
            with open(path, "rb") as f:
                data = f.read()
            digest = hashlib.sha256(data).hexdigest()
        racy = max(st.st_mtime_ns, st.st_ctime_ns) >= self.started - RACY_NS
        self.stamps[key] = FileStamp(st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns, digest, racy)
        if data is not None and not keep:
            return InputFile(path, rel, shown, digest, None, verify=True)
        return InputFile(path, rel, shown, digest, data)


def _inside(real: str, roots: tuple[str, ...]) -> bool:
    return any(real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def _outside(shown: str, real: str) -> GlossError:
    return GlossError(
        f"symbolic link to {real}, which is outside the site",
        SourceLocation(shown, 1, 1),
        "copy the file into the site instead of linking it; links are followed only inside the site",
    )


def _walk(folder: Path, site: str, shown: str, errors: list[GlossError]) -> list[tuple[str, str]]:
    """(path, POSIX path relative to ``folder``) of every file under it, hidden ones left out, sorted.

    A symbolic link (to a file or a folder) that resolves outside ``site`` and ``folder`` is
    recorded in ``errors`` and not followed; a linked folder already walked (a loop) is skipped.
    """
    top = os.path.realpath(folder)
    roots = (site, top)
    walked = {top}
    found: list[tuple[str, str]] = []
    stack = [(str(folder), "")]
    while stack:
        here, prefix = stack.pop()
        try:
            entries = list(os.scandir(here))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue  # .git, editor backups: never published, never watched
            rel = prefix + entry.name
            is_dir = entry.is_dir()
            if entry.is_symlink():
                real = os.path.realpath(entry.path)
                if not _inside(real, roots):
                    if is_dir or entry.is_file():  # a dangling link names nothing to read
                        errors.append(_outside(shown + rel, real))
                    continue
                if is_dir and real in walked:
                    continue  # a link back up the tree: walking it again would never end
                walked.add(real)
            if is_dir:
                stack.append((entry.path, rel + "/"))
            elif entry.is_file():
                found.append((entry.path, rel))
    found.sort(key=lambda item: item[1])
    return found


def _shown_folder(folder: Path) -> str:
    """``shown_path`` of a folder, as a prefix for the files in it (resolving each file costs ~0.2 ms)."""
    shown = shown_path(folder)
    return "" if shown == "." else shown.rstrip("/") + "/"


def scan(content: Path, config: Path, template_dirs: list[Path], previous: dict[str, FileStamp],
         site: Path | None = None) -> Inputs:
    """Find and identify every input; reads only files that are new, changed or racy.

    ``site`` is the site root (default: the folder of ``config``); links out of it are errors.
    """
    scanner = _Scanner(previous)
    content = content.absolute()
    root = os.path.realpath(site if site is not None else config.absolute().parent)
    errors: list[GlossError] = []
    articles: list[InputFile] = []
    media: list[InputFile] = []
    shown = _shown_folder(content)
    for path, rel in _walk(content, root, shown, errors) if content.is_dir() else []:
        if "/" not in rel and rel.endswith(".md"):
            articles.append(scanner.file(path, rel, shown + rel, keep=False))
        elif os.path.splitext(rel)[1].lower() in IMAGE_SUFFIXES:
            media.append(scanner.file(path, rel, shown + rel, keep=False))
    site_yaml = None
    if config.is_file():
        real = os.path.realpath(config)
        config_shown = _shown_folder(config.absolute().parent) + config.name  # the link's name, not its target's
        if config.is_symlink() and not _inside(real, (root,)):
            errors.append(_outside(config_shown, real))
        else:
            site_yaml = scanner.file(str(config.absolute()), config.name, config_shown)
    templates = tuple(
        tuple(scanner.file(path, rel, _shown_folder(folder) + rel)
              for path, rel in _walk(folder, root, _shown_folder(folder), errors))
        for folder in template_dirs
    )
    raise_all(errors)
    return Inputs(tuple(articles), tuple(media), site_yaml, templates, scanner.stamps)
