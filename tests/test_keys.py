"""``build/keys.py``: cache and staleness keys come from plain data, never from hand-built strings."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.build.keys import canonical
from generator.content.config import SiteConfig
from generator.render.renderer import ListingPage

plain = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
    max_leaves=12,
)


@given(plain, plain)
def test_different_data_gives_different_text(a: object, b: object) -> None:
    # JSON's own equality (1 == True in Python, but not as JSON values): compare by type and shape.
    assert (canonical(a) == canonical(b)) == (_typed(a) == _typed(b))


def _typed(value: object) -> object:
    if isinstance(value, list):
        return ("list", tuple(_typed(v) for v in value))
    if isinstance(value, dict):
        return ("dict", tuple((k, _typed(v)) for k, v in value.items()))
    return (type(value).__name__, value)


@pytest.mark.parametrize(("a", "b"), [
    (("a/b", "c"), ("a", "b/c")),  # a joined string would collide
    ((1, 2), ("1", 2)),
    ((True,), (1,)),
    ({"x": 1, "y": 2}, {"y": 2, "x": 1}),  # order is part of the data (extra: is shown in order)
])
def test_values_that_print_alike_get_different_keys(a: object, b: object) -> None:
    assert canonical(a) != canonical(b)


def test_only_plain_data_is_accepted() -> None:
    with pytest.raises(TypeError):
        canonical((object(),))


def test_listing_details_and_config_are_plain_data() -> None:
    """What the build hashes must encode (a non-plain value would raise, not hash its address)."""
    import dataclasses

    canonical(dataclasses.asdict(SiteConfig(extra={"motto": "Checked", "n": [1, 2.5, None, True]})))
    field = next(f for f in dataclasses.fields(ListingPage) if f.name == "detail")
    assert field.type == "tuple[str | int, ...]"
