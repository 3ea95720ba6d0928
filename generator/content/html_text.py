"""Stage 2 helper: the text of rendered Markdown, as a browser's ``textContent`` gives it.

Used by the JSON-LD writer and the W3C exporter; it only reads HTML that ``markdown`` made.
"""

from __future__ import annotations

import re
from html import unescape

SPACE = " \t\n\r\f"
"""ASCII whitespace, as the HTML standard (and the DOM) defines it."""
RUNS = re.compile(f"[{SPACE}]+")
_TAG = re.compile(r"<[^>]*>")  # a tag or comment of our Markdown output


def html_text(html: str) -> str:
    """Rendered Markdown's text as the DOM's ``textContent`` gives it, whitespace-normalised.

    Only for our Markdown output (raw HTML off): there every ``<`` and ``>`` of text and
    attribute values is escaped, so each ``<…>`` is a whole tag or comment and the rest is
    text with complete entities, which is exactly what the exporter's parser collects. Dropping
    the tags with one regex gives the same string several times faster than the parser (a
    hot spot: JSON-LD calls this for every comment and note of every page).
    """
    text = _TAG.sub("", html)
    if "&" in text:
        text = unescape(text)
    return RUNS.sub(" ", text).strip(" ")
