"""The content model: what a content file says, as frozen data.

The content stage (``parse.py``) produces these from files; every later stage
reads them and never changes them. Positions (``line``/``column``) are 1-based
and counted in the content file itself, so later stages can report problems
at the exact place the editor has to look.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

REPLY_BASES = ("vocative", "mention", "quote", "similarity", "editor")
"""How a ``reply_to`` link was found; ``editor`` means a person confirmed it."""

AUTHOR_BASES = ("vocative", "mention", "signature", "introduction", "editor")
"""How an ``author`` name was found: a later reply spoke to (``vocative``) or of (``mention``) the
author by that name, the comment is signed with it ("— Margaret": ``signature``) or its writer
introduces themselves by it ("Priya here": ``introduction``), or a person confirmed it (``editor``)."""


@dataclass(frozen=True, slots=True)
class Position:
    """Where something starts in a content file."""

    line: int
    """1-based line in the file."""
    column: int
    """1-based column, in characters."""


@dataclass(frozen=True, slots=True)
class TextBlock:
    """A Markdown text taken from a content file, with where its first line sits.

    Spans found inside the text are mapped back to the file with ``line`` and
    ``indent``: text line ``i`` (0-based) is file line ``line + i`` and its
    column ``c`` (0-based) is file column ``c + indent + 1``.
    """

    text: str
    """The Markdown source."""
    line: int
    """1-based file line of the text's first line."""
    indent: int = 0
    """Columns that precede the text on every line (block-scalar indentation)."""

    def position(self, text_line: int, text_column: int) -> Position:
        """Map a 0-based position in ``text`` to the content file."""
        return Position(self.line + text_line, self.indent + text_column + 1)


@dataclass(frozen=True, slots=True)
class Source:
    """A source cited by a note."""

    title: str
    """What the source is called, e.g. "Reuters, 14 May 2024: Putin names economist Belousov…"."""
    url: str | None
    """An http(s) address, or None for an offline source."""
    date: str | None
    """Publication date as written (ISO ``YYYY-MM-DD`` recommended), or None."""


@dataclass(frozen=True, slots=True)
class Note:
    """An editor's note on a fact or claim; its kind comes from the span that uses it."""

    id: str
    """The note id, as used in ``{.fact #id}``."""
    body: TextBlock
    """The note text (Markdown)."""
    verdict: str
    """A word from the fact or claim verdict scale."""
    rating: int | None
    """1–5 within the verdict's range (``note_kinds.VERDICTS``), or None when not rated."""
    sources: tuple[Source, ...]
    """Evidence for the verdict."""
    claimant: str | None
    """For claims: who made the claim."""
    claim: str | None
    """The claim checked, in one line (schema.org ``claimReviewed``); None: the span text stands for it."""
    position: Position
    """Where the note's key stands in the front matter."""
    verdict_position: Position
    """Where its verdict stands (for a verdict that does not fit the kind)."""


@dataclass(frozen=True, slots=True)
class Correction:
    """One entry of an article's corrections log."""

    date: str
    """When the correction was made, ``YYYY-MM-DD`` (or with a time)."""
    text: str
    """What was corrected, in plain text."""


@dataclass(frozen=True, slots=True)
class Comment:
    """A reader comment, as imported (and perhaps edited)."""

    id: str
    """Stable id, ``c1``…``cN``; also the permalink anchor."""
    date: str
    """Naive ISO 8601 ``YYYY-MM-DDTHH:MM`` (the raw dump gives no time zone)."""
    author: str | None
    """The author's name when known; never invented."""
    reply_to: str | None
    """Id of the earlier comment this one answers, or None."""
    reply_basis: str | None
    """How the link was found (one of :data:`REPLY_BASES`), or None."""
    body: TextBlock
    """The comment text (Markdown)."""
    position: Position
    """Where the comment's list item starts."""
    author_basis: str | None = None
    """How the name was found (one of :data:`AUTHOR_BASES`); None for a name written by hand."""
    author_evidence: str | None = None
    """The words of the later reply that gave the name, as the importer recorded them."""
    reply_evidence: str | None = None
    """The words of this comment that led the importer to its ``reply_to`` link."""

    @property
    def author_inferred(self) -> bool:
        """True when the name is the importer's inference, not confirmed by an editor."""
        return self.author is not None and self.author_basis not in (None, "editor")

    @property
    def known_author(self) -> str | None:
        """The name when it is known (written or confirmed by a person); never an inferred one."""
        return None if self.author_inferred else self.author


@dataclass(frozen=True, slots=True)
class Article:
    """One content file: an article, its notes and its discussion."""

    path: str
    """The content file as the user would name it, used in messages."""
    slug: str
    """URL segment, ``[a-z0-9-]+``; the page lives at ``articles/<slug>/``."""
    title: str
    """The headline."""
    date: str | None
    """Publication date, ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM``, or None when unknown."""
    tags: tuple[str, ...]
    """Topic tags, in the editor's order."""
    summary: str
    """One or two sentences for indexes and feeds (may be empty)."""
    source: str | None
    """The raw file the article was imported from."""
    draft: bool
    """Drafts are built only with ``--drafts``."""
    authors: tuple[str, ...]
    """The byline: who wrote the article (empty when not given)."""
    reviewed_by: tuple[str, ...]
    """Who checked the notes (ClaimReview ``author``; empty: the publisher)."""
    updated: str | None
    """When the article was last changed (``dateModified``), or None."""
    corrections: tuple[Correction, ...]
    """The corrections log, in the editor's order."""
    image: str | None
    """An http(s) image URL for link previews (Open Graph), or None."""
    warnings: tuple[str, ...]
    """Located one-line warnings (``path:line:col: message (hint: …)``): not errors, the page builds."""
    notes: tuple[Note, ...]
    """Notes in front-matter order."""
    comments: tuple[Comment, ...]
    """Comments in source order."""
    body: TextBlock
    """The article text (Markdown)."""
    extra: dict[str, Any] = field(default_factory=dict)
    """``extra:``, free fields for the site's own templates (``page.article.extra``); Gloss reads none."""
    source_sha256: str | None = None
    """SHA-256 of the raw file's bytes, written by ``gloss import`` so a second import of it is refused."""
    tag_positions: tuple[Position, ...] = ()
    """Where each tag stands in the front matter (parallel to ``tags``; empty when not from a file)."""
    language: str | None = None
    """``language:`` of the front matter, a tag (``fr``): the article's page is in that language, and
    listings mark its title so. None: the site's language."""
    translation_of: str | None = None
    """``translation_of:``, the slug of the article this one translates: the pages of the original and of
    all its translations link to each other (``hreflang``)."""
