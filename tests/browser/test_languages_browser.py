"""The site in other languages (#18), in Chromium: the example site built with ``language: ar`` (right to
left) and ``language: fr``.

* Every page type at 390 and 1280 px: ``<html dir>`` follows the language, nothing scrolls sideways,
  axe-core finds nothing.
* Right to left, the layout mirrors: margin notes sit in the left margin beside the text (1280 px), a
  reply is indented from the right, the start-side rules (notes, claims, comments) are on the right, the
  summary box's list is indented from the right; an English comment's text still reads left to right.
* The Nu HTML checker passes on every file of both sites.
* The claims filter (JavaScript) writes its count in the page's language.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .browsing import WIDTHS, goto
from .checks import fail_on, overflowing_elements, run_axe, run_vnu
from .sitebuild import HARNESS_CONTENT, REPO_ROOT, BuildError, html_pages

LANGUAGES = {"ar": "rtl", "fr": "ltr"}
ARTICLE = "articles/putin-north-korea-visit/index.html"
PAGES = ("index.html", ARTICLE, "tags/index.html", "claims/index.html", "claims/verdict/accurate/index.html",
         "search/index.html", "404.html")
"""One page of each type (a tag page is added from the built site: its folder is the tag's slug)."""


def _build(language: str, root: Path) -> Path:
    """The example site (with the harness's code-block articles) in ``language``, built by the command."""
    shutil.copytree(REPO_ROOT / "content", root / "content")
    for article in sorted(HARNESS_CONTENT.glob("*.md")):
        shutil.copy2(article, root / "content" / article.name)
    config = (REPO_ROOT / "site.yaml").read_text(encoding="utf-8")
    assert 'language: "en"' in config
    (root / "site.yaml").write_text(config.replace('language: "en"', f'language: "{language}"'), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=root, env=env, capture_output=True,
                          text=True, timeout=600)
    if done.returncode != 0:
        raise BuildError(f"building the example site in {language} failed:\n{done.stdout}\n{done.stderr}")
    return root / "output"


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory, site_server) -> dict[str, tuple[object, Path]]:
    built = {}
    for language in LANGUAGES:
        out = _build(language, tmp_path_factory.mktemp(f"language-{language}"))
        built[language] = (site_server(out), out)
    return built


def _pages(out: Path) -> list[str]:
    tags = sorted(p for p in html_pages(out) if p.startswith("tags/") and p != "tags/index.html")
    return [*PAGES, tags[0]]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_type_reads_in_its_direction_without_overflow_and_passes_axe(sites, page_factory, language: str,
                                                                                width: int) -> None:
    # ``width`` is 390 and 1280 px (conftest.py parametrizes every test that takes it).
    server, out = sites[language]
    problems = []
    for path in _pages(out):
        page = page_factory(width)
        goto(page, server.url + path)
        seen = page.evaluate("() => [document.documentElement.lang, document.documentElement.dir]")
        if seen != [language, LANGUAGES[language]]:
            problems.append(f"{path}: <html lang dir> is {seen}")
        problems += [f"{path}: {p}" for p in overflowing_elements(page)]
        problems += run_axe(page, where=f"{language}/{path} at {width}px")
        page.close()
    fail_on(problems, f"the example site in {language} at {width}px")


# Where things sit, in page coordinates: the text column, the margin notes, the start-side rules.
GEOMETRY_JS = """() => {
  const box = e => e.getBoundingClientRect();
  const body = box(document.querySelector('.article-body'));
  const notes = [...document.querySelectorAll('.margin-note')].filter(n => n.checkVisibility()).map(box);
  const nested = document.querySelector('.comment .comment:not(.comment-flat)');
  const parent = nested && nested.parentElement.closest('.comment');
  const side = e => { const s = getComputedStyle(e);
    return parseFloat(s.borderRightWidth) > 0 && !parseFloat(s.borderLeftWidth) ? 'right'
         : parseFloat(s.borderLeftWidth) > 0 && !parseFloat(s.borderRightWidth) ? 'left' : 'both'; };
  const list = getComputedStyle(document.querySelector('.check-list'));
  return {
    body: [body.left, body.right], notes: notes.map(n => [n.left, n.right]),
    reply: nested ? [box(parent).right - box(nested).right, box(nested).left - box(parent).left] : null,
    commentRule: side(document.querySelector('.comment')),
    noteRule: notes.length ? side(document.querySelector('.margin-note')) : null,
    listIndent: [parseFloat(list.paddingRight), parseFloat(list.paddingLeft)],
  };
}"""


# Paragraphs of comments ending in "x." whose full stop does not sit right of the letter before it.
FULL_STOPS_JS = """() => {
  const paragraphs = [...document.querySelectorAll('.comment-body > p')].filter(p => /[a-z]\\.$/.test(p.textContent));
  if (!paragraphs.length) return null;
  const box = (node, i) => { const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
                             return r.getBoundingClientRect(); };
  return paragraphs.filter(p => {
    const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT); let last = null;
    while (walker.nextNode()) if (walker.currentNode.textContent.trim()) last = walker.currentNode;
    const text = last.textContent.trimEnd(); const stop = text.length - 1;
    return stop < 1 || box(last, stop).left < box(last, stop - 1).right - 1;
  }).map(p => p.textContent.slice(-40));
}"""


def test_right_to_left_pages_mirror_the_layout(sites, page_factory) -> None:
    server, _ = sites["ar"]
    wide = page_factory(WIDTHS["desktop"])
    goto(wide, server.url + ARTICLE)
    at = wide.evaluate(GEOMETRY_JS)
    assert at["notes"], "margin notes show at 1280 px"
    problems = [f"margin note {n} is not in the left margin of the text {at['body']}"
                for n in at["notes"] if not n[1] <= at["body"][0] + 1]
    if at["noteRule"] != "right":
        problems.append(f"a margin note's rule is on the {at['noteRule']} side")
    phone = page_factory(WIDTHS["phone"])
    goto(phone, server.url + ARTICLE)
    at = phone.evaluate(GEOMETRY_JS)
    if at["reply"] is None or not (at["reply"][0] > 0 and at["reply"][1] <= 0.5):
        problems.append(f"a reply is not indented from the right (right, left offsets: {at['reply']})")
    if at["commentRule"] != "right":
        problems.append(f"a comment's rule is on the {at['commentRule']} side")
    if not at["listIndent"][0] > at["listIndent"][1]:
        problems.append(f"the summary box's list is not indented from the right: {at['listIndent']}")
    # The example's comments are English: on the Arabic page a paragraph still ends with its full stop
    # after its last word (to its right), not at the line's left end, while the thread around it keeps
    # the page's direction (checked above).
    misplaced = phone.evaluate(FULL_STOPS_JS)
    if misplaced is None:
        problems.append("no comment paragraph ending in a full stop to check")
    elif misplaced:
        problems.append(f"full stops left of their sentence's last letter in English comments: {misplaced}")
    goto(phone, server.url + "claims/index.html")
    rule = phone.evaluate("() => getComputedStyle(document.querySelector('.claim-item')).borderRightWidth")
    if rule == "0px":
        problems.append("a claim's verdict rule is not on the right")
    fail_on(problems, "right-to-left layout of the Arabic example site")


def test_the_claims_filter_counts_in_the_page_language(sites, page_factory) -> None:
    server, _ = sites["fr"]
    page = page_factory(WIDTHS["phone"])
    goto(page, server.url + "claims/index.html")
    before = page.locator("#claims-count").inner_text()
    page.locator('a[data-filter-group="kind"][data-filter-value="fact"]').click()
    filtered = page.locator("#claims-count").inner_text()
    assert filtered.startswith("Notes affichées") and "{shown}" not in filtered, filtered
    page.locator('a[data-filter-group="kind"][data-filter-value="fact"]').click()
    assert page.locator("#claims-count").inner_text() == before


def test_the_harness_passes_on_both_languages(sites) -> None:
    problems = []
    for language in LANGUAGES:
        _, out = sites[language]
        problems += run_vnu([out / rel for rel in html_pages(out)] + sorted(out.rglob("*.css")), root=out)
    fail_on(problems, "Nu HTML checker on the example site in Arabic and French")
