"""Post-render stage: the Pagefind search index, added to the files before the write.

Pagefind (PyPI ``pagefind[bin]``, which ships the binary; it works offline)
reads the rendered article pages and writes a static index plus its search UI
to ``pagefind/``. It reads the pages from the tree the write stage is
assembling (before it is swapped in) and writes its bundle to a private
scratch folder beside the output (never the system's temporary folder: a build
killed there would leave it behind for good; the next build removes a scratch
folder by its name, ``write.clean_leftovers``); the bundle joins the new tree, so the whole site is still
swapped in at once and unchanged index files keep their mtime. The index is
rebuilt only when an article page changed (it cannot be updated in part).

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

import importlib.util
import os
import shutil
from pathlib import Path

from ..common.errors import GlossError, SourceLocation
from ..common.output_file import OutputFile

BUNDLE = "pagefind"
"""Folder of the search bundle in the output."""

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


def search_index(site: Path, binary: Path, scratch: Path) -> list[OutputFile]:
    """Run Pagefind over the article pages of the tree at ``site``; returns the bundle's files.

    ``scratch`` is a folder for Pagefind's output, made here and removed again.
    """
    import subprocess  # here, not at the top: a build that indexes nothing need not import it

    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    try:
        bundle = scratch / "bundle"
        command = [str(binary), "--site", str(site), "--output-path", str(bundle), *_ARGUMENTS]
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
        out: list[OutputFile] = []
        for path in sorted(bundle.rglob("*")):
            rel = path.relative_to(bundle).as_posix()
            if path.is_file() and not rel.startswith(_UNUSED):
                out.append(OutputFile(f"{BUNDLE}/{rel}", path.read_bytes()))
        return out
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
