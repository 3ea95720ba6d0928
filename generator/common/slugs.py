"""Shared by the import and site-model stages: text to URL-safe slugs.

Article slugs are ASCII (``[a-z0-9-]``, checked in the front matter). Tags are
free text in any script, so a tag's slug keeps its letters and digits, lower-cased
(``Россия`` → ``россия``, ``日本`` → ``日本``), as Hugo does; links percent-encode it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

_SEPARATORS = re.compile(r"[\s_-]+")


@lru_cache(maxsize=8192)  # the listing stage slugs the same few tags and verdicts ~100,000 times
def slugify(text: str, limit: int = 60) -> str:
    """``[a-z0-9-]`` only, so a slug can never name a path outside ``output/``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug or "article"


@lru_cache(maxsize=8192)
def tag_slug(tag: str, limit: int = 60) -> str:
    """A tag's folder name: its letters, digits and combining marks (any script), lower-cased,
    every other run of characters one ``-``. No ``/``, ``.`` or ``%`` can remain, so no tag can
    name a path outside ``tags/``. A tag with no letter or digit (``...``) gets a name made from
    a hash of its text, so two such tags still get two pages."""
    text = unicodedata.normalize("NFKC", tag).casefold()
    kept = "".join(c if unicodedata.category(c)[0] in "LNM" else "-" for c in text)
    slug = re.sub("-+", "-", kept).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0] if "-" in slug[:limit] else slug[:limit]
    if not slug or not any(unicodedata.category(c)[0] in "LN" for c in slug):
        slug = "tag-" + hashlib.sha256(tag.encode("utf-8")).hexdigest()[:10]
    return slug


def tag_key(tag: str) -> str:
    """What makes two tags the same tag: case, Unicode form and the separator between words
    (space, ``-``, ``_``) do not count (``North Korea`` is ``north-korea``); other punctuation
    does (``C++`` is not ``C``, and would need the same page: an error)."""
    return _SEPARATORS.sub("-", unicodedata.normalize("NFKC", tag).casefold()).strip("-")
