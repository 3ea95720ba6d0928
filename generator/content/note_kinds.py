"""Content stage: the one vocabulary of notes — kinds, verdicts, verdict groups, ratings.

Everything that names a note kind or a verdict reads it from here: validation
(``parse.py``, the site stage's kind check), the templates (label, icon, group
class), the claims pages (one filter per kind and verdict), the W3C export
(motivation) and the JSON-LD (``ClaimReview`` rating). A new verdict is one
:class:`Verdict` line below.

A verdict belongs to one kind (facts are *true as written?*, claims are *how well
backed?*) and to one :class:`VerdictGroup`, which is what the reader sees first:
the group gives the colour, the icon and the border shape, so two verdicts that
mean the same to a reader (Inaccurate, Unsupported) look the same, and colour is
never the only cue (icon, shape and the word go with it).

Every word here that a page shows is marked ``N_``/``NP_`` so the catalogs carry it; pages show it
in the site's language, while data (front matter, JSON-LD, exports) keeps these English words.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from ..common.translatable import N_, NP_


@dataclass(frozen=True, slots=True)
class VerdictGroup:
    """What a verdict means to a reader at a glance."""

    name: str
    """CSS and URL name: ``holds``, ``fails``, ``partly``, ``open``."""
    counted: tuple[str, str]
    """The group counted, for one note and for several (``%(num)d holds up``, ``%(num)d hold up``):
    English msgids, shown through the catalog's plural forms (the ``counted`` template filter)."""
    icon: str
    """A shape that tells the group apart without colour (✓ ✗ ◐ ?)."""

    @property
    def label(self) -> str:
        """The group in English words for one note (``holds up``)."""
        return self.counted[0].removeprefix("%(num)d ")

    @property
    def plural(self) -> str:
        """The group in English words for several (``hold up``)."""
        return self.counted[1].removeprefix("%(num)d ")


@dataclass(frozen=True, slots=True)
class Verdict:
    """One verdict word and what goes with it."""

    word: str
    """The verdict as written in the front matter and shown to readers."""
    kind: str
    """The note kind whose scale it belongs to (``fact`` or ``claim``)."""
    group: VerdictGroup
    """Its reader-facing group (colour, icon, shape)."""
    lowest: int
    """The lowest rating (1–5) a note with this verdict may carry."""
    highest: int
    """The highest rating it may carry."""
    rating: int
    """The rating used when a note gives none (schema.org ``reviewRating``)."""

    @property
    def slug(self) -> str:
        """URL segment and CSS name: ``accurate``."""
        return self.word.lower()

    @property
    def rating_range(self) -> str:
        """The allowed ratings in words: ``4–5`` or ``3``."""
        return str(self.lowest) if self.lowest == self.highest else f"{self.lowest}–{self.highest}"


@dataclass(frozen=True, slots=True)
class NoteKind:
    """A kind of note, named by the span's class (``{.fact #id}``)."""

    name: str
    """``fact`` or ``claim``: the span class without its dot."""
    label: str
    """The kind in words on a note ("Fact check")."""
    plural: str
    """The heading of its claims filter ("Fact checks")."""
    question: str
    """What its verdicts answer, for hints and the claims page."""
    motivation: str
    """W3C Web Annotation motivation: a fact note assesses, a claim note questions."""
    schema_type: str
    """The schema.org type of the review (``ClaimReview`` for both: a fact check reviews a claim the text makes)."""
    verdicts: tuple[str, ...]
    """Its verdict words, in the order filters list them."""


HOLDS = VerdictGroup("holds", NP_("%(num)d holds up", "%(num)d hold up"), "✓")
FAILS = VerdictGroup("fails", NP_("%(num)d fails", "%(num)d fail"), "✗")
PARTLY = VerdictGroup("partly", NP_("%(num)d partly holds", "%(num)d partly hold"), "◐")
OPEN = VerdictGroup("open", NP_("%(num)d open", "%(num)d open"), "?")
GROUPS = (HOLDS, FAILS, PARTLY, OPEN)
"""Verdict groups in the order the summary box counts them."""

VERDICTS = (
    Verdict(N_("Accurate"), "fact", HOLDS, 4, 5, 5),
    Verdict(N_("Inaccurate"), "fact", FAILS, 1, 2, 1),
    Verdict(N_("Outdated"), "fact", PARTLY, 2, 4, 3),
    Verdict(N_("Supported"), "claim", HOLDS, 4, 5, 4),
    Verdict(N_("Unsupported"), "claim", FAILS, 1, 2, 1),
    Verdict(N_("Misleading"), "claim", PARTLY, 2, 3, 2),
    Verdict(N_("Disputed"), "claim", PARTLY, 2, 4, 3),
    Verdict(N_("Unverified"), "claim", OPEN, 2, 4, 3),
)
"""Every verdict. Ratings (1 worst … 5 best) must fall in the verdict's range: a note rated 5
and called Inaccurate contradicts itself, and structured data would publish both."""

VERDICT = {v.word: v for v in VERDICTS}
"""Verdict word → :class:`Verdict`."""

KINDS = (
    NoteKind("fact", N_("Fact check"), N_("Fact checks"), "is the statement true as written?", "assessing", "ClaimReview",
             tuple(v.word for v in VERDICTS if v.kind == "fact")),
    NoteKind("claim", N_("Claim"), N_("Claims"), "how well does the evidence back the claim?", "questioning", "ClaimReview",
             tuple(v.word for v in VERDICTS if v.kind == "claim")),
)
"""Every note kind."""

KIND = {k.name: k for k in KINDS}
"""Kind name → :class:`NoteKind`."""

FACT_VERDICTS = KIND["fact"].verdicts
"""Verdicts a fact note may carry."""
CLAIM_VERDICTS = KIND["claim"].verdicts
"""Verdicts a claim note may carry."""

RATING_SCALE = {
    1: N_("False or unsupported"),
    2: N_("Mostly false or weakly supported"),
    3: N_("Mixed or unproven"),
    4: N_("Mostly true or well supported"),
    5: N_("True and fully supported"),
}
"""The 1–5 rating scale (schema.org ``reviewRating``: 1 worst, 5 best)."""


def verdict_hint() -> str:
    """Every verdict, by kind, for an error's hint."""
    return "; ".join(f"{k.plural.lower()}: " + "/".join(k.verdicts) for k in KINDS)


def verdict_suggestion(written: str) -> str:
    """:func:`verdict_hint` after a did-you-mean for a verdict in the wrong case or misspelt."""
    same = [word for word in VERDICT if word.casefold() == written.strip().casefold()]
    close = same or difflib.get_close_matches(written.strip().capitalize(), list(VERDICT), n=1, cutoff=0.7)
    return f'did you mean "{close[0]}"? {verdict_hint()}' if close else verdict_hint()


def rating_hint(verdict: Verdict) -> str:
    """What ratings fit ``verdict``, for an error's hint."""
    return (f"{verdict.word} is rated {verdict.rating_range}; change the rating, or the verdict if the rating "
            f"is right, or leave rating out to use {verdict.rating}")
