"""Verdict first (#13), in Chromium, on the example article and on a site that uses every verdict.

* 390 px: every span's verdict word is visible without tapping; tapping the span text (not the small
  label) opens its note with JavaScript off; an opened note sits below the whole block that holds
  its span, so no line starts with the tail of a broken sentence; nothing scrolls sideways.
* 1280 px: every margin note shows its sources.
* The summary box lists every note with its verdict and links to its span.
* axe-core (colour contrast included) passes in the light and the dark scheme, with a note open.
* The harness (Nu HTML checker, axe on every page type, links on disk, at the root and under a
  sub-path) passes on the every-verdict site ``tests/fixtures/sites/verdicts``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .browsing import WIDTHS, goto
from .checks import fail_on, invisible_elements, overflowing_elements, run_axe, run_vnu
from .linkcheck import check_links, crawl_http
from .sitebuild import REPO_ROOT, build_site, html_pages

VERDICT_SITE = REPO_ROOT / "tests" / "fixtures" / "sites" / "verdicts"
SITES = {"seed": (REPO_ROOT / "content", "articles/putin-north-korea-visit/"),
         "verdicts": (VERDICT_SITE / "content", "articles/every-verdict/")}

# Per note: its id, its label's text, whether it is visible and inside the screen.
LABELS_JS = """() => [...document.querySelectorAll('.gloss-span[data-note]')].map(span => {
  const id = span.dataset.note;
  const label = document.querySelector(`label.note-toggle-label[for="toggle-${id}"]`);
  const r = label.getBoundingClientRect();
  return {id, text: label.innerText, visible: label.checkVisibility({checkOpacity: true}) && r.width > 2,
          inside: r.left >= 0 && r.right <= document.documentElement.clientWidth + 0.5,
          verdict: document.querySelector(`#margin-${id} .verdict`).dataset.verdict};
})"""

# The text block (paragraph, heading, list item, cell) holding a span: where its text ends, whether any of
# its text follows the opened note (a sentence broken in two), and where the opened note starts.
PLACE_JS = """(id) => {
  const span = document.getElementById('span-' + id);
  const block = span.closest('p, li, td, th, h1, h2, h3, h4, h5, h6') || span.parentElement;
  const open = document.getElementById('open-' + id);
  const text = document.createRange();
  text.selectNodeContents(block);
  if (block.contains(open)) text.setEndBefore(open.parentElement);
  let after = '';
  if (block.contains(open)) {
    for (let n = open.parentElement.nextSibling; n; n = n.nextSibling) after += n.textContent;
  }
  // The first text a reader sees after the opened note: never the tail of a sentence (a comma, a
  // lower-case word), whatever element the browser put it in.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  walker.currentNode = open.parentElement.lastChild || open.parentElement;
  let next = '';
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (open.parentElement.contains(node) || !node.textContent.trim()) continue;
    if (!node.parentElement.checkVisibility({checkOpacity: true})) continue;
    next = node.textContent.trim();
    break;
  }
  return {textBottom: text.getBoundingClientRect().bottom, noteTop: open.getBoundingClientRect().top,
          textAfter: after.trim(), next: next.slice(0, 30)};
}"""


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory, site_server) -> dict[str, tuple[object, str, Path]]:
    served = {}
    for name, (content, article) in SITES.items():
        out = build_site(content, tmp_path_factory.mktemp(f"verdicts-{name}") / "output")
        served[name] = (site_server(out), article, out)
    return served


@pytest.mark.parametrize("name", SITES)
def test_every_verdict_word_is_visible_on_a_phone(sites, page_factory, name: str) -> None:
    server, article, _ = sites[name]
    page = page_factory(WIDTHS["phone"])
    goto(page, server.url + article)
    labels = page.evaluate(LABELS_JS)
    assert labels
    problems = []
    for label in labels:
        if not label["visible"] or not label["inside"]:
            problems.append(f"{label['id']}: label not visible inside the screen without tapping")
        if label["verdict"] not in label["text"].lower():
            problems.append(f"{label['id']}: label says {label['text']!r}, not its verdict {label['verdict']}")
    problems += overflowing_elements(page)
    fail_on(problems, f"verdict labels at 390px on {name}")


@pytest.mark.parametrize("name", SITES)
def test_tapping_span_text_opens_the_note_below_its_block_without_javascript(sites, page_factory, name: str) -> None:
    server, article, _ = sites[name]
    page = page_factory(WIDTHS["phone"], javascript_enabled=False)
    goto(page, server.url + article)
    ids = page.evaluate("() => [...document.querySelectorAll('label.gloss-span[data-note]')].map(s => s.dataset.note)")
    total = page.locator(".gloss-span[data-note]").count()
    assert len(ids) == total, "every span of these articles can be tapped (none sits inside a link)"
    problems = []
    for nid in ids:
        note = page.locator(f"#open-{nid}")
        if note.is_visible():
            problems.append(f"{nid}: open before tapping")
            continue
        page.locator(f"#span-{nid}").tap()
        if not note.is_visible():
            problems.append(f"{nid}: tapping the span text did not open the note")
            continue
        place = page.evaluate(PLACE_JS, nid)
        tail = place["next"][:1]
        if tail and (tail.islower() or tail in ",.;:)—–"):
            problems.append(f"{nid}: the line after the opened note starts mid-sentence: {place['next']!r}")
        if place["textAfter"] or place["noteTop"] < place["textBottom"] - 0.5:
            problems.append(f"{nid}: the opened note splits the text block holding its span ({place})")
        box = note.bounding_box()
        assert box is not None
        if box["x"] < 0 or box["x"] + box["width"] > WIDTHS["phone"] + 0.5:
            problems.append(f"{nid}: opened note does not fit the screen: {box}")
        if note.locator(f"a[href='#span-{nid}']").count() != 1:
            problems.append(f"{nid}: opened note has no link back to its span")
        problems += overflowing_elements(page)
        page.locator(f"#span-{nid}").tap()
        if note.is_visible():
            problems.append(f"{nid}: tapping the span text again did not close the note")
    fail_on(problems, f"tap-to-open on span text at 390px, JavaScript off, on {name}")


@pytest.mark.parametrize("name", SITES)
def test_margin_notes_show_their_sources_on_a_wide_screen(sites, page_factory, name: str) -> None:
    from generator.build.pipeline import load_articles, load_pages

    server, article, _ = sites[name]
    page = page_factory(WIDTHS["desktop"])
    goto(page, server.url + article)
    ours = next(p for p in load_pages(load_articles(SITES[name][0])) if p.url == article)
    problems = []
    for note in ours.notes:
        margin = page.locator(f"#margin-{note.id}")
        if not margin.is_visible():
            problems.append(f"{note.id}: margin note not visible")
            continue
        box = margin.bounding_box()
        sources = margin.locator(".note-source")
        if sources.count() != len(note.sources):
            problems.append(f"{note.id}: {sources.count()} sources in the margin note, not {len(note.sources)}")
            continue
        for i, source in enumerate(note.sources):
            shown = sources.nth(i)
            if not shown.get_attribute("title", timeout=1000).startswith(source.title):
                problems.append(f"{note.id}: source {i + 1} is not {source.title!r}")
            if source.url:
                link = shown.locator(f"a[href='{source.url}']")
                where = link.bounding_box() if link.count() == 1 else None
                # On its one line, the link starts inside the note: the reader sees it and can follow it.
                if where is None or not box["x"] <= where["x"] < box["x"] + box["width"] - 16:
                    problems.append(f"{note.id}: source {source.url} is not a visible link in the margin note")
    fail_on(problems, f"sources in margin notes at 1280px on {name}")


@pytest.mark.parametrize("name", SITES)
def test_summary_box_lists_every_note_with_its_verdict(sites, page_factory, name: str) -> None:
    from generator.build.pipeline import load_articles, load_pages

    server, article, _ = sites[name]
    page = page_factory(WIDTHS["phone"])
    goto(page, server.url + article)
    ours = next(p for p in load_pages(load_articles(SITES[name][0])) if p.url == article)
    links = page.locator(".check-summary .check-list a")
    assert links.count() == len(ours.notes)
    problems = []
    for i, note in enumerate(ours.notes):
        link = links.nth(i)
        text = " ".join(link.inner_text().split())
        if not text.startswith(f"{note.group.icon} {note.verdict} "):
            problems.append(f"line {i + 1} says {text!r}, not {note.group.icon} {note.verdict} first")
        link.click()
        if page.evaluate("() => location.hash") != f"#span-{note.id}":
            problems.append(f"line {i + 1} does not lead to #span-{note.id}")
        if not page.locator(f"#span-{note.id}").is_visible():
            problems.append(f"line {i + 1}: span {note.id} not visible after following the link")
    fail_on(problems, f"summary box on {name}")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", SITES)
def test_verdict_colours_pass_axe_in_both_schemes(sites, page_factory, width: int, scheme: str, name: str) -> None:
    server, article, _ = sites[name]
    page = page_factory(width)
    page.emulate_media(color_scheme=scheme)
    problems = []
    for path in (article, "", "claims/"):
        goto(page, server.url + path)
        problems += run_axe(page, where=f"{name}/{path} at {width}px, {scheme}")
    goto(page, server.url + article)
    if width < 600:
        first = page.locator("label.gloss-span").first
        first.tap()
        problems += run_axe(page, where=f"{name}/{article} at {width}px, {scheme}, a note open")
    fail_on(problems, f"axe-core on verdict colours ({scheme}, {width}px, {name})")


def test_harness_passes_on_the_every_verdict_site(sites, site_server, tmp_path: Path) -> None:
    _, _, out = sites["verdicts"]
    problems = run_vnu([out / rel for rel in html_pages(out)] + sorted(out.rglob("*.css")), root=out)
    problems += check_links(out)
    problems += check_links(out, file_url=True)
    problems += crawl_http(site_server(out).url).problems
    problems += crawl_http(site_server(out, sub_path="/news/").url).problems
    fail_on(problems, "Nu HTML checker and links on the every-verdict site")


@pytest.mark.parametrize("media", [{"forced_colors": "active"}, {"media": "print"}])
def test_verdict_groups_stay_distinct_in_forced_colours_and_print(sites, page_factory, media: dict) -> None:
    server, article, _ = sites["verdicts"]
    page = page_factory(WIDTHS["desktop"])
    page.emulate_media(**media)
    goto(page, server.url + article)
    # Each group keeps its own border shape and icon even when colours are gone; the word stays.
    shapes = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('#notes .verdict')].map(v =>
      [v.dataset.verdict, [getComputedStyle(v).borderTopStyle, v.querySelector('.verdict-icon').textContent,
                           v.checkVisibility() ? v.innerText.trim() : '']]))""")
    assert set(shapes) == {"accurate", "inaccurate", "outdated", "supported", "unsupported", "misleading",
                           "disputed", "unverified"}
    by_group = {"holds": ["accurate", "supported"], "fails": ["inaccurate", "unsupported"],
                "partly": ["outdated", "misleading", "disputed"], "open": ["unverified"]}
    looks = {group: {tuple(shapes[v][:2]) for v in verdicts} for group, verdicts in by_group.items()}
    assert all(len(look) == 1 for look in looks.values()), looks
    assert len({next(iter(look)) for look in looks.values()}) == 4, f"groups look alike: {looks}"
    assert all(shapes[v][2].endswith(v.capitalize()) for v in shapes), shapes
    if media.get("media") == "print":
        # Print gets every note in full, even from a wide window (where the screen list is compact).
        count, hidden = invisible_elements(page, "#notes .note-detail p")
        assert count >= 8 and not hidden, hidden
