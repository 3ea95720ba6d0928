"""Fact and claim notes as readers get them, in Chromium, on the annotated example article.

* 1280 px: every margin note is visible, right of the text column it annotates and vertically
  near its span (its top no more than one note height below the line where the span ends).
* 390 px: notes are closed; tapping a note's label opens it (below its paragraph, inside the screen),
  tapping again closes it.
* JavaScript off: the numbered list of notes shows every note, with its verdict and quote.
* axe-core: 0 violations, with every note closed and with a note open.
* The W3C export's selectors find their quotes in the text the DOM gives (the procedure documented
  in ``generator/export.py``), counted in code points.
* A page whose spans sit inside links, in comments and in nested spans passes the Nu HTML checker.

The example site is built here from ``content/`` (not from ``$GLOSS_TEST_SITE``), because these
checks are about that article's notes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .browsing import WIDTHS, goto
from .checks import fail_on, run_axe, run_vnu
from .sitebuild import REPO_ROOT, build_site

SEED = REPO_ROOT / "content" / "putin-north-korea-visit.md"
ARTICLE = "articles/putin-north-korea-visit/"

# The rendered text of generator/export.py, computed from the DOM.
RENDERED_TEXT_JS = """() => {
  const parts = [...document.querySelectorAll('.article-body, .comment-body')].map(body => {
    const copy = body.cloneNode(true);
    copy.querySelectorAll('.margin-note, .note-drawer, .note-toggle-label, .note-ref, input').forEach(e => e.remove());
    return copy.textContent;
  });
  return parts.join(' ').replace(/[ \\t\\n\\r\\f]+/g, ' ').replace(/^ | $/g, '');
}"""

# Span (the line box where it ends: the note is placed after it), note and text column of every note.
GEOMETRY_JS = """() => [...document.querySelectorAll('.gloss-span[data-note]')].map(span => {
  const id = span.dataset.note;
  const lines = span.getClientRects();
  const last = lines[lines.length - 1];
  const note = document.getElementById('margin-' + id).getBoundingClientRect();
  const column = span.closest('.article-body, .comment-body').getBoundingClientRect();
  const text = span.closest('.article-body, .comment-body').querySelector('p, li, h2, h3, td');
  return {id, spanTop: last.top + scrollY, spanBottom: last.bottom + scrollY, noteTop: note.top + scrollY,
          noteLeft: note.left, noteRight: note.right, noteHeight: note.height, noteBottom: note.bottom + scrollY,
          columnRight: Math.max(column.right, text ? text.getBoundingClientRect().right : 0),
          visible: document.getElementById('margin-' + id).checkVisibility({checkOpacity: true}),
          viewport: document.documentElement.clientWidth};
})"""


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory, site_server):
    """The example site, built and served for this module."""
    out = build_site(REPO_ROOT / "content", tmp_path_factory.mktemp("notes-site") / "output")
    return site_server(out)


@pytest.fixture(scope="module")
def export() -> dict:
    result = subprocess.run([sys.executable, "-m", "generator", "export", str(SEED), "--format", "w3c"],
                            cwd=REPO_ROOT, capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_margin_notes_sit_beside_their_spans(example, page_factory, export) -> None:
    page = page_factory(WIDTHS["desktop"])
    goto(page, example.url + ARTICLE)
    notes = page.evaluate(GEOMETRY_JS)
    assert len(notes) == export["total"] >= 11
    one_note = max(n["noteHeight"] for n in notes)
    problems = []
    for n in notes:
        where = f"note {n['id']}"
        if not n["visible"]:
            problems.append(f"{where} is not visible at 1280px")
        if n["noteLeft"] < n["columnRight"] + 8:
            problems.append(f"{where} starts at x={n['noteLeft']:.0f}, inside the text column (ends {n['columnRight']:.0f})")
        if n["noteRight"] > n["viewport"]:
            problems.append(f"{where} ends at x={n['noteRight']:.0f}, beyond the {n['viewport']}px window")
        if n["noteTop"] < n["spanTop"] - 12 or n["noteTop"] > n["spanBottom"] + one_note:
            problems.append(f"{where} top y={n['noteTop']:.0f} is not beside its span (its line: "
                            f"{n['spanTop']:.0f}-{n['spanBottom']:.0f}; one note height: {one_note:.0f})")
    ordered = sorted(notes, key=lambda n: n["noteTop"])
    for above, below in zip(ordered, ordered[1:]):
        if below["noteTop"] < above["noteBottom"] - 0.5 and below["noteLeft"] < above["noteRight"]:
            problems.append(f"notes {above['id']} and {below['id']} overlap")
    fail_on(problems, "margin notes at 1280px")


def test_tapping_a_label_opens_its_note_on_a_phone(example, page_factory, export) -> None:
    page = page_factory(WIDTHS["phone"])
    goto(page, example.url + ARTICLE)
    ids = [item["id"].rsplit("#note-", 1)[1] for item in export["first"]["items"]]
    problems = []
    for nid in ids:
        note = page.locator(f"#open-{nid}")
        if note.is_visible():
            problems.append(f"note {nid} is open before its label is tapped")
            continue
        page.locator(f"label.note-toggle-label[for=toggle-{nid}]").tap()
        if not note.is_visible():
            problems.append(f"tapping the label of note {nid} did not open it")
            continue
        box = note.bounding_box()
        label = page.locator(f"label.note-toggle-label[for=toggle-{nid}]").bounding_box()
        assert box is not None and label is not None
        if box["x"] < 0 or box["x"] + box["width"] > WIDTHS["phone"] + 0.5:
            problems.append(f"open note {nid} does not fit the screen: {box}")
        if box["y"] < label["y"]:
            problems.append(f"open note {nid} is above its label")
        page.locator(f"label.note-toggle-label[for=toggle-{nid}]").tap()
        if note.is_visible():
            problems.append(f"tapping the label of note {nid} again did not close it")
    fail_on(problems, "tap-to-open notes at 390px")


def test_every_note_is_readable_without_javascript(example, page_factory, export, width: int) -> None:
    page = page_factory(width, javascript_enabled=False)
    goto(page, example.url + ARTICLE)
    items = page.locator("#notes li.note")
    assert items.count() == export["total"]
    for i, item in enumerate(export["first"]["items"]):
        entry = items.nth(i)
        nid = item["id"].rsplit("#note-", 1)[1]
        assert entry.get_attribute("id") == f"note-{nid}"
        assert entry.is_visible()
        text = " ".join(entry.inner_text().split())
        assert item["body"][1]["value"] in text, f"note {nid}: verdict missing from the list"
        assert item["target"]["selector"][0]["exact"] in text, f"note {nid}: quote missing from the list"
        assert ("FACT CHECK" if item["motivation"] == "assessing" else "CLAIM") in text.upper()
        # The back link leads to the span, which exists on the page.
        assert page.locator(f"#span-{nid}").count() == 1


def test_no_axe_violations_on_the_annotated_article(example, page_factory, width: int) -> None:
    page = page_factory(width)
    goto(page, example.url + ARTICLE)
    problems = run_axe(page, where=f"{ARTICLE} at {width}px")
    if width < 600:
        page.locator("label.note-toggle-label").first.tap()
        problems += run_axe(page, where=f"{ARTICLE} at {width}px, first note open")
    fail_on(problems, f"axe-core violations on the annotated article at {width}px")


def test_export_selectors_find_their_quotes_in_the_dom(example, page_factory, export) -> None:
    from generator.build.pipeline import load_articles, load_pages
    from generator.export import rendered_text

    page = page_factory(WIDTHS["desktop"])
    goto(page, example.url + ARTICLE)
    text = page.evaluate(RENDERED_TEXT_JS)
    ours = next(p for p in load_pages(load_articles(REPO_ROOT / "content")) if p.url == ARTICLE)
    assert text == rendered_text(ours).text, "the DOM and generator/export.py disagree on the rendered text"
    chars = list(text)  # code points, as W3C selectors count them (JS strings count UTF-16 units)
    problems = []
    for item in export["first"]["items"]:
        quote, position = item["target"]["selector"]
        start, end = position["start"], position["end"]
        if "".join(chars[start:end]) != quote["exact"]:
            problems.append(f"{item['id']}: [{start}:{end}] is {''.join(chars[start:end])!r}, not {quote['exact']!r}")
        if "".join(chars[max(0, start - len(quote["prefix"])):start]) != quote["prefix"]:
            problems.append(f"{item['id']}: prefix {quote['prefix']!r} is not right before the quote")
        if "".join(chars[end:end + len(quote["suffix"])]) != quote["suffix"]:
            problems.append(f"{item['id']}: suffix {quote['suffix']!r} is not right after the quote")
    fail_on(problems, "W3C selectors checked against the text in Chromium")


def test_notes_in_links_comments_and_nested_spans_are_valid_html(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "edge.md").write_text(
        '---\ntitle: "Edge cases"\nnotes:\n'
        '  a:\n    body: "A [linked](https://example.org/a) note body."\n    verdict: "Accurate"\n'
        '    sources:\n      - title: "Source"\n        url: "https://example.org/s"\n'
        '  b:\n    body: "Inner."\n    verdict: "Unverified"\n    claimant: "Someone"\n'
        '  c:\n    body: "In a comment link."\n    verdict: "Misleading"\n    rating: 2\n'
        '  d:\n    body: "In a heading."\n    verdict: "Outdated"\n'
        '  e:\n    body: "In a table."\n    verdict: "Inaccurate"\n'
        'comments:\n  - id: "c1"\n    date: "2024-06-18T20:25"\n    body: |-\n'
        "      See [the [report]{.claim #c}](https://example.org/r).\n"
        "---\n## A [heading]{.fact #d}\n\n"
        "Read [the [outer [inner]{.claim #b} text]{.fact #a} story](https://example.org/b) first.\n\n"
        "| x |\n| - |\n| [cell]{.fact #e} |\n",
        encoding="utf-8",
    )
    out = build_site(content, tmp_path / "output")
    fail_on(run_vnu([out / "articles" / "edge" / "index.html"], root=out), "Nu HTML checker on notes in edge cases")
