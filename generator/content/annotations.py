"""Markdown stage: the inline fact/claim span plugin for markdown-it-py.

Parses Pandoc bracketed spans, ``[text]{.fact #id}`` and ``[text]{.claim #id}``,
checks their attributes against an allow-list, renders them as
``<span class="gloss-span gloss-fact" id="span-id" data-note="id">`` and collects
what later stages need into the per-document ``env``:

* ``env["gloss_spans"]``: one :class:`SpanRecord` per valid span, in source order;
* ``env["gloss_problems"]``: one :class:`SpanProblem` per error.

Both lists are created when absent and appended to when present, so one env can
collect the article body and its comment bodies (one page, one document).
A note id may be used by one span per env; the second use is an error.

Positions are 0-based lines and columns (columns count characters, i.e. code
points) in the string given to ``md.parse``/``md.render``, lines split as
markdown-it splits them (``\\n``, ``\\r\\n`` or ``\\r``). Inline tokens carry no
line map, so the inline rule keeps the offset of each ``[`` inside the inline
content, and a core rule run after all others maps it back through the block
token's ``map`` (see :class:`~.inline_positions.InlineWhere`).

Decisions: a span may sit inside link text and may contain links, code and
emphasis; spans may nest; a span inside an image description is an error (the
alt text cannot carry a note); an invalid span renders as its plain content; an
unclosed ``{`` is an error and the text stays literal; ``[text] {…}`` (with a
space) is not a span, and an error when the braces hold span attributes, as is
``]{.fact #id}`` with no ``[`` in its paragraph (a span across a blank line).
Each broken span is one error at its own place; the note it names is not then
reported "unused" too (``SpanProblem.note_id``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.helpers import parseLinkLabel
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from .inline_positions import InlineWhere
from .span_attrs import named_id, parse_attrs

SPANS_KEY = "gloss_spans"
PROBLEMS_KEY = "gloss_problems"
NOTE_HTML_KEY = "gloss_note_html"

_MARK = "gloss_mark"  # Token.meta key: the _Mark the inline rule left
_RECORD = "gloss_record"  # Token.meta key: SpanRecord | None, set by the core rule
_NEXT_KEY = "gloss_next:"  # env key prefix: (inline text, searched from, next offset or -1)
_REFUSED_KEY = "gloss_refused"  # env key: (id of inline text, offset) of each "]" an unclosed span reported
_LABEL_END = re.compile(r"\][ \t]*\{")  # where a span's label may end: "]{", or "] {" (an error)
_CLOSE = re.compile(r"\}")
_OPEN = re.compile(r"\[")
_ATTRS_START = re.compile(r"[ \t]*(?:\.fact\b|\.claim\b|#)")  # a "{" that was meant to hold span attributes
_SPACE_RE = re.compile(r"\s+")
_ORPHAN = re.compile(r"\]\{[ \t]*(?:\.fact\b|\.claim\b|#)")  # span attributes with no "[" before them
@dataclass(frozen=True, slots=True)
class SpanRecord:
    """One valid span, as later stages (notes, quotes, ClaimReview) need it."""

    kind: str
    """``"fact"`` or ``"claim"``, from the span's class."""
    note_id: str
    """The ``#id``: the key of the note in the front matter's ``notes``."""
    text: str
    """Plain text of the span content, markup stripped, whitespace runs collapsed to one space."""
    line: int
    """0-based line of the opening ``[`` in the parsed string."""
    column: int
    """0-based column (in characters) of that ``[``."""


@dataclass(frozen=True, slots=True)
class SpanProblem:
    """One error in a span; that span renders without any span markup."""

    line: int
    """0-based line of the offending ``[`` or attribute."""
    column: int
    """0-based column (in characters) of the same."""
    message: str
    """What is wrong, e.g. ``span attribute "onclick=x" is not allowed``."""
    hint: str
    """How to fix it."""
    note_id: str | None = None
    """The note the broken span names, when it names one: that note is then not also "unused"."""


@dataclass(frozen=True, slots=True)
class _Mark:
    """What the inline rule knows about a span; positions are offsets into its ``state.src``."""

    offset: int
    """Offset of the ``[``."""
    kind: str | None
    """The kind, if exactly one allowed class was found."""
    note_id: str | None
    """The id, if exactly one valid ``#id`` was found."""
    problems: tuple[tuple[int, str, str], ...]
    """(offset, message, hint) of each attribute error."""
    raw: str
    """The span's source text, to find it again when the offsets are not ours (image alt)."""


def annotations_plugin(md: MarkdownIt) -> None:
    """Add bracketed fact/claim spans to ``md``."""
    # Before "link": `[x]{.fact #x}` must be a span even if `[x]: /url` is defined.
    md.inline.ruler.before("link", "gloss_span", _span_rule)
    md.inline.ruler.before("link", "gloss_orphan", _orphan_rule)
    # Last core rule, so typographer replacements are already in the span text.
    md.core.ruler.push("gloss_spans", _collect)
    md.add_render_rule("span_open", _render_open)
    md.add_render_rule("span_close", _render_close)
    md.add_render_rule("gloss_span_error", _render_nothing)


def _span_rule(state: StateInline, silent: bool) -> bool:
    start = state.pos
    # Silent mode only serves lookahead (skipToken inside parseLinkLabel). markdown-it's
    # link rule refuses a label containing any token that starts with "[", so matching
    # here would stop `[see [x]{.fact #x}](url)` from being a link; declining makes the
    # inner brackets count as balanced text and the span is made when the label is parsed.
    if silent or state.src[start] != "[":
        return False
    # Cheap exit for ordinary links and brackets: no "]{" (or "] {") ahead, no span here.
    if _next(state, _LABEL_END, start) < 0:
        return False
    label_end = parseLinkLabel(state, start)
    brace = label_end + 1
    while 0 < brace < state.posMax and state.src[brace] in " \t":
        brace += 1
    if label_end < 0 or brace >= state.posMax or state.src[brace] != "{":
        return False  # not a span: leave it to the link rules
    if brace > label_end + 1:
        # `[text] {.fact #id}`: not a span (as in Pandoc), but attributes like these mean one was meant;
        # saying so here beats the "note is not used" that would follow.
        if not _ATTRS_START.match(state.src, brace + 1):
            return False
        problem = (start, 'space between "]" and "{": this is not a span',
                   "write the attributes right after the bracket, like [text]{.fact #id}")
        return _refuse(state, start, brace, problem)
    close = _next(state, _CLOSE, brace + 1)
    if close < 0:
        # We cannot tell where the attributes end, so keep the text literal, but say so:
        # a silently missing span would only surface later as an "unused note".
        problem = (brace, 'span attributes are not closed: "{" has no matching "}"',
                   "close them, like [text]{.fact #id}, or write \\{ for a literal brace")
        # Its "]{" is reported here: the orphan rule must not report it again when it gets there.
        state.env.setdefault(_REFUSED_KEY, set()).add((id(state.src), label_end))
        return _refuse(state, start, brace, problem)

    kind, note_id, problems = parse_attrs(state.src, start, brace + 1, close)
    mark = _Mark(start, kind, note_id, problems, state.src[start:close + 1])
    old_max = state.posMax
    # Like the link rule: a nesting token so emphasis cannot pair across the span edge.
    state.push("span_open", "span", 1).meta[_MARK] = mark
    state.pos, state.posMax = start + 1, label_end
    state.md.inline.tokenize(state)
    state.push("span_close", "span", -1).meta[_MARK] = mark
    state.pos, state.posMax = close + 1, old_max
    return True


def _refuse(state: StateInline, start: int, brace: int, problem: tuple[int, str, str]) -> bool:
    """Leave the text from ``start`` literal and record ``problem`` (with the note it names)."""
    marker = state.push("gloss_span_error", "", 0)
    named = named_id(state.src, brace + 1, state.posMax)
    marker.meta[_MARK] = _Mark(start, None, named, (problem,), state.src[start:brace + 1])
    state.pending += state.src[start]
    state.pos = start + 1
    return True


def _orphan_rule(state: StateInline, silent: bool) -> bool:
    """``]{.fact #id}`` with no "[" before it in its paragraph: a span across a paragraph break.

    Reached only when no span took the "]" (a span's own "]" ends its label and is never
    tokenized); silent mode is label lookahead, where every "]" must stay plain text.
    """
    start = state.pos
    if silent or state.src[start] != "]" or not _ORPHAN.match(state.src, start):
        return False
    if (id(state.src), start) in state.env.get(_REFUSED_KEY, ()):
        return False
    first_open = _next(state, _OPEN, 0)  # cached: one search per inline text however many "]" it has
    if 0 <= first_open < start:
        return False  # a "[" (maybe escaped, maybe a link's) stands before it: not a crossing span
    problem = (start, 'span attributes with no "[" in this paragraph: a span cannot cross a blank line',
               "mark text within one paragraph, like [text]{.fact #id}, or write \\] for a literal bracket")
    return _refuse(state, start, start + 1, problem)


def _next(state: StateInline, pattern: re.Pattern[str], start: int) -> int:
    """Offset of the first match of ``pattern`` at or after ``start`` before ``state.posMax``, or -1.

    Searching afresh from every "[" would be quadratic (a megabyte of ``[a](`` took minutes):
    the answer found from an earlier offset stays right for every later one up to it, so it is
    kept in the env (keyed by the inline text itself) and the text is searched once, left to right.
    """
    key = _NEXT_KEY + pattern.pattern
    cached = state.env.get(key)
    if cached is None or cached[0] is not state.src or cached[1] > start or 0 <= cached[2] < start:
        match = pattern.search(state.src, start)
        cached = (state.src, start, match.start() if match else -1)
        state.env[key] = cached
    found: int = cached[2]
    return found if found < state.posMax else -1


def _collect(state: StateCore) -> None:
    """Core rule: resolve positions, check ids, fill the env lists, attach records to tokens."""
    env = state.env
    spans: list[SpanRecord] = env.setdefault(SPANS_KEY, [])
    problems: list[SpanProblem] = env.setdefault(PROBLEMS_KEY, [])
    if "]{" not in state.src and _LABEL_END.search(state.src) is None:
        # The inline rules leave no mark without "]{" (or "] {") in their inline text, which is a
        # piece of one source line (a line break or a block prefix never lands between "]" and
        # "{"): most texts (comments, notes) have no span, and need none of the work below.
        return
    ids = _Ids(spans)
    lines = state.src.split("\n")  # state.src is normalised: "\r\n" and "\r" are already "\n"
    cursor: dict[int, int] = {}
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        where = InlineWhere(block.content, block.map[0] if block.map else 0, lines, cursor)
        if block.map and block.map[1] - block.map[0] == 1:
            where.column_of_line(0)  # advance the cursor past every cell of a table row
        for tokens, i, close, in_image in _events(block.children, False):
            mark: _Mark = tokens[i].meta[_MARK]
            # In image alt text the offsets are relative to the alt text: find the span again.
            base = max(block.content.find(mark.raw), 0) if in_image else mark.offset
            line, col = where.at(base)
            errors = [SpanProblem(*where.at(base + p - mark.offset), message, hint, mark.note_id)
                      for p, message, hint in mark.problems]
            if in_image:
                errors.append(SpanProblem(line, col, _IN_IMAGE[0], _IN_IMAGE[1], mark.note_id))
            record = None
            if close is not None and not errors and mark.kind and mark.note_id:
                text = _SPACE_RE.sub(" ", _plain(tokens[i + 1:close])).strip()
                record = SpanRecord(mark.kind, mark.note_id, text, line, col)
                error = _NO_TEXT if not text else ids.claim(record)
                if error:
                    errors.append(SpanProblem(line, col, *error))
                    record = None
                else:
                    spans.append(record)
            tokens[i].meta[_RECORD] = record
            if close is not None:
                tokens[close].meta[_RECORD] = record
            problems.extend(errors)


_NO_TEXT = ("span has no text",
            "put the words the note is about in the brackets, like [text]{.fact #id}")
_IN_IMAGE = ("a span inside an image description cannot carry a note",
             "move the span out of the ![...] text")


class _Ids:
    """Which span first used each note id in this env; a second use is an error."""

    def __init__(self, spans: list[SpanRecord]) -> None:
        # Records already in the env came from an earlier parse (the same page, another text).
        self.first = {rec.note_id: (rec, True) for rec in reversed(spans)}

    def claim(self, record: SpanRecord) -> tuple[str, str] | None:
        """Take ``record.note_id`` for ``record``, or say why it cannot have it."""
        if record.note_id not in self.first:
            self.first[record.note_id] = (record, False)
            return None
        prev, earlier = self.first[record.note_id]
        at = f"{prev.line + 1}:{prev.column + 1}"
        at += " of an earlier text parsed with the same env" if earlier else ""
        return (f'note id "{record.note_id}" is already used by the span at {at}',
                "each span needs its own note: give this one another #id")


_Event = tuple[list[Token], int, int | None, bool]


def _events(tokens: list[Token], in_image: bool) -> Iterator[_Event]:
    """Our opening/marker tokens in source order: (list, index, its close's index, in image alt)."""
    close_of: dict[int, int] = {}
    stack: list[int] = []
    for i, token in enumerate(tokens):
        if _MARK in token.meta and token.nesting == 1:
            stack.append(i)
        elif _MARK in token.meta and token.nesting == -1 and stack:
            close_of[stack.pop()] = i
    for i, token in enumerate(tokens):
        if token.type == "image" and token.children:
            yield from _events(token.children, True)
        elif _MARK in token.meta and token.nesting >= 0:
            yield tokens, i, close_of.get(i), in_image


def _plain(tokens: Sequence[Token]) -> str:
    """Text a reader sees, without markup (what renderInlineAsText does, breaks as spaces)."""
    out: list[str] = []
    for token in tokens:
        if token.type in ("text", "text_special", "code_inline"):
            out.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif token.type == "image" and token.children:
            out.append(_plain(token.children))
    return "".join(out)


def _render_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    if _MARK not in token.meta:  # another plugin's span: render it the default way
        return self.renderToken(tokens, idx, options, env)
    record: SpanRecord | None = token.meta.get(_RECORD)
    if record is None:
        return ""  # invalid span: plain content, no attributes at all
    kind, note = escapeHtml(record.kind), escapeHtml(record.note_id)
    return f'<span class="gloss-span gloss-{kind}" id="span-{note}" data-note="{note}">'


def _render_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    if _MARK not in token.meta:
        return self.renderToken(tokens, idx, options, env)
    record: SpanRecord | None = token.meta.get(_RECORD)
    if record is None:
        return ""
    note_html: Callable[[SpanRecord], Any] | None = env.get(NOTE_HTML_KEY)
    if not callable(note_html):
        return "</span>"
    extra = note_html(record)
    if not isinstance(extra, str):
        raise TypeError(f"env[{NOTE_HTML_KEY!r}] must return str, not {type(extra).__name__}")
    return "</span>" + extra  # trusted markup from the caller: not escaped


def _render_nothing(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return ""
