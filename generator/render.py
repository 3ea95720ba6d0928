"""Render stage: the site model becomes a list of output files, in memory.

No disk writes here (``write.py`` does that). Templates run with autoescape
and ``StrictUndefined``; a template error becomes a :class:`GlossError` naming
the template file and line. A site's own ``templates/`` folder overrides any
built-in template by name. Static assets get content-hashed names so hosts
can cache them forever; every link a page makes is relative to that page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .errors import GlossError, SourceLocation
from .slugs import slugify
from .site import NOTE_MARKER, ArticlePage, NoteView, Site, Tag

_MARKER = re.compile(re.escape(NOTE_MARKER).replace(r"\{id\}", r"([A-Za-z0-9_-]+)"))


@dataclass(frozen=True, slots=True)
class OutputFile:
    """One file of the built site."""

    path: str
    """POSIX path relative to the output folder, e.g. ``articles/x/index.html``."""
    data: bytes
    """Its exact bytes."""


def hashed_name(name: str, data: bytes) -> str:
    """``style.css`` → ``style.1a2b3c4d5e.css``: a new name whenever the bytes change."""
    stem, dot, ext = name.rpartition(".")
    digest = hashlib.sha256(data).hexdigest()[:10]
    return f"{stem}.{digest}.{ext}" if dot else f"{name}.{digest}"


def format_date(value: str | None, with_time: bool = True) -> str:
    """``2024-06-18T20:25`` → ``18 June 2024, 20:25`` (locale-free, so builds match)."""
    if not value:
        return ""
    parsed = dt.datetime.fromisoformat(value)
    months = (
        "January February March April May June July August September October November December"
    ).split()
    text = f"{parsed.day} {months[parsed.month - 1]} {parsed.year}"
    if with_time and "T" in value:
        text += f", {parsed.hour:02d}:{parsed.minute:02d}"
    return text


def make_environment(template_dirs: Sequence[Path]) -> jinja2.Environment:
    """Jinja with the site's templates first, then the built-in ones."""
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(d)) for d in template_dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["date"] = format_date
    env.filters["tag_slug"] = slugify
    return env


def template_error(exc: Exception, template_dirs: Sequence[Path]) -> GlossError:
    """A located error for a template that fails to compile or to render."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        path = exc.filename or exc.name or "<template>"
        return GlossError(
            f"template syntax error: {exc.message}",
            SourceLocation(_shown(path), exc.lineno or 1, 1),
            "check the {% %} and {{ }} tags on this line",
            exc.source.splitlines()[exc.lineno - 1] if exc.source and exc.lineno else None,
        )
    if isinstance(exc, jinja2.TemplateNotFound):
        return GlossError(
            f"template not found: {exc.name}",
            SourceLocation("templates", 1, 1),
            "add the template to templates/ or fix the name in the {% extends %}/{% include %}",
        )
    # Jinja rewrites tracebacks so template frames carry the template file and line.
    frames = [
        f for f in traceback.extract_tb(exc.__traceback__)
        if any(f.filename.startswith(str(d)) for d in template_dirs)
    ]
    frame = frames[-1] if frames else None
    hint = "define it, or guard it with {% if x is defined %}"
    if not isinstance(exc, jinja2.UndefinedError):
        hint = "check the expression on this line"
    return GlossError(
        f"template error: {exc}",
        SourceLocation(_shown(frame.filename) if frame else "templates", frame.lineno if frame and frame.lineno else 1, 1),
        hint,
        frame.line if frame else None,
    )


def _shown(path: str) -> str:
    """A template path as the user knows it: relative to the working folder when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return path


class Renderer:
    """Renders every page of a site into :class:`OutputFile` objects."""

    def __init__(self, env: jinja2.Environment, site: Site, assets: Mapping[str, bytes]) -> None:
        self.env = env
        self.site = site
        self.asset_names = {name: f"static/{hashed_name(name, data)}" for name, data in assets.items()}
        self.assets = assets

    def page(self, template: str, path: str, **context: Any) -> OutputFile:
        """Render ``template`` to ``path`` with links made relative to it."""
        depth = path.count("/")
        root = "../" * depth

        def url(target: str) -> str:
            # "" is the site root; links name index.html so file:// works too.
            target = target + "index.html" if target == "" or target.endswith("/") else target
            return root + target

        def asset(name: str) -> str:
            return root + self.asset_names[name]

        def absolute(target: str) -> str:
            return self.site.config.base_url + target if self.site.config.base_url else ""

        html = self.env.get_template(template).render(
            site=self.site, url=url, asset=asset, absolute=absolute, page_path=path,
            with_notes=self._note_filler(), **context
        )
        return OutputFile(path, html.encode("utf-8"))

    def _note_filler(self) -> Callable[[str, Sequence[NoteView]], Markup]:
        macro = self.env.get_template("_note.html").module.margin_note  # type: ignore[attr-defined]

        def fill(html: str, notes: Sequence[NoteView]) -> Markup:
            by_id = {note.id: note for note in notes}
            return Markup(_MARKER.sub(lambda m: str(macro(by_id[m.group(1)])) if m.group(1) in by_id else "", html))

        return fill

    def render(self) -> list[OutputFile]:
        """All pages and assets, sorted by path so output order never varies."""
        site = self.site
        files = [self.page("index.html", "index.html", articles=site.articles)]
        for article in site.articles:
            files.append(self._article(article))
        for tag in site.tags:
            files.append(self._tag(tag))
        for name, data in self.assets.items():
            files.append(OutputFile(self.asset_names[name], data))
        files.sort(key=lambda f: f.path)
        return files

    def _article(self, page: ArticlePage) -> OutputFile:
        return self.page("article.html", page.url + "index.html", page=page)

    def _tag(self, tag: Tag) -> OutputFile:
        return self.page("tag.html", f"tags/{tag.slug}/index.html", tag=tag)


def render_site(
    site: Site, template_dirs: Sequence[Path], assets: Mapping[str, bytes]
) -> list[OutputFile]:
    """Render the whole site; template problems become located errors."""
    env = make_environment(template_dirs)
    try:
        return Renderer(env, site, assets).render()
    except jinja2.TemplateError as exc:
        raise template_error(exc, template_dirs) from exc
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        raise template_error(exc, template_dirs) from exc

