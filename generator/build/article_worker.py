"""Build, per-article step: one content file → its page, summary and feed entry (in a worker process).

This is the part of a build that grows with the number of articles, so it
runs on all cores (``parallel.py``) and sends back only what the parent
needs: the :class:`~generator.site.site_model.ArticleSummary`, digests, and the
record of the page file it put into the tree being assembled
(``write.Assembly``). The parsed page and the feed entry go to the build cache
from the worker, so large values never cross between processes.

A worker that meets any problem (a content error, a template error, a missing
image) reports only that it failed; the parent then redoes that article in
its own process, where the error is raised and located as usual.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markdown_it import MarkdownIt

from ..common.errors import GlossError, GlossErrors
from ..common.textfile import decode_raw
from ..content.markdown import keep_highlights, make_parser
from ..content.parse import parse_article
from ..render.renderer import Renderer
from ..site.article_page import ArticlePage, article_page
from ..site.site_model import ArticleSummary, summarise, summary_fields
from ..site.translations import Translation
from .cache import Cache
from .inputs import InputFile
from .keys import field_digests
from .state import ArticleRecord, OutputStamp
from .write import Assembly


@dataclass(frozen=True, slots=True)
class ArticleJob:
    """What to do for one content file."""

    file: InputFile
    """The content file."""
    key: str
    """Its article key (bytes, path, code): names its cached page and summary."""
    feed_key: str
    """Names its cached feed entry (``outputs.feed_entry``)."""
    render: bool
    """Render its page into the tree (False: only parse and summarise it; the caller renders it later)."""
    drafts: bool
    """Drafts are published (else a draft's page is not rendered)."""
    translations: tuple[Translation, ...] = ()
    """The translation links to render its page with: those of the previous build, settled later
    (``translations.py``)."""


@dataclass(frozen=True, slots=True)
class ArticleDone:
    """What a worker sends back for one content file."""

    summary: ArticleSummary
    """Its summary for the listings."""
    field_digests: bytes
    """Digest of each of its fields (``site_model.SUMMARY_FIELDS``, ``keys.field_digests``): a listing
    reads some of them."""
    feed_digest: str
    """Digest of its feed entry content."""
    page: tuple[str, OutputStamp, bool] | None
    """(path, stamp, bytes written) of its page in the tree, when it was rendered."""
    code_keys: tuple[str, ...]
    """Cache keys of its highlighted code blocks (kept while the article is)."""


_md: MarkdownIt | None = None
"""This process's Markdown parser (forked workers inherit it)."""


def parse_page(file: InputFile) -> ArticlePage:
    """Parse + Markdown for one content file; raises its problems, located."""
    global _md
    _md = _md or make_parser()
    shown = file.shown
    problems: list[GlossError] = []
    article = parse_article(decode_raw(file.read(), shown), shown, file.stem, problems)
    if problems:
        raise GlossErrors(problems)
    return article_page(_md, article)


def load_page(job: ArticleJob, cache: Cache) -> tuple[ArticlePage, tuple[str, ...]]:
    """The parsed page and the keys of its highlighted code blocks (``markdown.keep_highlights``):
    from the cache when this exact file was parsed before, else parsed now."""
    entry = cache.get("article", job.key)
    if isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[0], ArticlePage):
        page, code_keys = entry
        return page, tuple(code_keys)
    used = keep_highlights(cache)
    try:
        page = parse_page(job.file)
    finally:
        keep_highlights(None)
    cache.put("article", job.key, (page, tuple(used)))
    return page, tuple(used)


def process(job: ArticleJob, cache: Cache, renderer: Renderer, assembly: Assembly) -> ArticleDone:
    """Parse (or load), summarise, and render one article into the tree; raises on any problem."""
    page, code_keys = load_page(job, cache)
    summary = cache.get("summary", job.key)
    if not isinstance(summary, ArticleSummary):
        summary = summarise(page)
        cache.put("summary", job.key, summary)
    feed = renderer.feed_content(page)
    cache.put("feed", job.feed_key, feed)
    placed = None
    if job.render and (job.drafts or not page.article.draft):
        output = renderer.article(page, job.translations)
        stamp, wrote = assembly.put(output.path, output.data)
        placed = (output.path, stamp, wrote)
    return ArticleDone(summary, field_digests(summary_fields(summary)), hashlib.sha256(feed.encode()).hexdigest(),
                       placed, code_keys)


def try_process(job: ArticleJob, cache: Cache, renderer: Renderer, assembly: Assembly) -> ArticleDone | None:
    """:func:`process`, or None on any problem (the parent redoes the article and reports it)."""
    try:
        return process(job, cache, renderer, assembly)
    except Exception:  # re-raised, located, when the parent redoes this article
        return None


def feed_contents(cache: Cache, files: Mapping[str, InputFile], renderer: Renderer, records: Mapping[str, ArticleRecord],
                  wanted: Sequence[str]) -> dict[str, str]:
    """The feed entries' contents of the articles ``wanted`` (shown paths) by URL: from the cache, else
    made again from the (cached) parsed page."""
    contents: dict[str, str] = {}
    for shown in wanted:
        record = records[shown]
        content = cache.get("feed", record.feed_key)
        if not isinstance(content, str):
            job = ArticleJob(files[shown], record.key, record.feed_key, False, False)
            content = renderer.feed_content(load_page(job, cache)[0])
            cache.put("feed", record.feed_key, content)
        contents[f"articles/{record.slug}/"] = content
    return contents
