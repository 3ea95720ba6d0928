"""Build, across articles: the translation links of article pages, settled once every article is known.

A page is rendered (in a worker, before the other articles are known) with the links its article had
in the previous build. Once the records of every article are in, the links are worked out again from
them (``site/translations.py``, no file parsed again) and each page whose links changed is rendered
again: only the groups that changed pay for it. A ``translation_of:`` that cannot be followed is an
error at its line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..common.errors import GlossError, SourceLocation, raise_all
from ..site.translations import TranslationEntry, TranslationProblem, translation_links
from .inputs import InputFile
from .slugs import key_location
from .state import ArticleRecord


def located_problems(problems: Sequence[TranslationProblem], files: Mapping[str, InputFile]) -> list[GlossError]:
    """Each problem as an error at its file's ``translation_of:`` line."""
    return [GlossError(p.message, (key_location(files[p.shown], "translation_of") if p.shown in files else None)
                       or SourceLocation(p.shown, 1, 1), p.hint) for p in problems]


def check_translations(entries: Sequence[TranslationEntry], files: Mapping[str, InputFile]) -> None:
    """``gloss check``: raise every ``translation_of:`` that a build would refuse."""
    raise_all(located_problems(translation_links(entries)[1], files))


def settle_translations(records: dict[str, ArticleRecord], order: Sequence[str], files: Mapping[str, InputFile],
                        site_language: str, drafts: bool) -> list[str]:
    """Give every record the links its page must show; answers the published pages (shown paths) whose
    page in the tree shows other links and must be rendered again."""
    entries = [TranslationEntry(shown, records[shown].slug, records[shown].language or site_language,
                                records[shown].translation_of, drafts or not records[shown].draft) for shown in order]
    links, problems = translation_links(entries)
    raise_all(located_problems(problems, files))
    stale = []
    for entry in entries:
        wanted = links.get(entry.shown, ())
        if records[entry.shown].translations != wanted:
            records[entry.shown] = records[entry.shown]._replace(translations=wanted)
            if entry.published:
                stale.append(entry.shown)
    return stale
