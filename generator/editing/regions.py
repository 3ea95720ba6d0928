"""Editing helper: a content file's editable texts, mapped to file offsets, and finding a quote in them.

A content file holds Markdown in two kinds of place: the article body (after the front matter) and each
comment's ``body`` in the front matter. A :class:`Region` is one of them: its Markdown (the YAML value, for
a comment) and, for each character, its offset in the file. Inserting ``[`` and ``]{.fact #id}`` at two
such offsets changes the Markdown and nothing else, as long as the YAML value is written so that those
characters stay literal: a literal block (``|``, ``|-``, ``|+``: what ``gloss import`` writes) or a
one-line quoted value without escapes. Other styles (folded ``>``, plain, quoted with escapes) are not
editable, and saying so beats rewriting the user's value.

:func:`locate_quote` finds a quote the way a browser selection or a W3C ``TextQuoteSelector`` gives it:
the exact text plus some text before and after it, all as rendered (see :mod:`.markdown_text`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from ..common.errors import GlossError, SourceLocation
from ..content.parse import split_front_matter
from .markdown_text import CODE, FORMAT, LINK, PARAGRAPH, SPAN, Projection, project

ARTICLE = "article"
"""``Region.where`` of the article body; comment bodies have their comment id."""

_SPACE = re.compile(r"\s+")
_CONTEXT = 32  # characters of prefix and suffix compared, as the W3C export writes them

_OBSTACLES = {
    SPAN: "the selection crosses the edge of another note's span",
    LINK: "the selection crosses the edge of a link",
    FORMAT: "the selection crosses formatting (emphasis, code or strikethrough) it cannot wrap",
    PARAGRAPH: "the selection crosses a paragraph break",
    "block": "the selection crosses into another block (heading, list item or quote)",
    CODE: "the selection is inside code, where a note cannot be marked",
}
_OBSTACLE_HINT = "select words within one paragraph, entirely inside or outside links, formatting and other notes"


@dataclass(frozen=True, slots=True)
class Region:
    """One Markdown text of a content file, with each character's file offset."""

    where: str
    """``"article"`` or the id of the comment whose body this is."""
    text: str
    """The Markdown (for a comment: the YAML value)."""
    offsets: tuple[int, ...]
    """File offset of each character of ``text``, plus one more: the offset just after it."""
    projection: Projection
    """What a reader sees of ``text``."""


@dataclass(frozen=True, slots=True)
class Selection:
    """A range of a content file that a span can wrap."""

    start: int
    """File offset of the first selected character (where ``[`` goes)."""
    end: int
    """File offset just after the last selected character (where ``]{…}`` goes)."""
    where: str
    """``"article"`` or the comment id."""
    quote: str
    """The selected text as a reader sees it."""


def location(text: str, path: str, offset: int) -> SourceLocation:
    """``path:line:col`` of a file offset."""
    line_start = text.rfind("\n", 0, offset) + 1
    return SourceLocation(path, text.count("\n", 0, offset) + 1, offset - line_start + 1)


def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer("\n", text)]


def _block_offsets(
    value: str, node: yaml.ScalarNode, front_lines: list[str], starts: list[int]
) -> tuple[int, ...] | None:
    """File offsets of a literal block scalar's characters, or None when they do not line up."""
    first = node.start_mark.line + 1  # content starts on the line after the "|" header
    header = front_lines[node.start_mark.line][node.start_mark.column :]
    if re.match(r"\|[+-]?[1-9]", header) or re.match(r"\|[1-9]", header):
        return None  # an explicit indentation indicator: rare, not worth the arithmetic
    content = [line for line in front_lines[first:] if line.strip()]
    indent = len(content[0]) - len(content[0].lstrip(" ")) if content else 0
    offsets: list[int] = []
    pieces = value.split("\n")
    for k, piece in enumerate(pieces):
        line_no = first + k
        if line_no >= len(front_lines):
            return None
        line = front_lines[line_no]
        if line[indent : indent + len(piece)] != piece:
            return None
        base = starts[line_no] + indent
        offsets.extend(base + j for j in range(len(piece)))
        if k < len(pieces) - 1:
            offsets.append(starts[line_no] + len(line))  # the line break
        else:
            offsets.append(base + len(piece))
    return tuple(offsets)


def _inline_offsets(value: str, node: yaml.ScalarNode, front: str, starts: list[int]) -> tuple[int, ...] | None:
    """File offsets of a one-line quoted scalar without escapes, or None."""
    if node.style not in ('"', "'") or node.start_mark.line != node.end_mark.line:
        return None
    begin = starts[node.start_mark.line] + node.start_mark.column + 1
    if front[begin : begin + len(value)] != value or front[begin + len(value)] != node.style:
        return None
    return tuple(range(begin, begin + len(value) + 1))


def comment_bodies(front: str) -> list[tuple[str, yaml.ScalarNode]]:
    """(comment id, body node) for every comment whose body is a text value."""
    try:
        root = yaml.compose(front, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return []
    found: list[tuple[str, yaml.ScalarNode]] = []
    if not isinstance(root, yaml.MappingNode):
        return found
    for key, value in root.value:
        if key.value != "comments" or not isinstance(value, yaml.SequenceNode):
            continue
        for item in value.value:
            if not isinstance(item, yaml.MappingNode):
                continue
            fields = {k.value: v for k, v in item.value if isinstance(k, yaml.ScalarNode)}
            cid, body = fields.get("id"), fields.get("body")
            if isinstance(cid, yaml.ScalarNode) and isinstance(body, yaml.ScalarNode):
                found.append((str(cid.value), body))
    return found


def regions(text: str, path: str) -> tuple[list[Region], list[tuple[str, yaml.ScalarNode]]]:
    """The editable regions of a content file (article first), and the comment bodies that are not."""
    front, _, body, _ = split_front_matter(text, path)
    front_start = text.find("\n") + 1
    body_start = len(text) - len(body)
    found = [Region(ARTICLE, body, tuple(range(body_start, len(text) + 1)), project(body))]
    lines = front.split("\n")
    starts = _line_starts(front)
    refused: list[tuple[str, yaml.ScalarNode]] = []
    for cid, node in comment_bodies(front):
        value = str(node.value)
        if node.style == "|":
            offsets = _block_offsets(value, node, lines, starts)
        else:
            offsets = _inline_offsets(value, node, front, starts)
        if offsets is None:
            refused.append((cid, node))
            continue
        found.append(Region(cid, value, tuple(front_start + o for o in offsets), project(value)))
    return found, refused


def region_of(text: str, path: str, start: int, end: int) -> Region:
    """The region holding file offsets [start, end); a located error if none does."""
    found, refused = regions(text, path)
    for region in found:
        if region.offsets[0] <= start < end <= region.offsets[-1] and start in region.offsets and end in region.offsets:
            return region
    front_start = text.find("\n") + 1
    starts = _line_starts(text[front_start:])
    for cid, node in refused:
        node_start = front_start + starts[node.start_mark.line] + node.start_mark.column
        node_end = front_start + starts[node.end_mark.line] + node.end_mark.column
        if node_start <= start <= node_end:
            raise GlossError(
                f'comment "{cid}" has a body written as a YAML value a note cannot be marked in',
                location(text, path, node_start),
                "write the comment's body as a literal block: `body: |-` then the text, indented, on the next lines",
            )
    raise GlossError("the selection is not inside the article text or a comment's text", location(text, path, start),
                     "select words of the article or of one comment")


def check_wrappable(text: str, path: str, region: Region, start: int, end: int) -> None:
    """Refuse [start, end) (file offsets) when a span cannot wrap it."""
    first, last = region.offsets.index(start), region.offsets.index(end)
    reason = region.projection.obstacle(first, last)
    if reason is not None:
        raise GlossError(_OBSTACLES[reason], location(text, path, start), _OBSTACLE_HINT)
    if not region.text[first:last].strip():
        raise GlossError("the selection is empty", location(text, path, start), "select the words the note is about")


def normalise(text: str) -> str:
    """Whitespace runs as one space, ends trimmed (how quotes and context are compared)."""
    return _SPACE.sub(" ", text).strip()


def _common_suffix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def locate_quote(
    text: str,
    path: str,
    exact: str,
    *,
    prefix: str = "",
    suffix: str = "",
    within: str | None = None,
    occurrence: int | None = None,
    near: int | None = None,
) -> Selection:
    """Where in the file the rendered text ``exact`` (with ``prefix``/``suffix`` before/after it) is.

    The page's rendered text is the article body, then every comment body, joined by a space (the W3C
    export's text). ``within`` limits the search to ``"article"`` or one comment id; ``occurrence`` picks
    the N-th match (1-based, in that order); otherwise the match whose surroundings agree best with
    ``prefix``/``suffix`` wins, then the one nearest ``near`` (a position in that rendered text). A tie
    that nothing breaks is refused rather than guessed.
    """
    wanted = normalise(exact)
    found, _ = regions(text, path)
    if within is not None and within not in {r.where for r in found}:
        known = ", ".join(r.where for r in found)
        raise GlossError(f'there is no text "{within}" to select in', SourceLocation(path, 1, 1),
                         f"use one of: {known}")
    if not wanted:
        raise GlossError("the quote is empty", SourceLocation(path, 1, 1), "give the words the note is about")
    page = ""
    bases: list[int] = []
    for region in found:
        page += (" " if page else "")
        bases.append(len(page))
        page += region.projection.text
    matches: list[tuple[int, Region, int]] = []  # (page offset, region, offset in its projection)
    at = page.find(wanted)
    while at >= 0:
        for base, region in zip(bases, found, strict=True):
            if base <= at and at + len(wanted) <= base + len(region.projection.text):
                if within is None or region.where == within:
                    matches.append((at, region, at - base))
                break
        at = page.find(wanted, at + 1)
    if not matches:
        raise GlossError(
            f'the quote "{_short(wanted)}" is not in the ' + ("text" if within is None else f"{within} text"),
            SourceLocation(path, 1, 1),
            "quote the words exactly as the page shows them, within one paragraph",
        )
    if occurrence is not None:
        if not 1 <= occurrence <= len(matches):
            raise GlossError(f'the quote "{_short(wanted)}" occurs {len(matches)} time(s), not {occurrence}',
                             SourceLocation(path, 1, 1), f"pass --occurrence from 1 to {len(matches)}")
        chosen = matches[occurrence - 1]
    else:
        before, after = normalise(prefix)[-_CONTEXT:], normalise(suffix)[:_CONTEXT]

        def score(match: tuple[int, Region, int]) -> int:
            start = match[0]
            left = page[max(0, start - len(before) - 1) : start].rstrip()
            right = page[start + len(wanted) : start + len(wanted) + len(after) + 1].lstrip()
            return _common_suffix(left, before.rstrip()) + _common_prefix(right, after.lstrip())

        best = max(score(m) for m in matches)
        tied = [m for m in matches if score(m) == best]
        if len(tied) > 1 and near is not None:
            closest = min(abs(m[0] - near) for m in tied)
            tied = [m for m in tied if abs(m[0] - near) == closest]
        if len(tied) > 1:
            raise GlossError(
                f'the quote "{_short(wanted)}" occurs {len(tied)} times and nothing tells which is meant',
                SourceLocation(path, 1, 1),
                "pass --occurrence N (1 = the first in the article, then the comments), or select more words",
            )
        chosen = tied[0]
    _, region, offset = chosen
    projection = region.projection
    first = projection.starts[offset]
    last = projection.ends[offset + len(wanted) - 1]
    start, end = region.offsets[first], region.offsets[last]
    check_wrappable(text, path, region, start, end)
    return Selection(start, end, region.where, wanted)


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:59] + "…"
