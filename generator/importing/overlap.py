"""Import stage, reply inference: which earlier comments share distinctive wording with a comment.

Comparing every comment with every earlier one costs time quadratic in the thread's length (a
20,000-comment dump took hours). This index keeps, for each *rare* content item (a stem or a
stem pair used by at most :data:`RARE` comments), the comments using it, so a comment is only
compared with the earlier comments it shares a rare item with: its **candidates**. Any other
earlier comment shares at most common items with it.

In a thread of fewer than :data:`RARE` comments every item is rare, so the candidates are
exactly the earlier comments with any overlap and every other one scores 0: the inference is
the same as comparing with all of them. In longer threads two comments that share only common
words are not compared; such overlap is weak evidence anyway (each shared item then weighs
well under 1), and the inference only links on strong evidence.

Quotes are found the same way: a quoted fragment is looked for only in the comments that
contain its rarest word.
"""

from __future__ import annotations

import math
import unicodedata
from bisect import bisect_left, bisect_right
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import accumulate, chain, compress, repeat
from operator import not_, or_

from . import wording
from .names import PLACES, STOP
from .tokens import lower_words, sentences

RARE = 24
"""Items used by more comments than this do not make comments candidates of each other. Above the
length of every labelled thread (19 comments), so on those the inference is exactly the all-pairs one."""


class Overlap:
    """Content items, weights and candidate lookup for one thread."""

    def __init__(self, texts: Sequence[str], article: str, names: set[str],
                 content: Sequence[tuple[Sequence[str], Sequence[str]]]) -> None:
        # Names are how replies point at people, not what they talk about: keep them out of the
        # textual overlap, or every reply to "Dani" would resemble every other one.
        self.stems: list[set[str]] = []
        self.name_postings: dict[str, list[int]] = {}
        self.bigrams: list[set[str]] = []
        for stems, bigrams in content:
            own = set(stems)
            if own.isdisjoint(names):  # most comments name no one: nothing to take out
                self.stems.append(own)
                self.bigrams.append(set(bigrams))
                continue
            self.stems.append(own - names)
            named = own & names
            for name in named:  # for quotes: which comments hold each name
                self.name_postings.setdefault(name, []).append(len(self.stems) - 1)
            # A bigram is two stems joined by one space (stems have none): test each end, no splitting.
            heads, tails = tuple(f"{name} " for name in named), tuple(f" {name}" for name in named)
            # (Tested by map and compress, in C: nearly every comment of a long thread holds some name.)
            named_at = map(or_, map(str.startswith, bigrams, repeat(heads)), map(str.endswith, bigrams, repeat(tails)))
            self.bigrams.append(set(compress(bigrams, map(not_, named_at))))
        context = [(set(s), set(b)) for s, b in map(wording.content, article.split("\n")) if s]
        shared_ground = {item for stems, bigrams in context for item in stems | bigrams}
        self.items = [stems | bigrams for stems, bigrams in zip(self.stems, self.bigrams, strict=True)]
        self.ground = frozenset(shared_ground)  # the article's own wording
        # Only an item of two or more comments can be shared by two, so only those get postings (the
        # comments using it, in order) and a weight: most items (nearly every phrase) are one comment's,
        # and looking one up gives no posting and weight 0. Found by set operations (C code), without
        # counting every one of a long thread's million phrases.
        seen: set[str] = set()
        shared: set[str] = set()
        for items in self.items:
            shared |= items & seen
            seen |= items
        del seen
        self.postings: dict[str, list[int]] = {item: [] for item in shared}
        postings = self.postings
        # Each comment's items that another comment may share (the rest are its own alone): comparing
        # two comments intersects these, smaller sets than the whole items. (Intersected with the set
        # ``shared``, not the postings' key view: a view is no set, and costs twice as much.)
        self.linked: list[set[str]] = []
        for index, items in enumerate(self.items):
            linked = items & shared
            self.linked.append(linked)
            # postings[item].append(index) for each item, looped in C (a deque of size 0 drops the Nones).
            deque(map(list.append, map(postings.__getitem__, linked), repeat(index)), maxlen=0)
        # Each comment's items are a set, so an item's posting holds each comment using it once.
        df = dict(zip(postings, map(len, postings.values())))
        rare = {item for item, count in df.items() if count <= RARE}
        self.rare_linked = [linked & rare for linked in self.linked]  # each comment's rare items (see candidates)
        for context_stems, context_bigrams in context:
            for item in (context_stems | context_bigrams) & df.keys():
                df[item] += 1
        # Normalised IDF: a word in exactly two documents weighs 1, commoner words less; the
        # article's own wording and everyday words are common ground, not evidence of a reply.
        total = len(texts) + len(context) + 1
        scale = math.log(total / 2) or 1.0
        # One logarithm per document count, not per item; halving is exact, so halving the everyday
        # words and then the article's gives the same floats as multiplying each by 0.5 or 1.0.
        idf = {v: min(1.0, max(0.0, math.log(total / v) / scale)) for v in set(df.values())}
        self.weight = dict(zip(df, map(idf.__getitem__, df.values())))
        for halved in (wording.COMMON.intersection(df), shared_ground.intersection(df)):
            for k in halved:
                self.weight[k] *= 0.5
        self.texts = texts
        self._normed: dict[int, str] = {}
        self._joined: str | None = None  # every comment's normed words, for quotes of function words
        self._starts: list[int] = []  # where each comment's words begin in _joined
        # Comments whose words NFKC changes ("ﬁ", full-width letters): quotes are read in NFKC.
        self._odd = [j for j, text in enumerate(texts) if not unicodedata.is_normalized("NFKC", text)]
        self._cached: tuple[int, frozenset[int]] = (-1, frozenset())
        self._sims_of = -1
        self._sims: dict[tuple[int, frozenset[str]], tuple[float, float]] = {}  # sim(_sims_of, j, focus)

    def shares_beyond_article(self, i: int, j: int) -> bool:
        """True if comments i and j share a content item that the article does not have."""
        return not (self.items[i] & self.items[j]) <= self.ground

    def pieces(self, i: int, j: int) -> int:
        """How many pieces of evidence that one of comments i and j answers the other their wording
        gives: the distinct content words and phrases both use that weigh at least half a unit."""
        weight = self.weight.get
        words = sum(1 for s in self.stems[i] & self.stems[j] if weight(s, 0.0) >= 0.5)
        # A shared phrase ("one person to blame") counts besides its words: an echo, not a topic.
        return words + sum(1 for b in self.bigrams[i] & self.bigrams[j] if weight(b, 0.0) >= 0.5)

    def clear_best(self, i: int, members: list[int], focus: frozenset[str], part: int = 1) -> int | None:
        """The one of ``members`` (in order) whose words the focus of comment i (``part`` 1; the whole
        comment with the focus counted twice: 0) clearly takes up, or None."""
        top = self.ranked(i, set(members).__contains__, reversed(members), focus, part)
        runner_up = top[1][0] if len(top) > 1 else 0.0
        return top[0][1] if top and top[0][0] >= 0.5 and top[0][0] >= 2 * runner_up else None

    def candidates(self, i: int) -> frozenset[int]:
        """Earlier comments sharing a rare item with comment i."""
        if self._cached[0] != i:
            found: set[int] = set()
            for posting in map(self.postings.__getitem__, self.rare_linked[i]):
                found.update(posting[: bisect_left(posting, i)])
            self._cached = (i, frozenset(found))
        return self._cached[1]

    def sim(self, i: int, j: int, focus: frozenset[str]) -> tuple[float, float]:
        """Distinctive overlap of comment i with j: (total, part from the focus sentences).

        The focus (the sentence that names the person, plus the reply's opening) says what
        is being answered, so its shared words count double in the total. ``math.fsum`` adds
        exactly, so the result does not depend on the (hash-seeded) order of the sets.
        """
        if i != self._sims_of:  # several steps weigh the same pair for one comment: kept until the next
            self._sims_of, self._sims = i, {}
        found = self._sims.get((j, focus))
        if found is not None:
            return found
        shared = self.linked[i] & self.linked[j]  # what two comments share is in both their linked items
        weight = self.weight.__getitem__
        if not shared:
            found = 0.0, 0.0
        elif not focus:
            found = math.fsum(map(weight, shared)), 0.0
        else:
            focused = list(map(weight, shared & focus))
            found = math.fsum(chain(map(weight, shared), focused)), math.fsum(focused)
        self._sims[(j, focus)] = found
        return found

    def ranked(self, i: int, pool: Callable[[int], bool], latest: Iterable[int], focus: frozenset[str],
               part: int, count: int = 2) -> list[tuple[float, int, tuple[float, float]]]:
        """The ``count`` best earlier comments in the pool by ``sim(...)[part]``, then by recency:
        ``(score, j, sim)``, best first.

        ``latest`` runs through the pool's members from the newest down: the newest members
        that are not candidates stand for every comment scoring 0, so ties break as they would
        if every member of the pool were scored.
        """
        scored = [(s[part], j, s) for j in self.candidates(i) if pool(j) for s in (self.sim(i, j, focus),)]
        zero = (0.0, 0.0)
        fillers: list[tuple[float, int, tuple[float, float]]] = []
        for j in latest:
            if j not in self.candidates(i):
                fillers.append((0.0, j, zero))
                if len(fillers) == count:
                    break
        return sorted(scored + fillers, key=lambda t: (t[0], t[1]), reverse=True)[:count]

    def echoes_previous(self, i: int, opening: str, floor: float, topic: frozenset[str]) -> bool:
        """True if the opening sentence of comment i repeats a rare word or phrase of comment i-1
        ("Ring-fenced until the day it isn't." under "… Ring-fenced means ring-fenced."). The
        article's names (``topic``: "Kim", "Putin"), places and stop-listed words are no echo."""
        # An answer echoes at once: in a short opening anywhere, in a long one among its first words.
        seq = list(wording.sentence_content(opening)[0])
        if len(opening.split()) > 12:
            seq = seq[:3]
        said = {s for s in seq if s not in topic and s not in PLACES and s not in STOP}
        items = said | {f"{a} {b}" for a, b in zip(seq, seq[1:]) if a in said and b in said}
        shared = items & self.items[i] & self.items[i - 1]
        return any(self.weight.get(item, 0.0) >= floor for item in shared)

    def echoed_phrase(self, i: int, floor: float) -> int | None:
        """The one earlier comment whose words comment i repeats, unquoted, as a run of three rare
        content words ("… a decade of legal fights."), or None."""
        found: set[int] = set()
        for sentence in sentences(self.texts[i]):
            seq = wording.sentence_content(sentence)[0]
            for a, b, c in zip(seq, seq[1:], seq[2:]):
                first, second = f"{a} {b}", f"{b} {c}"
                if min(self.weight.get(first, 0.0), self.weight.get(second, 0.0)) < floor:
                    continue
                posting = self.postings.get(first, [])
                found.update(j for j in posting[: bisect_left(posting, i)]
                             if second in self.bigrams[j] and self._has_run(j, (a, b, c)))
        return found.pop() if len(found) == 1 else None

    def phrase_owner(self, i: int, floor: float, minimum: int = 1) -> int | None:
        """The one earlier comment that shares rare phrases (stem pairs of weight ``floor`` or more)
        with comment i, at least ``minimum`` of them, or None when none or several share any: "Where
        does the four times figure come from?" under one comment saying "four times as much"."""
        owners: set[int] = set()
        shared = 0
        for item in self.bigrams[i]:
            if self.weight.get(item, 0.0) >= floor:
                posting = self.postings[item]
                earlier = posting[: bisect_left(posting, i)]
                owners.update(earlier)
                if len(owners) > 1:
                    return None
                shared += bool(earlier)
        return owners.pop() if owners and shared >= minimum else None

    def opening_owner(self, i: int, opening: str, floor: float, topic: frozenset[str]) -> int | None:
        """The one earlier comment holding the word (or first two words) that a short opening sentence
        of comment i starts on, when rare: "Weeds are a symptom." under one comment saying "… left to
        grow weeds". A longer opening ("Dutch oven, 250 degrees, …") may simply share a topic; the
        article's names and numbers are no echo."""
        seq = wording.sentence_content(opening)[0]
        if len(opening.split()) > 5 or not seq or seq[0] in topic or seq[0] in PLACES or seq[0] in STOP:
            return None
        if seq[0][0].isdigit():
            return None
        owners: set[int] = set()
        for item in (seq[0], f"{seq[0]} {seq[1]}" if len(seq) > 1 else ""):
            posting = self.postings.get(item, []) if self.weight.get(item, 0.0) >= floor else []
            earlier = posting[: bisect_left(posting, i)]
            if len(earlier) == 1:
                owners.update(earlier)
        return owners.pop() if len(owners) == 1 else None

    def _has_run(self, j: int, run: tuple[str, str, str]) -> bool:
        """True if comment j has these three content stems in a row."""
        for sentence in sentences(self.texts[j]):
            seq = wording.sentence_content(sentence)[0]
            if any(window == run for window in zip(seq, seq[1:], seq[2:])):
                return True
        return False

    def phrase_partners(self, i: int, floor: float) -> set[int]:
        """Earlier comments sharing at least two phrases (bigrams) of weight ``floor`` or more with i."""
        seen: dict[int, int] = {}
        # A phrase no other comment uses weighs 0: only the linked ones can reach a floor above that.
        for item in self.bigrams[i] & self.linked[i] if floor > 0.0 else self.bigrams[i]:
            if self.weight.get(item, 0.0) >= floor:
                posting = self.postings[item]
                for j in posting[: bisect_left(posting, i)]:
                    seen[j] = seen.get(j, 0) + 1
        return {j for j, count in seen.items() if count >= 2}

    def normed(self, j: int) -> str:
        """Comment j's words, casefolded, space-separated with a space at each end (made once)."""
        found = self._normed.get(j)
        if found is None:
            text = self.texts[j]
            # The sentences' words are cached from the cues, and the same as the whole text's.
            found = (f" {' '.join(chain.from_iterable(map(lower_words, sentences(text))))} "
                     if unicodedata.is_normalized("NFKC", text) else f" {wording.norm(text)} ")
            self._normed[j] = found
        return found

    def _quote_pool(self, i: int, words: list[str]) -> Iterable[int]:
        """Earlier comments, in order, that may hold every one of these (normalised) words.

        A comment holding a quoted fragment holds its words, so it is among the postings of the
        rarest content stem of them (no postings: only comment i uses it, and nothing earlier can
        hold the quote); names have postings of their own. Comments whose text is not NFKC-normal
        are read differently, so they are always included. A quote of function words alone ("it is
        what it is") is looked for in every earlier comment: it is common, so found twice early.
        """
        stems = {wording.content_stem(w) for w in words}
        held = [s for s in stems if s in self.stems[i]]
        postings = [self.postings.get(s, []) for s in held]
        postings += [self.name_postings[s] for s in stems if s in self.name_postings and s not in self.stems[i]]
        if not postings:
            return range(i)
        postings.sort(key=len)
        rarest = postings[0]
        # It holds the quote's other content stems too: in a long thread even the rarest word of a
        # quote may be in hundreds of comments, and reading each one's text is slow.
        pool = rarest[: bisect_left(rarest, i)]
        if len(postings) > 1 and pool:
            items = self.items
            pool = [j for j in sorted(set(pool).intersection(postings[1])) if items[j].issuperset(held)]
        odd = [j for j in self._odd if j < i]
        return sorted(set(pool) | set(odd)) if odd else pool

    def _holding(self, i: int, fragment: str) -> Iterator[int]:
        """The comments before i whose normalised words hold ``fragment``, in order: str.find over all
        comments' words joined by NULs (no fragment holds one, so none is found across two)."""
        if self._joined is None:
            texts = [self.normed(j) for j in range(len(self.texts))]
            self._starts = list(accumulate((len(t) + 1 for t in texts[:-1]), initial=0))
            self._joined = "\0".join(texts)
        starts, at = self._starts, 0
        end = starts[i] if i < len(starts) else len(self._joined)
        while (at := self._joined.find(fragment, at, end)) >= 0:
            j = bisect_right(starts, at) - 1
            yield j
            at = starts[j + 1]  # on from the next comment (j + 1 <= i: at i, the search ends)

    def quote_hits(self, i: int, fragments: list[str], limit: int = 2) -> list[int]:
        """Up to ``limit`` earlier comments holding every fragment (normalised text), in order."""
        words = [w for fragment in fragments for w in fragment.split()]
        if not words:
            return []
        hits: list[int] = []
        pool = self._quote_pool(i, words)
        if isinstance(pool, range):  # every earlier comment: found by one search of their joined words
            pool = self._holding(i, f" {fragments[0]} ")
        for j in pool:
            normed = self.normed(j)
            if all(f" {f} " in normed for f in fragments):
                hits.append(j)
                if len(hits) == limit:
                    break
        return hits

    def evidence(self, i: int, j: int) -> str:
        """The sentence of comment i that shares the most distinctive wording with comment j."""
        shared = (self.stems[i] & self.stems[j]) | (self.bigrams[i] & self.bigrams[j])

        def score(sentence: str) -> float:
            stems, bigrams = wording.sentence_content(sentence)
            return math.fsum(self.weight.get(item, 0.0) for item in sorted(set(stems + bigrams) & shared))

        return wording.snippet(max(sentences(self.texts[i]), key=score))

    def similar(self, i: int, minimum: float, phrase: float) -> int | None:
        """An earlier comment that comment i echoes in several distinctive phrases, or None: a score
        of ``minimum`` or more, 2.5 times the runner-up's, and two shared phrases of weight ``phrase``.

        Deliberately strict: a single shared phrase ("ring-fenced") is left unlinked, since two
        comments on one topic share words without one answering the other.
        """
        # Only a comment sharing two rare phrases can qualify: when none does, nothing need be scored;
        # when none of them scores enough (a comment that is no candidate scores 0), no other can win.
        partners = self.phrase_partners(i, phrase)
        candidates = self.candidates(i)
        if all(self.sim(i, j, frozenset())[0] < minimum for j in partners if j in candidates):
            return None
        scores = self.ranked(i, lambda j: True, iter(range(i - 1, -1, -1)), frozenset(), 0)
        if not scores:
            return None
        best, j, _ = scores[0]
        runner_up = scores[1][0] if len(scores) > 1 else 0.0
        shared = self.bigrams[i] & self.bigrams[j]
        phrases = [b for b in shared if self.weight.get(b, 0.0) >= phrase]
        return j if best >= minimum and best >= 2.5 * runner_up and len(phrases) >= 2 else None
