"""Import stage, reply inference helpers: a comment's text cleaned, split into sentences and words.

Pure and stdlib-only; the first step of reading a comment, shared by the cues (``names``), the
content words (``wording``) and the overlap index. Each split is cached per text and cleared after
each thread (``wording.clear_caches``), so every consumer reads a sentence's words from one pass.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_SENT_SPLIT = re.compile(r"(?<=[.!?…])[\"”’)]*\s+|\n+")
# What a sentence's lead may hold (quote marks, dashes, list marks) and every character ``\s`` matches
# (str.isspace, all in the Basic Multilingual Plane): stripped by ``str.lstrip``, no pattern per part.
_LEAD = "\"“‘'¡¿(>*_-–—" + "".join(c for c in map(chr, range(0x10000)) if c.isspace())
_EMPHASIS = re.compile(r"\*+|`+|(?<!\w)_+|_+(?!\w)")
WORD = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)*")
# WORD for lowercased ASCII text, where a letter is [a-z], a digit [0-9] and "’" cannot occur: the same
# words, found a third faster than through Unicode categories (most sentences are ASCII).
_ASCII_WORD = re.compile(r"[a-z]+(?:'[a-z]+)*|[0-9]+(?:[.,][0-9]+)*")


def clean_text(text: str) -> str:
    """Normalise a body for matching: NFC, plain hyphens and spaces, no Markdown emphasis.

    Pasted text carries non-breaking hyphens (U+2011) and spaces; ``**Zoë**,`` must still
    read as a vocative. Underscores inside words survive ("@old_sailor").
    """
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\u2011", "-").replace("\u00a0", " ").replace("\u202f", " ")
    if "*" not in text and "`" not in text and "_" not in text:  # nothing for the pattern below
        return text
    return _EMPHASIS.sub("", text)


# Unbounded, and cleared by ``infer_replies`` after each thread: a bounded LRU cache smaller than a
# long thread's sentences misses on *every* later lookup (each miss evicts the next one needed).
@functools.lru_cache(maxsize=None)  # cues, content, focus and evidence all split the same comments
def sentences(text: str) -> tuple[str, ...]:
    """Split a cleaned body into sentences (and paragraphs), leading quote/dash marks removed."""
    return tuple(s for s in (part.lstrip(_LEAD).strip() for part in _SENT_SPLIT.split(text)) if s)


@functools.lru_cache(maxsize=None)  # cues and content read the same sentences (cleared after each thread)
def lower_words(text: str) -> tuple[str, ...]:
    """The words and numbers of a text, casefolded."""
    if text.isascii():  # casefolding ASCII is lowering, and keeps every character's class: one call
        return tuple(_ASCII_WORD.findall(text.lower()))
    return tuple(w.casefold() for w in WORD.findall(text))
