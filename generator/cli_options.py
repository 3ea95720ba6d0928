"""The conventions every ``gloss`` command shares: ``-q``/``-v`` before or after it, ``--version``,
and a one-line example at the end of its ``--help`` (``cli.py`` builds the commands)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any


EXAMPLES = {
    "import": "gloss import raw.txt --slug putin-visit --title \"Putin visits North Korea\"",
    "review": "gloss review content/putin-visit.md --accept c4:reply --reject c3:name",
    "check": "gloss check --content content",
    "build": "gloss build --base-url https://example.org/news/",
    "init": "gloss init my-site",
    "theme": "gloss theme copy article.html",
    "note": "gloss note rm content/putin-visit.md cma",
    "note add": "gloss note add content/putin-visit.md --quote \"scrapped its 2018 agreement\" --kind fact "
                "--verdict Inaccurate --body \"Suspended, not scrapped.\"",
    "note edit": "gloss note edit content/putin-visit.md cma --verdict Accurate",
    "note rm": "gloss note rm content/putin-visit.md cma",
    "annotations": "gloss annotations import notes.json --into content/putin-visit.md --dry-run",
    "annotations import": "gloss annotations import notes.json --into content/putin-visit.md --dry-run",
    "dump": "gloss dump content/putin-visit.md",
    "export": "gloss export content/putin-visit.md --format w3c --base-url https://example.org/news/",
    "serve": "gloss serve --port 8000 --open",
}
"""One line per command, shown at the end of its ``--help``."""


def language_tag(text: str) -> str:
    """An option's language tag (``gloss init --language fr``), checked as ``site.yaml``'s is."""
    from .content.yamldoc import LANGUAGE_TAG

    if not LANGUAGE_TAG.match(text):
        raise argparse.ArgumentTypeError(f'"{text}" is not a language tag (hint: en, fr or pt-BR)')
    return text


def output_options(parser: argparse.ArgumentParser, default: Any) -> None:
    """-q and -v; ``default`` is SUPPRESS on a command, so that ``gloss -v build`` keeps the global -v."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument("-q", "--quiet", action="store_true", default=default,
                       help="print only errors, warnings and what the command outputs")
    group.add_argument("-v", "--verbose", action="store_true", default=default,
                       help="more detail: file counts after a build, Python tracebacks with errors")


class VersionAction(argparse.Action):
    """``--version``: the version is looked up only when asked for (reading metadata costs time)."""

    def __init__(self, option_strings: Sequence[str], dest: str, help: str | None = None) -> None:  # noqa: A002
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        from .common.version import gloss_version

        print(f"gloss {gloss_version()}")
        parser.exit()


def nested_conventions(parser: argparse.ArgumentParser, names: tuple[str, ...] = ()) -> None:
    """-q/-v and the --help example on commands of commands too (``gloss note add … -q``)."""
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            continue
        for name, sub in action.choices.items():
            path = (*names, name)
            if len(path) > 1:
                output_options(sub, argparse.SUPPRESS)
                if " ".join(path) in EXAMPLES:
                    sub.epilog = f"example: {EXAMPLES[' '.join(path)]}"
                    sub.formatter_class = argparse.RawDescriptionHelpFormatter
            nested_conventions(sub, path)
