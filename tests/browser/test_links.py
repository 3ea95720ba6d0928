"""Every internal link and #fragment resolves, on disk and when the site is served under a sub-path."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from .checks import fail_on
from .linkcheck import CrawlResult, check_links, crawl_http
from .sitebuild import build_site, html_pages, page_url_path


@pytest.fixture(scope="session")
def disk_problems(built_site: Path) -> list[str]:
    return check_links(built_site)


@pytest.fixture(scope="session")
def subpath_crawl(served_site_subpath) -> CrawlResult:
    return crawl_http(served_site_subpath.url)


def test_no_root_absolute_links(disk_problems):
    fail_on([p for p in disk_problems if "root-absolute" in p],
            "root-absolute links (every link must be relative)")


def test_internal_links_and_fragments_resolve_on_disk(disk_problems):
    fail_on([p for p in disk_problems if "root-absolute" not in p], "broken internal links or fragments")


def test_links_work_from_file_url(built_site, disk_problems):
    """docs/design.md §4: the output works from file:// - where a link to a folder opens a listing, not index.html."""
    fail_on([p for p in check_links(built_site, file_url=True) if p not in disk_problems],
            "links that work over HTTP but not from file://")


def test_site_works_under_a_sub_path(served_site_subpath, subpath_crawl):
    assert subpath_crawl.visited.get(served_site_subpath.url) == 200, f"{served_site_subpath.url} did not answer 200"
    fail_on(subpath_crawl.problems, f"problems with the site served under {served_site_subpath.url}")


def test_every_page_is_reachable_from_the_home_page(built_site, served_site_subpath, subpath_crawl):
    # URLs are percent-encoded (a tag page may be tags/%D1%80…/); file names are not.
    reached = {unquote(url[len(served_site_subpath.url):]) for url in subpath_crawl.visited}
    fail_on([rel for rel in html_pages(built_site)
             if rel != "404.html" and page_url_path(rel) not in reached and rel not in reached],
            "pages that no link leads to from the home page")


def test_base_url_leaves_html_links_relative(content_dir, tmp_path):
    """docs/design.md §4: ``--base-url`` is for feed, sitemap, canonical and JSON-LD only; page links stay relative."""
    base = "https://example.org/news/"
    output = build_site(content_dir, tmp_path / "output", "--base-url", base)
    problems = [p for p in check_links(output, url_prefix="/news/") if "root-absolute" in p]
    pattern = re.compile(r"""<(a|img|script|source|form|link)\b[^>]*\b(?:href|src|srcset|action)=["']?""" + re.escape(base))
    # 404.html is exempt: a host serves it at any depth, where only absolute URLs can work.
    for rel in [r for r in html_pages(output) if r != "404.html"]:
        for number, line in enumerate((output / rel).read_text(encoding="utf-8").splitlines(), start=1):
            for match in pattern.finditer(line):
                tag = line[match.start():line.find(">", match.start()) + 1]
                if match.group(1) == "link" and re.search(r"""rel=["']?(canonical|alternate)""", tag):
                    continue
                problems.append(f"{rel}:{number}: absolute link to the base URL: {tag[:160]}")
    fail_on(problems, f"links made absolute by --base-url {base}")
