"""Reply inference at scale: the shortcuts that keep a long import fast find what the plain rules find.

``bench/import_bench.py`` times the importer; these tests pin what its speed-ups must not change.
Each shortcut is checked against the rule it stands for, written out plainly here (a quote's hits
against every earlier comment, "which Tom" against its regular expression), on generated threads;
and the work of looking up a person's earlier questions is counted, so a quadratic step shows.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budget import examples
from generator.importing import lexicon, replies, wording
from generator.importing.replies import ReplyLink, infer_replies

# Function words only ("it is what it is"): such a quote has no rare word to narrow the search, so every
# earlier comment is searched; plus content words, a name, and a ligature that NFKC changes ("ﬁsh").
_WORDS = st.sampled_from("it is what the of and to that was not you this are be ferry harbour Ruth ﬁsh café".split())
_PHRASE = st.lists(_WORDS, min_size=3, max_size=6).map(" ".join)
_COMMENT = st.tuples(st.lists(_WORDS, min_size=1, max_size=14).map(" ".join),
                     st.one_of(st.none(), _PHRASE), st.sampled_from(["“{}”", '"{}"', "> {}\n"])).map(
    lambda parts: f"{parts[0]}." if parts[1] is None else f"{parts[2].format(parts[1])} {parts[0]}.")


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bodies=st.lists(_COMMENT, min_size=2, max_size=16))
def test_quote_hits_are_the_first_earlier_comments_holding_every_fragment(bodies: list[str]) -> None:
    thread = replies._Thread(bodies, "")
    try:
        for i, text in enumerate(thread.texts):
            for fragments in wording.quotes(text):
                every = [j for j in range(i) if all(f" {f} " in thread.overlap.normed(j) for f in fragments)]
                assert thread.overlap.quote_hits(i, fragments) == every[:2]
    finally:
        wording.clear_caches()


def test_a_quote_of_function_words_links_to_the_one_comment_holding_it() -> None:
    said = "Honestly it is what it is with the ferry."
    others = ["The harbour timetable moved again.", "Nobody checked the tide tables."]
    # Quoted under the one comment that said it, two comments further down: a quote link.
    assert infer_replies([said, *others, "“it is what it is” — that is no answer."]).links[3] == ReplyLink(0, "quote")
    # Said by two comments, the quote points at neither.
    twice = infer_replies([said, others[0], "Well, it is what it is.", "“it is what it is” — no answer."])
    assert twice.links[3].basis != "quote"


_TEXT = st.lists(st.sampled_from(["which", "Which", "WHICH", "whİch", "witch", " ", "\t", "\n", "Tom", "Toms", "tom",
                                  "O'Brien", "Zoë", "_", "9", ".", "é", "ſ", "K"]), max_size=8).map("".join)


@settings(max_examples=examples(500), deadline=None)
@given(text=_TEXT, name=st.sampled_from(["Tom", "Dr Tom", "O'Brien", "Zoë", "old_sailor", "x9", "Tom."]))
def test_asks_which_is_its_pattern(text: str, name: str) -> None:
    last = name.split()[-1]
    assert lexicon.asks_which(text, name) == bool(re.search(rf"(?i:\bwhich)[ \t]+{re.escape(last)}\b", text))


def _addressed_thread(rounds: int) -> list[str]:
    """Ruth writes again and again, and each time is asked about what she wrote: every address to
    her looks up the questions put to her before."""
    bodies = []
    for k in range(rounds):
        bodies += [f"Ruth here: the {k} sailing is late again.", f"Ruth, why is the {k} sailing late again?"]
    return bodies


def test_a_person_asked_often_costs_linear_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """The comments naming Ruth are read a bounded number of times: 4x the thread, at most about 4x
    the reads (reading all of them for each reply to her was 16x: 10,100 reads, then 160,400)."""
    reads = [0]

    class Counted(set[int]):
        def __iter__(self):  # type: ignore[no-untyped-def]
            for item in super().__iter__():
                reads[0] += 1
                yield item

    real = replies.naming_index
    monkeypatch.setattr(replies, "naming_index", lambda cues: {k: Counted(v) for k, v in real(cues).items()})
    work = []
    for rounds in (100, 400):
        reads[0] = 0
        links = infer_replies(_addressed_thread(rounds)).links
        # Every question goes to Ruth's comment above it: each one looked her questions up.
        assert links[1::2] == tuple(ReplyLink(2 * k, "vocative") for k in range(rounds))
        work.append(reads[0])
    assert work[1] <= 5 * work[0], work
