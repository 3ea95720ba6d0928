"""Import stage, reply inference: the similarity bases, links a careful reader makes from the words alone.

Each needs two pieces of evidence, as every link on wording does (docs/design.md); words the article
uses too, and everyday words, are never one, since every comment may take them from the article.

- An answer to a question a few comments up (``QuestionAnswers``, for a comment naming no one): "Yes,
  if you have a permanent postal vote it carries over." three comments under "Does anyone know
  whether postal votes will be sent out automatically …?". The question is one piece, its
  distinctive words in the answer's opening the other.
- A paraphrase (``paraphrase_owner``): three rare words of one earlier comment, which no other
  comment shares more than one of.
- A source request to a name nobody is known to carry (``challenged``): "Source for the Barcelona
  figure, Marta?" goes to the one comment that speaks of Barcelona; "José, do you have a source for
  that?" (``asks_source_of_that``) to the comment it is under, as "Says who?" does.
- "Sí, Pilar, …" under a question, in a reply whose language chose that comment among the last
  three (``answers_question_of``).
- A two-word quote found in one comment only, or a quote with small edits whose content words all
  stand in one comment (``loose_quote``; basis ``quote``).
- Thanks right under a comment linked as an answer (``thanks``; ``unnamed.py`` checks the names).

Only the last few comments, or the overlap index's candidates, are read: the cost per comment stays
bounded (tests/test_replies.py's growth test).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Sequence
from typing import Protocol

from . import lexicon, wording
from .names import ANSWER_OPENING, Cue, name_key, trim_name
from .tokens import sentences
from .overlap import Overlap

REACH = 6
"""A question further up than this many comments is answered, if at all, by a reply that says so."""
WORDS = 2.0
"""Shared distinctive words, in rare-word units, an answer must take up from the question ..."""
WORDS_AFTER_PARTICLE = 1.0
"""... or after a direct answer ("Yes, …"), which is itself a piece of evidence."""
_MIN = 0.5  # a shared item weighing less than this is a topic word, not evidence
PARAPHRASE = 3
"""Rare words a paraphrase must share with one comment (when every other shares at most one)."""
RARE_WORD = 0.8
"""The weight of a rare word for a paraphrase: used by two comments weighs 1; by many, less."""
_PARTICLE = re.compile(rf"^[\s\"“¡]*{ANSWER_OPENING}")
# A challenge is a question put as a demand: "Citation needed on the 5 percent.", "Source for that?"
_CHALLENGE = re.compile(r"^[\s\"“\[]*(?i:citation[ \t]+needed|sources?[ \t]+(?:for|on)|proof[ \t]+(?:of|for))\b")

# Speaking to several ("Thank you both, I've ordered …", "Thanks all"): no one comment is answered.
_SEVERAL = re.compile(r"(?i:\b(?:you|thanks|thank[ \t]+you)[ \t]+(?:both|all)\b|\b(?:both|all)[ \t]+of[ \t]+you\b"
                      r"|\b(?:everyone|everybody|folks)\b)")


def questions(text: str) -> list[str]:
    """The sentences of ``text`` that ask: ending in "?", or a challenge ("Citation needed on …")."""
    return [s for s in sentences(text) if s.endswith("?") or _CHALLENGE.match(s)]


def opening(text: str) -> list[str]:
    """The reply's opening: its first sentence, and the second too when the first is a bare answer
    ("Yes." / "Not a red.") with under three content words."""
    parts = list(sentences(text)[:2])
    if len(parts) == 2 and len(wording.sentence_content(parts[0])[0]) >= 3:
        parts = parts[:1]
    return parts


class Linked(Protocol):
    """A comment's link, as ``replies.ReplyLink`` has it."""

    @property
    def reply_to(self) -> int | None:
        """The comment it answers."""


class QuestionAnswers:
    """Finds the question a comment answers by its words; reads the thread's texts, cues and overlap.

    A link needs all of: the earlier comment asks (a sentence ending in "?", or a challenge such as
    "Citation needed on the 5 percent"); it is at most :data:`REACH` comments up; the reply's opening
    (its first sentence, or two when the first is a bare "Yes.") states rather than asks, speaks to no
    group ("Thank you both"), and shares with the *question sentences* distinctive words weighing
    :data:`WORDS` units, or :data:`WORDS_AFTER_PARTICLE` (one word) after a direct answer ("Yes, …")
    or right under the question; and no other earlier comment, apart from the replies to that
    question, shares half as much of those words with the reply: they must point at one comment,
    not at a topic several discuss.
    """

    def __init__(self, texts: Sequence[str], cues: Sequence[Sequence[Cue]], overlap: Overlap,
                 links: Sequence[Linked], authors: Sequence[str | None]) -> None:
        self.texts = texts
        self.cues = cues
        self.overlap = overlap
        self.links = links  # the links so far (the caller appends as it goes)
        self.authors = authors  # the names given so far
        self._asked: dict[int, frozenset[str]] = {}

    def asked_items(self, j: int) -> frozenset[str]:
        """The content items (stems and phrases) of comment j's question sentences (read once)."""
        found = self._asked.get(j)
        if found is None:
            items: set[str] = set()
            for question in questions(self.texts[j]):
                stems, bigrams = wording.sentence_content(question)
                items.update(stems, bigrams)
            found = self._asked[j] = frozenset(items)
        return found

    def evidence_items(self, items: frozenset[str]) -> frozenset[str]:
        """The items that can show one comment answers another: distinctive, not everyday words,
        and not the article's (every comment may take those from the article)."""
        weight = self.overlap.weight.get
        return frozenset(t for t in items if weight(t, 0.0) >= _MIN and t not in self.overlap.ground
                         and not set(t.split()) <= wording.COMMON)

    def answered(self, i: int) -> tuple[int, str] | None:
        """(the comment whose question comment i answers, evidence), or None. Names no one: the
        writer of the question is known only when a name says so."""
        text = self.texts[i]
        if i == 0:
            return None  # a reply naming someone is placed by the name, or left alone
        said = opening(text)
        if not said or said[-1].endswith("?") or any(map(_SEVERAL.search, said)):
            return None  # a question of its own starts something else; several people, no one comment
        own: set[str] = set()
        for sentence in said:
            stems, bigrams = wording.sentence_content(sentence)
            own.update(stems, bigrams)
        own_items = self.evidence_items(frozenset(own) & self.overlap.items[i])
        if not own_items:
            return None
        need = WORDS_AFTER_PARTICLE if _PARTICLE.match(text) else WORDS
        weight = self.overlap.weight.__getitem__
        best: tuple[float, int, frozenset[str]] | None = None
        for j in range(i - 1, max(-1, i - 1 - REACH), -1):
            shared = own_items & self.asked_items(j)
            if not shared:
                continue
            score = math.fsum(map(weight, sorted(shared)))
            # One word is enough right under the question, unless the reply names someone: "Priyanka,
            # that's exactly it" under "Who exactly is this library for?" is a weak cue with one word.
            close = j == i - 1 and not names_someone(self.cues[i])
            if score >= (WORDS_AFTER_PARTICLE if close else need) and (best is None or score > best[0]):
                best = (score, j, shared)
        if best is None:
            return None
        score, j, shared = best
        # "Sarah, only the old ones for now." answers Sarah's question: a reply naming someone whose
        # name did not place it may answer a question by its words, never one known to be another's.
        names = {name_key(n) for n in (trim_name(c.name) for c in self.cues[i] if not c.explicit) if n}
        names |= {name_key(c.name) for c in self.cues[i] if c.explicit}
        writer = self.authors[j]
        if names and writer is not None and name_key(writer) not in names:
            return None
        # The words must point at this question, not at a topic: no other earlier comment (other
        # than the replies to the question, which take its words from it) shares half as much.
        for k in self.overlap.candidates(i):
            if k == j or self.links[k].reply_to == j:
                continue
            rival = math.fsum(map(weight, sorted(shared & self.overlap.items[k])))
            if rival >= 0.5 * score:
                return None
        question = next(q for q in reversed(questions(self.texts[j])) if not self.asked_items_of(q).isdisjoint(shared))
        return j, wording.exchange(question, said[0])

    @staticmethod
    def asked_items_of(question: str) -> frozenset[str]:
        """The content items of one question sentence."""
        stems, bigrams = wording.sentence_content(question)
        return frozenset(stems) | frozenset(bigrams)


# A request for the source of a claim: "Source for the Barcelona figure, Marta?", "Citation needed on …",
# "Do you have a link for the 40 percent?". What follows names the claim.
_SOURCE_ASK = re.compile(
    r"(?i:\b(?:sources?|citations?|links?|references?)[ \t]+(?:for|on|about)\b|\bcitation[ \t]+needed\b"
    r"|\bdo[ \t]+you[ \t]+have[ \t]+(?:a[ \t]+|any[ \t]+)?(?:sources?|links?|references?)(?:[ \t]+(?:for|on))?\b)"
)


def challenged(texts: Sequence[str], overlap: Overlap, i: int, sentence: str, window: int) -> int | None:
    """The one earlier comment holding the claim a source request names: "Source for the Barcelona
    figure, Marta?" and one comment speaks of Barcelona. The request is one piece of evidence (it
    asks about something said) and the claim's distinctive word, said by one comment alone within
    ``window`` comments and not by the article, the other. None otherwise."""
    asked = _SOURCE_ASK.search(sentence)
    if asked is None:
        return None
    claim = {s for s in wording.sentence_content(sentence[asked.end():])[0]
             if s not in wording.COMMON and s not in overlap.ground and overlap.weight.get(s, 0.0) >= _MIN}
    owners = {j for s in claim if s in overlap.items[i] for j in overlap.postings.get(s, ()) if j < i}
    if len(owners) != 1:
        return None
    owner = owners.pop()
    return owner if i - owner <= window else None


_OF_THAT = re.compile(r"(?i:[ \t]+(?:that|this|it)[ \t]*[?.!]?$)")


def asks_source_of_that(sentence: str) -> bool:
    """True if a sentence asks for the source of what was just said: "José, do you have a source for
    that?" (a challenge of the comment it is under, as "Says who?" is)."""
    asked = _SOURCE_ASK.search(sentence)
    return asked is not None and _OF_THAT.fullmatch(sentence[asked.end():].rstrip()) is not None


def answers_question_of(text: str, asking: str) -> bool:
    """True if ``text`` opens with a direct answer ("Sí, Pilar, …", "No, …") and ``asking`` asks
    something: in a reply whose language already chose ``asking`` among the comments just above, the
    answer to its question is a second piece of evidence."""
    return _PARTICLE.match(text) is not None and bool(questions(asking))


def names_someone(cues: Sequence[Cue]) -> bool:
    """True if a comment names a reader (an @, a strong address, or a name that is no ordinary word)."""
    for cue in cues:
        name = cue.name if cue.explicit else trim_name(cue.name)
        # "Cut." alone under "was the budget cut or moved?" is a weak cue on an ordinary word: no name.
        if name is not None and (cue.explicit or cue.strong or not lexicon.is_ordinary_word(name)):
            return True
    return False


def paraphrase_owner(overlap: Overlap, i: int) -> int | None:
    """The one earlier comment whose rare words comment i takes up, :data:`PARAPHRASE` of them or more,
    when no other comment shares more than one of those words: "… the quarry footpath has been a swamp
    since the reservoir overflow pipe cracked" under "The reservoir behind the old quarry floods …
    and the footpath turns into a swamp". A rare word weighs :data:`RARE_WORD` or more (used by two or
    three comments of the thread), and the article's words and everyday words do not count; at least
    half of comment i's rare words must be that comment's. Two such words were wrong on four labelled
    links (two comments on one topic share two words by chance); three, with the rivals at one, on
    none."""
    weight = overlap.weight.get
    rare = {s for s in overlap.stems[i] if weight(s, 0.0) >= RARE_WORD and s not in overlap.ground
            and s not in wording.COMMON}
    if len(rare) < PARAPHRASE:
        return None
    counts = {j: n for j in overlap.candidates(i) if (n := len(rare & overlap.stems[j]))}
    if not counts:
        return None
    best = max(counts, key=lambda j: (counts[j], j))
    if counts[best] < PARAPHRASE or any(n > 1 for j, n in counts.items() if j != best):
        return None
    # Most of its words found elsewhere in the thread must be that comment's: two long comments on one
    # subject share several rare words without either answering the other (the seed's essays).
    if 2 * counts[best] < len(rare):
        return None
    return best


def loose_quote(overlap: Overlap, i: int) -> int | None:
    """The one earlier comment a short or lightly edited quote in comment i comes from, or None.

    Exact quotes of three words or more are found before this (``Overlap.quote_hits``). Here:
    a two-word quote found word for word in one earlier comment ("Joy, "for centuries" includes …"
    under "Juries have acquitted people on conscience for centuries"), and a longer quote with small
    edits whose content words all stand in one earlier comment ("only the reported ones" for "only
    the ones that were reported"). The quote marks are one piece of evidence, a distinctive word
    (rare, not the article's) the other: a scare-quoted everyday phrase ("common sense") is none.
    """
    weight = overlap.weight.get
    for found in wording.QUOTE.finditer(overlap.texts[i]):
        quote = next(g for g in found.groups() if g)
        stems = wording.sentence_content(quote)[0]
        if not any(weight(s, 0.0) >= RARE_WORD and s not in overlap.ground and s not in wording.COMMON
                   for s in stems):
            continue
        fragment = wording.norm(quote)
        if fragment.count(" ") == 1:  # two words: word for word
            hits = overlap.quote_hits(i, [fragment])
        elif len(set(stems)) >= 2 and not overlap.quote_hits(i, [fragment], 1):
            rarest = min(set(stems), key=lambda s: len(overlap.postings.get(s, ())))
            posting = overlap.postings.get(rarest, [])
            hits = [j for j in posting[: bisect_left(posting, i)] if set(stems) <= overlap.stems[j]][:2]
        else:
            continue
        if len(hits) == 1:
            return hits[0]
    return None


# "Thanks, that worked", "Brilliant, thanks Sam, found it.", "Cheers!": thanks to one, not "Thanks all".
_THANKS_OPENING = re.compile(r"^[\s\"“]*(?i:(?:brilliant|great|perfect|cheers|ah|oh|ok(?:ay)?)[,!.]*[ \t]+)?"
                             r"(?i:thanks|thank[ \t]+you|cheers)\b(?![ \t]+(?:all|both|everyone|everybody)\b)")
_FOR_ARTICLE = re.compile(r"(?i:\b(?:article|piece|report|writing|journalism)\b)")


def thanks(text: str) -> bool:
    """True if ``text`` opens by thanking someone ("Thanks, I'll take it back with a printout …"), not
    several people and not the article's writer: right under the answer to a question, it thanks that
    answer (the thanks is one piece of evidence, the answer above, linked on its own evidence, the other)."""
    opening_sentence = sentences(text)[:1]
    return bool(opening_sentence) and _THANKS_OPENING.match(text) is not None \
        and not _FOR_ARTICLE.search(opening_sentence[0])
