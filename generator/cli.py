"""Command line: ``gloss`` (and ``python -m generator``).

Parses arguments, calls one stage entry point, and turns located errors into
``path:line:col: message (hint: …)`` lines on stderr with exit code 1. Usage
errors exit 2 (argparse). ``-v``/``--verbose`` adds tracebacks (and file counts after a build);
``-q``/``--quiet`` leaves only errors, warnings and the command's output. Colour and the
progress line only on a terminal (``terminal.py``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .build.options import BuildOptions, build_lock
from .build.progress import listening
from .build.uptodate import check_writable, prepare

# Each command imports its stages when it runs: a build with nothing to do must not pay the
# ~0.25 s that importing the parsing and rendering libraries costs.
from .common.atomic_write import write_atomically
from .common.errors import GlossError, GlossErrors, SourceLocation, flatten
from .common.textfile import shown_path
from .cli_options import EXAMPLES, VersionAction, language_tag, nested_conventions, output_options
from .editing.note_cli import add_parsers as add_note_parsers
from .terminal import ProgressLine, paint, plural

if TYPE_CHECKING:
    from .site.article_page import ArticlePage


def _cmd_import(args: argparse.Namespace) -> int:
    from .importing.importer import (  # only this command needs the import stage
        find_duplicate,
        import_raw,
    )

    raw = Path(args.raw)
    shown = shown_path(raw)
    try:
        data = raw.read_bytes()
    except OSError as exc:
        raise GlossError(f"cannot read file: {exc.strerror}", SourceLocation(shown, 1, 1), "check the path") from exc
    imported = import_raw(data, shown, title=args.title, slug=args.slug, date=args.date, source=raw.name,
                          date_order=args.date_order)
    content = Path(args.content)
    target = content / f"{imported.slug}.md"
    twin = None if args.force else find_duplicate(sorted(content.glob("*.md")) if content.is_dir() else [],
                                                  imported.text)
    if target.exists() and not args.force:
        raise GlossError(
            f"{shown_path(target)} already exists",
            SourceLocation(shown, 1, 1),
            "it was imported from this same dump; pass --force to overwrite it"
            if twin is not None and twin.path == target
            else "pass --force to overwrite it, or --slug to write another file",
        )
    if twin is not None:
        raise GlossError(
            f"this dump was already imported as {shown_path(Path(twin.path))} ({twin.how()})",
            SourceLocation(shown, 1, 1),
            "edit that file, or pass --force to import it again",
        )
    for warning in imported.warnings:
        print(warning, file=sys.stderr)
    write_atomically(target, imported.text)  # an interrupted import leaves no half file
    print(shown_path(target))
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from .build.pipeline import check

    pages = check(Path(args.content), Path.cwd())
    # Warnings (a source without a URL) do not fail the check: exit 0, one line each on stderr.
    from .content.markdown import make_parser, plain_code_warnings

    md = make_parser()
    for page in pages:
        article = page.article
        blocks = [article.body, *(comment.body for comment in article.comments)]
        for warning in [*article.warnings, *(w for b in blocks for w in plain_code_warnings(md, b, article.path))]:
            print(warning, file=sys.stderr)
    notes = sum(len(p.notes) for p in pages)
    comments = sum(p.comment_count for p in pages)
    if not args.quiet:
        print(f"ok: {plural(len(pages), 'article')}, {plural(notes, 'note')}, {plural(comments, 'comment')}")
    return 0


def _cmd_build(args: argparse.Namespace) -> int:
    options = BuildOptions(
        root=Path.cwd(),
        content=Path(args.content),
        output=Path(args.output),
        base_url=args.base_url,
        drafts=args.drafts,
        search=not args.no_search,
        cache=None if args.no_cache else Path(args.cache or ".gloss-cache"),
        force=args.force,
    )
    check_writable(options)  # before the lock, which creates the output's parent folder
    started = time.perf_counter()
    line = ProgressLine(sys.stderr)
    line.enabled = line.enabled and not args.quiet
    try:
        with build_lock(options):
            prepared = prepare(options)
            if prepared.result is not None:
                result = prepared.result
            else:
                from .build.pipeline import build

                with listening(line.update):
                    result = build(options, prepared)
    finally:
        line.clear()
    for warning in result.warnings:
        print(_painted_warning(warning), file=sys.stderr)
    if not args.quiet:
        stats = result.stats
        took = time.perf_counter() - started
        summary = f"built {plural(result.articles, 'article')} into {shown_path(options.output)} in {took:.2f} s"
        if args.verbose:
            summary += f" ({plural(stats.written, 'file')} written, {stats.unchanged} unchanged, {stats.removed} removed)"
        print(paint(summary, "green", sys.stdout))
    return 0


def _painted_warning(warning: str) -> str:
    head, sep, rest = warning.partition(":")
    return paint(head + sep, "yellow", sys.stderr) + rest if head == "warning" else warning


def _cmd_init(args: argparse.Namespace) -> int:
    from .scaffold import scaffold  # only this command needs the scaffold

    target = Path(args.dir)
    written = scaffold(target, force=args.force, language=args.language)
    for path in written:
        print(shown_path(path))
    if not args.quiet:
        print(f"next: cd {shown_path(target)} && gloss build, then open output/index.html", file=sys.stderr)
    return 0


def _cmd_theme(args: argparse.Namespace) -> int:
    from .build.uptodate import builtin_templates
    from .scaffold import builtin_names, copy_builtin

    if args.action == "list":
        for name in builtin_names(builtin_templates()):
            print(name)
        return 0
    if not args.name:
        raise GlossError("name the template to copy", SourceLocation("gloss theme copy", 1, 1),
                         "e.g. gloss theme copy article.html (gloss theme list shows the names)")
    print(shown_path(copy_builtin(builtin_templates(), args.name, Path.cwd(), force=args.force)))
    return 0


def _page_for(file: str) -> ArticlePage:
    from .build.pipeline import load_pages, read_text
    from .content.parse import parse_article

    path = Path(file)
    shown = shown_path(path)
    if not path.is_file():
        raise GlossError("no such content file", SourceLocation(shown, 1, 1), "name a file in content/")
    article = parse_article(read_text(path), shown, path.stem)
    return load_pages([article])[0]


def _cmd_dump(args: argparse.Namespace) -> int:
    from .dump import dump_json

    page = _page_for(args.file)
    sys.stdout.write(dump_json(page))
    return 0


def _cmd_review(args: argparse.Namespace) -> int:
    from .review import review

    def ask() -> str:
        line = sys.stdin.readline()
        if not sys.stdin.isatty():  # answers from a pipe or file: show them, as a terminal would
            sys.stdout.write(line if line.endswith("\n") else line + "\n")
        return line if line else "eof"

    return review(args.file, args.accept, args.reject, list_only=args.list, out=sys.stdout, ask=ask)


def _iso_date(value: str) -> str:
    """A real calendar date, checked before anything is written."""
    try:
        return dt.date.fromisoformat(value).isoformat() if len(value) == 10 else _fail_date(value)
    except ValueError:
        return _fail_date(value)


def _fail_date(value: str) -> str:
    raise argparse.ArgumentTypeError(f"{value!r} is not a date YYYY-MM-DD")


def _cmd_export(args: argparse.Namespace) -> int:
    from .build.pipeline import load_config
    from .export import export_w3c

    config = load_config(Path.cwd(), args.base_url)
    sys.stdout.write(export_w3c(_page_for(args.file), config))
    return 0


def _cmd_annotations_import(args: argparse.Namespace) -> int:
    from .annotation_import.command import run_import  # only this command needs the importer

    sys.stdout.write(run_import(Path(args.file), Path(args.into), Path(args.map) if args.map else None, args.dry_run))
    return 0


def make_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for the README's usage text and tests)."""
    parser = argparse.ArgumentParser(
        prog="gloss", description="Build annotated articles with their evidence and discussion.",
        epilog="example: gloss build   (run in the folder that holds content/)",
    )
    parser.add_argument("--version", action=VersionAction, help="print Gloss's version and exit")
    output_options(parser, False)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    # -q and -v are accepted after the command too; SUPPRESS keeps the global value when absent.
    shared = argparse.ArgumentParser(add_help=False)
    output_options(shared, argparse.SUPPRESS)
    original_add_parser = commands.add_parser

    def add_parser(name: str, **kwargs: Any) -> argparse.ArgumentParser:
        # Raw: the example is one line to copy, however long; argparse would wrap it. A command
        # without one in EXAMPLES still works (tests/test_cli_conventions.py asks for it).
        example = EXAMPLES.get(name)
        kwargs.setdefault("epilog", f"example: {example}" if example else None)
        kwargs.setdefault("description", kwargs.get("help"))
        return original_add_parser(name, parents=[shared], formatter_class=argparse.RawDescriptionHelpFormatter,
                                   **kwargs)

    commands.add_parser = add_parser  # type: ignore[method-assign]

    sub = commands.add_parser("import", help="turn a raw article-plus-comments text into a content file")
    sub.add_argument("raw", metavar="RAW", help="the raw text file")
    sub.add_argument("--slug", help="file and URL name (default: the raw file's name)")
    sub.add_argument("--title", help="the headline (default: the first sentence)")
    sub.add_argument(
        "--date", type=_iso_date, help="publication date YYYY-MM-DD (default: the first comment's day)"
    )
    sub.add_argument("--date-order", choices=("dmy", "mdy"),
                     help="read numeric dates such as 06/07/2024 day first (dmy) or month first (mdy)")
    sub.add_argument("--content", default="content", help="content folder (default: content)")
    sub.add_argument("--force", action="store_true",
                     help="overwrite an existing content file; import a dump that was imported before")
    sub.set_defaults(run=_cmd_import)

    sub = commands.add_parser("review", help="accept or reject the reply links and names the importer inferred")
    sub.add_argument("file", metavar="FILE", help="a content file")
    sub.add_argument("--accept", action="append", default=[], metavar="KEY",
                     help="confirm an inference: c4:reply, c3:name, or c4 for both (repeatable)")
    sub.add_argument("--reject", action="append", default=[], metavar="KEY",
                     help="remove an inferred link or name (repeatable)")
    sub.add_argument("--list", action="store_true", help="only list the inferences and their evidence")
    sub.set_defaults(run=_cmd_review)

    sub = commands.add_parser("check", help="validate all content; list every error")
    sub.add_argument("--content", default="content", help="content folder (default: content)")
    sub.set_defaults(run=_cmd_check)

    sub = commands.add_parser("build", help="build the site into the output folder")
    sub.add_argument("--content", default="content", help="content folder (default: content)")
    sub.add_argument("--output", default="output", help="output folder (default: output)")
    sub.add_argument("--base-url", help="absolute site URL for feed, sitemap and canonical links")
    sub.add_argument("--drafts", action="store_true", help="include articles marked draft: true")
    sub.add_argument("--no-search", action="store_true", help="skip the Pagefind search index")
    sub.add_argument("--cache", metavar="DIR", help="build-cache folder (default: .gloss-cache)")
    sub.add_argument("--no-cache", action="store_true", help="parse and render everything; read and write no cache")
    sub.add_argument("--force", action="store_true",
                     help="replace an output folder that is not empty and was not made by gloss build")
    sub.set_defaults(run=_cmd_build)

    sub = commands.add_parser("init", help="create a new site that builds at once")
    sub.add_argument("dir", metavar="DIR", help="folder for the new site (created if missing)")
    sub.add_argument("--force", action="store_true", help="write into a folder that is not empty")
    sub.add_argument("--language", default="en", metavar="TAG", type=language_tag, help="page language (en, fr, …)")
    sub.set_defaults(run=_cmd_init)

    sub = commands.add_parser("theme", help="list the built-in templates, or copy one into templates/ to edit it")
    sub.add_argument("action", choices=["list", "copy"], help="list: the built-in names; copy NAME: into templates/")
    sub.add_argument("name", nargs="?", metavar="NAME", help="with copy: a name from `gloss theme list`")
    sub.add_argument("--force", action="store_true", help="replace the site's own copy")
    sub.set_defaults(run=_cmd_theme)

    sub = commands.add_parser("dump", help="print one parsed article as JSON")
    sub.add_argument("file", metavar="FILE", help="a content file")
    sub.set_defaults(run=_cmd_dump)
    sub = commands.add_parser("export", help="print one article's notes as W3C Web Annotations (JSON-LD)")
    sub.add_argument("file", metavar="FILE", help="a content file")
    sub.add_argument("--format", choices=["w3c"], required=True, help="output format: w3c (Web Annotation JSON-LD)")
    sub.add_argument("--base-url", help="absolute site URL for the target (default: site.yaml's base_url)")
    sub.set_defaults(run=_cmd_export)
    add_note_parsers(commands)
    sub = commands.add_parser("annotations", help="bring in annotations (W3C Web Annotation or Hypothesis JSON)")
    actions = sub.add_subparsers(dest="action", required=True, metavar="ACTION")
    sub = actions.add_parser("import", help="anchor annotations in a content file as spans and notes")
    sub.add_argument("file", metavar="FILE.json", help="a W3C AnnotationCollection or list, or Hypothesis search results")
    sub.add_argument("--into", required=True, metavar="FILE", help="the content file to add the notes to")
    sub.add_argument("--map", metavar="TAGS.yaml", help="which tags mean fact or claim and which verdict")
    sub.add_argument("--dry-run", action="store_true", help="print what would be added; change nothing")
    sub.set_defaults(run=_cmd_annotations_import)
    sub = commands.add_parser("serve", help="build, serve output/ and rebuild and reload on every change")
    sub.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    sub.add_argument("--port", type=_port_number, default=8000, help="port (default: 8000; 0 picks a free one)")
    sub.add_argument("--open", action="store_true", help="open the site in a web browser")
    sub.add_argument("--content", default="content", help="content folder (default: content)")
    sub.add_argument("--output", default="output", help="output folder (default: output)")
    sub.add_argument("--base-url", help="absolute site URL for feed, sitemap and canonical links")
    sub.add_argument("--drafts", action="store_true", help="include articles marked draft: true")
    sub.add_argument("--search", action="store_true", help="also build the Pagefind search index (slower rebuilds)")
    sub.add_argument("--no-cache", action="store_true", help="parse and render everything on every rebuild")
    sub.add_argument("--edit", action="store_true", help="add, edit and remove notes from the page (loopback only)")
    sub.set_defaults(run=_cmd_serve)
    nested_conventions(parser)
    return parser


def _port_number(text: str) -> int:
    if not 0 <= (value := int(text)) <= 65535:
        raise ValueError(text)
    return value


def _cmd_serve(args: argparse.Namespace) -> int:
    from .preview.server import (
        serve,  # only this command needs the server and the file watcher
    )

    # Preview favours speed: the search index (about 0.8 s a rebuild) only on request,
    # and the build cache so a save re-parses only the file that changed.
    options = BuildOptions(Path.cwd(), Path(args.content), Path(args.output), args.base_url, args.drafts,
                           search=args.search, cache=None if args.no_cache else Path(".gloss-cache"))
    return serve(options, args.host, args.port, args.open, args.verbose, args.edit, args.quiet)


def report(exc: GlossError | GlossErrors, verbose: bool) -> None:
    """Print every located error on its own line."""
    for error in flatten(exc):
        print(paint(error.format(), "red", sys.stderr), file=sys.stderr)
    if verbose:
        traceback.print_exception(exc, file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; the return value is the exit code."""
    args = make_parser().parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except (GlossError, GlossErrors) as exc:
        report(exc, args.verbose)
        return 1
    except OSError as exc:
        if args.verbose:
            traceback.print_exc()
        where = shown_path(exc.filename) if exc.filename else "gloss"
        print(f"{where}:1:1: {exc.strerror or exc} (hint: {_os_hint(exc)})", file=sys.stderr)
        return 1
    except RecursionError as exc:
        # Input nested thousands of levels deep; a stage that does not catch it must still not
        # print a traceback thousands of lines long.
        if args.verbose:
            traceback.print_exc(limit=20)
        print("gloss:1:1: the input is nested too deeply to process (hint: look for a list or mapping "
              "nested hundreds of levels deep in site.yaml or a content file's front matter)", file=sys.stderr)
        del exc
        return 1
    except KeyboardInterrupt:
        return 130  # Ctrl-C: the user knows; a build's output is as it was (nothing is swapped in)


def _os_hint(exc: OSError) -> str:
    """What to do about a file-system error, by its errno (a full disk is not a permission problem)."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full: free some space and try again"
    if exc.errno == errno.EROFS:
        return "the file system is read-only: build into a writable folder with --output"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "check its permissions (a folder left by a build run as another user, e.g. root?)"
    return "check the path and its permissions"
