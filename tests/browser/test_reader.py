"""What a reader sees: the article without JavaScript, no sideways scrolling on a phone, screenshots.

Pages are opened from the copy served under ``/news/`` so that anything that only works at the
server root (an absolute asset path, an icon at ``/favicon.ico``) shows up as an error here too.
"""

from __future__ import annotations

import pytest

from .browsing import PHONE_MAX_WIDTH, WIDTHS, goto
from .checks import fail_on, invisible_elements, overflowing_elements
from .sitebuild import page_id

# The article's own paragraphs; a note's paragraphs in a closed drawer (opened by tapping its span) are not.
PARAGRAPHS = "article .article-body p:not(.note-drawer p)"
COMMENTS = "article.comment"


def test_article_is_readable_without_javascript(article_page, width, served_site_subpath, page_factory,
                                                content_dumps):
    page = page_factory(width, javascript_enabled=False)
    goto(page, served_site_subpath.page_url(article_page))

    count, hidden = invisible_elements(page, PARAGRAPHS)
    assert count > 0, f"{article_page}: no article paragraphs found (selector {PARAGRAPHS!r})"
    fail_on(hidden, f"{article_page} at {width}px without JavaScript: of {count} article paragraphs "
                    f"({PARAGRAPHS}), these cannot be seen")

    count, hidden = invisible_elements(page, COMMENTS)
    slug = article_page.split("/")[1]
    if slug in content_dumps:
        expected = len(content_dumps[slug]["comments"])
        assert count == expected, (f"{article_page}: {count} comments on the page ({COMMENTS}), "
                                   f"but its content file has {expected}")
    fail_on(hidden, f"{article_page} at {width}px without JavaScript: of {count} comments ({COMMENTS}), "
                    f"these cannot be seen")


def test_nothing_overflows_on_a_phone(browser_page, served_site_subpath, page_factory):
    width = WIDTHS["phone"]
    page = page_factory(width)
    goto(page, served_site_subpath.page_url(browser_page))
    layout_width = page.evaluate("window.innerWidth")
    assert layout_width == width, (
        f"{browser_page}: a phone lays it out {layout_width}px wide, not {width}px "
        '(missing <meta name="viewport" content="width=device-width, initial-scale=1">?)')
    culprits = overflowing_elements(page)
    fail_on(culprits, f"{browser_page} scrolls sideways at {width}px")


TALLEST_PHONE_CAPTURE = 16384
"""Pixels. Emulating a phone, Chromium gives every scrolling box (a code block) a compositing layer of
its own, and headless Chromium then hangs capturing a full page taller than this (a long article with
code and its discussion: measured 30,000 px at 390 px). Such a page is captured without phone emulation,
at the same width; everything else about the phone is checked by the other tests."""


def test_screenshot(browser_page, width, served_site_subpath, page_factory, screenshot_dir):
    page = page_factory(width)
    goto(page, served_site_subpath.page_url(browser_page))
    if width < PHONE_MAX_WIDTH and page.evaluate("document.documentElement.scrollHeight") > TALLEST_PHONE_CAPTURE:
        page = page_factory(width, phone=False)
        goto(page, served_site_subpath.page_url(browser_page))
    target = screenshot_dir / f"{page_id(browser_page)}-{width}.png"
    page.screenshot(path=str(target), full_page=True, animations="disabled")
    assert target.stat().st_size > 0
    height = page.evaluate("document.documentElement.scrollHeight")
    if height < 50:
        pytest.fail(f"{browser_page} at {width}px is only {height}px tall: nothing rendered? see {target}")


def test_page_works_from_file_url(browser_page, built_site, page_factory):
    """docs/design.md §4: the output opened straight from disk works too (styles load, nothing is missing)."""
    page = page_factory(WIDTHS["desktop"])
    goto(page, (built_site / browser_page).as_uri())
    unstyled = page.evaluate("[...document.querySelectorAll('link[rel~=stylesheet]')]"
                             ".filter(l => !l.sheet).map(l => l.getAttribute('href'))")
    fail_on(unstyled, f"{browser_page} from file://: stylesheets that did not load")
