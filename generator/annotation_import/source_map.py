"""Annotation import: positions in a page's rendered text → offsets in its Markdown sources.

The W3C selectors count in the page's *rendered text* (``generator/export.py``): the article body,
then every comment body in page order, each as a browser shows it, joined by a space. A note is
marked in the *Markdown* of one of those bodies, where emphasis markers, link targets, escapes,
entities and line breaks sit between the characters a reader sees. So each body is aligned with
its own rendered text (rapidfuzz's ``Indel`` alignment: the longest common subsequence, which is
what "the source minus its markup" is), and a rendered range becomes a Markdown range.

Where markup sits right at an end of the range (``*very* important``: is the ``*`` in or out?),
every way of cutting there is a candidate, innermost first; the writer refuses the ones that
would break the Markdown and the importer checks the rendered result, so the first candidate that
survives is exactly the selected text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from rapidfuzz.distance import Indel

from ..content.html_text import html_text
from ..site.article_page import ArticlePage
from ..site.threads import in_page_order

ARTICLE = "article"
"""``Body.where`` of the article body; a comment body has its comment id."""
MAX_CUTS = 4
"""Candidate cut points tried at each end of a range (markup characters between two letters)."""


@dataclass(frozen=True, slots=True)
class Body:
    """One rendered body of the page: where it is in the rendered text, and its Markdown."""

    where: str
    """``"article"`` or the comment id."""
    start: int
    """Offset of its first character in the page's rendered text."""
    text: str
    """Its rendered text (whitespace-normalised)."""
    markdown: str
    """Its Markdown source (the content file's text for it)."""


def bodies(page: ArticlePage) -> tuple[tuple[Body, ...], str]:
    """The page's bodies in rendered order, and the rendered text they make together."""
    found: list[Body] = []
    size = 0
    for where, html, markdown in _in_page_order(page):
        text = html_text(html)
        if not text:
            continue  # an empty body adds nothing, not even the joining space
        size += 1 if found else 0
        found.append(Body(where, size, text, markdown))
        size += len(text)
    return tuple(found), " ".join(body.text for body in found)


def _in_page_order(page: ArticlePage) -> Iterator[tuple[str, str, str]]:
    yield ARTICLE, page.body_html, page.article.body.text
    for thread in in_page_order(page.threads):  # each comment, then its replies, as the page nests them
        yield thread.comment.id, thread.body_html, thread.comment.body.text


def body_at(found: tuple[Body, ...], start: int, end: int) -> Body | None:
    """The body holding the rendered range [start, end), or None when it spans two of them."""
    for body in found:
        if body.start <= start and end <= body.start + len(body.text):
            return body
    return None


def cuts(body: Body, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Markdown ranges of ``body`` that may show as the rendered range [start, end) (page offsets).

    Innermost first; at most :data:`MAX_CUTS` choices at either end, and never across whitespace
    (a span that starts before a space would quote the space too).
    """
    local_start, local_end = start - body.start, end - body.start
    where = _alignment(body.text, body.markdown)
    first = where[local_start]
    last = where[local_end - 1] + 1
    lows = [first]
    low_limit = where[local_start - 1] + 1 if local_start > 0 else 0
    while len(lows) < MAX_CUTS and lows[-1] > low_limit and not body.markdown[lows[-1] - 1].isspace():
        lows.append(lows[-1] - 1)
    highs = [last]
    high_limit = where[local_end] if local_end < len(body.text) else len(body.markdown)
    while len(highs) < MAX_CUTS and highs[-1] < high_limit and not body.markdown[highs[-1]].isspace():
        highs.append(highs[-1] + 1)
    ordered = sorted(((low, high) for low in lows for high in highs), key=lambda c: (first - c[0]) + (c[1] - last))
    yield from ordered


def _alignment(rendered: str, markdown: str) -> list[int]:
    """For each rendered character, the Markdown offset it comes from (or stands in for)."""
    where = [0] * len(rendered)
    for op in Indel.opcodes(rendered, markdown):
        for i in range(op.src_start, op.src_end):
            # A character kept is where it is; one the Markdown writes otherwise (a line break
            # shown as a space, an entity) stands where the alignment puts its replacement.
            where[i] = op.dest_start + (i - op.src_start if op.tag == "equal" else 0)
    return where
