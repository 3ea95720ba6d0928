"""Build, across articles: every slug names one article, and a clash is shown where it is made.

An incremental build knows the slugs of unchanged articles from its records, not from parsing them
again, so the ``slug:`` line of a clashing file is found here by reading the file's front matter
(only when there is a clash, which stops the build anyway). A file without a ``slug:`` line takes
its slug from its file name, so the clash is then reported at its first line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from ..common.errors import GlossError, SourceLocation, raise_all
from ..common.textfile import decode_raw
from .inputs import InputFile

def slug_location(file: InputFile) -> SourceLocation | None:
    """Where the front matter's top-level ``slug:`` value starts, or None (slug from the file name)."""
    return key_location(file, "slug")


def key_location(file: InputFile, name: str) -> SourceLocation | None:
    """Where the value of the front matter's top-level key ``name`` starts, or None."""
    found = re.compile(rf"{re.escape(name)}[ \t]*:[ \t]*")
    try:
        lines = decode_raw(file.read(), file.shown).splitlines()
    except (GlossError, OSError):
        return None
    if not lines or lines[0].rstrip() != "---":
        return None
    for number, line in enumerate(lines[1:], start=2):
        if line.rstrip() in ("---", "..."):
            break
        match = found.match(line)
        if match:
            return SourceLocation(file.shown, number, match.end() + 1)
    return None


def check_unique_slugs(articles: Iterable[tuple[str, str]], files: Mapping[str, InputFile]) -> None:
    """Every slug names one article: ``articles`` are (shown path, slug), drafts included
    (publishing a draft must not break the site). A clash is reported at the ``slug:`` line that
    makes it (the later file's, else the earlier one's), naming the other file's place."""
    errors: list[GlossError] = []
    seen: dict[str, str] = {}
    for shown, slug in articles:
        first = seen.setdefault(slug, shown)
        if first == shown:
            continue
        here, there = (slug_location(files[p]) if p in files else None for p in (shown, first))
        if here is None and there is not None:
            where, other = there, SourceLocation(shown, 1, 1)
        else:
            where, other = here or SourceLocation(shown, 1, 1), there or SourceLocation(first, 1, 1)
        errors.append(GlossError(f'slug "{slug}" is also used by {other}', where,
                                 "give one of the articles another slug"))
    raise_all(errors)
