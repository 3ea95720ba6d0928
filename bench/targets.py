"""Issue #19's targets beside what a run measured: the "targets" table at the end of bench/run.py.

:func:`targets` reads the JSON-shaped results (so ``python bench/report.py FILE`` prints it for any
saved run) and gives one :class:`Target` per figure of the issue's table; :func:`targets_table` turns
them into text. A figure the run did not measure (a tool skipped, no ``--large`` corpus) is shown as
"not measured", never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

NO_SEARCH = "gloss_no_search"
"""Results key of the Gloss builds with ``--no-search`` (``gloss`` holds the default build, with search)."""


@dataclass(frozen=True, slots=True)
class Target:
    """One figure of issue #19 and what the run measured for it."""

    figure: str
    """What is measured, in the issue's words."""
    measured: float | None
    """The measured value (None: not measured in this run)."""
    limit: float
    """The target: the figure must be at most this."""
    unit: str
    """How the value is written: "×" (a ratio), "s" or "MB"."""
    note: str = ""
    """Why it was not measured, or which runs it comes from."""

    @property
    def met(self) -> bool | None:
        return None if self.measured is None else self.measured <= self.limit


def _phase(data: dict[str, Any], size: int | str, tool: str, phase: str) -> dict[str, Any] | None:
    figure = data["sizes"].get(str(size), {}).get(tool, {}).get(phase)
    return figure if isinstance(figure, dict) else None


def _median(data: dict[str, Any], size: int | str, tool: str, phase: str) -> float | None:
    figure = _phase(data, size, tool, phase)
    return figure["median_s"] if figure else None


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def targets(data: dict[str, Any]) -> list[Target]:
    """The eight figures of issue #19 at ``--articles`` (N) and ``--large`` articles."""
    n = data["params"]["articles"]
    large = data["params"].get("large") or 0
    # A run whose every build had --no-search (--gloss-build-args) measured no default build.
    default, no_search = "gloss", NO_SEARCH
    if "--no-search" in data["params"].get("gloss_build_args", "").split():
        default, no_search = "none", "gloss"
    hugo = _median(data, n, "hugo", "cold")
    peak = _phase(data, n, default, "cold")
    large_cold = _phase(data, large, default, "cold") if large else None
    serve = data.get("serve", {})
    why_large = "" if large else "run with --large 10000"
    return [
        Target(f"cold build, --no-search, ÷ Hugo @{n}", _ratio(_median(data, n, no_search, "cold"), hugo), 1.0, "×"),
        Target(f"cold build with search, ÷ Hugo @{n}", _ratio(_median(data, n, default, "cold"), hugo), 1.5, "×"),
        Target(f"one-article edit, with search @{n}", _median(data, n, default, "edit_article"), 1.0, "s"),
        Target(f"one-article edit, --no-search @{n}", _median(data, n, no_search, "edit_article"), 0.15, "s"),
        Target(f"peak memory, default build @{n}", peak["peak_rss_mb_max"] if peak else None, 200, "MB"),
        Target(f"save-to-visible in Chromium @{n}", serve.get("median_s") if serve.get("available") else None,
               0.25, "s", "" if serve.get("available") else str(serve.get("reason", "not run"))),
        Target(f"{large or 10000} articles: cold ÷ {n}-article cold",
               _ratio(large_cold["median_s"] if large_cold else None, _median(data, n, default, "cold")),
               # The 10.5× is for 10,000 ÷ 1,000 (linear + 5 %); other sizes scale it.
               10.5 * (large or 10000) / 10000 * 1000 / n, "×", why_large),
        Target(f"{large or 10000} articles: peak memory", large_cold["peak_rss_mb_max"] if large_cold else None,
               300, "MB", why_large),
    ]


def _value(value: float, unit: str) -> str:
    if unit == "×":
        return f"{value:.2f}×"
    if unit == "s":
        return f"{value:.3f} s"
    return f"{value:.0f} MB"


def verdict(t: Target) -> str:
    """"met", "missed by N %" (how far above the target, relative to it; "N× the target" from 2× on),
    or "not measured"."""
    if t.measured is None:
        return "not measured" + (f" ({t.note})" if t.note else "")
    if t.met:
        return "met"
    over = t.measured / t.limit
    return f"missed by {(over - 1) * 100:.0f} %" if over < 2 else f"missed: {over:.1f}× the target"


def targets_table(rows: list[Target]) -> str:
    """The rows as a fixed-width text table: figure, measured, target, verdict."""
    head = f"{'figure':44} {'measured':>12} {'target':>10}  verdict"
    lines = ["targets (issue #19)", head, "-" * len(head)]
    for t in rows:
        measured = _value(t.measured, t.unit) if t.measured is not None else "—"
        lines.append(f"{t.figure:44} {measured:>12} {'≤ ' + _value(t.limit, t.unit):>10}  {verdict(t)}")
    return "\n".join(lines)
