"""On paper: the list of notes is printed, its "Back to the text" links (which go nowhere on paper) are not."""

from __future__ import annotations

from .browsing import WIDTHS, goto


def test_back_links_are_not_printed(article_page, served_site, page_factory):
    page = page_factory(WIDTHS["desktop"])
    goto(page, served_site.page_url(article_page))
    back = page.locator(".notes-list .back-link")
    notes = page.locator(".notes-list > ol > li")
    if notes.count() == 0:
        assert back.count() == 0
        return
    assert back.count() == notes.count()
    assert back.first.is_visible(), "on screen the back links show"
    page.emulate_media(media="print")
    assert all(notes.nth(i).is_visible() for i in range(notes.count())), "the notes list is printed"
    shown = [back.nth(i).inner_text() for i in range(back.count()) if back.nth(i).is_visible()]
    assert shown == [], f"{article_page}: back links printed: {shown}"
