"""Build, template side: the template folders become a Jinja environment, assets and the keys' world.

A site's own ``templates/`` folder overrides the built-in templates by name
(``uptodate.template_dirs``); ``templates/static/`` holds the assets. :func:`world`
gathers what the build's keys are made of (``keys.World``): each template's digest and
what it reads (``template_reads.py``), the settings, the options, the asset and image names.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence
from pathlib import Path

import jinja2
import jinja2.bccache

from ..content.config import SiteConfig
from ..content.markdown import pygments_css
from ..render.i18n import catalogs_digest
from ..render.renderer import BUILTIN_PREFIX, Renderer, hashed_name, make_environment
from ..site.site_model import SUMMARY_FIELDS
from .cache import Cache
from .inputs import Inputs
from .keys import TemplateReads, World, canonical
from .template_reads import analyse


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


_analysed: dict[tuple[str, str], TemplateReads] = {}
"""Template reads by (name, digest), per process: ``serve`` rebuilds parse only changed templates."""


def key_world(config: SiteConfig, inputs: Inputs, renderer: Renderer, drafts: bool, env: jinja2.Environment,
              cache: Cache) -> World:
    """What this build's keys are made of (``keys.py``): every template by the name Jinja loads it by,
    with its digest and what it reads; the settings; the options; the asset and image names."""
    templates: dict[str, TemplateReads] = {}
    used: list[str] = []
    builtin = len(inputs.templates) - 1
    for i, folder in enumerate(inputs.templates):
        for file in folder:
            if file.rel.startswith("static/"):
                continue
            names = [f"{BUILTIN_PREFIX}/{file.rel}"] if i == builtin else []
            if file.rel not in templates:  # the site's own folder comes first and wins by name
                names.append(file.rel)
            if not names:
                continue
            found = _analysed.get((file.rel, file.digest))
            # Between CLI builds the cache answers: parsing the 13 built-in templates is ~0.1 s,
            # most of what a one-article rebuild would otherwise spend on templates.
            stored = hashlib.sha256(f"{file.rel}\0{file.digest}".encode()).hexdigest()
            if found is None:
                cached = cache.get("reads", stored)
                found = cached if isinstance(cached, TemplateReads) else None
            if found is None:
                found = analyse(env, file.read().decode("utf-8", "replace"), file.rel, file.digest)
                cache.put("reads", stored, found)
            _analysed[(file.rel, file.digest)] = found
            used.append(stored)  # the others (templates since edited) are pruned at commit
            for name in names:
                templates[name] = found
    cache.prune("reads", used)
    return World(
        templates=templates,
        settings=dataclasses.asdict(config),
        options={"search": renderer.search, "drafts": drafts},
        names=hashlib.sha256(canonical([sorted(renderer.asset_names.items()),
                                         sorted(renderer.media_names.items())]).encode()).hexdigest(),
        catalog=catalogs_digest(),
        fields=SUMMARY_FIELDS,
    )
