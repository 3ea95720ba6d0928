"""Import stage: reply inference for a flat, authorless list of comments.

Raw comments come dated but anonymous; who answered whom is only implied by the text.
``infer_replies`` reads the plain-text bodies in source order and returns, for each comment, the
earlier comment it answers (if the text gives evidence) and the author names the text reveals.
Pure and deterministic. Evidence, strongest first: an explicit mention (``@Lena``, ``Replying to
Omar:``); a direct address (basis ``vocative``: ``Alas, dear Gift, you …``, ``…, Ruth.``); a
third-person mention (``mention``: ``Bashir is right``, ``As Chidi says``); a quote of exactly one
earlier comment (``quote``); and, naming no one, the wording alone (``similarity``, see
``generator.importing.unnamed``). A signed or self-introduced comment ("— Margaret", "Priya here")
names its own writer (``generator.importing.selfnamed``).

A name already known as an author points at that person's latest comment, or the one the naming
sentence talks about (or quotes), or the answer they probably gave right under a question put to
them; when two writers share the name, only the content decides. An unknown name goes to the one
nearby comment that distinctive words of the naming sentence point at, which then gets that name;
never to a comment by position alone (see ``generator.importing.targets``).
Weak cues, ordinary words ("Small, …") and names that the article or
several comments use as a topic ("Putin") need corroboration or are ignored: a wrong link is worse
than a missing one, and a wrong author poisons every later reply to that name. A name is never
given from position alone (an A-B-A rejoinder is only *probably* A's).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import partial
from itertools import chain
from dataclasses import dataclass, replace

from . import lexicon, selfnamed, wording
from .unnamed import CORROBORATE as _CORROBORATE
from .unnamed import Unnamed
from .unnamed import anyone as _anyone
from .unnamed import newest_first as _newest_first
from .overlap import Overlap
from .similarity import challenged, loose_quote
from .targets import NOTHING as _NOTHING
from .targets import OVERRIDE as _OVERRIDE
from .targets import WINDOW as _WINDOW, Targets
from .names import (
    SECOND_PERSON,
    Cue,
    detect_language,
    find_cues,
    name_key,
    naming_index,
    trim_name,
)
from .tokens import clean_text, lower_words, sentences

__all__ = ["Inference", "ReplyLink", "infer_replies"]


@dataclass(frozen=True, slots=True)
class ReplyLink:
    """How one comment attaches to the discussion."""

    reply_to: int | None
    """0-based index of the earlier comment this one answers, or None for a top-level comment."""
    basis: str | None
    """Evidence: "vocative", "mention", "quote" or "similarity"; None iff reply_to is None."""


@dataclass(frozen=True, slots=True)
class Inference:
    """The result of reply inference over one article's comments."""

    links: tuple[ReplyLink, ...]
    """One link per comment, in source order."""
    authors: tuple[str | None, ...]
    """One entry per comment: a name only where a later reply names this comment's author, or it its own."""
    author_bases: tuple[str | None, ...]
    """How the name was given: "vocative" or "mention" (a later reply), "signature" or "introduction"
    (the comment itself); None without a name."""
    evidence: tuple[str | None, ...]
    """For each link, the words of the reply that led to it; None without a link."""
    author_evidence: tuple[str | None, ...]
    """For each name, ``cN: words`` from the reply that named this comment's author."""


# Thresholds in "rare-word units": a content word shared by exactly two comments weighs 1.
# The stems of the words that make a sentence a third-person mention ("is right", "has a point").
_VERDICT = frozenset(wording.content_stem(w) for w in "right wrong correct mistaken point points spot".split())


class _Thread(Targets):
    """Working state while walking the comments in order."""

    def __init__(self, bodies: Sequence[str], article: str) -> None:
        # Signatures come off the text: "Tom, Plymouth" on a last line is no address to Tom.
        self.own = [selfnamed.own_name(clean_text(b)) for b in bodies]
        self.texts = [clean_text(b) if own is None else own.text for b, own in zip(bodies, self.own)]
        article = clean_text(article)
        # The language from the words of each sentence (read once here and reused by the cues).
        self.langs = [detect_language(list(chain.from_iterable(map(lower_words, sentences(t))))) for t in self.texts]
        # Cues and content words comment by comment, so each sentence's words are read once (cached).
        self.cues: list[list[Cue]] = []
        contents: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
        for i, text in enumerate(self.texts):
            # "… like Medania. Heather" right under "Heather, what about spinach?" is signed.
            asked = frozenset(c.name for c in self.cues[-1] if c.sentence.endswith("?")) if self.cues else frozenset()
            bare = selfnamed.bare_signature(text, asked) if self.own[i] is None and asked else None
            if bare is not None:
                self.own[i], text = bare, bare.text
                self.texts[i] = text
            self.cues.append(find_cues(text))
            contents.append(wording.content(text))
        # Words also written in lower case ("libraries") are common nouns, not names.
        # (Read from the distinct blank-separated tokens, which no run of letters spans: most are repeats.)
        tokens = " ".join(set("\n".join((*self.texts, article)).split()))
        self.lowercase = frozenset(w.casefold() for w in set(wording.LETTERS.findall(tokens)) if w[0].islower())
        self.topic = wording.topic_names(article, self.texts, self.cues)
        # The article's own names ("Kim", "Putin"): a reply echoing one is about the article, not a comment.
        self.article_stems = frozenset(wording.stem(name) for name in wording.name_parts(article))
        names = {wording.stem(name_key(t)) for cues in self.cues for c in cues for t in c.name.split()}
        self.overlap = Overlap(self.texts, article, names, contents)
        self.weight = self.overlap.weight
        self.links: list[ReplyLink] = []
        self.authors: list[str | None] = [None] * len(bodies)
        self.author_bases: list[str | None] = [None] * len(bodies)
        self.author_evidence: list[str | None] = [None] * len(bodies)
        self.evidence: list[str | None] = []
        self.answers: set[int] = set()  # comments linked as the answer to the question above
        self.replied: set[int] = set()  # comments some later comment is linked to
        self.addressing: set[int] = set()  # comments linked by speaking *to* the person answered
        # Who wrote what, kept as indexes so a name is looked up without walking the whole thread:
        # the A-B-A rejoinders by the comment they go back to.
        self.chained: dict[int, list[int]] = {}
        # Kept as they change, so ``known`` is a lookup: each name's known comments (those given
        # the name, and the unnamed rejoinders to them), each named comment's name key, and the
        # comment each rejoinder goes back to.
        self.known_of: dict[str, set[int]] = {}
        self.known_sorted: dict[str, list[int]] = {}  # ``known`` of a name key, until known_of[key] changes
        self.key_of: dict[int, str] = {}
        self.chain_parent: dict[int, int] = {}
        # For each name key, the comments that name it: none of them is that person's own.
        self.talks_of = naming_index(self.cues)
        self.talks_order = {key: sorted(found) for key, found in self.talks_of.items()}  # the same, in order
        self.focused: dict[tuple[int, str, str], frozenset[str]] = {}  # the latest focus asked for
        self.namesakes: set[str] = set()  # names that two earlier comments' authors may both bear
        self.distinct: set[str] = set()  # names two writers have said are theirs ("a different Hannah")
        self.claims = self._claims()
        self.unnamed = Unnamed(self.texts, self.cues, self.overlap, self.article_stems, self.answers, self.replied,
                               self.links, self.authors)

    def _claims(self) -> dict[int, str]:
        """Comments that a third-person cue points at by content ("Niamh is right about the Act").

        A recency guess for another name must not take such a comment: one wrong guess would
        otherwise give it the wrong author and derail every later reply to either person.
        """
        claims: dict[int, str] = {}
        for i, cues in enumerate(self.cues):
            for cue in cues:
                name = trim_name(cue.name)
                if name is None or cue.basis != "mention" or cue.explicit or self.is_topic(name) \
                        or lexicon.organisation(name):
                    continue
                target = self.corroborated(i, replace(cue, name=name), _anyone, partial(_newest_first, i))
                if target is not None:
                    claims[target] = claims.get(target, name_key(name))
        return claims

    def is_topic(self, name: str) -> bool:
        """True if any part of the name is a topic name or a word also used in lower case."""
        return any(part in self.topic or part in self.lowercase for part in wording.name_parts(name))

    def known(self, key: str, i: int) -> list[int]:
        """Comments before i whose author is, or is probably, the person with this name key.

        That is, the comments the name was given to, and the rejoinders in a back-and-forth (A-B-A):
        j speaks to B, who had spoken to A, so j is probably A's. Likewise "Not yet." right under
        "@Niamh, has anyone …?" is probably Niamh's answer. ("Like Radek said" is not speaking
        to Radek, so it starts no such chain.)
        """
        if (found := self.known_sorted.get(key)) is None:  # asked for by every cue naming them: sorted once
            found = self.known_sorted[key] = sorted(self.known_of.get(key, ()))
        return found

    def give_name(self, target: int, name: str) -> None:
        """Record that ``target`` is by ``name``, keeping ``known_of`` as ``known`` describes it."""
        key = name_key(name)
        self.authors[target] = name
        self.key_of[target] = key
        found = self.known_of.setdefault(key, set())
        self.known_sorted.pop(key, None)
        found.add(target)
        # Its rejoinders not named yet are probably this person's now.
        found.update(j for j in self.chained.get(target, ()) if self.authors[j] is None)
        # Named, it is no longer a guess for whoever it was a rejoinder to.
        grand = self.chain_parent.get(target)
        other = None if grand is None else self.key_of.get(grand)
        if other is not None and other != key:
            self.known_of[other].discard(target)
            self.known_sorted.pop(other, None)

    def settle(self, i: int) -> None:
        """Record comment i's link for later lookups: an A-B-A rejoinder is indexed by A's comment."""
        parent = self.links[i].reply_to
        if parent is not None:
            self.replied.add(parent)
        if parent is not None and parent in self.addressing and (i in self.addressing or i in self.answers):
            grand = self.links[parent].reply_to
            if grand is not None:
                self.chained.setdefault(grand, []).append(i)
                self.chain_parent[i] = grand
                if grand in self.key_of:
                    self.known_of[self.key_of[grand]].add(i)
                    self.known_sorted.pop(self.key_of[grand], None)

    def quote_target(self, i: int) -> int | None:
        """The single earlier comment holding every quoted fragment of some quote in i."""
        for fragments in wording.quotes(self.texts[i]):
            hits = self.overlap.quote_hits(i, fragments)
            if len(hits) == 1:
                return hits[0]
        return loose_quote(self.overlap, i)

    def resolve(self, i: int, cue: Cue, quoted: int | None) -> int | None:
        """The earlier comment that the person named by the cue wrote, or None."""
        tokens, cue = cue.name.split(), lexicon.weakened(cue)  # "Grace, …" alone is weak evidence
        if lexicon.asks_which(self.texts[i], cue.name):
            return None
        focus = self.focus(i, cue)
        # "Pace Niamh" or "Dear Dr Ruth Ng": a known author may hide at the end of a longer name.
        for key in (name_key(" ".join(tokens[k:])) for k in range(len(tokens))):
            if key in self.distinct:  # two writers of that name: the one the reply clearly engages
                return self.engaged(i, self.known(key, i), quoted, focus)
            known = [] if key in self.namesakes else self.known(key, i)
            if known and self.namesake(i, key, known, focus):
                self.namesakes.add(key)  # from now on, this name points at no one in particular
            if key in self.namesakes:
                return None
            if known:
                # Asked something since, the person probably answered right under the question: that
                # answer counts as theirs when the reply shares nothing with the known comment; when
                # it shares words with both, either could be meant.
                since = self.spoken_to_since(key, known, i)
                answer = None if since is None else self.answer_below(since, key, i)
                if answer is not None and self.overlap.sim(i, known[-1], focus)[0] < _NOTHING:
                    known = [*known, answer]
                elif answer is not None and self.overlap.sim(i, answer, focus)[0] > 0.0 and quoted is None:
                    return None
                # The person's latest comment, unless an earlier one is what the focus talks about;
                # a latest comment that is only probably theirs (an A-B-A guess) yields more easily.
                guessed = self.authors[known[-1]] is None
                members = set(known)
                # Their unnamed answers to questions put to them earlier, too: only by content (see pick).
                members |= self.earlier_answers(key, known, i)
                # "Grace, \"both are computers …\" is true": the quoted comment, if hers or later than hers.
                if quoted in members or (quoted is not None and quoted > known[-1] and self.authors[quoted] is None):
                    return quoted
                return self.pick(i, members.__contains__, reversed(known), known[-1], focus,
                                 0.0 if guessed else _OVERRIDE)
        if cue.capital_before or (not cue.explicit and (self.is_topic(cue.name) or lexicon.doubtful(cue))):
            return None
        key = name_key(cue.name)
        naming = self.talks_of.get(key, set())

        def in_pool(j: int) -> bool:
            # A comment naming the person is someone else's ("Tunde, one in five is right" is not Tunde's).
            return self.authors[j] is None and self.claims.get(j, key) == key and j not in naming

        def latest() -> Iterator[int]:
            return (j for j in range(i - 1, -1, -1) if in_pool(j))

        if quoted is not None and in_pool(quoted):
            return quoted
        default = self.default_target(i, latest()) if cue.strong else None
        if default is not None and self.open_question_before(i, default, focus):
            return None
        if default is not None:
            if self.langs[i] not in (None, "en"):  # the language already chose among the latest three
                picked = self.pick(i, in_pool, latest(), default, focus)
                # "Sí, Pilar, y el estadio …": one word shared with a comment far up is no answer to it
                # (unless the reply answers the question of the comment its language chose).
                return self.language_pick(i, picked, default)
            return self.unknown_target(i, in_pool, default, cue, focus)
        if self.langs[i] not in (None, "en") and cue.basis == "vocative":
            # "Élodie, c'est exactement …" in an English thread answers the French comment above.
            return self.default_target(i, latest())
        return self.corroborated(i, cue, in_pool, latest)

    def sign(self, i: int) -> None:
        """Give comment i the name it signs or introduces itself with, once its own cues are read."""
        if (own := self.own[i]) is None:
            return
        key = name_key(own.name)
        if wording.stem(own.name) in self.article_stems or (not own.certain and not self.talks_of.get(key, set()) - {i}):
            return  # the article's "— Pryce"; "Tory here, but …": a name only if someone else uses it
        if own.different:  # someone else of that name has written, whether named yet or not
            self.distinct.add(key)
        self.give_name(i, own.name)
        self.author_bases[i], self.author_evidence[i] = own.basis, f"c{i + 1}: {own.evidence}"

    def corroborated(self, i: int, cue: Cue, pool: Callable[[int], bool],
                     latest: Callable[[], Iterator[int]]) -> int | None:
        """For a weak cue: the one comment in the pool it clearly matches, or None.

        Broad overlap counts for any cue. A third-person mention ("Priya is right that the
        night buses …") also names what was said, so its sentence alone may single out one
        comment; a bare vocative ("Wei, a loan still counts …") goes on to the writer's own point.
        """
        focus = self.focus(i, cue)
        top = self.overlap.ranked(i, pool, latest(), focus, 0)
        if not top:
            return None
        runner_up = top[1][0] if len(top) > 1 else 0.0
        if top[0][0] >= _CORROBORATE and top[0][0] >= 1.5 * runner_up and self.overlap.pieces(i, top[0][1]) >= 2:
            return top[0][1]  # two pieces of evidence at least: one shared word ("exactly") is chance
        if (asked := challenged(self.texts, self.overlap, i, cue.sentence, _WINDOW)) is not None and pool(asked):
            return asked  # "Source for the Barcelona figure, Marta?": the one comment saying it
        if cue.basis != "mention":
            return None
        if (said := self.attributed(i, cue.sentence, pool)) is not None:
            return said
        top = self.overlap.ranked(i, pool, latest(), focus, 1)
        runner_up = top[1][0] if len(top) > 1 else 0.0
        total, in_focus = top[0][2]
        if self.overlap.pieces(i, top[0][1]) < 2:
            return None
        return top[0][1] if in_focus >= 0.5 and total >= 1.0 and in_focus >= 2 * runner_up else None

    def focus(self, i: int, cue: Cue) -> frozenset[str]:
        """Content items of the cue's sentence, of the reply's first sentence, and of the next
        sentence when the cue's own is bare ("Thanks, Yusuf, that worked!")."""
        key = (i, cue.sentence, cue.name)  # asked again by every step that weighs this cue
        if key not in self.focused:
            items = wording.focus_items(self.texts[i], cue.sentence, cue.name)
            if cue.basis == "mention" and not cue.explicit:
                # "Ravi is right that …": the verdict is the mention's grammar, not what Ravi said.
                items = frozenset(t for t in items if not _VERDICT.intersection(t.split()))
            self.focused = {key: items}
        return self.focused[key]

    def infer(self, i: int) -> tuple[ReplyLink, str | None]:
        """Link comment i, recording the name it gives to the comment it answers; with the evidence."""
        quoted = self.quote_target(i)
        own = self.own[i]
        for cue in self.cues[i]:
            name = cue.name if cue.explicit else trim_name(cue.name)
            if name is not None and not cue.explicit and lexicon.organisation(name):
                continue  # "The Alzheimer's Society says …" quotes a body, not a reader
            if name is None or (own is not None and own.basis == "introduction" and name_key(name) == name_key(own.name)):
                continue  # "Same Asif, yes!" names its writer, not someone answered
            target = self.resolve(i, cue if name == cue.name else replace(cue, name=name), quoted)
            if target is not None and target != quoted and not self.said_there(cue.sentence, target):
                if name_key(self.authors[target] or "") == name_key(name):
                    # "Sam is right that August …" and Sam's comment says nothing of August: another Sam,
                    # or one of Sam's comments not known as such; either way the name is unsure from now on.
                    self.namesakes.add(name_key(name))
                target = None
            if target is not None:
                evidence = wording.around(cue.sentence, name)
                # The writer of an unnamed answer right under a question to X is X by position alone:
                # link, but name no one ("Not yet." under "@Niamh, has anyone …?" may be anyone's).
                if self.authors[target] is None and not cue.deep and not (target in self.answers
                                                                          and target in self.chain_parent):
                    self.give_name(target, name)
                    self.author_bases[target] = cue.basis
                    self.author_evidence[target] = f"c{i + 1}: {evidence}"
                # Spoken *to* the person: a vocative, an @, or a mention with "you" in it
                # ("Tamsin has a point about the hotel. Check whether your insurance …").
                spoken_to = cue.basis == "vocative" or cue.explicit
                if spoken_to or set(lower_words(self.texts[i])) & SECOND_PERSON:
                    self.addressing.add(i)
                return ReplyLink(target, cue.basis), evidence
            if cue.basis == "vocative" and cue.strong:
                # The person spoken to cannot be placed: a later name-like word ("… Inolvidable.")
                # is no fallback, and guessing it would name a comment wrongly.
                break
        found = self.unnamed.link(i, quoted)
        if found is None:
            return ReplyLink(None, None), None
        target, basis, evidence = found
        return ReplyLink(target, basis), evidence


def infer_replies(bodies: Sequence[str], *, article: str = "") -> Inference:
    """Infer, for each comment body (plain text, source order), the earlier comment it answers.

    ``article`` is the article's plain text; optional, but when given its names ("Putin",
    "Moscow") are never taken for commenters and its wording counts as common ground
    rather than as evidence that two comments are related.
    """
    thread = _Thread(bodies, article)
    for i in range(len(bodies)):
        link, evidence = thread.infer(i)
        thread.links.append(link)
        thread.evidence.append(evidence)
        thread.settle(i)
        thread.sign(i)
    # The word caches hold this thread's sentences; a long thread's would otherwise stay in memory.
    wording.clear_caches()
    return Inference(tuple(thread.links), tuple(thread.authors), tuple(thread.author_bases),
                     tuple(thread.evidence), tuple(thread.author_evidence))
