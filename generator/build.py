"""Orchestration: read inputs (the only file reads of a build), run the stages, write.

content → markdown → site model → render → write. Every problem from every
content file is collected before anything is rendered, and nothing is written
unless rendering the whole site succeeded, so a failed build leaves the
previous ``output/`` exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .config import SiteConfig, parse_config, with_base_url
from .content import parse_article
from .errors import GlossError, GlossErrors, SourceLocation, flatten, raise_all
from .textfile import decode_raw
from .markdown import make_parser, pygments_css
from .model import Article
from .feeds import base_url_warning
from .media import load_media
from .render import render_site
from .search import MISSING_HINT, find_pagefind, search_index
from .site import ArticlePage, Site, article_page, build_site
from .write import WriteStats, write_output


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """What ``gloss build`` was asked to do."""

    root: Path
    """The site root: holds ``content/``, optional ``templates/`` and ``site.yaml``."""
    content: Path
    """Folder of content files."""
    output: Path
    """Folder the site is written to."""
    base_url: str | None = None
    """Overrides ``site.yaml``'s base_url when given."""
    drafts: bool = False
    """Include articles marked ``draft: true``."""
    search: bool = False
    """Add a Pagefind search index when Pagefind is installed (the CLI turns it on; see search.py)."""


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a build made."""

    site: Site
    """The model that was rendered."""
    stats: WriteStats
    """How many files changed."""
    warnings: tuple[str, ...] = ()
    """Things the user should know although the build succeeded (printed on stderr by the CLI)."""


def builtin_templates() -> Path:
    """The templates that ship with Gloss (inside the wheel, or beside the package)."""
    here = Path(__file__).resolve().parent
    packaged = here / "templates"
    return packaged if packaged.is_dir() else here.parent / "templates"


def template_dirs(root: Path) -> list[Path]:
    """The site's own templates first, so they override built-ins by name."""
    dirs = []
    own = (root / "templates").resolve()
    if own.is_dir():
        dirs.append(own)
    builtin = builtin_templates()
    if builtin not in dirs:
        dirs.append(builtin)
    return dirs


def shown_path(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def read_text(path: Path) -> str:
    """A user file as text, with a located error for bytes that are not UTF-8."""
    return decode_raw(path.read_bytes(), shown_path(path))


def load_config(root: Path, base_url: str | None = None) -> SiteConfig:
    """``site.yaml`` if present, else defaults; ``base_url`` overrides."""
    path = root / "site.yaml"
    config = parse_config(read_text(path), shown_path(path)) if path.is_file() else SiteConfig()
    return with_base_url(config, base_url)


def content_files(content: Path) -> list[Path]:
    """Content files in a stable order."""
    if not content.is_dir():
        raise GlossError(
            "content folder not found",
            SourceLocation(shown_path(content), 1, 1),
            "run gloss from the site root, or pass --content DIR",
        )
    return sorted(p for p in content.glob("*.md") if p.is_file())


def load_articles(content: Path) -> list[Article]:
    """Parse every content file, collecting every file's problems."""
    articles: list[Article] = []
    flawed: list[Article] = []
    errors: list[GlossError] = []
    for path in content_files(content):
        try:
            problems: list[GlossError] = []
            article = parse_article(read_text(path), shown_path(path), path.stem, problems)
        except (GlossError, GlossErrors) as exc:
            errors.extend(flatten(exc))
            continue
        (flawed if problems else articles).append(article)
        errors.extend(problems)
    if errors:
        # Spans and notes of files with front-matter problems are checked too, so one run
        # lists every error (a misspelled note id beside a bad rating, say).
        try:
            load_pages(flawed + articles)
        except (GlossError, GlossErrors) as exc:
            errors.extend(flatten(exc))
    raise_all(errors)
    return articles


def load_pages(articles: list[Article]) -> list[ArticlePage]:
    """Render Markdown and cross-check notes, for all articles, collecting problems."""
    md = make_parser()
    pages: list[ArticlePage] = []
    errors: list[GlossError] = []
    for article in articles:
        try:
            pages.append(article_page(md, article))
        except (GlossError, GlossErrors) as exc:
            errors.extend(flatten(exc))
    raise_all(errors)
    return pages


def load_assets(dirs: list[Path]) -> dict[str, bytes]:
    """Static files from ``templates/static``; the site's own win by name."""
    assets: dict[str, bytes] = {}
    for folder in reversed(dirs):
        static = folder / "static"
        if static.is_dir():
            for path in sorted(static.rglob("*")):
                if path.is_file():
                    assets[path.relative_to(static).as_posix()] = path.read_bytes()
    if "style.css" in assets:
        # One stylesheet request: the theme, then code highlighting.
        assets["style.css"] += b"\n" + pygments_css().encode()
    return assets


def load_inputs(root: Path, content: Path, base_url: str | None = None) -> tuple[SiteConfig, list[ArticlePage]]:
    """``site.yaml`` and every content file, checked together so one run lists both files' problems."""
    errors: list[GlossError] = []
    config, pages = SiteConfig(), list[ArticlePage]()
    try:
        config = load_config(root, base_url)
    except (GlossError, GlossErrors) as exc:
        errors.extend(flatten(exc))
    try:
        pages = load_pages(load_articles(content))
    except (GlossError, GlossErrors) as exc:
        errors.extend(flatten(exc))
    raise_all(errors)
    return config, pages


def check(content: Path, root: Path) -> list[ArticlePage]:
    """Validate everything a build would (duplicate slugs too), without rendering or writing."""
    config, pages = load_inputs(root, content)
    build_site(config, pages, include_drafts=True)
    return pages


def build(options: BuildOptions) -> BuildResult:
    """Build the site; raises located errors and then writes nothing."""
    config, pages = load_inputs(options.root, options.content, options.base_url)
    site = build_site(config, pages, include_drafts=options.drafts)
    dirs = template_dirs(options.root)
    pagefind = find_pagefind() if options.search else None
    files = render_site(site, dirs, load_assets(dirs), load_media(options.content), search=pagefind is not None)
    if pagefind is not None:
        # Indexed before the write, so the new site (search index included) is swapped in at once.
        files += search_index(files, pagefind)
    warnings = (base_url_warning(config), MISSING_HINT if options.search and pagefind is None else None)
    return BuildResult(site, write_output(files, options.output), tuple(w for w in warnings if w))
