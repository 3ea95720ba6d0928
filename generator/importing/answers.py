"""Import stage, reply inference: a comment that answers a question asked right above it.

Used by ``generator.importing.replies`` when a comment names no one, quotes nothing and echoes
no one: "Not yet." under "Has anyone heard back?", "Because the lease ran out." under a "why",
and "Zucman's paper, page 6." under "@Siobhán where does the figure come from?". Only the
comment just before is considered: an answer further down would need evidence of its own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .names import ANSWER_OPENING, SECOND_PERSON, Cue, trim_name
from .tokens import lower_words, sentences

_ANSWER = re.compile(rf"^[\s\"“¡]*{ANSWER_OPENING}")
_BECAUSE = re.compile(r"^[\s\"“]*(?i:because|porque|parce[ \t]+que|weil)\b")
_WHY = re.compile(r"\b(?:why|por[ \t]+qué|pourquoi|warum)\b")
# A question put to the whole thread ("Has anyone …?", "Will anyone …?") invites answers from anybody.
_ANYONE = frozenset({"anyone", "anybody", "everyone", "everybody", "somebody", "someone"})
_WH = re.compile(r"\b(?:where|when|which|who|how|what)\b")
# "Where does it come from?" is answered by a source: "It was in the cabinet paper", "From the report".
_WHERE_FROM = re.compile(r"\bwhere\b.*\b(?:from|get|find|read|see)\b")
_SOURCE = re.compile(
    r"^[\s\"“]*(?i:(?:it|that)(?:['’]s|[ \t]+(?:is|was|came))[ \t]+(?:in|on|from)|from[ \t]+the|on[ \t]+page)\b"
)
# An opening that agrees with what was just said: "Exactly that.", "Precisely, and …", "Spot on."
_AGREES = re.compile(
    r"^[\s\"“]*(?i:exactly|precisely|absolutely|agreed|spot[ \t]+on|quite[ \t]+right|well[ \t]+said|hear,?[ \t]+hear)"
    r"(?i:[ \t]+that)?(?=[,.!;:—–]|[ \t]+-)"
)
# An opening that challenges what was said: "Says who?", "Source?", "Citation needed for …".
_CHALLENGES = re.compile(
    r"^[\s\"“\[]*(?i:says[ \t]+who|who[ \t]+says[ \t]+so|sources?|citation[ \t]+needed|proof|evidence)"
    r"(?:[ \t]*[?\]]|(?<=needed)(?=[ \t,.!]))"
)
# An elliptical answer, a subject and an auxiliary with nothing after them: "I do, every Saturday.",
# "It will: the policy lists …", "We did." ("It is, of course, …" goes on, so "it" needs a stop.)
_ELLIPTICAL = re.compile(
    r"^[\s\"“]*(?i:(?:yes|no|yeah|nope)[,.]?[ \t]+)?"
    r"(?:(?i:i|we|they)[ \t]+(?i:do|did|have|had|am|are|was|were|can|could|will|would)"
    r"(?i:n['’]t|[ \t]+not)?(?=[,.!;:—–])"
    r"|(?i:it|she|he)[ \t]+(?i:does|did|has|had|is|was|can|could|will|would)(?i:n['’]t|[ \t]+not)?(?=[.!;:—–]))"
)


def answers_question(previous: str, previous_cues: Sequence[Cue], text: str, cues: Sequence[Cue]) -> str | None:
    """How ``text`` opens with an answer to a question asked in ``previous`` (the comment just before):
    "particle" ("Yes, …", "Because …" to a "why", a source to a "where from"), "addressed" (a plain
    statement under a question put to someone, which its caller must still find words in common
    for), or None."""
    questions = [q.casefold() for q in sentences(previous) if q.endswith("?")]
    if _BECAUSE.match(text):
        return "particle" if any(_WHY.search(q) for q in questions) else None
    if questions and _ANSWER.match(text) is not None:
        return "particle"
    if not cues and _SOURCE.match(text) and any(_WHERE_FROM.search(q) for q in questions):
        return "particle"  # "Where does the figure come from?" — "It was in the cabinet paper from March."
    return "addressed" if answers_addressed_question(previous, previous_cues, text, cues) else None


def answers_addressed_question(previous: str, previous_cues: Sequence[Cue], text: str, cues: Sequence[Cue],
                               wh: bool = True) -> bool:
    """True if ``text``, naming no one and asking nothing, follows a question put to someone.

    "@Siobhán where does the 250 billion figure come from?" then "Zucman's paper, page 6.":
    a question asked of a person (by name or as "you") is answered by the next comment that
    states something without addressing anyone else; a comment that asks its own question,
    or names someone, starts something else. With ``wh`` False, a yes/no question counts too (its
    caller then asks for more: "It's printed on the SIM tray." opens on a pronoun for the thing asked).
    """
    own = sentences(text)
    if not own or cues or any(s.endswith("?") for s in own) or len(own) > 3:
        return False
    return any(not wh or _WH.search(question.casefold()) for question in asked_questions(previous, previous_cues))


def asked_questions(text: str, cues: Sequence[Cue]) -> list[str]:
    """The questions in ``text`` put to a person, by name or as "you" ("Sam, have you asked …?")."""
    cued = {c.sentence for c in cues}
    return [q for q in sentences(text) if q.endswith("?")
            and (any(q in sentence for sentence in cued) or bool(set(lower_words(q)) & SECOND_PERSON))]


def asks_anyone(text: str) -> bool:
    """True if ``text`` puts a question to the whole thread: "Will anyone on the committee …?"."""
    return any(set(lower_words(q)) & _ANYONE for q in sentences(text) if q.endswith("?"))


_ARTICLE = re.compile(r"(?i:\b(?:the|this)[ \t]+(?:article|headline|piece|report|reporter|journalist)\b)")


def about_article(text: str) -> bool:
    """True if ``text`` speaks of the article itself ("The article quotes one side …")."""
    return _ARTICLE.search(text) is not None


def reacts_to_previous(text: str, cues: Sequence[Cue]) -> str | None:
    """How ``text``, naming no one, opens by reacting to the comment just before, or None.

    "agrees": "Exactly that.", "Precisely, and …" take up what was just said. "answers": an
    elliptical answer, "I do, every Saturday." or "It will: the policy lists …", only makes sense
    right under what it answers (a question, or a suggestion such as "try the bus"). "challenges":
    "Says who?", "Citation needed." question a claim, the one above unless the words say which;
    "challenges-object": "Citation needed on the 5 percent" names the claim it questions.
    """
    if any(cue.explicit or trim_name(cue.name) for cue in cues):
        return None  # "Precisely, …" reads as a cue too, but names no one
    if _AGREES.match(text):  # "Exactly. The article says …" agrees with the article
        return None if about_article(text) else "agrees"
    challenge = _CHALLENGES.match(text)
    if challenge:
        # "Citation needed on the 5 percent": the object says which claim; a bare "Says who?" has none.
        after = text[challenge.end():].lstrip(" \t")
        bare = challenge.group(0).endswith(("?", "]")) or not after or after.startswith((".", "!", "?"))
        return "challenges" if bare else "challenges-object"
    if _ELLIPTICAL.match(text):
        return "answers"
    return None


# "Fair point on Fridays.", "Good point about the shuttle": conceding a point, named by its object.
_CONCEDES = re.compile(
    r"^[\s\"“]*(?i:(?:fair|good|valid)[ \t]+point)[ \t]+(?i:on|about|re|regarding)[ \t]+(?P<object>[^.!?;:\n]+)"
)


def conceded_point(text: str) -> str | None:
    """The object of an opening that concedes a point ("Fair point on Fridays." → "Fridays"), or None."""
    found = _CONCEDES.match(text)
    return found.group("object") if found else None

