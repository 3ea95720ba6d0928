"""The discussion as readers use it, in Chromium: collapsing branches, permalinks, deep threads on a phone.

* The seed article (the example site's ``articles/putin-north-korea-visit/``): a branch collapses and
  reopens from its summary; a link to a comment inside a collapsed branch opens it (browsers open a
  ``<details>`` for fragment navigation, so this needs no JavaScript); the targeted comment is highlighted.
* The ``tests/fixtures/sites/deep-thread`` site (one article, twelve comments in one reply chain): no
  sideways scrolling at 390 px and every comment's text column at least 240 px wide, also with a margin
  note open in the deepest comment; axe-core finds nothing at 390 and 1280 px, light and dark, with and
  without a highlighted comment (flat or indented); the Nu HTML checker finds no error.
* JavaScript off: every comment of both pages is visible.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .browsing import goto
from .checks import fail_on, invisible_elements, overflowing_elements, run_axe, run_vnu
from .sitebuild import REPO_ROOT, ServedSite, build_site

SEED_PAGE = "articles/putin-north-korea-visit/index.html"
DEEP_CONTENT = REPO_ROOT / "tests" / "fixtures" / "sites" / "deep-thread" / "content"
DEEP_PAGE = "articles/tram-line/index.html"
MIN_TEXT_WIDTH = 240  # px: below this a phone shows a few words per line


@pytest.fixture(scope="module")
def deep_site(work_dir: Path, site_server) -> ServedSite:
    """The deep-thread fixture site, built with ``python -m generator build`` and served."""
    return site_server(build_site(DEEP_CONTENT, work_dir / "deep-thread-output"))


@pytest.fixture
def seed_url(served_site: ServedSite, built_site: Path) -> str:
    if not (built_site / SEED_PAGE).is_file():
        pytest.fail(f"the example site has no {SEED_PAGE}: these tests need the seed article", pytrace=False)
    return served_site.page_url(SEED_PAGE)


def visible(page, selector: str) -> bool:
    return not invisible_elements(page, selector)[1]


def comment_backgrounds(page, *ids: str) -> list[str]:
    return [page.evaluate("(id) => getComputedStyle(document.getElementById(id)).backgroundColor", i) for i in ids]


# --------------------------------------------------------------------------- the seed article


def test_a_branch_collapses_and_opens_again(width, seed_url, page_factory):
    page = page_factory(width)
    goto(page, seed_url)
    summary = page.locator("#c3 > details.replies > summary")
    assert visible(page, "#c4"), "c4 (a reply to c3) should show before anything is collapsed"
    summary.click()
    assert page.evaluate("document.querySelector('#c3 > details.replies').open") is False
    assert not page.locator("#c4").is_visible(), "collapsing c3's replies should hide c4"
    assert visible(page, "#c3 > .comment-body"), "collapsing the replies must not hide the comment itself"
    summary.click()
    assert visible(page, "#c4"), "opening c3's replies again should show c4"


def test_summary_names_the_branch(seed_url, page_factory):
    page = page_factory(390)
    goto(page, seed_url)
    name = page.locator("#c3 > details.replies > summary").evaluate("e => e.textContent.replace(/\\s+/g, ' ')")
    assert name.strip() == "1 reply to Gift (name inferred)"  # the seed's importer inferred it; no editor confirmed it


def test_a_link_into_a_collapsed_branch_opens_it(seed_url, page_factory):
    page = page_factory(390)
    goto(page, seed_url)
    page.locator("#c2 > details.replies > summary").click()
    assert not page.locator("#c7").is_visible()
    page.evaluate("location.hash = 'c7'")
    page.wait_for_function("document.querySelector('#c2 > details.replies').open")
    assert visible(page, "#c7")
    assert page.evaluate("document.querySelector('#c7').matches(':target')")


def test_the_targeted_comment_is_highlighted(width, seed_url, page_factory):
    page = page_factory(width)
    goto(page, seed_url + "#c4")
    target, other, parent = comment_backgrounds(page, "c4", "c5", "c3")
    assert target != other, f"#c4 is the target but looks like any comment (background {target})"
    assert parent == other, "only the targeted comment should be highlighted, not its parent"
    top = page.evaluate("document.getElementById('c4').getBoundingClientRect().top")
    assert 0 < top < page.viewport_size["height"] / 2, f"the targeted comment should be scrolled near the top ({top}px)"


@pytest.mark.parametrize("which", ["seed", "deep"])
def test_without_javascript_every_comment_is_visible(which, seed_url, deep_site, page_factory):
    page = page_factory(390, javascript_enabled=False)
    goto(page, seed_url if which == "seed" else deep_site.page_url(DEEP_PAGE))
    count, hidden = invisible_elements(page, "article.comment")
    assert count == 12
    fail_on(hidden, f"comments hidden without JavaScript on the {which} page")


# --------------------------------------------------------------------------- the deep thread


def text_widths(page) -> dict[str, float]:
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('article.comment')].map(
        c => [c.id, c.querySelector(':scope > .comment-body').getBoundingClientRect().width]))""")


def test_a_deep_thread_fits_a_phone(deep_site, page_factory):
    page = page_factory(390)
    goto(page, deep_site.page_url(DEEP_PAGE))
    fail_on(overflowing_elements(page), "the deep thread scrolls sideways at 390 px")
    widths = text_widths(page)
    assert len(widths) == 12
    narrow = [f"{cid}: {w:.0f}px" for cid, w in widths.items() if w < MIN_TEXT_WIDTH]
    fail_on(narrow, f"comment text columns narrower than {MIN_TEXT_WIDTH}px at 390 px")
    assert widths["c12"] >= MIN_TEXT_WIDTH
    # The note in the deepest comment opens after its paragraph and still fits.
    page.locator("#c12 .note-toggle-label").first.click()
    assert visible(page, "#c12 .open-note")
    fail_on(overflowing_elements(page), "the deep thread scrolls sideways at 390 px with a note open")


def test_a_deep_thread_keeps_its_width_on_a_desktop(deep_site, page_factory):
    page = page_factory(1280)
    goto(page, deep_site.page_url(DEEP_PAGE))
    fail_on(overflowing_elements(page), "the deep thread scrolls sideways at 1280 px")
    widths = text_widths(page)
    # Indentation stops growing after the cap, so every flat reply is exactly as wide as the deepest one.
    assert widths["c6"] == widths["c12"]
    assert widths["c12"] >= 400


def test_no_axe_violations_on_the_deep_thread(width, deep_site, page_factory):
    # One page per width, checked in each state a reader can put it in (cheaper than a page per state): as
    # loaded, then with a flat and an indented comment highlighted, in light and in dark mode.
    page = page_factory(width)
    goto(page, deep_site.page_url(DEEP_PAGE))
    problems = run_axe(page, where=f"{DEEP_PAGE} at {width}px")
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for fragment in ("#c9", "#c3"):
            page.evaluate("(f) => { location.hash = f; }", fragment)
            page.wait_for_function("(f) => document.querySelector(f).matches(':target')", arg=fragment)
            problems += run_axe(page, where=f"{DEEP_PAGE}{fragment} at {width}px, {scheme}")
    fail_on(problems, "axe-core violations on the deep thread")


def test_the_deep_thread_is_valid_html(deep_site):
    fail_on(run_vnu([deep_site.root / DEEP_PAGE], root=deep_site.root), "Nu HTML checker errors on the deep thread")
