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
from collections.abc import Mapping, Sequence
from urllib.parse import quote, urljoin

from ..content.config import SiteConfig
from ..content.yamldoc import same_language
from ..site.site_model import ArticleSummary, Site, atom_time

ATOM_NS = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_XML_NS = "{http://www.w3.org/XML/1998/namespace}"
FEED_ENTRIES = 20
"""How many of the newest articles the feed carries."""
EPOCH = "1970-01-01T00:00:00Z"
"""``updated`` of a feed whose articles carry no date at all (Atom requires one)."""

BASE_URL_WARNING = (
    "warning: base_url is not set: feed and sitemap use relative URLs "
    "(hint: set base_url in site.yaml or pass --base-url)"
)

_URL_ATTRIBUTE = re.compile(r'\b(src|href)="([^"]*)"')
_ABSOLUTE = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|//)")


def base_url_warning(config: SiteConfig) -> str | None:
    """The one warning a build prints when absolute URLs cannot be made."""
    return None if config.base_url else BASE_URL_WARNING


def page_location(config: SiteConfig, path: str) -> str:
    """Where a page is, for machines: absolute in its folder form when ``base_url`` is known.

    ``articles/x/index.html`` → ``https://example.org/news/articles/x/`` (the
    canonical form), or ``articles/x/index.html`` relative to the site root.
    """
    path = quote(path, safe="/")  # tag folders may be non-ASCII; URLs in XML are percent-encoded
    if not config.base_url:
        return path
    if path == "index.html":
        return config.base_url
    if path.endswith("/index.html"):
        return config.base_url + path[: -len("index.html")]
    return config.base_url + path


def _entry_id(config: SiteConfig, page: ArticleSummary) -> str:
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


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def _serialise(root: ET.Element) -> bytes:
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def feed_entries(site: Site) -> tuple[ArticleSummary, ...]:
    """The articles the feed carries: the newest :data:`FEED_ENTRIES` (readers poll the feed often,
    so it stays small; the archive is the site itself)."""
    return site.articles[:FEED_ENTRIES]


def feed_content(config: SiteConfig, url: str, body_html: str) -> str:
    """An entry's ``content``: the body with links made absolute when ``base_url`` is known."""
    return absolute_links(body_html, page_location(config, url + "index.html")) if config.base_url else body_html


def feed_xml(site: Site, contents: Mapping[str, str]) -> bytes:
    """The Atom feed: the newest articles (:func:`feed_entries`), newest first, with their full text.

    ``contents`` gives each entry's body HTML by article URL (:func:`feed_content`), links absolute, or,
    without ``base_url``, relative under an ``xml:base`` naming the article page.
    """
    config = site.config
    entries = feed_entries(site)
    feed = ET.Element("feed", {"xmlns": ATOM_NS, f"{_XML_NS}lang": config.language})
    _sub(feed, "id", _feed_id(config))
    _sub(feed, "title", config.title)
    if config.description:
        _sub(feed, "subtitle", config.description)
    entries_updated = [p.updated for p in entries if p.updated]
    _sub(feed, "updated", max(entries_updated) if entries_updated else EPOCH)
    author = _sub(feed, "author")
    _sub(author, "name", config.publisher or config.title)
    if config.base_url:
        _sub(author, "uri", config.base_url)
    _sub(feed, "link", rel="self", type="application/atom+xml", href=page_location(config, "feed.xml"))
    _sub(feed, "link", rel="alternate", type="text/html", href=page_location(config, "index.html"))
    _sub(feed, "generator", "Gloss")
    for page in entries:
        location = page_location(config, page.url + "index.html")
        entry = _sub(feed, "entry")
        if page.article.language and not same_language(page.article.language, config.language):
            entry.set(f"{_XML_NS}lang", page.article.language)  # Atom's xml:lang: this entry's own language
        _sub(entry, "id", _entry_id(config, page))
        _sub(entry, "title", page.article.title)
        _sub(entry, "updated", page.updated or (max(entries_updated) if entries_updated else EPOCH))
        published = atom_time(page.article.date)
        if published:
            _sub(entry, "published", published)
        _sub(entry, "link", rel="alternate", type="text/html", href=location)
        for tag in page.article.tags:
            _sub(entry, "category", term=tag)
        _sub(entry, "summary", page.feed_summary)
        # xml:base also lets readers resolve anything left relative (Atom §2).
        _sub(entry, "content", contents[page.url], type="html", **{f"{_XML_NS}base": location})
    return _serialise(feed)


SITEMAP_READS = ("url", "updated")
"""The summary fields :func:`sitemap_xml` reads (the build keys the sitemap on them)."""
FEED_READS = ("url", "updated", "feed_summary", "article.title", "article.date", "article.slug", "article.tags",
              "article.language")
"""The summary fields :func:`feed_xml` reads of its entries (the build keys the feed on them)."""


def sitemap_xml(site: Site, html_paths: Sequence[str]) -> bytes:
    """A sitemap of every page in ``html_paths``; articles carry their last change as ``lastmod``."""
    config = site.config
    changed = {page.url + "index.html": page.updated for page in site.articles}
    urlset = ET.Element("urlset", {"xmlns": SITEMAP_NS})
    for path in sorted(html_paths):
        url = _sub(urlset, "url")
        _sub(url, "loc", page_location(config, path))
        lastmod = changed.get(path)
        if lastmod:
            _sub(url, "lastmod", lastmod)
    return _serialise(urlset)
