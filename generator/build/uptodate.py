"""Build, first step: what the build reads, what the last build left, and is ``output/`` already right?

A build whose inputs all match the previous build's (``inputs.py``), made by
the same code with the same options, into an ``output/`` that still is what
that build wrote (``state.tree_matches``), has nothing to do. This module
finds that out with ``os.stat`` and the standard library only: the parsing
and rendering libraries take ~0.25 s to import, more than everything else
such a build does. ``build.py`` continues from a :class:`Prepared` when there
is work.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from ..common.errors import GlossError, GlossErrors, SourceLocation
from ..common.textfile import shown_path
from .guard import check_output
from .inputs import Inputs, scan
from .keys import canonical
from .options import BuildOptions, BuildResult
from .search import find_pagefind
from .state import BuildState, code_key, load_state, save_state, tree_matches
from .write import WriteStats, clean_leftovers


@dataclass(frozen=True, slots=True)
class Prepared:
    """The first step's findings, handed to ``build.py``."""

    state: BuildState | None
    """The previous build's state, when it applies to this build (same code and options)."""
    inputs: Inputs
    """This build's input files."""
    live: bool
    """``output/`` still is what ``state`` recorded (so its record can be used instead of its bytes)."""
    pagefind: Path | None
    """The Pagefind binary, when search is on and Pagefind is installed."""
    options_key: tuple[str, ...]
    """The options that change output, as the state records them."""
    template_dirs: tuple[Path, ...]
    """Template folders, the site's own first."""
    result: BuildResult | None
    """Set when nothing has to be done."""
    cache: Path | None = None
    """The cache folder the build uses: ``options.cache``, or None when that cannot be used."""
    warnings: tuple[str, ...] = ()
    """Problems the build works around (an unusable cache folder), printed with its own warnings."""


def builtin_templates() -> Path:
    """The templates that ship with Gloss (inside the wheel, or beside the package)."""
    here = Path(__file__).resolve().parent.parent  # the package folder, generator/
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


def state_file(cache: Path | None) -> Path | None:
    """Where the build state lives (inside the cache folder), or None without a cache."""
    return cache / "state.bin" if cache is not None else None


def usable_cache(folder: Path | None) -> tuple[Path | None, str | None]:
    """``folder`` when a build can read and write it (or it does not exist yet), else None and a
    warning: the cache is optional, so a bad one (a file, a folder without permissions) is
    built without, never fatal."""
    if folder is None or not (folder.exists() or folder.is_symlink()):
        return folder, None
    try:
        if not folder.is_dir():
            raise NotADirectoryError(20, "it is not a folder")
        os.listdir(folder)
        probe = folder / f".probe-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        return None, (f"warning: {shown_path(folder)}: cannot use the build cache ({exc.strerror or exc}); "
                      "building without it (remove it, or fix its permissions)")
    return folder, None


def _kept_names(options: BuildOptions) -> tuple[str, ...]:
    """``keep:`` from ``site.yaml`` (a broken ``site.yaml`` keeps nothing here; the build reports it)."""
    from ..common.textfile import decode_raw
    from ..content.config import parse_config  # here: only a folder that is neither new nor stamped needs it

    path = options.root / "site.yaml"
    try:
        return parse_config(decode_raw(path.read_bytes(), shown_path(path)), shown_path(path)).keep if path.is_file() else ()
    except (GlossError, GlossErrors, OSError):
        return ()


def check_writable(options: BuildOptions) -> None:
    """Refuse an output folder a build may not replace (``guard.py``); called before the build lock,
    which would create the folder's parent."""
    check_output(options, state_file(options.cache), lambda: _kept_names(options))


def prepare(options: BuildOptions) -> Prepared:
    """Scan the inputs and decide whether there is anything to build."""
    if not options.content.is_dir():
        raise GlossError(
            "content folder not found",
            SourceLocation(shown_path(options.content), 1, 1),
            "run gloss from the site root, or pass --content DIR",
        )
    cache, warning = usable_cache(options.cache)
    path = state_file(cache)
    dirs = template_dirs(options.root)
    pagefind = find_pagefind() if options.search else None
    options_key = (
        str(options.content.absolute()), str(options.output.absolute()),
        # As JSON: no --base-url (null: site.yaml's) and --base-url '' (none at all) build different sites.
        canonical(options.base_url),
        str(options.drafts), str(options.search), str(pagefind or ""), *map(str, dirs),
    )
    state = load_state(path) if path is not None else None
    if state is not None and (state.code != code_key() or state.options != options_key):
        state = None
    inputs = scan(options.content, options.root / "site.yaml", dirs, state.inputs if state else {}, options.root)
    output = options.output.absolute()
    live = state is not None and tree_matches(output, state.output, state.output_dirs)
    result = None
    warnings = (warning,) if warning else ()
    if state is not None and live and inputs.fingerprint() == state.fingerprint:
        clean_leftovers(output, state.keep)
        result = BuildResult(state.published, WriteStats(0, len(state.output), 0), warnings + state.warnings)
        if path is not None and inputs.stamps != state.inputs:
            save_state(path, replace(state, inputs=inputs.stamps))  # so the next scan reads nothing
    return Prepared(state, inputs, live, pagefind, options_key, tuple(dirs), result, cache, warnings)
