"""Errors shared by every stage: a located message with a hint.

Every user-facing problem becomes a :class:`GlossError` carrying the file, the
1-based line and column, a one-line message and a hint, so the CLI can print
``path:line:col: message`` without a traceback. A stage that can find several
problems in one run collects them and raises :class:`GlossErrors` once, so the
user sees every error of the run together.

Messages echo user text (a key, a verdict, a path), so :meth:`GlossError.format`
escapes every control character in them: a value such as ``"\\e]0;x\\a"`` must
not retitle or clear the terminal that shows the error, nor break the line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# C0 and C1 controls (line breaks included: a message is one line), the Unicode line and paragraph
# separators, and the bidirectional overrides that can make a line read other than it is.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with every character a terminal would act on written as a Python-style escape."""
    return _UNSAFE.sub(_escape, text)


@dataclass(frozen=True, slots=True)
class SourceLocation:
    """A place in a user's file."""

    path: str
    """The file as the user named it (relative where possible)."""
    line: int = 1
    """1-based line number."""
    column: int = 1
    """1-based column number, counted in characters."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


class GlossError(Exception):
    """One problem in the user's input, with where it is and what to do."""

    def __init__(
        self,
        message: str,
        location: SourceLocation,
        hint: str = "",
        source_line: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.hint = hint
        # The offending line itself, shown under the message (Jinja does the same).
        self.source_line = source_line

    def __str__(self) -> str:
        return self.format()

    def format(self) -> str:
        """The one-line form ``path:line:col: message (hint: …)``, with controls escaped."""
        text = f"{self.location}: {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return printable(text)

    def sort_key(self) -> tuple[str, int, int, str]:
        loc = self.location
        return (loc.path, loc.line, loc.column, self.message)


class GlossErrors(Exception):
    """Several problems found in one run; raised once so all are reported."""

    def __init__(self, errors: Iterable[GlossError]) -> None:
        self.errors: tuple[GlossError, ...] = tuple(sorted(errors, key=GlossError.sort_key))
        super().__init__("\n".join(e.format() for e in self.errors))


def raise_all(errors: Sequence[GlossError]) -> None:
    """Raise the collected errors, if there are any."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise GlossErrors(errors)


def flatten(exc: GlossError | GlossErrors) -> tuple[GlossError, ...]:
    """The individual errors inside either exception type."""
    if isinstance(exc, GlossErrors):
        return exc.errors
    return (exc,)
