"""Build stage: counts of work done, for a progress line while a long build runs.

The build reports what it finished (an article parsed, a page rendered, a file written) here;
whoever started the build may listen (:func:`listening`): ``gloss build`` on a terminal draws a
progress line from the counts. Nobody listening (tests, the preview, a build in a pipe) costs one
``None`` check per call. Counts are kept in the process that runs the build: articles parsed on
other cores are counted as their results arrive.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(slots=True)
class Counts:
    """What a build has done so far (mutable: updated in place as the build runs)."""

    articles: int = 0
    """How many content files this build parses (known once the build has planned its work)."""
    parsed: int = 0
    """Content files parsed (and their pages rendered) so far."""
    rendered: int = 0
    """Pages rendered so far (articles and site-wide pages)."""
    written: int = 0
    """Output files written so far (files whose bytes did not change are not counted)."""


class _Listener:
    """The one listener of this process, if any, and its counts."""

    counts: Counts | None = None
    notify: Callable[[Counts], None] | None = None


@contextmanager
def listening(notify: Callable[[Counts], None]) -> Iterator[Counts]:
    """Call ``notify`` with the counts after each step of the builds run inside the block."""
    previous = (_Listener.counts, _Listener.notify)
    _Listener.counts, _Listener.notify = Counts(), notify
    try:
        yield _Listener.counts
    finally:
        _Listener.counts, _Listener.notify = previous


def planned(articles: int) -> None:
    """The build will parse ``articles`` content files."""
    if _Listener.counts is not None:
        _Listener.counts.articles = articles
        _report()


def parsed(rendered: bool) -> None:
    """A content file was parsed (and, when ``rendered``, its page rendered)."""
    if _Listener.counts is not None:
        _Listener.counts.parsed += 1
        _Listener.counts.rendered += rendered
        _report()


def rendered() -> None:
    """A page was rendered (a site-wide page, or an article page rendered after the listing)."""
    if _Listener.counts is not None:
        _Listener.counts.rendered += 1
        _report()


def written(count: int) -> None:
    """``count`` more output files were written."""
    if _Listener.counts is not None and count:
        _Listener.counts.written += count
        _report()


def _report() -> None:
    if _Listener.notify is not None and _Listener.counts is not None:
        _Listener.notify(_Listener.counts)
