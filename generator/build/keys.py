"""Build: the text a cache or staleness key is hashed from, made from plain values.

A key must change whenever what it stands for changes, and only then. Hand-built strings
(``repr`` of a config, ``f"{a}/{b}"``) get that wrong in quiet ways: two different values can
print alike, and a ``repr`` may change with the Python version. Keys are therefore made from
plain data (text, numbers, booleans, None, lists, tuples and mappings with text keys) encoded
as JSON, which keeps each value's type and the data's shape: different data, different text.
Mappings keep their order (a template may show ``extra:`` in the order it was written).
"""

from __future__ import annotations

import json
from typing import Any


def canonical(value: Any) -> str:
    """``value`` as compact JSON; raises ``TypeError`` for anything that is not plain data."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
