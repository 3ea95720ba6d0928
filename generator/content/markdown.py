"""Markdown stage: one configured parser, and Markdown text blocks to HTML.

The parser is CommonMark with tables and strikethrough, raw HTML switched off
(a reader's ``<script>`` shows as text), Pygments highlighting for fenced
code, the fact/claim span plugin, and a stricter link check than
markdown-it's default: ``javascript:``, ``vbscript:``, ``file:`` and every
``data:`` URL are refused, so the link renders as plain text.

Plain prose (most reader comments) does not need the parser: :func:`render_block`
writes the HTML markdown-it would make for it directly (see :func:`_plain_html`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol
from weakref import WeakSet

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

if TYPE_CHECKING:
    from pygments.lexer import Lexer

from ..common.errors import GlossError, SourceLocation
from ..common.links import configure as configure_linkify
from ..common.translatable import N_
from .annotations import SpanProblem, SpanRecord, annotations_plugin
from .model import TextBlock

_UNSAFE_URL = re.compile(r"^\s*(?:javascript|vbscript|file|data):", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class RenderedText:
    """A text block as HTML, with the spans and span problems found in it."""

    html: str
    """The rendered HTML (safe to insert as-is)."""
    spans: tuple[SpanRecord, ...]
    """Fact/claim spans, positions relative to the block's text."""
    problems: tuple[SpanProblem, ...]
    """Malformed spans, positions relative to the block's text."""


class HighlightStore(Protocol):
    """Where highlighted code is kept between builds (the build cache)."""

    def get(self, kind: str, key: str) -> Any | None: ...

    def put(self, kind: str, key: str, value: Any) -> None: ...


class _Highlights:
    """This process's store, and the keys of the blocks highlighted since :func:`keep_highlights`."""

    store: HighlightStore | None = None
    used: list[str] = []


def keep_highlights(store: HighlightStore | None) -> list[str]:
    """Keep highlighted code in ``store`` from now on; returns the list that collects the keys used.

    Pygments is the slowest part of rendering an article that has code, and a new process pays
    ~80 ms to import a lexer and compile its patterns: a one-article rebuild usually finds its code
    blocks unchanged, so their HTML is taken from the store and Pygments is not even imported.
    """
    _Highlights.store, _Highlights.used = store, []
    return _Highlights.used


@lru_cache(maxsize=256)
def _lexer(lang: str) -> Lexer | None:
    """The Pygments lexer for a language name, or None; looked up once per name.

    The lookup scans Pygments' whole lexer table, which costs more than highlighting
    a short block; a lexer keeps no state between texts, so one instance serves all.
    """
    from pygments.lexers import (
        get_lexer_by_name,  # here: a build whose code is all cached needs none
    )
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name(lang)
    except ClassNotFound:
        return None


@lru_cache(maxsize=1)
def _formatter() -> Any:
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(nowrap=True)


MAX_HIGHLIGHT_CHARS = 10_000
"""Longest code block Pygments highlights; a longer one is shown as plain text.

Some lexers' patterns backtrack, so their time grows faster than the text. A bound on size
(not on time, which would make two builds differ) keeps every block's cost bounded."""

SLOW_LEXER_CHARS = {
    # Pygments 2.21 lexer class: the longest block it highlights. Each was found growing faster
    # than linearly on some text (every lexer timed on runs of spaces, tabs, letters, short lines;
    # tests/fixtures/pathological/cases.txt holds the inputs); each limit keeps the worst case near
    # 0.2 s. Beyond it, the block is shown as plain text.
    "SystemdLexer": 500,  # cubic on runs of spaces: `([^=]+)([ \t]*)(=)` from every column
    "XppLexer": 400,  # quadratic on short lines, with a large constant
    "CSharpLexer": 800,  # quadratic on short lines
    "NemerleLexer": 800,  # quadratic on short lines
    "AutoItLexer": 800,  # quadratic on runs of spaces
    "FantomLexer": 1000,  # quadratic on runs of letters
    "TerraformLexer": 1200,  # quadratic on runs of letters
}


def highlight_limit(lexer: Lexer) -> int:
    """The longest block ``lexer`` highlights (see :data:`SLOW_LEXER_CHARS`)."""
    return SLOW_LEXER_CHARS.get(type(lexer).__name__, MAX_HIGHLIGHT_CHARS)


def _highlight(code: str, lang: str) -> str:
    lexer = _lexer(lang) if lang else None
    if lexer is None or len(code) > highlight_limit(lexer):
        return ""  # plain: markdown-it escapes the code into <pre><code class="language-…">
    from pygments import highlight

    # Start with "<pre" so markdown-it uses it as the whole block instead of
    # wrapping it in another <pre><code> (a <div> inside <pre> is invalid HTML).
    body = highlight(code, lexer, _formatter())
    return f'<pre class="highlight"><code class="language-{escapeHtml(lang)}">{body}</code></pre>\n'


def highlight_code(code: str, lang: str, _attrs: str) -> str:
    """Pygments HTML for a fenced block with a known language, else "" (plain)."""
    if not lang:
        return ""
    store = _Highlights.store
    if store is None:
        return _highlight(code, lang)
    key = hashlib.sha256(f"{lang}\0{code}".encode()).hexdigest()
    _Highlights.used.append(key)
    html = store.get("code", key)
    if not isinstance(html, str):
        html = _highlight(code, lang)
        store.put("code", key, html)
    return html


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


_OURS: WeakSet[MarkdownIt] = WeakSet()
"""Parsers made by :func:`make_parser`: the only ones :func:`_plain_html` knows the rules of."""


def focusable_pre(html: str, lang: str) -> str:
    """Make the ``<pre>`` that starts ``html`` a named keyboard stop.

    Code keeps its lines, so a long line scrolls the block sideways (on a phone, most lines
    are long); a scrolling region that the keyboard cannot reach is an axe
    ``scrollable-region-focusable`` failure. ``tabindex="0"`` lets keyboard users focus it and
    scroll it with the arrow keys, and a focusable element needs a name, given by
    ``role="group"`` and ``aria-label``. ``group`` rather than ``region``: a named region is a
    landmark, and axe wants landmark names unique, which several blocks on a page are not.
    """
    if not html.startswith("<pre"):
        return html
    # English here; the render stage words it in the site's language (i18n.Words.code_labels).
    label = N_("Code: %(language)s") % {"language": lang} if lang else N_("Code")
    return f'<pre tabindex="0" role="group" aria-label="{escapeHtml(label)}"' + html[len("<pre"):]


def _code_rule(default: Callable[..., str]) -> Callable[..., str]:
    def rule(self: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        info = tokens[idx].info.strip()
        lang = info.split(maxsplit=1)[0] if info else ""
        return focusable_pre(default(self, tokens, idx, options, env), lang)

    return rule


def make_parser() -> MarkdownIt:
    """The Markdown parser every text block goes through."""
    md = MarkdownIt("commonmark", {"html": False, "highlight": highlight_code, "linkify": True})
    md.enable(["table", "strikethrough", "linkify"])
    assert md.linkify is not None  # made by markdown-it for the "linkify" option
    configure_linkify(md.linkify)  # bare https:// addresses become links; no fuzzy guessing
    md.validateLink = validate_link  # type: ignore[method-assign]
    md.use(annotations_plugin)
    md.add_render_rule("link_open", _link_open)
    # Fenced and indented code: see focusable_pre.
    md.add_render_rule("fence", _code_rule(RendererHTML.fence))
    md.add_render_rule("code_block", _code_rule(RendererHTML.code_block))
    _OURS.add(md)
    return md


# Characters that mean something to some inline rule of our parser (escape, code, emphasis,
# strikethrough, link, image label, span, autolink, entity, table cell), and the controls and
# line separators that normalisation or the block parser may treat specially.
_MARKUP = re.compile(r"[\\`*_~\[\]<&|\x00-\x1f\x7f-\x9f\u2028\u2029]")
# What may open another block than a paragraph at the start of a line: heading, quote, list,
# thematic break, setext underline, fence, HTML, reference, table, indented code.
_BLOCK_START = re.compile(r"[#>+\-*_=~`<\[|]|\d+[.)]|\s")


def _plain_html(md: MarkdownIt, text: str) -> str | None:
    """``md.render(text)`` for plain prose, without parsing it; None for anything else.

    Plain prose is one or more one-line paragraphs separated by single blank lines (maybe one
    final line break), none starting like another block, none holding a character from
    :data:`_MARKUP` or surrounding whitespace. markdown-it makes each such line one paragraph
    of one text token, which renders as ``<p>`` + escaped text + ``</p>``. Most reader comments
    are such prose, and parsing costs far more than this check. Typographer would change the
    text, so only parsers from :func:`make_parser` that still have it off qualify; a paragraph
    that may hold a bare address for linkify (its quick pretest) is parsed.
    """
    if md not in _OURS or md.options.get("typographer"):
        return None
    paragraphs = (text[:-1] if text.endswith("\n") else text).split("\n\n")
    for paragraph in paragraphs:
        if not paragraph or paragraph != paragraph.strip() or _BLOCK_START.match(paragraph):
            return None
        if _MARKUP.search(paragraph) or (md.linkify is not None and md.linkify.pretest(paragraph)):
            return None
    return "".join(f"<p>{escapeHtml(paragraph)}</p>\n" for paragraph in paragraphs)


def render_block(
    md: MarkdownIt,
    block: TextBlock,
    *,
    user_content: bool = False,
    note_html: Callable[[SpanRecord], str] | None = None,
) -> RenderedText:
    """Render one text block; ``user_content`` marks links as reader-written."""
    plain = _plain_html(md, block.text)
    if plain is not None:
        return RenderedText(plain, (), ())  # no span, so nothing for the env to collect
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


def render_note_body(md: MarkdownIt, body: TextBlock) -> tuple[str, str]:
    """A note body as block HTML (the list of notes) and as phrasing HTML (the margin note).

    The phrasing form is each paragraph (text between blank lines) rendered inline, joined
    with spaces. When every paragraph is one plain line that the block render made into one
    ``<p>`` (the usual note), those ``<p>`` contents are exactly that, so they are reused
    instead of parsing the text a second time.
    """
    rendered = render_block(md, body)
    pieces = body.text.split("\n\n")
    paragraphs = [p for p in pieces if p.strip()]
    inline = _paragraph_contents(rendered, pieces, paragraphs)
    if inline is None:
        inline = [render_inline(md, p) for p in paragraphs]
    return rendered.html, " ".join(inline)


def _paragraph_contents(rendered: RenderedText, pieces: list[str], paragraphs: list[str]) -> list[str] | None:
    """The ``<p>`` contents of ``rendered`` if it is one ``<p>`` per paragraph, each parsed alone, else None."""
    html = rendered.html
    if not paragraphs or not (html.startswith("<p>") and html.endswith("</p>\n")):
        return None
    # A piece left out must be empty (a blank line): some whitespace, like U+001F, still makes a paragraph.
    if len(paragraphs) + pieces.count("") != len(pieces):
        return None
    # A line with surrounding whitespace or a break is parsed differently inline (kept spaces, a softbreak).
    if any("\n" in p or "\r" in p or p != p.strip() for p in paragraphs):
        return None
    # One env for all paragraphs: a span id used twice is an error here, not when parsed one by one.
    if len(paragraphs) > 1 and (rendered.spans or rendered.problems):
        return None
    # Raw HTML is off, so "</p>" cannot come from the text; any other block (a heading, a list, a
    # fence, a reference definition) would leave a paragraph without its own <p>.
    contents = html[3:-5].split("</p>\n<p>")
    return contents if len(contents) == len(paragraphs) else None


def pygments_css() -> str:
    """Highlighting colours for light and dark schemes."""
    from pygments.formatters import HtmlFormatter

    # Pygments' formatter methods are untyped; the result is CSS text.
    light = str(HtmlFormatter(style="default").get_style_defs(".highlight"))  # type: ignore[no-untyped-call]
    dark = str(HtmlFormatter(style="monokai").get_style_defs(".highlight"))  # type: ignore[no-untyped-call]
    return f"{_translucent(light)}\n@media (prefers-color-scheme: dark) {{\n{_translucent(dark)}\n}}\n"


_BLOCK_BACKGROUND = re.compile(r"^\.highlight \{ background: #([0-9a-fA-F]{6})", re.M)


def _translucent(css: str) -> str:
    """The code block's background at 99 % opacity, which looks the same.

    Chromium gives a scrolling box with an opaque background a compositing layer of its own, and
    headless Chromium then hangs taking a full-page screenshot of a tall page (an article with code
    and a long discussion: the browser tests' screenshots timed out); a translucent one is painted
    with the page.
    """

    def rgba(match: re.Match[str]) -> str:
        red, green, blue = (int(match.group(1)[i: i + 2], 16) for i in (0, 2, 4))
        return f".highlight {{ background: rgba({red}, {green}, {blue}, 0.99)"

    return _BLOCK_BACKGROUND.sub(rgba, css)


def plain_code_warnings(md: MarkdownIt, body: TextBlock, path: str) -> list[str]:
    """A located warning for each fenced block too long to highlight (shown as plain text instead)."""
    if "```" not in body.text and "~~~" not in body.text:
        return []
    warnings = []
    for token in md.parse(body.text):
        lang = token.info.strip().split(maxsplit=1)[0] if token.type == "fence" and token.info.strip() else ""
        lexer = _lexer(lang) if lang else None
        if lexer is None or token.map is None or len(token.content) <= highlight_limit(lexer):
            continue
        warnings.append(GlossError(
            f"warning: this {lang} block is {len(token.content):,} characters, more than the "
            f"{highlight_limit(lexer):,} Gloss highlights for {lang}; it is shown as plain text",
            SourceLocation(path, body.line + token.map[0], body.indent + 1),
            "split the block, or tag it ```text to say plain text is meant",
        ).format())
    return warnings
