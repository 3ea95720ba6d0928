"""Broken content files report every problem at its exact line and column.

Each ``tests/fixtures/content-errors/NAME.md`` has a ``NAME.expect`` listing every
error the file must produce, one per line as ``LINE:COL: substring``, in the
order they are reported (sorted by line, then column). Lines and columns are
counted in the content file itself (line 1 is the opening ``---``); the
substring is looked for in the whole one-line message, hint included.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.content.parse import parse_article
from generator.common.errors import GlossError, GlossErrors, flatten
from gloss_run import run_gloss  # a new process in CI, cli.main in the fast loop

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = REPO_ROOT / "tests" / "fixtures" / "content-errors"
CASES = sorted(FIXTURES.glob("*.md"))


def expected(case: Path) -> list[tuple[int, int, str]]:
    rows = []
    for row in case.with_suffix(".expect").read_text(encoding="utf-8").splitlines():
        line, column, substring = row.split(":", 2)
        rows.append((int(line), int(column), substring.strip()))
    return rows


def described(error: GlossError) -> str:
    """The message and hint, without the location (a file name must not match a substring)."""
    return error.format().removeprefix(f"{error.location}: ")


def test_every_case_has_an_expectation() -> None:
    assert len(CASES) >= 20
    for case in CASES:
        assert case.with_suffix(".expect").is_file(), case.name
        assert expected(case), case.name
    assert {p.stem for p in FIXTURES.glob("*.expect")} == {p.stem for p in CASES}


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_parse_article_reports_every_error(case: Path) -> None:
    text = case.read_bytes().decode("utf-8")
    with pytest.raises((GlossError, GlossErrors)) as caught:
        parse_article(text, case.name, case.stem)
    assert isinstance(caught.value, (GlossError, GlossErrors))
    errors = flatten(caught.value)
    got = [(e.location.line, e.location.column) for e in errors]
    want = expected(case)
    assert got == [(line, column) for line, column, _ in want], "\n".join(e.format() for e in errors)
    for error, (_, _, substring) in zip(errors, want):
        assert error.location.path == case.name
        assert substring in described(error), error.format()
        assert error.format().startswith(f"{case.name}:{error.location.line}:{error.location.column}: ")
        assert "\n" not in error.format()


def test_check_command_lists_every_error_of_every_file(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    for case in CASES:
        shutil.copyfile(case, content / case.name)
    result = run_gloss("check", "--content", "content", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    want = [
        (f"content/{case.name}:{line}:{column}: ", substring)
        for case in CASES
        for line, column, substring in expected(case)
    ]
    assert len(lines) == len(want), result.stderr
    for got, (prefix, substring) in zip(lines, want):
        assert got.startswith(prefix), (got, prefix)
        assert substring in got.removeprefix(prefix), (got, substring)
