"""Build: every cache and staleness key, derived from what an output declares it reads.

Each output of a build — an article page, a listing page, the feed, a feed entry, the search
index, a parse result — is described by a :class:`Reads` (``outputs.py`` makes them): which
templates it renders with, which settings its Python code reads, which articles' summaries it
shows and which of their fields its code reads, which build options it looks at, and any other
plain values it shows. :func:`key` turns a declaration and the build's :class:`World` (the
templates' digests and reads, the settings, the asset and image names) into the key, adding what
the templates themselves read (their includes, the settings they name, whether they read the
listing, the summary fields they read: ``template_reads.py`` and ``field_reads.py``, from Jinja's
syntax tree). Of each summary shown, a key takes the digests of the fields read alone
(:func:`read_fields`). A key changes whenever something the output reads changes; a new output
type declares its reads and gets a key, with nothing to list by hand.

Keys are hashed from plain data (text, numbers, booleans, None, lists and mappings with text keys)
encoded as JSON (:func:`canonical`), never from hand-built strings: ``repr`` of a config or
``f"{a}/{b}"`` can print two different values alike, and a ``repr`` may change with the Python
version. Mappings keep their order (a template may show ``extra:`` in the order it was written).
Standard library only: ``uptodate.py`` uses :func:`canonical` before anything heavy is imported.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .cache import digest

Plain = Any
"""Plain data: what :func:`canonical` encodes (anything else raises ``TypeError``)."""


def canonical(value: Plain) -> str:
    """``value`` as compact JSON; raises ``TypeError`` for anything that is not plain data."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


FIELD_DIGEST = 16
"""Bytes of SHA-256 kept per summary field: it only tells one value of one article's field from the
next, and the build state holds one per field and article (one ``bytes`` per article: a tuple of
strings made the state of 10,000 articles twice as big and its pickling ~60 ms slower, measured)."""


def field_digests(values: tuple[object, ...]) -> bytes:
    """The digest of each of a summary's field values (``site_model.summary_fields``: plain data and
    frozen dataclasses, pickled; the code key in every cache key covers the classes), joined."""
    return b"".join(hashlib.sha256(pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL)).digest()[:FIELD_DIGEST]
                    for v in values)


@dataclass(frozen=True, slots=True)
class TemplateReads:
    """What one template file reads, from its syntax tree (``template_reads.analyse``)."""

    digest: str
    """SHA-256 of the template's bytes: a key changes when the template does."""
    listing: bool
    """It reads ``site`` beyond ``site.config``: the listing of every article."""
    settings: tuple[str, ...] | None
    """The ``site.config`` fields it names; None when it may read any."""
    templates: tuple[str, ...] | None
    """The templates it extends, includes or imports by name; None when a name is computed at render time."""
    fields: tuple[str, ...] | None = None
    """The summary fields (``site_model.SUMMARY_FIELDS``) it reads of the articles it is given; None: any."""


@dataclass(frozen=True, slots=True)
class Reads:
    """What one output reads: its declaration. :func:`key` derives its key from this alone."""

    kind: str
    """What sort of output (``page``, ``listing``, ``feed``…): no two kinds share a key."""
    path: str
    """The output path it is written to (or the content file, for a parse result)."""
    templates: tuple[str, ...] | None = ()
    """The templates it is rendered with (those they use are added); None: any template."""
    settings: tuple[str, ...] | None = ()
    """``SiteConfig`` fields the Python code that makes it reads (its templates' are added); None: all."""
    options: tuple[str, ...] = ()
    """Build options it depends on, by :class:`World` ``options`` name."""
    names: bool = False
    """It links to assets and images by their output names (which carry their content hashes)."""
    words: bool = False
    """It shows words in the site's language (from the language's message catalog)."""
    articles: tuple[str, ...] = ()
    """Digests of what it shows of articles (whole summaries, feed entries, parse keys), in the order shown."""
    summaries: tuple[bytes, ...] = ()
    """The summaries it shows, in the order shown, each as its field digests (``field_digests``, in
    :class:`World` ``fields`` order): the key takes those of the fields it reads."""
    fields: tuple[str, ...] | None = None
    """Summary fields the Python code that makes it reads of each of ``summaries`` (its templates' are
    added); None (the default, for an output that does not say): all."""
    values: tuple[Plain, ...] = ()
    """Anything else it shows that may change (counts, tag names, page numbers, input digests), plain data."""


@dataclass(frozen=True, slots=True)
class World:
    """What keys are made of besides the declarations: one per build (``theme.world``)."""

    templates: Mapping[str, TemplateReads]
    """Every template by the name Jinja loads it by (``gloss/<name>`` too for the built-in ones)."""
    settings: Mapping[str, Plain]
    """``site.yaml``'s settings, field by field (``SiteConfig`` as plain data)."""
    options: Mapping[str, Plain]
    """The build options outputs may depend on (``search``, ``drafts``)."""
    names: str
    """Digest of (file, output name) of every asset and image: hashed once per build, not per key (a
    site with thousands of images and articles would otherwise encode them all for every article)."""
    catalog: str = ""
    """Digest of the message catalogs, the site language's and every other an article may be in (their
    bytes are not code: the code key misses them)."""
    listing: str = ""
    """The key of the whole listing, once known: what a template that reads ``site`` reads."""
    fields: tuple[str, ...] = ()
    """The names of a summary's fields, in the order of each :class:`Reads` ``summaries`` entry
    (``site_model.SUMMARY_FIELDS``)."""


NOTHING = World({}, {}, {}, "")
"""The world of an output that reads nothing of the site besides what it declares (a search shard)."""


def used_templates(roots: tuple[str, ...] | None, world: World) -> tuple[str, ...] | None:
    """``roots`` and every template they use, sorted; None when that may be any template."""
    if roots is None:
        return None
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        found = world.templates.get(name)
        if found is not None:
            if found.templates is None:
                return None
            todo.extend(found.templates)
    return tuple(sorted(seen))


def _union(sets: list[tuple[str, ...] | None]) -> set[str] | None:
    """The names in all of ``sets``; None when one of them is None (any name)."""
    found: set[str] = set()
    for names in sets:
        if names is None:
            return None
        found.update(names)
    return found


def _template_reads(reads: Reads, world: World
                    ) -> tuple[list[tuple[str, str | None]], bool, set[str] | None, set[str] | None]:
    """The templates ``reads`` uses (with digests: None for a missing one), whether they read the
    listing, the settings they read and the summary fields they read (None: any)."""
    names = used_templates(reads.templates, world)
    found = [(name, world.templates.get(name)) for name in (sorted(world.templates) if names is None else names)]
    listing = any(t is not None and t.listing for _, t in found)
    present = [t for _, t in found if t is not None]
    settings = _union([t.settings for t in present])
    fields = _union([t.fields for t in present])
    return [(name, t.digest if t is not None else None) for name, t in found], listing, settings, fields


def read_fields(reads: Reads, world: World) -> tuple[str, ...]:
    """The summary fields the output ``reads`` declares reads of each summary it shows: its own and its
    templates', in :class:`World` ``fields`` order (all of them when either may read any)."""
    return _chosen(reads, world, _template_reads(reads, world)[3])


def _chosen(reads: Reads, world: World, template_fields: set[str] | None) -> tuple[str, ...]:
    """:func:`read_fields`, given the fields the templates read."""
    if template_fields is None or reads.fields is None:
        return world.fields
    wanted = template_fields | set(reads.fields)
    return tuple(name for name in world.fields if name in wanted)


def reads_listing(reads: Reads, world: World) -> bool:
    """True when an output's templates read the listing: it may show any article."""
    return _template_reads(reads, world)[1]


def key(reads: Reads, world: World) -> str:
    """The key of the output ``reads`` declares: equal keys, equal output."""
    templates, listing, settings, fields = _template_reads(reads, world)
    if reads.settings is None or settings is None:
        chosen: Mapping[str, Plain] = world.settings
    else:
        wanted = settings | set(reads.settings)
        chosen = {name: value for name, value in world.settings.items() if name in wanted}
    return digest(reads.kind, canonical({
        "path": reads.path,
        "templates": templates,
        "settings": chosen,
        "options": {name: world.options[name] for name in reads.options},
        "names": world.names if reads.names else None,
        "catalog": world.catalog if reads.words else None,
        "listing": world.listing if listing else None,
        "articles": reads.articles,
        "summaries": _summaries(reads, world, fields),
        "values": reads.values,
    }))


def _summaries(reads: Reads, world: World, template_fields: set[str] | None) -> list[Plain] | None:
    """The digests of the summary fields ``reads`` reads, article by article (with the fields' names)."""
    if not reads.summaries:
        return None
    if any(len(digests) != FIELD_DIGEST * len(world.fields) for digests in reads.summaries):
        raise ValueError("a summary's field digests do not match World.fields")
    names = _chosen(reads, world, template_fields)
    at = [FIELD_DIGEST * world.fields.index(name) for name in names]
    return [names, [b"".join(digests[i: i + FIELD_DIGEST] for i in at).hex() for digests in reads.summaries]]
