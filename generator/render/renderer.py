"""Render stage: the site model becomes a list of output files, in memory.

No disk writes here (``write.py`` does that). Templates run with autoescape
and ``StrictUndefined``; a template error becomes a :class:`GlossError` naming
the template file and line. A site's own ``templates/`` folder overrides any
built-in template by name. Static assets and content images get
content-hashed names so hosts can cache them forever; every link a page makes
is relative to that page (``404.html`` is the one exception: see
:meth:`Renderer.page`).

The pages: ``index.html`` and ``page/N/index.html`` (20 articles each),
``articles/<slug>/``, ``tags/`` and ``tags/<tag>/``, ``claims/`` with its
static filter pages (``listing.py``), ``search/``, ``404.html``, then
``feed.xml`` and ``sitemap.xml`` (``feeds.py``) and ``robots.txt``.
"""

from __future__ import annotations

import base64
import hashlib
import re
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup, escape

from ..common.errors import GlossError, SourceLocation, raise_all
from ..common.output_file import OutputFile
from ..common.translatable import N_
from ..common.slugs import tag_slug
from ..common.textfile import decode_raw, shown_path
from ..site.article_page import NOTE_MARKER, ArticlePage
from ..site.notes import NoteView
from ..site.listing import claim_entries, claim_filters, claims_pages, paginate
from ..site.media import missing_images, rewrite_media
from ..site.site_model import LISTED_BY, ArticleSummary, Site
from ..site.translations import Translation
from .feeds import SITEMAP_READS, feed_content, feed_xml, sitemap_xml
from .i18n import SOURCE_LANGUAGE, Voice, localise, voice
from .note_places import place_notes, spans_as_labels

_MARKER = re.compile(re.escape(NOTE_MARKER).replace(r"\{id\}", r"([A-Za-z0-9_-]+)"))

FEED_NOTE_TITLE = N_("%(kind)s: %(verdict)s")
"""The tooltip of a note's number in the feed (``fact check: Accurate``)."""

_URL_SAFE = "/#?&=:;,+!$'()*@~%"
"""Reserved characters a link target keeps as they are; non-ASCII (a tag in any script) is percent-encoded."""


def hashed_name(name: str, data: bytes, sha256: str | None = None) -> str:
    """``style.css`` → ``style.1a2b3c4d5e.css``: a new name whenever the bytes change.

    ``sha256`` is the bytes' hex digest when the caller already has it (``data`` is then unused)."""
    stem, dot, ext = name.rpartition(".")
    digest = (sha256 or hashlib.sha256(data).hexdigest())[:10]
    return f"{stem}.{digest}.{ext}" if dot else f"{name}.{digest}"


def csp_hash(text: str) -> str:
    """The CSP source (``sha256-…``) that allows exactly this inline ``<style>`` or ``<script>`` text."""
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


BUILTIN_PREFIX = "gloss"
"""``{% extends "gloss/article.html" %}`` names the built-in template even where the site has its own
``article.html``: a theme replaces one block and inherits the rest (as Hugo and Zola themes do)."""


def make_environment(template_dirs: Sequence[Path], bytecode_cache: jinja2.BytecodeCache | None = None
                     ) -> jinja2.Environment:
    """Jinja with the site's templates first, then the built-in ones (``bytecode_cache``: see ``build/theme.py``).

    The last folder is the built-in one; it is also reachable as ``gloss/<name>``.
    """
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(str(d)) for d in template_dirs]
    if template_dirs:
        loaders.append(jinja2.PrefixLoader({BUILTIN_PREFIX: jinja2.FileSystemLoader(str(template_dirs[-1]))}))
    env = jinja2.Environment(
        extensions=["jinja2.ext.i18n"],
        loader=jinja2.ChoiceLoader(loaders),
        bytecode_cache=bytecode_cache,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # Renderer localises again for the site's language; this also gives article.html its
    # {{ page | json_ld(site.config) }} filter.
    localise(env, SOURCE_LANGUAGE)
    env.filters["tag_slug"] = tag_slug
    return env


def template_error(exc: Exception, template_dirs: Sequence[Path]) -> GlossError:
    """A located error for a template that fails to compile or to render."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        path = exc.filename or exc.name or "<template>"
        line = exc.source.splitlines()[exc.lineno - 1] if exc.source and 0 < exc.lineno <= exc.source.count("\n") + 1 else None
        return GlossError(
            f"template syntax error: {exc.message}",
            SourceLocation(shown_path(path), exc.lineno or 1, token_column(line, exc.message or "")),
            "check the {% %} and {{ }} tags on this line",
            line,
        )
    # Jinja rewrites tracebacks so template frames carry the template file and line.
    frames = [
        f for f in traceback.extract_tb(exc.__traceback__)
        if any(f.filename.startswith(str(d)) for d in template_dirs)
    ]
    frame = frames[-1] if frames else None
    if isinstance(exc, jinja2.TemplateNotFound):
        # Located at the {% include %}/{% extends %} that names it, when a template does.
        line = _template_line(frame.filename, frame.lineno) if frame and frame.lineno else None
        return GlossError(
            f"template not found: {exc.name}",
            SourceLocation(shown_path(frame.filename), frame.lineno or 1, token_column(line, f"'{exc.name}'"))
            if frame else SourceLocation("templates", 1, 1),
            "add the template to templates/ or fix the name in the {% extends %}/{% include %}",
        )
    if isinstance(exc, UnicodeDecodeError):
        # Raised while the loader reads a template file: name that file and the bad byte.
        for tb_frame, _ in traceback.walk_tb(exc.__traceback__):
            filename = tb_frame.f_locals.get("filename")
            if isinstance(filename, str) and Path(filename).is_file():
                try:
                    decode_raw(Path(filename).read_bytes(), shown_path(filename))
                except GlossError as located:
                    return located
    hint = "define it, or guard it with {% if x is defined %}"
    if not isinstance(exc, jinja2.UndefinedError):
        hint = "check the expression on this line"
    line = _template_line(frame.filename, frame.lineno) if frame and frame.lineno else None
    return GlossError(
        f"template error: {exc}",
        SourceLocation(shown_path(frame.filename) if frame else "templates", frame.lineno if frame and frame.lineno else 1,
                       token_column(line, str(exc))),
        hint,
        line,
    )


def _template_line(filename: str, lineno: int) -> str | None:
    """Line ``lineno`` of a template file as written (a traceback's copy is stripped of its indent)."""
    try:
        lines = Path(filename).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return lines[lineno - 1] if 0 < lineno <= len(lines) else None


_QUOTED = re.compile(r"'([^']+)'")


def token_column(line: str | None, message: str) -> int:
    """The 1-based column of the token a Jinja message names, in the template line it names.

    Jinja reports lines but no columns; its messages quote the offending name or token
    (``'titel' is undefined``, ``no filter named 'shout'``, ``unknown tag 'endfo'``, ``got 'x'``),
    so the last quoted word found in the line is where to look. Else the line's first tag, else 1.
    """
    if not line:
        return 1
    for token in reversed(_QUOTED.findall(message)):
        found = re.search(r"(?<![\w.])" + re.escape(token) + r"(?!\w)", line) if token[-1:].isalnum() else None
        at = found.start() if found else line.find(token)
        if at >= 0:
            return at + 1
    tag = re.search(r"\{[{%#]", line)
    return tag.start() + 1 if tag else len(line) - len(line.lstrip()) + 1


@dataclass(frozen=True, slots=True)
class ListingPage:
    """One site-wide page to render, and what it shows (so a build can tell whether it changed)."""

    path: str
    """Where it goes in the output."""
    template: str
    """The template that renders it (``sitemap.xml`` is made by ``feeds.py``)."""
    context: dict[str, Any]
    """What the template gets besides the usual helpers."""
    shows: tuple[ArticleSummary, ...]
    """The articles whose summaries appear on it."""
    detail: tuple[str | int, ...]
    """Everything else it shows that depends on the articles (counts, tag names, page numbers), as
    plain values in a fixed order: the build hashes them into the page's key."""
    absolute_links: bool = False
    """Links from the site root (``404.html``: see :meth:`Renderer.page`)."""
    reads: tuple[str, ...] = LISTED_BY
    """The summary fields (``site_model.SUMMARY_FIELDS``) the code that chose and ordered ``shows`` and
    made ``context`` read of them; its template's reads are found in its syntax tree (``build/field_reads.py``)."""


class Renderer:
    """Renders the pages of a site into :class:`OutputFile` objects.

    ``site`` is the listing model (``site/site_model.py``); article pages are rendered one at a time from
    their :class:`ArticlePage` (:meth:`article`), the site-wide pages from the listing alone.
    """

    def __init__(
        self,
        env: jinja2.Environment,
        site: Site,
        assets: Mapping[str, bytes],
        media_names: Mapping[str, str] | None = None,
        search: bool = False,
    ) -> None:
        self.env = env
        self.site = site
        self.asset_names = {name: f"static/{hashed_name(name, data)}" for name, data in assets.items()}
        self.assets = assets
        self.media_names = dict(media_names or {})
        """Content images by content-relative path → output path (with a content hash in the name)."""
        self.search = search
        localise(env, site.config.language)
        self._voices: dict[str | None, Voice] = {}
        """What renders a page in each language met so far (None: the site's; :meth:`voice`)."""

    def voice(self, tag: str | None) -> Voice:
        """What renders a page in language ``tag``: an article's own, or (None) the site's."""
        found = self._voices.get(tag)
        if found is None:
            found = self._voices[tag] = voice(self.env, self.site.config.language, tag)
        return found

    def page(self, template: str, path: str, *, absolute_links: bool = False, language: str | None = None,
             **context: Any) -> OutputFile:
        """Render ``template`` to ``path`` with links made relative to it.

        ``absolute_links`` is for ``404.html``: hosts serve it at any missing
        URL, at any depth, so no relative link can be right; when base_url is
        known its links are absolute, otherwise relative to the site root.
        """
        base_url = self.site.config.base_url
        root = "../" * path.count("/")
        link_root = base_url if absolute_links and base_url else root
        index_name = "" if absolute_links and base_url else "index.html"

        def url(target: str) -> str:
            # "" is the site root; links name index.html so file:// works too.
            target = target + index_name if target == "" or target.endswith("/") else target
            # Tag folders may be non-ASCII (tags/россия/): percent-encoded as UTF-8, as browsers
            # would, so the link is plain ASCII and still finds the folder from file:// too.
            return link_root + quote(target, safe=_URL_SAFE)

        def asset(name: str) -> str:
            # Always relative: an absolute asset would load from production in a local preview.
            return root + self.asset_names[name]

        def absolute(target: str) -> str:
            return base_url + target if base_url else ""

        folder = path[: -len("index.html")] if path.endswith("index.html") else path
        said = self.voice(language)  # ``language``: an article's own (None: the site's)
        html = said.env.get_template(template).render(
            site=self.site, url=url, asset=asset, absolute=absolute, page_path=path, page_folder=folder,
            search=self.search, with_notes=self._note_filler(root, said), inline_asset=self._inline_asset,
            csp_hash=csp_hash, **context
        )
        return OutputFile(path, html.encode("utf-8"))

    def _inline_asset(self, name: str) -> Markup:
        """A text asset to put inside ``<style>``; "</" is escaped so it cannot end the element."""
        return Markup(self.assets[name].decode("utf-8").replace("</", "<\\/"))

    def _note_filler(self, root: str, said: Voice) -> Callable[[str, Sequence[NoteView]], Markup]:
        module = said.env.get_template("_note.html").module
        inline_macro = module.margin_note  # type: ignore[attr-defined]
        drawer_macro = module.drawer_note  # type: ignore[attr-defined]

        by_notes: dict[int, dict[str, NoteView]] = {}

        def fill(html: str, notes: Sequence[NoteView]) -> Markup:
            # Called for the body and every comment of a page, with the same notes each time.
            by_id = by_notes.get(id(notes))
            if by_id is None:
                by_id = by_notes[id(notes)] = {note.id: note for note in notes}
            if self.media_names:
                html = rewrite_media(html, self.media_names, root)
            html = said.words.code_labels(html)
            if "<!--gloss-note:" not in html:
                return Markup(html)
            html = spans_as_labels(
                html, _MARKER, lambda i: f"verdict-{by_id[i].group.name}" if i in by_id else "")
            return Markup(place_notes(
                html, _MARKER,
                lambda i: str(inline_macro(by_id[i])) if i in by_id else "",
                lambda i: str(drawer_macro(by_id[i])) if i in by_id else "",
            ))

        return fill

    def feed_content(self, page: ArticlePage) -> str:
        """An article's body for the feed: images resolved, notes as numbered links to the page's
        notes, links absolute when ``base_url`` is known (``feeds.feed_content``)."""
        by_id = {note.id: note for note in page.notes}
        said = self.voice(page.article.language).words  # the entry is the article's text, in its language

        def marker(match: re.Match[str]) -> str:
            note = by_id.get(match.group(1))
            if note is None:
                return ""
            title = said.translated(FEED_NOTE_TITLE) % {
                "kind": said.translated(note.kind_info.label).lower(), "verdict": said.translated(note.verdict)}
            return (
                f'<sup><a href="#note-{note.id}" title="{escape(title)}">'
                f"[{note.number}]</a></sup>"
            )

        body = _MARKER.sub(marker, said.code_labels(rewrite_media(page.body_html, self.media_names, "../../")))
        return feed_content(self.site.config, page.url, body)

    def article(self, page: ArticlePage, translations: Sequence[Translation] = ()) -> OutputFile:
        """One article page, linking to its ``translations`` (``site/translations.py``; itself among them);
        raises a located error for an image it shows that is not there."""
        raise_all(missing_images((page,), self.media_names))
        return self.page("article.html", page.url + "index.html", language=page.article.language, page=page,
                         translations=tuple(translations))

    def listing(self) -> list[ListingPage]:
        """The site-wide pages (index, tags, claims, search, 404, sitemap, robots.txt), by path, each
        with what it shows; :meth:`render_listing` renders one."""
        site = self.site
        pages: list[ListingPage] = []
        for index in paginate(site.articles):
            pages.append(ListingPage(index.path + "index.html", "index.html",
                                     {"articles": index.articles, "pagination": index}, index.articles,
                                     (index.number, index.total)))
        tag_list = tuple(value for tag in site.tags for value in (tag.name, tag.slug, len(tag.articles)))
        tagged = _distinct(article for tag in site.tags for article in tag.articles)
        by_tag = (*LISTED_BY, "article.tags")  # the tags' lists are made from the articles' tags
        pages.append(ListingPage("tags/index.html", "tags.html", {"tags": site.tags}, tagged, tag_list,
                                 reads=by_tag))
        for tag in site.tags:
            pages.append(ListingPage(f"tags/{tag.slug}/index.html", "tag.html", {"tag": tag}, tag.articles,
                                     (tag.name, tag.slug), reads=by_tag))
        entries = claim_entries(site)
        kinds, verdicts = claim_filters(entries)
        counts = (*(value for f in kinds + verdicts for value in (f.value, f.count)), len(entries))
        for claims in claims_pages(entries):
            shown = _distinct(entry.page for entry in claims.entries)
            pages.append(ListingPage(claims.path + "index.html", "claims.html",
                                     {"claims": claims, "kinds": kinds, "verdicts": verdicts, "total": len(entries)},
                                     shown, (*counts, claims.number, claims.total),
                                     reads=(*LISTED_BY, "notes")))  # the entries, filters and counts
        pages.append(ListingPage("search/index.html", "search.html", {}, (), ()))
        html_paths = [p.path for p in pages] + [article.url + "index.html" for article in site.articles]
        pages.append(ListingPage("404.html", "404.html", {}, (), (), absolute_links=True))
        pages.append(ListingPage("sitemap.xml", "", {"html_paths": html_paths}, site.articles, tuple(html_paths),
                                 reads=(*LISTED_BY, *SITEMAP_READS)))
        pages.append(ListingPage("robots.txt", "robots.txt", {}, (), ()))
        pages.sort(key=lambda p: p.path)
        return pages

    def render_listing(self, page: ListingPage) -> OutputFile:
        """One page of :meth:`listing`."""
        if page.path == "sitemap.xml":
            return OutputFile(page.path, sitemap_xml(self.site, page.context["html_paths"]))
        return self.page(page.template, page.path, absolute_links=page.absolute_links, **page.context)

    def feed(self, contents: Mapping[str, str]) -> OutputFile:
        """``feed.xml``; ``contents`` holds :meth:`feed_content` of (at least) the feed's articles by URL."""
        return OutputFile("feed.xml", feed_xml(self.site, contents))

    def asset_files(self) -> list[OutputFile]:
        """The static assets under their hashed names."""
        return [OutputFile(self.asset_names[name], data) for name, data in self.assets.items()]


def _distinct(summaries: Iterable[ArticleSummary]) -> tuple[ArticleSummary, ...]:
    """Each summary once, in first-seen order (by identity: hashing a summary walks all its notes)."""
    return tuple({id(s): s for s in summaries}.values())


@contextmanager
def located(template_dirs: Sequence[Path]) -> Iterator[None]:
    """Turn whatever rendering raises into a :class:`GlossError` naming the template file and line."""
    try:
        yield
    except GlossError:
        raise
    except jinja2.TemplateError as exc:
        raise template_error(exc, template_dirs) from exc
    except (TypeError, ValueError, AttributeError, KeyError, UnicodeDecodeError) as exc:
        raise template_error(exc, template_dirs) from exc
