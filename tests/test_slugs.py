"""Where a slug clash is reported: the ``slug:`` line found in the front matter (``build/slugs.py``)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from budget import examples

from generator.build.inputs import InputFile
from generator.build.slugs import slug_location

KEYS = st.sampled_from(["title", "date", "summary", "tags", "source"])
VALUES = st.text(alphabet="abcdefghij -\"'", max_size=12)


def file_of(text: str) -> InputFile:
    data = text.encode()
    return InputFile("/nowhere/x.md", "x.md", "content/x.md", "", data)


@given(before=st.lists(st.tuples(KEYS, VALUES), max_size=6), after=st.lists(st.tuples(KEYS, VALUES), max_size=6),
       gap=st.sampled_from(["", " ", "  ", "\t"]), slug=st.from_regex(r"[a-z0-9]+(-[a-z0-9]+)*", fullmatch=True))
@settings(max_examples=examples(200), deadline=None)
def test_the_slug_line_and_column_are_found(before: list[tuple[str, str]], after: list[tuple[str, str]],
                                            gap: str, slug: str) -> None:
    lines = ["---", *(f"{k}: {v}" for k, v in before), f"slug:{gap}{slug}", *(f"{k}: {v}" for k, v in after),
             "---", "slug: not front matter"]
    where = slug_location(file_of("\n".join(lines) + "\n"))
    assert where is not None
    assert (where.path, where.line) == ("content/x.md", len(before) + 2)
    assert lines[where.line - 1][where.column - 1:] == slug


@given(body=st.text(max_size=200))
def test_no_slug_line_means_none(body: str) -> None:
    text = "---\ntitle: x\n---\n" + body.replace("\r", "")
    assert slug_location(file_of(text)) is None
    assert slug_location(file_of("no front matter\nslug: x\n")) is None


def test_nested_slug_keys_do_not_count(tmp_path: Path) -> None:
    text = "---\nnotes:\n  slug: x\n---\n"
    assert slug_location(file_of(text)) is None
