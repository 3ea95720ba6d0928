"""Negative proof: break one thing on purpose and the matching check reports it, saying where.

The fixtures are hand-written static sites (tests/browser/sample_site.py), not generator output,
so these tests pin the harness itself. The clean sample site must pass every check (no false
alarms); each broken copy must fail exactly the check that covers the fault.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .browsing import goto
from .checks import invisible_elements, overflowing_elements, run_axe, run_vnu
from .linkcheck import check_links, crawl_http
from .sample_site import write_sample_site
from .sitebuild import checkable_files, html_pages

ARTICLE = "articles/putin-visit/index.html"


@pytest.fixture(scope="module")
def clean_site(tmp_path_factory) -> Path:
    return write_sample_site(tmp_path_factory.mktemp("clean") / "output")


def broken_copy(clean: Path, dest: Path, rel: str, old: str, new: str) -> Path:
    """A copy of the clean site where ``old`` is replaced by ``new`` (once) in file ``rel``."""
    shutil.copytree(clean, dest)
    path = dest / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not found in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return dest


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


# --------------------------------------------------------------------------- links


def test_clean_site_has_no_link_problems(clean_site):
    assert check_links(clean_site) == []
    assert check_links(clean_site, file_url=True) == []


def test_dead_link_is_reported_with_file_and_line(clean_site, tmp_path):
    site = broken_copy(clean_site, tmp_path / "site", ARTICLE,
                       'href="../../tags/russia/index.html"', 'href="../../tags/rusia/"')
    problems = check_links(site)
    line = line_of(site / ARTICLE, "tags/rusia/")
    assert problems == [f'{ARTICLE}:{line}: broken link "../../tags/rusia/" (no such file: tags/rusia/index.html)']


def test_dead_fragment_is_reported(clean_site, tmp_path):
    site = broken_copy(clean_site, tmp_path / "site", "claims/index.html",
                       "index.html#note-weapons", "index.html#note-weapon")
    problems = check_links(site)
    line = line_of(site / "claims/index.html", "#note-weapon")
    assert problems == [f'claims/index.html:{line}: broken fragment "../articles/putin-visit/index.html#note-weapon" '
                        f'(no id="note-weapon" in {ARTICLE})']


def test_dead_same_page_fragment_and_asset_are_reported(clean_site, tmp_path):
    site = broken_copy(clean_site, tmp_path / "site", ARTICLE, 'href="#c1"><time', 'href="#c9"><time')
    (site / "static/style.css").unlink()
    problems = check_links(site)
    assert any(p.startswith(f'{ARTICLE}:') and 'broken fragment "#c9" (no id="c9" in this page)' in p
               for p in problems), problems
    assert sum("static/style.css" in p for p in problems) == len(html_pages(site)), problems


def test_srcset_candidates_are_checked(clean_site, tmp_path):
    site = broken_copy(clean_site, tmp_path / "site", "index.html", "<h1>Articles</h1>",
                       '<h1>Articles</h1>\n<p><img alt="logo" src="favicon.svg" srcset="favicon.svg 1x,'
                       'data:image/svg+xml;base64,PHN2Zy8+ 1.5x, missing@2x.svg 2x"></p>')
    problems = check_links(site)
    line = line_of(site / "index.html", "missing@2x.svg")
    assert problems == [f'index.html:{line}: broken img srcset "missing@2x.svg" (no such file: missing@2x.svg)']


def test_root_absolute_link_is_reported(clean_site, tmp_path):
    site = broken_copy(clean_site, tmp_path / "site", "index.html",
                       'href="articles/putin-visit/index.html"', 'href="/articles/putin-visit/"')
    problems = check_links(site)
    assert len(problems) == 1 and problems[0].startswith("index.html:") and "root-absolute" in problems[0], problems


def test_folder_link_is_reported_only_for_file_urls(clean_site, tmp_path):
    site = broken_copy(clean_site, tmp_path / "site", "index.html",
                       'href="articles/putin-visit/index.html"', 'href="articles/putin-visit/"')
    assert check_links(site) == []
    problems = check_links(site, file_url=True)
    assert len(problems) == 1 and problems[0].startswith("index.html:") and "file://" in problems[0], problems


def test_crawl_under_sub_path_reports_404_and_where_it_is_linked(clean_site, tmp_path, site_server):
    site = broken_copy(clean_site, tmp_path / "site", "tags/russia/index.html",
                       'href="../../articles/putin-visit/index.html"', 'href="../../articles/putin-visit/gone.html"')
    served = site_server(site, sub_path="news")
    assert crawl_http(site_server(clean_site, sub_path="news").url).problems == []
    problems = crawl_http(served.url).problems
    line = line_of(site / "tags/russia/index.html", "gone.html")
    assert problems == [f"/news/tags/russia/index.html:{line}: {served.url}articles/putin-visit/gone.html "
                        f"answered HTTP 404"]


def test_crawl_reports_links_that_leave_the_sub_path(clean_site, tmp_path, site_server):
    site = broken_copy(clean_site, tmp_path / "site", "index.html",
                       'href="claims/index.html"', 'href="/claims/index.html"')
    problems = crawl_http(site_server(site, sub_path="news").url).problems
    assert any("/news/index.html:" in p and "leaves the site's path /news/" in p for p in problems), problems


# --------------------------------------------------------------------------- Nu HTML checker


def test_vnu_reports_invalid_html_with_file_and_line(clean_site, tmp_path):
    broken = tmp_path / "broken"
    nesting = broken_copy(clean_site, broken / "nesting", ARTICLE,
                          "<p>Analysts suggest", "<p><div>Analysts suggest</div>")
    unclosed = broken_copy(clean_site, broken / "unclosed", "claims/index.html",
                           "<h1>Claims and facts</h1>", "<h1>Claims and <span>facts</h1>")
    css = broken_copy(clean_site, broken / "css", "static/style.css", "line-height: 1.5;", "line-heigth: 1.5;")
    files = ([clean_site / f for f in checkable_files(clean_site)]
             + [nesting / ARTICLE, unclosed / "claims/index.html", css / "static/style.css"])
    problems = run_vnu(files, root=tmp_path)  # one java call for all of them

    clean = [p for p in problems if not p.startswith("broken/")]
    assert clean == [], "false alarms on the clean sample site:\n" + "\n".join(clean)

    listing = "\n".join(problems)
    line = line_of(nesting / ARTICLE, "<p><div>Analysts")
    assert any(p.startswith(f"broken/nesting/{ARTICLE}:{line}:") for p in problems), listing
    line = line_of(unclosed / "claims/index.html", "<span>facts")
    assert any(p.startswith(f"broken/unclosed/claims/index.html:{line}:") for p in problems), listing
    line = line_of(css / "static/style.css", "line-heigth")
    assert any(p.startswith(f"broken/css/static/style.css:{line}:") and "line-heigth" in p for p in problems), listing


# --------------------------------------------------------------------------- browser checks


def test_clean_site_passes_axe_and_layout(clean_site, site_server, page_factory):
    served = site_server(clean_site)
    for rel in html_pages(clean_site):
        for width in (390, 1280):
            page = page_factory(width)
            goto(page, served.page_url(rel))
            assert run_axe(page, where=rel) == []
            assert overflowing_elements(page) == []
            page.context.close()
    assert page_factory.take_problems() == []


def test_axe_reports_image_without_alt(clean_site, tmp_path, site_server, page_factory):
    site = broken_copy(clean_site, tmp_path / "site", ARTICLE,
                       "<p>Analysts suggest", '<p><img src="../../favicon.svg" width="16" height="16">Analysts suggest')
    page = page_factory(1280)
    goto(page, site_server(site).page_url(ARTICLE))
    problems = run_axe(page, where=ARTICLE)
    assert any(p.startswith(f"{ARTICLE}: image-alt (critical) at ") and "img" in p for p in problems), problems


def test_axe_reports_code_block_the_keyboard_cannot_scroll(clean_site, tmp_path, site_server, page_factory):
    site = broken_copy(clean_site, tmp_path / "site", ARTICLE,
                       '<pre tabindex="0" role="group" aria-label="Code: python">', "<pre>")
    page = page_factory(390)
    goto(page, site_server(site).page_url(ARTICLE))
    problems = run_axe(page, where=ARTICLE)
    assert any(p.startswith(f"{ARTICLE}: scrollable-region-focusable (serious) at ") for p in problems), problems


def test_console_errors_404s_and_missing_favicon_are_caught(clean_site, tmp_path, site_server, page_factory):
    site = broken_copy(clean_site, tmp_path / "site", "index.html",
                       "</main>", "<script>throw new Error('on purpose')</script>\n"
                                  '<img src="missing.png" alt="gone">\n</main>')
    (site / "favicon.svg").unlink()
    page = page_factory(390)
    goto(page, site_server(site).page_url("index.html"))
    problems = page_factory.take_problems()
    text = "\n".join(problems)
    assert "uncaught JavaScript error" in text and "on purpose" in text, text
    assert "missing.png answered HTTP 404" in text, text
    assert "favicon" in text and "favicon.svg answered HTTP 404" in text, text


def test_external_requests_are_blocked_and_reported(clean_site, tmp_path, site_server, page_factory):
    site = broken_copy(clean_site, tmp_path / "site", "index.html",
                       "</head>", '<link rel="stylesheet" href="https://fonts.example.com/font.css">\n</head>')
    page = page_factory(1280)
    goto(page, site_server(site).page_url("index.html"))
    text = "\n".join(page_factory.take_problems())
    assert "https://fonts.example.com/font.css failed" in text, text


def test_overflow_is_reported_with_the_culprit(clean_site, tmp_path, site_server, page_factory):
    site = broken_copy(clean_site, tmp_path / "site", ARTICLE,
                       "<p>Analysts suggest", '<p><span id="too-wide" style="display:inline-block;width:900px">'
                                              "wide</span> Analysts suggest")
    page = page_factory(390)
    goto(page, site_server(site).page_url(ARTICLE))
    culprits = overflowing_elements(page)
    assert culprits and culprits[0].startswith("document is "), culprits
    assert any("span#too-wide" in c for c in culprits[1:]), culprits


def test_hidden_paragraph_and_collapsed_comment_are_reported(clean_site, tmp_path, site_server, page_factory):
    site = broken_copy(clean_site, tmp_path / "site", ARTICLE,
                       "<p>In a move", '<p style="display:none">In a move')
    path = site / ARTICLE
    path.write_text(path.read_text(encoding="utf-8").replace(
        '<article class="comment" id="c2">', '<details><summary>1 reply</summary><article class="comment" id="c2">'
    ).replace("</article>\n</article>\n</section>", "</article></details>\n</article>\n</section>"),
        encoding="utf-8")
    page = page_factory(390, javascript_enabled=False)
    goto(page, site_server(site).page_url(ARTICLE))
    count, hidden = invisible_elements(page, "article .article-body p")
    assert count == 3 and len(hidden) == 1 and hidden[0].startswith("#1 p "), hidden
    count, hidden = invisible_elements(page, "article.comment")
    assert count == 2 and len(hidden) == 1 and "article#c2.comment" in hidden[0], hidden


# --------------------------------------------------------------------------- end to end


def test_real_tests_fail_on_a_broken_site_and_say_where(clean_site, tmp_path):
    """Run the real test files on a broken copy of the sample site: each fault fails its test, located."""
    site = broken_copy(clean_site, tmp_path / "site", ARTICLE, "<p>Analysts suggest",
                       '<p><img src="../../favicon.svg" width="16" height="16"><div>Analysts suggest</div>')
    path = site / ARTICLE
    path.write_text(path.read_text(encoding="utf-8")
                    .replace('href="../../tags/russia/index.html"', 'href="../../tags/rusia/index.html"')
                    .replace('href="#note-weapons"', 'href="#note-weapon"'), encoding="utf-8")
    tag = site / "tags/russia/index.html"
    tag.write_text(tag.read_text(encoding="utf-8").replace("</main>", "<script>throw new Error('on purpose')"
                                                                        "</script>\n</main>"), encoding="utf-8")
    here = Path(__file__).parent
    env = {**os.environ, "GLOSS_TEST_SITE": str(site), "GLOSS_ARTIFACTS": str(tmp_path / "artifacts")}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-k", "(putin or russia) and not 1280px or links",
         str(here / "test_axe.py"), str(here / "test_html_validity.py"), str(here / "test_links.py")],
        cwd=here.parents[1], env=env, capture_output=True, text=True, timeout=600)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    img_line = line_of(path, "<img src")
    expected = [
        f"{ARTICLE} at 390px: image-alt (critical) at img",
        f"{ARTICLE}:{img_line}:",  # vnu: <div> inside <p>, the img without alt
        f'{ARTICLE}:{line_of(path, "tags/rusia")}: broken link "../../tags/rusia/index.html"',
        f'{ARTICLE}:{line_of(path, "#note-weapon")}: broken fragment "#note-weapon"',
        "tags/russia/: uncaught JavaScript error: on purpose",
        "FAILED tests/browser/test_axe.py::test_no_axe_violations[tags/russia/index.html-390px]",
    ]
    missing = [text for text in expected if text not in out]
    assert not missing, f"not in the output: {missing}\n\n{out}"
    assert "passed" in out and " failed" in out, out
