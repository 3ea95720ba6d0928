"""Content stage: the site settings from ``site.yaml``, validated with positions.

Every key is optional; a missing file gives the defaults below. ``base_url``
only feeds absolute URLs (feed, sitemap, canonical link, JSON-LD): pages link
to each other relatively, so the output works under any sub-path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from ..common.errors import GlossError, SourceLocation, raise_all
from .yamldoc import EXTRA_EXPECTED, LANGUAGE_TAG, Fields, YamlDocument, as_extra, as_text, as_text_list

SITE_KEYS = ("title", "base_url", "language", "publisher", "description", "image", "extra", "keep")


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """Settings that apply to the whole site."""

    title: str = "Gloss"
    """The site's name, shown in every page header and the feed."""
    base_url: str = ""
    """Absolute address of the site root, ending in "/"; empty when unknown."""
    language: str = "en"
    """BCP 47 language tag for ``<html lang>`` and the feed."""
    publisher: str = ""
    """Who publishes the site (JSON-LD publisher, feed author)."""
    description: str = ""
    """One sentence about the site, for the index and the feed."""
    image: str = ""
    """An http(s) image URL for link previews of every page (Open Graph); empty when none."""
    extra: dict[str, Any] = field(default_factory=dict)
    """``extra:``, free settings for the site's own templates (``site.config.extra``); Gloss reads none."""
    keep: tuple[str, ...] = ()
    """Names in the output folder's top level that a build carries over untouched (``.git``,
    ``CNAME``, ``.nojekyll``: what a deploy keeps there), sorted."""


# Names a build writes at the output's top level: keeping a user's file under one would make
# the build either drop the user's file or not write its own.
_BUILT_NAMES = frozenset({"index.html", "404.html", "feed.xml", "sitemap.xml", "robots.txt", "articles",
                          "tags", "claims", "search", "page", "static", "pagefind", ".gloss-output"})


_NONE: tuple[str, ...] = ()


def keep_problem(name: str) -> str | None:
    """Why ``name`` cannot be kept in the output folder, or None."""
    if not name or "/" in name or "\\" in name or name in (".", "..") or "\0" in name:
        return f'keep: "{name}" is not a plain file or folder name'
    if name in _BUILT_NAMES:
        return f'keep: "{name}" is written by every build'
    return None


def normalise_base_url(url: str) -> str:
    """``https://example.org/news`` → ``https://example.org/news/``."""
    return url if not url or url.endswith("/") else url + "/"


def base_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be a base URL, or None."""
    if url and not re.match(r"https?://[^\s/?#\x00-\x1f\x7f-\x9f]+(/[^\s?#\x00-\x1f\x7f-\x9f]*)?\Z", url, re.IGNORECASE):
        return f'base_url "{url}" is not an absolute http(s) address'
    return None


def parse_config(text: str, path: str) -> SiteConfig:
    """Parse ``site.yaml`` text; raises every problem at once."""
    errors: list[GlossError] = []
    doc = YamlDocument(text, path, 1, errors)
    if doc.root is None:
        raise_all(errors)
        return SiteConfig()
    fields = Fields(doc, doc.root, "site.yaml", SITE_KEYS)
    defaults = SiteConfig()
    config = SiteConfig(
        title=fields.get("title", as_text, "text", defaults.title),
        base_url=normalise_base_url(fields.get("base_url", as_text, "an https:// address", "")),
        language=fields.get("language", as_text, "a language tag like en or pt-BR", defaults.language),
        publisher=fields.get("publisher", as_text, "text", ""),
        description=fields.get("description", as_text, "text", ""),
        image=fields.get("image", as_text, "an https:// image address", ""),
        extra=fields.get("extra", as_extra, EXTRA_EXPECTED, {}),
        keep=tuple(sorted(set(fields.get("keep", as_text_list, "a list of names such as .git or CNAME", _NONE)))),
    )
    if config.image and not re.match(r"https?://[^\s/?#]+\S*\Z", config.image, re.IGNORECASE):
        doc.error(f'image "{config.image}" is not an absolute http(s) address', fields.node_of("image"),
                  "link previews need an absolute URL such as https://example.org/card.png")
    problem = base_url_problem(config.base_url)
    if problem:
        doc.error(problem, fields.node_of("base_url"), "write it like https://example.org/news/")
    if not LANGUAGE_TAG.match(config.language):
        doc.error(
            f'language "{config.language}" is not a language tag',
            fields.node_of("language"),
            "use a BCP 47 tag such as en, de or pt-BR",
        )
    for name in config.keep:
        problem = keep_problem(name)
        if problem:
            doc.error(problem, fields.node_of("keep"), "list names in the output folder's top level, e.g. [.git, CNAME]")
    raise_all(errors)
    return config


def with_base_url(config: SiteConfig, base_url: str | None) -> SiteConfig:
    """``--base-url`` wins over ``site.yaml``; it is checked like ``site.yaml``'s (no ``javascript:``)."""
    if base_url is None:
        return config
    problem = base_url_problem(normalise_base_url(base_url))
    if problem:
        raise GlossError(problem, SourceLocation("--base-url", 1, 1), "write it like https://example.org/news/")
    return replace(config, base_url=normalise_base_url(base_url))
