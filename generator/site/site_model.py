"""Site-model stage, second half: what the site-wide pages know of each article.

The index, tag, claims pages, the feed and the sitemap list articles; they
never show an article's body or discussion. So they are rendered from an
:class:`ArticleSummary` per article — title, date, tags, summary, the notes'
verdicts and quotes, counts — not from the whole :class:`~generator.site.article_page.ArticlePage`.
A summary is small, so a build that changed one article loads the other
articles' summaries (or only their digests, when nothing they show changed)
instead of re-reading every article: that is what makes an edit cheap.

Templates see the same attribute names as on an article page (``item.url``,
``item.article.title``, ``item.notes``, ``item.comment_count``), so listing
templates read alike; a listing template that asks for a body gets a located
"has no attribute" error instead of a silently empty value.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, TypeVar

from ..common.errors import GlossError, SourceLocation, raise_all
from ..common.slugs import tag_key, tag_slug
from ..content.config import SiteConfig
from ..content.model import Article, Position
from .article_page import ArticlePage
from .notes import GroupCount, NoteSummary, counts_text, group_counts

T = TypeVar("T")

_TAG = re.compile(r"<[^>]+>")
_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
SUMMARY_LIMIT = 300
"""A summary derived from the first paragraph is cut below this many characters."""


@dataclass(frozen=True, slots=True)
class ArticleInfo:
    """The listing fields of a content file (:class:`~generator.content.model.Article` without its texts)."""

    path: str
    """Content file path as shown to the user."""
    slug: str
    """URL segment: ``articles/<slug>/``."""
    title: str
    """Headline."""
    date: str | None
    """ISO date or date-time."""
    tags: tuple[str, ...]
    """Tags as written."""
    summary: str
    """The editor's summary ("" when none was written)."""
    source: str | None
    """Where the article was first published, if given."""
    draft: bool
    """Left out of the site unless drafts are built."""
    extra: dict[str, Any] = field(default_factory=dict)
    """The article's ``extra:`` fields, for the site's own listing templates."""
    tag_positions: tuple[Position, ...] = ()
    """Where each tag stands in the content file (parallel to ``tags``)."""
    language: str | None = None
    """The article's own language tag, when its front matter names one (None: the site's)."""
    translation_of: str | None = None
    """The slug of the article it translates, if it is a translation."""


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """One article as the site-wide pages see it."""

    article: ArticleInfo
    """Listing fields of the content file."""
    url: str
    """Site-relative URL of the article page, ``articles/<slug>/``."""
    notes: tuple[NoteSummary, ...]
    """Notes in reading order."""
    comment_count: int
    """How many comments the discussion has."""
    updated: str | None
    """RFC 3339 time of the newest thing we know of (the date or the newest comment), for feed and sitemap."""
    feed_summary: str
    """The summary, or the first paragraph's text when none was written (Atom wants one per entry)."""

    @property
    def verdict_counts(self) -> tuple[GroupCount, ...]:
        """Notes per verdict group (the index and tag pages show them)."""
        return group_counts(self.notes)

    @property
    def counts_text(self) -> str:
        """``5 checks: 2 hold up, 1 fails, 2 open`` ("" without notes)."""
        return counts_text(self.notes)


SUMMARY_FIELDS: tuple[str, ...] = (
    *(f.name for f in fields(ArticleSummary) if f.name != "article"),
    *(f"article.{f.name}" for f in fields(ArticleInfo)),
)
"""The fields of a summary a listing may read, each digested on its own (``build/article_worker.py``) so
that a page is rendered again only when a field it reads changed: the top-level fields, and the
article's listing fields one by one (``article.title``…), where most edits land."""

DERIVED_READS: dict[str, tuple[str, ...]] = {
    "verdict_counts": ("notes",),
    "counts_text": ("notes",),
    "span_url": ("url",),
    "note_url": ("url",),
}
"""What a computed property reads, by its name: those of :class:`ArticleSummary`, and those of
``listing.ClaimEntry`` that read the summary it holds. A template that reads a property reads these
fields (``build/field_reads.py``); a new property must be listed here (``tests/test_template_reads.py``
fails until it is)."""

LISTED_BY: tuple[str, ...] = ("article.draft", "article.date", "article.slug")
"""What decides which articles a listing shows and in what order (:func:`build_site`: the published
ones, newest first, the slug breaking ties): every listing page reads these."""


def summary_fields(summary: ArticleSummary) -> tuple[object, ...]:
    """The values of :data:`SUMMARY_FIELDS`, in that order."""
    return tuple(getattr(summary.article, name[len("article."):]) if name.startswith("article.")
                 else getattr(summary, name) for name in SUMMARY_FIELDS)


@dataclass(frozen=True, slots=True)
class Tag:
    """A tag and the articles that carry it."""

    name: str
    """The tag as an editor wrote it first."""
    slug: str
    """Its URL segment: ``tags/<slug>/``."""
    articles: tuple[ArticleSummary, ...]
    """Newest first."""


@dataclass(frozen=True, slots=True)
class Site:
    """The whole site as listings see it."""

    config: SiteConfig
    """Site settings."""
    articles: tuple[ArticleSummary, ...]
    """Published articles, newest first."""
    tags: tuple[Tag, ...]
    """Tags by slug."""


def atom_time(value: str | None) -> str | None:
    """``2024-06-17`` → ``2024-06-17T00:00:00Z``; ``2024-06-17T20:25`` → ``2024-06-17T20:25:00Z``."""
    if not value:
        return None
    date, _, time = value.partition("T")
    hours_minutes = time[:5] if time else "00:00"
    return f"{date}T{hours_minutes}:00Z"


def _feed_summary(page: ArticlePage) -> str:
    if page.article.summary:
        return page.article.summary
    # No summary written: the first paragraph's text, so every feed entry has one.
    match = _FIRST_PARAGRAPH.search(page.body_html)
    text = " ".join(html.unescape(_TAG.sub("", match.group(1))).split()) if match else ""
    return text if len(text) <= SUMMARY_LIMIT else text[: SUMMARY_LIMIT - 1].rsplit(" ", 1)[0] + "…"


def summarise(page: ArticlePage) -> ArticleSummary:
    """The summary of one article page (pure; run where the page was rendered)."""
    article = page.article
    dates = [atom_time(article.date), atom_time(article.updated)] + [atom_time(c.date) for c in article.comments]
    known = [d for d in dates if d]
    return ArticleSummary(
        article=ArticleInfo(
            path=article.path, slug=article.slug, title=article.title, date=article.date, tags=article.tags,
            summary=article.summary, source=article.source, draft=article.draft, extra=article.extra,
            tag_positions=article.tag_positions, language=article.language, translation_of=article.translation_of,
        ),
        url=page.url,
        notes=tuple(n.summary() for n in page.notes),
        comment_count=len(article.comments),
        updated=max(known) if known else None,
        feed_summary=_feed_summary(page),
    )


def check_slugs(articles: Iterable[tuple[str, str]]) -> None:
    """Every slug names one article: ``articles`` are (shown path, slug), drafts included
    (publishing a draft must not break the site)."""
    errors: list[GlossError] = []
    seen: dict[str, str] = {}
    for path, slug in articles:
        if slug in seen:
            errors.append(
                GlossError(
                    f'slug "{slug}" is also used by {seen[slug]}',
                    SourceLocation(path, 1, 1),
                    "give one of the articles another slug",
                )
            )
        seen[slug] = path
    raise_all(errors)


def check_tags(articles: Iterable[Article | ArticleInfo]) -> None:
    """No two different tags share a page: ``C++`` and ``C`` would both be ``tags/c/``.

    Tags that differ only in case or in the separator between words are one tag, listed
    under the name first written. Drafts are included, as for slugs."""
    errors: list[GlossError] = []
    first: dict[str, tuple[str, str, str]] = {}  # slug -> (key, name, where)
    for article in articles:
        for i, tag in enumerate(article.tags):
            slug, key = tag_slug(tag), tag_key(tag)
            pos = article.tag_positions[i] if i < len(article.tag_positions) else None
            where = f"{article.path}:{pos.line}" if pos else article.path
            if slug not in first:
                first[slug] = (key, tag, where)
            elif first[slug][0] != key:
                errors.append(GlossError(
                    f'tag "{tag}" would share the page tags/{slug}/ with the tag "{first[slug][1]}" ({first[slug][2]})',
                    SourceLocation(article.path, pos.line if pos else 1, pos.column if pos else 1),
                    "rename one of the two tags; tags that differ only in punctuation cannot have pages of their own",
                ))
    raise_all(errors)


def newest_first(items: Iterable[T], date_and_slug: Callable[[T], tuple[str | None, str]]) -> list[T]:
    """Dated articles newest first, undated last; the slug breaks ties so the order is stable.

    The one ordering of the site (listings, feed): ``date_and_slug`` reads it from a summary or
    from a build record.
    """

    def key(item: T) -> tuple[str, str]:
        date, slug = date_and_slug(item)
        return date or "", slug

    return sorted(items, key=key, reverse=True)


def build_site(config: SiteConfig, summaries: Sequence[ArticleSummary], include_drafts: bool = False) -> Site:
    """Assemble the listings; checks that slugs are unique."""
    check_slugs((s.article.path, s.article.slug) for s in summaries)
    check_tags(s.article for s in summaries)
    published = newest_first([s for s in summaries if include_drafts or not s.article.draft],
                             lambda s: (s.article.date, s.article.slug))
    tags: dict[str, tuple[str, list[ArticleSummary]]] = {}
    for summary in published:
        for tag in summary.article.tags:
            entry = tags.setdefault(tag_slug(tag), (tag, []))
            if not entry[1] or entry[1][-1] is not summary:  # two tags with one slug: listed once
                entry[1].append(summary)
    return Site(
        config=config,
        articles=tuple(published),
        tags=tuple(Tag(name, slug, tuple(items)) for slug, (name, items) in sorted(tags.items())),
    )
