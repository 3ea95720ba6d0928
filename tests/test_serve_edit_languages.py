"""``gloss serve --edit`` in the site's language: the editor's words, verdicts and buttons.

The words ``edit.js`` shows are :data:`generator.preview.edit_api.EDITOR_WORDS` (English), sent with each
page in that page's language; the data the editor writes keeps the canonical English verdicts. The
script is read as text here (every word it shows goes through ``t()``), then driven in Chromium on a
French and an Arabic copy of ``tests/fixtures/sites/small/``.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from generator.content.note_kinds import KIND, RATING_SCALE, VERDICT
from generator.preview.edit_api import _ASSETS, EDITOR_WORDS, EditApi, editor_words
from generator.render.i18n import shipped
from test_serve import ARTICLE, SMALL, TIMEOUT_MS, Server
from test_serve_edit import _select, chromium  # noqa: F401 - chromium is a fixture used by the tests below

SCRIPT = (_ASSETS / "edit.js").read_text(encoding="utf-8")
SHOWN_ENGLISH = set(EDITOR_WORDS) | {k.label for k in KIND.values()} | set(VERDICT) | set(RATING_SCALE.values())


def test_every_word_the_editor_shows_goes_through_the_page_language() -> None:
    """Literal text set where a person reads it (text, labels, placeholders, status lines) is a ``t()``
    call on a listed word; every listed word is used."""
    shown_at = re.compile(r'(?:(?:textContent|placeholder|title)\s*[:=]|say\(|field\(|'
                          r'setAttribute\("(?:aria-label|title|placeholder)",)\s*["\'`][^"\'`]*[A-Za-z]')
    assert not [m.group(0) for m in shown_at.finditer(SCRIPT)], "a literal word that t() does not translate"
    used = set(re.findall(r'\bt\(\s*"((?:[^"\\]|\\.)*)"', SCRIPT))
    for label in re.findall(r'"((?:Confirm|Reject) the inferred [^"]*)"', SCRIPT):
        used.add(label)  # passed to t() through a variable
    used.update({"Confirm", "Reject"} & set(re.findall(r'"(Confirm|Reject)"', SCRIPT)))
    assert used - set(EDITOR_WORDS) - SHOWN_ENGLISH == set(), "t() of a word that no catalog carries"
    assert set(EDITOR_WORDS) - used == set(), "a listed word the editor never shows"


@pytest.mark.parametrize("name", [n for n in shipped() if n != "en"])
def test_every_editor_word_has_a_translation(name: str) -> None:
    words = editor_words(name)
    assert set(words) == SHOWN_ENGLISH
    same = {english for english, shown in words.items() if shown == english}
    # Words spelt the same in the language (a French "Date", "URL") stay; the rest must be translated.
    assert len(same) <= 5, same
    assert all("%(" not in english or re.findall(r"%\(\w+\)s", english) == re.findall(r"%\(\w+\)s", shown)
               for english, shown in words.items())


def test_the_page_says_its_language_to_the_editor(tmp_path: Path) -> None:
    api = EditApi(tmp_path, token="t")
    for page, expected in ((b'<!doctype html><html lang="fr" dir="ltr"><head>', "fr"),
                           (b'<!doctype html><html dir="rtl" lang="ar"><head>', "ar"),
                           (b"<!doctype html><html><head>", "en"),
                           (b'<html lang="x-klingon">', "en")):
        tag = api.page_tags("/", page).decode()
        words = json.loads(html.unescape(re.search(r'data-words="([^"]*)"', tag).group(1)))
        assert words == editor_words(expected)
    assert editor_words("en") == {w: w for w in SHOWN_ENGLISH}
    assert editor_words("fr-CA") == editor_words("fr")


# ---------------------------------------------------------------------------------------------- browser


def _site_in(tmp_path: Path, language: str) -> Path:
    root = tmp_path / "site"
    shutil.copytree(SMALL, root)
    config = root / "site.yaml"
    config.write_text(config.read_text().replace('language: "en"', f'language: "{language}"'))
    return root


@pytest.fixture(params=["fr", "ar"])
def editing_in(request: pytest.FixtureRequest, tmp_path: Path, chromium: Browser  # noqa: F811
               ) -> Iterator[tuple[str, Path, Page]]:
    site = _site_in(tmp_path, request.param)
    server = Server(site, "--edit")
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(server.url() + "articles/harbour-bridge/")
        yield request.param, site, page
    finally:
        context.close()
        server.kill()


@pytest.mark.slow
def test_the_editor_speaks_the_site_language_and_writes_english_data(editing_in: tuple[str, Path, Page]) -> None:
    language, site, page = editing_in
    words = editor_words(language)
    _select(page, ".article-body", "reopened on Sunday")
    add = page.locator(".gloss-edit-add")
    expect(add).to_have_text(words["Add note"])
    add.click()
    dialog = page.locator("dialog.gloss-edit-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("h2")).to_have_text(words["Add note"])
    # The verdicts read in the language; their values stay the canonical English words.
    dialog.get_by_label(words["Kind"]).select_option("fact")
    options = dialog.get_by_label(words["Verdict"]).locator("option")
    shown = options.evaluate_all("os => os.map(o => [o.value, o.textContent])")
    assert shown == [[v, words[v]] for v in KIND["fact"].verdicts]
    dialog.get_by_label(words["Verdict"]).select_option("Accurate")
    rating_labels = dialog.get_by_label(words["Rating"]).locator("option").all_text_contents()
    assert rating_labels[0] == words["No rating"] and rating_labels[1] == f"4 – {words[RATING_SCALE[4]]}"
    dialog.get_by_role("button", name=words["Add source"]).click()
    expect(dialog.get_by_label(words["Date"])).to_have_attribute("placeholder", words["YYYY-MM-DD"])
    # No English word of the editor is left where one is translated (on the form and the page's buttons).
    text = dialog.inner_text() + " " + " ".join(
        page.locator(".gloss-edit-ui:not(dialog)").evaluate_all(
            "els => els.map(e => (e.textContent || '') + ' ' + (e.getAttribute('aria-label') || ''))"))
    english_left = [w for w in SHOWN_ENGLISH if words[w] != w and len(w) > 3 and "%(" not in w
                    and re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text)]
    assert not english_left, english_left
    confirm = words["Confirm the inferred reply link of comment %(id)s"].replace("%(id)s", "c2")
    expect(page.get_by_role("button", name=confirm)).to_have_count(1)
    # The form fits the phone in either direction.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    box = dialog.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    dialog.get_by_role("button", name=words["Remove"]).click()  # an empty source would be refused
    dialog.get_by_label(words["Note (Markdown)"]).fill("Le bulletin du conseil le dit.")
    dialog.get_by_role("button", name=words["Save note"]).click()
    expect(page.locator("#span-reopened-sunday")).to_have_text("reopened on Sunday", timeout=TIMEOUT_MS)
    stored = (site / ARTICLE).read_text()
    assert "  reopened-sunday:\n    body: |-\n      Le bulletin du conseil le dit.\n    verdict: \"Accurate\"\n" in stored
