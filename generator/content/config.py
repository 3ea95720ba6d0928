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
from .yamldoc import EXTRA_EXPECTED, Fields, YamlDocument, as_extra, as_text

SITE_KEYS = ("title", "base_url", "language", "publisher", "description", "extra")
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*\Z")


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
    extra: dict[str, Any] = field(default_factory=dict)
    """``extra:``, free settings for the site's own templates (``site.config.extra``); Gloss reads none."""


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
        extra=fields.get("extra", as_extra, EXTRA_EXPECTED, {}),
    )
    problem = base_url_problem(config.base_url)
    if problem:
        doc.error(problem, fields.node_of("base_url"), "write it like https://example.org/news/")
    if not _LANGUAGE.match(config.language):
        doc.error(
            f'language "{config.language}" is not a language tag',
            fields.node_of("language"),
            "use a BCP 47 tag such as en, de or pt-BR",
        )
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
