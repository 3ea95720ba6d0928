"""Shared test setup: the repository root and the one Playwright driver (markers are in pyproject.toml)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from budget import examples

REPO_ROOT = Path(__file__).resolve().parent.parent

# CI (which sets CI=true) draws the same examples on every run, so a red build is repeatable and
# never depends on luck; locally each run explores new ones, fewer of them (budget.py: the fast loop
# stays under a minute; GLOSS_FULL_TESTS=1 draws CI's count). Tests that name their count use
# budget.examples(full), which applies the same rule.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("fast", max_examples=examples(100))
settings.load_profile("ci" if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no") else "fast")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The folder holding ``pyproject.toml``, ``generator/`` and ``templates/``."""
    return REPO_ROOT


@pytest.fixture(scope="session")
def playwright_session():  # type: ignore[no-untyped-def]
    """One Playwright driver for the whole run.

    Playwright's sync API refuses to start while another sync instance is running
    in the same thread, so every browser fixture in the suite launches from this one.
    """
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    yield playwright
    playwright.stop()
