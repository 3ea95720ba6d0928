"""The importer's text helpers (``generator.importing.tokens``) against their plain definitions.

``sentences`` strips each sentence's lead with ``str.lstrip`` and ``lower_words`` reads ASCII text
with an ASCII pattern: both faster forms of one regular expression each, which must find exactly
what those expressions find on any text (Hypothesis), non-ASCII and odd whitespace included.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from budget import examples
from generator.importing import tokens

# The definitions the fast forms replace.
_LEAD = re.compile(r"^[\s\"“‘'¡¿(>*_\-–—]+")
_WORD = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)*")
_SPLIT = re.compile(r"(?<=[.!?…])[\"”’)]*\s+|\n+")

# Text made of what matters to the helpers: letters of both cases and scripts, digits, apostrophes,
# the lead marks, sentence ends, every kind of whitespace ``\s`` knows, and anything else.
_text = st.text(
    st.one_of(st.sampled_from("aZé9'’.,!?…\"“‘¡¿(>*_-–— \t\n\u00a0\u2028\u3000\x1cİK"), st.characters()),
    max_size=80,
)


@settings(max_examples=examples(500), deadline=None)
@given(text=_text)
def test_sentences_strip_leads_as_the_pattern_does(text: str) -> None:
    tokens.sentences.cache_clear()
    expected = tuple(s for s in (_LEAD.sub("", part).strip() for part in _SPLIT.split(text)) if s)
    assert tokens.sentences(text) == expected


@settings(max_examples=examples(500), deadline=None)
@given(text=_text)
def test_lower_words_find_the_words_of_the_pattern(text: str) -> None:
    tokens.lower_words.cache_clear()
    assert tokens.lower_words(text) == tuple(w.casefold() for w in _WORD.findall(text))


@settings(max_examples=examples(500), deadline=None)
@given(text=st.text(st.characters(max_codepoint=127), max_size=80))
def test_lower_words_of_ascii_text(text: str) -> None:
    """The ASCII path on ASCII text alone (the mixed strategy above is mostly non-ASCII)."""
    tokens.lower_words.cache_clear()
    assert tokens.lower_words(text) == tuple(w.casefold() for w in _WORD.findall(text))


def test_examples() -> None:
    assert tokens.sentences("> “Quoted.” — Next one!  ‘Third’") == ("Quoted.", "Next one!", "Third’")
    # Marks and any whitespace interleaved at the lead go together (an ideographic space, a line separator).
    assert tokens.sentences("“\u3000— x. \u2028(\x1c> y") == ("x.", "y")
    assert tokens.lower_words("Don't pay 1,200.50 for O'Brien’s") == ("don't", "pay", "1,200.50", "for", "o'brien’s")
