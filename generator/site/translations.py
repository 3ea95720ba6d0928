"""Site model, across articles: which articles are translations of one another.

An article names the one it translates with ``translation_of: <slug>``; the original and all its
translations form a group, and each published page of a group links to every published page of it,
itself included (``<link rel="alternate" hreflang>`` wants that), in the order of their language tags.
Data in, data out: the build stage gives what its records know of every article and locates the
problems this module finds.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Translation:
    """One language version of an article, as the pages of its group link to it."""

    language: str
    """Its language tag (its own ``language:``, else the site's)."""
    slug: str
    """Its slug."""

    @property
    def url(self) -> str:
        """Site-relative URL of its page."""
        return f"articles/{self.slug}/"


@dataclass(frozen=True, slots=True)
class TranslationEntry:
    """What the build knows of one article for this (from its record, without parsing it again)."""

    shown: str
    """Its content file, as messages name it."""
    slug: str
    """Its slug."""
    language: str
    """Its language tag (its own, else the site's)."""
    translation_of: str | None
    """The slug it names as its original, if any."""
    published: bool
    """Whether its page is built (a draft's is not, unless drafts are)."""


@dataclass(frozen=True, slots=True)
class TranslationProblem:
    """A ``translation_of:`` that cannot be followed; the build stage locates it in ``shown``."""

    shown: str
    """The content file whose ``translation_of:`` is wrong."""
    message: str
    """What is wrong."""
    hint: str
    """How to put it right."""


def translation_links(entries: Sequence[TranslationEntry]
                      ) -> tuple[dict[str, tuple[Translation, ...]], list[TranslationProblem]]:
    """The links of every published page that has a published translation (by shown path), and the
    problems: a slug no article has, an article naming itself, a translation of a translation, and two
    versions in one language."""
    by_slug = {entry.slug: entry for entry in entries}
    problems: list[TranslationProblem] = []
    groups: dict[str, list[TranslationEntry]] = {}
    for entry in entries:
        root = entry.slug
        if entry.translation_of is not None:
            target = by_slug.get(entry.translation_of)
            if target is None:
                close = difflib.get_close_matches(entry.translation_of, list(by_slug), n=1, cutoff=0.6)
                problems.append(TranslationProblem(
                    entry.shown, f'no article has the slug "{entry.translation_of}"',
                    f'did you mean "{close[0]}"?' if close else "name the slug of the article this one translates"))
                continue
            if target is entry:
                problems.append(TranslationProblem(entry.shown, "an article cannot be a translation of itself",
                                                   "name the slug of the original article"))
                continue
            if target.translation_of is not None:
                problems.append(TranslationProblem(
                    entry.shown, f'"{target.slug}" is itself a translation, of "{target.translation_of}"',
                    f'name the original: translation_of: "{target.translation_of}"'))
                continue
            root = target.slug
        groups.setdefault(root, []).append(entry)
    links: dict[str, tuple[Translation, ...]] = {}
    for members in groups.values():
        seen: dict[str, TranslationEntry] = {}
        for entry in sorted(members, key=lambda e: e.translation_of is not None):  # the original first
            other = seen.setdefault(entry.language.lower(), entry)
            if other is not entry:  # so ``entry`` is a translation: the original came first
                problems.append(TranslationProblem(
                    entry.shown, f'this translation is in the same language ("{entry.language}") as "{other.slug}"',
                    "set its language: to the language it is written in"))
        shown = [e for e in members if e.published]
        if len(shown) < 2:
            continue
        group = tuple(sorted((Translation(e.language, e.slug) for e in shown), key=lambda t: (t.language, t.slug)))
        for entry in shown:
            links[entry.shown] = group
    problems.sort(key=lambda p: (p.shown, p.message))
    return links, problems
