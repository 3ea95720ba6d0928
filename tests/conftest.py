"""Shared test setup: the repository root and the ``slow`` marker (slow tests still run by default)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: takes more than a few seconds (still runs by default)")


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
