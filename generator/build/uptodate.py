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

from dataclasses import dataclass, replace
from pathlib import Path

from ..common.errors import GlossError, SourceLocation
from ..common.textfile import shown_path
from .inputs import Inputs, scan
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


def state_file(options: BuildOptions) -> Path | None:
    """Where the build state lives (inside the cache folder), or None without a cache."""
    return options.cache / "state.bin" if options.cache is not None else None


def prepare(options: BuildOptions) -> Prepared:
    """Scan the inputs and decide whether there is anything to build."""
    if not options.content.is_dir():
        raise GlossError(
            "content folder not found",
            SourceLocation(shown_path(options.content), 1, 1),
            "run gloss from the site root, or pass --content DIR",
        )
    dirs = template_dirs(options.root)
    pagefind = find_pagefind() if options.search else None
    options_key = (
        str(options.content.absolute()), str(options.output.absolute()),
        # repr: no --base-url (None: site.yaml's) and --base-url '' (none at all) build different sites.
        repr(options.base_url),
        str(options.drafts), str(options.search), str(pagefind or ""), *map(str, dirs),
    )
    path = state_file(options)
    state = load_state(path) if path is not None else None
    if state is not None and (state.code != code_key() or state.options != options_key):
        state = None
    inputs = scan(options.content, options.root / "site.yaml", dirs, state.inputs if state else {}, options.root)
    output = options.output.absolute()
    live = state is not None and tree_matches(output, state.output, state.output_dirs)
    result = None
    if state is not None and live and inputs.fingerprint() == state.fingerprint:
        clean_leftovers(output)
        result = BuildResult(state.published, WriteStats(0, len(state.output), 0), state.warnings)
        if path is not None and inputs.stamps != state.inputs:
            save_state(path, replace(state, inputs=inputs.stamps))  # so the next scan reads nothing
    return Prepared(state, inputs, live, pagefind, options_key, tuple(dirs), result)
