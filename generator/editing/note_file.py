"""Editing helper: read a content file for editing and write it back atomically, or not at all.

The writer works on text with ``\\n`` line ends; this module keeps what the file had around it: a UTF-8
byte-order mark and Windows (CRLF) line ends come back as they were (a file that mixes line ends is
refused: no choice would keep its bytes). The new text is written to a hidden file beside the old one
(names starting with a dot are ignored by builds and the preview) and renamed over it, so a reader sees
the old file or the new one, never half of one; the file's permission bits are kept.

:func:`write_content` refuses (:class:`Conflict`, nothing written) when the file's bytes on disk are no
longer those that were read: someone saved it meanwhile, and their edit must not be lost.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from ..common.errors import GlossError, SourceLocation
from ..common.textfile import decode_raw, shown_path

_BOM = b"\xef\xbb\xbf"


class Conflict(GlossError):
    """The file changed on disk since it was read; nothing was written."""


@dataclass(frozen=True, slots=True)
class ContentFile:
    """A content file as read for editing."""

    path: Path
    """Where it is."""
    shown: str
    """The path as messages show it."""
    text: str
    """Its text with ``\\n`` line ends (what the note writer edits)."""
    raw: bytes
    """Its bytes as read (to notice a change on disk before writing)."""

    @property
    def version(self) -> str:
        """A short digest of the bytes: the preview sends it with each page and checks it on save."""
        return hashlib.sha256(self.raw).hexdigest()[:16]


def read_content(path: Path) -> ContentFile:
    """Read ``path``; located errors for a missing, undecodable or mixed-line-end file."""
    shown = shown_path(path)
    if not path.is_file():
        raise GlossError("no such content file", SourceLocation(shown, 1, 1), "name a .md file in content/")
    raw = path.read_bytes()
    text = decode_raw(raw, shown)
    body = raw[len(_BOM) :] if raw.startswith(_BOM) else raw
    crlf = body.count(b"\r\n")
    if (crlf and crlf != body.count(b"\n")) or body.count(b"\r") != crlf:
        raise GlossError("the file mixes line ends (CRLF and LF or CR)", SourceLocation(shown, 1, 1),
                         "save it with one kind of line end, then edit its notes")
    return ContentFile(path, shown, text, raw)


def encode(file: ContentFile, text: str) -> bytes:
    """``text`` as bytes in ``file``'s conventions (BOM, line ends)."""
    data = text.encode("utf-8")
    body = file.raw[len(_BOM) :] if file.raw.startswith(_BOM) else file.raw
    if b"\r\n" in body:
        data = data.replace(b"\n", b"\r\n")
    return _BOM + data if file.raw.startswith(_BOM) else data


def write_content(file: ContentFile, text: str) -> None:
    """Replace ``file`` with ``text`` atomically; :class:`Conflict` if it changed since it was read."""
    data = encode(file, text)
    temporary = file.path.with_name(f".{file.path.name}.gloss-edit-{os.getpid()}.tmp")
    try:
        mode = file.path.stat().st_mode & 0o7777
        with open(temporary, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        # Checked as late as possible, just before the rename: an editor's save in between is kept.
        if _current(file.path) != file.raw:
            raise Conflict(
                "the file changed on disk since it was read; nothing was written",
                SourceLocation(file.shown, 1, 1),
                "reload the page (or read the file again) and make the change once more",
            )
        os.replace(temporary, file.path)
    finally:
        temporary.unlink(missing_ok=True)


def _current(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None
