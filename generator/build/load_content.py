"""Build, content side: every content file parsed, every problem of every file collected.

The thorough path: ``check`` runs it, and a build runs it when some content
file failed in a worker, so that one run lists every problem of every file
(front matter, spans, notes) at its ``file:line:col``. Also the small readers
the CLI uses (``site.yaml``, one file as text).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..common.errors import GlossError, GlossErrors, flatten, raise_all
from ..common.textfile import decode_raw, shown_path
from ..content.config import SiteConfig, parse_config, with_base_url
from ..content.markdown import make_parser
from ..content.model import Article
from ..content.parse import parse_article
from ..site.article_page import ArticlePage, article_page
from ..site.site_model import check_tags
from ..site.translations import TranslationEntry
from .inputs import InputFile, Inputs
from .options import BuildOptions
from .slugs import check_unique_slugs
from .translations import check_translations
from .uptodate import prepare


def read_text(path: Path) -> str:
    """A user file as text, with a located error for bytes that are not UTF-8."""
    return decode_raw(path.read_bytes(), shown_path(path))


def load_config(root: Path, base_url: str | None = None) -> SiteConfig:
    """``site.yaml`` if present, else defaults; ``base_url`` overrides."""
    path = root / "site.yaml"
    config = parse_config(read_text(path), shown_path(path)) if path.is_file() else SiteConfig()
    return with_base_url(config, base_url)


def config_of(inputs: Inputs, base_url: str | None) -> SiteConfig:
    file = inputs.config
    if file is None:
        return with_base_url(SiteConfig(), base_url)
    shown = file.shown
    return with_base_url(parse_config(decode_raw(file.read(), shown), shown), base_url)


def load_articles(content: Path | Sequence[InputFile]) -> list[Article]:
    """Parse every content file (of a folder, or given), collecting every file's problems."""
    if isinstance(content, Path):
        found = sorted(p for p in content.glob("*.md") if p.is_file() and not p.name.startswith("."))
        content = [InputFile(str(p), p.name, shown_path(p), "", None) for p in found]
    files = content
    articles: list[Article] = []
    flawed: list[Article] = []
    errors: list[GlossError] = []
    for file in files:
        shown = file.shown
        try:
            problems: list[GlossError] = []
            article = parse_article(decode_raw(file.read(), shown), shown, file.stem, problems)
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


def check(content: Path, root: Path) -> list[ArticlePage]:
    """Validate everything a build would (duplicate slugs too), without rendering or writing."""
    prepared = prepare(BuildOptions(root=root, content=content, output=root / "output"))
    errors: list[GlossError] = []
    pages: list[ArticlePage] = []
    language = "en"
    try:
        language = config_of(prepared.inputs, None).language
    except (GlossError, GlossErrors) as exc:
        errors.extend(flatten(exc))
    try:
        pages = load_pages(load_articles(prepared.inputs.articles))
        files = {file.shown: file for file in prepared.inputs.articles}
        check_unique_slugs(((page.article.path, page.article.slug) for page in pages), files)
        check_tags(page.article for page in pages)
        check_translations([TranslationEntry(p.article.path, p.article.slug, p.article.language or language,
                                             p.article.translation_of, True) for p in pages], files)
    except (GlossError, GlossErrors) as exc:
        errors.extend(flatten(exc))
    raise_all(errors)
    return pages
