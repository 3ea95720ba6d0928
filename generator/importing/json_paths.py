"""Import stage helper: where a JSON path's value stands in the JSON text, for located errors.

:mod:`json` gives values without positions; :func:`locate` walks the text again along the path
with :mod:`json`'s own scanner (``scanstring`` for keys, ``raw_decode`` to step over values), so
the position is exact for any valid JSON, whitespace and escapes included.
"""

from __future__ import annotations

import json

_WS = " \t\n\r"
PathStep = str | int
"""A key of an object or an index of an array."""


def locate(text: str, path: tuple[PathStep, ...]) -> tuple[int, int]:
    """1-based (line, column) of the value at ``path`` in JSON ``text`` (the nearest existing parent)."""
    decoder = json.JSONDecoder()
    pos = _skip(text, 0)
    for step in path:
        found = _child(text, pos, step, decoder)
        if found is None:
            break
        pos = found
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _WS:
        pos += 1
    return pos


def _child(text: str, pos: int, step: PathStep, decoder: json.JSONDecoder) -> int | None:
    """Offset of member ``step`` of the object or array starting at ``pos`` (already valid JSON)."""
    opening = text[pos : pos + 1]
    if opening not in ("{", "[") or (opening == "{") != isinstance(step, str):
        return None
    pos, index = _skip(text, pos + 1), 0
    while pos < len(text) and text[pos] not in "}]":
        if opening == "{":
            key, pos = json.decoder.scanstring(text, pos + 1)  # type: ignore[attr-defined]
            pos = _skip(text, _skip(text, pos) + 1)  # past ":"
            if key == step:
                return pos
        elif index == step:
            return pos
        _, pos = decoder.raw_decode(text, pos)
        pos = _skip(text, pos)
        pos = _skip(text, pos + 1) if text[pos : pos + 1] == "," else pos
        index += 1
    return None


def show_path(path: tuple[PathStep, ...]) -> str:
    """``rows[2].target[0]`` style."""
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else step)
    return out or "(top level)"
