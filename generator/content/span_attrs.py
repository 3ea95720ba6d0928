"""Markdown stage helper: the attributes of a fact/claim span, ``{.fact #id}``, against an allow-list.

A span takes exactly one kind (``.fact`` or ``.claim``) and one ``#id``; anything
else (``onclick=…``, ``style``, another class) is an error at its own offset, so
the span plugin (``annotations.py``) can report it where the editor has to look.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_KINDS = {".fact": "fact", ".claim": "claim"}
_ID_RE = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
_ID_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_SPACE_RE = re.compile(r"\s+")

SPAN_HINT = "a span takes exactly one of .fact/.claim and one #id, like [text]{.fact #id}"
_ID_HINT = 'an id starts with a letter and has only letters, digits, "-" and "_", like #cma'


def named_id(src: str, begin: int, end: int) -> str | None:
    """The first valid ``#id`` of attributes that run from ``begin`` to "}" or the line's end."""
    end = min(end, begin + 200)  # attributes are short: never scan a long unclosed text from every "{"
    stop = min(i for i in (src.find("}", begin, end), src.find("\n", begin, end), end) if i >= 0)
    # "#c." at the end of a sentence (the "}" forgotten) still names note "c".
    ids = (_ID_PREFIX.match(item, 1) for _, item in attr_items(src, begin, stop) if item.startswith("#"))
    return next((m.group() for m in ids if m), None)


def parse_attrs(
    src: str, start: int, begin: int, end: int
) -> tuple[str | None, str | None, tuple[tuple[int, str, str], ...]]:
    """Check ``src[begin:end]`` against the allow-list; every other item is an error."""
    kind: str | None = None
    note_id: str | None = None
    bad_class = bad_id = False
    problems: list[tuple[int, str, str]] = []
    for pos, item in attr_items(src, begin, end):
        if item in _KINDS:
            if kind is None:
                kind = _KINDS[item]
            else:
                message = f"span has more than one kind ({_q(item)} after .{kind})"
                problems.append((pos, message, SPAN_HINT))
        elif item.startswith("#"):
            if not _ID_RE.match(item[1:]):
                bad_id = True
                problems.append((pos, f"span id {_q(item)} is not valid", _ID_HINT))
            elif note_id is None:
                note_id = item[1:]
            else:
                message = f"span has more than one id ({_q(item)} after #{note_id})"
                problems.append((pos, message, SPAN_HINT))
        elif item.startswith("."):
            bad_class = True
            problems.append((pos, f"span class {_q(item)} is not allowed", SPAN_HINT))
        else:
            problems.append((pos, f"span attribute {_q(item)} is not allowed", SPAN_HINT))
    # Missing parts are reported at the "[", and not again when a bad item stood in for them.
    if kind is None and not bad_class:
        problems.append((start, "span has no kind: add .fact or .claim", SPAN_HINT))
    if note_id is None and not bad_id:
        problems.append((start, "span has no #id naming its note", SPAN_HINT))
    return kind, note_id, tuple(problems)


def attr_items(src: str, pos: int, end: int) -> Iterator[tuple[int, str]]:
    """Whitespace-separated items with their offsets; quotes keep ``k="a b"`` in one item."""
    while pos < end:
        if src[pos].isspace():
            pos += 1
            continue
        item_start, quote = pos, ""
        while pos < end and (quote or not src[pos].isspace()):
            if quote:
                quote = "" if src[pos] == quote else quote
            elif src[pos] in "\"'":
                quote = src[pos]
            pos += 1
        yield item_start, src[item_start:pos]


def _q(item: str) -> str:
    """Quote user text for a one-line message (shortened; it is never HTML)."""
    item = _SPACE_RE.sub(" ", item)
    return '"' + (item if len(item) <= 40 else item[:39] + "…") + '"'
