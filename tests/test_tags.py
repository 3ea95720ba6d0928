"""Tags in any script get pages of their own; two tags never share one.

``Россия``, ``日本`` and ``Україна`` all became ``tags/article/`` when tag slugs were ASCII only.
Now a tag's folder keeps its letters (``tags/россия/``), links to it are percent-encoded, and two
different tags that would need one folder (``C`` and ``C++``) are an error at the second tag.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from generator.build.pipeline import BuildOptions, build, check
from generator.common.errors import GlossError, GlossErrors
from generator.common.slugs import tag_key, tag_slug

from browser.linkcheck import check_links  # tests/ is on sys.path (rootdir conftest)


def article(slug: str, tags: list[str]) -> str:
    listed = ", ".join(f'"{t}"' for t in tags)
    return f'---\ntitle: "{slug}"\nslug: "{slug}"\ndate: "2024-05-01"\ntags: [{listed}]\n---\nText of {slug}.\n'


def make_site(root: Path, articles: dict[str, list[str]]) -> Path:
    (root / "content").mkdir(parents=True)
    (root / "site.yaml").write_text('title: "T"\nbase_url: "https://example.org/news/"\n', encoding="utf-8")
    for slug, tags in articles.items():
        (root / "content" / f"{slug}.md").write_text(article(slug, tags), encoding="utf-8")
    return root


@pytest.mark.parametrize(("tag", "slug"), [
    ("Россия", "россия"), ("日本", "日本"), ("Україна", "україна"), ("हिन्दी", "हिन्दी"),
    ("North Korea", "north-korea"), ("../../etc/passwd", "etc-passwd"), ("Ｒｕｓｓｉａ", "russia"),
])
def test_tag_slug_keeps_letters_of_every_script(tag: str, slug: str) -> None:
    assert tag_slug(tag) == slug


def test_tags_without_letters_get_distinct_safe_names() -> None:
    dots, marks = tag_slug(".."), tag_slug("?!")
    assert dots != marks
    assert re.fullmatch(r"tag-[0-9a-f]{10}", dots) and re.fullmatch(r"tag-[0-9a-f]{10}", marks)


def test_same_tag_in_other_case_or_separator() -> None:
    assert tag_key("North Korea") == tag_key("north-korea") == tag_key("NORTH_KOREA")
    assert tag_key("C++") != tag_key("C") and tag_slug("C++") == tag_slug("C")


def test_non_latin_tags_get_their_own_pages_and_links_resolve(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"a": ["Россия", "日本"], "b": ["Україна", "россия"], "c": ["日本"]})
    build(BuildOptions(root=site, content=site / "content", output=site / "output"))
    out = site / "output"
    assert sorted(p.parent.name for p in (out / "tags").glob("*/index.html")) == sorted(["россия", "日本", "україна"])
    russia = (out / "tags" / "россия" / "index.html").read_text(encoding="utf-8")
    assert "articles/a/" in russia and "articles/b/" in russia and "articles/c/" not in russia
    page = (out / "articles" / "a" / "index.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'href="(\.\./\.\./tags/[^"]+)"', page)
    assert "../../tags/%D1%80%D0%BE%D1%81%D1%81%D0%B8%D1%8F/index.html" in hrefs
    for href in hrefs:
        assert href.isascii() and (out / "articles" / "a" / unquote(href)).resolve().is_file(), href
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://example.org/news/tags/%D1%80%D0%BE%D1%81%D1%81%D0%B8%D1%8F/</loc>" in sitemap
    # Only tag links here: an article without notes links to a missing "#notes" (a separate issue).
    problems = [p for p in check_links(out) + check_links(out, file_url=True) if "tags/" in p]
    assert problems == []


def test_two_tags_for_one_page_is_an_error_at_the_second(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"a": ["C"], "b": ["news", "C++"]})
    with pytest.raises((GlossError, GlossErrors)) as raised:
        build(BuildOptions(root=site, content=site / "content", output=site / "output"))
    text = str(raised.value)
    assert text.startswith("content/b.md:5:16: tag \"C++\" would share the page tags/c/ with the tag \"C\" (content/a.md:5)") \
        or text.startswith(f"{site}/content/b.md:5:16"), text
    assert not (site / "output").exists()
    with pytest.raises((GlossError, GlossErrors)):
        check(site / "content", site)
