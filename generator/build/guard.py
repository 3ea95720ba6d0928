"""Build, before anything is written: is the output folder one Gloss may replace?

A build replaces the output folder whole (``write.py``), so pointing ``--output``
at the wrong folder would throw away what it held. Gloss therefore writes only
into a folder that is missing, empty (but for the names ``keep:`` lists), or
marked as its own: every build puts the stamp file :data:`STAMP` in the output.
Anything else is refused with a one-line error naming the folder, unless the
user passes ``--force``. Some folders are refused even then, because replacing
them loses the site itself or never settles: the file-system root, the site
root, the content, templates and cache folders, any folder holding one of
them, and any folder inside the content folder (the build would publish its own
output again, one level deeper each time). A symbolic link is refused too: the
swap would replace the link by a folder, and building through it would put the
temporary trees beside the link's target, outside the site.

An ``output/`` written by Gloss before the stamp existed is recognised by the
build state that recorded it (a plain byte search: the old state file is never
unpickled), so upgrading users are not refused their own folder.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from ..common.errors import GlossError, SourceLocation
from ..common.textfile import shown_path
from .options import BuildOptions

STAMP = ".gloss-output"
"""The file every build writes at the top of the output: "this folder is Gloss's to replace"."""

STAMP_BYTES = b"This folder is made by gloss build, which replaces everything in it on every build.\n"
"""The stamp's content (fixed, so builds stay byte-identical)."""

_LEGACY_STATE_MAGIC = b"GLOSS-STATE\x01"
"""The state format of Gloss versions that wrote no stamp."""


def _refuse(output: Path, message: str, hint: str) -> GlossError:
    return GlossError(message, SourceLocation(str(output), 1, 1), hint)  # as the user wrote it


def _named(what: str, folder: Path) -> str:
    shown = shown_path(folder)
    return what if shown == "." else f"{what} ({shown})"


def _inside(path: Path, folder: Path) -> bool:
    """``path`` is ``folder`` or somewhere below it."""
    return path == folder or path.is_relative_to(folder)


def _check_place(options: BuildOptions, output: Path) -> None:
    """Folders no build may replace, ``--force`` or not."""
    real = Path(os.path.realpath(output))
    if real == Path(real.anchor):
        raise _refuse(options.output, "the output folder is the file-system root", "build into a folder of its own, e.g. --output output")
    protected = [(options.root, "the site root"), (options.content, "the content folder"),
                 (options.root / "templates", "the templates folder")]
    if options.cache is not None:
        protected.append((options.cache, "the cache folder"))
    for folder, what in protected:
        held = Path(os.path.realpath(folder.absolute()))
        if _inside(held, real):
            where = "is" if held == real else "holds"
            raise _refuse(options.output, f"the output folder {where} {_named(what, folder)}; a build would replace it",
                          "build into a folder of its own, e.g. --output output (--force does not change this)")
        if what != "the site root" and _inside(real, held):
            raise _refuse(options.output, f"the output folder is inside {_named(what, folder)}",
                          "build into a folder beside it, e.g. --output output (--force does not change this)")


def _legacy(output: Path, state_file: Path | None) -> bool:
    """An output folder from a Gloss version without the stamp: its build state names it.

    The old state is a pickle; it is never loaded (it could run code): ``pickletools.genops`` only
    lists its opcodes and their literal arguments, among which the recorded output path is.
    """
    import pickletools

    if state_file is None:
        return False
    try:
        data = state_file.read_bytes()
    except OSError:
        return False
    if not data.startswith(_LEGACY_STATE_MAGIC):
        return False
    try:
        return any(arg == str(output) for _op, arg, _pos in pickletools.genops(data[len(_LEGACY_STATE_MAGIC) + 32:]))
    except Exception:  # not a pickle after all: not recognised
        return False


def check_output(options: BuildOptions, state_file: Path | None, keep: Callable[[], tuple[str, ...]]) -> None:
    """Raise a located error unless a build may replace ``options.output``.

    ``keep`` gives the names ``site.yaml`` keeps (asked only for a folder that is neither new nor
    stamped, so a normal build does not parse ``site.yaml`` here).
    """
    output = options.output.absolute()
    if output.is_symlink():
        target = os.readlink(output)
        raise _refuse(options.output, f"the output folder is a symbolic link (to {target})",
                      f"build into the folder itself (--output {target}), or point the link at output/ instead")
    _check_place(options, output)
    if not output.exists():
        return
    if not output.is_dir():
        raise _refuse(options.output, "the output folder is a file", "remove it, or build into another folder with --output")
    if (output / STAMP).is_file() or options.force:
        return
    try:
        names = set(os.listdir(output))
    except OSError as exc:
        raise _refuse(options.output, f"cannot read the output folder: {exc.strerror}", "check its permissions") from exc
    if not names or names <= set(keep()) or _legacy(output, state_file):
        return
    raise _refuse(options.output, "the output folder is not empty and was not made by gloss build; a build would replace "
                  "what it holds", "build into a new or empty folder, or pass --force to replace its contents "
                  "(list files to keep, such as .git or CNAME, under keep: in site.yaml)")
