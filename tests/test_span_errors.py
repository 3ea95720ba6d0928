"""Broken spans: one error each, at the span's own line and column, with a hint.

The corpus is ``tests/fixtures/span-errors/`` (see its README): a space between ``]`` and ``{``,
a span across a blank line, a missing ``}``, a verdict in the wrong case. Each file is parsed and
its Markdown rendered as ``gloss check`` does, and must report exactly the listed errors.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.common.errors import GlossError, GlossErrors, flatten
from generator.content.markdown import make_parser
from generator.content.parse import parse_article
from generator.site.article_page import article_page

FIXTURES = Path(__file__).parent / "fixtures" / "span-errors"
CASES = sorted(FIXTURES.glob("*.md"))
CASES = [c for c in CASES if c.name != "README.md"]


def expected(case: Path) -> list[tuple[int, int, str]]:
    rows = []
    for row in case.with_suffix(".expect").read_text(encoding="utf-8").splitlines():
        line, column, substring = row.split(":", 2)
        rows.append((int(line), int(column), substring.strip()))
    return rows


def errors_of(case: Path) -> tuple[GlossError, ...]:
    problems: list[GlossError] = []
    article = parse_article(case.read_text(encoding="utf-8"), case.name, case.stem, problems)
    try:
        article_page(make_parser(), article)
    except (GlossError, GlossErrors) as exc:
        problems.extend(flatten(exc))
    return tuple(sorted(problems, key=GlossError.sort_key))


def test_corpus_is_complete() -> None:
    assert len(CASES) >= 5
    assert {p.stem for p in FIXTURES.glob("*.expect")} == {p.stem for p in CASES}


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_each_broken_span_is_one_located_error(case: Path) -> None:
    errors = errors_of(case)
    report = "\n".join(e.format() for e in errors)
    want = expected(case)
    assert [(e.location.line, e.location.column) for e in errors] == [(line, col) for line, col, _ in want], report
    for error, (_, _, substring) in zip(errors, want):
        assert substring in error.format(), report
        assert error.hint, report
