"""Import stage, reply inference: which earlier comment a named person wrote.

Part of ``generator.importing.replies`` (its ``_Thread`` walks the comments and keeps the state these
steps read): where an address to a name nobody is known to carry goes, how an older comment's
wording overrides the default target, and when a known name may mean a namesake or the unnamed
answer the person gave to a question put to them. A wrong target is worse than none: each step
returns None when two comments could be meant.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from itertools import islice
from typing import Protocol

from . import lexicon, wording
from .answers import asked_questions, asks_anyone
from .names import Cue, name_key, trim_name
from .tokens import sentences
from .overlap import Overlap
from .similarity import answers_question_of, asks_source_of_that

# Thresholds in "rare-word units": a content word shared by exactly two comments weighs 1.
OVERRIDE = 1.0      # an older comment beats the default (most recent) target
NOTHING = 0.5       # a comment sharing less than this with a reply shares nothing to speak of
WINDOW = 10        # an address to a name not yet known answers one of this many comments above
_CLAIM_REACH = 60   # what a mention says someone said is looked for this many comments above
_ASKED_REACH = 5    # the latest questions put to a person whose answers may be theirs

# "You're right about the heat, but …", "Sam is right that August is …": what the person said.
_ATTRIBUTED = re.compile(r"\b(?:right|wrong|correct|mistaken|spot on|point)\s+(?:about|that|on|re)\s+"
                         r"(?P<claim>[^,;:.!?—–]+?)\s*(?:[,;:.!?—–]|\bbut\b|$)", re.IGNORECASE)

# A mention says what about ("While Kimberly waxes lyrical about the chessboard"): for finding, not vetoing.
_SAID_ABOUT = re.compile(r"\b(?:about|that|re)\s+(?P<claim>[^,;:.!?—–]+?)\s*(?:[,;:.!?—–]|\bbut\b|$)",
                         re.IGNORECASE)


def _claim(sentence: str, pattern: re.Pattern[str] = _ATTRIBUTED) -> frozenset[str]:
    """The content stems of what a sentence says someone said ("right about the heat": heat)."""
    said = pattern.search(sentence)
    return frozenset() if said is None else frozenset(wording.sentence_content(said.group("claim"))[0]) - wording.COMMON



class _Ascending:
    """Membership in an ascending list by bisection: a person's known comments may be hundreds, and
    building a set of them for each cue naming the person made long threads quadratic."""

    __slots__ = ("items",)

    def __init__(self, items: Sequence[int]) -> None:
        self.items = items
        """The list, ascending (``known`` is sorted; an answer appended to it comes after its last)."""

    def __contains__(self, j: object) -> bool:
        if not isinstance(j, int):
            return False
        k = bisect_left(self.items, j)
        return k < len(self.items) and self.items[k] == j

class _Linked(Protocol):
    """A comment's link, as ``replies.ReplyLink`` has it."""

    @property
    def reply_to(self) -> int | None:
        """The comment it answers."""


class Targets:
    """The target-choosing steps; the attributes are the walking thread's (see ``replies._Thread``)."""

    texts: Sequence[str]
    langs: list[str | None]
    cues: list[list[Cue]]
    overlap: Overlap
    links: Sequence[_Linked]
    authors: list[str | None]
    addressing: set[int]
    replied: set[int]
    talks_of: dict[str, set[int]]
    talks_order: dict[str, list[int]]

    def engaged(self, i: int, known: list[int], quoted: int | None, focus: frozenset[str]) -> int | None:
        """Of a name two writers bear, the named comment i quotes or whose words it clearly takes up."""
        named = [j for j in known if self.authors[j] is not None]  # a rejoinder's writer is a guess
        return quoted if quoted in named else self.overlap.clear_best(i, named, focus)

    def spoken_to_since(self, key: str, known: list[int], i: int) -> int | None:
        """The latest comment before i that spoke to the person after their latest known comment
        ("Ingrid, do you have a source?" under Ingrid's comment; linked or not), or None."""
        members = _Ascending(known)
        naming = self.talks_of.get(key, set())
        for p in range(i - 1, known[-1], -1):
            if self.links[p].reply_to in members and p in self.addressing:
                return p
            if p in naming and any(c.basis == "vocative" or c.explicit for c in self.cues[p]
                                   if name_key(c.name).endswith(key)):
                return p
        return None

    def answer_below(self, asking: int, key: str, i: int) -> int | None:
        """The comment right under ``asking`` when it reads as the answer of the person asked: a
        question was put to them, and it states something, unnamed, naming no reader ("JPL's
        small-body database lists …" under "Ingrid, do you have a source?"). Probably theirs."""
        below = asking + 1
        if below >= i or self.authors[below] is not None or below in self.talks_of.get(key, set()):
            return None
        if not asked_questions(self.texts[asking], self.cues[asking]) and "?" not in self.texts[asking]:
            return None  # "Yes please, Priya! Does it need a pump?" asks her too
        if self.links[below].reply_to not in (asking, None) or self.texts[below].rstrip().endswith("?"):
            return None
        names = [n for n in (trim_name(c.name) for c in self.cues[below] if not c.explicit) if n is not None]
        if any(c.explicit for c in self.cues[below]) or not all(map(lexicon.is_ordinary_word, names)):
            return None
        return below

    def said_there(self, sentence: str, target: int) -> bool:
        """False if the naming sentence says what the person said ("you're right about the heat")
        and the target comment says nothing of it: then it is someone else's comment."""
        claim = _claim(sentence)
        # The comment's own words, names included ("right about Vienna"): overlap leaves names out.
        return not claim or not claim.isdisjoint(wording.content(self.texts[target])[0])

    def attributed(self, i: int, sentence: str, pool: Callable[[int], bool]) -> int | None:
        """The one comment in the pool that says what a mention says the person said, when the claim
        is specific: "Ingeborg is right about Vienna" and one comment speaks of Vienna. The claim is
        one piece of evidence and the name another; two comments saying it leave it open."""
        claim = _claim(sentence, _SAID_ABOUT)
        if not claim:
            return None
        # Within a bounded stretch above (names are not in the overlap index, so every comment there is
        # read): a long dump stays linear.
        scores = {j: len(claim.intersection(wording.content(self.texts[j])[0]))
                  for j in range(max(0, i - _CLAIM_REACH), i) if pool(j)}
        best = max(scores.values(), default=0)
        owners = [j for j, score in scores.items() if score == best]
        return owners[0] if len(owners) == 1 and 2 * best >= len(claim) else None

    def earlier_answers(self, key: str, known: list[int], i: int) -> set[int]:
        """The unnamed answers right under questions put to the person before their latest known
        comment ("@Priyanka do you know if …?" then "Cut. It's in the 2021 budget papers …"): probably
        theirs, so a reply taking up their words may answer them rather than the latest."""
        found: set[int] = set()
        # The latest few such questions only, walked down from the latest known comment in the sorted
        # index: a name addressed a thousand times stays cheap (filtering all of them was quadratic).
        members = _Ascending(known)
        order = self.talks_order.get(key, [])
        asked: list[int] = []
        for k in range(bisect_left(order, known[-1]) - 1, -1, -1):
            if order[k] + 1 not in members:
                asked.append(order[k])
                if len(asked) == _ASKED_REACH:
                    break
        for p in reversed(asked):
            if any((c.basis == "vocative" or c.explicit) and name_key(c.name).endswith(key) for c in self.cues[p]):
                below = self.answer_below(p, key, i)
                if below is not None:
                    found.add(below)
        return found

    def namesake(self, i: int, key: str, known: list[int], focus: frozenset[str]) -> bool:
        """True if a cue to a known name may well mean someone else of that name: "Sam is right
        that August is …" when Sam's known comment says nothing of August but another does.

        Two readers may share a name, and a person may answer again without being named. When
        the naming sentence shares next to nothing with the person's known comments but clearly
        speaks of a later unnamed comment (never one naming this person: that one is by someone
        else), either could be meant; a wrong link or name is worse than none.
        """
        if any(self.overlap.sim(i, j, focus)[0] >= 1.0 for j in known):
            return False
        talks_of = self.talks_of.get(key, set())

        def later(j: int) -> bool:
            return j > known[-1] and self.authors[j] is None and j not in talks_of

        top = self.overlap.ranked(i, later, (j for j in range(i - 1, known[-1], -1) if later(j)), focus, 1)
        runner_up = top[1][0] if len(top) > 1 else 0.0
        return bool(top) and top[0][0] >= 1.0 and top[0][0] >= 2 * runner_up

    def open_question_before(self, i: int, default: int, focus: frozenset[str]) -> bool:
        """True if comment i, sharing nothing with the default target, may as well answer an open
        question just above it: "Thanks, Grace, I asked my councillor …" two comments under "Will
        anyone on the committee actually walk round the site?" thanks the one who asked."""
        above = default - 1
        if above < 0 or self.authors[above] is not None or self.overlap.sim(i, default, focus)[0] > 0.0:
            return False
        if above in self.replied:
            return False  # answered already
        return asks_anyone(self.texts[above])

    def pick(self, i: int, pool: Callable[[int], bool], latest: Iterator[int], default: int,
             focus: frozenset[str], floor: float = OVERRIDE) -> int | None:
        """The default target, or an earlier one whose overlap is focused and clearly larger;
        None when two earlier ones could be meant."""
        ranked = self.overlap.ranked(i, pool, latest, focus, 0, 2)
        _, best, (total, in_focus) = ranked[0]
        default_total = self.overlap.sim(i, default, focus)[0]
        clearly = total >= floor and total >= 2 * default_total + 0.5
        if best == default or in_focus < 0.5 or not clearly:
            return default
        # The older comment must also clearly beat any newer one it is compared with: "@Lena where
        # did the eight come from" under two comments counting eight passengers means neither.
        runner_total, runner = (ranked[1][2][0], ranked[1][1]) if len(ranked) > 1 else (0.0, -1)
        if runner > best and total < 2 * runner_total + 0.5:
            return None
        return best

    def far_and_thin(self, i: int, j: int) -> bool:
        """True if comment j is more than :data:`WINDOW` comments above i and shares under two content
        items with it: far back, one shared word is chance as likely as an answer."""
        return i - j > WINDOW and len(self.overlap.items[i] & self.overlap.items[j]) < 2

    def language_pick(self, i: int, picked: int | None, default: int) -> int | None:
        """For a reply in another language than English, whose language chose ``default`` among the
        latest three: ``picked`` (``pick``'s choice), unless it is far up and shares one word ("Sí,
        Pilar, y el estadio …" and "estadio" twelve comments up), which is chance as likely as an
        answer; then the default if the reply answers its question ("Sí, …"), else nowhere."""
        if picked is not None and picked != default and self.far_and_thin(i, picked):
            return default if answers_question_of(self.texts[i], self.texts[default]) else None
        return picked

    def unknown_target(self, i: int, pool: Callable[[int], bool], default: int, cue: Cue,
                       focus: frozenset[str]) -> int | None:
        """Where an address to a name no earlier comment is known to carry goes: an older comment
        its words clearly take up, more than any other comment sharing words of the naming (or first)
        sentence; else the one comment within the last :data:`WINDOW` sharing a distinctive word of
        those sentences ("Mo, what binoculars were you using?" to the one comment about binoculars);
        else nowhere. Position is no evidence: "Gwen, there's a loading bay …" under a comment about
        the cycle lane does not answer it, and a wrong guess would give that comment her name."""
        opening = sentences(self.texts[i])[:1]
        said = {s for part in (cue.sentence, *opening) for s in wording.sentence_content(part)[0]
                if s not in wording.COMMON}

        def owns(j: int) -> bool:
            return pool(j) and not self.overlap.items[j].isdisjoint(said)

        picked = self.pick(i, pool, (j for j in range(i - 1, -1, -1) if pool(j)), default, focus)
        if picked is None:
            return None  # two comments could be meant
        if picked != default:
            # No name known narrows the pool: "one tree hill" in two comments points at neither.
            rivals = self.overlap.ranked(i, lambda j: j != picked and owns(j),
                                         (j for j in range(i - 1, -1, -1) if j != picked and owns(j)), focus, 0, 1)
            runner_up = rivals[0][0] if rivals else 0.0
            if self.overlap.sim(i, picked, focus)[0] < 2 * runner_up:
                return None
            # Far back, one shared word is chance as likely as an answer ("objecting" fourteen comments
            # up, under a reply to "Nimbys, the lot of you"): beyond the window it takes two.
            far = self.far_and_thin(i, picked)
            return None if far else picked
        low = max(0, i - WINDOW)
        owners = {j for j in range(low, i) if owns(j)}
        if len(owners) == 1:
            return owners.pop()
        if owners:  # several take up its words: the one just above if it shares the most, else a clear best
            members = sorted(owners)
            top = self.overlap.ranked(i, owners.__contains__, reversed(members), focus, 0, 1)
            return default if top[0][1] == default == i - 1 else self.overlap.clear_best(i, members, focus, 0)
        # No word points anywhere: the comment just above is a position guess, and a wrong guess gives
        # it the name, which then anchors every later reply to that name (issue #14 round 3: wrong on
        # 5 of the third blind set's links, and right on none of the first two).
        return default if default == i - 1 and asks_source_of_that(cue.sentence) else None

    def default_target(self, i: int, latest: Iterator[int]) -> int | None:
        """Where a direct address to an unknown name goes: the latest comment; in the reply's
        language when that is not English (a Spanish reply in an English thread answers Spanish)."""
        lang = self.langs[i]
        newest = list(islice(latest, 3))
        if not newest:
            return None
        if lang in (None, "en"):
            return newest[0]
        same = [j for j in newest if self.langs[j] == lang]
        return same[0] if same else None
