"""Shared by the import and Markdown stages: which bare URLs in plain text become links.

Reader comments and notes often carry a pasted address (``see https://example.org/report``).
markdown-it's linkify (backed by ``linkify-it-py``) turns those into links, with the same
configuration here for both stages:

* only addresses written with their scheme (``https://``, ``http://``, ``mailto:``):
  no "fuzzy" guessing, which would link ``readme.md`` (Moldova's domain) or ``Node.js``;
* the importer must leave such an address unescaped (an escaped ``\\_`` would end up in the
  link's target as ``%5C_``), so it asks :func:`bare_urls` where they are. (markdown-it then
  drops a final ``*`` from the link; left unescaped, that ``*`` can open no emphasis, since it is
  followed by a space or punctuation, so it shows as written.)

Every link still passes the Markdown stage's URL allow-list (``javascript:`` and friends are
never linked), as links written in Markdown do.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from linkify_it import LinkifyIt  # type: ignore[import-untyped]  # ships no type information

LINKIFY_OPTIONS: dict[str, Any] = {"fuzzy_link": False, "fuzzy_email": False, "fuzzy_ip": False}
"""linkify-it settings: addresses with an explicit scheme only."""


def configure(linkify: Any) -> Any:
    """Set up a ``LinkifyIt``: schemes http(s) and mailto only (no protocol-relative ``//host``,
    no ``ftp:``), and no fuzzy links. Returns it."""
    linkify.set(LINKIFY_OPTIONS)
    for schema in ("//", "ftp:"):
        linkify.add(schema, None)
    return linkify


@lru_cache(maxsize=1)
def _linkify() -> Any:
    return configure(LinkifyIt())


def bare_urls(text: str) -> list[tuple[int, int]]:
    """(start, end) of each address in ``text`` that linkify would make a link of."""
    if ":" not in text:  # every address has a scheme; most comments have no colon at all
        return []
    linkify = _linkify()
    if not linkify.pretest(text):
        return []
    return [(match.index, match.last_index) for match in linkify.match(text) or ()]
