"""Import stage: find where an annotation's selectors point in a text, as Hypothesis does.

Pure: a text and a selector in, an :class:`Anchor` (with how it was found) or an
:class:`Orphan` (with why not) out. The text is the page's *rendered text* (see
``generator/export.py``); the caller maps the anchor back to the Markdown source.

The order, strictest first:

1. **Exact quote.** Every occurrence of ``exact`` is a candidate; each is scored by how many
   characters of ``prefix`` (read backwards) and ``suffix`` agree with the text around it. One
   best candidate wins (``quote``, or ``quote+context`` when the context decided among several).
2. **Position as a hint.** When candidates tie on context, the one the ``TextPositionSelector``
   points at (within :data:`HINT_SLACK` characters) wins (``quote+position``).
3. **Fuzzy quote with context** (the article changed since): rapidfuzz finds the window most like
   ``prefix + exact + suffix`` and aligns the two, so the quote's ends land where they belong
   even with words inserted or changed. Accepted only when the whole context is at least
   :data:`CONTEXT_MIN` alike and the placed text at least :data:`QUOTE_MIN` like the quote
   (``fuzzy``).

Anything else is an orphan, never a guess: no quote, the quote not found, a quote whose
occurrences the context and position cannot tell apart, or a unique short quote whose context
has nothing in common with the annotation's (a deleted passage whose words appear elsewhere).
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel, Levenshtein, Opcodes

from .annotations_json import QuoteSelector

HINT_SLACK = 32
"""How far (characters) from the position selector a tied candidate may be and still be picked."""
CONTEXT_MIN = 75.0
"""Least rapidfuzz score (0–100) of ``prefix + exact + suffix`` against the fuzzy window."""
QUOTE_MIN = 0.75
"""Least normalised similarity (0–1) between the quote and the fuzzily placed text."""
AGREES = 8
"""Characters of prefix or suffix that must agree for a lone short quote to count as found."""
LONG_QUOTE = 32
"""A quote at least this long that occurs once is taken even when its context changed."""


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where an annotation was placed, and how."""

    start: int
    """First character in the text (code points)."""
    end: int
    """One past the last character."""
    method: str
    """``quote``, ``quote+context``, ``quote+position`` or ``fuzzy``."""
    score: float
    """1.0 for an exact quote; the placed text's similarity to the quote for ``fuzzy``."""


@dataclass(frozen=True, slots=True)
class Orphan:
    """An annotation that cannot be placed with confidence."""

    reason: str
    """Why, in words, for the import summary."""


def anchor(text: str, quote: QuoteSelector | None, position: tuple[int, int] | None) -> Anchor | Orphan:
    """Place one annotation in ``text`` (see the module docstring for the order)."""
    if quote is None and position is None:
        return Orphan("it selects no text (a page note)")
    if quote is None:
        return Orphan("it has no TextQuoteSelector, and a position alone cannot be checked")
    exact = _exact(text, quote, position)
    return exact if exact is not None else _fuzzy(text, quote)


def _context(text: str, start: int, end: int, quote: QuoteSelector) -> tuple[int, int]:
    """(agreeing prefix characters, agreeing suffix characters) around ``text[start:end]``."""
    before = 0
    while before < len(quote.prefix) and before < start and text[start - 1 - before] == quote.prefix[-1 - before]:
        before += 1
    after = 0
    while after < len(quote.suffix) and end + after < len(text) and text[end + after] == quote.suffix[after]:
        after += 1
    return before, after


def _exact(text: str, quote: QuoteSelector, position: tuple[int, int] | None) -> Anchor | Orphan | None:
    """Steps 1 and 2; None when the quote does not occur at all."""
    size = len(quote.exact)
    starts: list[int] = []
    found = text.find(quote.exact)
    while found >= 0:
        starts.append(found)
        found = text.find(quote.exact, found + 1)
    if not starts:
        return None
    scored = {start: _context(text, start, start + size, quote) for start in starts}
    best = max(sum(score) for score in scored.values())
    tops = [start for start in starts if sum(scored[start]) == best]
    method = "quote" if len(starts) == 1 else "quote+context"
    if len(tops) > 1 and position is not None:
        near = [start for start in tops if abs(start - position[0]) <= HINT_SLACK]
        tops, method = (near, "quote+position") if len(near) == 1 else (tops, method)
    if len(tops) > 1:
        return Orphan(f"the quote occurs {len(starts)} times and neither its context nor its position tells which")
    start = tops[0]
    before, after = scored[start]
    agrees = (
        not quote.prefix and not quote.suffix
        or before >= min(len(quote.prefix), AGREES) > 0
        or after >= min(len(quote.suffix), AGREES) > 0
        or size >= LONG_QUOTE and len(starts) == 1
    )
    if not agrees:
        # The words are here, but not in the place the annotation was made: a deleted passage
        # whose words occur elsewhere. The fuzzy step may still find the passage itself.
        return None
    return Anchor(start, start + size, method, 1.0)


def _fuzzy(text: str, quote: QuoteSelector) -> Anchor | Orphan:
    """Step 3: the quote with its context, matched approximately."""
    pattern = quote.prefix + quote.exact + quote.suffix
    found = fuzz.partial_ratio_alignment(pattern, text, score_cutoff=CONTEXT_MIN)
    if found is None:
        return Orphan("the quote is not in the text, and nothing there is close to it and its context")
    # The window is as long as the pattern; words inserted since widen the passage, so look wider.
    margin = len(quote.exact) // 2 + 8
    low, high = max(0, found.dest_start - margin), min(len(text), found.dest_end + margin)
    ops = Levenshtein.opcodes(pattern, text[low:high])
    first = len(quote.prefix)
    start = low + _mapped(ops, first, end=False)
    end = low + _mapped(ops, first + len(quote.exact) - 1, end=True)
    while start < end and text[start] == " ":
        start += 1
    while end > start and text[end - 1] == " ":
        end -= 1
    similarity = Indel.normalized_similarity(quote.exact, text[start:end])
    if end <= start or similarity < QUOTE_MIN:
        return Orphan(f"the quote is not in the text; the closest passage is only {similarity:.0%} alike")
    return Anchor(start, end, "fuzzy", round(similarity, 3))


def _mapped(ops: Opcodes, index: int, *, end: bool) -> int:
    """Where pattern character ``index`` lands in the aligned window (just past it when ``end``)."""
    for op in ops:
        if op.src_start <= index < op.src_end:
            if op.tag == "delete":
                return int(op.dest_start)  # the character is gone: its place is between neighbours
            offset = min(index - op.src_start, op.dest_end - op.dest_start - 1)
            return int(op.dest_start + offset + (1 if end else 0))
    return 0
