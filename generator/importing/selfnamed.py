"""Import stage, reply inference helpers: a comment that names its own writer.

Used by ``generator.importing.replies``. A comment may be signed ("… then. — Basil", a last line
"— Margaret, Tavistock", "Heather (Exeter)", "Tom, Plymouth" or a bare "Margaret") or open with a
self-introduction ("Priya here — …", "Hannah here, a different Hannah", "I'm Tom from Leeds").
Such a name is this comment's author, never someone addressed: a signature line read as a
vocative ("Tom, Plymouth") would link the comment to the wrong person. ``own_name`` finds the
name and returns the text without the signature, so the name is not read again as a cue or as
shared wording. "As a teacher myself …" introduces no name and is left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import is_ordinary_word
from .names import NAME_TOKEN, is_common_word

_WS = r"[ \t]+"
# A signature line: "— Margaret", "-- Margaret, Tavistock", "Heather (Exeter)", "Tom, Plymouth", "Margaret".
_SIGNATURE_LINE = re.compile(
    rf"^(?:[—–]|--?)?[ \t]*(?P<name>{NAME_TOKEN})"
    rf"(?:[ \t]*,[ \t]*(?P<place>{NAME_TOKEN}(?:{_WS}{NAME_TOKEN})?)|[ \t]*\((?P<paren>[^()\n]{{2,40}})\))?[ \t]*\.?$"
)
# A signature at the end of the last line: "… then. — Basil", "… for years – Margaret".
_SIGNATURE_END = re.compile(rf"(?<=\S)[ \t]+[—–][ \t]*(?P<name>{NAME_TOKEN})[ \t]*\.?$")
# "Priya here — …", "Hannah here, a different Hannah.", "Same Asif, yes!" (asked "are you the same
# Asif who …?"), "Hi, I'm Tom from Plymouth", "My name is Ade."
_INTRO = re.compile(
    rf"^[\s\"“]*(?:(?P<here>{NAME_TOKEN}){_WS}here\b|(?i:same|the{_WS}same){_WS}(?P<same>{NAME_TOKEN})(?=[ \t]*[,.!—–])"
    rf"|(?:(?i:hi|hello|hey)[ \t]*[,!]?[ \t]*)?(?:(?P<my>(?i:my{_WS}name['’]s|my{_WS}name{_WS}is))|(?i:i['’]m|i{_WS}am)){_WS}"
    rf"(?P<intro>{NAME_TOKEN})(?=[ \t]*[,.;:!—–]|{_WS}(?i:from|and|here)\b))"
)
_CLOSING_QUOTES = ('"', "”", "’", "»")
# "a different Hannah", "another Sam", "the other Chris": a second person of a name already seen.
_DIFFERENT = re.compile(r"(?i:\b(?:a[ \t]+different|another|the[ \t]+other|not[ \t]+the[ \t]+same))\b")


@dataclass(frozen=True, slots=True)
class OwnName:
    """The name a comment gives its own writer."""

    name: str
    """The name as written ("Margaret")."""
    basis: str
    """"signature" for a signed comment, "introduction" for "X here" or "I'm X"."""
    text: str
    """The comment without its signature (unchanged for an introduction)."""
    evidence: str
    """The words that name the writer."""
    different: bool
    """True if the comment says it is another person of that name ("a different Hannah")."""
    certain: bool
    """True for forms that only a name fits: "— Margaret", "My name is Ade". "Tory here, but …",
    "I'm Welsh, and …" or a last line "Leeds, Yorkshire" also fit a party, a people or a place,
    so those count only when another comment uses the name too."""


def _plausible(name: str) -> bool:
    """True if a capitalised word can be a given name here: not a stop-listed or ordinary word."""
    return not is_common_word(name) and not is_ordinary_word(name)


def own_name(text: str) -> OwnName | None:
    """The name a cleaned comment body gives its own writer, or None."""
    intro = _INTRO.match(text)
    if intro:
        name = intro.group("here") or intro.group("same") or intro.group("intro")
        if _plausible(name):
            evidence = text[intro.start(): intro.end()].strip()
            return OwnName(name, "introduction", text, evidence, bool(_DIFFERENT.search(text[:200])),
                           bool(intro.group("my")))
    lines = text.rstrip().split("\n")
    last = lines[-1].strip()
    # A line of its own, after the comment's text: "Tom, Plymouth" alone would also read as an address.
    line = _SIGNATURE_LINE.match(last) if len(lines) > 1 and len(last) <= 60 else None
    # After a quotation, "— Churchill" says who is quoted, not who wrote the comment.
    if line and _plausible(line.group("name")) and not "\n".join(lines[:-1]).rstrip().endswith(_CLOSING_QUOTES):
        body = "\n".join(lines[:-1]).rstrip()
        return OwnName(line.group("name"), "signature", body, last, False, last[:1] in "—–-")
    end = _SIGNATURE_END.search(last) if "—" in last or "–" in last else None  # the pattern needs a dash
    if end and _plausible(end.group("name")) and last[: end.start()].rstrip()[-1:] in ".!?…)":
        body = "\n".join([*lines[:-1], last[: end.start()].rstrip()])
        return OwnName(end.group("name"), "signature", body, last[end.start():].strip(), False, True)
    return None


# A bare name after the last sentence: "… pick a bolt-resistant variety like Medania. Heather"
_BARE_END = re.compile(rf"(?<=[.!?…)])[ \t]+(?P<name>{NAME_TOKEN})[ \t]*\.?$")


def bare_signature(text: str, asked: frozenset[str]) -> OwnName | None:
    """A name standing alone as the last word of a cleaned comment ("… like Medania. Heather"),
    when the comment just above put a question to that name (``asked``: the names its questions
    address). Without the dash it reads as a signature only as the answer to that question."""
    end = _BARE_END.search(text.rstrip())
    if end is None or end.group("name") not in asked or not _plausible(end.group("name")):
        return None
    body = text.rstrip()[: end.start()].rstrip()
    return OwnName(end.group("name"), "signature", body, end.group("name"), False, True)

