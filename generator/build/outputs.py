"""Build: what each output of a build reads, declared once (``keys.Reads``); ``keys.key`` makes the keys.

Every template-rendered page also reads ``_note.html`` (the renderer fills notes in with its
macros), the ``base_url`` and ``language`` settings (links, words and dates), the asset and image
names, the ``search`` option (the templates show the search box by it) and the language's catalog
(the words); its templates add what they read themselves. Outputs made by Python code alone (feed,
sitemap, feed entries) read every setting: the code names them, not a template, and reading a few
too many only costs a render.

A new output type declares its reads here and gets its key from ``keys.key``: what it shows must
be in the declaration (a template, a setting, the summary fields it reads of the articles it shows,
an article's digest, or a plain value).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .inputs import InputFile
from .keys import Reads

if TYPE_CHECKING:  # the search stage imports this module, and uptodate.py that one: no Jinja here
    from ..render.renderer import ListingPage

NOTE_TEMPLATE = "_note.html"
"""Loaded by the renderer for every page (``Renderer._note_filler``)."""
PAGE_SETTINGS = ("base_url", "language")
"""Settings the renderer reads itself for every page: links (``base_url``), and the words and dates
in the site's language."""
PAGE_OPTIONS = ("search",)
"""Options every page's templates get (``search``)."""


def parse(file: InputFile) -> Reads:
    """A content file's parse result, summary and page model (the build cache's key for them, and the
    article's record): its path, stem (the default slug) and bytes; nothing of the site."""
    return Reads("parse", file.shown, values=(file.stem, file.digest))


def article_page() -> Reads:
    """What every article page reads besides its own article (whose parse key is in its record)."""
    return Reads("page", "articles/", templates=("article.html", NOTE_TEMPLATE), settings=PAGE_SETTINGS,
                 options=PAGE_OPTIONS, names=True, words=True)


def feed_entry(file: InputFile, parse_key: str) -> Reads:
    """An article's feed entry (its body with images resolved and links made absolute)."""
    return Reads("feed-entry", file.shown, settings=None, names=True, words=True, articles=(parse_key,))


def listing_page(page: ListingPage, field_digests: Sequence[bytes]) -> Reads:
    """A site-wide page: the fields of the summaries of the articles it shows (``page.shows``, their
    field digests given in that order) that its code reads (``page.reads``) and its templates read, and
    everything else it shows (``page.detail``); the sitemap is made without a template."""
    summaries = tuple(field_digests)
    if not page.template:
        return Reads("listing", page.path, settings=None, summaries=summaries, fields=page.reads, values=page.detail)
    return Reads("listing", page.path, templates=(page.template, NOTE_TEMPLATE), settings=PAGE_SETTINGS,
                 options=PAGE_OPTIONS, names=True, words=True, summaries=summaries, fields=page.reads,
                 values=page.detail)


def listings(field_digests: Sequence[bytes]) -> Reads:
    """Every listing page at once: any template, the summaries of every article (in content-file
    order, each as one digest of its field digests) and which are drafts. Equal keys: no listing page
    changed, none is looked at."""
    return Reads("listings", "", templates=None, settings=None, options=("drafts", *PAGE_OPTIONS), names=True,
                 words=True, articles=tuple(hashlib.sha256(digests).hexdigest() for digests in field_digests))


def feed(field_digests: Sequence[bytes], entry_digests: Sequence[str], fields: tuple[str, ...]) -> Reads:
    """``feed.xml``: of the newest articles, newest first, the summary fields the feed reads
    (``fields``: ``feeds.FEED_READS``) and their feed entries; and the settings."""
    return Reads("feed", "feed.xml", settings=None, words=True, articles=tuple(entry_digests),
                 summaries=tuple(field_digests), fields=fields)


def search_shard(pagefind: str, language: str, count: int, folder: str, pages: Sequence[tuple[str, str]]) -> Reads:
    """One shard of the Pagefind index: the program, the index's language, the number of shards, the
    shard's folder and the article pages it indexes ((output path, output digest) each)."""
    return Reads("search", folder, values=(pagefind, language, count, *([path, sha] for path, sha in pages)))
