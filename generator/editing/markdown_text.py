"""Editing helper: the text a reader sees of a Markdown string, each character mapped back to the string.

A browser selection (or a W3C ``TextQuoteSelector``) quotes the *rendered* text: no ``*``, no link
targets, no ``]{.fact #id}``, whitespace runs as one space. To wrap it in a span we must find it in the
*source*. This module makes a projection of the source that reads like the rendered text, remembering
for every projected character where it came from, and for every source character that was dropped
why (emphasis, a link, a span, block markup, a paragraph break, code), so a selection whose source
range holds one of them can be refused with a message that says which.

It approximates CommonMark (the check after every edit in :mod:`.note_writer` is what guarantees a
valid file): emphasis markers, code-span backticks, link and span brackets, autolink angle brackets,
block prefixes (``#``, ``>``, list markers, indentation) and backslashes of escapes are dropped;
brackets that open neither a link nor a span are text, as markdown-it shows them.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

SPAN = "span"
LINK = "link"
FORMAT = "format"
BLOCK = "block"
PARAGRAPH = "paragraph"
CODE = "code"

_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_BLOCK_PREFIX = re.compile(  # quote markers, an ATX heading's #s, list markers, and the spaces among them
    r"[ \t]*(?:(?:>[ \t]?)+|#{1,6}(?=[ \t\n]|\Z)[ \t]*|(?:[-+*]|\d{1,9}[.)])(?=[ \t\n]|\Z)[ \t]*)*"
)
_FENCE = re.compile(r"[ \t]{0,3}(`{3,}|~{3,})")
_AUTOLINK = re.compile(r"<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*>|<[^<>\s@]+@[^<>\s@]+>")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_BARE_URL = re.compile(r"(?:https?://|mailto:|www\.)[^\s<>()\[\]{}]*[^\s<>()\[\]{}.,;:!?'\"*_~]", re.IGNORECASE)
_SPAN_ATTRS = re.compile(r"\{[^}\n]*\}")


@dataclass(frozen=True, slots=True)
class Projection:
    """A Markdown string as a reader sees it, mapped back to the string."""

    text: str
    """The projected text: markup dropped, each whitespace run one space."""
    starts: tuple[int, ...]
    """For each character of ``text``, where its source begins (an escape's backslash, an entity's ``&``)."""
    ends: tuple[int, ...]
    """For each character of ``text``, the offset just after its source (after an entity's ``;``)."""
    dropped: tuple[tuple[int, str], ...]
    """Sorted (source offset, reason) of every dropped character that a span may not cross."""
    code: tuple[tuple[int, int], ...]
    """Source ranges [start, end) inside code spans and fenced code: no span can start there."""
    atoms: tuple[tuple[int, int], ...] = ()
    """Source ranges [start, end) of bare web addresses (links once linkified): wrapped whole or not at all."""

    def obstacle(self, start: int, end: int) -> str | None:
        """Why the source range [start, end) cannot be wrapped in a span, or None if it can."""
        for offset, reason in self.dropped:
            if offset >= end:
                break
            if offset >= start:
                return reason
        for first, last in self.code:
            if first < end and start < last:
                return CODE
        for first, last in self.atoms:
            if first < start < last or first < end < last:
                return LINK
        return None


def _pair_brackets(src: str) -> dict[int, tuple[int, str]]:
    """Each ``[`` that opens a span or a link → (offset of its ``]``, SPAN or LINK)."""
    pairs: dict[int, tuple[int, str]] = {}
    stack: list[int] = []
    i = 0
    while i < len(src):
        ch = src[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            stack.append(i)
        elif ch == "]" and stack:
            opening = stack.pop()
            after = src[i + 1 : i + 2]
            if after == "{" and _SPAN_ATTRS.match(src, i + 1):
                pairs[opening] = (i, SPAN)
            elif after in ("(", "["):
                pairs[opening] = (i, LINK)
        elif ch == "\n" and src[i + 1 : i + 2] == "\n":
            stack.clear()  # brackets never pair across a paragraph
        i += 1
    return pairs


def _link_tail(src: str, i: int) -> int:
    """End of ``(url "title")`` or ``[ref]`` after a link's ``]`` at ``i - 1``."""
    closer = ")" if src[i] == "(" else "]"
    depth, j = 0, i
    while j < len(src) and src[j] != "\n":
        if src[j] == "\\":
            j += 2
            continue
        if closer == ")" and src[j] == "(":
            depth += 1
        elif src[j] == closer:
            depth -= 1 if closer == ")" else 0
            if closer == "]" or depth == 0:
                return j + 1
        j += 1
    return j


def project(src: str) -> Projection:
    """The projection of Markdown ``src`` (see the module docstring)."""
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    dropped: list[tuple[int, str]] = []
    code: list[tuple[int, int]] = []
    pairs = _pair_brackets(src)
    closers = {close: kind for close, kind in pairs.values()}
    fence: str | None = None
    i, n = 0, len(src)
    line_start = True

    def drop(start: int, end: int, reason: str) -> None:
        dropped.extend((k, reason) for k in range(start, end))

    def emit(text: str, start: int, end: int) -> None:
        for ch in text:
            chars.append(ch)
            starts.append(start)
            ends.append(end)

    def space(at: int) -> None:
        if chars and chars[-1] != " ":
            emit(" ", at, at + 1)

    while i < n:
        if line_start:
            line_end = src.find("\n", i)
            line_end = n if line_end < 0 else line_end
            fenced = _FENCE.match(src, i)
            if fenced or fence is not None:
                if fenced and (fence is None or fenced.group(1)[0] == fence[0]):
                    fence = None if fence is not None else fenced.group(1)
                code.append((i, line_end))  # fence lines and code lines alike: no span there
                for k in range(i, line_end):
                    if not src[k].isspace():
                        emit(src[k], k, k + 1)
                i, line_start = line_end, False
                continue
            prefix = _BLOCK_PREFIX.match(src, i)
            end = prefix.end() if prefix else i
            dropped.extend((k, BLOCK) for k in range(i, end) if not src[k].isspace())
            if prefix and "#" in prefix.group() and line_end < n:
                # A heading ends at its line: the next line, even unmarked, is another block.
                dropped.append((line_end, BLOCK))
            i, line_start = end, False
            continue
        ch = src[i]
        if ch.isspace():
            j = i
            while j < n and src[j].isspace():
                j += 1
            if src.count("\n", i, j) >= 2:
                drop(i, j, PARAGRAPH)
            space(i)
            if src[j - 1] == "\n" or "\n" in src[i:j]:
                # The text after the last line break starts a line: its block prefix is markup.
                i = src.rfind("\n", i, j) + 1
                line_start = True
            else:
                i = j
            continue
        if ch == "\\" and i + 1 < n and src[i + 1] in _PUNCT:
            emit(src[i + 1], i, i + 2)
            i += 2
            continue
        if ch == "[" and i in pairs:
            drop(i, i + 1, pairs[i][1])
            i += 1
            continue
        if ch == "!" and src[i + 1 : i + 2] == "[" and i + 1 in pairs:
            drop(i, i + 2, LINK)
            i += 2
            continue
        if ch == "]" and i in closers:
            if closers[i] == SPAN:
                attrs = _SPAN_ATTRS.match(src, i + 1)
                end = attrs.end() if attrs else i + 1
            else:
                end = _link_tail(src, i + 1)
            drop(i, end, closers[i])
            i = end
            continue
        if ch == "`":
            j = i
            while j < n and src[j] == "`":
                j += 1
            run = src[i:j]
            close = re.compile(rf"(?<!`){run}(?!`)").search(src, j)
            if close is not None and "\n\n" not in src[j : close.start()]:
                drop(i, j, FORMAT)
                code.append((j, close.start()))
                for k in range(j, close.start()):
                    emit(" " if src[k] == "\n" else src[k], k, k + 1)
                drop(close.start(), close.end(), FORMAT)
                i = close.end()
            else:
                for k in range(i, j):
                    emit("`", k, k + 1)
                i = j
            continue
        if ch in "*~" or (ch == "_" and not (_word(src, i - 1) and _word(src, i + 1))):
            drop(i, i + 1, FORMAT)
            i += 1
            continue
        if ch == "<" and (auto := _AUTOLINK.match(src, i)):
            drop(i, i + 1, LINK)
            drop(auto.end() - 1, auto.end(), LINK)
            for k in range(i + 1, auto.end() - 1):
                emit(src[k], k, k + 1)
            i = auto.end()
            continue
        if ch == "&" and (entity := _ENTITY.match(src, i)) and html.unescape(entity.group()) != entity.group():
            emit(html.unescape(entity.group()), i, entity.end())  # shown as one character; wrapped whole
            i = entity.end()
            continue
        emit(ch, i, i + 1)
        i += 1
    while chars and chars[-1] == " ":
        chars.pop()
        starts.pop()
        ends.pop()
    atoms = tuple((m.start(), m.end()) for m in _BARE_URL.finditer(src))
    return Projection("".join(chars), tuple(starts), tuple(ends), tuple(sorted(dropped)), tuple(code), atoms)


def _word(src: str, i: int) -> bool:
    return 0 <= i < len(src) and src[i].isalnum()
