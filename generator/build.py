"""Orchestration: read inputs (the only file reads of a build), run the stages, write.

content → markdown → site model → render → write. ``uptodate.py`` has already
scanned the inputs and decided there is work; this module does only the work
that the change calls for:

1. **Articles.** Every content file whose bytes are new is parsed and its page
   rendered, on all cores (``pages.py``). So is every article when the
   *render key* (templates, config, asset and image names, search) changed,
   from the parse cache. Other articles' pages stay as the output holds them.
2. **Listings.** The index, tag and claims pages, sitemap, search page, 404
   and robots.txt are rendered from the articles' summaries (``summary.py``),
   only when the summaries or the render key changed; the feed only when one
   of its newest articles changed.
3. **Write.** Everything goes into the tree being assembled (``write.py``),
   unchanged files as hard links, and the tree is swapped in at once.

Every problem from every content file is collected before anything is
rendered, and nothing is swapped in unless the whole site rendered, so a
failed build leaves the previous ``output/`` exactly as it was.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

import jinja2
import jinja2.bccache

from .cache import Cache, digest
from .config import SiteConfig, parse_config, with_base_url
from .content import parse_article
from .errors import GlossError, GlossErrors, flatten, raise_all
from .feeds import FEED_ENTRIES, base_url_warning
from .files import OutputFile
from .inputs import InputFile, Inputs
from .markdown import make_parser, pygments_css
from .model import Article
from .pages import ArticleDone, ArticleJob, load_page, parse_page, process, try_process
from .parallel import ordered_map
from .render import Renderer, hashed_name, located, make_environment
from .search import MISSING_HINT, search_index
from .site import ArticlePage, article_page
from .state import ArticleRecord, BuildState, OutputStamp, code_key, mark_spare_changing, save_state
from .summary import ArticleSummary, Site, build_site, check_slugs, summarise
from .textfile import decode_raw, shown_path
from .uptodate import (
    BuildOptions, BuildResult, Prepared, build_lock, builtin_templates, prepare, state_file, template_dirs,
)
from .write import Assembly

__all__ = ["BuildOptions", "BuildResult", "build", "check", "builtin_templates", "template_dirs", "load_config",
           "load_articles", "load_pages", "read_text"]

T = TypeVar("T")


def read_text(path: Path) -> str:
    """A user file as text, with a located error for bytes that are not UTF-8."""
    return decode_raw(path.read_bytes(), shown_path(path))


def load_config(root: Path, base_url: str | None = None) -> SiteConfig:
    """``site.yaml`` if present, else defaults; ``base_url`` overrides."""
    path = root / "site.yaml"
    config = parse_config(read_text(path), shown_path(path)) if path.is_file() else SiteConfig()
    return with_base_url(config, base_url)


def _config(inputs: Inputs, base_url: str | None) -> SiteConfig:
    file = inputs.config
    if file is None:
        return with_base_url(SiteConfig(), base_url)
    shown = file.shown
    return with_base_url(parse_config(decode_raw(file.read(), shown), shown), base_url)


def load_articles(content: Path | Sequence[InputFile]) -> list[Article]:
    """Parse every content file (of a folder, or given), collecting every file's problems."""
    if isinstance(content, Path):
        found = sorted(p for p in content.glob("*.md") if p.is_file() and not p.name.startswith("."))
        content = [InputFile(p, p.name, shown_path(p), "", None) for p in found]
    files = content
    articles: list[Article] = []
    flawed: list[Article] = []
    errors: list[GlossError] = []
    for file in files:
        shown = file.shown
        try:
            problems: list[GlossError] = []
            article = parse_article(decode_raw(file.read(), shown), shown, file.path.stem, problems)
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
    try:
        _config(prepared.inputs, None)
    except (GlossError, GlossErrors) as exc:
        errors.extend(flatten(exc))
    try:
        pages = load_pages(load_articles(prepared.inputs.articles))
        check_slugs((page.article.path, page.article.slug) for page in pages)
    except (GlossError, GlossErrors) as exc:
        errors.extend(flatten(exc))
    raise_all(errors)
    return pages


def load_assets(inputs: Inputs) -> dict[str, bytes]:
    """Static files from ``templates/static``; the site's own win by name."""
    assets: dict[str, bytes] = {}
    for folder in reversed(inputs.templates):
        for file in folder:
            if file.rel.startswith("static/"):
                assets[file.rel.removeprefix("static/")] = file.read()
    if "style.css" in assets:
        # One stylesheet request: the theme, then code highlighting.
        assets["style.css"] += b"\n" + pygments_css().encode()
    return dict(sorted(assets.items()))


def media_names(inputs: Inputs) -> dict[str, str]:
    """Content images by content-relative path → output name with a content hash."""
    return {file.rel: hashed_name(file.rel, b"", file.digest) for file in inputs.media}


class TemplateCache(jinja2.BytecodeCache):
    """Compiled templates kept in the build cache, so a new process need not compile them again
    (compiling is a good part of a small rebuild). Jinja checks each entry against its template's
    source; entries are written like every cache entry, only when the build succeeds."""

    def __init__(self) -> None:
        self.cache = Cache(None)
        """The current build's cache (set by each build)."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.cache.get("jinja", bucket.key)
        if isinstance(data, bytes):
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.cache.put("jinja", bucket.key, bucket.bytecode_to_string())


_environments: dict[tuple[Path, ...], jinja2.Environment] = {}
"""One Jinja environment per template folder list and process: compiled templates are kept
(Jinja reloads a template whose file changed, so ``serve`` sees edits)."""


def environment(dirs: Sequence[Path], cache: Cache) -> jinja2.Environment:
    key = tuple(dirs)
    if key not in _environments:
        _environments[key] = make_environment(dirs, TemplateCache())
    env = _environments[key]
    assert isinstance(env.bytecode_cache, TemplateCache)
    env.bytecode_cache.cache = cache
    return env


_SITE_WIDE = re.compile(r"\bsite\b(?!\.config\b)")
_JINJA_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)


def uses_listing(inputs: Inputs) -> bool:
    """True when a template uses ``site`` for more than ``site.config``.

    Then an article page may list other articles, and every page must be rendered again whenever
    any listing changes (correct, if slower). The built-in templates do not.
    """
    for folder in inputs.templates:
        for file in folder:
            if file.rel.endswith((".html", ".xml", ".txt")) and not file.rel.startswith("static/"):
                tags = _JINJA_TAG.findall(file.read().decode("utf-8", "replace"))
                if any(_SITE_WIDE.search(tag) for tag in tags):
                    return True
    return False


def render_key(config: SiteConfig, inputs: Inputs, renderer: Renderer, search: bool) -> str:
    """What every article page depends on besides its own article: templates (bytes), config,
    asset and image names (which carry their content hashes) and the search option."""
    parts = [repr(config), repr(sorted(renderer.asset_names.items())), repr(sorted(renderer.media_names.items())),
             str(search)]
    for folder in inputs.templates:
        parts += [f"{file.rel}:{file.digest}" for file in folder]
    return digest("render", *parts)


def _map(task: Callable[[int], T | None], count: int) -> list[T | None]:
    """``task`` over ``range(count)`` on all cores (serially when that is cheaper)."""
    results = ordered_map(task, count)
    return results if results is not None else [task(i) for i in range(count)]


class _Build:
    """One build's working set (the state it started from, the tree it assembles)."""

    def __init__(self, options: BuildOptions, prepared: Prepared) -> None:
        self.options = options
        self.prepared = prepared
        self.inputs = prepared.inputs
        self.state = prepared.state
        self.live = prepared.state.output if prepared.state is not None and prepared.live else None
        self.cache = Cache(options.cache)
        self.stamps: dict[str, OutputStamp] = {}
        self.written = 0

    def place(self, assembly: Assembly, file: OutputFile) -> None:
        stamp, wrote = assembly.put(file.path, file.data)
        self.stamps[file.path] = stamp
        self.written += wrote

    def keep(self, assembly: Assembly, paths: Sequence[str]) -> bool:
        """Keep the live files at ``paths`` unchanged; False when the live output lacks one."""
        if self.live is None or not paths or any(p not in self.live for p in paths):
            return False
        for path in paths:
            self.stamps[path] = assembly.keep(path)
        return True

    def run(self) -> BuildResult:
        options, inputs = self.options, self.inputs
        errors: list[GlossError] = []
        try:
            config = _config(inputs, options.base_url)
        except (GlossError, GlossErrors) as exc:
            errors.extend(flatten(exc))
            try:  # one run lists site.yaml's problems and every content file's
                load_articles(inputs.articles)
            except (GlossError, GlossErrors) as more:
                errors.extend(flatten(more))
            raise_all(errors)
        search = self.prepared.pagefind is not None
        dirs = list(self.prepared.template_dirs)
        env = environment(dirs, self.cache)
        assets = load_assets(inputs)
        listing_pages = uses_listing(inputs)
        renderer = Renderer(env, Site(config, (), ()), assets, media_names(inputs), search)
        key = render_key(config, inputs, renderer, search)
        previous = self.state.keys if self.state is not None else {}
        records = self.state.articles if self.state is not None else {}
        rerender_all = self.live is None or previous.get("render") != key or listing_pages

        jobs: list[ArticleJob] = []
        kept: dict[str, ArticleRecord] = {}
        for file in inputs.articles:
            shown = file.shown
            article_key = digest("article", shown, file.path.stem, file.digest)
            record = records.get(shown)
            if record is not None and record.key == article_key and not rerender_all and (
                (record.draft and not options.drafts)
                or (self.live is not None and f"articles/{record.slug}/index.html" in self.live)
            ):
                kept[shown] = record
            else:
                # Pages that list other articles are rendered once the listing is known (_assemble).
                jobs.append(ArticleJob(file, article_key, digest("feed", article_key, key), not listing_pages,
                                       options.drafts))

        spare = self.state.spare if self.state is not None and self.live is not None else None
        assembly = Assembly(options.output, self.live, spare, keep_spare=options.cache is not None)
        path = state_file(options)
        if assembly.reusing and path is not None:
            # The spare is about to change: a build killed from here on must not trust its record.
            mark_spare_changing(path)
        try:
            return self._assemble(assembly, config, renderer, key, jobs, kept, listing_pages)
        except BaseException:
            assembly.abort()
            self.cache.discard()
            raise

    def _articles(self, assembly: Assembly, renderer: Renderer, jobs: list[ArticleJob]) -> dict[str, ArticleDone]:
        """Process the jobs on all cores; a job that failed is redone here, where errors are raised."""
        if any(job.render for job in jobs):
            with located(list(self.prepared.template_dirs)):
                renderer.env.get_template("article.html")  # compiled once, before the workers fork

        def task(i: int) -> ArticleDone | None:
            return try_process(jobs[i], self.cache, renderer, assembly)

        done = _map(task, len(jobs))
        failed = [i for i, result in enumerate(done) if result is None]
        if failed:
            # Every content problem of every failed file at once, then the first template error.
            load_articles([jobs[i].file for i in failed])
            with located(list(self.prepared.template_dirs)):
                for i in failed:
                    done[i] = process(jobs[i], self.cache, renderer, assembly)
        results: dict[str, ArticleDone] = {}
        for job, result in zip(jobs, done):
            assert result is not None
            results[job.file.shown] = result
            if result.page is not None:
                path, stamp, wrote = result.page
                self.stamps[path] = stamp
                self.written += wrote
        return results

    def _summaries(self, records: dict[str, ArticleRecord], done: dict[str, ArticleDone],
                   wanted: Sequence[str]) -> list[ArticleSummary]:
        """The summaries of the articles ``wanted`` (shown paths): fresh ones, else from the cache,
        else parsed again (a cache entry that went missing)."""
        files = {f.shown: f for f in self.inputs.articles}
        found: list[ArticleSummary] = []
        for shown in wanted:
            if shown in done:
                found.append(done[shown].summary)
                continue
            summary = self.cache.get("summary", records[shown].key)
            if not isinstance(summary, ArticleSummary):
                summary = summarise(parse_page(files[shown]))
                self.cache.put("summary", records[shown].key, summary)
            found.append(summary)
        return found

    def _feed_contents(self, renderer: Renderer, records: dict[str, ArticleRecord], wanted: Sequence[str]) -> dict[str, str]:
        files = {f.shown: f for f in self.inputs.articles}
        contents: dict[str, str] = {}
        for shown in wanted:
            record = records[shown]
            content = self.cache.get("feed", record.feed_key)
            if not isinstance(content, str):
                content = renderer.feed_content(load_page(ArticleJob(files[shown], record.key, record.feed_key, False, False), self.cache))
                self.cache.put("feed", record.feed_key, content)
            contents[f"articles/{record.slug}/"] = content
        return contents

    def _listing(self, assembly: Assembly, renderer: Renderer, key: str, everything: str, digests: dict[int, str],
                 previous: dict[str, str]) -> dict[str, str]:
        """Render the site-wide pages whose content changed (on all cores); keep the others.

        A page's key covers the templates and config (``key``), what it shows besides articles, and the
        summaries of the articles it shows; ``everything`` is the whole listing's key when templates
        may show any article anywhere. Returns every listing page's key by path.
        """
        keys: dict[str, str] = {}
        todo = []
        for page in renderer.listing():
            keys[page.path] = digest("page", key, everything, page.path, page.detail,
                                     *(digests[id(summary)] for summary in page.shows))
            if previous.get(page.path) != keys[page.path] or not self.keep(assembly, [page.path]):
                todo.append(page)

        def task(i: int) -> OutputFile | None:
            try:
                return renderer.render_listing(todo[i])
            except Exception:  # re-raised, located, below
                return None

        rendered = _map(task, len(todo))
        with located(list(self.prepared.template_dirs)):
            for i, file in enumerate(rendered):
                self.place(assembly, file or renderer.render_listing(todo[i]))
        return keys

    def _assemble(self, assembly: Assembly, config: SiteConfig, renderer: Renderer, key: str,
                  jobs: list[ArticleJob], kept: dict[str, ArticleRecord], listing_pages: bool) -> BuildResult:
        options, previous = self.options, self.state.keys if self.state is not None else {}
        groups = self.state.groups if self.state is not None else {}
        dirs = list(self.prepared.template_dirs)
        done = self._articles(assembly, renderer, jobs)
        records: dict[str, ArticleRecord] = {}
        for job in jobs:
            shown = job.file.shown
            result = done[shown]
            article = result.summary.article
            records[shown] = ArticleRecord(job.key, job.feed_key, article.slug, article.draft, article.date,
                                           result.summary_digest, result.feed_digest)
        records.update(kept)
        order = [f.shown for f in self.inputs.articles]
        check_slugs((shown, records[shown].slug) for shown in order)
        for record in kept.values():
            if options.drafts or not record.draft:
                self.keep(assembly, [f"articles/{record.slug}/index.html"])
        published = newest_records(records, order, options.drafts)
        listing_key = digest("listing", key, str(options.drafts), *(records[s].summary_digest for s in order))
        newest = published[:FEED_ENTRIES]
        feed_key = digest("feed", listing_key, *(records[s].feed_digest for s in newest))

        site = None
        page_keys = self.state.page_keys if self.state is not None else {}
        if listing_pages or previous.get("listing") != listing_key or not self.keep(assembly, groups.get("listing", ())):
            summaries = self._summaries(records, done, order)
            site = build_site(config, summaries, include_drafts=options.drafts)
            renderer.site = site
            digests = {id(summary): records[shown].summary_digest for shown, summary in zip(order, summaries)}
            page_keys = self._listing(assembly, renderer, key, listing_key if listing_pages else "", digests, page_keys)
            groups = {**groups, "listing": tuple(page_keys)}
            if listing_pages:
                with located(dirs):
                    # Article pages that list other articles: rendered now that the listing is known.
                    for job in jobs:
                        if options.drafts or not records[job.file.shown].draft:
                            self.place(assembly, renderer.article(load_page(job, self.cache)))
        if previous.get("feed") != feed_key or not self.keep(assembly, ["feed.xml"]):
            feed_site = Site(config, tuple(self._summaries(records, done, newest)), ())
            renderer.site = site or feed_site
            self.place(assembly, renderer.feed(self._feed_contents(renderer, records, newest)))
        for file in renderer.asset_files():
            self.place(assembly, file)
        for media in self.inputs.media:
            name = renderer.media_names[media.rel]
            if not (self.live is not None and name in self.live and self.live[name].digest == media.digest
                    and self.keep(assembly, [name])):
                self.place(assembly, OutputFile(name, media.read()))
        keys = {"render": key, "listing": listing_key, "feed": feed_key}
        pagefind = self.prepared.pagefind
        if pagefind is not None:
            pages = sorted((p, s.digest) for p, s in self.stamps.items() if p.startswith("articles/"))
            keys["search"] = digest("search", str(pagefind), *(f"{p}:{d}" for p, d in pages))
            if previous.get("search") != keys["search"] or not self.keep(assembly, groups.get("search", ())):
                assembly.prune(set(self.stamps))  # removed articles must not be indexed
                bundle = search_index(assembly.tree, pagefind)
                for file in bundle:
                    self.place(assembly, file)
                groups = {**groups, "search": tuple(f.path for f in bundle)}
        warnings = tuple(w for w in (base_url_warning(config),
                                     MISSING_HINT if options.search and pagefind is None else None) if w)
        stats = assembly.commit(self.stamps, self.written)
        self._finish(records, keys, groups, page_keys, len(published), warnings)
        return BuildResult(len(published), stats, warnings)

    def _finish(self, records: dict[str, ArticleRecord], keys: dict[str, str], groups: dict[str, tuple[str, ...]],
                page_keys: dict[str, str], published: int, warnings: tuple[str, ...]) -> None:
        """Commit the cache and record this build for the next one."""
        self.cache.prune("article", [r.key for r in records.values()])
        self.cache.prune("summary", [r.key for r in records.values()])
        self.cache.prune("feed", [r.feed_key for r in records.values()])
        self.cache.commit()
        path = state_file(self.options)
        if path is None:
            return
        output = str(self.options.output.absolute())
        folders = {""}
        for rel in self.stamps:  # every folder of the new tree ("" is output/ itself)
            folder = rel.rpartition("/")[0]
            while folder not in folders:
                folders.add(folder)
                folder = folder.rpartition("/")[0]
        try:
            output_dirs = {f: _dir_stamp(os.path.join(output, f) if f else output) for f in folders}
        except OSError:
            save_state(path, None)
            return
        save_state(path, BuildState(
            code=code_key(), options=self.prepared.options_key, inputs=self.inputs.stamps,
            fingerprint=self.inputs.fingerprint(), articles=records, keys=keys, published=published,
            warnings=warnings, groups=groups, page_keys=page_keys, output=self.stamps, output_dirs=output_dirs, spare=self.live,
        ))


def _dir_stamp(path: str) -> tuple[int, int]:
    st = os.lstat(path)
    return st.st_mtime_ns, st.st_ino


def newest_records(records: dict[str, ArticleRecord], order: Sequence[str], drafts: bool) -> list[str]:
    """Shown paths of the published articles, newest first (as ``summary.newest_first`` orders them)."""
    shown = [s for s in order if drafts or not records[s].draft]
    shown.sort(key=lambda s: records[s].slug)
    shown.sort(key=lambda s: (records[s].date or "", records[s].slug), reverse=True)
    return shown


def build(options: BuildOptions, prepared: Prepared | None = None) -> BuildResult:
    """Build the site; raises located errors and then writes nothing.

    ``prepared`` is :func:`uptodate.prepare`'s answer when the caller already asked it, holding
    :func:`uptodate.build_lock` (so that no other build changed anything since).
    """
    with build_lock(options):
        prepared = prepared or prepare(options)
        if prepared.result is not None:
            return prepared.result
        return _Build(options, prepared).run()
