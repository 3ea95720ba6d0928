"""An article in another language than its site (``language:`` in its front matter).

Its page is in its language (words, dates, ``lang``/``dir``); the site's pages stay in the site's
language and mark its title, summary and quotes with ``lang``; the JSON-LD and the feed say its
language; a language without a catalog gets one warning naming the file.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from generator.build.pipeline import BuildOptions, build
from generator.common.errors import GlossError, GlossErrors, flatten
from test_i18n import ARTICLE, _built_text, _catalog, _leaks

SITE = 'title: "The Small Gazette"\nlanguage: "{language}"\npublisher: "Small Gazette Ltd"\n'
ENGLISH = """---
title: "The harbour bridge reopens"
slug: "bridge"
date: "2024-06-17"
summary: "Open again."
notes:
  open:
    body: "The council's notice says so."
    verdict: "Accurate"
---
The bridge [reopened on Sunday]{.fact #open}.
"""


def _with_language(text: str, tag: str) -> str:
    return text.replace("\n---\n", f'\nlanguage: "{tag}"\n---\n', 1) if text.startswith("---\n") else text


def _site(root: Path, site_language: str, article_language: str | None) -> Path:
    (root / "content").mkdir(parents=True)
    (root / "site.yaml").write_text(SITE.format(language=site_language), encoding="utf-8")
    zeta = ARTICLE if article_language is None else _with_language(ARTICLE, article_language)
    (root / "content" / "zeta.md").write_text(zeta, encoding="utf-8")
    (root / "content" / "bridge.md").write_text(ENGLISH, encoding="utf-8")
    return root


def test_a_french_article_on_an_english_site(tmp_path: Path) -> None:
    root = _site(tmp_path / "site", "en", "fr")
    result = build(BuildOptions(root, root / "content", root / "output", base_url="https://example.org/"))
    assert not [w for w in result.warnings if "language" in w]
    out = root / "output"
    page = (out / "articles" / "zeta" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="fr" dir="ltr">' in page
    # The site's title is the site's language on the article's page; the page's words are French.
    assert 'class="site-title" href="../../index.html" lang="en" dir="ltr">The Small Gazette</a>' in page
    assert ">Mots-clés<" in page and "juin 2024" in page
    french = _built_text(out)["articles/zeta/index.html"]
    assert not _leaks({"articles/zeta/index.html": french}, _catalog("fr"))
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert [n["inLanguage"] for n in data["@graph"] if n["@type"] == "NewsArticle"] == ["fr"]
    # The site's pages stay English and mark the French article's words.
    home = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en" dir="ltr">' in home and ">Tags<" in home
    assert re.search(r'<a href="articles/zeta/index.html" lang="fr" dir="ltr">', home)
    assert re.search(r'<a href="articles/bridge/index.html">The harbour bridge reopens</a>', home)
    claims = (out / "claims" / "index.html").read_text(encoding="utf-8")
    assert claims.count('<blockquote class="note-quote" lang="fr" dir="ltr">') >= 1
    assert '<blockquote class="note-quote"><p><a href="../articles/bridge/' in claims
    assert 'class="finding-text" lang="fr" dir="ltr">' in claims  # a finding is the note's words
    english = (out / "articles" / "bridge" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en" dir="ltr">' in english and ">Tags<" in english and 'lang="fr"' not in english
    feed = (out / "feed.xml").read_text(encoding="utf-8")
    assert feed.count('xml:lang="fr"') == 1 and '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">' in feed


def test_an_arabic_article_on_a_french_site_reads_right_to_left(tmp_path: Path) -> None:
    root = _site(tmp_path / "site", "fr", "ar")
    build(BuildOptions(root, root / "content", root / "output"))
    page = (root / "output" / "articles" / "zeta" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in page and 'lang="fr" dir="ltr">The Small Gazette</a>' in page
    assert not _leaks({"zeta": _built_text(root / "output")["articles/zeta/index.html"]}, _catalog("ar"))
    home = (root / "output" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="fr" dir="ltr">' in home and 'lang="ar" dir="rtl"' in home


def test_the_site_language_named_again_changes_nothing(tmp_path: Path) -> None:
    plain = _site(tmp_path / "plain", "fr", None)
    named = _site(tmp_path / "named", "fr", "fr")
    for root in (plain, named):
        build(BuildOptions(root, root / "content", root / "output"))
    for path in ("index.html", "articles/zeta/index.html", "claims/index.html", "feed.xml"):
        assert (plain / "output" / path).read_bytes() == (named / "output" / path).read_bytes(), path


def test_a_language_without_a_catalog_is_named_with_its_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _site(tmp_path / "site", "en", "de")
    monkeypatch.chdir(root)  # files are named from where gloss runs
    result = build(BuildOptions(root, root / "content", root / "output"))
    assert [w for w in result.warnings if "language" in w] == [
        'warning: content/zeta.md: no translation of the page text for language "de": pages show English '
        "(hint: shipped languages are en, ar, fr; to add one, copy generator/locales/gloss.pot to "
        "generator/locales/de/LC_MESSAGES/gloss.po and translate it)"]
    page = (root / "output" / "articles" / "zeta" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="de" dir="ltr">' in page and "Skip to content" in page and "Juni 2024" in page
    # The same warning on a build that renders nothing again.
    again = build(BuildOptions(root, root / "content", root / "output"))
    assert [w for w in again.warnings if "language" in w] == [w for w in result.warnings if "language" in w]


@pytest.mark.parametrize("value", ['"fr_FR!"', "12", '""', "[fr]"])
def test_a_bad_language_is_a_located_error(tmp_path: Path, value: str) -> None:
    root = _site(tmp_path / "site", "en", None)
    (root / "content" / "bridge.md").write_text(ENGLISH.replace('summary: "Open again."', f"language: {value}"),
                                                encoding="utf-8")
    with pytest.raises((GlossError, GlossErrors)) as raised:
        build(BuildOptions(root, root / "content", root / "output"))
    (error,) = flatten(raised.value)
    assert error.format().startswith(f"{root}/content/bridge.md:5:11: ")
    assert "a language tag like en or pt-BR" in error.format()


def test_adding_a_language_to_an_article_rebuilds_what_shows_it(tmp_path: Path) -> None:
    """An incremental build after the edit gives the bytes of a clean build."""
    root = _site(tmp_path / "site", "en", None)
    build(BuildOptions(root, root / "content", root / "output"))
    zeta = root / "content" / "zeta.md"
    zeta.write_text(_with_language(zeta.read_text(encoding="utf-8"), "fr"), encoding="utf-8")
    build(BuildOptions(root, root / "content", root / "output"))
    clean = tmp_path / "clean"
    shutil.copytree(root / "content", clean / "content")
    shutil.copy(root / "site.yaml", clean / "site.yaml")
    build(BuildOptions(clean, clean / "content", clean / "output"))
    built = {p.relative_to(root / "output"): p.read_bytes() for p in (root / "output").rglob("*") if p.is_file()}
    fresh = {p.relative_to(clean / "output"): p.read_bytes() for p in (clean / "output").rglob("*") if p.is_file()}
    assert built == fresh
    assert b'<html lang="fr"' in built[Path("articles/zeta/index.html")]


def test_the_search_index_holds_every_article_in_the_site_language(tmp_path: Path) -> None:
    """Pagefind makes one index per page language unless told otherwise, and the search page (in the
    site's language) loads only its own: the French article would never be found."""
    root = _site(tmp_path / "site", "en", "fr")
    build(BuildOptions(root, root / "content", root / "output", search=True))
    entry = json.loads((root / "output" / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert {name: found["page_count"] for name, found in entry["languages"].items()} == {"en": 2}
