"""What the command line prints besides data: plurals, colours and the build's progress line.

Colours and the progress line are for people watching a terminal, never for a pipe or a log
file (where escape codes are noise and a redrawn line is a mess): they need the stream to be a
terminal, and colours also need ``NO_COLOR`` unset or empty (https://no-color.org) and a
``TERM`` other than ``dumb``.
"""

from __future__ import annotations

import os
import time
from typing import TextIO

from .build.progress import Counts

PROGRESS_DELAY = 1.0
"""Seconds a build runs before the progress line appears: a quick build prints only its summary."""
PROGRESS_INTERVAL = 0.1
"""Seconds between redraws of the progress line (redrawing per article would cost more than it shows)."""

_STYLES = {"bold": "1", "red": "31", "green": "32", "yellow": "33"}
_CLEAR_LINE = "\r\x1b[K"


def plural(count: int, word: str, words: str | None = None) -> str:
    """``1 article``, ``2 articles``; ``words`` for an irregular plural (``1 reply``, ``2 replies``)."""
    return f"{count} {word if count == 1 else (words or word + 's')}"


def is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or replaced stream
        return False


def colour_on(stream: TextIO) -> bool:
    """Whether text written to ``stream`` may carry colour."""
    return is_terminal(stream) and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def paint(text: str, style: str, stream: TextIO) -> str:
    """``text`` in ``style`` (bold, red, green, yellow) when ``stream`` takes colour, else as it is."""
    return f"\x1b[{_STYLES[style]}m{text}\x1b[0m" if colour_on(stream) else text


class ProgressLine:
    """One line on a terminal, redrawn in place with the build's counts once it runs long enough."""

    def __init__(self, stream: TextIO, delay: float | None = None) -> None:
        self.stream = stream
        self.enabled = is_terminal(stream)
        self.started = time.monotonic()
        self.delay = PROGRESS_DELAY if delay is None else delay
        self.drawn_at: float | None = None

    @staticmethod
    def text(counts: Counts) -> str:
        parsed = f"parsed {counts.parsed}/{counts.articles} articles" if counts.articles else "parsed 0 articles"
        return f"{parsed}, rendered {plural(counts.rendered, 'page')}, wrote {plural(counts.written, 'file')}"

    def update(self, counts: Counts) -> None:
        """Redraw, if the build has run past the delay and the last redraw is not too recent."""
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.started < self.delay or (self.drawn_at is not None and now - self.drawn_at < PROGRESS_INTERVAL):
            return
        self.stream.write(_CLEAR_LINE + self.text(counts))
        self.stream.flush()
        self.drawn_at = now

    def clear(self) -> None:
        """Remove the line (before the summary or an error is printed)."""
        if self.drawn_at is not None:
            self.stream.write(_CLEAR_LINE)
            self.stream.flush()
            self.drawn_at = None
