"""axe-core finds no accessibility violation, of any impact, on any page at phone and desktop width."""

from __future__ import annotations

from .browsing import goto
from .checks import fail_on, run_axe


def test_no_axe_violations(browser_page, width, served_site, page_factory):
    page = page_factory(width)
    goto(page, served_site.page_url(browser_page))
    fail_on(run_axe(page, where=f"{browser_page} at {width}px"),
            f"axe-core violations on {browser_page} at {width}px (page: rule (impact) at target: help — fix — html)")
