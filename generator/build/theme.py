"""Build, template side: the template folders become a Jinja environment, assets and a render key.

A site's own ``templates/`` folder overrides the built-in templates by name
(``uptodate.template_dirs``); ``templates/static/`` holds the assets. The
*render key* says what every article page depends on besides its article, so
a build knows when all pages must be rendered again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

import jinja2
import jinja2.bccache

from ..content.config import SiteConfig
from ..content.markdown import pygments_css
from ..render.i18n import catalog_digest
from ..render.renderer import Renderer, hashed_name, make_environment
from .cache import Cache, digest
from .inputs import Inputs
from .keys import canonical
from .template_reads import reads_listing


def load_assets(inputs: Inputs, cache: Cache) -> dict[str, bytes]:
    """Static files from ``templates/static``; the site's own win by name."""
    assets: dict[str, bytes] = {}
    for folder in reversed(inputs.templates):
        for file in folder:
            if file.rel.startswith("static/"):
                assets[file.rel.removeprefix("static/")] = file.read()
    if "style.css" in assets:
        # One stylesheet request: the theme, then code highlighting. The highlighting part depends
        # only on Pygments (whose version is in every cache entry's key): kept, it spares the import.
        css = cache.get("css", "pygments")
        if not isinstance(css, str):
            css = pygments_css()
            cache.put("css", "pygments", css)
        assets["style.css"] += b"\n" + css.encode()
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


def uses_listing(inputs: Inputs, env: jinja2.Environment, cache: Cache | None = None) -> bool:
    """True when a template reads ``site`` for more than ``site.config`` (``template_reads.py``).

    Then an article page may list other articles, and every page must be rendered again whenever
    any listing changes (correct, if slower). The built-in templates do not.

    The answer is kept in ``cache`` under the templates' names and bytes: parsing the fourteen
    built-in templates took a third of a one-article rebuild.
    """
    templates = [file for folder in inputs.templates for file in folder
                 if file.rel.endswith((".html", ".xml", ".txt")) and not file.rel.startswith("static/")]
    key = digest("uses-listing", *(part for file in templates for part in (file.rel, file.digest)))
    known = cache.get("uses-listing", key) if cache is not None else None
    if isinstance(known, bool):
        return known
    answer = any(reads_listing(env, file.read().decode("utf-8", "replace"), file.rel) for file in templates)
    if cache is not None:
        cache.put("uses-listing", key, answer)
        cache.prune("uses-listing", [key])
    return answer


def render_key(config: SiteConfig, inputs: Inputs, renderer: Renderer, search: bool) -> str:
    """What every article page depends on besides its own article: templates (bytes), config,
    asset and image names (which carry their content hashes), the search option and the bytes of
    the language's catalog."""
    return digest("render", canonical({
        "config": dataclasses.asdict(config),
        "assets": sorted(renderer.asset_names.items()),
        "media": sorted(renderer.media_names.items()),
        "search": search,
        "catalog": catalog_digest(renderer.language.catalog),
        "templates": [[(file.rel, file.digest) for file in folder] for folder in inputs.templates],
    }))
