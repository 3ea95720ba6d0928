"""Import stage, reply inference helpers: what a comment's wording shares with another's.

Pure and stdlib-only; used by ``generator.importing.replies``. Comments are compared by crude
stems of their content words and by adjacent-stem pairs ("phrases"); quotes are found in the
usual quotation marks and ``>`` lines; and ``evidence`` cuts out the words that led to a link,
so an editor reviewing the inference (``gloss review``) sees why it was made.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from itertools import chain

from .names import Cue, COMMON_WORDS, FUNCTION_WORDS, GREETINGS, NAME_PART, name_key
from .tokens import lower_words, sentences

QUOTE = re.compile(
    r"“([^”]{6,400})”|\"([^\"\n]{6,400})\"|«\s*([^»]{6,400}?)\s*»|„([^“”]{6,400})[“”]"
)
BLOCKQUOTE = re.compile(r"^[ \t]*>[ \t]?(.+)$", re.M)
_QUOTE_MARKS = ("“", '"', "«", "„", ">")  # what QUOTE and BLOCKQUOTE cannot match without
NAME_PART_RE = re.compile(NAME_PART)
LETTERS = re.compile(r"[^\W\d_]+")


@functools.lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """Crude suffix stripping so "bakeries"/"bakery" and "funded"/"funding" meet."""
    for suffix, repl, minimum in (("'s", "", 3), ("’s", "", 3), ("ies", "y", 5), ("sses", "ss", 5),
                                  ("ses", "s", 5), ("ches", "ch", 5), ("ing", "", 6), ("ed", "", 5),
                                  ("s", "", 4)):
        if len(word) >= minimum and word.endswith(suffix) and not word.endswith("ss"):
            word = word[: len(word) - len(suffix)] + repl
            break
    return word[:-1] if len(word) > 4 and word.endswith("e") else word


COMMON = frozenset(stem(w) for w in COMMON_WORDS)
GREETING_STEMS = frozenset(stem(w) for g in GREETINGS for w in g.split())


@functools.lru_cache(maxsize=None)  # a comment's content is asked for by several steps (cleared after each thread)
def content(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Content-word stems and adjacent-stem bigrams of a text (function words dropped)."""
    parts = [sentence_content(sentence) for sentence in sentences(text)]
    if len(parts) == 1:
        return parts[0]
    return (tuple(chain.from_iterable(seq for seq, _ in parts)),
            tuple(chain.from_iterable(pairs for _, pairs in parts)))


@functools.lru_cache(maxsize=None)  # the focus re-reads sentences already read (cleared after each thread)
def sentence_content(sentence: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Content-word stems of one sentence, in order, and their adjacent pairs."""
    # map and filter run in C: this is every word of every comment.
    seq = tuple(filter(None, map(_CONTENT_STEMS.__getitem__, lower_words(sentence))))
    return seq, tuple(map(" ".join, zip(seq, seq[1:])))


# Words of one sense that replies swap for each other: "my son can't afford …" is answered by "I'm
# in the same position with my daughter". Only close kin terms: a broader thesaurus links too much.
_SENSE_WORDS = {w: "offspring" for w in ("son", "sons", "daughter", "daughters")}
_PRONOUN_CONTRACTION = re.compile(r"^(?:(?:i|you|we|they|he|she|it|that|there|who|what)['’][a-z]+|[a-z]+n['’]t)$")


class _ContentStems(dict[str, str]):
    """Word → its stem if it is a content word, else "": each word decided once, then a dict hit."""

    def __missing__(self, word: str) -> str:
        if word in _SENSE_WORDS:
            return self.setdefault(word, _SENSE_WORDS[word])
        value = stem(word) if word not in FUNCTION_WORDS and (len(word) >= 3 or word[0].isdigit()) else ""
        if value and ("'" in word or "’" in word) and _PRONOUN_CONTRACTION.match(word):
            value = ""  # "I'm", "you've", "it's", "can't": a pronoun or a negated auxiliary, no content
        self[word] = value
        return value


_CONTENT_STEMS = _ContentStems()


def content_stem(word: str) -> str:
    """The stem of a casefolded word if it is a content word (as ``sentence_content`` keeps it), else ""."""
    return _CONTENT_STEMS[word]


def clear_caches() -> None:
    """Forget the words read from one thread (the caches above and the sentence caches they use)."""
    for cached in (lower_words, sentences, sentence_content, content, name_parts):
        cached.cache_clear()
    _CONTENT_STEMS.clear()


def focus_items(text: str, sentence: str, name: str) -> frozenset[str]:
    """Content items of the sentence naming someone, of the reply's first sentence, and of the next
    sentence when the naming one is bare ("Thanks, Yusuf, that worked!")."""
    parts = sentences(text)
    chosen = [sentence, *parts[:1]]
    # The content words of the sentence without the name: its words' stems (as ``content`` would find
    # them, read straight from the words: no sentence splits or pairs for a string used once).
    if sentence in parts and len(set(filter(None, map(content_stem, lower_words(sentence.replace(name, " ")))))
                                 - GREETING_STEMS) < 3:
        chosen += parts[parts.index(sentence) + 1:][:1]
    # The chosen sentences' cached content, as ``content`` of them joined would read it. A sentence
    # of the text splits into itself, so only a cue's whole text (an @handle's) is split again.
    items: set[str] = set()
    for chosen_text in chosen:
        for part in (chosen_text,) if chosen_text in parts else sentences(chosen_text):
            stems, bigrams = sentence_content(part)
            items.update(stems)
            items.update(bigrams)
    return frozenset(items)


def quotes(text: str) -> list[list[str]]:
    """Quoted passages (“…”, "…", «…», „…“, > lines) as normalised fragments of 3+ words."""
    if not any(mark in text for mark in _QUOTE_MARKS):  # most comments quote nothing: no pattern need run
        return []
    found = [next(g for g in m.groups() if g) for m in QUOTE.finditer(text)]
    found += BLOCKQUOTE.findall(text)
    result = []
    for quote in found:
        fragments = [norm(f) for f in re.split(r"…|\.\.\.|\[…\]|\[\.\.\.\]", quote)]
        long = [f for f in fragments if f.count(" ") >= 2]
        if long:
            result.append(long)
    return result


@functools.lru_cache(maxsize=None)  # each cue's name is tested as a topic by several steps (cleared after each thread)
def name_parts(text: str) -> tuple[str, ...]:
    """Casefolded capitalised word parts: "Putin’s" → putin, "Anne-Marie" → anne, marie."""
    return tuple(map(name_key, NAME_PART_RE.findall(text)))


def topic_names(article: str, texts: Sequence[str], cues: Sequence[Sequence[Cue]]) -> frozenset[str]:
    """Names a discussion is *about*: in the article, or used outside cues in 2+ comments.

    Counted by name part, so "Putin’s", "Putin-Kim" and "Putin" are one name.
    """
    topic = set(name_parts(article))
    seen: dict[str, int] = {}
    for text, found in zip(texts, cues):
        addressed = {part for c in found for part in name_parts(c.name)}
        for key in sorted(set(name_parts(text)) - addressed):
            seen[key] = seen.get(key, 0) + 1
    return frozenset(topic | {k for k, v in seen.items() if v >= 2})


def norm(text: str) -> str:
    """Casefolded words joined by single spaces: how quotes are compared with comments."""
    return " ".join(lower_words(unicodedata.normalize("NFKC", text)))


# --- evidence: the words an editor is shown -------------------------------------------------


def snippet(text: str, limit: int = 160) -> str:
    """The text on one line, whitespace collapsed, cut at a word below ``limit`` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " …"


def exchange(said: str, answer: str) -> str:
    """The evidence of a link made by what a reply answers: both sides, quoted, on one line."""
    return snippet(f"“{said}” — “{answer}”")


def around(sentence: str, name: str) -> str:
    """The words that named someone: the sentence, or for a long one (an @handle's whole
    comment) the stretch around the name."""
    text = " ".join(sentence.split())
    at = text.find(name)
    if len(text) <= 160 or at < 0:
        return snippet(text)
    start = text.rfind(" ", 0, max(0, at - 40)) + 1
    return ("… " if start else "") + snippet(text[start:])


def quoted_evidence(text: str, other: str) -> str:
    """The quoted fragments of ``text`` that the (normalised) comment ``other`` holds."""
    for fragments in quotes(text):
        if all(f" {f} " in other for f in fragments):
            return snippet(" … ".join(f"“{f}”" for f in fragments))
    return snippet(text)
