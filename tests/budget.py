"""How much a randomised or sampled test does: everything in CI, a sample in the contributors' fast loop.

CI (``CI=true``, set by ``.ci/run``'s environment) and ``GLOSS_FULL_TESTS=1`` run every example and
every kill point; otherwise a Hypothesis test draws a fifth of its examples (at least a few), so
``pytest -m "not slow and not browser"`` stays under a minute. The full count is written in the test,
where a reader looks for it.
"""

from __future__ import annotations

import os


def _set(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() not in ("", "0", "false", "no")


FULL = _set("CI") or _set("GLOSS_FULL_TESTS")
"""True in CI (and when asked for): run everything."""


def examples(full: int, least: int = 5) -> int:
    """``full`` Hypothesis examples in CI, a fifth of them (at least ``least``) in the fast loop."""
    return full if FULL else min(full, max(least, full // 5))
