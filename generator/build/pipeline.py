"""Orchestration: run the stages over what changed, then write.

content → markdown → site model → render → write. ``uptodate.py`` has already
scanned the inputs (the only place a build looks at input files) and decided
there is work; ``load_content.py`` and ``theme.py`` prepare the content and the
templates; this module does only the work that the change calls for:

Every key comes from what the output declares it reads (``outputs.py``, ``keys.py``).

1. **Articles.** Every content file whose bytes are new is parsed and its page rendered, on all
   cores (``article_worker.py``); so is every article, from the parse cache, when what every page
   reads (``outputs.article_page``: its templates, settings, asset and image names) changed.
2. **Listings.** The index, tag and claims pages, sitemap, search page, 404 and robots.txt are
   rendered from the articles' summaries, each only when what it reads changed (``_listing``); the
   feed only when one of its newest articles changed; each shard of the search index when one of
   its article pages did (``search.py``).
3. **Write.** Everything goes into the tree being assembled (``write.py``),
   unchanged files as hard links, and the tree is swapped in at once.

Every problem from every content file is collected before anything is
rendered, and nothing is swapped in unless the whole site rendered, so a
failed build leaves the previous ``output/`` exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TypeVar

from ..common.errors import GlossError, GlossErrors, SourceLocation, flatten, raise_all
from ..common.output_file import OutputFile
from ..common.textfile import shown_path
from ..content.config import SiteConfig
from ..render.feeds import FEED_ENTRIES, FEED_READS, base_url_warning
from ..render.i18n import language_warnings
from ..render.renderer import Renderer, located
from ..site.site_model import ArticleSummary, Site, build_site, newest_first, summarise
from .article_worker import (
    ArticleDone,
    ArticleJob,
    feed_contents,
    load_page,
    parse_page,
    process,
    try_process,
)
from . import progress
from .cache import Cache
from .guard import STAMP, STAMP_BYTES
from . import outputs
from .keys import World, key, reads_listing
from .leftovers import scratch_folder
from .load_content import (
    check,
    config_of,
    load_articles,
    load_config,
    load_pages,
    read_text,
)
from .options import BuildOptions, BuildResult, build_lock
from .parallel import ordered_map
from .search import MISSING_HINT, indexed, update_index
from .slugs import check_unique_slugs
from .translations import settle_translations
from .state import (
    ArticleRecord,
    BuildState,
    OutputStamp,
    code_key,
    folder_stamps,
    mark_spare_changing,
    save_state,
)
from .theme import environment, key_world, load_assets, media_names
from .uptodate import Prepared, builtin_templates, check_writable, prepare, state_file, template_dirs
from .write import Assembly, set_aside, spare_path

# The names tests and the CLI import from here; the work is done in the modules above.
__all__ = ["BuildOptions", "BuildResult", "build", "check", "builtin_templates", "template_dirs", "load_config",
           "load_articles", "load_pages", "read_text"]

T = TypeVar("T")


def _map(task: Callable[[int], T | None], count: int, done: Callable[[T | None], None]) -> list[T | None]:
    """``task`` over ``range(count)`` on all cores (serially when that is cheaper); ``done`` sees each result."""
    results = ordered_map(task, count, done)
    if results is not None:
        return results
    serial = []
    for i in range(count):
        serial.append(task(i))
        done(serial[-1])
    return serial


class _Build:
    """One build's working set (the state it started from, the tree it assembles)."""

    def __init__(self, options: BuildOptions, prepared: Prepared) -> None:
        self.options = options
        self.prepared = prepared
        self.inputs = prepared.inputs
        self.files = {file.shown: file for file in prepared.inputs.articles}
        """Content files by shown path."""
        self.state = prepared.state
        self.live = prepared.state.output if prepared.state is not None and prepared.live else None
        self.cache = Cache(prepared.cache)
        self.state_path = state_file(prepared.cache)
        self.stamps: dict[str, OutputStamp] = {}
        self.written = 0

    def place(self, assembly: Assembly, file: OutputFile) -> None:
        self.record(file.path, *assembly.put(file.path, file.data))

    def record(self, path: str, stamp: OutputStamp, wrote: bool) -> None:
        """A file put into the tree (here or by a worker)."""
        self.stamps[path] = stamp
        self.written += wrote
        progress.written(wrote)

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
            config = config_of(inputs, options.base_url)
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
        assets = load_assets(inputs, self.cache)
        renderer = Renderer(env, Site(config, (), ()), assets, media_names(inputs), search)
        world = key_world(config, inputs, renderer, options.drafts, env, self.cache)
        listing_pages = reads_listing(outputs.article_page(), world)  # then pages are rendered after the listing
        page_key = key(outputs.article_page(), world)
        previous = self.state.keys if self.state is not None else {}
        records = self.state.articles if self.state is not None else {}
        rerender_all = self.live is None or previous.get("render") != page_key or listing_pages

        jobs: list[ArticleJob] = []
        kept: dict[str, ArticleRecord] = {}
        for file in inputs.articles:
            shown = file.shown
            article_key = key(outputs.parse(file), world)
            record = records.get(shown)
            if record is not None and record.key == article_key and not rerender_all and (
                (record.draft and not options.drafts)
                or (self.live is not None and f"articles/{record.slug}/index.html" in self.live)
            ):
                kept[shown] = record
            else:
                # Pages that list other articles are rendered once the listing is known (_assemble).
                jobs.append(ArticleJob(file, article_key, key(outputs.feed_entry(file, article_key), world),
                                       not listing_pages, options.drafts, record.translations if record else ()))

        spare = self.state.spare if self.state is not None and self.live is not None else None
        assembly = Assembly(options.output, self.live, spare, keep_spare=self.prepared.cache is not None,
                            keep=config.keep)
        # The spare is about to change: a build killed from here on must not trust its record
        # (and when that cannot be said, the spare is left alone).
        if assembly.reusing and (self.state_path is None or not mark_spare_changing(self.state_path)):
            assembly.give_up_spare()
        try:
            try:
                return self._assemble(assembly, config, renderer, world, page_key, jobs, kept, listing_pages)
            except OSError as exc:
                if not (assembly.reusing and str(exc.filename or "").startswith(f"{assembly.tree}/")):
                    raise
                # The spare tree could not be brought up to date (not ours to change, say): it is
                # set aside and the site assembled afresh; the output is untouched so far.
                assembly.abort()
                warning = set_aside(assembly.tree)
                assembly = Assembly(options.output, self.live, None, keep_spare=True, keep=config.keep)
                assembly.warnings.append(warning or f"warning: {shown_path(spare_path(options.output))}: "
                                         f"cannot update it ({exc.strerror}); removed it and built afresh")
                self.stamps, self.written = {}, 0
                return self._assemble(assembly, config, renderer, world, page_key, jobs, kept, listing_pages)
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

        progress.planned(len(jobs))
        done = _map(task, len(jobs), lambda result: progress.parsed(result is not None and result.page is not None))
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
                self.record(*result.page)
        return results

    def _summaries(self, records: dict[str, ArticleRecord], done: dict[str, ArticleDone],
                   wanted: Sequence[str]) -> list[ArticleSummary]:
        """The summaries of the articles ``wanted`` (shown paths): fresh ones, else from the cache,
        else parsed again (a cache entry that went missing)."""
        found: list[ArticleSummary] = []
        for shown in wanted:
            if shown in done:
                found.append(done[shown].summary)
                continue
            summary = self.cache.get("summary", records[shown].key)
            if not isinstance(summary, ArticleSummary):
                summary = summarise(parse_page(self.files[shown]))
                self.cache.put("summary", records[shown].key, summary)
            found.append(summary)
        return found

    def _listing(self, assembly: Assembly, renderer: Renderer, world: World, digests: dict[int, bytes],
                 previous: dict[str, str]) -> dict[str, str]:
        """Render the site-wide pages whose content changed (on all cores); keep the others.

        A page's key comes from what it declares it reads (``outputs.listing_page``). Returns every
        listing page's key by path.
        """
        keys: dict[str, str] = {}
        todo = []
        for page in renderer.listing():
            keys[page.path] = key(outputs.listing_page(page, [digests[id(s)] for s in page.shows]), world)
            if previous.get(page.path) != keys[page.path] or not self.keep(assembly, [page.path]):
                todo.append(page)

        def task(i: int) -> tuple[str, OutputStamp, bool] | None:
            # Written where rendered, as article pages are: sending every page's bytes back to the parent
            # held all of them at once (the claims pages alone are ~40 KB per article).
            try:
                file = renderer.render_listing(todo[i])
            except Exception:  # re-raised, located, below
                return None
            return (file.path, *assembly.put(file.path, file.data))

        placed = _map(task, len(todo), lambda _: progress.rendered())
        with located(list(self.prepared.template_dirs)):
            for i, done in enumerate(placed):
                if done is None:
                    self.place(assembly, renderer.render_listing(todo[i]))
                else:
                    self.record(*done)
        return keys

    def _assemble(self, assembly: Assembly, config: SiteConfig, renderer: Renderer, world: World, page_key: str,
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
                                           result.field_digests, result.feed_digest, result.code_keys, article.language,
                                           article.translation_of, job.translations if result.page else ())
        records.update(kept)
        order = [f.shown for f in self.inputs.articles]
        check_unique_slugs(((shown, records[shown].slug) for shown in order), self.files)
        for record in kept.values():
            if options.drafts or not record.draft:
                self.keep(assembly, [f"articles/{record.slug}/index.html"])
        stale = settle_translations(records, order, self.files, config.language, options.drafts)
        with located(dirs):  # pages whose translation links changed (with a listing, all are rendered below)
            for shown in stale if not listing_pages else ():
                job = ArticleJob(self.files[shown], records[shown].key, records[shown].feed_key, True, True)
                self.place(assembly, renderer.article(load_page(job, self.cache)[0], records[shown].translations))
        published = newest_first([s for s in order if options.drafts or not records[s].draft],
                                 lambda s: (records[s].date, records[s].slug))
        listing_key = key(outputs.listings([records[s].field_digests for s in order]), world)
        world = replace(world, listing=listing_key)
        newest = published[:FEED_ENTRIES]
        feed_key = key(outputs.feed([records[s].field_digests for s in newest],
                                    [records[s].feed_digest for s in newest], FEED_READS), world)

        site = None
        page_keys = self.state.page_keys if self.state is not None else {}
        if listing_pages or previous.get("listing") != listing_key or not self.keep(assembly, groups.get("listing", ())):
            summaries = self._summaries(records, done, order)
            site = build_site(config, summaries, include_drafts=options.drafts)
            renderer.site = site
            digests = {id(summary): records[shown].field_digests for shown, summary in zip(order, summaries)}
            page_keys = self._listing(assembly, renderer, world, digests, page_keys)
            groups = {**groups, "listing": tuple(page_keys)}
            if listing_pages:
                with located(dirs):
                    # Article pages that list other articles: rendered now that the listing is known.
                    for job in jobs:
                        if options.drafts or not records[job.file.shown].draft:
                            page = load_page(job, self.cache)[0]
                            self.place(assembly, renderer.article(page, records[job.file.shown].translations))
                            progress.rendered()
        if previous.get("feed") != feed_key or not self.keep(assembly, ["feed.xml"]):
            feed_site = Site(config, tuple(self._summaries(records, done, newest)), ())
            renderer.site = site or feed_site
            self.place(assembly, renderer.feed(feed_contents(self.cache, self.files, renderer, records, newest)))
        self.place(assembly, OutputFile(STAMP, STAMP_BYTES))  # "this folder is Gloss's to replace"
        for file in renderer.asset_files():
            self.place(assembly, file)
        for media in self.inputs.media:
            name = renderer.media_names[media.rel]
            if not (self.live is not None and name in self.live and self.live[name].digest == media.digest
                    and self.keep(assembly, [name])):
                self.place(assembly, OutputFile(name, media.read()))
        keys = {"render": page_key, "listing": listing_key, "feed": feed_key}
        pagefind = self.prepared.pagefind
        if pagefind is not None:
            shards = update_index(assembly.tree, pagefind, scratch_folder(assembly.output, "search"),
                                  {p: s.digest for p, s in self.stamps.items() if indexed(p)}, keys, previous, groups,
                                  lambda f: self.place(assembly, f), lambda ps: self.keep(assembly, ps), config.language)
            groups = {**{k: v for k, v in groups.items() if not k.startswith("search")}, **shards}
        languages = [(s, records[s].language) for s in published]
        warnings = tuple(w for w in (base_url_warning(config), *language_warnings(config.language, languages),
                                     MISSING_HINT if options.search and pagefind is None else None) if w)
        self._check_kept(config.keep)
        stats = assembly.commit(self.stamps, self.written)
        self._finish(records, keys, groups, page_keys, len(published), warnings, config.keep, assembly.spare_kept)
        return BuildResult(len(published), stats, self.prepared.warnings + tuple(assembly.warnings) + warnings)

    def _check_kept(self, keep: tuple[str, ...]) -> None:
        """A ``keep:`` name the build also writes (an image folder, say) would replace the built files."""
        clash = sorted({path.split("/", 1)[0] for path in self.stamps} & set(keep))
        if clash:
            config = self.inputs.config
            shown = config.shown if config is not None else "site.yaml"
            lines = config.read().decode("utf-8", "replace").splitlines() if config is not None else []
            line = next((n for n, text in enumerate(lines, 1) if text.startswith("keep")), 1)
            raise GlossError(f'keep: "{clash[0]}" is also written by the build', SourceLocation(shown, line, 1),
                             "keep only names the site does not publish, such as .git or CNAME")

    def _finish(self, records: dict[str, ArticleRecord], keys: dict[str, str], groups: dict[str, tuple[str, ...]],
                page_keys: dict[str, str], published: int, warnings: tuple[str, ...], keep: tuple[str, ...],
                spare_kept: bool) -> None:
        """Commit the cache and record this build for the next one."""
        self.cache.prune("article", [r.key for r in records.values()])
        self.cache.prune("summary", [r.key for r in records.values()])
        self.cache.prune("feed", [r.feed_key for r in records.values()])
        self.cache.prune("code", [key for r in records.values() for key in r.code_keys])
        self.cache.commit()
        path = self.state_path
        if path is None:
            return
        try:
            output_dirs = folder_stamps(self.options.output.absolute(), self.stamps)
        except OSError:
            save_state(path, None)
            return
        save_state(path, BuildState(
            code=code_key(), options=self.prepared.options_key, inputs=self.inputs.stamps,
            fingerprint=self.inputs.fingerprint(), articles=records, keys=keys, published=published,
            warnings=warnings, groups=groups, page_keys=page_keys, output=self.stamps, output_dirs=output_dirs,
            spare=self.live if spare_kept else None, keep=keep,
        ))


def build(options: BuildOptions, prepared: Prepared | None = None) -> BuildResult:
    """Build the site; raises located errors and then writes nothing.

    ``prepared`` is :func:`uptodate.prepare`'s answer when the caller already asked it, holding
    :func:`uptodate.build_lock` (so that no other build changed anything since).
    """
    check_writable(options)
    with build_lock(options):
        prepared = prepared or prepare(options)
        if prepared.result is not None:
            return prepared.result
        return _Build(options, prepared).run()
