"""Markdown stage: one configured parser, and Markdown text blocks to HTML.

The parser is CommonMark with tables and strikethrough, raw HTML switched off
(a reader's ``<script>`` shows as text), Pygments highlighting for fenced
code, the fact/claim span plugin, and a stricter link check than
markdown-it's default: ``javascript:``, ``vbscript:``, ``file:`` and every
``data:`` URL are refused, so the link renders as plain text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.common.utils import escapeHtml
from markdown_it.utils import EnvType, OptionsDict
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from .annotations import SpanProblem, SpanRecord, annotations_plugin
from .model import TextBlock

_UNSAFE_URL = re.compile(r"^\s*(?:javascript|vbscript|file|data):", re.IGNORECASE)
_FORMATTER = HtmlFormatter(nowrap=True)


@dataclass(frozen=True, slots=True)
class RenderedText:
    """A text block as HTML, with the spans and span problems found in it."""

    html: str
    """The rendered HTML (safe to insert as-is)."""
    spans: tuple[SpanRecord, ...]
    """Fact/claim spans, positions relative to the block's text."""
    problems: tuple[SpanProblem, ...]
    """Malformed spans, positions relative to the block's text."""


def highlight_code(code: str, lang: str, _attrs: str) -> str:
    """Pygments HTML for a fenced block with a known language, else "" (plain)."""
    if not lang:
        return ""
    try:
        lexer = get_lexer_by_name(lang)
    except ClassNotFound:
        return ""
    # Start with "<pre" so markdown-it uses it as the whole block instead of
    # wrapping it in another <pre><code> (a <div> inside <pre> is invalid HTML).
    body = highlight(code, lexer, _FORMATTER)
    return f'<pre class="highlight"><code class="language-{escapeHtml(lang)}">{body}</code></pre>\n'


def validate_link(url: str) -> bool:
    """Refuse script-bearing and inline-data URLs anywhere in user text."""
    return _UNSAFE_URL.match(url) is None


def _link_open(
    self: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    # Links written by readers must not pass ranking or the opener to their target.
    if env.get("gloss_ugc"):
        tokens[idx].attrSet("rel", "nofollow ugc noopener")
    return self.renderToken(tokens, idx, options, env)


def make_parser() -> MarkdownIt:
    """The Markdown parser every text block goes through."""
    md = MarkdownIt("commonmark", {"html": False, "highlight": highlight_code})
    md.enable(["table", "strikethrough"])
    md.validateLink = validate_link  # type: ignore[method-assign]
    md.use(annotations_plugin)
    md.add_render_rule("link_open", _link_open)
    return md


def render_block(
    md: MarkdownIt,
    block: TextBlock,
    *,
    user_content: bool = False,
    note_html: Callable[[SpanRecord], str] | None = None,
) -> RenderedText:
    """Render one text block; ``user_content`` marks links as reader-written."""
    env: dict[str, Any] = {"gloss_ugc": user_content}
    if note_html is not None:
        env["gloss_note_html"] = note_html
    html = md.render(block.text, env)
    return RenderedText(
        html, tuple(env.get("gloss_spans", ())), tuple(env.get("gloss_problems", ()))
    )


def render_inline(md: MarkdownIt, text: str) -> str:
    """Inline Markdown (a note body inside a margin note) as phrasing HTML."""
    env: dict[str, Any] = {"gloss_ugc": False}
    return str(md.renderInline(text, env))


def pygments_css() -> str:
    """Highlighting colours for light and dark schemes."""
    # Pygments' formatter methods are untyped; the result is CSS text.
    light = str(HtmlFormatter(style="default").get_style_defs(".highlight"))  # type: ignore[no-untyped-call]
    dark = str(HtmlFormatter(style="monokai").get_style_defs(".highlight"))  # type: ignore[no-untyped-call]
    return f"{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n"
