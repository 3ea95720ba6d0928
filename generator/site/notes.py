"""Site-model stage: what a note looks like to templates, structured data and the claims pages.

One schema: :class:`NoteSummary` is a note as every page knows it (the claims
pages, indexes, the feed), :class:`NoteView` adds the rendered body the article
page shows. The vocabulary (kind label, verdict group, icon, rating range) is
looked up in :mod:`generator.content.note_kinds`, never spelled out here.

Fields the content :class:`~generator.content.model.Note` shares by name with
:class:`NoteSummary` are copied by name, so a new note field is declared in the
model, read in ``parse.py`` and declared here: three files.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields

from markdown_it import MarkdownIt

from ..common.translatable import N_, NP_
from ..content.annotations import SpanRecord
from ..content.markdown import render_note_body
from ..content.model import Note, Source
from ..content.note_kinds import GROUPS, KIND, RATING_SCALE, VERDICT, NoteKind, Verdict, VerdictGroup

_TAG = re.compile(r"<[^>]+>")
# A sentence ends at . ! or ? followed by a space and a capital, digit or quote; "e.g. the" does not end one.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z0-9“\"‘(])")
FINDING_LIMIT = 200
"""A finding longer than this is cut at a word, with "…"."""


@dataclass(frozen=True, slots=True)
class NoteSummary:
    """A note joined with the span that uses it, without its rendered body."""

    id: str
    """Note id; the span is ``#span-<id>``, the note ``#note-<id>``."""
    kind: str
    """``fact`` or ``claim``, from the span's class."""
    number: int
    """1-based, in reading order on its article page."""
    verdict: str
    """The verdict word."""
    rating: int | None
    """1–5 within the verdict's range, or None."""
    quote: str
    """The span's plain text: what the note is about."""
    location: str
    """``article`` or the id of the comment holding the span."""
    sources: tuple[Source, ...]
    """Evidence."""
    claimant: str | None
    """Who made the claim, for claims."""
    claim: str | None
    """The claim checked in one line, when the editor wrote one (else the quote stands for it)."""
    finding: str
    """The note's first sentence, plain text: the finding, for the claims page and the summary box."""

    @property
    def kind_info(self) -> NoteKind:
        """The kind's vocabulary (label, motivation…)."""
        return KIND[self.kind]

    @property
    def verdict_info(self) -> Verdict:
        """The verdict's vocabulary (group, range, slug)."""
        return VERDICT[self.verdict]

    @property
    def group(self) -> VerdictGroup:
        """The verdict's group: what drives the note's colour, icon and border."""
        return VERDICT[self.verdict].group

    @property
    def rating_label(self) -> str:
        """What the rating means in words ("" when unrated)."""
        return RATING_SCALE.get(self.rating, "") if self.rating else ""

    @property
    def score(self) -> int:
        """The rating, or the verdict's default rating when the note gives none."""
        return self.rating or VERDICT[self.verdict].rating

    @property
    def claim_text(self) -> str:
        """The claim checked: the editor's ``claim``, else the span text."""
        return self.claim or self.quote


@dataclass(frozen=True, slots=True)
class NoteView(NoteSummary):
    """A note as its article page shows it: the summary plus the rendered body."""

    body_html: str
    """The note body as block HTML (the list of notes)."""
    inline_html: str
    """The note body as phrasing HTML (the margin note, which sits inside a paragraph)."""

    def summary(self) -> NoteSummary:
        """The same note without its body (what listings keep)."""
        return NoteSummary(**{f.name: getattr(self, f.name) for f in fields(NoteSummary)})


_FROM_NOTE = tuple(f.name for f in fields(NoteSummary) if f.name in {g.name for g in fields(Note)})
"""Fields copied by name from the content note (verdict, rating, sources, claimant, claim…)."""


def first_sentence(body_html: str, limit: int = FINDING_LIMIT) -> str:
    """The first sentence of a rendered note body, as plain text."""
    text = " ".join(html.unescape(_TAG.sub(" ", body_html)).split())
    text = re.sub(r" ([.,;:!?])", r"\1", text)  # tags removed before punctuation leave a space
    sentence = _SENTENCE_END.split(text, maxsplit=1)[0] if text else ""
    if len(sentence) <= limit:
        return sentence
    return sentence[: limit - 1].rsplit(" ", 1)[0] + "…"


def note_view(md: MarkdownIt, note: Note, span: SpanRecord, number: int, location: str) -> NoteView:
    """Join a content note with its span (and render its body)."""
    body_html, inline_html = render_note_body(md, note.body)
    copied = {name: getattr(note, name) for name in _FROM_NOTE}
    return NoteView(
        kind=span.kind, number=number, quote=span.text, location=location,
        finding=first_sentence(body_html), body_html=body_html, inline_html=inline_html, **copied,
    )


@dataclass(frozen=True, slots=True)
class GroupCount:
    """How many notes of a page fall in one verdict group."""

    group: VerdictGroup
    """The group."""
    count: int
    """Its notes (more than 0: empty groups are left out)."""


def group_counts(notes: Sequence[NoteSummary]) -> tuple[GroupCount, ...]:
    """Notes per verdict group, in the registry's group order, empty groups left out."""
    counts = Counter(note.group.name for note in notes)
    return tuple(GroupCount(g, counts[g.name]) for g in GROUPS if counts[g.name])


Plural = Callable[[str, str, int], str]
"""``ngettext``: the singular or plural text for a count, in the page's language."""

CHECKS = NP_("%(num)d check", "%(num)d checks")
"""The note count that opens :func:`counts_text`."""
COUNTS = N_("%(checks)s: %(groups)s")
"""How :func:`counts_text` joins the note count and the group counts."""
LIST_SEPARATOR = N_(", ")
"""Between the group counts (Arabic writes "، ")."""


def english_plural(singular: str, plural: str, count: int) -> str:
    """``ngettext`` without a catalog: the English text itself."""
    return singular if count == 1 else plural


def counts_text(notes: Sequence[NoteSummary], ngettext: Plural = english_plural,
                gettext: Callable[[str], str] = str) -> str:
    """``5 checks: 2 hold up, 1 fails, 2 open`` (for descriptions and link previews), in the language of
    ``ngettext``/``gettext`` (the render stage passes the site language's)."""
    if not notes:
        return ""
    checks = ngettext(*CHECKS, len(notes)) % {"num": len(notes)}
    groups = [ngettext(*c.group.counted, c.count) % {"num": c.count} for c in group_counts(notes)]
    return gettext(COUNTS) % {"checks": checks, "groups": gettext(LIST_SEPARATOR).join(groups)}
