"""Site-model stage: a parsed article becomes the read-only page model its template renders.

Here Markdown is rendered, spans are matched to their notes, notes are
numbered in reading order (article first, then comments), comments are nested
into threads, and cross-references are checked: every span names a note,
every note is used once, verdicts fit the kind. Every problem is reported at
its position in the content file, all at once. What the site-wide pages know
of an article (and the check that slugs are unique) is in ``site_model.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt

from ..common.errors import GlossError, SourceLocation, raise_all
from ..content.annotations import SpanRecord
from ..content.markdown import render_block
from ..content.model import Article, Note, Position, TextBlock
from ..content.note_kinds import KIND, VERDICT
from .notes import GroupCount, NoteView, counts_text, group_counts, note_view
from .threads import Thread, build_threads

NOTE_MARKER = "<!--gloss-note:{id}-->"
"""Placeholder after each span; the render stage puts the margin note there.

Raw HTML is off in user Markdown, so no user text can produce this marker."""

_LINK = re.compile(r"<a\b[^>]*>.*?</a>", re.S)
_MARKERS = re.compile(re.escape(NOTE_MARKER).replace(r"\{id\}", r"[A-Za-z0-9_-]+"))


def _markers_after_links(html: str) -> str:
    """Move note markers out of link text, to just after the link.

    A span may sit inside link text, but its margin note (a link, a checkbox and a
    label) may not: interactive content inside ``<a>`` is invalid HTML. Raw HTML is
    off and links never nest, so each ``<a …>…</a>`` here is exactly one link.
    """

    def move(link: re.Match[str]) -> str:
        markers = _MARKERS.findall(link.group(0))
        return _MARKERS.sub("", link.group(0)) + "".join(markers) if markers else link.group(0)

    return _LINK.sub(move, html) if "<!--gloss-note:" in html else html


_EARLIER = re.compile(r"(?<=used by the span at )(\d+):(\d+)")


def _in_file(block: TextBlock, match: re.Match[str]) -> str:
    pos = block.position(int(match.group(1)) - 1, int(match.group(2)) - 1)
    return f"line {pos.line}, column {pos.column}"


@dataclass(frozen=True, slots=True)
class ArticlePage:
    """Everything the article page shows."""

    article: Article
    """The parsed content file."""
    body_html: str
    """The article body, with note markers after spans."""
    notes: tuple[NoteView, ...]
    """Notes in reading order."""
    threads: tuple[Thread, ...]
    """The discussion as reply trees."""
    url: str
    """Site-relative URL of the page, ``articles/<slug>/``."""

    @property
    def comment_count(self) -> int:
        return len(self.article.comments)

    @property
    def verdict_counts(self) -> tuple[GroupCount, ...]:
        """Notes per verdict group, for the summary box."""
        return group_counts(self.notes)

    @property
    def description(self) -> str:
        """The summary, then how many checks the article holds and their verdicts (meta, link previews)."""
        counts = counts_text(self.notes)
        return " ".join(p for p in (self.article.summary.strip(), counts + "." if counts else "") if p)


def _error(article: Article, pos: Position, message: str, hint: str = "") -> GlossError:
    return GlossError(message, SourceLocation(article.path, pos.line, pos.column), hint)


def _render(
    md: MarkdownIt,
    article: Article,
    block: TextBlock,
    location: str,
    found: list[tuple[SpanRecord, Position, str]],
    errors: list[GlossError],
    broken: set[str],
    *,
    user_content: bool,
) -> str:
    rendered = render_block(
        md, block, user_content=user_content, note_html=lambda s: NOTE_MARKER.format(id=s.note_id)
    )
    for problem in rendered.problems:
        # The plugin names an earlier span by its place in the text block; name its place in the file.
        message = _EARLIER.sub(lambda m: _in_file(block, m), problem.message)
        errors.append(_error(article, block.position(problem.line, problem.column), message, problem.hint))
        if problem.note_id:
            broken.add(problem.note_id)
    for span in rendered.spans:
        found.append((span, block.position(span.line, span.column), location))
    return _markers_after_links(rendered.html)


def _note_views(
    article: Article, found: list[tuple[SpanRecord, Position, str]], md: MarkdownIt, errors: list[GlossError],
    broken: set[str],
) -> tuple[NoteView, ...]:
    notes = {note.id: note for note in article.notes}
    used: dict[str, Position] = {}
    views: list[NoteView] = []
    for span, pos, location in found:
        note = notes.get(span.note_id)
        if span.note_id in used:
            first = used[span.note_id]
            errors.append(
                _error(
                    article, pos, f'note "{span.note_id}" is already used at line {first.line}, column {first.column}',
                    "each note annotates one span; copy the note under a new id",
                )
            )
            continue
        used[span.note_id] = pos
        if note is None:
            known = ", ".join(sorted(notes)) or "none yet"
            errors.append(
                _error(
                    article, pos, f'span names note "{span.note_id}", which is not in the front matter',
                    f"add notes.{span.note_id} to the front matter, or fix the id (notes: {known})",
                )
            )
            continue
        _check_verdict(article, note, span.kind, errors)
        views.append(note_view(md, note, span, len(views) + 1, location))
    for note in article.notes:
        if note.id not in used and note.id not in broken:  # a broken span naming it was reported
            errors.append(
                _error(
                    article, note.position, f'note "{note.id}" is not used by any span',
                    f"mark the text it is about as [text]{{.fact #{note.id}}} or [text]{{.claim #{note.id}}}",
                )
            )
    return tuple(views)


def _check_verdict(article: Article, note: Note, kind: str, errors: list[GlossError]) -> None:
    allowed = KIND[kind].verdicts
    # An unknown verdict was already reported by the content stage: say it once.
    if note.verdict in VERDICT and note.verdict not in allowed:
        errors.append(
            _error(
                article, note.verdict_position, f'verdict "{note.verdict}" does not fit a {kind} note',
                f"{kind} verdicts: " + ", ".join(allowed),
            )
        )


def article_page(md: MarkdownIt, article: Article) -> ArticlePage:
    """Render and cross-check one article; raises all its problems at once."""
    errors: list[GlossError] = []
    found: list[tuple[SpanRecord, Position, str]] = []
    broken: set[str] = set()  # notes named by spans already reported as broken
    body_html = _render(md, article, article.body, "article", found, errors, broken, user_content=False)
    bodies = {
        c.id: _render(md, article, c.body, c.id, found, errors, broken, user_content=True) for c in article.comments
    }
    notes = _note_views(article, found, md, errors, broken)
    raise_all(errors)
    return ArticlePage(
        article=article,
        body_html=body_html,
        notes=notes,
        threads=build_threads(article.comments, bodies),
        url=f"articles/{article.slug}/",
    )
