"""Post-render stage: the Pagefind search index, in shards, added to the files before the write.

Pagefind (PyPI ``pagefind[bin]``, which ships the binary; it works offline)
reads the rendered article pages and writes a static index plus its search UI
to ``pagefind/``. Its work grows with the pages it reads (~15 ms of CPU a page,
measured; an index cannot be updated in part) and so does its memory (~800 MB for
1,000 pages in one run), so the pages are split into *shards*: each article page
belongs to one shard by a hash of its path (stable under edits; the number of
shards is a power of two chosen from the page count so that a shard holds at most
:data:`SHARD_PAGES` pages). Each shard is its own Pagefind bundle, rebuilt only
when one of its pages changed (``pipeline.py`` keys each shard by its pages'
digests), and the shards to rebuild run side by side, one Pagefind process per
core. The first non-empty shard is the *primary* bundle, written to ``pagefind/``
with the search UI and the WebAssembly; the others go to ``pagefind/shard-NN/``
with only their index files, and ``pagefind/gloss-shards.json`` lists them so the
search page can ``mergeIndex`` them into the primary (Pagefind loads a merged
bundle's index, never its scripts).

Each shard's pages are hard-linked from the tree the write stage is assembling
(before it is swapped in) into a private scratch folder beside the output (never
the system's temporary folder: a build killed there would leave it behind for
good; the next build removes a scratch folder by its name,
``write.clean_leftovers``), and Pagefind writes its bundle there too; the bundle
joins the new tree, so the whole site is still swapped in at once and unchanged
index files keep their mtime.

Only article pages are indexed (index, tag and claims pages would repeat the
same text), from ``<main>``, leaving out the margin-note and opened-note copies of
each note and the summary box (the list of notes at the end of the article holds the
same text once).
Result links keep ``index.html`` so they match the site's own links. Pagefind
derives its result URLs from where ``pagefind/`` is served, so search works
under any sub-path; it cannot work from ``file://`` (browsers refuse to load
WebAssembly there), and the search page says so.

Without Pagefind the build still succeeds: the search page says search is
unavailable and the build prints a hint.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..common.errors import GlossError, SourceLocation
from ..common.output_file import OutputFile
from .keys import NOTHING, key
from .outputs import search_shard

BUNDLE = "pagefind"
"""Folder of the search bundle in the output."""

MANIFEST = f"{BUNDLE}/gloss-shards.json"
"""The list of secondary shard bundles the search page merges into the primary one."""

SHARD_PAGES = 40
"""The most article pages one shard holds (on average; the hash spreads them unevenly).

40 pages cost Pagefind ~0.6 s of CPU, what a one-article edit pays for search; fewer pages
would mean more bundles for the browser to fetch per search. Tests lower it to get shards
on a small site."""

MAX_PROCESSES = 4
"""The most Pagefind processes at once (one per core up to this; each shard needs ~50–90 MB)."""

MISSING_HINT = (
    "hint: search is off because Pagefind is not installed "
    "(pip install 'pagefind[bin]', then build again; --no-search hides this hint)"
)

_ARGUMENTS = (
    "--glob", "articles/*/index.html",
    "--root-selector", "main",
    "--exclude-selectors", ".margin-note",
    "--exclude-selectors", ".note-drawer",
    "--exclude-selectors", ".check-summary",
    "--exclude-selectors", ".note-toggle-label",
    "--exclude-selectors", ".note-ref",
    "--keep-index-url",
    "--silent",
)

# UI variants and helpers the search page does not load; leaving them out keeps
# ~300 KB of unused scripts off the host.
_UNUSED = ("pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.js", "playground/")

# What a merged (secondary) bundle needs: Pagefind fetches only its entry file, its metadata and
# the index, fragment and filter chunks; the scripts and WebAssembly come from the primary.
_SECONDARY = ("pagefind-entry.json", "index/", "fragment/", "filter/")


@dataclass(frozen=True, slots=True)
class Shard:
    """One Pagefind bundle: a set of article pages indexed together."""

    number: int
    """Its place among the shards (0 … count − 1); with the count, what decides its pages."""
    count: int
    """How many shards the site's pages are split into."""
    folder: str
    """Where its bundle goes in the output: ``pagefind`` (the primary) or ``pagefind/shard-NN``."""
    pages: tuple[str, ...]
    """Output paths of its article pages, sorted."""


def indexed(path: str) -> bool:
    """Whether the output file at ``path`` is a page Pagefind indexes (``--glob`` above)."""
    parts = path.split("/")
    return len(parts) == 3 and parts[0] == "articles" and parts[2] == "index.html"


def shard_count(pages: int) -> int:
    """The number of shards for ``pages`` pages: the least power of two giving ≤ SHARD_PAGES each.

    A power of two, so that the count changes (and every shard is rebuilt) only when the site
    doubles or halves, not with each article added."""
    count = 1
    while pages > count * SHARD_PAGES:
        count *= 2
    return count


def shard_of(path: str, count: int) -> int:
    """The shard of the page at ``path``: a hash of the path, so an edit never moves a page."""
    return int.from_bytes(hashlib.sha256(path.encode("utf-8")).digest()[:8], "big") % count


def plan_shards(pages: Sequence[str]) -> tuple[Shard, ...]:
    """The non-empty shards of ``pages``; the first is the primary (its bundle at ``pagefind/``).

    With no page at all (a new site, or drafts only), no shard: Pagefind refuses to index nothing,
    and a site with nothing to search must still build."""
    count = shard_count(len(pages))
    groups: list[list[str]] = [[] for _ in range(count)]
    for page in sorted(pages):
        groups[shard_of(page, count)].append(page)
    shards: list[Shard] = []
    for number, group in enumerate(groups):
        if group:
            folder = BUNDLE if not shards else f"{BUNDLE}/shard-{number:02d}"
            shards.append(Shard(number, count, folder, tuple(group)))
    return tuple(shards)


def manifest(shards: Sequence[Shard]) -> OutputFile:
    """``pagefind/gloss-shards.json``: the secondary bundles, relative to ``pagefind/``."""
    names = [s.folder[len(BUNDLE) + 1:] + "/" for s in shards if s.folder != BUNDLE]
    data = json.dumps({"shards": names}, separators=(",", ":")) + "\n"
    return OutputFile(MANIFEST, data.encode("utf-8"))


def find_pagefind() -> Path | None:
    """The Pagefind binary: ``$PAGEFIND_BINARY_PATH``, the ``pagefind_bin`` package, or ``PATH``."""
    configured = os.environ.get("PAGEFIND_BINARY_PATH")
    if configured:
        return Path(configured)
    # The package keeps its binary beside its __init__.py; looking there first spares importing it
    # (logging and platform: ~30 ms on every build, the no-change build included).
    spec = importlib.util.find_spec("pagefind_bin")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        for name in ("pagefind_extended", "pagefind", "pagefind_extended.exe", "pagefind.exe"):
            if Path(folder, name).is_file():
                return Path(folder, name)
    try:
        import pagefind_bin  # type: ignore[import-untyped,import-not-found,unused-ignore]

        found: Path = pagefind_bin.get_executable()
        return found
    except (ImportError, FileNotFoundError):
        pass
    on_path = shutil.which("pagefind_extended") or shutil.which("pagefind")
    return Path(on_path) if on_path else None


def update_index(site: Path, binary: Path, scratch: Path, pages: Mapping[str, str], keys: dict[str, str],
                 previous: Mapping[str, str], groups: Mapping[str, tuple[str, ...]],
                 place: Callable[[OutputFile], None], keep: Callable[[Sequence[str]], bool], language: str
                 ) -> dict[str, tuple[str, ...]]:
    """Bring the search index up to date, shard by shard; answers each shard's output files.

    ``pages`` maps each indexed page's output path to its digest. A shard whose key (binary,
    shard count, folder, its pages and their digests) is the one in ``previous`` and whose files
    ``keep`` keeps is not re-indexed; the others are (:func:`search_index`) and their files
    ``place``d. ``keys`` gets every shard's key as ``search:FOLDER``, the answer's names too.
    ``language``, the site's, is the one index's language: Pagefind would otherwise make an index per
    page language, and the search page (in the site's language) would never find an article written in
    another.
    """
    out: dict[str, tuple[str, ...]] = {}
    stale: list[Shard] = []
    shards = plan_shards(list(pages))
    for shard in shards:
        name = f"search:{shard.folder}"
        keys[name] = key(search_shard(str(binary), language, shard.count, shard.folder,
                                      [(page, pages[page]) for page in shard.pages]), NOTHING)
        if previous.get(name) == keys[name] and keep(groups.get(name, ())):
            out[name] = groups[name]
        else:
            stale.append(shard)
    if stale:
        built = search_index(site, stale, binary, scratch, language)
        for shard in stale:
            for file in built[shard.number]:
                place(file)
            out[f"search:{shard.folder}"] = tuple(f.path for f in built[shard.number])
    if shards:  # with nothing indexed the search page's note stays up (search.js finds no Pagefind)
        place(manifest(shards))
    return out


def search_index(site: Path, shards: Sequence[Shard], binary: Path, scratch: Path, language: str
                 ) -> dict[int, list[OutputFile]]:
    """Run Pagefind once per shard over its pages in the tree at ``site``; each shard's files.

    ``scratch`` is a folder for the shards' pages and bundles, made here and removed again.
    The shards run side by side, one process per core (at most :data:`MAX_PROCESSES`).
    """
    from concurrent.futures import ThreadPoolExecutor  # here: a build that indexes nothing need not import it

    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    try:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        workers = max(1, min(len(shards), cores, MAX_PROCESSES))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            done = list(pool.map(lambda shard: _index_shard(site, shard, binary, scratch, language), shards))
        return {shard.number: files for shard, files in zip(shards, done)}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _index_shard(site: Path, shard: Shard, binary: Path, scratch: Path, language: str) -> list[OutputFile]:
    """One Pagefind run over the pages of ``shard``, linked into a folder of their own."""
    import subprocess  # here, not at the top: a build that indexes nothing need not import it

    pages = scratch / f"pages-{shard.number}"
    for rel in shard.pages:
        target = pages / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(site / rel, target)  # same file system (the scratch folder is beside the output)
        except OSError:
            shutil.copyfile(site / rel, target)
    pages.mkdir(exist_ok=True)
    bundle = scratch / f"bundle-{shard.number}"
    # Lower case, as Pagefind writes a page's own language: a site of one language gets the same index.
    command = [str(binary), "--site", str(pages), "--output-path", str(bundle), *_ARGUMENTS,
               "--force-language", language.lower()]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    except OSError as exc:
        raise GlossError(
            f"cannot run Pagefind: {exc.strerror or exc}",
            SourceLocation(str(binary), 1, 1),
            "reinstall it (pip install 'pagefind[bin]') or build with --no-search",
        ) from exc
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise GlossError(
            f"Pagefind failed: {detail[-1] if detail else f'exit code {result.returncode}'}",
            SourceLocation(str(binary), 1, 1),
            "build with --no-search to skip the search index",
        )
    primary = shard.folder == BUNDLE
    out: list[OutputFile] = []
    for path in sorted(bundle.rglob("*")):
        rel = path.relative_to(bundle).as_posix()
        if not path.is_file() or rel.startswith(_UNUSED):
            continue
        if primary or rel.startswith(_SECONDARY) or rel.endswith(".pf_meta"):
            out.append(OutputFile(f"{shard.folder}/{rel}", path.read_bytes()))
    return out
