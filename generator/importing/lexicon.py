"""Import stage, reply inference helpers: which capitalised words are ordinary English words.

A sentence opening "Small, achievable numbers …" or "Bills, not …" looks like a vocative to a
person called Small or Bills. ``common_words.txt`` (beside this module) lists about 11,500
frequent English words that are not usually given names: the 15,000 most frequent words of the
``wordfreq`` package (3.1.1), less the given names of the US census lists and the surnames among
its rarer words (so "Barnes" and "Abdullah" stay possible names, "Small" and "Bills" do not).
Words that are both ordinary words and common given names ("Will", "Mark", "Grace") are listed
in ``AMBIGUOUS``: they are a name only when the sentence speaks to someone.
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace
from importlib import resources

from .names import GREETINGS, SECOND_PERSON, Cue
from .tokens import lower_words

# Given names that are also everyday words: "Will the result be binding?", "Grace under pressure",
# "Frank question:", "No joy for the bank". Casefolded.
AMBIGUOUS = frozenset(
    """will mark grace rose bill frank hope joy sue pat basil holly olive heather ivy iris lily
    daisy poppy hazel violet ruby pearl amber jade crystal dawn faith mercy patience prudence
    honey candy ginger sage rowan willow robin wren jay summer autumn sandy rusty dusty
    penny ray rob rod bob jack guy art chase cliff dale dean drew gene glen hunter lance miles
    nick pierce reed wade warren carol angel earl norm victor max don chip bud sky river storm
    brook forrest king prince duke major marshall price stone hardy sonny chance melody harmony
    destiny trinity constance ernest august june april may""".split()
)


@functools.cache
def common_words() -> frozenset[str]:
    """The frequent English words that are not usually names (read once)."""
    text = resources.files(__package__).joinpath("common_words.txt").read_text(encoding="utf-8")
    return frozenset(text.split())


def is_ordinary_word(word: str) -> bool:
    """True if a capitalised word is, out of context, far more likely a word than a name."""
    key = word.casefold()
    if key.endswith("s") and not key.endswith("ss") and key[:-1] in common_words():
        key = key[:-1]  # "Slugs, snails …": the plural of an ordinary word
    return key in common_words() and key not in AMBIGUOUS


def doubtful(cue: Cue) -> bool:
    """True if a cue to a name nobody has been given yet is more likely an ordinary word.

    "Small, achievable numbers …" and "Bills, not …" open on ordinary words; "Basil, coriander and
    parsley" and "Holly, ivy and bramble" on a list. A word that is also a name ("Grace", "Frank") is
    an address only followed by a comma ("Will, the money …", and then ``weakened``) or when the
    sentence speaks to someone ("you", a question, a greeting): not in "Grace — under pressure again.".
    """
    tokens = cue.name.split()
    sentence = cue.sentence
    # "Stagecoach, if you're reading this": spoken to someone outside the thread. "Dr Adeyemi is
    # right", "Judge Whitcombe": a titled name is the article's expert or official, not a reader.
    if _OUTSIDER.search(sentence) or _TITLED.search(sentence[: max(sentence.find(cue.name), 0)]):
        return True
    after = sentence[sentence.find(cue.name) + len(cue.name):] if cue.name in sentence else ""
    # "Daniel Whitcombe, Bellcroft's managing director, told …": an apposition and a verb, said of a
    # third person; "Nimbys, the lot of you": spoken to a crowd, not to a reader.
    if _GROUP.search(sentence):
        return True
    apposition = _APPOSITION.match(after) if len(cue.name.split()) > 1 else None
    if apposition and not set(lower_words(apposition.group(1))) & _FINITE and not set(lower_words(sentence)) & SECOND_PERSON:
        verb = apposition.group(2)
        if verb.endswith(("s", "ed")) or verb in _PAST:
            return True
    if all(map(is_ordinary_word, tokens)):  # unless a greeting makes it an address: "Alas, dear Gift, …"
        return not set(lower_words(sentence[: max(sentence.find(cue.name), 0)])) & _GREETING_WORDS
    if _LIST.match(sentence[sentence.find(cue.name) + len(cue.name):]) and sentence.startswith(cue.name):
        return True
    if len(tokens) > 1 or tokens[0].casefold() not in AMBIGUOUS or cue.basis != "vocative":
        return False  # "Mark is right that …" is about a person whatever the word
    # "Bill, the fourth official …": the comma right after the word makes it a name (a verb or a
    # noun opening a sentence takes none; lists are ruled out above).
    if sentence.startswith(cue.name) and sentence[len(cue.name):].lstrip(" \t").startswith(","):
        return False
    return not _spoken_to(sentence)


def weakened(cue: Cue) -> Cue:
    """The cue, made weak when its name is also a word and its sentence speaks to no one: "Grace,
    under pressure, the council cuts buses" may be an address, but only shared content can tell
    which comment it answers (not "the latest one")."""
    if cue.strong and cue.basis == "vocative" and cue.name.casefold() in AMBIGUOUS and not _spoken_to(cue.sentence):
        return replace(cue, strong=False)
    return cue


def _spoken_to(sentence: str) -> bool:
    """True if a sentence speaks to someone: "you", a question, or a greeting first."""
    words = lower_words(sentence)
    return bool(set(words) & SECOND_PERSON) or sentence.rstrip().endswith("?") or words[:1] in _GREETED


# What follows the first item of a list: ", coriander and parsley", ", ivy, and bramble".
_LIST = re.compile(r"[ \t]*,[ \t]*[^\W\d_]+(?:[ \t]*,[ \t]*[^\W\d_]+)*,?[ \t]+(?:and|or|&)[ \t]")
_GROUP = re.compile(r"(?i:\b(?:the[ \t]+lot[ \t]+of[ \t]+you|all[ \t]+of[ \t]+you|every[ \t]+one[ \t]+of[ \t]+you|you[ \t]+lot)\b)")
# ", Bellcroft's managing director, told": a short noun phrase between commas, then a verb.
_APPOSITION = re.compile(r"[ \t]*,[ \t]*((?:[^\W\d_][\w'’-]*[ \t]+){0,4}[^\W\d_][\w'’-]*)[ \t]*,[ \t]*([a-z]+)\b")
_FINITE = frozenset("is are was were be been has have had do does did not can will would should i we you".split())
_PAST = frozenset("told said wrote thought made gave took met put sent spoke went came knew saw".split())
_OUTSIDER = re.compile(r"(?i:\bif[ \t]+you(?:['’]re|[ \t]+are|[ \t]+ever)[ \t]+read(?:ing)?[ \t]+this\b)")
_TITLED = re.compile(
    r"(?i:\b(?:dr|doctor|prof|professor|judge|justice|councillor|cllr|minister|president|mayor|sir|lord|"
    r"lady|mr|mrs|ms|mx|senator|governor|chancellor|inspector|sergeant|coach|manager|chief))\.?[ \t]*$"
)
_GREETING_WORDS = frozenset(w for g in GREETINGS for w in g.split()) | {"dear", "dearest"}
_GREETED = frozenset((g,) for g in GREETINGS if " " not in g)


_WHICH = re.compile(r"(?i:\bwhich)[ \t]+")


def asks_which(text: str, name: str) -> bool:
    """True if a comment asks which of several people of the name is meant: "Which Tom is which
    now? Wickham Road Tom, …" speaks to one of two Toms, and only the writer knows which."""
    last = name.split()[-1]
    # As ``(?i:\bwhich)[ \t]+<last>\b`` would find it, without compiling a pattern per name (a long
    # thread's thousand names overflow the re module's cache): the name, which starts with no space,
    # follows a whole run of blanks after "which", and a word boundary follows the name.
    for found in _WHICH.finditer(text):
        end = found.end() + len(last)
        if text.startswith(last, found.end()) and _wordy(last[-1]) != (end < len(text) and _wordy(text[end])):
            return True
    return False


def _wordy(char: str) -> bool:
    """True if ``re`` counts the character as part of a word (``\\w``)."""
    return char.isalnum() or char == "_"



# The last word of a body's name: "Alzheimer's Society", "the Trust", "Harbour Road Traders".
_BODIES = frozenset(
    """society council trust association foundation institute institution charity committee
    party union league federation agency authority board commission department ministry office
    service services group company ltd plc inc club team traders partnership network campaign
    alliance coalition forum""".split()
)


def organisation(name: str) -> bool:
    """True if the name is a body's, not a person's: it ends in an organisation word ("the Society",
    "Alzheimer's Society"), or a word before the last is possessive ("Alzheimer's Research"). An
    organisation writes no comment, so naming it is no reply to a reader."""
    tokens = name.split()
    if not tokens:
        return False
    if tokens[-1].casefold() in _BODIES:
        return True
    return any(t.endswith(("'s", "’s", "s'", "s’")) for t in tokens[:-1])
