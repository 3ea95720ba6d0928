"""What a reply says someone said ("you're right about the heat"), and names that are bodies, not readers.

Round 3 of issue #14: the claim a naming sentence attributes must be in the comment it links to, and
"The Alzheimer's Society says" names no reader. The claim reader is a small parser over free text, so
it also gets a property test.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from generator.importing import wording
from generator.importing.lexicon import organisation
from generator.importing.targets import _ATTRIBUTED, _SAID_ABOUT, _claim


def test_claims_read_from_verdicts() -> None:
    assert _claim("Deepa, you're right about the heat, but the start time was fixed") == {"heat"}
    assert "august" in _claim("Sam is right that August is a different world, but …")
    assert _claim("Tamsin has a point about the hotel.") == {"hotel"}
    assert _claim("Thanks, Lena, that worked!") == frozenset()
    lyrical = "While Kimberly waxes lyrical about the chessboard, the rest of us read the budget."
    assert _claim(lyrical, _SAID_ABOUT) == {"chessboard"}  # for finding the comment ...
    assert _claim(lyrical) == frozenset()  # ... but no verdict to veto a link with


@given(st.text(alphabet=st.sampled_from("ab Rrightwonaeuts,.?!—'"), max_size=80))
def test_a_claim_is_some_of_the_sentence_content(sentence: str) -> None:
    for pattern in (_ATTRIBUTED, _SAID_ABOUT):
        claim = _claim(sentence, pattern)
        assert claim <= set(wording.content(sentence)[0])
        assert not claim & wording.COMMON


def test_organisations_are_no_readers() -> None:
    assert organisation("Alzheimer's Society")
    assert organisation("Society")
    assert organisation("Alzheimer's Research")
    assert organisation("Harbour Road Traders")
    assert not organisation("Tunde")
    assert not organisation("Anne-Marie")
    assert not organisation("Ruth Ng")
