"""Render stage: the files machines read — the Atom feed and the sitemap.

Both are built with ElementTree, so every title, summary and HTML body is
escaped by the XML writer rather than by hand. They are the only places (with
the canonical link and JSON-LD) where absolute URLs appear, and they need
``base_url`` for that. Without it they are still written, with URLs relative
to the site root (``feed.xml`` and ``sitemap.xml`` sit there), and the build
warns once. Atom ids must be absolute IRIs even then, so without ``base_url``
ids are ``urn:uuid:`` names derived from the site title and the article slug:
stable across builds, but different from the ids used once ``base_url`` is
set (set it before announcing the feed).

Content files give naive dates (no time zone is known); the feed reads them
as UTC, because RFC 3339 requires an offset.
"""

from __future__ import annotations

import html
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from urllib.parse import urljoin

from .config import SiteConfig
from .site import ArticlePage, Site

ATOM_NS = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_XML_NS = "{http://www.w3.org/XML/1998/namespace}"
EPOCH = "1970-01-01T00:00:00Z"
"""``updated`` of a feed whose articles carry no date at all (Atom requires one)."""

BASE_URL_WARNING = (
    "warning: base_url is not set: feed and sitemap use relative URLs "
    "(hint: set base_url in site.yaml or pass --base-url)"
)

_URL_ATTRIBUTE = re.compile(r'\b(src|href)="([^"]*)"')
_ABSOLUTE = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|//)")
_TAG = re.compile(r"<[^>]+>")
_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)


def base_url_warning(config: SiteConfig) -> str | None:
    """The one warning a build prints when absolute URLs cannot be made."""
    return None if config.base_url else BASE_URL_WARNING


def atom_time(value: str | None) -> str | None:
    """``2024-06-17`` → ``2024-06-17T00:00:00Z``; ``2024-06-17T20:25`` → ``2024-06-17T20:25:00Z``."""
    if not value:
        return None
    date, _, time = value.partition("T")
    hours_minutes = time[:5] if time else "00:00"
    return f"{date}T{hours_minutes}:00Z"


def page_location(config: SiteConfig, path: str) -> str:
    """Where a page is, for machines: absolute in its folder form when ``base_url`` is known.

    ``articles/x/index.html`` → ``https://example.org/news/articles/x/`` (the
    canonical form), or ``articles/x/index.html`` relative to the site root.
    """
    if not config.base_url:
        return path
    if path == "index.html":
        return config.base_url
    if path.endswith("/index.html"):
        return config.base_url + path[: -len("index.html")]
    return config.base_url + path


def updated(page: ArticlePage) -> str | None:
    """The last time the page changed that we know of: its date or its newest comment."""
    dates = [atom_time(page.article.date)] + [atom_time(c.date) for c in page.article.comments]
    known = [d for d in dates if d]
    return max(known) if known else None


def _entry_id(config: SiteConfig, page: ArticlePage) -> str:
    if config.base_url:
        return page_location(config, page.url + "index.html")
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"gloss:{config.title}:{page.article.slug}"))


def _feed_id(config: SiteConfig) -> str:
    if config.base_url:
        return config.base_url
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"gloss:{config.title}"))


def absolute_links(text: str, base: str) -> str:
    """Resolve every relative ``src``/``href`` in ``text`` against the page address ``base``."""

    def replace(match: re.Match[str]) -> str:
        url = html.unescape(match.group(2))
        if _ABSOLUTE.match(url):
            return match.group(0)
        return f'{match.group(1)}="{html.escape(urljoin(base, url))}"'

    return _URL_ATTRIBUTE.sub(replace, text)


def _summary(page: ArticlePage) -> str:
    if page.article.summary:
        return page.article.summary
    # No summary written: the first paragraph's text, so every entry has one.
    match = _FIRST_PARAGRAPH.search(page.body_html)
    text = " ".join(html.unescape(_TAG.sub("", match.group(1))).split()) if match else ""
    return text if len(text) <= 300 else text[:299].rsplit(" ", 1)[0] + "…"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def _serialise(root: ET.Element) -> bytes:
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def feed_xml(site: Site, content_html: Callable[[ArticlePage], str]) -> bytes:
    """The Atom feed: one entry per published article, newest first, with its full text.

    ``content_html`` gives an article's body HTML with links relative to the
    article page; they are made absolute here (or, without ``base_url``, left
    relative under an ``xml:base`` naming the article page).
    """
    config = site.config
    feed = ET.Element("feed", {"xmlns": ATOM_NS, f"{_XML_NS}lang": config.language})
    _sub(feed, "id", _feed_id(config))
    _sub(feed, "title", config.title)
    if config.description:
        _sub(feed, "subtitle", config.description)
    entries_updated = [u for u in (updated(p) for p in site.articles) if u]
    _sub(feed, "updated", max(entries_updated) if entries_updated else EPOCH)
    author = _sub(feed, "author")
    _sub(author, "name", config.publisher or config.title)
    if config.base_url:
        _sub(author, "uri", config.base_url)
    _sub(feed, "link", rel="self", type="application/atom+xml", href=page_location(config, "feed.xml"))
    _sub(feed, "link", rel="alternate", type="text/html", href=page_location(config, "index.html"))
    _sub(feed, "generator", "Gloss")
    for page in site.articles:
        location = page_location(config, page.url + "index.html")
        entry = _sub(feed, "entry")
        _sub(entry, "id", _entry_id(config, page))
        _sub(entry, "title", page.article.title)
        _sub(entry, "updated", updated(page) or (max(entries_updated) if entries_updated else EPOCH))
        published = atom_time(page.article.date)
        if published:
            _sub(entry, "published", published)
        _sub(entry, "link", rel="alternate", type="text/html", href=location)
        for tag in page.article.tags:
            _sub(entry, "category", term=tag)
        _sub(entry, "summary", _summary(page))
        body = content_html(page)
        if config.base_url:
            body = absolute_links(body, location)
        # xml:base also lets readers resolve anything left relative (Atom §2).
        _sub(entry, "content", body, type="html", **{f"{_XML_NS}base": location})
    return _serialise(feed)


def sitemap_xml(site: Site, html_paths: Sequence[str]) -> bytes:
    """A sitemap of every page in ``html_paths``; articles carry their last change as ``lastmod``."""
    config = site.config
    changed = {page.url + "index.html": updated(page) for page in site.articles}
    urlset = ET.Element("urlset", {"xmlns": SITEMAP_NS})
    for path in sorted(html_paths):
        url = _sub(urlset, "url")
        _sub(url, "loc", page_location(config, path))
        lastmod = changed.get(path)
        if lastmod:
            _sub(url, "lastmod", lastmod)
    return _serialise(urlset)
