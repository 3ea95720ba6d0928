"""Import stage, reply inference: the link of a comment whose names lead nowhere, from its words.

Used by ``generator.importing.replies`` once a comment's name cues (if any) have pointed at no one.
Evidence, in order: a quote of one earlier comment; strong, distinctive overlap with one (``similar``);
for a comment naming no one, a rare three-word run of one earlier comment or a rare word of the
comment just above in its opening; rare phrases that one earlier comment alone shares with it (two,
or one when it opens with a question); an answer to the question just above; a reaction to the
comment just above ("Exactly that.", "I do, every Saturday.", "Says who?"); and an answer to an
earlier question put to someone, which its opening's words clearly take up. Each link comes with
the words that led to it, for ``gloss review``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from . import wording
from .answers import (about_article, answers_addressed_question, answers_question, asked_questions, conceded_point,
                      reacts_to_previous)
from .names import Cue, name_key, trim_name
from .tokens import sentences
from .overlap import Overlap
from .similarity import Linked, QuestionAnswers, names_someone, paraphrase_owner, thanks

# Thresholds in "rare-word units": a content word shared by exactly two comments weighs 1.
CORROBORATE = 2.0  # a weak cue (a name, a challenge) needs this much overlap with one comment
SIMILAR = 6.0      # a link on textual overlap alone (no name, no quote)
PHRASE = 0.8       # ... which needs two shared phrases this rare (used by at most one other document)
_ANAPHORIC = re.compile(r"[\s\"“]*(?i:it|that|this|they|there|he|she)(?:['’][a-z]+)?\b")
_NEAR = 3          # a question sharing one rare phrase answers a comment at most this many above


def anyone(j: int) -> bool:
    """The pool of every earlier comment."""
    return True


def newest_first(i: int) -> Iterator[int]:
    """The comments before i, newest first."""
    return iter(range(i - 1, -1, -1))


class Unnamed:
    """Links from wording alone; shares the thread's sets of answers and of answered comments."""

    def __init__(self, texts: Sequence[str], cues: Sequence[Sequence[Cue]], overlap: Overlap,
                 article_stems: frozenset[str], answers: set[int], replied: set[int],
                 links: Sequence[Linked] = (), authors: Sequence[str | None] = ()) -> None:
        self.texts = texts
        self.cues = cues
        self.overlap = overlap
        self.article_stems = article_stems
        self.answers = answers  # comments linked as an answer (they continue an A-B-A exchange)
        self.replied = replied  # comments some later comment is linked to
        self._asks: dict[int, bool] = {}
        self.questions = QuestionAnswers(texts, cues, overlap, links, authors)

    def link(self, i: int, quoted: int | None) -> tuple[int, str, str] | None:
        """(target, basis, evidence) for comment i, or None."""
        if quoted is not None:
            return quoted, "quote", wording.quoted_evidence(self.texts[i], self.overlap.normed(quoted))
        similar = self.overlap.similar(i, SIMILAR, PHRASE)
        if similar is None and not self.cues[i]:
            # Unquoted echoes, for comments naming no one: a rare three-word run of one earlier
            # comment, or a rare word of the comment right above in the opening sentence.
            similar = self.overlap.echoed_phrase(i, PHRASE)
            opening = sentences(self.texts[i])[:1]
            echo = i > 0 and bool(opening) and self.overlap.echoes_previous(i, opening[0], PHRASE, self.article_stems)
            if similar is None and echo:
                similar = i - 1
            if similar is None and opening:
                similar = self.overlap.opening_owner(i, opening[0], PHRASE, self.article_stems)
        if similar is None:
            # Rare phrases that one earlier comment alone shares with this one: two of them, or one
            # in a reply that opens with a question ("Where does the four times figure come from?").
            asks = sentences(self.texts[i])[:1] and sentences(self.texts[i])[0].endswith("?")
            similar = self.overlap.phrase_owner(i, PHRASE, 1 if asks else 2)
            # One phrase is enough only close by: a question many comments later that shares a
            # phrase ("the jury acquitted") with an early comment is more likely a new question.
            if similar is not None and asks and i - similar > _NEAR and self.overlap.phrase_owner(i, PHRASE, 2) is None:
                similar = None
        if similar is not None:
            return similar, "similarity", self.overlap.evidence(i, similar)
        kind = answers_question(self.texts[i - 1], self.cues[i - 1], self.texts[i], self.cues[i]) if i > 0 else None
        # A plain statement under a question put to someone answers it only if it takes up the
        # question's words: "Grace Okafor owns two businesses" under "Hamid, how do you find the
        # council tax?" starts something else (what the two share, "mayor", is the article's).
        # An answer that opens on a pronoun ("It's called FreeHearth", "It was widely reported")
        # points back at the question by itself.
        if kind == "addressed" and not self.overlap.shares_beyond_article(i, i - 1) \
                and not _ANAPHORIC.match(self.texts[i]):
            kind = None
        # Under a yes/no question put to someone, only a pronoun opening points back at it: "Can you
        # check the serial …?" — "It's printed on the SIM tray." ("The Sunday boats …" shares a word only.)
        if kind is None and i > 0 and _ANAPHORIC.match(self.texts[i]) and answers_addressed_question(
                self.texts[i - 1], self.cues[i - 1], self.texts[i], self.cues[i], wh=False):
            kind = "addressed"
        if kind is not None:
            self.answers.add(i)  # "Not yet." right under "Has anyone … replied?"
            question = [q for q in sentences(self.texts[i - 1]) if q.endswith("?")][-1]
            answer = sentences(self.texts[i])[0]
            return i - 1, "similarity", wording.exchange(question, answer)
        conceded = self.conceded(i)
        if conceded is not None:
            self.answers.add(i)  # "Fair point on Fridays." answers whoever made the point, as its writer
            return conceded, "similarity", self.overlap.evidence(i, conceded)
        reaction = reacts_to_previous(self.texts[i], self.cues[i]) if i > 0 else None
        if reaction in ("challenges", "challenges-object"):
            # "Citation needed for the bakery funding": the one comment those words clearly match, if any.
            top = self.overlap.ranked(i, anyone, newest_first(i), frozenset(), 0)
            runner_up = top[1][0] if len(top) > 1 else 0.0
            if top and top[0][0] >= CORROBORATE and top[0][0] >= 1.5 * runner_up:
                return top[0][1], "similarity", self.overlap.evidence(i, top[0][1])
            # Otherwise the comment above, but only if the challenge can be about it: a named claim
            # must be one it shares with that comment and not the article's ("Citation needed on the
            # 5 percent" under a comment about the cost), and a bare "Says who? The article …" that
            # goes on about the article questions the article.
            if reaction == "challenges-object" and not self.overlap.shares_beyond_article(i, i - 1):
                reaction = None
            elif reaction == "challenges" and about_article(self.texts[i]):
                reaction = None
        if reaction == "agrees" and not self.overlap.shares_beyond_article(i, i - 1):
            # "Absolutely, the ferry commuters were the problem" under a comment about cycle counts
            # agrees with something else: agreeing is one piece of evidence, position no second one.
            reaction = None
        if reaction is not None and sentences(self.texts[i - 1]):
            if reaction == "answers":
                self.answers.add(i)  # "I do, every Saturday." under "Orla, try the bus …": Orla's, probably
            said = sentences(self.texts[i - 1])[-1]
            answer = sentences(self.texts[i])[0]
            return i - 1, "similarity", wording.exchange(said, answer)
        asked = self.answer_to_asked(i)
        if asked is not None:
            question = asked_questions(self.texts[asked], self.cues[asked])[-1]
            answer = sentences(self.texts[i])[0]
            return asked, "similarity", wording.exchange(question, answer)
        # Further up, and in other words (similarity.py): a question whose distinctive words the opening
        # takes up; a paraphrase taking up rare words of one comment alone.
        found = self.questions.answered(i)
        if found is not None:
            return found[0], "similarity", found[1]
        if i > 0 and i - 1 in self.answers and thanks(self.texts[i]) and self.thanked_above(i):
            said, answer = sentences(self.texts[i - 1])[0], sentences(self.texts[i])[0]
            return i - 1, "similarity", wording.exchange(said, answer)
        owner = None if names_someone(self.cues[i]) else paraphrase_owner(self.overlap, i)
        return None if owner is None else (owner, "similarity", self.overlap.evidence(i, owner))

    def thanked_above(self, i: int) -> bool:
        """For thanks right under an answer ("Thanks, that worked."): False if the thanks names someone
        the answer above cannot be by, as it names them ("Sam, it's on the tray." then "Thanks, Sam")
        or another name is known to be its writer's."""
        named = [n for n in (c.name if c.explicit else trim_name(c.name) for c in self.cues[i]) if n]
        writer = self.questions.authors[i - 1]
        above = self.overlap.normed(i - 1)
        return not any(f" {n.casefold()} " in above or (writer is not None and name_key(writer) != name_key(n))
                       for n in named)

    def conceded(self, i: int) -> int | None:
        """The one comment of the last few that made the point comment i opens by conceding: "Fair
        point on Fridays." two comments under "@Gaz it's not empty seats on a Friday", or None."""
        point = conceded_point(self.texts[i]) if not self.cues[i] else None
        if point is None:
            return None
        said = set(wording.content(point)[0]) - wording.COMMON
        owners = [j for j in range(max(0, i - _NEAR), i) if not said.isdisjoint(self.overlap.items[j])]
        return owners[0] if len(owners) == 1 else None

    def answer_to_asked(self, i: int) -> int | None:
        """The earlier comment whose question, put to someone and not yet answered, comment i takes up:
        "The trust offered me a room for two nights a month." two comments under "Sam, have you asked
        the hospital about a room for Sunday nights? Some trusts provide them …". Only for a comment
        naming no one, when its opening's words clearly match that comment above every other."""
        opening = sentences(self.texts[i])[:1]
        if i == 0 or not opening or any(cue.explicit or trim_name(cue.name) for cue in self.cues[i]):
            return None
        # Only a comment sharing rare words can come out on top; most have no open question at all. The
        # one on top must ask, so when no asking one scores enough the others need not be scored.
        asking = [j for j in self.overlap.candidates(i) if j not in self.replied and self.asks(j)]
        stems, bigrams = wording.content(opening[0])
        focus = frozenset(stems + bigrams)
        if all(score < CORROBORATE or in_focus < 1.0
               for score, in_focus in (self.overlap.sim(i, j, focus) for j in asking)):
            return None
        top = self.overlap.ranked(i, anyone, newest_first(i), focus, 0)
        if not top:
            return None
        score, j, (_, in_focus) = top[0]
        runner_up = top[1][0] if len(top) > 1 else 0.0
        if score < CORROBORATE or score < 1.5 * runner_up or in_focus < 1.0:
            return None
        if j in self.replied:
            return None  # answered already
        return j if self.asks(j) else None

    def asks(self, j: int) -> bool:
        """True if comment j puts a question to someone (worked out once per comment)."""
        found = self._asks.get(j)
        if found is None:
            found = self._asks[j] = bool(asked_questions(self.texts[j], self.cues[j]))
        return found
