"""Edge helper for every stage that reads user text: bytes to checked text.

Raw dumps, content files and ``site.yaml`` all go through :func:`decode_raw`,
so a wrong encoding or binary junk gets the same located message everywhere.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import GlossError, SourceLocation

# PyYAML refuses these; a raw dump that contains them is binary or corrupt. Written as the
# (small) set of refused characters, the complement of YAML's printable set: the negated form
# takes ~9 ms to compile, on every start of gloss.
NOT_PRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Old Mac and Windows line ends become "\n". Unicode line and paragraph
# separators (and NEL) stay in the text: positions are counted in "\n" lines,
# as grep, sed and most editors count them; the importer splits on them itself.
_LINE_BREAKS = re.compile("\r\n|\r")
UNICODE_BREAKS = re.compile("[\x85\u2028\u2029]")


MAX_TEXT_BYTES = 10 * 1024 * 1024
"""Largest text file Gloss reads (10 MB, about 100 times a long article with a thousand
comments): a bigger one is refused at once with a located error instead of a long parse."""


def decode_raw(data: bytes, path: str) -> str:
    """UTF-8 bytes to text with ``\\n`` line ends; a located error otherwise."""
    if len(data) > MAX_TEXT_BYTES:
        raise GlossError(
            f"file is too large ({len(data) / 1024 / 1024:.1f} MB; Gloss reads text files up to "
            f"{MAX_TEXT_BYTES // 1024 // 1024} MB)",
            SourceLocation(path, 1, 1),
            "check that this is the right file; split a very long dump into several articles",
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise GlossError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} cannot be decoded)",
            SourceLocation(path, line, column),
            "save the file as UTF-8 (e.g. iconv -f WINDOWS-1252 -t UTF-8)",
        ) from None
    text = _LINE_BREAKS.sub("\n", text)
    bad = NOT_PRINTABLE.search(UNICODE_BREAKS.sub(" ", text))
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        raise GlossError(
            f"control character U+{ord(bad.group()):04X} in text",
            SourceLocation(path, line, column),
            "this looks like a binary or corrupted file; remove the character or re-export the text",
        )
    return text


def shown_path(path: str | Path) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
