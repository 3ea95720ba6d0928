"""Content and render stages: images that articles show.

Images live in the content folder, anywhere under it (``content/images/x.png``
or next to the ``.md`` file), and an article names them relative to its
content file, as a Markdown editor previewing the file would:
``![A map](images/map.png)``. The build copies each image to the same path
under ``output/`` with a content hash in its name (``images/map.1a2b3c4d5e.png``,
cacheable forever, like the stylesheet) and rewrites the article's links to
the hashed name, relative to each page.

Only image types are copied (``inputs.IMAGE_SUFFIXES``; the scan finds them):
the content folder may also hold raw dumps and notes that are not meant to be
published.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterator, Mapping
from urllib.parse import unquote

from ..common.errors import GlossError, SourceLocation
from ..content.model import Article
from .article_page import ArticlePage
from .threads import in_page_order

_URL_ATTRIBUTE = re.compile(r'\b(src|href)="([^"]*)"')
_IMG_SRC = re.compile(r'<img\b[^>]*?\bsrc="([^"]*)"')
_EXTERNAL = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|//|/|#|\?)")


def content_path(url: str) -> str | None:
    """The content-relative path a relative link in an article names, or None for other links."""
    url = html.unescape(url)
    if not url or _EXTERNAL.match(url):
        return None
    path = unquote(url.split("#", 1)[0].split("?", 1)[0])
    normal = posixpath.normpath(path)
    return None if normal.startswith("..") or normal == "." else normal


def rewrite_media(text: str, names: Mapping[str, str], root: str) -> str:
    """Point ``src``/``href`` links to content images at their hashed output names.

    ``names`` maps content-relative paths to output paths; ``root`` leads from
    the page to the site root (``../../`` for an article page). Raw HTML is off
    in user Markdown, so every ``src="`` in ``text`` is an attribute the
    Markdown renderer wrote (a quote in text is escaped as ``&quot;``).
    """

    def replace(match: re.Match[str]) -> str:
        target = content_path(match.group(2))
        if target is None or target not in names:
            return match.group(0)
        return f'{match.group(1)}="{html.escape(root + names[target])}"'

    return _URL_ATTRIBUTE.sub(replace, text)


def _bodies(page: ArticlePage) -> Iterator[tuple[str, str]]:
    """(where, html) for the article body and every comment body."""
    yield "article", page.body_html
    for thread in in_page_order(page.threads):
        yield thread.comment.id, thread.body_html


def _position(article: Article, where: str, url: str) -> tuple[int, int]:
    """Where the image link stands in the content file (best effort: the block start)."""
    block = article.body if where == "article" else next(c.body for c in article.comments if c.id == where)
    for i, line in enumerate(block.text.splitlines()):
        column = line.find(url)
        if column >= 0:
            pos = block.position(i, column)
            return pos.line, pos.column
    return block.line, block.indent + 1


def missing_images(pages: tuple[ArticlePage, ...], names: Mapping[str, str]) -> list[GlossError]:
    """An error for every image an article shows that is not in the content folder."""
    errors: list[GlossError] = []
    for page in pages:
        for where, body in _bodies(page):
            for match in _IMG_SRC.finditer(body):
                raw = html.unescape(match.group(1))
                if _EXTERNAL.match(raw):
                    continue
                target = content_path(raw)
                if target is not None and target in names:
                    continue
                line, column = _position(page.article, where, raw)
                errors.append(
                    GlossError(
                        f'image "{raw}" is not in the content folder',
                        SourceLocation(page.article.path, line, column),
                        "put the image in the content folder; its path is relative to the content file",
                    )
                )
    return errors
