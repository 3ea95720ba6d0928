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

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from linkify_it import LinkifyIt  # type: ignore[import-untyped]  # ships no type information

LINKIFY_OPTIONS: dict[str, Any] = {"fuzzy_link": False, "fuzzy_email": False, "fuzzy_ip": False}
"""linkify-it settings: addresses with an explicit scheme only."""


_SCHEME = re.compile(r"(?:https?|mailto):", re.IGNORECASE)
"""What every address linkify links here starts with (the schemes :func:`configure` keeps)."""


def configure(linkify: Any) -> Any:
    """Set up a ``LinkifyIt``: schemes http(s) and mailto only (no protocol-relative ``//host``,
    no ``ftp:``), and no fuzzy links. Returns it.

    Its ``pretest`` is the search for one of those schemes, and its ``test`` asks linkify-it only
    when there is one. linkify-it's own are large case-insensitive Unicode patterns (its pretest
    also answers yes to any "@", "www." or ".com", for the fuzzy links turned off here), and
    markdown-it runs them on every paragraph and text token: they were a fifth of a build's CPU.
    Without a scheme, ``match`` finds nothing, so the quick check changes no output; a pretest
    may answer yes wrongly (``test`` then decides), never no wrongly.
    """
    linkify.set(LINKIFY_OPTIONS)
    for schema in ("//", "ftp:"):
        linkify.add(schema, None)
    linkify.pretest = _may_link
    linkify.test = _scheme_first(linkify.test)
    return linkify


def _may_link(text: str) -> bool:
    """True when ``text`` holds a scheme linkify may link (the only links it makes here)."""
    return ":" in text and _SCHEME.search(text) is not None  # most text has no colon: no regex


def _scheme_first(test: Callable[[str], Any]) -> Callable[[str], bool]:
    """``test``, asked only when the text holds a scheme linkify may link."""
    return lambda text: _SCHEME.search(text) is not None and bool(test(text))


@lru_cache(maxsize=1)
def _linkify() -> Any:
    return configure(LinkifyIt())


def bare_urls(text: str) -> list[tuple[int, int]]:
    """(start, end) of each address in ``text`` that linkify would make a link of."""
    linkify = _linkify()
    if not linkify.pretest(text):
        return []
    return [(match.index, match.last_index) for match in linkify.match(text) or ()]
