"""Render stage helpers: site-wide lists derived from the site model.

The listing model (``site_model.py``) holds article summaries and tags. The index, the claims
pages and the tag list also need every note joined with its article, the
article list cut into pages, and one filter per kind and verdict. They are
computed here, once per build and in a fixed order, so templates only loop
and two builds of the same input list things identically.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..common.slugs import slugify
from ..common.translatable import N_
from ..content.note_kinds import KINDS, VERDICTS
from .notes import NoteSummary
from .site_model import ArticleSummary, Site

PAGE_SIZE = 20
"""Articles per index page: ``index.html`` holds the newest 20, ``page/2/`` the next 20…"""

CLAIMS_PAGE_SIZE = 100
"""Notes per claims page: a site with thousands of notes stays readable on a phone."""


@dataclass(frozen=True, slots=True)
class ClaimEntry:
    """One note of the site, with the article it belongs to."""

    note: NoteSummary
    """The note (kind, verdict, quote…)."""
    page: ArticleSummary
    """The article page that holds its span."""
    verdict_slug: str
    """The verdict as a URL segment and ``data-verdict`` value (``accurate``)."""

    # A template that reads these reads the summary's url (site_model.DERIVED_READS).
    @property
    def span_url(self) -> str:
        """Site-relative link to the annotated span on its article page."""
        return f"{self.page.url}index.html#span-{self.note.id}"

    @property
    def note_url(self) -> str:
        """Site-relative link to the note in the article's list of notes."""
        return f"{self.page.url}index.html#note-{self.note.id}"



@dataclass(frozen=True, slots=True)
class ClaimFilter:
    """One static filter page of the claims list."""

    group: str
    """``kind`` or ``verdict``."""
    value: str
    """``fact``/``claim``, or a verdict slug such as ``accurate``."""
    label: str
    """What the filter link says."""
    path: str
    """Site-relative folder of the page, e.g. ``claims/verdict/accurate/``."""
    count: int
    """How many notes the page lists."""


@dataclass(frozen=True, slots=True)
class Pager:
    """Where one page of a paged list links to: the index and every claims list share it
    (``templates/_pagination.html``)."""

    base: str
    """Site-relative folder of the list's first page: ``""`` (the index), ``claims/``, ``claims/fact/``…"""
    number: int
    """1-based number of the page the links are on."""
    total: int
    """How many pages the list has."""

    @property
    def newer(self) -> str | None:
        """Folder of the previous page (``rel=prev``), if any."""
        return list_page_path(self.base, self.number - 1) if self.number > 1 else None

    @property
    def older(self) -> str | None:
        """Folder of the next page (``rel=next``), if any."""
        return list_page_path(self.base, self.number + 1) if self.number < self.total else None

    @property
    def numbers(self) -> list[tuple[int, str] | None]:
        """Numbered links: the first page, the last and two on each side of this one (None: a gap).

        Every number of a 50-page index would be 50 links; this keeps at most 7 and a gap or two.
        """
        return page_window(self.base, self.number, self.total)


class PagedList:
    """What templates read of a paged list's links, from its :class:`Pager` (``templates/_pagination.html``)."""

    __slots__ = ()

    @property
    def pager(self) -> Pager:
        raise NotImplementedError

    @property
    def newer(self) -> str | None:
        """Folder of the previous (newer) page, if any."""
        return self.pager.newer

    @property
    def older(self) -> str | None:
        """Folder of the next (older) page, if any."""
        return self.pager.older

    @property
    def numbers(self) -> list[tuple[int, str] | None]:
        """The numbered page links: first, last and two on each side of this one (None: a gap)."""
        return self.pager.numbers


@dataclass(frozen=True, slots=True)
class ClaimsPage(PagedList):
    """One page of the claims list, whole or filtered (long lists are cut into pages)."""

    path: str
    """Site-relative folder of this page: ``claims/``, ``claims/page/2/``, ``claims/fact/page/3/``…"""
    title: str
    """Page heading, in English (``claims.html`` words it in the site's language from ``current``)."""
    entries: tuple[ClaimEntry, ...]
    """Notes shown on this page, newest article first, then in reading order."""
    current: ClaimFilter | None
    """The filter this list applies (None on the whole list)."""
    base: str
    """Folder of the list's first page: ``claims/`` or the filter's folder."""
    number: int = 1
    """1-based page number."""
    total: int = 1
    """How many pages the list has."""
    count: int = 0
    """How many notes the whole list (all its pages) holds."""
    first: int = 1
    """1-based position of this page's first note in the whole list."""

    @property
    def pager(self) -> Pager:
        """The links to the other pages of this list."""
        return Pager(self.base, self.number, self.total)


@dataclass(frozen=True, slots=True)
class IndexPage(PagedList):
    """One page of the article index."""

    number: int
    """1-based page number."""
    total: int
    """How many index pages there are."""
    path: str
    """Site-relative folder: ``""`` for page 1, ``page/N/`` after it."""
    articles: tuple[ArticleSummary, ...]
    """The articles on this page, newest first."""

    @property
    def pager(self) -> Pager:
        """The links to the other index pages."""
        return Pager("", self.number, self.total)


def list_page_path(base: str, number: int) -> str:
    """Folder of page ``number`` of a list whose first page is ``base``: ``claims/page/2/``."""
    return base if number == 1 else f"{base}page/{number}/"


def page_window(base: str, number: int, total: int, around: int = 2) -> list[tuple[int, str] | None]:
    """(number, folder) of the first, the last and the pages near ``number``; None marks a gap."""
    shown = sorted({1, total, *range(max(1, number - around), min(total, number + around) + 1)})
    window: list[tuple[int, str] | None] = []
    for n in shown:
        if window and window[-1] is not None and window[-1][0] != n - 1:
            window.append(None)
        window.append((n, list_page_path(base, n)))
    return window


def index_path(number: int) -> str:
    """``1`` → ``""`` (the site root), ``2`` → ``page/2/``."""
    return list_page_path("", number)


def paginate(articles: Sequence[ArticleSummary], size: int = PAGE_SIZE) -> list[IndexPage]:
    """Cut the newest-first article list into index pages (at least one, even if empty)."""
    chunks = [tuple(articles[i : i + size]) for i in range(0, len(articles), size)] or [()]
    return [IndexPage(n, len(chunks), index_path(n), chunk) for n, chunk in enumerate(chunks, start=1)]


def claim_entries(site: Site) -> tuple[ClaimEntry, ...]:
    """Every note on the site: articles newest first, notes in reading order."""
    return tuple(
        ClaimEntry(note, page, slugify(note.verdict) if note.verdict else "none")
        for page in site.articles for note in page.notes
    )


def claim_filters(entries: Sequence[ClaimEntry]) -> tuple[tuple[ClaimFilter, ...], tuple[ClaimFilter, ...]]:
    """The kind filters and the verdict filters.

    Every verdict of both scales gets a page, even with no notes yet, so a
    bookmarked filter never turns into a 404 as the notes change.
    """
    kinds = tuple(
        ClaimFilter("kind", k.name, k.plural, f"claims/{k.name}/", sum(e.note.kind == k.name for e in entries))
        for k in KINDS
    )
    verdicts = tuple(
        ClaimFilter(
            "verdict", v.slug, v.word, f"claims/verdict/{v.slug}/", sum(e.note.verdict == v.word for e in entries)
        )
        for v in VERDICTS
    )
    return kinds, verdicts


def _paged(title: str, entries: tuple[ClaimEntry, ...], current: ClaimFilter | None, base: str,
           size: int) -> list[ClaimsPage]:
    chunks = [entries[i: i + size] for i in range(0, len(entries), size)] or [()]
    return [
        ClaimsPage(list_page_path(base, n), title, chunk, current, base, n, len(chunks), len(entries), 1 + (n - 1) * size)
        for n, chunk in enumerate(chunks, start=1)
    ]


def claims_pages(entries: Sequence[ClaimEntry], size: int = CLAIMS_PAGE_SIZE) -> list[ClaimsPage]:
    """The whole claims list, then one list per kind and per verdict, each cut into pages of ``size``."""
    kinds, verdicts = claim_filters(entries)
    everything = tuple(entries)
    pages = _paged(N_("Claims and fact checks"), everything, None, "claims/", size)
    for f in kinds:
        pages += _paged(f.label, tuple(e for e in everything if e.note.kind == f.value), f, f.path, size)
    for f in verdicts:
        chosen = tuple(e for e in everything if e.verdict_slug == f.value)
        pages += _paged(N_("Verdict: %(verdict)s") % {"verdict": f.label}, chosen, f, f.path, size)
    return pages
