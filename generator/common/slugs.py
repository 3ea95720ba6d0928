"""Shared by the import and site-model stages: text to URL-safe slugs."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


@lru_cache(maxsize=8192)  # the listing stage slugs the same few tags and verdicts ~100,000 times
def slugify(text: str, limit: int = 60) -> str:
    """``[a-z0-9-]`` only, so a slug can never name a path outside ``output/``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug or "article"
