"""``gloss annotations import FILE.json --into content/x.md [--map tags.yaml] [--dry-run]``.

Reads everything first (the JSON, the tag map, the content file), so any error in them stops the
command before anything is written; then anchors and adds the annotations
(:func:`.importer.import_annotations`) and replaces the content file at once through
:mod:`generator.editing.note_file` (BOM and line ends kept; refused if the file changed meanwhile).
The summary goes to stdout: one line per annotation, then the totals with the anchored share.
"""

from __future__ import annotations

from pathlib import Path

from ..common.errors import GlossError, SourceLocation
from ..common.textfile import decode_raw, shown_path
from ..editing.note_file import read_content, write_content
from ..importing.annotations_json import read_annotations
from .importer import ORPHAN, PLACED, PRESENT, REFUSED, SKIPPED, ImportResult, Outcome, import_annotations
from .tag_map import default_map, read_map

_QUOTE_SHOWN = 60


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise GlossError(f"cannot read file: {exc.strerror}", SourceLocation(shown_path(path), 1, 1),
                         "check the path") from None


def run_import(source: Path, into: Path, tag_file: Path | None, dry_run: bool) -> str:
    """Do the import; returns the summary text."""
    annotations = read_annotations(_read(source), shown_path(source))
    tags = read_map(decode_raw(_read(tag_file), shown_path(tag_file)), shown_path(tag_file)) if tag_file else default_map()
    content = read_content(into)
    result = import_annotations(content.text, content.shown, annotations, tags)
    if result.text != content.text and not dry_run:
        write_content(content, result.text)  # BOM and line ends kept; refused if the file changed meanwhile
    return summary(result, content.shown, dry_run)


def _short(text: str) -> str:
    return text if len(text) <= _QUOTE_SHOWN else text[: _QUOTE_SHOWN - 1] + "…"


def _line(outcome: Outcome) -> str:
    item = outcome.annotation
    quote = f' "{_short(item.quote.exact)}"' if item.quote else ""
    label = item.id or item.path
    if outcome.status == PLACED:
        return f"placed   {label}{quote} as note {outcome.note_id} (by {outcome.detail})"
    if outcome.status == PRESENT:
        return f"present  {label}{quote}: {outcome.detail}"
    if outcome.status == SKIPPED:
        by = f" by {item.user}" if item.user else ""
        return f"skipped  {label}: {outcome.detail}{by}; replies are not imported"
    return f"{outcome.status:<8} {label}{quote}: {outcome.detail}"


def summary(result: ImportResult, shown: str, dry_run: bool) -> str:
    """One line per annotation, then the totals."""
    counts = {status: 0 for status in (PLACED, PRESENT, ORPHAN, REFUSED, SKIPPED)}
    for outcome in result.outcomes:
        counts[outcome.status] += 1
    # Anchored: found in the text (a refused one may have been found, then not markable there).
    anchored = sum(1 for outcome in result.outcomes if outcome.span is not None)
    tried = len(result.outcomes) - counts[SKIPPED]
    share = f" ({anchored / tried:.0%})" if tried else ""
    verb = "would add" if dry_run else "added"
    lines = [_line(outcome) for outcome in result.outcomes]
    lines.append(
        f"{shown}: {verb} {counts[PLACED]} {'note' if counts[PLACED] == 1 else 'notes'}; {anchored} of {tried} annotations anchored{share}; "
        f"{counts[PRESENT]} already there, {counts[ORPHAN]} orphaned, {counts[REFUSED]} refused, "
        f"{counts[SKIPPED]} {'reply' if counts[SKIPPED] == 1 else 'replies'} skipped"
    )
    return "\n".join(lines) + "\n"
