"""The whole published site: index pages, tags, claims, feed, sitemap, 404, search, themes, init.

Most tests share one generated 30-article site (``write_site`` below is a tiny deterministic
generator: fixed dates, tags, notes and comments), built once per module with search on.
Browser tests fail (never skip) when Chromium, Playwright or Pagefind are missing, saying how to install them.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import struct
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import pytest

from generator.build.pipeline import BuildOptions, build, builtin_templates
from generator.cli import main
from generator.content.config import parse_config
from generator.common.errors import GlossError, GlossErrors, flatten
from generator.render.feeds import BASE_URL_WARNING, FEED_ENTRIES
from generator.site.listing import CLAIMS_PAGE_SIZE, IndexPage, page_window
from generator.content.note_kinds import CLAIM_VERDICTS, FACT_VERDICTS, VERDICT
from generator.build.search import find_pagefind

BASE = "https://example.org/news/"
N = 30
TAGS = ("Energy", "Health", "Transport")


def tiny_png(colour: tuple[int, int, int]) -> bytes:
    """A valid 1×1 PNG of one colour."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + bytes(colour))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def article_text(i: int) -> str:
    """Article ``i`` (1-based): dated 2024-01-i, one fact in the body, one claim in a reply."""
    fact = FACT_VERDICTS[i % len(FACT_VERDICTS)]
    claim = CLAIM_VERDICTS[i % len(CLAIM_VERDICTS)]
    extra = ""
    if i == 1:
        extra = '\n![A tiny chart](images/chart.png "Chart")\n\n```python\ndef answer():\n    return 42\n```\n'
    return f'''---
title: "Report number {i}: the council & the <budget>"
slug: "report-{i:02d}"
date: "2024-01-{i:02d}"
tags: ["{TAGS[i % 3]}", "{TAGS[(i + 1) % 3]}"]
summary: "Summary of report {i}."
draft: false
notes:
  fact{i}:
    body: "Checked against the minutes of meeting {i}."
    verdict: "{fact}"
    rating: {VERDICT[fact].highest}
    sources:
      - title: "Minutes {i}"
        url: "https://example.org/minutes/{i}"
        date: "2024-01-{i:02d}"
  claim{i}:
    body: "Nothing published backs this up."
    verdict: "{claim}"
    claimant: "A reader"
comments:
  - id: "c1"
    date: "2024-01-{i:02d}T10:00"
    author: "Ada"
    reply_to: null
    reply_basis: null
    body: |-
      Is that right?
  - id: "c2"
    date: "2024-01-{i:02d}T11:30"
    author: null
    reply_to: "c1"
    reply_basis: "vocative"
    body: |-
      Ada, [the budget doubled last year]{{.claim #claim{i}}}.
---
Paragraph one of report {i}: [the council met {i} times]{{.fact #fact{i}}}. Belousov is not mentioned.
{extra}
See also [the minutes](https://example.org/minutes/{i}).
'''


def write_site(root: Path, count: int = N, base_url: str | None = BASE) -> Path:
    """A site root with ``count`` articles and one image; returns ``root``."""
    content = root / "content"
    (content / "images").mkdir(parents=True, exist_ok=True)
    (content / "images" / "chart.png").write_bytes(tiny_png((200, 30, 30)))
    (content / "notes.txt").write_text("private notes: never published\n")
    for i in range(1, count + 1):
        (content / f"report-{i:02d}.md").write_text(article_text(i), encoding="utf-8")
    lines = ['title: "The Test Times"', 'publisher: "Test Times Ltd"', 'description: "Thirty reports."']
    if base_url:
        lines.append(f'base_url: "{base_url}"')
    (root / "site.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def build_at(root: Path, output: Path, **options: object) -> Path:
    build(BuildOptions(root=root, content=root / "content", output=output, **options))  # type: ignore[arg-type]
    return output


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def read(output: Path, rel: str) -> str:
    return (output / rel).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def site_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_site(tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="module")
def output(site_root: Path) -> Path:
    return build_at(site_root, site_root / "output", search=True)


# --------------------------------------------------------------------------- index and tags


def test_index_paginates_newest_first(output: Path) -> None:
    first, second = read(output, "index.html"), read(output, "page/2/index.html")
    assert not (output / "page" / "3").exists() and not (output / "page" / "1").exists()
    assert first.count('class="article-card"') == 20 and second.count('class="article-card"') == 10
    slugs = re.findall(r'href="articles/(report-\d+)/index.html"', first)
    assert slugs[0] == "report-30" and slugs[-1] == "report-11"
    assert re.findall(r'href="../../articles/(report-\d+)/', second)[-1] == "report-01"
    assert '<link rel="next" href="page/2/index.html">' in first and 'rel="prev"' not in first
    assert '<link rel="prev" href="../../index.html">' in second and '<link rel="next"' not in second
    for page in (first, second):
        assert '<nav class="pagination" aria-label="Pagination">' in page
    assert '<a href="../../page/2/index.html" aria-current="page">' in second
    assert "4 notes" not in first and "2 notes" in first and "2 comments" in first


def test_tag_index_lists_every_tag_with_counts(output: Path) -> None:
    page = read(output, "tags/index.html")
    for tag in TAGS:
        slug = tag.lower()
        count = sum(1 for i in range(1, N + 1) if tag in (TAGS[i % 3], TAGS[(i + 1) % 3]))
        assert f'<a href="../tags/{slug}/index.html">{tag}</a> <span class="count">({count} articles)</span>' in page
        assert read(output, f"tags/{slug}/index.html").count('class="article-card"') == count


# --------------------------------------------------------------------------- claims


def claim_items(html: str) -> list[tuple[str, str, str]]:
    """(kind, verdict slug, span link) of every entry of a claims page."""
    return re.findall(
        r'<li class="claim-item[^"]*" data-kind="(\w+)" data-verdict="([\w-]+)">.*?<blockquote class="note-quote">'
        r'<p><a href="([^"]+)">',
        html,
        re.S,
    )


def test_claims_page_lists_every_note_with_a_working_link(output: Path) -> None:
    html = read(output, "claims/index.html")
    items = claim_items(html)
    assert len(items) == 2 * N
    for kind, _, link in items:
        path, _, fragment = link.partition("#")
        target = (output / "claims" / path).resolve()
        assert target.is_file(), link
        assert f'id="{fragment}"' in target.read_text(encoding="utf-8"), link
        assert fragment.startswith("span-" + kind)
    assert "Claimed by A reader" in html and "the council met 30 times" in html
    assert "report-30" in items[0][2] and "report-01" in items[-1][2]
    assert '<script src="../static/claims.' in html


@pytest.mark.parametrize("verdict", FACT_VERDICTS + CLAIM_VERDICTS)
def test_each_verdict_has_a_static_filter_page(output: Path, verdict: str) -> None:
    slug = verdict.lower()
    html = read(output, f"claims/verdict/{slug}/index.html")
    expected = sum(1 for i in range(1, N + 1) for v in (
        FACT_VERDICTS[i % len(FACT_VERDICTS)], CLAIM_VERDICTS[i % len(CLAIM_VERDICTS)]) if v == verdict)
    items = claim_items(html)
    assert len(items) == expected and {v for _, v, _ in items} <= {slug}
    assert f'href="../../../claims/verdict/{slug}/index.html" data-filter-group="verdict" ' \
           f'data-filter-value="{slug}" aria-current="page">{verdict} <span class="count">({expected})</span>' in html
    assert "claims.js" not in html  # the static pages need no script
    assert f'href="../claims/verdict/{slug}/index.html"' in read(output, "claims/index.html")


@pytest.mark.parametrize("kind", ["fact", "claim"])
def test_kind_filter_pages(output: Path, kind: str) -> None:
    items = claim_items(read(output, f"claims/{kind}/index.html"))
    assert len(items) == N and {k for k, _, _ in items} == {kind}
    assert f'href="../claims/{kind}/index.html"' in read(output, "claims/index.html")


def test_long_claims_lists_are_paged(tmp_path: Path) -> None:
    """120 notes: the whole list takes two pages of 100; each filter list is paged on its own."""
    root = write_site(tmp_path / "site")
    for i in range(1, N + 1):  # thirty more, two months later
        text = article_text(i).replace("2024-01-", "2024-03-").replace(f"report-{i:02d}", f"later-{i:02d}")
        (root / "content" / f"later-{i:02d}.md").write_text(text, encoding="utf-8")
    out = build_at(root, tmp_path / "out")
    first, second = read(out, "claims/index.html"), read(out, "claims/page/2/index.html")
    assert len(claim_items(first)) == CLAIMS_PAGE_SIZE and len(claim_items(second)) == 20
    assert claim_items(first)[0][2].startswith("../articles/later-30/")
    assert claim_items(second)[-1][2].startswith("../../../articles/report-01/")
    assert "notes 101–120 on page 2 of 2" in second and "120 notes" in second
    assert '<link rel="next" href="../claims/page/2/index.html">' in first
    assert '<link rel="prev" href="../../../claims/index.html">' in second
    # In-place filtering would only see one page: a paged list keeps the plain filter links.
    assert "claims." not in first.split("</head>")[0].replace("claims.html", "")
    assert not (out / "claims" / "fact" / "page").exists(), "60 fact checks fit on one page"
    assert "claims/page/2/" in read(out, "sitemap.xml")


def test_page_window_shows_the_ends_and_the_neighbours() -> None:
    numbers = [item[0] if item else None for item in page_window("claims/", 7, 20)]
    assert numbers == [1, None, 5, 6, 7, 8, 9, None, 20]
    assert [item[0] if item else None for item in page_window("claims/", 1, 3)] == [1, 2, 3]
    assert page_window("claims/", 2, 3)[1] == (2, "claims/page/2/")


def test_index_of_50_pages_links_a_window_not_every_page() -> None:
    first = IndexPage(1, 50, "", ())
    assert [item[0] if item else None for item in first.numbers] == [1, 2, 3, None, 50]
    assert (first.newer, first.older) == (None, "page/2/")
    middle = IndexPage(25, 50, "page/25/", ())
    assert [item[0] if item else None for item in middle.numbers] == [1, None, 23, 24, 25, 26, 27, None, 50]
    assert (middle.newer, middle.older) == ("page/24/", "page/26/")
    assert middle.numbers[0] == (1, "") and middle.numbers[-1] == (50, "page/50/")


# --------------------------------------------------------------------------- feed, sitemap, robots, 404


def test_feed_parses_and_carries_the_required_atom_elements(output: Path) -> None:
    import feedparser  # the test extra installs it
    parsed = feedparser.parse((output / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    feed = parsed.feed
    assert feed.id == BASE and feed.title == "The Test Times" and feed.author == "Test Times Ltd"
    assert feed.updated == "2024-01-30T11:30:00Z"
    links = {link.rel: link.href for link in feed.links}
    assert links == {"self": BASE + "feed.xml", "alternate": BASE}
    # The newest FEED_ENTRIES articles, newest first: a feed readers poll stays small.
    assert len(parsed.entries) == FEED_ENTRIES < N
    ids = set()
    for entry in parsed.entries:
        for key in ("id", "title", "updated", "published", "summary", "content", "link"):
            assert entry.get(key), (entry.get("id"), key)
        ids.add(entry.id)
    assert len(ids) == FEED_ENTRIES
    newest = parsed.entries[0]
    assert newest.id == BASE + "articles/report-30/" and newest.link == newest.id
    assert newest.title == "Report number 30: the council & the <budget>"
    assert newest.published == "2024-01-30T00:00:00Z" and newest.updated == "2024-01-30T11:30:00Z"
    assert parsed.entries[-1].id == BASE + f"articles/report-{N - FEED_ENTRIES + 1:02d}/"
    content = newest.content[0].value
    assert 'href="https://example.org/news/articles/report-30/#note-fact30"' in content
    assert not re.search(r'(?:href|src)="(?!https?:)', content), "every link in feed content is absolute"


def test_feed_content_resolves_images_notes_and_code(tmp_path: Path) -> None:
    import feedparser  # the test extra installs it
    root = write_site(tmp_path / "site", count=3)
    parsed = feedparser.parse((build_at(root, root / "output") / "feed.xml").read_bytes())
    oldest = parsed.entries[-1].content[0].value
    assert re.search(r'<img [^>]*src="https://example.org/news/images/chart\.[0-9a-f]{10}\.png"', oldest)
    assert 'href="https://example.org/news/articles/report-01/#note-fact1"' in oldest
    assert '<span class="k">def</span>' in oldest
    assert not re.search(r'(?:href|src)="(?!https?:)', oldest), "every link in feed content is absolute"


def test_sitemap_lists_every_page_but_404(output: Path) -> None:
    root = ET.fromstring((output / "sitemap.xml").read_bytes())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [loc.text for loc in root.findall("s:url/s:loc", ns)]
    pages = sorted(p.relative_to(output).as_posix() for p in output.rglob("*.html"))
    expected = {BASE + (p[: -len("index.html")] if p.endswith("index.html") else p) for p in pages if p != "404.html"}
    assert set(locs) == expected and len(locs) == len(expected)
    assert BASE + "page/2/" in locs and BASE + "claims/verdict/misleading/" in locs and BASE + "search/" in locs
    lastmod = root.find("s:url[s:loc='" + BASE + "articles/report-05/']/s:lastmod", ns)
    assert lastmod is not None and lastmod.text == "2024-01-05T11:30:00Z"


def test_robots_names_the_sitemap(output: Path) -> None:
    assert f"Sitemap: {BASE}sitemap.xml" in read(output, "robots.txt")


def test_404_links_are_absolute_with_base_url_and_its_style_inline(output: Path) -> None:
    html = read(output, "404.html")
    links = re.findall(r'(?:href|src)="([^"]*)"', html)
    icon = re.search(r'<link rel="icon" href="(static/favicon\.[0-9a-f]{10}\.svg)"', html)
    assert icon and (output / icon.group(1)).is_file()
    assert all(link.startswith(BASE) or link in ("#main", icon.group(1)) for link in links), links
    assert '<meta name="robots" content="noindex">' in html and 'rel="stylesheet"' not in html
    css = re.search(r"<style>(.*?)</style>", html, re.S)
    assert css and ".site-header" in css.group(1)
    digest = base64.b64encode(hashlib.sha256(css.group(1).encode()).digest()).decode()
    assert f"style-src 'self' 'sha256-{digest}'" in html


def test_without_base_url_feed_and_sitemap_are_relative_and_the_build_warns_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_site(tmp_path / "site", count=3, base_url=None)
    monkeypatch.chdir(root)
    assert main(["build", "--no-search"]) == 0
    err = capsys.readouterr().err
    assert err.count("base_url is not set") == 1 and BASE_URL_WARNING in err
    output = root / "output"
    import feedparser  # the test extra installs it
    parsed = feedparser.parse((output / "feed.xml").read_bytes())
    assert not parsed.bozo and len(parsed.entries) == 3
    assert all(e.id.startswith("urn:uuid:") for e in parsed.entries) and parsed.feed.id.startswith("urn:uuid:")
    assert "<loc>articles/report-01/index.html</loc>" in read(output, "sitemap.xml")
    assert "Sitemap:" not in read(output, "robots.txt")
    html = read(output, "404.html")
    assert 'href="claims/index.html"' in html and 'href="static/favicon.' in html and "../" not in html
    assert 'rel="canonical"' not in read(output, "index.html")
    # Setting base_url silences the warning.
    assert main(["build", "--no-search", "--base-url", BASE]) == 0
    assert "base_url" not in capsys.readouterr().err


def test_drafts_are_left_out_everywhere_unless_asked(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", count=2)
    draft = root / "content" / "report-02.md"
    draft.write_text(draft.read_text().replace("draft: false", "draft: true"))
    out = build_at(root, tmp_path / "out")
    for rel in ("index.html", "feed.xml", "sitemap.xml", "claims/index.html", "tags/index.html"):
        assert "report-02" not in read(out, rel), rel
    assert not (out / "articles" / "report-02").exists()
    out = build_at(root, tmp_path / "drafts", drafts=True)
    for rel in ("index.html", "feed.xml", "sitemap.xml", "claims/index.html"):
        assert "report-02" in read(out, rel), rel


def test_without_pagefind_the_search_page_says_so_and_the_build_hints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import generator.build.uptodate

    monkeypatch.setattr(generator.build.uptodate, "find_pagefind", lambda: None)
    root = write_site(tmp_path / "site", count=1)
    monkeypatch.chdir(root)
    assert main(["build"]) == 0
    assert "pip install 'pagefind[bin]'" in capsys.readouterr().err
    html = read(root / "output", "search/index.html")
    assert "Search is not available on this site" in html and "pagefind" not in html.split("<body>")[0]
    assert not (root / "output" / "pagefind").exists()
    assert main(["build", "--no-search"]) == 0
    assert "pagefind" not in capsys.readouterr().err


# --------------------------------------------------------------------------- assets, images, code, themes


def test_content_images_are_copied_with_hashed_names(site_root: Path, output: Path) -> None:
    images = list((output / "images").glob("chart.*.png"))
    assert len(images) == 1 and images[0].read_bytes() == (site_root / "content/images/chart.png").read_bytes()
    html = read(output, "articles/report-01/index.html")
    assert f'<img src="../../images/{images[0].name}" alt="A tiny chart" title="Chart" />' in html
    assert sorted(p.name for p in output.rglob("*.txt")) == ["robots.txt"]  # content/notes.txt stays private


def test_missing_image_is_an_error_at_its_line(tmp_path: Path) -> None:
    root = write_site(tmp_path, count=1)
    path = root / "content" / "report-01.md"
    path.write_text(path.read_text().replace("images/chart.png", "images/nope.png"))
    with pytest.raises((GlossError, GlossErrors)) as caught:
        build_at(root, tmp_path / "out")
    (error,) = flatten(caught.value)
    lines = path.read_text().splitlines()
    line = next(n for n, text in enumerate(lines, start=1) if "images/nope.png" in text)
    assert error.location.line == line and error.location.column == lines[line - 1].index("images/nope.png") + 1
    assert "images/nope.png" in error.message and error.location.path.endswith("report-01.md")
    assert not (tmp_path / "out").exists()


def test_code_blocks_are_highlighted_in_light_and_dark(output: Path) -> None:
    html = read(output, "articles/report-01/index.html")
    assert '<pre tabindex="0" role="group" aria-label="Code: python" class="highlight"><code class="language-python"><span class="k">def</span>' in html
    (css,) = (output / "static").glob("style.*.css")
    text = css.read_text()
    assert ".highlight .k {" in text and "@media (prefers-color-scheme: dark)" in text.split(".highlight .k {")[1]


def test_site_templates_override_the_theme(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", count=2)
    plain = build_at(root, tmp_path / "plain")
    own = root / "templates"
    (own / "static").mkdir(parents=True)
    base = (builtin_templates() / "base.html").read_text()
    (own / "base.html").write_text(base.replace("Built with Gloss.", "Set in our own type."))
    (own / "static" / "style.css").write_text("body { font-family: serif; }\n")
    themed = build_at(root, tmp_path / "themed")
    for page in ("index.html", "articles/report-01/index.html", "claims/index.html", "404.html"):
        assert "Set in our own type." in read(themed, page) and "Built with Gloss." in read(plain, page)
    (css,) = (themed / "static").glob("style.*.css")
    assert css.read_text().startswith("body { font-family: serif; }\n")
    assert {p.name for p in (plain / "static").glob("style.*")} != {css.name}
    assert f"static/{css.name}" in read(themed, "index.html")


# --------------------------------------------------------------------------- builds and output hygiene


def test_rebuild_is_byte_identical(site_root: Path, output: Path, tmp_path: Path) -> None:
    """Pagefind included when installed: its index is deterministic too (checked here)."""
    again = build_at(site_root, tmp_path / "again", search=True)
    assert tree(again) == tree(output)
    assert (find_pagefind() is None) == (not (output / "pagefind").exists())


def test_rebuild_keeps_mtimes_and_removes_stale_files(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", count=3)
    out = build_at(root, tmp_path / "out")
    before = {p: (out / p).stat().st_mtime_ns for p in tree(out)}
    build_at(root, out)
    assert {p: (out / p).stat().st_mtime_ns for p in tree(out)} == before
    (root / "content" / "report-02.md").unlink()
    build_at(root, out)
    after = tree(out)
    assert "articles/report-02/index.html" not in after and not (out / "articles" / "report-02").exists()
    assert (out / "articles/report-01/index.html").stat().st_mtime_ns == before["articles/report-01/index.html"]
    assert b"report-02" not in after["index.html"] and b"report-02" not in after["feed.xml"]


def test_site_served_under_a_sub_path_has_no_broken_link(output: Path, tmp_path: Path) -> None:
    from browser.linkcheck import check_links, crawl_http
    from browser.sitebuild import serve

    assert check_links(output) == []
    assert check_links(output, file_url=True) == []
    served = serve(output, sub_path="news", work_dir=tmp_path / "root")
    try:
        result = crawl_http(served.url)
    finally:
        served.close()
    assert result.problems == []
    reached = {url[len(served.url):] for url in result.visited}
    pages = sorted(p.relative_to(output).as_posix() for p in output.rglob("*.html"))
    unreached = [p for p in pages if p != "404.html" and p not in reached and p[: -len("index.html")] not in reached]
    assert unreached == []


# --------------------------------------------------------------------------- site.yaml


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('title: "A"\nbase_url: "ftp://example.org"\n', 2, "not an absolute http(s) address"),
        ('title: "A"\nlanguage: "english!"\n', 2, "not a language tag"),
        ('title: "A"\n\ntitel: "B"\n', 3, "titel"),
        ('title: "A"\ndescription: [1, 2]\n', 2, "description"),
    ],
)
def test_site_yaml_errors_name_file_and_line(text: str, line: int, words: str) -> None:
    with pytest.raises((GlossError, GlossErrors)) as caught:
        parse_config(text, "site.yaml")
    (error,) = flatten(caught.value)
    assert error.location.path == "site.yaml" and error.location.line == line
    assert words in error.format()


# --------------------------------------------------------------------------- gloss init


def test_init_scaffolds_a_site_that_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "my-news"
    assert main(["init", str(target)]) == 0
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()) == [
        ".gitignore", "content/welcome.md", "site.yaml"]
    monkeypatch.chdir(target)
    assert main(["check"]) == 0
    assert "1 article, 2 notes, 2 comments" in capsys.readouterr().out
    assert main(["build", "--no-search"]) == 0
    html = read(target / "output", "articles/welcome/index.html")
    assert 'class="gloss-span gloss-fact verdict-holds" id="span-height"' in html and 'id="span-visitors"' in html
    reply = html.index('id="c2"')
    assert html.index('id="c1"') < html.index('class="replies"') < reply and "replying to" in html[reply:]
    assert "<title>My news</title>" in read(target / "output", "index.html")


def test_init_in_another_language_builds_in_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    from generator.render.i18n import shipped

    target = tmp_path / "nouvelles"
    assert main(["init", "--language", "fr", str(target)]) == 0
    config = (target / "site.yaml").read_text(encoding="utf-8")
    assert '\nlanguage: "fr"\n' in config
    assert f"Translated: {', '.join(shipped())}." in config  # the comment names the languages there are
    monkeypatch.chdir(target)
    assert main(["build", "--no-search"]) == 0
    index = read(target / "output", "index.html")
    assert '<html lang="fr" dir="ltr">' in index and ">Mots-clés<" in index
    with pytest.raises(SystemExit) as usage:
        main(["init", "--language", "en_GB!", str(tmp_path / "other")])
    assert usage.value.code == 2 and "is not a language tag" in capsys.readouterr().err
    assert not (tmp_path / "other").exists()


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    assert main(["init", str(tmp_path)]) == 1
    assert "not empty" in capsys.readouterr().err and not (tmp_path / "site.yaml").exists()
    assert main(["init", "--force", str(tmp_path)]) == 0
    assert (tmp_path / "site.yaml").is_file() and (tmp_path / "keep.txt").read_text() == "mine"


def test_init_force_keeps_an_existing_site_yaml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The hint promises that --force keeps the files already there: site.yaml included (#20, 14)."""
    (tmp_path / "site.yaml").write_text('title: "My own"\n')
    assert main(["init", str(tmp_path)]) == 1
    assert "files already there are kept" in capsys.readouterr().err
    assert main(["init", "--force", str(tmp_path)]) == 0
    assert (tmp_path / "site.yaml").read_text() == 'title: "My own"\n'
    assert (tmp_path / "content" / "welcome.md").is_file()
    assert "site.yaml" not in capsys.readouterr().out  # only what was written is listed


# --------------------------------------------------------------------------- in Chromium

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]


@pytest.fixture(scope="module")
def chromium(playwright_session):  # type: ignore[no-untyped-def]
    if not os.path.exists(CHROMIUM):
        pytest.fail("Chromium not found: run `bash .ci/install-system.sh` (apt-get install -y chromium)")
    browser = playwright_session.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


def open_page(chromium, url: str):  # type: ignore[no-untyped-def]
    """A page at ``url`` that records console errors and failed requests in ``page.problems``."""
    page = chromium.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
    page.on("response", lambda r: problems.append(f"http {r.status}: {r.url}") if r.status >= 400 else None)
    page.problems = problems
    page.goto(url)
    return page


@pytest.mark.slow
def test_search_finds_the_seed_article(chromium, repo_root: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    if find_pagefind() is None:
        pytest.fail("Pagefind is not installed: pip install -e . --group test (it brings pagefind[bin])")
    from browser.sitebuild import serve

    out = build_at(repo_root, tmp_path / "seed", search=True)
    served = serve(out, sub_path="news", work_dir=tmp_path / "root")
    try:
        page = open_page(chromium, served.url + "search/index.html")
        page.fill(".pagefind-ui__search-input", "Belousov")
        link = page.locator(".pagefind-ui__result-link").first
        link.wait_for(timeout=15000)
        href = link.get_attribute("href")
        assert href == "/news/articles/putin-north-korea-visit/index.html", href
        assert page.locator("#search-note").is_hidden()
        link.click()
        page.wait_for_load_state()
        assert page.url == served.url + "articles/putin-north-korea-visit/index.html"
        assert page.problems == []  # no CSP violation, no failed request
        page.close()
    finally:
        served.close()


@pytest.mark.slow
def test_claims_filter_in_place_with_javascript(chromium, output: Path) -> None:  # type: ignore[no-untyped-def]
    page = open_page(chromium, (output / "claims" / "index.html").as_uri())
    visible = page.locator("#claims-list > li:visible")
    assert visible.count() == 2 * N
    page.get_by_role("button", name=re.compile("^Fact checks")).click()
    assert visible.count() == N
    assert page.locator("#claims-count").text_content() == f"Showing {N} of {2 * N} notes."
    page.get_by_role("button", name=re.compile("^Accurate")).click()
    accurate = sum(1 for i in range(1, N + 1) if FACT_VERDICTS[i % 3] == "Accurate")
    assert visible.count() == accurate
    assert all(v == "accurate" for v in visible.evaluate_all("els => els.map(e => e.dataset.verdict)"))
    assert page.get_by_role("button", name=re.compile("^Accurate")).get_attribute("aria-pressed") == "true"
    page.get_by_role("button", name=re.compile("^All")).click()
    page.get_by_role("button", name=re.compile("^Any")).click()
    assert visible.count() == 2 * N
    assert page.problems == []
    page.close()


@pytest.mark.slow
def test_claims_filter_choices_are_history_entries(chromium, output: Path) -> None:  # type: ignore[no-untyped-def]
    """Back undoes a filter choice (pushState), as it undoes opening a static filter page."""
    page = open_page(chromium, (output / "claims" / "index.html").as_uri())
    visible = page.locator("#claims-list > li:visible")
    page.get_by_role("button", name=re.compile("^Fact checks")).click()
    page.get_by_role("button", name=re.compile("^Accurate")).click()
    assert page.url.endswith("claims/index.html?kind=fact&verdict=accurate")
    accurate = visible.count()
    page.go_back()
    assert page.url.endswith("claims/index.html?kind=fact")
    assert visible.count() == N
    assert page.get_by_role("button", name=re.compile("^Accurate")).get_attribute("aria-pressed") == "false"
    page.go_back()
    assert page.url.endswith("claims/index.html")
    assert visible.count() == 2 * N
    page.go_forward()
    page.go_forward()
    assert visible.count() == accurate
    assert page.get_by_role("button", name=re.compile("^Fact checks")).get_attribute("aria-pressed") == "true"
    assert page.problems == []
    page.close()


@pytest.mark.slow
def test_404_is_styled_at_any_depth(chromium, output: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A host serves 404.html at the missing address: its inline style (allowed by hash) still applies."""
    from browser.sitebuild import serve

    deep = tmp_path / "copy"
    shutil.copytree(output, deep)
    (deep / "no" / "such").mkdir(parents=True)
    shutil.copy(output / "404.html", deep / "no" / "such" / "page.html")
    served = serve(deep)
    try:
        page = open_page(chromium, served.url + "no/such/page.html")
        colour = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert colour == "rgb(253, 252, 249)"
        # Only the icon (relative to the site root) is missing at this depth; no CSP violation.
        missing = [p for p in page.problems if p.startswith("http 404")]
        assert [p for p in missing if "/no/such/static/favicon." not in p] == []
        assert [p for p in page.problems if not p.startswith(("http 404", "console error: Failed to load"))] == []
        assert page.get_attribute("a.site-title", "href") == BASE
        page.close()
    finally:
        served.close()
