"""Editing commands: ``gloss note add|edit|rm`` — the preview's note editing, for scripts and tests.

Same writer, same guarantees as ``gloss serve --edit``: only the span and the note's lines change, the
result passes ``gloss check`` or nothing is written, and the file is replaced atomically.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .note_file import read_content, write_content

if TYPE_CHECKING:
    from .note_yaml import SourceFields

# The writer (and YAML, the Markdown and site stages it checks with) is imported when a note command
# runs: building the parser must stay cheap for every other command (a build with nothing to do).


def _rating(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 5:
        raise ValueError(text)
    return value


def _sources(args: argparse.Namespace) -> tuple[SourceFields, ...] | None:
    from .note_yaml import SourceFields

    if getattr(args, "no_sources", False):
        return ()
    if not args.source:
        return None
    return tuple(SourceFields(title, url or None, date or None) for title, url, date in args.source)


def _note_options(sub: argparse.ArgumentParser, editing: bool) -> None:
    sub.add_argument("--kind", choices=["fact", "claim"], required=not editing, help="fact or claim")
    sub.add_argument("--verdict", required=not editing, help="a verdict of the kind's scale")
    sub.add_argument("--body", required=not editing, help="the note text (Markdown)")
    sub.add_argument("--rating", type=_rating, help="1–5")
    sub.add_argument("--source", nargs=3, action="append", metavar=("TITLE", "URL", "DATE"),
                     help='a source (repeat for more); "" for no URL or no date')
    sub.add_argument("--claimant", help="who made the claim")
    if editing:
        sub.add_argument("--claim", help="the claim checked, in one line (claim:)")
        sub.add_argument("--no-claim", action="store_true", help="remove the claim (the span's text is the claim)")
        sub.add_argument("--no-rating", action="store_true", help="remove the rating")
        sub.add_argument("--no-claimant", action="store_true", help="remove the claimant")
        sub.add_argument("--no-sources", action="store_true", help="remove the sources")


def add_parsers(commands: Any) -> None:
    """Add ``gloss note`` and its subcommands to the CLI's subparsers."""
    note = commands.add_parser("note", help="add, edit or remove a note in a content file")
    actions = note.add_subparsers(dest="action", required=True, metavar="ACTION")

    sub = actions.add_parser("add", help="mark a quote in the text and add its note; prints the note id")
    sub.add_argument("file", metavar="FILE", help="a content file")
    sub.add_argument("--quote", required=True, help="the words to mark, as the page shows them")
    sub.add_argument("--occurrence", type=int,
                     help="which match of the quote (1 = the first in the article, then the comments)")
    sub.add_argument("--in", dest="within", metavar="WHERE", help='"article" or a comment id: search only there')
    sub.add_argument("--claim", help="the claim checked, in one line (claim:); also names the note (its id)")
    sub.add_argument("--id", dest="note_id", help="the note id (default: from --claim, else the quote)")
    _note_options(sub, editing=False)
    sub.set_defaults(run=_cmd_add)

    sub = actions.add_parser("edit", help="change a note's fields; fields not given stay as they are")
    sub.add_argument("file", metavar="FILE", help="a content file")
    sub.add_argument("id", metavar="ID", help="the note id")
    _note_options(sub, editing=True)
    sub.set_defaults(run=_cmd_edit)

    sub = actions.add_parser("rm", help="remove a note and the span that marks its text")
    sub.add_argument("file", metavar="FILE", help="a content file")
    sub.add_argument("id", metavar="ID", help="the note id")
    sub.set_defaults(run=_cmd_rm)


def _cmd_add(args: argparse.Namespace) -> int:
    from .note_writer import NoteFields, add_note, locate_quote, note_ids, unique_id

    file = read_content(Path(args.file))
    where = locate_quote(file.text, file.shown, args.quote, within=args.within, occurrence=args.occurrence)
    note = NoteFields(args.kind, args.verdict, args.body, args.rating, _sources(args) or (), args.claimant,
                      args.claim)
    note_id = args.note_id or unique_id(args.claim or where.quote, note_ids(file.text, file.shown))
    text = add_note(file.text, start=where.start, end=where.end, note=note, note_id=note_id, path=file.shown)
    write_content(file, text)
    print(note_id)
    return 0


def _cmd_edit(args: argparse.Namespace) -> int:
    from .note_writer import current_fields, edit_note

    file = read_content(Path(args.file))
    note = current_fields(file.text, args.id, file.shown)
    changes: dict[str, Any] = {k: v for k, v in (("kind", args.kind), ("verdict", args.verdict),
                                                   ("body", args.body), ("rating", args.rating),
                                                   ("claimant", args.claimant), ("claim", args.claim))
                                if v is not None}
    if args.no_rating:
        changes["rating"] = None
    if args.no_claimant:
        changes["claimant"] = None
    if args.no_claim:
        changes["claim"] = None
    if (sources := _sources(args)) is not None:
        changes["sources"] = sources
    write_content(file, edit_note(file.text, args.id, replace(note, **changes), file.shown))
    return 0


def _cmd_rm(args: argparse.Namespace) -> int:
    from .note_writer import remove_note

    file = read_content(Path(args.file))
    write_content(file, remove_note(file.text, args.id, file.shown))
    return 0
