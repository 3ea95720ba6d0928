"""Pathological inputs stay near-linear: the cases in ``tests/fixtures/pathological/cases.txt``.

Each case is run at n and at 4n repetitions of its unit and the CPU times compared: a linear
parser takes about 4 times as long, a quadratic one 16 times, a cubic one 64 times. The limit is
a generous ratio, not a wall-clock threshold, so a slow or busy machine does not fail the test and
a fast one does not hide a quadratic rule. Each time is the best of three runs (CPU time of this
process, so other processes on the machine matter little).
"""

from __future__ import annotations

import codecs
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.common.errors import GlossError, GlossErrors
from generator.content.markdown import MAX_HIGHLIGHT_CHARS, SLOW_LEXER_CHARS, highlight_code, make_parser
from generator.content.parse import parse_article
from generator.site.article_page import article_page

CASES_FILE = Path(__file__).parent / "fixtures" / "pathological" / "cases.txt"
RATIO_LIMIT = 10.0
"""Time at 4n ÷ time at n: linear is 4, quadratic 16. CPU time still varies when the other core is busy
(the suite runs on every core): 8 failed now and then on linear cases (×8.5 seen), 10 never did."""
FLOOR_SECONDS = 0.02
"""A 4n run faster than this is too short to time well (and fast anyway)."""


@dataclass(frozen=True)
class Case:
    kind: str
    name: str
    lead: str
    open: str
    unit: str
    close: str
    tail: str
    n: int

    def text(self, n: int) -> str:
        units = (self.unit.replace("{i}", str(i)) for i in range(n)) if "{i}" in self.unit else (self.unit,) * n
        return self.lead + self.open * n + "".join(units) + self.close * n + self.tail


def _unescape(field: str) -> str:
    return codecs.decode(field, "unicode_escape")


def read_cases() -> list[Case]:
    cases = []
    for row in CASES_FILE.read_text(encoding="utf-8").splitlines():
        if not row.strip() or row.startswith("#"):
            continue
        kind, name, *texts, n = row.split("\t")
        lead, open_, unit, close, tail = (_unescape(t) for t in texts)
        cases.append(Case(kind, name, lead, open_, unit, close, tail, int(n)))
    return cases


CASES = read_cases()
_MD = make_parser()
_NOTE = '---\ntitle: "T"\nnotes:\n  n:\n    body: "b"\n    verdict: "Accurate"\n---\n'


def _content(text: str) -> None:
    problems: list[GlossError] = []
    try:
        article = parse_article(text, "case.md", "case", problems)
        article_page(_MD, article)
    except (GlossError, GlossErrors) as exc:
        str(exc)  # formatting the messages is part of the work


def runner(case: Case) -> Callable[[str], None]:
    if case.kind == "markdown":
        return lambda text: None if _MD.render(text, {}) is None else None
    if case.kind == "content":
        return lambda text: _content(_NOTE + text + "\n")
    if case.kind == "yaml":
        return lambda text: _content('---\ntitle: "T"\n' + text + "\n---\nBody\n")
    if case.kind.startswith("code:"):
        fence = "```" + case.kind[5:] + "\n"
        return lambda text: None if _MD.render(fence + text + "\n```\n", {}) is None else None
    raise AssertionError(f"unknown kind {case.kind!r}")


def best_time(run: Callable[[str], None], text: str, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        run(text)
        best = min(best, time.process_time() - started)
    return best


def test_cases_cover_the_known_slow_inputs() -> None:
    names = {case.name for case in CASES}
    kinds = {case.kind for case in CASES}
    assert len(CASES) >= 30
    assert {"markdown", "content", "yaml"} <= kinds
    assert {"unclosed-link-parens", "span-brace-never-closed", "nested-brackets"} <= names
    # Every lexer known to backtrack has a case.
    from pygments.lexers import get_lexer_by_name

    covered = {type(get_lexer_by_name(k[5:])).__name__ for k in kinds if k.startswith("code:")}
    assert set(SLOW_LEXER_CHARS) <= covered


@pytest.mark.parametrize("lang", ["systemd", "xpp", "csharp", "autoit", "python"])
def test_highlighting_stops_at_the_size_limit(lang: str) -> None:
    """Up to its limit a block is highlighted; one character more and it is plain text, every time."""
    from pygments.lexers import get_lexer_by_name

    limit = SLOW_LEXER_CHARS.get(type(get_lexer_by_name(lang)).__name__, MAX_HIGHLIGHT_CHARS)
    assert limit <= MAX_HIGHLIGHT_CHARS
    code = ("x = 1\n" * limit)[:limit]
    assert highlight_code(code, lang, "").startswith('<pre class="highlight">')
    assert highlight_code(code + "\n", lang, "") == ""
    html = _MD.render(f"```{lang}\n{code}\n```\n")
    assert html.startswith("<pre ") and f'<code class="language-{lang}">' in html and "x = 1" in html
    assert 'class="highlight"' not in html


@pytest.mark.slow  # ~60 cases, each timed ten times at two sizes: CI runs them, the fast loop does not
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_near_linear(case: Case) -> None:
    run = runner(case)
    run(case.text(case.n // 10 or 1))  # warm up: imports, compiled patterns, lexer tables
    small = best_time(run, case.text(case.n))
    large = best_time(run, case.text(4 * case.n))
    if large < FLOOR_SECONDS:
        return
    ratio = large / max(small, 1e-4)
    assert ratio < RATIO_LIMIT, f"{case.name}: {small:.3f} s at n={case.n}, {large:.3f} s at 4n (×{ratio:.1f})"
