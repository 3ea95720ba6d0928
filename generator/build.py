"""Orchestration: read inputs (the only file reads of a build), run the stages, write.

content → markdown → site model → render → write. Every problem from every
content file is collected before anything is rendered, and nothing is written
unless rendering the whole site succeeded, so a failed build leaves the
previous ``output/`` exactly as it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markdown_it import MarkdownIt

from .cache import Cache, digest
from .config import SiteConfig, parse_config, with_base_url
from .content import parse_article
from .errors import GlossError, GlossErrors, SourceLocation, flatten, raise_all
from .textfile import decode_raw, shown_path
from .markdown import make_parser, pygments_css
from .model import Article
from .feeds import base_url_warning
from .media import load_media
from .parallel import ordered_map
from .render import Renderer, make_environment, render_site
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
    cache: Path | None = None
    """Build-cache folder (``cache.py``); None builds without one. The CLI passes ``<root>/.gloss-cache``."""


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


def load_inputs(
    root: Path, content: Path, base_url: str | None = None, cache: Cache | None = None
) -> tuple[SiteConfig, list[ArticlePage], dict[str, str]]:
    """``site.yaml`` and every content file, checked together so one run lists both files' problems.

    Also returns each article's cache key by its path (``cache.py``), for the rendered-page cache.
    """
    errors: list[GlossError] = []
    config, pages, keys = SiteConfig(), list[ArticlePage](), dict[str, str]()
    try:
        config = load_config(root, base_url)
    except (GlossError, GlossErrors) as exc:
        errors.extend(flatten(exc))
    try:
        pages, keys = load_pages_cached(content, cache or Cache(None))
    except (GlossError, GlossErrors) as exc:
        errors.extend(flatten(exc))
    raise_all(errors)
    return config, pages, keys


_md: MarkdownIt | None = None
"""This process's Markdown parser (forked workers inherit it)."""


def _parse(data: bytes, shown: str, stem: str) -> ArticlePage | None:
    """Parse + Markdown for one file; None if it has any problem (the serial path then reports them all)."""
    global _md
    _md = _md or make_parser()
    try:
        problems: list[GlossError] = []
        article = parse_article(decode_raw(data, shown), shown, stem, problems)
        return None if problems else article_page(_md, article)
    except (GlossError, GlossErrors):
        return None


def load_pages_cached(content: Path, cache: Cache) -> tuple[list[ArticlePage], dict[str, str]]:
    """Every content file's page, from the cache when its bytes were seen before, else parsed on all cores.

    The key is the file's bytes, path and the code (``cache.digest``), so a hit is exactly what parsing
    would give. Only files without problems are cached; cross-file checks (slugs) run on every build.
    """
    files = [(path, shown_path(path), path.read_bytes()) for path in content_files(content)]
    keys = [digest("article", shown, path.stem, data) for path, shown, data in files]
    pages: list[ArticlePage | None] = [cache.get("article", key) for key in keys]
    missing = [i for i, page in enumerate(pages) if page is None]

    def task(j: int) -> ArticlePage | None:
        path, shown, data = files[missing[j]]
        return _parse(data, shown, path.stem)

    if missing:
        parsed = ordered_map(task, len(missing)) or [task(j) for j in range(len(missing))]
        if any(page is None for page in parsed):
            # Some file has problems: the original all-files path collects and reports every one of them.
            load_pages(load_articles(content))
        for i, page in zip(missing, parsed):
            pages[i] = page
            cache.put("article", keys[i], page)
    cache.prune("article", keys)
    pairs = [(page, key) for page, key in zip(pages, keys) if page is not None]
    return [page for page, _ in pairs], {page.article.path: key for page, key in pairs}


def check(content: Path, root: Path) -> list[ArticlePage]:
    """Validate everything a build would (duplicate slugs too), without rendering or writing."""
    config, pages, _ = load_inputs(root, content)
    build_site(config, pages, include_drafts=True)
    return pages


_environments: dict[tuple[Path, ...], jinja2.Environment] = {}
"""One Jinja environment per template folder list and process: compiled templates are kept
(Jinja reloads a template whose file changed, so ``serve`` sees edits)."""


def environment(dirs: list[Path]) -> jinja2.Environment:
    return _environments.setdefault(tuple(dirs), make_environment(dirs))


_SITE_WIDE = re.compile(r"\bsite\b(?!\.config\b)")
_JINJA_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)


def render_key(site: Site, dirs: list[Path], renderer: Renderer, search: bool) -> str:
    """What a rendered article page depends on besides its own article.

    Templates (every file, bytes), config, asset and image names (which carry their
    content hashes) and the search option. A template that uses ``site`` for anything but
    ``site.config`` could list other articles on each page: then the key also covers
    every published article, so an edit re-renders every page (correct, if slower).
    """
    parts: list[bytes | str] = [repr(site.config), repr(sorted(renderer.asset_names.items())),
                                repr(sorted(renderer.media_names.items())), str(search)]
    site_wide = False
    for folder in dirs:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                data = path.read_bytes()
                parts += [str(path.relative_to(folder)), data]
                if not path.relative_to(folder).parts[0] == "static":
                    tags = _JINJA_TAG.findall(data.decode("utf-8", "replace"))
                    site_wide = site_wide or any(_SITE_WIDE.search(tag) for tag in tags)
    if site_wide:
        parts += [page.article.path + page.url for page in site.articles]
        parts += [repr(site.tags)]
    return digest("render", *parts)


def render_articles(site: Site, renderer: Renderer, key: str, article_keys: dict[str, str],
                    cache: Cache) -> dict[str, bytes]:
    """Article pages' bytes by path: from the rendered-page cache, else rendered on all cores.

    A page a worker could not render is left out; ``render_site`` then renders it in this
    process and reports the template error with its location.
    """
    done: dict[str, bytes] = {}
    todo: list[tuple[ArticlePage, str]] = []
    keys = []
    for page in site.articles:
        page_key = digest(article_keys.get(page.article.path, ""), key)
        keys.append(page_key)
        data = cache.get("page", page_key)
        if data is None:
            todo.append((page, page_key))
        else:
            done[page.url + "index.html"] = data

    def task(i: int) -> bytes | None:
        try:
            return renderer.article(todo[i][0]).data
        except Exception:  # re-raised, located, by the serial render
            return None

    rendered = ordered_map(task, len(todo)) or [task(i) for i in range(len(todo))]
    for (page, page_key), data in zip(todo, rendered):
        if data is not None:
            done[page.url + "index.html"] = data
            cache.put("page", page_key, data)
    cache.prune("page", keys)
    return done


def build(options: BuildOptions) -> BuildResult:
    """Build the site; raises located errors and then writes nothing."""
    cache = Cache(options.cache)
    config, pages, article_keys = load_inputs(options.root, options.content, options.base_url, cache)
    site = build_site(config, pages, include_drafts=options.drafts)
    dirs = template_dirs(options.root)
    pagefind = find_pagefind() if options.search else None
    search = pagefind is not None
    assets, media, env = load_assets(dirs), load_media(options.content), environment(dirs)
    renderer = Renderer(env, site, assets, media, search)
    try:
        key = render_key(site, dirs, renderer, search)
    except OSError:
        key = ""  # an unreadable template file: render_site reports it, located
    prerendered = render_articles(site, renderer, key, article_keys, cache) if key else {}
    # The other pages (index, tags, claims, feed, sitemap…) depend on every published article:
    # kept whole, under a key covering all of them, they make a build with no change render nothing.
    site_key = digest("site", key, str(options.drafts), *(article_keys.get(p.article.path, "") for p in site.articles))
    site_pages: dict[str, bytes] = (cache.get("site", site_key) if key else None) or {}
    files = render_site(site, dirs, assets, media, search=search, env=env, prerendered={**prerendered, **site_pages})
    if key and not site_pages:
        copied = set(renderer.asset_names.values()) | set(renderer.media_names.values()) | set(prerendered)
        cache.put("site", site_key, {f.path: f.data for f in files if f.path not in copied})
    cache.prune("site", [site_key])
    if pagefind is not None:
        # Indexed before the write, so the new site (search index included) is swapped in at once.
        files += search_index(files, pagefind)
    warnings = (base_url_warning(config), MISSING_HINT if options.search and pagefind is None else None)
    stats = write_output(files, options.output)
    cache.commit()
    return BuildResult(site, stats, tuple(w for w in warnings if w))
